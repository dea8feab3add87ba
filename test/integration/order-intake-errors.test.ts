/** Bad input to POST /v1/orders gets a 4xx problem+json answer and starts nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPartner, sampleOrder } from '../support/fixtures';
import { startStack, type TestStack } from '../support/stack';

describe('POST /v1/orders with bad input', () => {
  let stack: TestStack;
  let partner: Awaited<ReturnType<typeof newPartner>>;
  beforeAll(async () => {
    stack = await startStack();
    partner = await newPartner(stack.pool);
  });
  afterAll(async () => stack?.close());

  async function workflowsOfPartner(): Promise<number> {
    const { count } = await stack.env.client.workflow.count(`PartnerId = '${partner.partnerId}'`);
    return count;
  }

  async function submissionsOfPartner(): Promise<number> {
    const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM submissions WHERE partner_id = $1', [
      partner.partnerId,
    ]);
    return rows[0].n;
  }

  const cases: [string, () => { headers: Record<string, string>; payload: string }, number, RegExp][] = [
    [
      'no API key',
      () => ({ headers: { 'content-type': 'application/json' }, payload: JSON.stringify(sampleOrder()) }),
      401,
      /Authorization/,
    ],
    [
      'a malformed API key',
      () => ({
        headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
        payload: JSON.stringify(sampleOrder()),
      }),
      401,
      /Bearer pwk_/,
    ],
    [
      'a missing field',
      () => ({
        headers: { ...partner.auth, 'content-type': 'application/json' },
        payload: JSON.stringify({ ...sampleOrder(), currency: undefined }),
      }),
      400,
      /request body is invalid/,
    ],
    [
      'a wrong type',
      () => ({
        headers: { ...partner.auth, 'content-type': 'application/json' },
        payload: JSON.stringify(
          sampleOrder({
            lines: [{ sku: 'A', description: 'a', quantity: '3' as unknown as number, unitPriceMinor: 100 }],
          }),
        ),
      }),
      400,
      /invalid/,
    ],
    [
      'a body that is not JSON',
      () => ({ headers: { ...partner.auth, 'content-type': 'application/json' }, payload: '{"orderNumber": ' }),
      400,
      /not valid JSON/,
    ],
    // Orders the workflow would fail after a 202 (and a started run) are refused at the door.
    [
      'a SKU on two lines',
      () => ({
        headers: { ...partner.auth, 'content-type': 'application/json' },
        payload: JSON.stringify(
          sampleOrder({
            lines: [
              { sku: 'A', description: 'a', quantity: 1, unitPriceMinor: 100 },
              { sku: 'A', description: 'again', quantity: 2, unitPriceMinor: 100 },
            ],
          }),
        ),
      }),
      422,
      /business rule/,
    ],
    [
      'a total past 2^53 minor units',
      () => ({
        headers: { ...partner.auth, 'content-type': 'application/json' },
        payload: JSON.stringify(
          sampleOrder({
            lines: Array.from({ length: 20 }, (_, i) => ({
              sku: `S${i}`,
              description: 'x',
              quantity: 1_000_000,
              unitPriceMinor: 1_000_000_000_000,
            })),
          }),
        ),
      }),
      422,
      /business rule/,
    ],
    [
      'a made-up currency',
      () => ({
        headers: { ...partner.auth, 'content-type': 'application/json' },
        payload: JSON.stringify(sampleOrder({ currency: 'QQA' })),
      }),
      422,
      /business rule/,
    ],
    [
      'an unsupported content type',
      () => ({ headers: { ...partner.auth, 'content-type': 'text/plain' }, payload: 'hello' }),
      415,
      /Content-Type/,
    ],
  ];

  it.each(cases)('%s: 4xx problem+json, nothing stored or started', async (_name, request, status, detail) => {
    const { headers, payload } = request();
    const res = await stack.app.inject({ method: 'POST', url: '/v1/orders', headers, payload });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json<{ status: number; detail: string; title: string }>();
    expect(body.status).toBe(status);
    expect(body.detail).toMatch(detail);
    expect(await submissionsOfPartner()).toBe(0);
    expect(await workflowsOfPartner()).toBe(0);
  });

  it('names the broken business rules with their pointers', async () => {
    const order = sampleOrder({
      currency: 'ZZZ',
      lines: [
        { sku: 'A', description: 'a', quantity: 1, unitPriceMinor: 100 },
        { sku: 'A', description: 'a', quantity: 1, unitPriceMinor: 100 },
      ],
    });
    const res = await stack.app.inject({ method: 'POST', url: '/v1/orders', headers: partner.auth, payload: order });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ errors: unknown[] }>().errors).toEqual([
      { pointer: '/currency', message: 'ZZZ is not an ISO 4217 currency code' },
      { pointer: '/lines/1/sku', message: 'A appears twice' },
    ]);
  });

  it('names the first field error with its pointer, and stops there (a hostile body cannot make it list thousands)', async () => {
    const order = sampleOrder({
      currency: 'euro',
      lines: [{ sku: '', description: 'x', quantity: 0, unitPriceMinor: -1 }],
    });
    const res = await stack.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: partner.auth,
      payload: { ...order, customer: { name: 'J' } },
    });
    expect(res.statusCode).toBe(400);
    const pointers = res.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer);
    expect(pointers.length).toBeGreaterThanOrEqual(1);
    expect(pointers.length).toBeLessThanOrEqual(20);
    expect(['/currency', '/customer/email', '/lines/0/sku', '/lines/0/quantity', '/lines/0/unitPriceMinor']).toContain(
      pointers[0],
    );
  });
});
