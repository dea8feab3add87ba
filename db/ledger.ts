/** The `ledger_payables` table: what we owe partners for their approved invoices. */
import type { Queryable } from './pool';

/** A payable as stored. */
export interface Payable {
  id: string;
  submissionId: string;
  partnerId: string;
  partnerInvoiceNumber: string;
  currency: string;
  amountMinor: number;
  recordedAt: Date;
}

const COLUMNS = `id, submission_id AS "submissionId", partner_id AS "partnerId",
  partner_invoice_number AS "partnerInvoiceNumber", currency, amount_minor AS "amountMinor", recorded_at AS "recordedAt"`;

/**
 * Records the payable of a submission once. Returns the stored row, or undefined when the partner's invoice number
 * is already booked under another submission (a duplicate).
 */
export async function recordPayableOnce(db: Queryable, p: Omit<Payable, 'recordedAt'>): Promise<Payable | undefined> {
  const inserted = await db.query<Payable>(
    `INSERT INTO ledger_payables (id, submission_id, partner_id, partner_invoice_number, currency, amount_minor)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [p.id, p.submissionId, p.partnerId, p.partnerInvoiceNumber, p.currency, p.amountMinor],
  );
  if (inserted.rows[0]) return inserted.rows[0];
  return findPayable(db, p.submissionId);
}

/** The payable of a submission, if recorded. */
export async function findPayable(db: Queryable, submissionId: string): Promise<Payable | undefined> {
  const { rows } = await db.query<Payable>(`SELECT ${COLUMNS} FROM ledger_payables WHERE submission_id = $1`, [
    submissionId,
  ]);
  return rows[0];
}

/** The payable booked for a partner's invoice number, if any. */
export async function findPayableByInvoiceNumber(
  db: Queryable,
  partnerId: string,
  partnerInvoiceNumber: string,
): Promise<Payable | undefined> {
  const { rows } = await db.query<Payable>(
    `SELECT ${COLUMNS} FROM ledger_payables WHERE partner_id = $1 AND partner_invoice_number = $2`,
    [partnerId, partnerInvoiceNumber],
  );
  return rows[0];
}

/**
 * Locks a payable for the rest of the transaction: scheduling its payout and booking a credit note against it take
 * this lock first, so a credit is either seen by the payout being scheduled or applied to the payout it finds.
 */
export async function lockPayable(db: Queryable, id: string): Promise<void> {
  await db.query('SELECT id FROM ledger_payables WHERE id = $1 FOR UPDATE', [id]);
}
