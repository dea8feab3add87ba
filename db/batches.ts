/** The `batches` table: one row per NDJSON batch; its accepted lines are the submissions carrying its id. */
import type { SubmissionStatus } from '../contracts';
import type { Queryable } from './pool';

/** A rejected batch line and why. */
export interface RejectedLine {
  line: number;
  errors: { pointer: string; message: string }[];
  errorsOmitted?: number;
  submissionId?: string;
}

/** A batch as stored. */
export interface BatchRow {
  id: string;
  partnerId: string;
  lineCount: number;
  acceptedCount: number;
  rejectedCount: number;
  rejected: RejectedLine[];
  createdAt: Date;
}

/** Inserts a batch with its final counts. */
export async function insertBatch(db: Queryable, b: Omit<BatchRow, 'createdAt'>): Promise<void> {
  await db.query(
    `INSERT INTO batches (id, partner_id, line_count, accepted_count, rejected_count, rejected) VALUES ($1, $2, $3, $4, $5, $6)`,
    [b.id, b.partnerId, b.lineCount, b.acceptedCount, b.rejectedCount, JSON.stringify(b.rejected)],
  );
}

/** A partner's batch; undefined when it does not exist or belongs to someone else. */
export async function findBatch(db: Queryable, partnerId: string, id: string): Promise<BatchRow | undefined> {
  const { rows } = await db.query<BatchRow>(
    `SELECT id, partner_id AS "partnerId", line_count AS "lineCount", accepted_count AS "acceptedCount",
       rejected_count AS "rejectedCount", rejected, created_at AS "createdAt"
     FROM batches WHERE id = $1 AND partner_id = $2`,
    [id, partnerId],
  );
  return rows[0];
}

/** How many of a batch's submissions are in each status, and how many still wait for their workflow to start. */
export async function batchCounts(
  db: Queryable,
  batchId: string,
): Promise<{ byStatus: Partial<Record<SubmissionStatus, number>>; unstarted: number }> {
  const { rows } = await db.query<{ status: SubmissionStatus; n: number; unstarted: number }>(
    `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE workflow_started_at IS NULL)::int AS unstarted
     FROM submissions WHERE batch_id = $1 GROUP BY status`,
    [batchId],
  );
  return {
    byStatus: Object.fromEntries(rows.map((r) => [r.status, r.n])),
    unstarted: rows.reduce((sum, r) => sum + r.unstarted, 0),
  };
}
