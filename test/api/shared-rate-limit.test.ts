/**
 * The per-partner rate limit is shared by every API process (buckets in PostgreSQL), a batch costs one token per
 * line of the write budget (reads have their own), and every request on a partner route counts against its client
 * address before the key is looked up.
 */
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../api/app';
import { createPool } from '../../db/pool';
import { testConfig } from '../support/config';
import { newPartner, sampleOrder } from '../support/fixtures';
import { DOCUMENT_BYTES_PER_TOKEN } from '../../api/routes/intake';
import { ublInvoice } from './invoice-fixtures';

describe('shared rate limits', () => {
  let pool: pg.Pool;
  const apps: FastifyInstance[] = [];
  beforeAll(() => {
    pool = createPool(testConfig().databaseUrl, 4);
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });
  afterAll(async () => {
    await pool?.end();
  });

  async function app(env: Record<string, string>): Promise<FastifyInstance> {
    const instance = await build({ config: testConfig(env), pool });
    apps.push(instance);
    return instance;
  }

  it('holds one limit across two API instances on the same database', async () => {
    const env = { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1h' };
    const [first, second] = [await app(env), await app(env)];
    const partner = await newPartner(pool);
    const get = (a: FastifyInstance) => a.inject({ url: '/v1/submissions', headers: partner.auth });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(first)).statusCode);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await get(second);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(first)).statusCode).toBe(429);
    // A restarted instance does not start with a fresh bucket either.
    const third = await app(env);
    expect((await get(third)).statusCode).toBe(429);
  });

  it('charges a batch one token per line, from the write budget; reads have a budget of their own', async () => {
    const limited = await app({ RATE_LIMIT_MAX: '120', RATE_LIMIT_WINDOW: '1h' });
    const partner = await newPartner(pool);
    const batch = (lines: number) =>
      limited.inject({
        method: 'POST',
        url: '/v1/batches',
        headers: { ...partner.auth, 'content-type': 'application/x-ndjson' },
        // Lines that are refused one by one still cost what they cost to read.
        payload: Array.from({ length: lines }, () => '{"type":"order","body":{}}').join('\n'),
      });
    const first = await batch(100);
    expect(first.statusCode).toBe(422);
    expect(first.json().lines).toHaveLength(100);
    // 120 - 100 leaves 20 writes, shared across the window of an hour (an empty order is refused after its token).
    let writes = 0;
    for (let i = 0; i < 30; i++) {
      const res = await limited.inject({ method: 'POST', url: '/v1/orders', headers: partner.auth, payload: {} });
      if (res.statusCode !== 429) writes++;
    }
    expect(writes).toBe(20);
    const again = await batch(100);
    expect(again.statusCode).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    // The partner can still read the status of what it sent: reads draw from their own bucket of 120.
    let reads = 0;
    for (let i = 0; i < 125; i++)
      if ((await limited.inject({ url: '/v1/submissions', headers: partner.auth })).statusCode === 200) reads++;
    expect(reads).toBe(120);
  });

  it('charges a batch refused while it is read one token, and replays an answered Idempotency-Key for one token', async () => {
    const limited = await app({ RATE_LIMIT_MAX: '50', RATE_LIMIT_WINDOW: '1h' });
    const partner = await newPartner(pool);
    const send = (payload: string, headers: Record<string, string> = {}) =>
      limited.inject({
        method: 'POST',
        url: '/v1/batches',
        headers: { ...partner.auth, 'content-type': 'application/x-ndjson', ...headers },
        payload,
      });
    const forty = Array.from({ length: 40 }, () => JSON.stringify({ type: 'order', body: sampleOrder() })).join('\n');
    const first = await send(forty, { 'idempotency-key': 'batch-k-1' });
    expect(first.statusCode).toBe(202);
    // 10 tokens left: the replay gets the stored answer for one of them, not a 429 for forty.
    const replay = await send(forty, { 'idempotency-key': 'batch-k-1' });
    expect([replay.statusCode, replay.json().id]).toEqual([202, first.json().id]);
    // 9 left: a body over the line cap is refused (413) while it streams in, and each such refusal costs a token.
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await send('1\n'.repeat(20_001))).statusCode);
    expect(statuses).toEqual([...Array<number>(9).fill(413), 429, 429]);
  });

  it('charges nothing for blank lines: a batch of them is refused as empty for its one token', async () => {
    const limited = await app({ RATE_LIMIT_MAX: '50', RATE_LIMIT_WINDOW: '1h' });
    const partner = await newPartner(pool);
    const send = (payload: string) =>
      limited.inject({
        method: 'POST',
        url: '/v1/batches',
        headers: { ...partner.auth, 'content-type': 'application/x-ndjson' },
        payload,
      });
    // 20 KB of line breaks took 20,000 tokens, an hour of the partner's writes, for a 400 saying there was no line.
    const blank = await send('\n'.repeat(20_000));
    expect([blank.statusCode, blank.json().type]).toEqual([400, expect.stringContaining('empty-batch')]);
    // Blank lines between the lines read cost nothing either: 2 lines and 1,000 blank ones cost 2 tokens.
    const line = JSON.stringify({ type: 'order', body: sampleOrder() });
    const spaced = await send(
      `${line}\n${' \r\n'.repeat(1_000)}${JSON.stringify({ type: 'order', body: sampleOrder() })}\n`,
    );
    expect([spaced.statusCode, spaced.json().lineCount, spaced.json().accepted]).toEqual([202, 1_002, 2]);
    // 50 - 1 - 2 = 47 writes left.
    let writes = 0;
    for (let i = 0; i < 50; i++) {
      const res = await limited.inject({ method: 'POST', url: '/v1/orders', headers: partner.auth, payload: {} });
      if (res.statusCode !== 429) writes++;
    }
    expect(writes).toBe(47);
  });

  it('charges an invoice one token per started 256 KiB of its body, before the document is read', async () => {
    const limited = await app({ RATE_LIMIT_MAX: '10', RATE_LIMIT_WINDOW: '1h' });
    const partner = await newPartner(pool);
    // Amounts that do not add up: each document is read and checked (422) when its tokens were there.
    const wrong = ublInvoice().replace(/(<cbc:PayableAmount currencyID="EUR">)[^<]*/, '$1999.99');
    const large = wrong.replace('?>', `?><!-- ${'x'.repeat(3 * DOCUMENT_BYTES_PER_TOKEN)} -->`);
    expect(Buffer.byteLength(large)).toBeGreaterThan(3 * DOCUMENT_BYTES_PER_TOKEN);
    const post = (body: string) =>
      limited.inject({
        method: 'POST',
        url: '/v1/invoices',
        headers: { ...partner.auth, 'content-type': 'application/xml' },
        payload: body,
      });
    const statuses: number[] = [];
    // 10 tokens: two large documents take 4 each; a third takes the one every request takes on arrival, finds 1
    // of the 3 more it needs and is refused unread; the last token reads one small document.
    for (const body of [large, large, large, wrong, wrong]) statuses.push((await post(body)).statusCode);
    expect(statuses).toEqual([422, 422, 429, 422, 429]);
  });

  it('charges a JSON invoice its tokens before its body is parsed, whether its length is declared or not', async () => {
    const limited = await app({ RATE_LIMIT_MAX: '10', RATE_LIMIT_WINDOW: '1h' });
    // Not JSON (it ends in a comma): a 400 once parsed. The parse ran before the tokens beyond the first were asked
    // for, so each such body cost one token however large; parsing 8 MiB of JSON can take seconds.
    const large = `{"note":"${'x'.repeat(3 * DOCUMENT_BYTES_PER_TOKEN)}",`;
    const post = (auth: Record<string, string>, payload: string | Readable) =>
      limited.inject({
        method: 'POST',
        url: '/v1/invoices',
        headers: { ...auth, 'content-type': 'application/json' },
        payload,
      });
    // Sent in chunks without a Content-Length, the tokens are taken as the body arrives.
    const chunked = () => Readable.from(large.match(/[\s\S]{1,65536}/g)!.map((part) => Buffer.from(part)));
    for (const body of [() => large, chunked]) {
      const partner = await newPartner(pool);
      const statuses: number[] = [];
      // 10 tokens: two bodies take 4 each; the third finds 1 of the 3 more it needs and is refused unread.
      for (let i = 0; i < 3; i++) statuses.push((await post(partner.auth, body())).statusCode);
      expect(statuses).toEqual([400, 400, 429]);
    }
  });

  it('charges an order as an invoice: a token per started 256 KiB, before its body is parsed', async () => {
    const limited = await app({ RATE_LIMIT_MAX: '10', RATE_LIMIT_WINDOW: '1h' });
    const partner = await newPartner(pool);
    // Not JSON (it ends in a comma): a 400 once parsed, after its tokens were taken.
    const large = `{"note":"${'x'.repeat(3 * DOCUMENT_BYTES_PER_TOKEN)}",`;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await limited.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: { ...partner.auth, 'content-type': 'application/json' },
        payload: large,
      });
      statuses.push(res.statusCode);
    }
    // 10 tokens: two bodies take 4 each; the third finds 1 of the 3 more it needs and is refused unread.
    expect(statuses).toEqual([400, 400, 429]);
    const refused = await limited.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...partner.auth, 'content-type': 'application/json' },
      payload: large,
    });
    expect(refused.json().detail).toContain('this request costs 4 tokens (one per started 256 KiB of its body)');
  });

  it('limits every request on a partner route per client address, before any key is looked up', async () => {
    const limited = await app({ RATE_LIMIT_PER_IP: '5', RATE_LIMIT_WINDOW: '1h' });
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await limited.inject({ url: '/v1/submissions' })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Public routes are not counted.
    expect((await limited.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
