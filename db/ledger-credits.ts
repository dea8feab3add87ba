/** The `ledger_credits` table: what partners' credit notes take off what we owe them. */
import type { Queryable } from './pool';

/** What happened to the corrected invoice's payout. */
export type PayoutAction = 'cancelled' | 'reduced' | 'already_paid' | 'none';

/** A credit as stored. */
export interface LedgerCredit {
  id: string;
  submissionId: string;
  partnerId: string;
  creditNoteNumber: string;
  currency: string;
  amountMinor: number;
  reversesPayableId: string | null;
  payoutAction: PayoutAction;
}

const COLUMNS = `id, submission_id AS "submissionId", partner_id AS "partnerId", credit_note_number AS "creditNoteNumber",
  currency, amount_minor AS "amountMinor", reverses_payable_id AS "reversesPayableId", payout_action AS "payoutAction"`;

/** Records the credit of a credit note; undefined when it is already recorded (a retried activity). */
export async function insertCreditOnce(db: Queryable, c: LedgerCredit): Promise<LedgerCredit | undefined> {
  const { rows } = await db.query<LedgerCredit>(
    `INSERT INTO ledger_credits (id, submission_id, partner_id, credit_note_number, currency, amount_minor,
       reverses_payable_id, payout_action)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (submission_id) DO NOTHING RETURNING ${COLUMNS}`,
    [
      c.id,
      c.submissionId,
      c.partnerId,
      c.creditNoteNumber,
      c.currency,
      c.amountMinor,
      c.reversesPayableId,
      c.payoutAction,
    ],
  );
  return rows[0];
}

/** The credit recorded for a credit note submission. */
export async function findCredit(db: Queryable, submissionId: string): Promise<LedgerCredit | undefined> {
  const { rows } = await db.query<LedgerCredit>(`SELECT ${COLUMNS} FROM ledger_credits WHERE submission_id = $1`, [
    submissionId,
  ]);
  return rows[0];
}

/** Everything already credited against one payable (earlier credit notes for the same invoice). */
export async function creditedAgainst(db: Queryable, payableId: string): Promise<number> {
  const { rows } = await db.query<{ total: string | null }>(
    'SELECT sum(amount_minor) AS total FROM ledger_credits WHERE reverses_payable_id = $1',
    [payableId],
  );
  return Number(rows[0]?.total ?? 0);
}
