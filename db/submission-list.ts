/** Listing a partner's submissions, newest first, paged by id (ids are time-ordered, so no timestamp ties). */
import type { SubmissionStatus, SubmissionType } from '../contracts';
import type { Queryable } from './pool';

/** One listed submission. */
export interface ListedSubmission {
  id: string;
  type: SubmissionType;
  status: SubmissionStatus;
  externalRef: string | null;
  batchId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A page of a partner's submissions after the `afterId` position. */
export async function listPartnerSubmissions(
  db: Queryable,
  q: { partnerId: string; status?: SubmissionStatus; type?: SubmissionType; afterId?: string; limit: number },
): Promise<ListedSubmission[]> {
  const { rows } = await db.query<ListedSubmission>(
    `SELECT id, type, status, external_ref AS "externalRef", batch_id AS "batchId", created_at AS "createdAt", updated_at AS "updatedAt"
     FROM submissions
     WHERE partner_id = $1
       AND ($2::text IS NULL OR status = $2)
       AND ($3::text IS NULL OR type = $3)
       AND ($4::text IS NULL OR id < $4)
     ORDER BY id DESC
     LIMIT $5`,
    [q.partnerId, q.status ?? null, q.type ?? null, q.afterId ?? null, q.limit],
  );
  return rows;
}
