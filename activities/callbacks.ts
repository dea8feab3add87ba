/** Callback activities: record the events partners are called back about. */
import type pg from 'pg';
import { insertEventOnce } from '../db/events';
import { newId } from '../db/ids';

/** Event types partners can subscribe to. */
export type EventType =
  | 'submission.completed'
  | 'submission.failed'
  | 'submission.cancelled'
  | 'submission.awaiting_approval'
  | 'billing.charge_succeeded'
  | 'billing.charge_failed';

/** Dependencies of the callback activities. */
export interface CallbackActivityDeps {
  pool: pg.Pool;
  publicBaseUrl: string;
}

/** Builds the callback activities. */
export function createCallbackActivities({ pool, publicBaseUrl }: CallbackActivityDeps) {
  return {
    /** Records an event for a submission once (a retried activity finds the first). */
    async emitEvent({ partnerId, submissionId, eventType }: { partnerId: string; submissionId: string; eventType: EventType }) {
      const event = await insertEventOnce(pool, {
        id: newId('evt'),
        partnerId,
        submissionId,
        type: eventType,
        data: { submissionId, status: `${publicBaseUrl}/v1/submissions/${submissionId}` },
      });
      return { eventId: event.id };
    },
  };
}

/** The callback activities' type, for workflows. */
export type CallbackActivities = ReturnType<typeof createCallbackActivities>;
