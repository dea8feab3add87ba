/**
 * What the API refuses before anything is stored, through real HTTP: missing, malformed and revoked keys (401),
 * oversized bodies (413), content types a route does not take (415), the field errors of a bad body (400/422),
 * a malformed UBL invoice naming the element, and the per-partner rate limit (429). Nothing here needs Temporal.
 */
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../api/app';
import { keyCommand } from '../../cli/commands/partner';
import type { Config } from '../../config';
import { createPool } from '../../db/pool';
import { createApiKey } from '../../services/partners';
import { testConfig } from '../support/config';
import { newPartner, sampleOrder } from '../support/fixtures';
import { http } from './http';
import { jsonInvoice, ublInvoice } from './invoice-fixtures';

describe('requests the API refuses', () => {
  let config: Config;
  let pool: pg.Pool;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    config = testConfig();
    pool = createPool(config.databaseUrl, 4);
    app = await build({ config, pool });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
  });

  const call = (path: string, options?: Parameters<typeof http>[2]) => http(base, path, options);

  async function submissionCount(partnerId: string): Promise<number> {
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM submissions WHERE partner_id = $1',
      [partnerId],
    );
    return rows[0]!.n;
  }

  it('refuses missing, malformed and revoked keys with 401', async () => {
    const partner = await newPartner(pool);
    const extra = await createApiKey(pool, partner.partnerId, 'second');
    const missing = await call('/v1/submissions');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(missing.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await call('/v1/submissions', { headers: { authorization: 'Bearer pwk_nonsense' } })).status).toBe(401);
    expect((await call('/v1/submissions', { headers: { authorization: `Basic ${extra.apiKey}` } })).status).toBe(401);
    const withKey = { authorization: `Bearer ${extra.apiKey}` };
    expect((await call('/v1/submissions', { headers: withKey })).status).toBe(200);
    // Revoked through the admin CLI's command: refused as soon as PostgreSQL announces the change to the API
    // (milliseconds; the key may be held in memory until then, see test/api/api-key-cache.test.ts).
    expect(await keyCommand(pool, 'revoke', { key: extra.keyId })).toEqual({ keyId: extra.keyId, revoked: true });
    let revoked = await call('/v1/submissions', { headers: withKey });
    for (let i = 0; i < 50 && revoked.status !== 401; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      revoked = await call('/v1/submissions', { headers: withKey });
    }
    expect(revoked.status).toBe(401);
    expect(revoked.json.detail).toMatch(/revoked/);
    // The partner's other key still works.
    expect((await call('/v1/submissions', { headers: partner.auth })).status).toBe(200);
  });

  it('answers 413 for an oversized body and 415 for content types a route does not take', async () => {
    const partner = await newPartner(pool);
    const huge = JSON.stringify({ ...sampleOrder(), padding: 'x'.repeat(config.api.bodyLimitBytes) });
    const tooLarge = await call('/v1/orders', { headers: partner.auth, body: huge });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.type).toMatch(/payload-too-large/);

    const plain = await call('/v1/orders', { headers: partner.auth, body: 'hello', contentType: 'text/plain' });
    expect(plain.status).toBe(415);
    const xmlOrder = await call('/v1/orders', {
      headers: partner.auth,
      body: ublInvoice(),
      contentType: 'application/xml',
    });
    expect(xmlOrder.status).toBe(415);
    expect(xmlOrder.json.detail).toMatch(/application\/json/);
    const jsonBatch = await call('/v1/batches', { headers: partner.auth, body: sampleOrder() });
    expect(jsonBatch.status).toBe(415);
    expect(await submissionCount(partner.partnerId)).toBe(0);
  });

  it('names the field errors of a bad body (schema checks stop at the first; invoice rules list theirs)', async () => {
    const partner = await newPartner(pool);
    const bad = await call('/v1/invoices', {
      headers: partner.auth,
      body: { ...jsonInvoice(), currency: 'euro', lines: [], extra: 1 },
    });
    expect(bad.status).toBe(400);
    // Validation stops early so a body of a million bad items cannot cost a million errors.
    expect(bad.json.errors).toHaveLength(1);
    expect(['/currency', '/lines', '/extra']).toContain(bad.json.errors[0].pointer);
    const inconsistent = await call('/v1/invoices', {
      headers: partner.auth,
      body: jsonInvoice({ taxTotalMinor: 2999, payableMinor: 17000 }),
    });
    expect(inconsistent.status).toBe(422);
    expect(inconsistent.json.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/taxTotalMinor',
      '/payableMinor',
    ]);
  });

  it('refuses a malformed UBL invoice naming the element', async () => {
    const partner = await newPartner(pool);
    const wrongLine = ublInvoice().replace(
      '<cbc:LineExtensionAmount currencyID="EUR">450.00</cbc:LineExtensionAmount>',
      '<cbc:LineExtensionAmount currencyID="EUR">450,00</cbc:LineExtensionAmount>',
    );
    const bad = await call('/v1/invoices', { headers: partner.auth, body: wrongLine, contentType: 'application/xml' });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount' }),
      ]),
    );
    const wrongTotal = ublInvoice().replace(
      '<cbc:TaxAmount currencyID="EUR">332.73</cbc:TaxAmount>',
      '<cbc:TaxAmount currencyID="EUR">332.74</cbc:TaxAmount>',
    );
    const total = await call('/v1/invoices', {
      headers: partner.auth,
      body: wrongTotal,
      contentType: 'application/xml',
    });
    expect(total.status).toBe(422);
    expect(total.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(
      '/Invoice/cac:TaxTotal/cbc:TaxAmount',
    );
    const broken = await call('/v1/invoices', {
      headers: partner.auth,
      body: '<Invoice><cbc:ID>1</Invoice>',
      contentType: 'application/xml',
    });
    expect(broken.status).toBe(400);
    expect(broken.json.detail).toMatch(/line 1/);
    expect(await submissionCount(partner.partnerId)).toBe(0);
  });

  it('slows a partner over its rate with 429 and Retry-After, and no one else', async () => {
    const limited = await build({
      config: testConfig({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1m' }),
      pool,
    });
    const limitedBase = await limited.listen({ port: 0, host: '127.0.0.1' });
    try {
      const busy = await newPartner(pool);
      const calm = await newPartner(pool);
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await http(limitedBase, '/v1/submissions', { headers: busy.auth })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await http(limitedBase, '/v1/submissions', { headers: busy.auth });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.json.type).toMatch(/rate-limited/);
      expect((await http(limitedBase, '/v1/submissions', { headers: calm.auth })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
