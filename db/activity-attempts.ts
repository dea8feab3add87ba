/** The `activity_attempts` table: the outcome of every activity attempt of a submission, written by the worker. */
import type { Queryable } from './pool';

/** One attempt as stored. */
export interface ActivityAttempt {
  activityType: string;
  attempt: number;
  outcome: 'running' | 'completed' | 'failed';
  error: string | null;
  scheduledAt: Date | null;
  finishedAt: Date | null;
}

/**
 * Records how an attempt ended, in one statement. A re-delivered attempt (a worker crash) overwrites its own row.
 */
export async function recordAttempt(
  db: Queryable,
  a: { submissionId: string; activityType: string; attempt: number; scheduledAt: Date | null; error: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO activity_attempts (submission_id, activity_type, attempt, outcome, error, scheduled_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (submission_id, activity_type, attempt)
     DO UPDATE SET outcome = EXCLUDED.outcome, error = EXCLUDED.error, finished_at = EXCLUDED.finished_at`,
    [a.submissionId, a.activityType, a.attempt, a.error === null ? 'completed' : 'failed', a.error, a.scheduledAt],
  );
}

/** Every recorded attempt of a submission. */
export async function listAttempts(db: Queryable, submissionId: string): Promise<ActivityAttempt[]> {
  const { rows } = await db.query<ActivityAttempt>(
    `SELECT activity_type AS "activityType", attempt, outcome, error, scheduled_at AS "scheduledAt", finished_at AS "finishedAt"
     FROM activity_attempts WHERE submission_id = $1 ORDER BY scheduled_at, activity_type, attempt`,
    [submissionId],
  );
  return rows;
}
