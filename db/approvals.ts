/** The `invoice_approvals` table: who approved or rejected an invoice, and when. */
import type { Queryable } from './pool';

/** A recorded approval decision. */
export interface ApprovalRow {
  submissionId: string;
  decision: 'approved' | 'rejected';
  approver: string;
  comment: string | null;
  decidedAt: Date;
}

const COLUMNS = `submission_id AS "submissionId", decision, approver, comment, decided_at AS "decidedAt"`;

/** Records the decision once; a retried activity returns the first one. */
export async function recordApprovalOnce(
  db: Queryable,
  a: { submissionId: string; decision: 'approved' | 'rejected'; approver: string; comment?: string | null },
): Promise<ApprovalRow> {
  const inserted = await db.query<ApprovalRow>(
    `INSERT INTO invoice_approvals (submission_id, decision, approver, comment) VALUES ($1, $2, $3, $4)
     ON CONFLICT (submission_id) DO NOTHING RETURNING ${COLUMNS}`,
    [a.submissionId, a.decision, a.approver, a.comment ?? null],
  );
  return inserted.rows[0] ?? (await findApproval(db, a.submissionId))!;
}

/** The decision on a submission, if any. */
export async function findApproval(db: Queryable, submissionId: string): Promise<ApprovalRow | undefined> {
  const { rows } = await db.query<ApprovalRow>(`SELECT ${COLUMNS} FROM invoice_approvals WHERE submission_id = $1`, [
    submissionId,
  ]);
  return rows[0];
}
