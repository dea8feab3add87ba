/** Invoices we issue (`issued_invoices`) and their gap-free numbers (`invoice_counters`). */
import type { InvoiceBuyer } from '../contracts/partner-billing';
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
  /** The buyer when the number was taken; null on invoices issued before migration 064 (named by the partner's name). */
  buyer: InvoiceBuyer | null;
}

const COLUMNS = `id, submission_id AS "submissionId", partner_id AS "partnerId", invoice_number AS "invoiceNumber",
  currency, total_minor AS "totalMinor", issued_at AS "issuedAt", buyer`;

/**
 * The buyer of an invoice as the partner `p` is now: its legal name, else its name, and its billing details (VAT id,
 * postal address, electronic address) when it has them (`InvoiceBuyer`).
 */
const BUYER_SNAPSHOT = `jsonb_strip_nulls(jsonb_build_object(
         'name', COALESCE(p.billing ->> 'legalName', p.name), 'vatId', p.billing -> 'vatId',
         'address', p.billing -> 'address', 'endpoint', p.billing -> 'endpoint'))`;

/** The invoice issued for a submission, if any. */
export async function findIssuedInvoice(db: Queryable, submissionId: string): Promise<IssuedInvoice | undefined> {
  const { rows } = await db.query<IssuedInvoice>(`SELECT ${COLUMNS} FROM issued_invoices WHERE submission_id = $1`, [
    submissionId,
  ]);
  return rows[0];
}

/** How wide the running number of an invoice number is, zero-padded (`INV-2026-000042`); larger numbers grow. */
export const INVOICE_NUMBER_DIGITS = 6;

/**
 * Takes the next number of the partner's year and inserts the invoice under it, without its document, in one
 * statement: the counter's row lock is held for that statement only, and a failed insert (the submission's invoice
 * already exists) gives its number back, so numbers have no gaps. The same statement copies the buyer (the partner's
 * name and billing details as they are now) onto the invoice. The document follows with `attachInvoiceDocument`.
 */
export async function insertNumberedInvoice(
  db: Queryable,
  i: Omit<IssuedInvoice, 'invoiceNumber' | 'buyer'> & { numberPrefix: string; year: number },
): Promise<{ invoiceNumber: string; buyer: InvoiceBuyer }> {
  const { rows } = await db.query<{ invoiceNumber: string; buyer: InvoiceBuyer }>(
    `WITH counter AS (
       INSERT INTO invoice_counters (partner_id, year, last_number) VALUES ($3, $8, 1)
       ON CONFLICT (partner_id, year) DO UPDATE SET last_number = invoice_counters.last_number + 1
       RETURNING last_number::text AS n)
     INSERT INTO issued_invoices (id, submission_id, partner_id, invoice_number, currency, total_minor, issued_at, buyer)
     SELECT $1, $2, $3, $4 || repeat('0', greatest(0, ${INVOICE_NUMBER_DIGITS} - length(n))) || n, $5, $6, $7,
            ${BUYER_SNAPSHOT}
       FROM counter JOIN partners p ON p.id = $3
     RETURNING invoice_number AS "invoiceNumber", buyer`,
    [i.id, i.submissionId, i.partnerId, i.numberPrefix, i.currency, i.totalMinor, i.issuedAt, i.year],
  );
  return rows[0]!;
}

/** Stores an issued invoice's PDF once; a second render (a retried attempt) leaves the first one in place. */
export async function attachInvoiceDocument(db: Queryable, invoiceId: string, document: Buffer): Promise<void> {
  await db.query(`UPDATE issued_invoices SET document = $2 WHERE id = $1 AND document IS NULL`, [invoiceId, document]);
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
