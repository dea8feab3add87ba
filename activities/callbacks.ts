/**
 * Callback activities: record the event partners are called back about, then fan it out to one delivery per
 * subscribed, enabled endpoint, each delivered by its own workflow (which outlives the submission).
 */
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { Config } from '../config';
import type { WebhookEventType } from '../contracts';
import { insertEventOnce } from '../db/events';
import { newId } from '../db/ids';
import { getSubmission } from '../db/submissions';
import { insertDeliveryOnce } from '../db/webhook-deliveries';
import { listSubscribedEndpoints } from '../db/webhook-endpoints';
import { startFirstDeliveryRun } from '../services/webhooks/delivery-runs';
import { eventBody, statusOfEvent } from '../domain/webhooks/event-body';

/** Event types partners can subscribe to. */
export type EventType = WebhookEventType;

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
      const submission = await getSubmission(pool, submissionId);
      const event = await insertEventOnce(pool, {
        id: newId('evt'),
        partnerId,
        submissionId,
        type: eventType,
        data: { submissionId, status: statusOfEvent(eventType, submission?.status ?? 'unknown') },
      });
      const payload = JSON.stringify(
        eventBody({
          type: eventType,
          occurredAt: event.createdAt,
          submissionId,
          status: String(event.data.status ?? statusOfEvent(eventType, submission?.status ?? 'unknown')),
          publicBaseUrl,
        }),
      );
      const endpoints = await listSubscribedEndpoints(pool, partnerId, eventType);
      const deliveryIds: string[] = [];
      for (const endpoint of endpoints) {
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
        deliveryIds.push(delivery.id);
      }
      return { eventId: event.id, deliveryIds };
    },
  };
}

/** The callback activities' type, for workflows. */
export type CallbackActivities = ReturnType<typeof createCallbackActivities>;
