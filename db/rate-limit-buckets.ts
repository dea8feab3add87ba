/** The `rate_limit_buckets` table: token buckets shared by every API process, leased from in chunks. */
import type { Queryable } from './pool';

/** A lease request: at least `atLeast` tokens (the bucket may go into debt) when it holds `need`, up to `want`. */
export interface LeaseRequest {
  key: string;
  /** Bucket size (RATE_LIMIT_MAX). */
  capacity: number;
  /** Tokens added per second. */
  perSecond: number;
  need: number;
  atLeast: number;
  want: number;
}

// The bucket refilled by the time elapsed since its last lease, capped at its size; `b` is the row before the update.
const REFILLED = `least($2::float8, b.tokens + greatest(0, extract(epoch FROM now() - b.updated_at)::float8) * $3::float8)`;
const GRANT = (avail: string) =>
  `(CASE WHEN ${avail} >= $4 THEN greatest($5::float8, least($6::float8, floor(${avail}))) ELSE 0 END)`;

/**
 * Takes tokens in one atomic statement: refill by elapsed time, grant, subtract. Answers what was granted (0 when
 * the bucket holds fewer than `need`) and what the bucket holds afterwards (negative while in debt).
 */
export async function leaseTokens(db: Queryable, r: LeaseRequest): Promise<{ granted: number; tokens: number }> {
  const { rows } = await db.query<{ granted: number; tokens: number }>(
    `INSERT INTO rate_limit_buckets AS b (key, tokens, granted, updated_at)
     VALUES ($1, $2::float8 - ${GRANT('$2::float8')}, ${GRANT('$2::float8')}, now())
     ON CONFLICT (key) DO UPDATE SET
       granted = ${GRANT(REFILLED)},
       tokens = ${REFILLED} - ${GRANT(REFILLED)},
       updated_at = greatest(b.updated_at, now())
     RETURNING granted, tokens`,
    [r.key, r.capacity, r.perSecond, r.need, r.atLeast, r.want],
  );
  return rows[0]!;
}

/** Gives unspent leased tokens back (on shutdown), never above the bucket's size. */
export async function returnTokens(
  db: Queryable,
  capacity: number,
  returns: { key: string; tokens: number }[],
): Promise<void> {
  if (returns.length === 0) return;
  await db.query(
    `UPDATE rate_limit_buckets AS b SET tokens = least($1::float8, b.tokens + r.tokens)
     FROM unnest($2::text[], $3::float8[]) AS r(key, tokens) WHERE b.key = r.key`,
    [capacity, returns.map((r) => r.key), returns.map((r) => r.tokens)],
  );
}
