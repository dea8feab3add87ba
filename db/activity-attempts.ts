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

/** Records that an attempt started (a retried delivery of the same attempt just starts it again). */
export async function recordAttemptStart(
  db: Queryable,
  a: { submissionId: string; activityType: string; attempt: number; scheduledAt: Date | null },
): Promise<void> {
  await db.query(
    `INSERT INTO activity_attempts (submission_id, activity_type, attempt, outcome, scheduled_at) VALUES ($1, $2, $3, 'running', $4)
     ON CONFLICT (submission_id, activity_type, attempt) DO UPDATE SET outcome = 'running', error = NULL, finished_at = NULL`,
    [a.submissionId, a.activityType, a.attempt, a.scheduledAt],
  );
}

/** Records how an attempt ended. */
export async function recordAttemptEnd(
  db: Queryable,
  a: { submissionId: string; activityType: string; attempt: number; error: string | null },
): Promise<void> {
  await db.query(
    `UPDATE activity_attempts SET outcome = $4, error = $5, finished_at = now()
     WHERE submission_id = $1 AND activity_type = $2 AND attempt = $3`,
    [a.submissionId, a.activityType, a.attempt, a.error === null ? 'completed' : 'failed', a.error],
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
