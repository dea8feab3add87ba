/** The default payment provider's tables: `payment_charges` and `payment_refunds`. */
import type { Queryable } from './pool';

/** A stored charge attempt. */
export interface StoredCharge {
  id: string;
  fingerprint: string;
  amountMinor: number;
  currency: string;
  status: 'succeeded' | 'failed';
  failureCode: string | null;
  amountRefundedMinor: number;
}

const CHARGE = `id, request_fingerprint AS fingerprint, amount_minor AS "amountMinor", currency, status,
  failure_code AS "failureCode", amount_refunded_minor AS "amountRefundedMinor"`;

/** Inserts a charge unless one with the same idempotency key exists; returns the stored one either way. */
export async function insertChargeOnce(
  db: Queryable,
  c: {
    id: string;
    idempotencyKey: string;
    fingerprint: string;
    amountMinor: number;
    currency: string;
    paymentMethod: string;
    description: string | null;
    status: 'succeeded' | 'failed';
    failureCode: string | null;
  },
): Promise<StoredCharge> {
  const inserted = await db.query<StoredCharge>(
    `INSERT INTO payment_charges
       (id, idempotency_key, request_fingerprint, amount_minor, currency, payment_method, description, status, failure_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING ${CHARGE}`,
    [
      c.id,
      c.idempotencyKey,
      c.fingerprint,
      c.amountMinor,
      c.currency,
      c.paymentMethod,
      c.description,
      c.status,
      c.failureCode,
    ],
  );
  return inserted.rows[0] ?? (await findChargeByKey(db, c.idempotencyKey))!;
}

/** The charge attempt stored under an idempotency key, if any. */
export async function findChargeByKey(db: Queryable, idempotencyKey: string): Promise<StoredCharge | undefined> {
  const { rows } = await db.query<StoredCharge>(`SELECT ${CHARGE} FROM payment_charges WHERE idempotency_key = $1`, [
    idempotencyKey,
  ]);
  return rows[0];
}

/**
 * Refunds (what is left of) a charge once per idempotency key. One statement: the refund row and the charge's
 * refunded amount change together, and a replayed key returns the first refund, also when that refund committed
 * while this statement waited for the charge's row (two attempts of one refund at once).
 * Returns undefined when there is nothing to refund.
 */
export async function refundChargeOnce(
  db: Queryable,
  r: { id: string; chargeId: string; idempotencyKey: string; amountMinor?: number },
): Promise<{ id: string; chargeId: string; amountMinor: number } | undefined> {
  const { rows } = await db.query<{ id: string; chargeId: string; amountMinor: number }>(
    `WITH c AS (
       SELECT id, amount_minor, amount_refunded_minor, COALESCE($4, amount_minor - amount_refunded_minor) AS amount
         FROM payment_charges WHERE id = $2 AND status = 'succeeded' FOR UPDATE
     ), ins AS (
       INSERT INTO payment_refunds (id, charge_id, idempotency_key, amount_minor)
       SELECT $1, c.id, $3, c.amount FROM c WHERE c.amount > 0 AND c.amount_refunded_minor + c.amount <= c.amount_minor
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, charge_id, amount_minor
     ), upd AS (
       UPDATE payment_charges p SET amount_refunded_minor = p.amount_refunded_minor + ins.amount_minor
         FROM ins WHERE p.id = ins.charge_id
     )
     SELECT id, charge_id AS "chargeId", amount_minor AS "amountMinor" FROM ins
     UNION ALL
     SELECT id, charge_id, amount_minor FROM payment_refunds WHERE idempotency_key = $3
     LIMIT 1`,
    [r.id, r.chargeId, r.idempotencyKey, r.amountMinor ?? null],
  );
  if (rows[0]) return rows[0];
  // The statement's snapshot predates a refund under this key that committed while it waited for the charge's row:
  // that refund is the answer, read by a statement of its own.
  const earlier = await db.query<{ id: string; chargeId: string; amountMinor: number }>(
    `SELECT id, charge_id AS "chargeId", amount_minor AS "amountMinor" FROM payment_refunds WHERE idempotency_key = $1`,
    [r.idempotencyKey],
  );
  return earlier.rows[0];
}

/** Sum charged and refunded under an idempotency-key prefix (tests and reports). */
export async function chargesByKeyPrefix(
  db: Queryable,
  prefix: string,
): Promise<{ id: string; status: string; amountMinor: number; amountRefundedMinor: number }[]> {
  const { rows } = await db.query<{ id: string; status: string; amountMinor: number; amountRefundedMinor: number }>(
    `SELECT id, status, amount_minor AS "amountMinor", amount_refunded_minor AS "amountRefundedMinor"
       FROM payment_charges WHERE idempotency_key LIKE $1 || '%' ORDER BY created_at`,
    [prefix],
  );
  return rows;
}
