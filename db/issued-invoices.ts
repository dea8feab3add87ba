/** Invoices we issue (`issued_invoices`) and their gap-free numbers (`invoice_counters`). */
import type { Queryable } from './pool';

/** An issued invoice without its document. */
export interface IssuedInvoice {
  id: string;
  submissionId: string;
  partnerId: string;
  invoiceNumber: string;
  currency: string;
  totalMinor: number;
  issuedAt: Date;
}

const COLUMNS = `id, submission_id AS "submissionId", partner_id AS "partnerId", invoice_number AS "invoiceNumber",
  currency, total_minor AS "totalMinor", issued_at AS "issuedAt"`;

/** The invoice issued for a submission, if any. */
export async function findIssuedInvoice(db: Queryable, submissionId: string): Promise<IssuedInvoice | undefined> {
  const { rows } = await db.query<IssuedInvoice>(`SELECT ${COLUMNS} FROM issued_invoices WHERE submission_id = $1`, [
    submissionId,
  ]);
  return rows[0];
}

/**
 * Takes the next number of a partner's year. Call inside the transaction that inserts the invoice: the row
 * lock serialises issuers and a rollback returns the number, so numbers have no gaps.
 */
export async function nextInvoiceNumber(db: Queryable, partnerId: string, year: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `INSERT INTO invoice_counters (partner_id, year, last_number) VALUES ($1, $2, 1)
     ON CONFLICT (partner_id, year) DO UPDATE SET last_number = invoice_counters.last_number + 1
     RETURNING last_number AS n`,
    [partnerId, year],
  );
  return rows[0]!.n;
}

/** Inserts an issued invoice with its PDF. */
export async function insertIssuedInvoice(
  db: Queryable,
  i: Omit<IssuedInvoice, 'issuedAt'> & { document: Buffer },
): Promise<void> {
  await db.query(
    `INSERT INTO issued_invoices (id, submission_id, partner_id, invoice_number, currency, total_minor, document)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [i.id, i.submissionId, i.partnerId, i.invoiceNumber, i.currency, i.totalMinor, i.document],
  );
}

/** A partner's invoice PDF for one of its submissions. */
export async function getInvoiceDocument(
  db: Queryable,
  partnerId: string,
  submissionId: string,
): Promise<{ invoiceNumber: string; document: Buffer } | undefined> {
  const { rows } = await db.query<{ invoiceNumber: string; document: Buffer }>(
    `SELECT invoice_number AS "invoiceNumber", document FROM issued_invoices
     WHERE submission_id = $1 AND partner_id = $2 AND document IS NOT NULL`,
    [submissionId, partnerId],
  );
  return rows[0];
}
