/**
 * Webhook delivery end to end: real Temporal dev server, workers, PostgreSQL and HTTP receivers on 127.0.0.1
 * (allow-listed), every request checked with the official Standard Webhooks verifier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPartner, sampleOrder } from '../support/fixtures';
import { eventually, postOrder, startStack, type TestStack } from '../support/stack';
import {
  deliveryReaches,
  emit,
  finishAndRecord,
  getDelivery,
  newSubmission,
  registerEndpoint,
  emitCompleted,
} from './helpers';
import { startReceiver, type Receiver } from './receiver';

describe('webhook delivery', () => {
  let stack: TestStack;
  let stopWorkers: () => Promise<void>;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    stack = await startStack({
      env: { WEBHOOK_ALLOW_LIST: '127.0.0.1', WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,200ms', WEBHOOK_TIMEOUT: '1s' },
    });
    stopWorkers = await stack.startWorkers();
  });
  afterAll(async () => {
    for (const r of receivers) await r.close();
    await stopWorkers?.();
    await stack?.close();
  });
  async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  }

  it('calls back a completed order with a signed, thin, versioned body, shown in the submission status', async () => {
    const partner = await newPartner(stack.pool);
    const hook = await receiver();
    const endpoint = await registerEndpoint(stack, partner.auth, hook.url, ['submission.completed']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(endpoint.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    hook.secrets = { current: endpoint.secret };

    const id = await postOrder(stack.app, partner.auth, sampleOrder());
    await eventually(async () => hook.received.length === 1);
    const [msg] = hook.received;
    expect(msg!.verifiedBy).toEqual(['current']);
    expect(JSON.parse(msg!.body)).toEqual({
      type: 'submission.completed',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      data: {
        submissionId: id,
        status: 'completed',
        links: { status: `${stack.config.api.publicBaseUrl}/v1/submissions/${id}` },
      },
      version: '2026-11-01',
    });

    const list = await eventually(async () => {
      const res = await stack.app.inject({ url: `/v1/webhook-deliveries?submissionId=${id}`, headers: partner.auth });
      const body = res.json<{ data: { id: string; status: string }[] }>();
      return body.data[0]?.status === 'succeeded' ? body.data : undefined;
    });
    expect(list).toHaveLength(1);
    expect(list[0]!.id).toBe(msg!.headers['webhook-id']);
    const delivery = await getDelivery(stack, partner.auth, list[0]!.id);
    expect(delivery.attempts).toMatchObject([{ attempt: 1, statusCode: 204, error: null, succeeded: true }]);

    const status = await stack.app.inject({ url: `/v1/submissions/${id}`, headers: partner.auth });
    expect(status.json()).toMatchObject({
      status: 'completed',
      deliveries: [{ id: list[0]!.id, eventType: 'submission.completed', status: 'succeeded', attemptCount: 1 }],
    });

    // Another partner sees none of it.
    const other = await newPartner(stack.pool);
    expect(
      (await stack.app.inject({ url: `/v1/webhook-deliveries/${list[0]!.id}`, headers: other.auth })).statusCode,
    ).toBe(404);
  });

  it('keeps retrying a receiver that is down, then delivers once it recovers: same webhook-id, fresh timestamps', async () => {
    const partner = await newPartner(stack.pool);
    // Cut the connection, then a 500, then accept.
    const hook = await receiver({}, (n) => (n === 0 ? 'drop' : n === 1 ? { status: 500 } : { status: 200 }));
    const endpoint = await registerEndpoint(stack, partner.auth, hook.url);
    hook.secrets = { current: endpoint.secret };
    const submissionId = await newSubmission(stack, partner.partnerId);
    // Over a second apart, so the second-resolution webhook-timestamp must differ.
    const { deliveryIds } = await emit(
      stack,
      partner.partnerId,
      submissionId,
      'billing.charge_succeeded',
      [1100, 1100, 1100],
    );

    const done = await deliveryReaches(stack, partner.auth, deliveryIds[0]!, 'succeeded');
    await finishAndRecord(stack, deliveryIds[0]!, 'webhook-delivery-recovered');
    expect(hook.received).toHaveLength(3);
    expect(hook.received.every((r) => r.verifiedBy.includes('current'))).toBe(true);
    expect(new Set(hook.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([deliveryIds[0]]));
    const stamps = hook.received.map((r) => Number(r.headers['webhook-timestamp']));
    expect(new Set(stamps).size).toBe(3);
    expect(stamps).toEqual([...stamps].sort());
    expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
    expect(done.attempts.map((a) => [a.statusCode, a.succeeded])).toEqual([
      [null, false],
      [500, false],
      [200, true],
    ]);
    expect(done.attempts[0]!.error).toMatch(/^network: /);
    // Operators find the run by partner in the Temporal UI.
    const run = await stack.env.client.workflow.getHandle(`webhook-delivery-${deliveryIds[0]}`).describe();
    expect(run.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toEqual(
      expect.arrayContaining([
        ['PartnerId', partner.partnerId],
        ['SubmissionType', 'webhook-delivery'],
      ]),
    );
    expect(done.attempts[1]!.error).toBe('HTTP 500: receiver says hello');
  });

  it('retrying emitEvent starts no second delivery', async () => {
    const partner = await newPartner(stack.pool);
    const hook = await receiver();
    await registerEndpoint(stack, partner.auth, hook.url);
    const submissionId = await newSubmission(stack, partner.partnerId);
    const first = await emit(stack, partner.partnerId, submissionId, 'submission.failed');
    const again = await emit(stack, partner.partnerId, submissionId, 'submission.failed');
    expect(again).toEqual(first);
    await deliveryReaches(stack, partner.auth, first.deliveryIds[0]!, 'succeeded');
    const late = await emit(stack, partner.partnerId, submissionId, 'submission.failed');
    expect(late).toEqual(first);
    // The status document saw one delivery, and the receiver one request.
    expect((await getDelivery(stack, partner.auth, first.deliveryIds[0]!)).attemptCount).toBe(1);
    expect(hook.received).toHaveLength(1);
  });

  it('ends exhausted against a receiver that always fails, and redelivers (one, then everything since T) once it recovers', async () => {
    const partner = await newPartner(stack.pool);
    let healthy = false;
    const hook = await receiver({}, () => ({ status: healthy ? 200 : 500 }));
    const endpoint = await registerEndpoint(stack, partner.auth, hook.url);
    hook.secrets = { current: endpoint.secret };
    const since = new Date(Date.now() - 1000).toISOString();
    const a = await emitCompleted(stack, partner.partnerId);
    const b = await emitCompleted(stack, partner.partnerId);
    const exhausted = await deliveryReaches(stack, partner.auth, a.deliveryIds[0]!, 'exhausted');
    await finishAndRecord(stack, a.deliveryIds[0]!, 'webhook-delivery-exhausted');
    await deliveryReaches(stack, partner.auth, b.deliveryIds[0]!, 'exhausted');
    // Immediately, then the three configured delays.
    expect(exhausted.attempts.map((x) => x.statusCode)).toEqual([500, 500, 500, 500]);
    const listed = await stack.app.inject({
      url: `/v1/webhook-deliveries?endpointId=${endpoint.id}&status=exhausted`,
      headers: partner.auth,
    });
    expect(listed.json<{ data: unknown[] }>().data).toHaveLength(2);

    healthy = true;
    const one = await stack.app.inject({
      method: 'POST',
      url: `/v1/webhook-deliveries/${a.deliveryIds[0]}/redeliver`,
      headers: partner.auth,
    });
    expect(one.statusCode).toBe(202);
    const redelivered = await deliveryReaches(stack, partner.auth, a.deliveryIds[0]!, 'succeeded');
    expect(redelivered.attempts.map((x) => x.statusCode)).toEqual([500, 500, 500, 500, 200]);
    const lastA = hook.received.at(-1)!;
    expect(lastA.headers['webhook-id']).toBe(a.deliveryIds[0]);

    const bulk = await stack.app.inject({
      method: 'POST',
      url: `/v1/webhook-endpoints/${endpoint.id}/redeliver-failed?since=${encodeURIComponent(since)}`,
      headers: partner.auth,
    });
    expect(bulk.statusCode).toBe(202);
    expect(bulk.json()).toEqual({ redelivered: [b.deliveryIds[0]], skipped: [], more: false });
    await deliveryReaches(stack, partner.auth, b.deliveryIds[0]!, 'succeeded');
    // Every message on the wire, retries and redeliveries alike, verifies with the endpoint's secret.
    expect(hook.received).toHaveLength(10);
    expect(hook.received.every((r) => r.verifiedBy.includes('current'))).toBe(true);
    const unknown = await stack.app.inject({
      method: 'POST',
      url: '/v1/webhook-deliveries/msg_00000000000000000000000000/redeliver',
      headers: partner.auth,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('honours Retry-After on 429: the next attempt waits at least the given seconds', async () => {
    const partner = await newPartner(stack.pool);
    const hook = await receiver({}, (n) =>
      n === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 },
    );
    await registerEndpoint(stack, partner.auth, hook.url);
    const { deliveryIds } = await emitCompleted(stack, partner.partnerId);
    const done = await deliveryReaches(stack, partner.auth, deliveryIds[0]!, 'succeeded');
    await finishAndRecord(stack, deliveryIds[0]!, 'webhook-delivery-retry-after');
    expect(done.attempts.map((x) => x.statusCode)).toEqual([429, 200]);
    const [first, second] = done.attempts;
    // The configured delay is 200 ms; the receiver asked for 2 s, measured between the recorded attempt starts.
    expect(Date.parse(second!.startedAt) - Date.parse(first!.startedAt)).toBeGreaterThanOrEqual(2000);
  });

  it('times a slow receiver out at the configured timeout', async () => {
    const partner = await newPartner(stack.pool);
    const hook = await receiver({}, () => 'hang');
    await registerEndpoint(stack, partner.auth, hook.url);
    const { deliveryIds } = await emitCompleted(stack, partner.partnerId, []);
    // While the attempt hangs, the delivery is pending and cannot be redelivered on top of itself.
    const busy = await stack.app.inject({
      method: 'POST',
      url: `/v1/webhook-deliveries/${deliveryIds[0]}/redeliver`,
      headers: partner.auth,
    });
    expect(busy.statusCode).toBe(409);
    const done = await deliveryReaches(stack, partner.auth, deliveryIds[0]!, 'exhausted');
    expect(done.attempts).toHaveLength(1);
    expect(done.attempts[0]).toMatchObject({
      statusCode: null,
      succeeded: false,
      error: 'timeout: no complete answer within 1000 ms',
    });
    // The wall clock it is measured by and the timer that ends it may differ by a millisecond (999 was seen).
    expect(done.attempts[0]!.latencyMs).toBeGreaterThanOrEqual(990);
    expect(hook.received).toHaveLength(1);
  });

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    const partner = await newPartner(stack.pool);
    const target = await receiver();
    const hook = await receiver({}, () => ({ status: 307, headers: { location: target.url } }));
    await registerEndpoint(stack, partner.auth, hook.url);
    const { deliveryIds } = await emitCompleted(stack, partner.partnerId, []);
    const done = await deliveryReaches(stack, partner.auth, deliveryIds[0]!, 'exhausted');
    expect(done.attempts[0]).toMatchObject({
      statusCode: 307,
      succeeded: false,
      error: expect.stringMatching(/^redirect 307 to .* not followed/),
    });
    expect(target.received).toHaveLength(0);
  });
});
