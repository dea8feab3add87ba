/**
 * The day an invoice's payout falls due: its due date, else its issue date plus the payment term, never before today.
 * ISO dates compare as text only while they have four-digit years, so a term that runs past 9999-12-31 ends there:
 * `Date` would write `+010000-01-14`, which sorts before every ordinary date and would pay out at once.
 * Pure, so the ledger activity and its tests share it.
 */

/** The latest date an ISO `YYYY-MM-DD` string can hold. */
const LAST_DATE = '9999-12-31';

/** `date` plus `days`, as `YYYY-MM-DD`; no later than 9999-12-31. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  const year = d.getUTCFullYear();
  if (Number.isNaN(year) || year > 9999) return LAST_DATE;
  return d.toISOString().slice(0, 10);
}

/** When the payout of an invoice is due (`today` as `YYYY-MM-DD`). */
export function payoutDueDate(
  invoice: { issueDate: string; dueDate?: string },
  today: string,
  paymentTermDays: number,
): string {
  const due = invoice.dueDate ?? addDays(invoice.issueDate, paymentTermDays);
  return due < today ? today : due;
}
