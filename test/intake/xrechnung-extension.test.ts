/**
 * XRechnung's extension: third-party payments (BG-DEX-09, UBL's PrepaidPayment) are read, written back and count in
 * the amount due (BR-DEX-09 in place of BR-CO-16), each with its type, amount and description (BR-DEX-10 .. -14).
 * Outside the extension a PrepaidPayment means nothing to EN 16931.
 */
import { describe, expect, it } from 'vitest';
import { checkInvoice } from '../../domain/invoice-checks';
import { writeUbl } from '../../domain/ubl/writer';
import { claiming, fixture, judge, read, swap } from './judge';

const XRECHNUNG = 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0';
const EXTENSION = `${XRECHNUNG}#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0`;

/** Two payments to third parties, 19.96 and 10.00, before the allowances (UBL's order: after PaymentTerms). */
const PAYMENTS =
  '<cac:PrepaidPayment><cbc:ID>MobilePayment</cbc:ID><cbc:PaidAmount currencyID="EUR">19.96</cbc:PaidAmount>' +
  '<cbc:InstructionID>Mobile payment, provider A</cbc:InstructionID></cac:PrepaidPayment>' +
  '<cac:PrepaidPayment><cbc:ID>MobilePayment</cbc:ID><cbc:PaidAmount currencyID="EUR">10.00</cbc:PaidAmount>' +
  '<cbc:InstructionID>Mobile payment, provider B</cbc:InstructionID></cac:PrepaidPayment>';

/** The XRechnung fixture under `specification`, with the payments, and its amount due 1059.00 + 29.96. */
function withPayments(specification: string, payments = PAYMENTS, payable = '1088.96'): string {
  const xml = swap(
    claiming(fixture('xrechnung-invoice.xml'), specification),
    '</cac:PaymentTerms>',
    `</cac:PaymentTerms>${payments}`,
  );
  return swap(xml, '<cbc:PayableAmount currencyID="EUR">1059.00<', `<cbc:PayableAmount currencyID="EUR">${payable}<`);
}

describe("XRechnung's extension: third-party payments", () => {
  const xml = withPayments(EXTENSION);

  it('are read and added to the amount due (BR-DEX-09), and written back as they came', () => {
    expect(judge(xml)).toEqual([]);
    const invoice = read(xml);
    expect(invoice.thirdPartyPayments).toEqual([
      { type: 'MobilePayment', amountMinor: 1996, description: 'Mobile payment, provider A' },
      { type: 'MobilePayment', amountMinor: 1000, description: 'Mobile payment, provider B' },
    ]);
    expect(invoice.payableMinor).toBe(108_896);
    // Written back (embedded documents are stored apart and not written, so the rest is compared).
    const written = writeUbl(invoice);
    expect(judge(written)).toEqual([]);
    expect({ ...read(written), attachments: undefined }).toEqual({ ...invoice, attachments: undefined });
  });

  it('refuse an amount due that leaves them out, under BR-DEX-09', () => {
    expect(judge(withPayments(EXTENSION, PAYMENTS, '1059.00'))).toEqual([
      expect.objectContaining({ rule: 'BR-DEX-09', pointer: '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount' }),
    ]);
  });

  it('mean nothing outside the extension: the amount due is then off under BR-CO-16', () => {
    expect(judge(withPayments(XRECHNUNG))).toEqual([
      expect.objectContaining({ rule: 'BR-CO-16', pointer: '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount' }),
    ]);
    expect(read(withPayments(XRECHNUNG)).thirdPartyPayments).toBeUndefined();
  });

  it.each([
    ['BR-DEX-10', 'a type', '<cbc:ID>MobilePayment</cbc:ID>', '', 'cbc:ID'],
    ['BR-DEX-11', 'an amount', '<cbc:PaidAmount currencyID="EUR">19.96</cbc:PaidAmount>', '', 'cbc:PaidAmount'],
    [
      'BR-DEX-12',
      'a description',
      '<cbc:InstructionID>Mobile payment, provider A</cbc:InstructionID>',
      '',
      'cbc:InstructionID',
    ],
    ['BR-DEX-13', 'two decimals', '>19.96<', '>19.960<', 'cbc:PaidAmount'],
    ['BR-DEX-14', 'the document currency', 'currencyID="EUR">19.96', 'currencyID="USD">19.96', 'cbc:PaidAmount'],
  ])('%s: each names %s', (rule, _what, from, to, element) => {
    const broken = withPayments(EXTENSION, PAYMENTS.replace(from, to));
    expect(judge(broken)).toContainEqual(
      expect.objectContaining({ rule, pointer: `/Invoice/cac:PrepaidPayment[1]/${element}` }),
    );
  });

  it('are refused in JSON that does not claim the extension, or on a credit note', () => {
    const invoice = read(xml);
    const plain = { ...invoice, specification: XRECHNUNG };
    expect(checkInvoice(plain).map((p) => p.rule)).toEqual(['BR-CO-16', 'PW-THIRD-PARTY']);
    const note = { ...invoice, documentType: 'credit_note' as const, typeCode: '381' };
    expect(checkInvoice(note).map((p) => p.rule)).toEqual(['PW-THIRD-PARTY']);
  });
});
