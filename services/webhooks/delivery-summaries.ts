/** The webhook deliveries of one submission, as its status document lists them. */
import type { DeliverySummary } from '../../contracts';
import type { Queryable } from '../../db/pool';
import { listDeliveries } from '../../db/webhook-deliveries';

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
