/** The `payouts` table: scheduled transfers to partners for their payables. */
import type { Queryable } from './pool';

/** A payout as stored. */
export interface Payout {
  id: string;
  payableId: string;
  partnerId: string;
  currency: string;
  amountMinor: number;
  /** YYYY-MM-DD. */
  dueDate: string;
  status: 'scheduled' | 'paid' | 'cancelled';
}

const COLUMNS = `id, payable_id AS "payableId", partner_id AS "partnerId", currency, amount_minor AS "amountMinor",
  to_char(due_date, 'YYYY-MM-DD') AS "dueDate", status`;

/** Schedules the payout of a payable once (cancelled from the start when credits took all of it); a retry returns the first. */
export async function schedulePayoutOnce(
  db: Queryable,
  p: Omit<Payout, 'status'> & { status?: 'scheduled' | 'cancelled' },
): Promise<Payout> {
  const inserted = await db.query<Payout>(
    `INSERT INTO payouts (id, payable_id, partner_id, currency, amount_minor, due_date, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (payable_id) DO NOTHING RETURNING ${COLUMNS}`,
    [p.id, p.payableId, p.partnerId, p.currency, p.amountMinor, p.dueDate, p.status ?? 'scheduled'],
  );
  if (inserted.rows[0]) return inserted.rows[0];
  const { rows } = await db.query<Payout>(`SELECT ${COLUMNS} FROM payouts WHERE payable_id = $1`, [p.payableId]);
  return rows[0]!;
}

/** A partner's payouts, soonest first. */
export async function listPartnerPayouts(db: Queryable, partnerId: string): Promise<Payout[]> {
  const { rows } = await db.query<Payout>(
    `SELECT ${COLUMNS} FROM payouts WHERE partner_id = $1 ORDER BY due_date, id`,
    [partnerId],
  );
  return rows;
}

/** The payout of a payable, locked for the rest of the transaction. */
export async function lockPayoutOfPayable(db: Queryable, payableId: string): Promise<Payout | undefined> {
  const { rows } = await db.query<Payout>(`SELECT ${COLUMNS} FROM payouts WHERE payable_id = $1 FOR UPDATE`, [
    payableId,
  ]);
  return rows[0];
}

/** Sets a scheduled payout's amount, or cancels it. */
export async function adjustScheduledPayout(
  db: Queryable,
  id: string,
  change: { amountMinor: number } | { cancel: true },
): Promise<void> {
  if ('cancel' in change)
    await db.query(`UPDATE payouts SET status = 'cancelled' WHERE id = $1 AND status = 'scheduled'`, [id]);
  else
    await db.query(`UPDATE payouts SET amount_minor = $2 WHERE id = $1 AND status = 'scheduled'`, [
      id,
      change.amountMinor,
    ]);
}
