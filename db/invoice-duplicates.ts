/** Finding an earlier invoice submission of a partner with the same invoice number (the duplicate check). */
import type { Queryable } from './pool';

/**
 * The earliest other live or completed invoice submission of the partner with this invoice number, created before
 * the given one. Failed and cancelled submissions do not count: a partner may send a rejected invoice again.
 */
export async function findEarlierInvoiceSubmission(
  db: Queryable,
  q: { partnerId: string; submissionId: string; invoiceNumber: string },
): Promise<{ id: string; status: string } | undefined> {
  // Compared within the submission's own type: invoices and credit notes are numbered in their own series.
  const { rows } = await db.query<{ id: string; status: string }>(
    `SELECT s.id, s.status FROM submissions s, submissions me
      WHERE me.id = $2 AND s.partner_id = $1 AND s.type = me.type AND s.id <> me.id
        AND s.payload->>'invoiceNumber' = $3 AND s.status NOT IN ('failed', 'cancelled')
        AND (s.created_at, s.id) < (me.created_at, me.id)
      ORDER BY s.created_at LIMIT 1`,
    [q.partnerId, q.submissionId, q.invoiceNumber],
  );
  return rows[0];
}
