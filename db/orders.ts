/** The `orders` table: orders as persisted by the order workflow. */
import type { InvoiceBuyer } from '../contracts/partner-billing';
import type { OrderTotals } from '../domain/order-totals';
import type { Queryable } from './pool';

export type { OrderTotals };

/** Stores an order once; a retried activity changes nothing. */
export async function insertOrderOnce(
  db: Queryable,
  o: {
    submissionId: string;
    partnerId: string;
    orderNumber: string;
    currency: string;
    customerName: string;
    customerEmail: string;
    totals: OrderTotals;
    lines: unknown;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO orders (submission_id, partner_id, order_number, currency, customer_name, customer_email,
       subtotal_minor, tax_minor, total_minor, lines)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (submission_id) DO NOTHING`,
    [
      o.submissionId,
      o.partnerId,
      o.orderNumber,
      o.currency,
      o.customerName,
      o.customerEmail,
      o.totals.subtotalMinor,
      o.totals.taxMinor,
      o.totals.totalMinor,
      JSON.stringify(o.lines),
    ],
  );
}

/** A persisted order with its partner's name, for documents and emails. */
export interface StoredOrder extends OrderTotals {
  submissionId: string;
  partnerId: string;
  partnerName: string;
  partnerEmail: string | null;
  orderNumber: string;
  currency: string;
  customerName: string;
  customerEmail: string;
  lines: { sku: string; description: string; quantity: number; unitPriceMinor: number }[];
}

const ORDER_COLUMNS = `o.submission_id AS "submissionId", o.partner_id AS "partnerId", p.name AS "partnerName",
            p.contact_email AS "partnerEmail", o.order_number AS "orderNumber", o.currency,
            o.customer_name AS "customerName", o.customer_email AS "customerEmail",
            o.subtotal_minor AS "subtotalMinor", o.tax_minor AS "taxMinor", o.total_minor AS "totalMinor", o.lines`;

/** Loads a persisted order. */
export async function getOrder(db: Queryable, submissionId: string): Promise<StoredOrder | undefined> {
  const { rows } = await db.query<StoredOrder>(
    `SELECT ${ORDER_COLUMNS} FROM orders o JOIN partners p ON p.id = o.partner_id WHERE o.submission_id = $1`,
    [submissionId],
  );
  return rows[0];
}

/**
 * A persisted order and the invoice issued for it, in one round trip: either may be missing. `documentOf` names the
 * partner whose PDF is wanted (the document is read only then, and only when that partner owns the invoice).
 */
export async function getOrderWithInvoice(
  db: Queryable,
  submissionId: string,
  documentOf?: string,
): Promise<{
  order?: StoredOrder;
  invoice?: {
    id: string;
    invoiceNumber: string;
    totalMinor: number;
    partnerId: string;
    issuedAt: Date;
    /** False between the invoice's number and its PDF (see insertNumberedInvoice). */
    hasDocument: boolean;
    document: Buffer | null;
    /** The buyer when the number was taken; null on invoices issued before migration 064. */
    buyer: InvoiceBuyer | null;
  };
}> {
  const { rows } = await db.query<
    Partial<StoredOrder> & {
      invoiceId: string | null;
      invoiceIssuedAt: Date | null;
      hasDocument: boolean | null;
      invoiceNumber: string | null;
      invoiceTotalMinor: number | null;
      invoicePartnerId: string | null;
      document: Buffer | null;
      invoiceBuyer: InvoiceBuyer | null;
    }
  >(
    `SELECT ${ORDER_COLUMNS}, i.invoice_number AS "invoiceNumber", i.total_minor AS "invoiceTotalMinor",
            i.partner_id AS "invoicePartnerId", i.id AS "invoiceId", i.issued_at AS "invoiceIssuedAt",
            i.document IS NOT NULL AS "hasDocument", i.buyer AS "invoiceBuyer",
            CASE WHEN i.partner_id = $2 THEN i.document END AS document
       FROM (SELECT $1::text AS id) s
       LEFT JOIN orders o ON o.submission_id = s.id
       LEFT JOIN partners p ON p.id = o.partner_id
       LEFT JOIN issued_invoices i ON i.submission_id = s.id`,
    [submissionId, documentOf ?? null],
  );
  const {
    invoiceId,
    invoiceIssuedAt,
    hasDocument,
    invoiceNumber,
    invoiceTotalMinor,
    invoicePartnerId,
    document,
    invoiceBuyer,
    ...order
  } = rows[0]!;
  return {
    ...(order.submissionId ? { order: order as StoredOrder } : {}),
    ...(invoiceNumber !== null
      ? {
          invoice: {
            id: invoiceId!,
            invoiceNumber,
            issuedAt: invoiceIssuedAt!,
            hasDocument: hasDocument!,
            totalMinor: invoiceTotalMinor!,
            partnerId: invoicePartnerId!,
            document,
            buyer: invoiceBuyer,
          },
        }
      : {}),
  };
}
