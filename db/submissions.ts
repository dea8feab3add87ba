/** The `submissions` table: accepted payloads (claim check) and the last known state of each workflow. */
import { isFinalStatus, type SubmissionState, type SubmissionStatus, type SubmissionType } from '../contracts';
import type { Queryable } from './pool';

/** A submission as stored. */
export interface SubmissionRow {
  id: string;
  partnerId: string;
  type: SubmissionType;
  status: SubmissionStatus;
  workflowId: string;
  externalRef: string | null;
  state: SubmissionState | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, partner_id AS "partnerId", type, status, workflow_id AS "workflowId",
  external_ref AS "externalRef", state, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Inserts an accepted submission with its payload. */
export async function insertSubmission(
  db: Queryable,
  s: {
    id: string;
    partnerId: string;
    type: SubmissionType;
    workflowId: string;
    externalRef?: string | null;
    payload: unknown;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO submissions (id, partner_id, type, workflow_id, external_ref, payload) VALUES ($1, $2, $3, $4, $5, $6)`,
    [s.id, s.partnerId, s.type, s.workflowId, s.externalRef ?? null, JSON.stringify(s.payload)],
  );
}

/** A partner's submission; undefined when it does not exist or belongs to someone else. */
export async function findSubmission(db: Queryable, partnerId: string, id: string): Promise<SubmissionRow | undefined> {
  const { rows } = await db.query<SubmissionRow>(
    `SELECT ${COLUMNS} FROM submissions WHERE id = $1 AND partner_id = $2`,
    [id, partnerId],
  );
  return rows[0];
}

/** Any submission by id (workers and operators). */
export async function getSubmission(db: Queryable, id: string): Promise<SubmissionRow | undefined> {
  const { rows } = await db.query<SubmissionRow>(`SELECT ${COLUMNS} FROM submissions WHERE id = $1`, [id]);
  return rows[0];
}

/** A submission's type, owner and stored payload in one round trip (the claim check a worker opens). */
export async function getSubmissionWithPayload(
  db: Queryable,
  id: string,
): Promise<{ type: SubmissionType; partnerId: string; payload: unknown } | undefined> {
  const { rows } = await db.query<{ type: SubmissionType; partnerId: string; payload: unknown }>(
    'SELECT type, partner_id AS "partnerId", payload FROM submissions WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** The stored payload of a submission (claim check). */
export async function getSubmissionPayload(db: Queryable, id: string): Promise<unknown> {
  const { rows } = await db.query<{ payload: unknown }>('SELECT payload FROM submissions WHERE id = $1', [id]);
  if (!rows[0]) throw new Error(`submission ${id} has no stored payload`);
  return rows[0].payload;
}

/**
 * Stores the workflow's latest state; an older state never overwrites a newer one, and a final status is never
 * replaced by a running one (a second run of a closed submission). Answers the status stored before.
 */
export async function saveSubmissionState(
  db: Queryable,
  state: SubmissionState,
): Promise<{ previousStatus: SubmissionStatus | null }> {
  const { rows } = await db.query<{ previous: SubmissionStatus | null }>(
    `WITH before AS (SELECT status FROM submissions WHERE id = $1),
     saved AS (
       UPDATE submissions SET status = $2, state = $3, updated_at = now()
       WHERE id = $1 AND (state IS NULL OR (state->>'updatedAt') <= $4)
         AND ($5::boolean OR status NOT IN ('completed', 'failed', 'cancelled'))
       RETURNING 1)
     SELECT (SELECT status FROM before) AS previous`,
    [state.submissionId, state.status, JSON.stringify(state), state.updatedAt, isFinalStatus(state.status)],
  );
  return { previousStatus: rows[0]?.previous ?? null };
}
