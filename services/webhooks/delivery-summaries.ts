/** The webhook deliveries of one submission, as its status document lists them. */
import type { Queryable } from '../../db/pool';
import { listDeliveries } from '../../db/webhook-deliveries';

/** One delivery in a status document; details at `/v1/webhook-deliveries/{id}`. */
export interface DeliverySummary {
  id: string;
  eventType: string;
  status: string;
  attemptCount: number;
  lastStatusCode: number | null;
  lastError: string | null;
}

/** Deliveries of a submission's events, newest first (they go on after the submission is final). */
export async function deliverySummaries(
  db: Queryable,
  partnerId: string,
  submissionId: string,
): Promise<DeliverySummary[]> {
  const rows = await listDeliveries(db, { partnerId, submissionId, limit: 50 });
  return rows.map(({ id, eventType, status, attemptCount, lastStatusCode, lastError }) => ({
    id,
    eventType,
    status,
    attemptCount,
    lastStatusCode,
    lastError,
  }));
}
