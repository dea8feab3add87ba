/** Webhook delivery activities: one signed HTTP attempt, exhaustion, and the mail when an endpoint is disabled. */
import type pg from 'pg';
import type { Config } from '../config';
import type { WebhookAttemptResult } from '../contracts';
import { createGuardedHttpClient, type GuardedHttpClient } from '../adapters/http/guarded-client';
import type { Mailer } from '../adapters/email/mailer';
import { findPartner } from '../db/partners';
import { disableEndpoint, getEndpoint, recordEndpointOutcome } from '../db/webhook-endpoints';
import { getDelivery, recordAttempt, setDeliveryStatus } from '../db/webhook-deliveries';
import { openSecret } from '../adapters/webhooks/secret-box';
import { resolveWebhookSecretKey } from '../adapters/webhooks/secret-key';
import { signingSecrets } from '../adapters/webhooks/secrets';
import { signedHeaders } from '../adapters/webhooks/signing';
import { parseRetryAfter } from '../domain/webhooks/retry-after';
import { permanent } from './errors';

/** Dependencies of the delivery activities; `http` is built from the config unless given (tests inject DNS). */
export interface WebhookDeliveryDeps {
  pool: pg.Pool;
  mailer: Mailer;
  webhooks: Config['webhooks'];
  http?: GuardedHttpClient;
}

const USER_AGENT = 'PartnerWorkflows-Webhooks/1.0';
const ERROR_BODY_CHARS = 200;

/** What an HTTP answer (or its absence) means for the delivery. */
function classify(res: Awaited<ReturnType<GuardedHttpClient['post']>>): {
  statusCode: number | null;
  error: string | null;
  succeeded: boolean;
} {
  if (!res.ok) return { statusCode: null, error: `${res.kind}: ${res.error}`, succeeded: false };
  if (res.status >= 200 && res.status < 300) return { statusCode: res.status, error: null, succeeded: true };
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.location ? ` to ${res.headers.location}` : '';
    return {
      statusCode: res.status,
      error: `redirect ${res.status}${location} not followed; register the final URL`,
      succeeded: false,
    };
  }
  const snippet = res.body.slice(0, ERROR_BODY_CHARS).trim();
  return { statusCode: res.status, error: `HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`, succeeded: false };
}

/** Builds the delivery activities. */
export function createWebhookDeliveryActivities(deps: WebhookDeliveryDeps) {
  const { pool, mailer, webhooks } = deps;
  const secretKey = resolveWebhookSecretKey(webhooks);
  const http =
    deps.http ??
    createGuardedHttpClient({
      allowList: webhooks.allowList,
      timeoutMs: webhooks.timeoutMs,
      maxResponseBytes: webhooks.maxResponseBytes,
    });

  async function stop(deliveryId: string, endpointId: string, reason: string): Promise<WebhookAttemptResult> {
    const disabled = await disableEndpoint(pool, endpointId, reason);
    await setDeliveryStatus(pool, deliveryId, 'cancelled', ['pending'], `endpoint disabled: ${reason}`);
    return { outcome: 'stopped', endpointDisabled: disabled ? { endpointId, reason } : undefined };
  }

  return {
    /** One signed POST (signed now, so the timestamp is fresh), recorded with its status, latency and error. */
    async attemptWebhookDelivery({ deliveryId }: { deliveryId: string }): Promise<WebhookAttemptResult> {
      const delivery = await getDelivery(pool, deliveryId);
      if (!delivery) throw permanent('NotFound', `webhook delivery ${deliveryId} does not exist`);
      const endpoint = await getEndpoint(pool, delivery.endpointId);
      if (!endpoint || endpoint.deletedAt || !endpoint.enabled) {
        const why =
          endpoint?.deletedAt || !endpoint
            ? 'endpoint deleted'
            : `endpoint disabled (${endpoint.disabledReason ?? 'no reason'})`;
        await setDeliveryStatus(pool, deliveryId, 'cancelled', ['pending'], why);
        return { outcome: 'stopped' };
      }
      const startedAt = new Date();
      let secrets: string[];
      try {
        secrets = signingSecrets(endpoint, startedAt).map((s) => openSecret(s, secretKey, endpoint.id));
      } catch (err) {
        // A wrong key, or a secret sealed for another endpoint: never sign with it. Retried (the key can be fixed).
        throw new Error(
          `the signing secret of webhook endpoint ${endpoint.id} does not open with WEBHOOK_SECRET_KEY: ` +
            `${(err as Error).message}`,
          { cause: err },
        );
      }
      const headers = signedHeaders(delivery.id, startedAt, delivery.payload, secrets);
      const res = await http.post({
        url: endpoint.url,
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': USER_AGENT },
        body: delivery.payload,
      });
      const outcome = classify(res);
      await recordAttempt(pool, { deliveryId, startedAt, latencyMs: res.latencyMs, ...outcome });
      const failingSince = await recordEndpointOutcome(pool, endpoint.id, outcome.succeeded);
      if (outcome.succeeded) return { outcome: 'succeeded' };
      if (res.ok && res.status === 410) return stop(deliveryId, endpoint.id, 'the endpoint answered 410 Gone');
      if (failingSince && Date.now() - failingSince.getTime() > webhooks.disableAfterFailingMs) {
        return stop(deliveryId, endpoint.id, `every attempt failed since ${failingSince.toISOString()}`);
      }
      const retryAfterMs =
        res.ok && (res.status === 429 || res.status === 503)
          ? parseRetryAfter(res.headers['retry-after'], new Date())
          : undefined;
      return { outcome: 'failed', retryAfterMs };
    },

    /** Marks a delivery whose schedule ran out; it stays visible and can be redelivered. */
    async markDeliveryExhausted({ deliveryId }: { deliveryId: string }): Promise<void> {
      await setDeliveryStatus(pool, deliveryId, 'exhausted', ['pending']);
    },

    /** Tells the partner by email that an endpoint was disabled (a retried call reuses the Message-ID). */
    async notifyEndpointDisabled({
      endpointId,
      reason,
    }: {
      endpointId: string;
      reason: string;
    }): Promise<{ sent: boolean }> {
      const endpoint = await getEndpoint(pool, endpointId);
      if (!endpoint) throw permanent('NotFound', `webhook endpoint ${endpointId} does not exist`);
      const partner = await findPartner(pool, endpoint.partnerId);
      if (!partner?.contactEmail) return { sent: false };
      await mailer.send({
        to: partner.contactEmail,
        subject: `Webhook endpoint disabled: ${endpoint.url}`,
        text:
          `We stopped sending webhooks to ${endpoint.url} (endpoint ${endpoint.id}): ${reason}.\n\n` +
          `Fix the receiver, enable the endpoint again (PATCH /v1/webhook-endpoints/${endpoint.id} {"enabled": true}) ` +
          `and redeliver what was missed (POST /v1/webhook-endpoints/${endpoint.id}/redeliver-failed?since=...).\n`,
        messageId: `<webhook-endpoint-disabled-${endpoint.id}-${endpoint.disabledAt?.getTime() ?? 0}@partner-workflows.local>`,
      });
      return { sent: true };
    },
  };
}

/** The delivery activities' type, for workflows. */
export type WebhookDeliveryActivities = ReturnType<typeof createWebhookDeliveryActivities>;
