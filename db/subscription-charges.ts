/**
 * The `subscription_charges` table: one row per subscription and period, unique on both, holding the charge's
 * outcome. It is what makes "a charge per subscription and period" happen exactly once.
 */
import type { Queryable } from './pool';

/** The stored outcome of one period's charge. */
export interface SubscriptionCharge {
  subscriptionId: string;
  period: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempt: number;
  amountMinor: number;
  currency: string;
  chargeId: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  /** The method the current attempt is made with; null on rows from before migration 065. */
  paymentMethod: string | null;
}

const COLUMNS = `subscription_id AS "subscriptionId", to_char(period, 'YYYY-MM-DD') AS period, status, attempt,
  amount_minor AS "amountMinor", currency, charge_id AS "chargeId", failure_code AS "failureCode",
  failure_message AS "failureMessage", payment_method AS "paymentMethod"`;

/** Claims the period's charge: inserts a pending row unless one exists; returns it and whether it was new. */
export async function claimCharge(
  db: Queryable,
  c: { subscriptionId: string; period: string; amountMinor: number; currency: string; paymentMethod: string },
): Promise<{ charge: SubscriptionCharge; created: boolean }> {
  const inserted = await db.query<SubscriptionCharge>(
    `INSERT INTO subscription_charges (subscription_id, period, status, amount_minor, currency, payment_method)
     VALUES ($1, $2, 'pending', $3, $4, $5) ON CONFLICT (subscription_id, period) DO NOTHING RETURNING ${COLUMNS}`,
    [c.subscriptionId, c.period, c.amountMinor, c.currency, c.paymentMethod],
  );
  if (inserted.rows[0]) return { charge: inserted.rows[0], created: true };
  const { rows } = await db.query<SubscriptionCharge>(
    `SELECT ${COLUMNS} FROM subscription_charges WHERE subscription_id = $1 AND period = $2 FOR UPDATE`,
    [c.subscriptionId, c.period],
  );
  return { charge: rows[0]!, created: false };
}

/** Reopens a failed charge for a retry: the next attempt number, pending again, with the current amount and method. */
export async function reopenFailedCharge(
  db: Queryable,
  c: { subscriptionId: string; period: string; amountMinor: number; currency: string; paymentMethod: string },
): Promise<SubscriptionCharge | undefined> {
  const { rows } = await db.query<SubscriptionCharge>(
    `UPDATE subscription_charges
        SET status = 'pending', attempt = attempt + 1, amount_minor = $3, currency = $4, payment_method = $5,
            failure_code = NULL, failure_message = NULL, updated_at = now()
      WHERE subscription_id = $1 AND period = $2 AND status = 'failed' RETURNING ${COLUMNS}`,
    [c.subscriptionId, c.period, c.amountMinor, c.currency, c.paymentMethod],
  );
  return rows[0];
}

/** Records the outcome of a pending attempt; a replay (already recorded) changes nothing and returns the row. */
export async function recordChargeOutcome(
  db: Queryable,
  o: {
    subscriptionId: string;
    period: string;
    attempt: number;
    status: 'succeeded' | 'failed';
    chargeId?: string | null;
    failureCode?: string | null;
    failureMessage?: string | null;
  },
): Promise<SubscriptionCharge> {
  await db.query(
    `UPDATE subscription_charges SET status = $4, charge_id = $5, failure_code = $6, failure_message = $7,
            updated_at = now()
      WHERE subscription_id = $1 AND period = $2 AND attempt = $3 AND status = 'pending'`,
    [
      o.subscriptionId,
      o.period,
      o.attempt,
      o.status,
      o.chargeId ?? null,
      o.failureCode ?? null,
      o.failureMessage ?? null,
    ],
  );
  return (await findCharge(db, o.subscriptionId, o.period))!;
}

/** The charge of one subscription and period. */
export async function findCharge(
  db: Queryable,
  subscriptionId: string,
  period: string,
): Promise<SubscriptionCharge | undefined> {
  const { rows } = await db.query<SubscriptionCharge>(
    `SELECT ${COLUMNS} FROM subscription_charges WHERE subscription_id = $1 AND period = $2`,
    [subscriptionId, period],
  );
  return rows[0];
}
