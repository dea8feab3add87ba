/**
 * Intake through real HTTP against the real stack (Temporal dev server, PostgreSQL, workers): Idempotency-Key
 * under concurrency, the invoice business key, listing, and 404 for other partners' resources.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { claimIdempotencyKey } from '../../db/idempotency-keys';
import { requestHash, stableJson } from '../../services/idempotency';
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

  // PGlite has one session: while another connection holds a transaction open, a duplicate simply waits for it and
  // then gets the replayed answer, so "still being accepted" needs PostgreSQL's row locks (CI always has them).
  it.skipIf(inject('embeddedDatabase'))(
    'answers 409 while the first request with the key is still being accepted',
    async () => {
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
    },
  );

  it('accepts a JSON invoice whose quantity has three decimals', async () => {
    const partner = await newPartner(stack.pool);
    const line = {
      id: '1',
      description: 'Cable',
      quantity: 0.043,
      unitPriceMinor: 10000,
      lineTotalMinor: 430,
      taxRateBasisPoints: 2000,
    };
    const invoice = jsonInvoice({ lines: [line], taxExclusiveMinor: 430, taxTotalMinor: 86, payableMinor: 516 });
    const res = await call('/v1/invoices', { headers: partner.auth, body: invoice });
    expect(res.status, res.text).toBe(202);
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

  it('accepts one of many concurrent posts of an invoice number, among concurrent orders, and starts each accepted once', async () => {
    const partner = await newPartner(stack.pool);
    const invoice = jsonInvoice();
    const answers = await Promise.all([
      ...Array.from({ length: 8 }, () => call('/v1/invoices', { headers: partner.auth, body: invoice })),
      ...Array.from({ length: 8 }, () => call('/v1/orders', { headers: partner.auth, body: sampleOrder() })),
    ]);
    const invoices = answers.slice(0, 8);
    const accepted = invoices.filter((a) => a.status === 202);
    expect(accepted).toHaveLength(1);
    for (const refused of invoices.filter((a) => a.status !== 202)) {
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({ submissionId: accepted[0]!.json.id });
    }
    expect(answers.slice(8).map((a) => a.status)).toEqual(Array(8).fill(202));
    const { rows } = await stack.pool.query<{ id: string }>('SELECT id FROM submissions WHERE partner_id = $1', [
      partner.partnerId,
    ]);
    expect(rows.map((r) => r.id).sort()).toEqual(
      answers
        .filter((a) => a.status === 202)
        .map((a) => a.json.id)
        .sort(),
    );
    await eventually(async () => (await workflowCount(partner.partnerId)) === 9);
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
        ['POST', `/v1/webhook-endpoints/${endpoint}/end-rotation`, {}],
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
});
