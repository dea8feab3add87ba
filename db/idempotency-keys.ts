/** The `idempotency_keys` table: one claimed row per partner and Idempotency-Key, then the response to replay. */
import type { Queryable } from './pool';

/** A stored Idempotency-Key. */
export interface IdempotencyRecord {
  partnerId: string;
  key: string;
  requestHash: string;
  submissionId: string | null;
  state: 'pending' | 'done';
  responseStatus: number | null;
  responseBody: unknown;
  responseLocation: string | null;
  createdAt: Date;
}

const COLUMNS = `partner_id AS "partnerId", key, request_hash AS "requestHash", submission_id AS "submissionId", state,
  response_status AS "responseStatus", response_body AS "responseBody", response_location AS "responseLocation",
  created_at AS "createdAt"`;

/** Claims a key; false when someone already holds it (the caller then reads the existing row). */
export async function claimIdempotencyKey(
  db: Queryable,
  k: { partnerId: string; key: string; requestHash: string; submissionId: string | null },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO idempotency_keys (partner_id, key, request_hash, submission_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (partner_id, key) DO NOTHING`,
    [k.partnerId, k.key, k.requestHash, k.submissionId],
  );
  return rowCount === 1;
}

/** The stored row of a key. */
export async function findIdempotencyKey(
  db: Queryable,
  partnerId: string,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  const { rows } = await db.query<IdempotencyRecord>(
    `SELECT ${COLUMNS} FROM idempotency_keys WHERE partner_id = $1 AND key = $2`,
    [partnerId, key],
  );
  return rows[0];
}

/** Records the response given for a claimed key, for replay. */
export async function completeIdempotencyKey(
  db: Queryable,
  k: { partnerId: string; key: string; resourceId: string; status: number; body: unknown; location: string | null },
): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys SET state = 'done', submission_id = $3, response_status = $4, response_body = $5,
       response_location = $6, updated_at = now()
     WHERE partner_id = $1 AND key = $2`,
    [k.partnerId, k.key, k.resourceId, k.status, JSON.stringify(k.body), k.location],
  );
}

/** Forgets keys older than the retention (replays are promised for that long). */
export async function deleteExpiredIdempotencyKeys(db: Queryable, olderThanMs: number): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1::bigint / 1000.0)',
    [olderThanMs],
  );
  return rowCount ?? 0;
}
