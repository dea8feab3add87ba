/**
 * Delivers one event to one endpoint on its own schedule, independent of the submission that raised it.
 * Each HTTP try is a single-attempt activity, so every try is recorded and the workflow owns the schedule:
 * immediately, then the configured delays (stretched by Retry-After), sleeping on durable timers in between.
 */
import { log, sleep } from '@temporalio/workflow';
import type { WebhookAttemptResult, WebhookDeliveryInput, WebhookDeliveryResult } from '../contracts';
import {
  webhookAttemptActivity,
  webhookBookkeepingActivity as bookkeeping,
  webhookMailActivity as mail,
} from './activity-options';

/** Delivers one webhook until a 2xx, a stop (410, endpoint disabled or deleted) or the end of the schedule. */
export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<WebhookDeliveryResult> {
  const { deliveryId } = input;
  const http = webhookAttemptActivity(input.timeoutMs);
  const delays = [0, ...input.retryScheduleMs];
  let retryAfterMs = 0;
  let attempts = 0;
  for (const delay of delays) {
    const wait = Math.max(delay, retryAfterMs);
    if (wait > 0) await sleep(wait);
    attempts++;
    let result: WebhookAttemptResult;
    try {
      result = await http.attemptWebhookDelivery({ deliveryId });
    } catch (err) {
      // Our side failed (database, worker lost): counts as a failed try; the schedule goes on.
      log.warn('webhook attempt failed before an answer was recorded', { deliveryId, error: String(err) });
      result = { outcome: 'failed' };
    }
    if (result.endpointDisabled) {
      await mail.notifyEndpointDisabled(result.endpointDisabled).catch((err: unknown) => {
        // The endpoint shows as disabled, with its reason, in the API; the mail is a courtesy on top.
        log.error('could not email the partner about a disabled webhook endpoint', { deliveryId, error: String(err) });
      });
    }
    if (result.outcome === 'succeeded') return { deliveryId, status: 'succeeded', attempts };
    if (result.outcome === 'stopped') return { deliveryId, status: 'cancelled', attempts };
    retryAfterMs = result.retryAfterMs ?? 0;
  }
  await bookkeeping.markDeliveryExhausted({ deliveryId });
  return { deliveryId, status: 'exhausted', attempts };
}
