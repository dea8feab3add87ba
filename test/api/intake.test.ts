/**
 * The partner intake API through real HTTP against the real stack (Temporal dev server, PostgreSQL, workers):
 * authentication, limits, content types, idempotency, business keys, UBL invoices, listing, cancelling, and
 * answers for running and closed runs.
 */
import { Context } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingActivities } from '../../activities';
import { build } from '../../api/app';
import { keyCommand } from '../../cli/commands/partner';
import { claimIdempotencyKey } from '../../db/idempotency-keys';
import { requestHash, stableJson } from '../../domain/idempotency';
import { createApiKey } from '../../domain/partners';
import { testConfig } from '../support/config';
import { newPartner, sampleOrder } from '../support/fixtures';
import { eventually, startStack, type TestStack } from '../support/stack';
import { http } from './http';
import { jsonInvoice, ublInvoice } from './invoice-fixtures';

describe('partner intake API', () => {
  let stack: TestStack;
  let base: string;
  beforeAll(async () => {
    stack = await startStack({ env: { WEBHOOK_ALLOW_LIST: '127.0.0.1', INTAKE_IDEMPOTENCY_WAIT: '300ms' } });
    base = await stack.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => stack?.close());

  const call = (path: string, options?: Parameters<typeof http>[2]) => http(base, path, options);

  async function workflowCount(partnerId: string): Promise<number> {
    return (await stack.env.client.workflow.count(`PartnerId = '${partnerId}'`)).count;
  }

  it('refuses missing, malformed and revoked keys with 401', async () => {
    const partner = await newPartner(stack.pool);
    const extra = await createApiKey(stack.pool, partner.partnerId, 'second');
    const missing = await call('/v1/submissions');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(missing.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await call('/v1/submissions', { headers: { authorization: 'Bearer pwk_nonsense' } })).status).toBe(401);
    expect((await call('/v1/submissions', { headers: { authorization: `Basic ${extra.apiKey}` } })).status).toBe(401);
    const withKey = { authorization: `Bearer ${extra.apiKey}` };
    expect((await call('/v1/submissions', { headers: withKey })).status).toBe(200);
    // Revoked through the admin CLI's command: the very next request is refused.
    expect(await keyCommand(stack.pool, 'revoke', { key: extra.keyId })).toEqual({ keyId: extra.keyId, revoked: true });
    const revoked = await call('/v1/submissions', { headers: withKey });
    expect(revoked.status).toBe(401);
    expect(revoked.json.detail).toMatch(/revoked/);
    // The partner's other key still works.
    expect((await call('/v1/submissions', { headers: partner.auth })).status).toBe(200);
  });

  it('answers 413 for an oversized body and 415 for content types a route does not take', async () => {
    const partner = await newPartner(stack.pool);
    const huge = JSON.stringify({ ...sampleOrder(), padding: 'x'.repeat(stack.config.api.bodyLimitBytes) });
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
    expect(await workflowCount(partner.partnerId)).toBe(0);
  });

  it('lists every field error of a bad body', async () => {
    const partner = await newPartner(stack.pool);
    const bad = await call('/v1/invoices', {
      headers: partner.auth,
      body: { ...jsonInvoice(), currency: 'euro', lines: [], extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['/currency', '/lines', '/extra']),
    );
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

  it('slows a partner over its rate with 429 and Retry-After, and no one else', async () => {
    const limited = await build({
      config: testConfig({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1m' }),
      pool: stack.pool,
      temporal: stack.env.client,
    });
    const limitedBase = await limited.listen({ port: 0, host: '127.0.0.1' });
    try {
      const busy = await newPartner(stack.pool);
      const calm = await newPartner(stack.pool);
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

  it('starts exactly one workflow for 50 concurrent posts with one Idempotency-Key, and all get the same id', async () => {
    const partner = await newPartner(stack.pool);
    const order = sampleOrder();
    const headers = { ...partner.auth, 'idempotency-key': 'order-retry-1' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => call('/v1/orders', { headers, body: order })));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(202));
    const ids = new Set(answers.map((a) => a.json.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(new Set(answers.map((a) => a.headers.get('location')))).toEqual(new Set([`/v1/submissions/${id}`]));
    const { rows } = await stack.pool.query('SELECT id FROM submissions WHERE partner_id = $1', [partner.partnerId]);
    expect(rows).toEqual([{ id }]);
    await eventually(async () => (await workflowCount(partner.partnerId)) === 1);

    // Later: the same body replays the original answer; another body with the key is refused.
    const again = await call('/v1/orders', { headers, body: { ...order } });
    expect([again.status, again.json, again.headers.get('location')]).toEqual([
      202,
      answers[0]!.json,
      `/v1/submissions/${id}`,
    ]);
    const other = await call('/v1/orders', { headers, body: sampleOrder() });
    expect(other.status).toBe(422);
    expect(other.json.type).toMatch(/idempotency-key-reused/);
    expect(await workflowCount(partner.partnerId)).toBe(1);
  });

  it('accepts an invoice number once and names the existing submission on a second try', async () => {
    const partner = await newPartner(stack.pool);
    const invoice = jsonInvoice();
    const first = await call('/v1/invoices', { headers: partner.auth, body: invoice });
    expect(first.status).toBe(202);
    const second = await call('/v1/invoices', { headers: partner.auth, body: { ...invoice, paymentTerms: 'changed' } });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({
      submissionId: first.json.id,
      type: expect.stringMatching(/duplicate-invoice/),
    });
    // The same number as UBL is the same invoice.
    const asXml = await call('/v1/invoices', {
      headers: partner.auth,
      body: ublInvoice(invoice.invoiceNumber),
      contentType: 'application/xml',
    });
    expect(asXml.status).toBe(409);
    // Another partner may use the same number.
    const other = await newPartner(stack.pool);
    expect((await call('/v1/invoices', { headers: other.auth, body: invoice })).status).toBe(202);
  });

  it('refuses a malformed UBL invoice naming the element', async () => {
    const partner = await newPartner(stack.pool);
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
    expect(await workflowCount(partner.partnerId)).toBe(0);
  });

  it('takes a UBL invoice to completed, then answers its status with every worker stopped', async () => {
    const stop = await stack.startWorkers();
    let stopped = false;
    try {
      const partner = await newPartner(stack.pool);
      const posted = await call('/v1/invoices', {
        headers: partner.auth,
        body: ublInvoice(),
        contentType: 'application/xml',
      });
      expect(posted.status).toBe(202);
      expect(posted.json).toMatchObject({ type: 'invoice', status: 'received' });
      const id = posted.json.id as string;
      const done = await eventually(async () => {
        const res = await call(`/v1/submissions/${id}`, { headers: partner.auth });
        return res.json.status === 'completed' ? res.json : undefined;
      }, 60_000);
      expect(done.result).toMatchObject({ currency: 'EUR', totalMinor: 202170 });
      await stop();
      stopped = true;
      const closed = await call(`/v1/submissions/${id}`, { headers: partner.auth });
      expect(closed.status).toBe(200);
      expect(closed.json).toMatchObject({ id, status: 'completed', result: { totalMinor: 202170 } });
      expect(closed.json.links.cancel).toBeUndefined();
      const cancel = await call(`/v1/submissions/${id}/cancel`, { method: 'POST', headers: partner.auth });
      expect(cancel.status).toBe(409);
    } finally {
      if (!stopped) await stop();
    }
  });

  it('shows real attempts and the last error of a retried step, also once the run has closed', async () => {
    const real = createBillingActivities({ payments: stack.deps.payments });
    const flaky = {
      async chargePayment(input: Parameters<typeof real.chargePayment>[0]) {
        if (Context.current().info.attempt === 1) throw new Error('card network timed out');
        return real.chargePayment(input);
      },
    };
    const stop = await stack.startWorkers({ activityOverrides: { billing: flaky } });
    let stopped = false;
    try {
      const partner = await newPartner(stack.pool);
      const id = (await call('/v1/orders', { headers: partner.auth, body: sampleOrder() })).json.id;
      await eventually(
        async () => (await call(`/v1/submissions/${id}`, { headers: partner.auth })).json.status === 'completed',
        60_000,
      );
      await stop();
      stopped = true;
      const closed = await call(`/v1/submissions/${id}`, { headers: partner.auth });
      const charge = closed.json.steps.find((s: { name: string }) => s.name === 'charge');
      expect(charge).toMatchObject({ status: 'completed', attempts: 2, lastError: 'card network timed out' });
      const validate = closed.json.steps.find((s: { name: string }) => s.name === 'validate');
      expect(validate).toMatchObject({ attempts: 1, lastError: null });
    } finally {
      if (!stopped) await stop();
    }
  });

  it('answers a running submission from its workflow within the request, and cancels it by signal', async () => {
    // Only the workflow worker: the order waits at its charge step.
    const stop = await stack.startWorkers({ queues: ['submissions'] });
    try {
      const partner = await newPartner(stack.pool);
      const posted = await call('/v1/orders', { headers: partner.auth, body: sampleOrder() });
      const id = posted.json.id as string;
      const running = await eventually(async () => {
        const res = await call(`/v1/submissions/${id}`, { headers: partner.auth });
        return res.json.steps.some(
          (s: { name: string; status: string }) => s.name === 'charge' && s.status === 'running',
        )
          ? res.json
          : undefined;
      });
      expect(running.status).toBe('processing');
      expect(running.links.cancel).toBe(`/v1/submissions/${id}/cancel`);
      const cancel = await call(`/v1/submissions/${id}/cancel`, { method: 'POST', headers: partner.auth });
      expect(cancel.status).toBe(202);
      const cancelled = await eventually(async () => {
        const res = await call(`/v1/submissions/${id}`, { headers: partner.auth });
        return res.json.status === 'cancelled' ? res.json : undefined;
      });
      expect(cancelled.status).toBe('cancelled');
      expect((await call(`/v1/submissions/${id}/cancel`, { method: 'POST', headers: partner.auth })).status).toBe(409);
    } finally {
      await stop();
    }
  });

  it('lists only the caller’s submissions, filtered and paged by an opaque cursor', async () => {
    const partner = await newPartner(stack.pool);
    const other = await newPartner(stack.pool);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await call('/v1/orders', { headers: partner.auth, body: sampleOrder() })).json.id);
    ids.push((await call('/v1/invoices', { headers: partner.auth, body: jsonInvoice() })).json.id);
    await call('/v1/orders', { headers: other.auth, body: sampleOrder() });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(`/v1/submissions?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { headers: partner.auth });
      expect(page.status).toBe(200);
      seen.push(...page.json.items.map((s: { id: string }) => s.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const invoices = await call('/v1/submissions?type=invoice', { headers: partner.auth });
    expect(invoices.json.items.map((s: { id: string }) => s.id)).toEqual([ids[3]]);
    const received = await call('/v1/submissions?status=completed', { headers: partner.auth });
    expect(received.json.items).toEqual([]);
    expect((await call('/v1/submissions?cursor=bm9wZQ', { headers: partner.auth })).status).toBe(400);
    expect((await call('/v1/submissions?status=nope', { headers: partner.auth })).status).toBe(400);
  });

  it('answers 404 when one partner asks for another partner’s resources, on every route that takes an id', async () => {
    const stop = await stack.startWorkers();
    try {
      const owner = await newPartner(stack.pool);
      const stranger = await newPartner(stack.pool);
      const endpoint = (
        await call('/v1/webhook-endpoints', { headers: owner.auth, body: { url: 'http://127.0.0.1:9/hooks' } })
      ).json.id;
      expect(endpoint).toBeTruthy();
      const submission = (await call('/v1/orders', { headers: owner.auth, body: sampleOrder() })).json.id;
      const batch = (
        await call('/v1/batches', {
          headers: owner.auth,
          body: JSON.stringify({ type: 'order', body: sampleOrder() }),
          contentType: 'application/x-ndjson',
        })
      ).json.id;
      expect(batch).toMatch(/^bat_/);
      const delivery = await eventually(
        async () =>
          (await call(`/v1/webhook-deliveries?submissionId=${submission}`, { headers: owner.auth })).json.data?.[0]
            ?.id as string | undefined,
      );
      const probes: [string, string, unknown?][] = [
        ['GET', `/v1/submissions/${submission}`],
        ['POST', `/v1/submissions/${submission}/cancel`],
        ['GET', `/v1/submissions/${submission}/invoice.pdf`],
        ['GET', `/v1/batches/${batch}`],
        ['GET', `/v1/webhook-endpoints/${endpoint}`],
        ['PATCH', `/v1/webhook-endpoints/${endpoint}`, { enabled: false }],
        ['POST', `/v1/webhook-endpoints/${endpoint}/rotate-secret`, {}],
        ['POST', `/v1/webhook-endpoints/${endpoint}/redeliver-failed?since=2026-01-01T00:00:00Z`, {}],
        ['DELETE', `/v1/webhook-endpoints/${endpoint}`],
        ['GET', `/v1/webhook-deliveries/${delivery}`],
        ['POST', `/v1/webhook-deliveries/${delivery}/redeliver`, {}],
      ];
      for (const [method, path, body] of probes) {
        const res = await call(path, { method, headers: stranger.auth, body });
        expect(res.status, `${method} ${path} as stranger: ${res.text}`).toBe(404);
      }
      const leaked = await call(`/v1/webhook-deliveries?submissionId=${submission}`, { headers: stranger.auth });
      expect(leaked.json?.data ?? []).toEqual([]);
      // Everything is still there for its owner.
      for (const path of [
        `/v1/submissions/${submission}`,
        `/v1/batches/${batch}`,
        `/v1/webhook-endpoints/${endpoint}`,
        `/v1/webhook-deliveries/${delivery}`,
      ]) {
        expect((await call(path, { headers: owner.auth })).status, path).toBe(200);
      }
    } finally {
      await stop();
    }
  });

  it('answers 409 while the first request with the key is still being accepted', async () => {
    const partner = await newPartner(stack.pool);
    const order = sampleOrder();
    // The first request's transaction has claimed the key and not committed yet.
    const first = await stack.pool.connect();
    try {
      await first.query('BEGIN');
      await claimIdempotencyKey(first, {
        partnerId: partner.partnerId,
        key: 'slow-first',
        requestHash: requestHash('/v1/orders', 'application/json', stableJson(order)),
        submissionId: null,
      });
      const second = await call('/v1/orders', {
        headers: { ...partner.auth, 'idempotency-key': 'slow-first' },
        body: order,
      });
      expect(second.status).toBe(409);
      expect(second.json.type).toMatch(/idempotency-key-in-use/);
    } finally {
      await first.query('ROLLBACK');
      first.release();
    }
    // The first never committed: the key is free again and the retry is accepted.
    const retry = await call('/v1/orders', {
      headers: { ...partner.auth, 'idempotency-key': 'slow-first' },
      body: order,
    });
    expect(retry.status).toBe(202);
    const other = await call('/v1/orders', {
      headers: { ...partner.auth, 'idempotency-key': 'slow-first' },
      body: sampleOrder(),
    });
    expect(other.status).toBe(422);
  });
});
