/**
 * The attempt activity on the run's PostgreSQL with a fake HTTP client and mailer: how each kind of answer is
 * classified and recorded, without a network or Temporal.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createWebhookDeliveryActivities } from '../../activities/webhook-delivery';
import type { GuardedHttpClient, GuardedRequest } from '../../adapters/http/guarded-client';
import type { Email, Mailer } from '../../adapters/email/mailer';
import { insertEventOnce } from '../../db/events';
import { newId } from '../../db/ids';
import { createPool } from '../../db/pool';
import { insertSubmission } from '../../db/submissions';
import { getDelivery, insertDeliveryOnce, listAttempts } from '../../db/webhook-deliveries';
import { getEndpoint, insertEndpoint } from '../../db/webhook-endpoints';
import { generateSecret } from '../../adapters/webhooks/secrets';
import { testConfig } from '../support/config';
import { newPartner } from '../support/fixtures';

type Answer = Awaited<ReturnType<GuardedHttpClient['post']>>;

describe('attemptWebhookDelivery', () => {
  let pool: pg.Pool;
  const config = testConfig();
  beforeAll(() => {
    pool = createPool(config.databaseUrl, 2);
  });
  afterAll(async () => pool?.end());

  /** A delivery to a fresh endpoint, and activities whose HTTP client answers `answer` and remembers requests. */
  async function setup(answer: Answer) {
    const partner = await newPartner(pool, { contactEmail: 'ops@partner.test' });
    const submissionId = newId('sub');
    await insertSubmission(pool, {
      id: submissionId,
      partnerId: partner.partnerId,
      type: 'order',
      workflowId: `order-${submissionId}`,
      payload: {},
    });
    const event = await insertEventOnce(pool, {
      id: newId('evt'),
      partnerId: partner.partnerId,
      submissionId,
      type: 'submission.completed',
      data: {},
    });
    const secret = generateSecret();
    const endpoint = await insertEndpoint(pool, {
      id: newId('whe'),
      partnerId: partner.partnerId,
      url: 'https://hooks.example.com/in',
      eventTypes: [],
      secret,
    });
    const delivery = await insertDeliveryOnce(pool, {
      id: newId('msg'),
      partnerId: partner.partnerId,
      endpointId: endpoint.id,
      eventId: event.id,
      submissionId,
      eventType: 'submission.completed',
      payload: '{"type":"submission.completed"}',
    });
    const requests: GuardedRequest[] = [];
    const http = { post: async (r: GuardedRequest) => (requests.push(r), answer) } as GuardedHttpClient;
    const mails: Email[] = [];
    const mailer: Mailer = {
      send: async (m) => (mails.push(m), { messageId: m.messageId ?? 'x' }),
      close: () => undefined,
    };
    const activities = createWebhookDeliveryActivities({ pool, mailer, webhooks: config.webhooks, http });
    return { activities, delivery, endpoint, secret, requests, mails };
  }
  const answer = (status: number, headers: Record<string, string> = {}): Answer => ({
    ok: true,
    status,
    headers,
    body: '',
    latencyMs: 12,
  });

  it('sends a verifiable Standard Webhooks message and records a 2xx as delivered', async () => {
    const { activities, delivery, secret, requests } = await setup(answer(202));
    expect(await activities.attemptWebhookDelivery({ deliveryId: delivery.id })).toEqual({ outcome: 'succeeded' });
    const [sent] = requests;
    expect(sent!.url).toBe('https://hooks.example.com/in');
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(new Webhook(secret).verify(sent!.body, sent!.headers)).toEqual({ type: 'submission.completed' });
    expect(await getDelivery(pool, delivery.id)).toMatchObject({
      status: 'succeeded',
      attemptCount: 1,
      lastStatusCode: 202,
    });
    expect(await listAttempts(pool, delivery.id)).toMatchObject([
      { attempt: 1, statusCode: 202, latencyMs: 12, succeeded: true },
    ]);
  });

  it('honours Retry-After as an HTTP date on 503, and ignores it on other failures', async () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const unavailable = await setup(answer(503, { 'retry-after': inTenSeconds }));
    const result = await unavailable.activities.attemptWebhookDelivery({ deliveryId: unavailable.delivery.id });
    expect(result.outcome).toBe('failed');
    expect(result.retryAfterMs).toBeGreaterThan(5_000);
    expect(result.retryAfterMs).toBeLessThanOrEqual(10_000);
    const failing = await setup(answer(500, { 'retry-after': '60' }));
    expect(await failing.activities.attemptWebhookDelivery({ deliveryId: failing.delivery.id })).toEqual({
      outcome: 'failed',
      retryAfterMs: undefined,
    });
  });

  it('stops on 410, disabling the endpoint once, and mails the partner with a stable Message-ID', async () => {
    const { activities, delivery, endpoint, mails } = await setup(answer(410));
    const result = await activities.attemptWebhookDelivery({ deliveryId: delivery.id });
    expect(result).toEqual({
      outcome: 'stopped',
      endpointDisabled: { endpointId: endpoint.id, reason: 'the endpoint answered 410 Gone' },
    });
    expect(await getEndpoint(pool, endpoint.id)).toMatchObject({
      enabled: false,
      disabledReason: 'the endpoint answered 410 Gone',
    });
    expect(await getDelivery(pool, delivery.id)).toMatchObject({ status: 'cancelled' });
    // A next attempt finds the endpoint disabled and stops without a request or a second disable.
    expect(await activities.attemptWebhookDelivery({ deliveryId: delivery.id })).toEqual({ outcome: 'stopped' });
    await activities.notifyEndpointDisabled(result.endpointDisabled!);
    await activities.notifyEndpointDisabled(result.endpointDisabled!);
    expect(mails.map((m) => m.to)).toEqual(['ops@partner.test', 'ops@partner.test']);
    expect(mails[0]!.messageId).toBe(mails[1]!.messageId);
  });

  it('records a failure without an answer with its kind, and a redirect as a failure', async () => {
    const refused = await setup({
      ok: false,
      kind: 'refused',
      error: 'x resolves to 10.0.0.1 (private), which webhooks may not dial',
      latencyMs: 1,
    });
    await refused.activities.attemptWebhookDelivery({ deliveryId: refused.delivery.id });
    expect(await listAttempts(pool, refused.delivery.id)).toMatchObject([
      {
        statusCode: null,
        error: 'refused: x resolves to 10.0.0.1 (private), which webhooks may not dial',
        succeeded: false,
      },
    ]);
    const moved = await setup(answer(301, { location: 'https://elsewhere.example.com/' }));
    expect((await moved.activities.attemptWebhookDelivery({ deliveryId: moved.delivery.id })).outcome).toBe('failed');
    expect((await getDelivery(pool, moved.delivery.id))!.lastError).toBe(
      'redirect 301 to https://elsewhere.example.com/ not followed; register the final URL',
    );
  });
});
