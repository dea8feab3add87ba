/** A partner's rolling 24-hour invoice sum, for the approval gate's daily limit. */
import type { Queryable } from './pool';

/**
 * The sum of the partner's other invoices (same currency, not failed or cancelled) received in the 24 hours before
 * this one, this invoice's own amount, and the partner's daily limit. Measured from the invoice's own arrival, so a
 * retried activity answers the same.
 */
export async function invoiceDailySum(
  db: Queryable,
  submissionId: string,
): Promise<{ earlierMinor: number; ownMinor: number; limitMinor: number }> {
  const { rows } = await db.query<{ earlierMinor: string; ownMinor: string; limitMinor: string }>(
    `SELECT coalesce((
              SELECT sum(greatest(0, (s.payload->>'payableMinor')::bigint)) FROM submissions s
               WHERE s.partner_id = me.partner_id AND s.type = 'invoice' AND s.id <> me.id
                 AND s.status NOT IN ('failed', 'cancelled')
                 AND s.payload->>'currency' = me.payload->>'currency'
                 AND s.created_at > me.created_at - interval '24 hours'
                 AND (s.created_at, s.id) < (me.created_at, me.id)
            ), 0)::text AS "earlierMinor",
            greatest(0, (me.payload->>'payableMinor')::bigint)::text AS "ownMinor",
            p.approval_daily_limit_minor::text AS "limitMinor"
       FROM submissions me JOIN partners p ON p.id = me.partner_id
      WHERE me.id = $1`,
    [submissionId],
  );
  const row = rows[0];
  if (!row) return { earlierMinor: 0, ownMinor: 0, limitMinor: Number.MAX_SAFE_INTEGER };
  return { earlierMinor: Number(row.earlierMinor), ownMinor: Number(row.ownMinor), limitMinor: Number(row.limitMinor) };
}
