/** The report CSV: RFC 4180 quoting, formula-looking text neutralised, amounts in minor units and as decimals. */
import { describe, expect, it } from 'vitest';
import { billingReportCsv, csvField, REPORT_COLUMNS, type BillingReportLine } from '../../domain/billing/report-csv';
import { parseCsv } from './csv';

const line: BillingReportLine = {
  subscriptionId: 'subscr_1',
  partnerId: 'ptn_1',
  partnerName: 'Acme, "Best" Ltd',
  plan: 'Gold\nplus',
  subscriberEmail: 'a@example.com',
  period: '2027-01-31',
  amountMinor: 1905,
  currency: 'EUR',
  status: 'failed',
  chargeId: null,
  detail: 'card_declined',
};

describe('billing report CSV', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('+1')).toBe("'+1");
  });

  it('writes a header and one CRLF line per charge that a CSV reader gets back intact', () => {
    const csv = billingReportCsv([
      line,
      {
        ...line,
        subscriptionId: 'subscr_2',
        status: 'charged',
        amountMinor: 5,
        chargeId: 'ch_1',
        detail: null,
        plan: 'Basic',
        partnerName: 'Beta',
      },
    ]);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...REPORT_COLUMNS]);
    expect(rows[1]).toEqual([
      'subscr_1',
      'ptn_1',
      'Acme, "Best" Ltd',
      'Gold\nplus',
      'a@example.com',
      '2027-01-31',
      '1905',
      '19.05',
      'EUR',
      'failed',
      '',
      'card_declined',
    ]);
    expect(rows[2]!.slice(6, 11)).toEqual(['5', '0.05', 'EUR', 'charged', 'ch_1']);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(rows).toHaveLength(3);
  });
});
