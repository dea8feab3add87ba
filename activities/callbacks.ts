/**
 * Callback activities: record the event partners are called back about, then fan it out to one delivery per
 * subscribed, enabled endpoint, each delivered by its own workflow (which outlives the submission). Endpoints are
 * served in parallel and independently: one that cannot be served now does not hold the others back.
 */
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { Config } from '../config';
import type { WebhookEventType } from '../contracts';
import { recordSubmissionEvent } from '../db/events';
import { newId } from '../db/ids';
import { insertDeliveryOnce } from '../db/webhook-deliveries';
import { listSubscribedEndpoints, type WebhookEndpointRow } from '../db/webhook-endpoints';
import { startFirstDeliveryRun } from '../services/webhooks/delivery-runs';
import { eventBody, eventNamesStatus, statusOfEvent } from '../domain/webhooks/event-body';

/** Event types partners can subscribe to. */
export type EventType = WebhookEventType;

/** Endpoints served at once by one emitEvent: the default per-partner cap, so usually all of them. */
export const FAN_OUT_CONCURRENCY = 10;

/** Thrown when some endpoints of an event could not be served; the activity's retry serves only those. */
export class FanOutIncompleteError extends Error {
  override name = 'FanOutIncompleteError';
  constructor(
    readonly eventId: string,
    readonly failed: { endpointId: string; error: unknown }[],
  ) {
    super(
      `event ${eventId}: ${failed.length} endpoint(s) not served yet (${failed.map((f) => f.endpointId).join(', ')}): ` +
        String(failed[0]?.error instanceof Error ? failed[0].error.message : failed[0]?.error),
      { cause: failed[0]?.error },
    );
  }
}

/** Runs `fn` over `items`, at most `limit` at a time, until every item settled; results keep the items' order. */
async function settleBounded<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await fn(items[i]!) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Dependencies of the callback activities. */
export interface CallbackActivityDeps {
  pool: pg.Pool;
  publicBaseUrl: string;
  /** Starts the delivery workflows. */
  temporal: Client;
  webhooks: Pick<Config['webhooks'], 'retryScheduleMs' | 'timeoutMs'>;
}

/** Builds the callback activities. */
export function createCallbackActivities({ pool, publicBaseUrl, temporal, webhooks }: CallbackActivityDeps) {
  return {
    /**
     * Records an event for a submission once and starts its deliveries. Safe to retry: the event, each delivery
     * and each workflow id are unique, so a retry finds what the first try made and starts only what is missing.
     */
    async emitEvent({
      partnerId,
      submissionId,
      eventType,
    }: {
      partnerId: string;
      submissionId: string;
      eventType: EventType;
    }) {
      // Billing events do not name a status: the statement stores the submission's current one.
      const { event, subscribed } = await recordSubmissionEvent(pool, {
        id: newId('evt'),
        partnerId,
        submissionId,
        type: eventType,
        status: eventNamesStatus(eventType) ? statusOfEvent(eventType, 'unknown') : null,
      });
      // A partner without a subscribed endpoint (most poll the status) costs one statement per event.
      if (!subscribed) return { eventId: event.id, deliveryIds: [] };
      const payload = JSON.stringify(
        eventBody({
          type: eventType,
          occurredAt: event.createdAt,
          submissionId,
          status: String(event.data.status),
          publicBaseUrl,
        }),
      );
      // Each endpoint on its own: insert its delivery once, start its workflow once. Both are idempotent (unique
      // event+endpoint, the delivery id as workflow id with REJECT_DUPLICATE), so when one endpoint fails the
      // activity's retry finds the others' rows and runs and only the missing work is actually done.
      const serve = async (endpoint: WebhookEndpointRow): Promise<string> => {
        const delivery = await insertDeliveryOnce(pool, {
          id: newId('msg'),
          partnerId,
          endpointId: endpoint.id,
          eventId: event.id,
          submissionId,
          eventType,
          payload,
        });
        await startFirstDeliveryRun(temporal, delivery, webhooks);
        return delivery.id;
      };
      const endpoints = await listSubscribedEndpoints(pool, partnerId, eventType);
      const settled = await settleBounded(endpoints, FAN_OUT_CONCURRENCY, serve);
      const failed = settled.flatMap((r, i) =>
        r.status === 'rejected' ? [{ endpointId: endpoints[i]!.id, error: r.reason }] : [],
      );
      if (failed.length > 0) throw new FanOutIncompleteError(event.id, failed);
      const deliveryIds = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      return { eventId: event.id, deliveryIds };
    },
  };
}

/** The callback activities' type, for workflows. */
export type CallbackActivities = ReturnType<typeof createCallbackActivities>;
