/** The `orders` table: orders as persisted by the order workflow. */
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

/** Loads a persisted order. */
export async function getOrder(db: Queryable, submissionId: string): Promise<StoredOrder | undefined> {
  const { rows } = await db.query<StoredOrder>(
    `SELECT o.submission_id AS "submissionId", o.partner_id AS "partnerId", p.name AS "partnerName",
            p.contact_email AS "partnerEmail", o.order_number AS "orderNumber", o.currency,
            o.customer_name AS "customerName", o.customer_email AS "customerEmail",
            o.subtotal_minor AS "subtotalMinor", o.tax_minor AS "taxMinor", o.total_minor AS "totalMinor", o.lines
       FROM orders o JOIN partners p ON p.id = o.partner_id
      WHERE o.submission_id = $1`,
    [submissionId],
  );
  return rows[0];
}
