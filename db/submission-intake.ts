/** Intake operations on the `submissions` table: bulk insert, workflow-start bookkeeping, business-key lookups. */
import type { SubmissionType } from '../contracts';
import type { Queryable } from './pool';

/** One row of a bulk insert. */
export interface NewSubmissionRow {
  id: string;
  partnerId: string;
  type: SubmissionType;
  workflowId: string;
  externalRef: string | null;
  payload: unknown;
  batchId?: string | null;
  batchLine?: number | null;
}

/**
 * Inserts many submissions in one statement. Invoices whose number the partner already used are skipped (the
 * partial unique index decides); the ids actually inserted are returned.
 */
export async function insertSubmissionsBulk(db: Queryable, rows: NewSubmissionRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const { rows: inserted } = await db.query<{ id: string }>(
    `INSERT INTO submissions (id, partner_id, type, workflow_id, external_ref, payload, batch_id, batch_line)
     SELECT r.id, r.partner_id, r.type, r.workflow_id, r.external_ref, r.payload, r.batch_id, r.batch_line
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, partner_id text, type text, workflow_id text, external_ref text,
       payload jsonb, batch_id text, batch_line integer)
     ON CONFLICT (partner_id, external_ref) WHERE type = 'invoice' DO NOTHING
     RETURNING id`,
    [
      JSON.stringify(
        rows.map((r) => ({
          id: r.id,
          partner_id: r.partnerId,
          type: r.type,
          workflow_id: r.workflowId,
          external_ref: r.externalRef,
          payload: r.payload,
          batch_id: r.batchId ?? null,
          batch_line: r.batchLine ?? null,
        })),
      ),
    ],
  );
  return new Set(inserted.map((r) => r.id));
}

/** Ids of a partner's invoices (or credit notes) by their numbers. */
export async function findInvoicesByNumber(
  db: Queryable,
  partnerId: string,
  numbers: string[],
  type: SubmissionType = 'invoice',
): Promise<Map<string, string>> {
  if (numbers.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; ref: string }>(
    `SELECT id, external_ref AS ref FROM submissions WHERE partner_id = $1 AND type = $3 AND external_ref = ANY($2::text[])`,
    [partnerId, numbers, type],
  );
  return new Map(rows.map((r) => [r.ref, r.id]));
}

/** Records that the workflows of these submissions exist. */
export async function markWorkflowsStarted(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    'UPDATE submissions SET workflow_started_at = now() WHERE id = ANY($1::text[]) AND workflow_started_at IS NULL',
    [ids],
  );
}

/** Gives claimed rows back (a starter stopping at shutdown), so the next sweep need not wait for the claim to end. */
export async function releaseClaims(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query('UPDATE submissions SET workflow_start_claimed_until = NULL WHERE id = ANY($1::text[])', [ids]);
}

/** What starting a workflow needs of a stored submission. */
export interface StartableSubmission {
  id: string;
  partnerId: string;
  type: SubmissionType;
  workflowId: string;
  externalRef: string | null;
}

/** Submissions whose workflow was not yet started, oldest first (a read: starters use `claimUnstarted`). */
export async function listUnstarted(
  db: Queryable,
  q: { limit: number; batchId?: string; partnerId?: string },
): Promise<StartableSubmission[]> {
  const { rows } = await db.query<StartableSubmission>(
    `SELECT id, partner_id AS "partnerId", type, workflow_id AS "workflowId", external_ref AS "externalRef"
     FROM submissions
     WHERE workflow_started_at IS NULL AND ($1::text IS NULL OR batch_id = $1) AND ($3::text IS NULL OR partner_id = $3)
     ORDER BY created_at, id LIMIT $2`,
    [q.batchId ?? null, q.limit, q.partnerId ?? null],
  );
  return rows;
}

/**
 * Claims submissions whose workflow was not yet started, oldest first (optionally one batch's, or only old ones),
 * for `claimMs`: rows another starter holds (claimed, or locked at this moment) are skipped, so two starters never
 * start the same rows. No lock is held while the workflows are started.
 */
export async function claimUnstarted(
  db: Queryable,
  q: { limit: number; batchId?: string; partnerId?: string; olderThanMs?: number; claimMs: number },
): Promise<StartableSubmission[]> {
  const { rows } = await db.query<StartableSubmission & { createdAt: Date }>(
    `UPDATE submissions s SET workflow_start_claimed_until = now() + make_interval(secs => $5::integer / 1000.0)
     FROM (
       SELECT id FROM submissions
       WHERE workflow_started_at IS NULL
         AND (workflow_start_claimed_until IS NULL OR workflow_start_claimed_until < now())
         AND ($1::text IS NULL OR batch_id = $1)
         AND ($2::integer IS NULL OR created_at < now() - make_interval(secs => $2::integer / 1000.0))
         AND ($4::text IS NULL OR partner_id = $4)
       ORDER BY created_at, id LIMIT $3
       FOR UPDATE SKIP LOCKED
     ) AS claimed
     WHERE s.id = claimed.id
     RETURNING s.id, s.partner_id AS "partnerId", s.type, s.workflow_id AS "workflowId", s.external_ref AS "externalRef",
       s.created_at AS "createdAt"`,
    [q.batchId ?? null, q.olderThanMs ?? null, q.limit, q.partnerId ?? null, q.claimMs],
  );
  // UPDATE ... RETURNING has no order of its own: oldest first, as documented.
  return rows
    .sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || (x.id < y.id ? -1 : 1))
    .map(({ id, partnerId, type, workflowId, externalRef }) => ({ id, partnerId, type, workflowId, externalRef }));
}
