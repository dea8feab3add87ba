/** The `events` table: what happened to a partner's submissions, the source of webhook deliveries. */
import type { Queryable } from './pool';

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

/** A submission's events, oldest first. */
export async function listSubmissionEvents(db: Queryable, submissionId: string): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE submission_id = $1 ORDER BY created_at, id`,
    [submissionId],
  );
  return rows;
}
