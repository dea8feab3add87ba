/** The `subscriptions` table: partner-owned subscriptions the daily billing run charges. */
import type { Queryable } from './pool';
import type { BillingInterval } from '../domain/billing/periods';

/** A subscription as stored; dates are `YYYY-MM-DD`. */
export interface Subscription {
  id: string;
  partnerId: string;
  plan: string;
  amountMinor: number;
  currency: string;
  interval: BillingInterval;
  paymentMethod: string;
  subscriberEmail: string;
  status: 'active' | 'cancelled';
  anchorDate: string;
  nextPeriodStart: string;
  createdAt: Date;
}

const COLUMNS = `id, partner_id AS "partnerId", plan, amount_minor AS "amountMinor", currency,
  billing_interval AS "interval", payment_method AS "paymentMethod", subscriber_email AS "subscriberEmail", status,
  to_char(anchor_date, 'YYYY-MM-DD') AS "anchorDate", to_char(next_period_start, 'YYYY-MM-DD') AS "nextPeriodStart",
  created_at AS "createdAt"`;

/** Inserts a subscription whose first period starts on its anchor date. */
export async function insertSubscription(
  db: Queryable,
  s: Omit<Subscription, 'status' | 'nextPeriodStart' | 'createdAt'>,
): Promise<Subscription> {
  const { rows } = await db.query<Subscription>(
    `INSERT INTO subscriptions (id, partner_id, plan, amount_minor, currency, billing_interval, payment_method,
       subscriber_email, anchor_date, next_period_start)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ${COLUMNS}`,
    [
      s.id,
      s.partnerId,
      s.plan,
      s.amountMinor,
      s.currency,
      s.interval,
      s.paymentMethod,
      s.subscriberEmail,
      s.anchorDate,
    ],
  );
  return rows[0]!;
}

/** Finds a subscription by id. */
export async function findSubscription(db: Queryable, id: string): Promise<Subscription | undefined> {
  const { rows } = await db.query<Subscription>(`SELECT ${COLUMNS} FROM subscriptions WHERE id = $1`, [id]);
  return rows[0];
}

/**
 * Reads a subscription and locks it until the transaction ends (`db` must be in one): a cancel or a new card commits
 * either before, and is read, or waits until the transaction is over.
 */
export async function lockSubscription(db: Queryable, id: string): Promise<Subscription | undefined> {
  const { rows } = await db.query<Subscription>(
    `SELECT ${COLUMNS} FROM subscriptions WHERE id = $1 FOR NO KEY UPDATE`,
    [id],
  );
  return rows[0];
}

/** A partner's subscriptions, oldest first. */
export async function listSubscriptions(db: Queryable, partnerId: string): Promise<Subscription[]> {
  const { rows } = await db.query<Subscription>(
    `SELECT ${COLUMNS} FROM subscriptions WHERE partner_id = $1 ORDER BY created_at, id`,
    [partnerId],
  );
  return rows;
}

/** Cancels an active subscription; undefined when there is no such active subscription. */
export async function cancelSubscription(db: Queryable, id: string): Promise<Subscription | undefined> {
  const { rows } = await db.query<Subscription>(
    `UPDATE subscriptions SET status = 'cancelled', cancelled_at = now() WHERE id = $1 AND status = 'active'
     RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0];
}

/** Replaces the payment method (after a decline, before retrying the failed charge). */
export async function setPaymentMethod(
  db: Queryable,
  id: string,
  paymentMethod: string,
): Promise<Subscription | undefined> {
  const { rows } = await db.query<Subscription>(
    `UPDATE subscriptions SET payment_method = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, paymentMethod],
  );
  return rows[0];
}

/**
 * Moves the subscription past a charged period. Only from that period: a replayed call after the move changes
 * nothing, so the next period is never skipped.
 */
export async function advancePeriod(db: Queryable, id: string, from: string, to: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE subscriptions SET next_period_start = $3 WHERE id = $1 AND next_period_start = $2`,
    [id, from, to],
  );
  return rowCount === 1;
}

/** One page of subscriptions the run considers, keyed by id so paging is stable while periods advance. */
export interface DueSubscription {
  id: string;
  partnerId: string;
  period: string;
  amountMinor: number;
  currency: string;
}

/**
 * Active subscriptions due on `date`, after `cursor` by id. A normal run takes those whose current period has no
 * charge yet; a retry run takes only those whose charge for the current period failed (or never finished).
 */
export async function dueSubscriptionsPage(
  db: Queryable,
  q: { date: string; cursor: string | null; limit: number; retryFailedOnly: boolean },
): Promise<DueSubscription[]> {
  const { rows } = await db.query<DueSubscription>(
    `SELECT s.id, s.partner_id AS "partnerId", to_char(s.next_period_start, 'YYYY-MM-DD') AS period,
            s.amount_minor AS "amountMinor", s.currency
       FROM subscriptions s
       LEFT JOIN subscription_charges c ON c.subscription_id = s.id AND c.period = s.next_period_start
      WHERE s.status = 'active' AND s.next_period_start <= $1 AND ($2::text IS NULL OR s.id > $2)
        AND (CASE WHEN $4 THEN c.status IN ('failed', 'pending') ELSE c.status IS NULL END)
      ORDER BY s.id LIMIT $3`,
    [q.date, q.cursor, q.limit, q.retryFailedOnly],
  );
  return rows;
}
