/**
 * Webhook endpoints end to end: registration rules, secret rotation, disabling (410 and failing too long, with the
 * partner's email over real SMTP), and the SSRF guard at send time with the allow-list off.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookDeliveryActivities } from '../../activities/webhook-delivery';
import { createGuardedHttpClient } from '../../adapters/http/guarded-client';
import { newPartner } from '../support/fixtures';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { eventually, startStack, type TestStack } from '../support/stack';
import {
  deliveryReaches,
  emit,
  finishAndRecord,
  getDelivery,
  newSubmission,
  registerEndpoint,
  registerEndpointOnPort,
  emitCompleted,
} from './helpers';
import { startReceiver, type Receiver } from './receiver';

describe('webhook endpoints', () => {
  let stack: TestStack;
  let smtp: TestSmtp;
  let stopWorkers: () => Promise<void>;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    smtp = await startSmtp();
    stack = await startStack({
      env: {
        WEBHOOK_ALLOW_LIST: '127.0.0.1',
        WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms',
        WEBHOOK_ROTATION_GRACE: '6s',
        WEBHOOK_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
        SMTP_URL: smtp.url,
      },
    });
    stopWorkers = await stack.startWorkers();
  });
  afterAll(async () => {
    for (const r of receivers) await r.close();
    await stopWorkers?.();
    await stack?.close();
    await smtp?.close();
  });
  async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  }
  /** Runs `fn` with the callback queue's delivery activities replaced, then restores the normal workers. */
  async function withDeliveryActivities(activities: object, fn: () => Promise<void>): Promise<void> {
    await stopWorkers();
    const stopOverride = await stack.startWorkers({ activityOverrides: { callbacks: activities } });
    try {
      await fn();
    } finally {
      await stopOverride();
      stopWorkers = await stack.startWorkers();
    }
  }

  it('registers, lists, reads, disables, enables and deletes endpoints, each partner only its own', async () => {
    const partner = await newPartner(stack.pool);
    const post = (payload: Record<string, unknown>) =>
      stack.app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: partner.auth, payload });
    expect((await post({ url: 'http://hooks.example.com/in' })).json()).toMatchObject({
      status: 422,
      detail: 'url must use https',
    });
    expect((await post({ url: 'ftp://hooks.example.com/in' })).statusCode).toBe(422);
    expect((await post({ url: 'https://169.254.169.254/latest' })).json()).toMatchObject({
      status: 422,
      detail: expect.stringMatching(/cloud metadata/),
    });
    expect((await post({ url: 'https://hooks.example.com/in', eventTypes: ['order.shipped'] })).statusCode).toBe(400);
    expect((await post({ url: 'https://hooks.example.com/in', secret: 'mine' })).statusCode).toBe(400);

    const created = await post({
      url: 'https://hooks.example.com/in',
      eventTypes: ['billing.charge_failed'],
      description: 'billing',
    });
    expect(created.statusCode).toBe(201);
    const endpoint = created.json<{ id: string; secret: string }>();
    expect(created.headers.location).toBe(`/v1/webhook-endpoints/${endpoint.id}`);
    const list = await stack.app.inject({ url: '/v1/webhook-endpoints', headers: partner.auth });
    expect(list.json()).toMatchObject({
      data: [{ id: endpoint.id, eventTypes: ['billing.charge_failed'], enabled: true }],
    });
    expect(list.body).not.toContain(endpoint.secret);
    const one = await stack.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers: partner.auth });
    expect(one.json()).not.toHaveProperty('secret');

    const other = await newPartner(stack.pool);
    expect(
      (await stack.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers: other.auth })).statusCode,
    ).toBe(404);
    expect(
      (await stack.app.inject({ method: 'DELETE', url: `/v1/webhook-endpoints/${endpoint.id}`, headers: other.auth }))
        .statusCode,
    ).toBe(404);

    // The filter and the enabled flag decide which events become deliveries.
    const submissionId = await newSubmission(stack, partner.partnerId);
    expect((await emit(stack, partner.partnerId, submissionId, 'submission.completed')).deliveryIds).toEqual([]);
    const patch = (enabled: boolean) =>
      stack.app.inject({
        method: 'PATCH',
        url: `/v1/webhook-endpoints/${endpoint.id}`,
        headers: partner.auth,
        payload: { enabled },
      });
    expect((await patch(false)).json()).toMatchObject({ enabled: false, disabledReason: 'disabled by the partner' });
    expect((await emit(stack, partner.partnerId, submissionId, 'billing.charge_failed')).deliveryIds).toEqual([]);
    expect((await patch(true)).json()).toMatchObject({ enabled: true, disabledReason: null });

    const del = await stack.app.inject({
      method: 'DELETE',
      url: `/v1/webhook-endpoints/${endpoint.id}`,
      headers: partner.auth,
    });
    expect(del.statusCode).toBe(204);
    expect(
      (await stack.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers: partner.auth })).statusCode,
    ).toBe(404);
  });

  it('signs with both secrets during the rotation grace period, and only with the new one after', async () => {
    const partner = await newPartner(stack.pool);
    const hook = await receiver();
    const endpoint = await registerEndpoint(stack, partner.auth, hook.url);
    const rotated = await stack.app.inject({
      method: 'POST',
      url: `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`,
      headers: partner.auth,
    });
    expect(rotated.statusCode).toBe(200);
    const { secret: newSecret, previousSecretValidUntil } = rotated.json<{
      secret: string;
      previousSecretValidUntil: string;
    }>();
    expect(newSecret).not.toBe(endpoint.secret);
    expect(previousSecretValidUntil).toBeTruthy();
    hook.secrets = { old: endpoint.secret, new: newSecret };
    // At rest both secrets are sealed with WEBHOOK_SECRET_KEY; the receiver still verifies (below).
    const stored = await stack.pool.query<{ secret: string; previous_secret: string }>(
      'SELECT secret, previous_secret FROM webhook_endpoints WHERE id = $1',
      [endpoint.id],
    );
    expect(stored.rows[0]!.secret).toMatch(/^enc2:/);
    expect(stored.rows[0]!.previous_secret).toMatch(/^enc2:/);

    const during = await emitCompleted(stack, partner.partnerId);
    await deliveryReaches(stack, partner.auth, during.deliveryIds[0]!, 'succeeded');
    expect(hook.received[0]!.verifiedBy.sort()).toEqual(['new', 'old']);
    expect(hook.received[0]!.headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);

    // Wait until the API says the grace period is over, then the old secret no longer verifies.
    await eventually(async () => {
      const res = await stack.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers: partner.auth });
      return res.json<{ previousSecretValidUntil: string | null }>().previousSecretValidUntil === null;
    });
    const after = await emitCompleted(stack, partner.partnerId);
    await deliveryReaches(stack, partner.auth, after.deliveryIds[0]!, 'succeeded');
    expect(hook.received[1]!.verifiedBy).toEqual(['new']);
    expect(hook.received[1]!.headers['webhook-signature']).toMatch(/^v1,\S+$/);
  });

  it('disables an endpoint that answers 410, stops delivering to it and tells the partner', async () => {
    const partner = await newPartner(stack.pool, { contactEmail: 'ops-410@partner.test' });
    const hook = await receiver({}, () => ({ status: 410 }));
    const endpoint = await registerEndpoint(stack, partner.auth, hook.url);
    const { deliveryIds } = await emitCompleted(stack, partner.partnerId);
    const done = await deliveryReaches(stack, partner.auth, deliveryIds[0]!, 'cancelled');
    await finishAndRecord(stack, deliveryIds[0]!, 'webhook-delivery-gone');
    expect(done.attempts.map((a) => a.statusCode)).toEqual([410]);
    const read = await stack.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers: partner.auth });
    expect(read.json()).toMatchObject({ enabled: false, disabledReason: 'the endpoint answered 410 Gone' });
    const mail = await smtp.waitFor((m) => m.to !== undefined && JSON.stringify(m.to).includes('ops-410@partner.test'));
    expect(mail.subject).toBe(`Webhook endpoint disabled: ${hook.url}`);
    expect(mail.text).toContain('410 Gone');
    expect((await emitCompleted(stack, partner.partnerId)).deliveryIds).toEqual([]);
    expect(hook.received).toHaveLength(1);
  });

  it('disables an endpoint failing for longer than the configured time and emails the partner once', async () => {
    const partner = await newPartner(stack.pool, { contactEmail: 'ops-failing@partner.test' });
    const hook = await receiver({}, () => ({ status: 500 }));
    const endpoint = await registerEndpoint(stack, partner.auth, hook.url);
    const webhooks = { ...stack.config.webhooks, disableAfterFailingMs: 300 };
    let mail: Awaited<ReturnType<typeof smtp.waitFor>> | undefined;
    await withDeliveryActivities(
      createWebhookDeliveryActivities({ pool: stack.pool, mailer: stack.deps.mailer, webhooks }),
      async () => {
        const { deliveryIds } = await emitCompleted(stack, partner.partnerId);
        const done = await deliveryReaches(stack, partner.auth, deliveryIds[0]!, 'cancelled');
        // Stopped before the schedule's six attempts ran out, once failing outlasted 300 ms.
        expect(done.attempts.length).toBeLessThan(6);
        expect(done.lastError).toMatch(/^endpoint disabled: every attempt failed since /);
        // The mail is the delivery workflow's next activity: waited for before these workers are swapped back, so
        // its task cannot be caught by a worker that is shutting down.
        mail = await smtp.waitFor((m) => JSON.stringify(m.to).includes('ops-failing@partner.test'));
      },
    );
    const read = await stack.app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}`, headers: partner.auth });
    expect(read.json()).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/^every attempt failed since /),
    });
    expect(mail?.text).toContain(`PATCH /v1/webhook-endpoints/${endpoint.id}`);
    expect(smtp.mails.filter((m) => JSON.stringify(m.to).includes('ops-failing@partner.test'))).toHaveLength(1);
  });

  it('refuses at send time a name that resolves to loopback when the allow-list is off; nothing reaches the listener', async () => {
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as AddressInfo).port;
    const partner = await newPartner(stack.pool);
    // https and a name: registration accepts it (here on the listener's port, as an endpoint stored before ports were
    // checked at registration); only the dialled address can tell.
    await registerEndpointOnPort(stack, partner.auth, `https://localhost:${port}/hooks`);
    const webhooks = { ...stack.config.webhooks, allowList: [] };
    await withDeliveryActivities(
      createWebhookDeliveryActivities({ pool: stack.pool, mailer: stack.deps.mailer, webhooks }),
      async () => {
        const { deliveryIds } = await emitCompleted(stack, partner.partnerId, []);
        const done = await deliveryReaches(stack, partner.auth, deliveryIds[0]!, 'exhausted');
        expect(done.attempts[0]!.error).toMatch(
          // The partner is not told what an internal name resolves to.
          /^refused: localhost resolves to an address webhooks may not dial$/,
        );
      },
    );
    expect(connections).toBe(0);
    await new Promise((r) => listener.close(r));
  });

  it('refuses a name that resolves to the metadata address (DNS injected into the client)', async () => {
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as AddressInfo).port;
    const partner = await newPartner(stack.pool);
    await registerEndpointOnPort(stack, partner.auth, `https://metadata.partner.test:${port}/`);
    const http = createGuardedHttpClient({
      allowList: [],
      timeoutMs: 1000,
      maxResponseBytes: 1024,
      resolve: async () => [{ address: '169.254.169.254', family: 4 }],
    });
    const activities = createWebhookDeliveryActivities({
      pool: stack.pool,
      mailer: stack.deps.mailer,
      webhooks: stack.config.webhooks,
      http,
    });
    // Recorded without a workflow: the endpoint's delivery is made by the real emitEvent, the attempt by the activity.
    await stopWorkers();
    try {
      const { deliveryIds } = await emitCompleted(stack, partner.partnerId, []);
      const result = await activities.attemptWebhookDelivery({ deliveryId: deliveryIds[0]! });
      expect(result).toEqual({ outcome: 'failed', retryAfterMs: undefined });
      const delivery = await getDelivery(stack, partner.auth, deliveryIds[0]!);
      expect(delivery.attempts[0]!.error).toBe(
        'refused: metadata.partner.test resolves to an address webhooks may not dial',
      );
      await stack.env.client.workflow.getHandle(`webhook-delivery-${deliveryIds[0]}`).terminate('test over');
    } finally {
      stopWorkers = await stack.startWorkers();
    }
    expect(connections).toBe(0);
    await new Promise((r) => listener.close(r));
  });
});
