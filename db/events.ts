/** The `events` table: what happened to a partner's submissions, the source of webhook deliveries. */
import type { Queryable } from './pool';
import { subscribedTo } from './webhook-endpoints';

/** A stored event. */
export interface EventRow {
  id: string;
  partnerId: string;
  submissionId: string | null;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

const COLUMNS = `id, partner_id AS "partnerId", submission_id AS "submissionId", type, data, created_at AS "createdAt"`;

/** Inserts an event once per submission and type; returns the stored event either way. */
export async function insertEventOnce(
  db: Queryable,
  e: { id: string; partnerId: string; submissionId: string | null; type: string; data: Record<string, unknown> },
): Promise<EventRow> {
  const inserted = await db.query<EventRow>(
    `INSERT INTO events (id, partner_id, submission_id, type, data) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (submission_id, type) DO NOTHING RETURNING ${COLUMNS}`,
    [e.id, e.partnerId, e.submissionId, e.type, JSON.stringify(e.data)],
  );
  if (inserted.rows[0]) return inserted.rows[0];
  const { rows } = await db.query<EventRow>(`SELECT ${COLUMNS} FROM events WHERE submission_id = $1 AND type = $2`, [
    e.submissionId,
    e.type,
  ]);
  return rows[0]!;
}

/** A submission's event as recorded, and whether any endpoint of the partner takes its type. */
export interface RecordedEvent {
  event: EventRow;
  subscribed: boolean;
}

/**
 * Records a submission's event once per type, in one statement where three round trips were: the event (its data the
 * submission id and `status`, or the submission's current status when `status` is null), the stored one when a
 * retry finds it, and whether any enabled endpoint of the partner is subscribed to its type.
 */
export async function recordSubmissionEvent(
  db: Queryable,
  e: { id: string; partnerId: string; submissionId: string; type: string; status: string | null },
): Promise<RecordedEvent> {
  const { rows } = await db.query<EventRow & { subscribed: boolean }>(
    `WITH inserted AS (
       INSERT INTO events (id, partner_id, submission_id, type, data)
       VALUES ($1, $2, $3, $4, jsonb_build_object(
         'submissionId', $3::text,
         'status', COALESCE($5::text, (SELECT status FROM submissions WHERE id = $3), 'unknown')))
       ON CONFLICT (submission_id, type) DO NOTHING
       RETURNING ${COLUMNS}
     ), event AS (
       SELECT * FROM inserted
       UNION ALL
       SELECT ${COLUMNS} FROM events WHERE submission_id = $3 AND type = $4 AND NOT EXISTS (SELECT 1 FROM inserted)
     )
     SELECT event.*, EXISTS (SELECT 1 FROM webhook_endpoints WHERE ${subscribedTo('$2', '$4')}) AS subscribed
     FROM event`,
    [e.id, e.partnerId, e.submissionId, e.type, e.status],
  );
  const row = rows[0];
  // None: a twin (a retry running beside its first attempt) committed the row after this statement's snapshot was
  // taken, so neither branch saw it. The next statement does.
  if (!row) return recordSubmissionEvent(db, e);
  const { subscribed, ...event } = row;
  return { event, subscribed };
}

/** A submission's events, oldest first. */
export async function listSubmissionEvents(db: Queryable, submissionId: string): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE submission_id = $1 ORDER BY created_at, id`,
    [submissionId],
  );
  return rows;
}
