/**
 * Peppol BIS Billing 3.0's own fatal rules on an invoice's content (PEPPOL-EN16931-R002, R041, R042, R055, R061,
 * R110, R111, P0104 .. P0111 and P0112), for an invoice that claims Peppol BIS. Those on the UBL syntax itself (the profile,
 * the electronic addresses, the VAT totals: R001, R003, R007, R010, R020, R053, R054, P0100, P0101) are the reader's.
 * Pure, like the other checks.
 */
import type { Invoice } from '../contracts/invoice';
import { betweenGermanParties } from './peppol-national-rules';

/** One broken rule, pointing at the canonical field (the shape of invoice-checks' problems). */
export interface DocumentRuleProblem {
  rule: string;
  pointer: string;
  message: string;
}

/** The VAT category an exemption reason code belongs to (P0104 .. P0111). */
const CATEGORY_OF_VATEX: ReadonlyMap<string, { category: string; rule: string }> = new Map([
  ['VATEX-EU-G', { category: 'G', rule: 'PEPPOL-EN16931-P0104' }],
  ['VATEX-EU-O', { category: 'O', rule: 'PEPPOL-EN16931-P0105' }],
  ['VATEX-EU-IC', { category: 'K', rule: 'PEPPOL-EN16931-P0106' }],
  ['VATEX-EU-AE', { category: 'AE', rule: 'PEPPOL-EN16931-P0107' }],
  ['VATEX-EU-D', { category: 'E', rule: 'PEPPOL-EN16931-P0108' }],
  ['VATEX-EU-F', { category: 'E', rule: 'PEPPOL-EN16931-P0109' }],
  ['VATEX-EU-I', { category: 'E', rule: 'PEPPOL-EN16931-P0110' }],
  ['VATEX-EU-J', { category: 'E', rule: 'PEPPOL-EN16931-P0111' }],
]);

/** Direct debit payment means (R061 asks them for a mandate reference). */
const DIRECT_DEBIT = new Set(['49', '59']);

/** Every Peppol document rule the invoice breaks. */
export function checkPeppolDocumentRules(invoice: Invoice): DocumentRuleProblem[] {
  const problems: DocumentRuleProblem[] = [];
  const add = (rule: string, pointer: string, message: string) => problems.push({ rule, pointer, message });

  // R041, R042: a percentage and its base go together, on every allowance and charge.
  const allowanceCharges = [
    ...(invoice.allowanceCharges ?? []).map((ac, j) => ({ ac, p: `/allowanceCharges/${j}` })),
    ...invoice.lines.flatMap((line, i) =>
      (line.allowanceCharges ?? []).map((ac, j) => ({ ac, p: `/lines/${i}/allowanceCharges/${j}` })),
    ),
  ];
  for (const { ac, p } of allowanceCharges) {
    if (ac.percentBasisPoints !== undefined && ac.baseAmountMinor === undefined)
      add('PEPPOL-EN16931-R041', `${p}/baseAmountMinor`, 'a percentage (BT-94, BT-101...) needs its base amount');
    if (ac.baseAmountMinor !== undefined && ac.percentBasisPoints === undefined)
      add('PEPPOL-EN16931-R042', `${p}/percentBasisPoints`, 'a base amount (BT-93, BT-100...) needs its percentage');
  }

  // R055: the VAT total in the accounting currency has the sign of the one in the document currency.
  const inTaxCurrency = invoice.taxTotalInTaxCurrencyMinor;
  if (
    invoice.taxCurrency &&
    inTaxCurrency !== undefined &&
    Math.sign(inTaxCurrency) * Math.sign(invoice.taxTotalMinor) < 0
  )
    add(
      'PEPPOL-EN16931-R055',
      '/taxTotalInTaxCurrencyMinor',
      'the VAT total in the accounting currency (BT-111) must have the sign of the VAT total (BT-110)',
    );

  // R061: a direct debit names its mandate.
  const payment = invoice.payment;
  if (payment && DIRECT_DEBIT.has(payment.meansCode.trim()) && !payment.mandate?.id?.trim())
    add('PEPPOL-EN16931-R061', '/payment/mandate', 'a direct debit (49, 59) needs its mandate reference (BT-89)');

  // R110, R111: a line period lies within the invoice period, where that has the date.
  const period = invoice.invoicePeriod;
  invoice.lines.forEach((line, i) => {
    const start = line.period?.startDate;
    const end = line.period?.endDate;
    if (start && period?.startDate && start < period.startDate)
      add(
        'PEPPOL-EN16931-R110',
        `/lines/${i}/period/startDate`,
        `${start} is before the invoice period's start ${period.startDate}`,
      );
    if (end && period?.endDate && end > period.endDate)
      add(
        'PEPPOL-EN16931-R111',
        `/lines/${i}/period/endDate`,
        `${end} is after the invoice period's end ${period.endDate}`,
      );
  });

  // P0104 .. P0111: an exemption reason code names the category it belongs to.
  invoice.taxBreakdown?.forEach((b, k) => {
    const code = b.exemptionReasonCode?.trim().toUpperCase();
    const expected = code === undefined ? undefined : CATEGORY_OF_VATEX.get(code);
    if (expected && b.category !== expected.category)
      add(
        expected.rule,
        `/taxBreakdown/${k}/category`,
        `exemption reason code ${code} belongs to category ${expected.category}, not ${b.category}`,
      );
  });

  const german = betweenGermanParties(invoice);

  // R002: one document note, unless both are German (EN 16931 itself allows any number).
  if ((invoice.notes?.length ?? 0) > 1 && !german)
    add(
      'PEPPOL-EN16931-R002',
      '/notes/1',
      'a document note (BT-22) may appear only once, unless seller and buyer are both German',
    );

  // P0112: 326 (partial invoice) and 384 (corrected invoice) only between German parties.
  const typeCode = invoice.typeCode?.trim();
  if ((typeCode === '326' || typeCode === '384') && !german)
    add(
      'PEPPOL-EN16931-P0112',
      '/typeCode',
      `type code ${typeCode} is allowed only when both the seller's and the buyer's address are in Germany`,
    );
  return problems;
}
