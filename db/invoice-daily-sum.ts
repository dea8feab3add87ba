/** A partner's rolling 24-hour invoice sum, for the approval gate's daily limit. */
import type pg from 'pg';
import { withTransaction } from './pool';

/** What a submission row `s` adds to what we pay: an invoice its payable amount, a credit note below zero its size. */
const RAISES = (s: string): string =>
  `greatest(0, CASE WHEN ${s}.type = 'credit_note' THEN -1 ELSE 1 END * (${s}.payload->>'payableMinor')::bigint)`;

/**
 * The sum of what the partner's other invoices (same currency, not failed or cancelled) checked in the 24 hours before
 * this one add to what we pay, this one's own, and the partner's daily limit. An invoice adds its payable amount; a
 * credit note totalling less than zero adds that much (it raises a payout), one of zero or more adds nothing.
 *
 * The checks of one partner take turns (a transaction-scoped advisory lock), and each marks its invoice the first
 * time it runs, after every earlier mark of the partner's; an invoice counts those marked before it. So of any two
 * invoices, the one checked second counts the other, in whatever order their storing transactions began and
 * committed: a batch that began before an invoice sent meanwhile and committed after that invoice's check is counted
 * by its own. A retried check keeps its first mark, so it counts the same invoices (less any that failed or were
 * cancelled since, and against the partner's limit as it is then).
 */
export async function invoiceDailySum(
  pool: pg.Pool,
  submissionId: string,
): Promise<{ earlierMinor: number; ownMinor: number; limitMinor: number }> {
  return withTransaction(pool, async (tx) => {
    await tx.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('invoice-daily-sum:' || partner_id, 0)) FROM submissions WHERE id = $1`,
      [submissionId],
    );
    // After every mark of the partner's, even when the clock reads the same instant (the embedded database's ticks
    // in milliseconds) or was set back: a mark equal to or before an earlier check's would leave both uncounted.
    await tx.query(
      `UPDATE submissions me
          SET daily_checked_at = greatest(clock_timestamp(), (
                SELECT max(s.daily_checked_at) + interval '1 microsecond' FROM submissions s
                 WHERE s.partner_id = me.partner_id AND s.daily_checked_at IS NOT NULL))
        WHERE me.id = $1 AND me.daily_checked_at IS NULL`,
      [submissionId],
    );
    // A statement of its own, after the lock: its snapshot holds every check that took its turn before this one.
    const { rows } = await tx.query<{ earlierMinor: string; ownMinor: string; limitMinor: string }>(
      `SELECT coalesce((
                SELECT sum(${RAISES('s')}) FROM submissions s
                 WHERE s.partner_id = me.partner_id AND s.type IN ('invoice', 'credit_note') AND s.id <> me.id
                   AND s.status NOT IN ('failed', 'cancelled')
                   AND s.payload->>'currency' = me.payload->>'currency'
                   AND s.daily_checked_at > me.daily_checked_at - interval '24 hours'
                   AND (s.daily_checked_at, s.id) < (me.daily_checked_at, me.id)
              ), 0)::text AS "earlierMinor",
              ${RAISES('me')}::text AS "ownMinor",
              p.approval_daily_limit_minor::text AS "limitMinor"
         FROM submissions me JOIN partners p ON p.id = me.partner_id
        WHERE me.id = $1`,
      [submissionId],
    );
    const row = rows[0];
    if (!row) return { earlierMinor: 0, ownMinor: 0, limitMinor: Number.MAX_SAFE_INTEGER };
    return {
      earlierMinor: Number(row.earlierMinor),
      ownMinor: Number(row.ownMinor),
      limitMinor: Number(row.limitMinor),
    };
  });
}
