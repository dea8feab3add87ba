/** The billing report as CSV (RFC 4180): one line per charge of a run. */

/** One line of a billing report. */
export interface BillingReportLine {
  subscriptionId: string;
  partnerId: string;
  partnerName: string;
  plan: string;
  subscriberEmail: string;
  period: string;
  amountMinor: number;
  currency: string;
  /** charged, failed, skipped or would_charge (dry run). */
  status: string;
  chargeId: string | null;
  detail: string | null;
}

/** Column order of the report. */
export const REPORT_COLUMNS = [
  'subscription_id',
  'partner_id',
  'partner_name',
  'plan',
  'subscriber_email',
  'period',
  'amount_minor',
  'amount',
  'currency',
  'status',
  'charge_id',
  'detail',
] as const;

/**
 * One CSV field. Quoted when it holds a comma, quote or line break (quotes doubled). Text that a spreadsheet would
 * run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe: partner and plan names come from outside.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Formats minor units as a plain decimal (`1250` gives `12.50`) for spreadsheets. */
export function decimalAmount(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The whole report: a header line, then one line per charge; CRLF line ends as RFC 4180 asks. */
export function billingReportCsv(lines: BillingReportLine[]): string {
  const rows = lines.map((l) =>
    [
      csvField(l.subscriptionId),
      csvField(l.partnerId),
      csvField(l.partnerName),
      csvField(l.plan),
      csvField(l.subscriberEmail),
      csvField(l.period),
      csvField(l.amountMinor),
      decimalAmount(l.amountMinor),
      csvField(l.currency),
      csvField(l.status),
      csvField(l.chargeId),
      csvField(l.detail),
    ].join(','),
  );
  return [REPORT_COLUMNS.join(','), ...rows].map((r) => `${r}\r\n`).join('');
}
