/**
 * Breaches of fatal rules of CEN's and Peppol's schematrons that were once accepted, or refused under another rule or
 * none: each is the smallest change to a valid fixture that breaks the rule as its test expression reads, and the
 * refusal names that rule at that element.
 */
import { describe, expect, it } from 'vitest';
import { EN16931_CORE, fixture, judge, swap } from './judge';
import type { Invoice } from '../../contracts/invoice';
import { checkInvoice } from '../../domain/invoice-checks';

const base = fixture('peppol-invoice-allowances.xml');

/** The 12 % breakdown's category, the loyalty discount's and the returned brackets' line category. */
const SUBTOTAL_12 =
  /(<cbc:TaxAmount currencyID="EUR">7.30<\/cbc:TaxAmount>\s*<cac:TaxCategory>\s*<cbc:ID>)S(<\/cbc:ID>[\s\S]*?<cac:TaxScheme><cbc:ID>)VAT/;
const ALLOWANCE =
  /(<cbc:Amount currencyID="EUR">10.00<\/cbc:Amount>\s*<cac:TaxCategory>\s*<cbc:ID>)S(<\/cbc:ID>[\s\S]*?<cac:TaxScheme><cbc:ID>)VAT/;
const LINE_2 =
  /(<cbc:Name>Returned brackets<\/cbc:Name>\s*<cac:ClassifiedTaxCategory>\s*<cbc:ID>)S(<\/cbc:ID>[\s\S]*?<cac:TaxScheme><cbc:ID>)VAT/;

/** [rule, what breaks it, the document, the element the problem points at] */
const cases: [string, string, string, string][] = [
  [
    'BR-32',
    "a document allowance's category in the tax scheme GST",
    swap(base, ALLOWANCE, '$1S$2GST'),
    '/Invoice/cac:AllowanceCharge[1]/cac:TaxCategory/cac:TaxScheme/cbc:ID',
  ],
  [
    'BR-47',
    "a breakdown's category in the tax scheme GST",
    swap(base, SUBTOTAL_12, '$1S$2GST'),
    '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cac:TaxCategory/cac:TaxScheme/cbc:ID',
  ],
  [
    'BR-CO-04',
    "a line's category in the tax scheme GST",
    swap(base, LINE_2, '$1S$2GST'),
    '/Invoice/cac:InvoiceLine[2]/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID',
  ],
  [
    'BR-CL-17',
    "a breakdown's category Q",
    swap(base, SUBTOTAL_12, '$1Q$2VAT'),
    '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cac:TaxCategory/cbc:ID',
  ],
  [
    'BR-CL-17',
    "a document allowance's category Q",
    swap(base, ALLOWANCE, '$1Q$2VAT'),
    '/Invoice/cac:AllowanceCharge[1]/cac:TaxCategory/cbc:ID',
  ],
  [
    'BR-CL-18',
    "a line's category Q",
    swap(base, LINE_2, '$1Q$2VAT'),
    '/Invoice/cac:InvoiceLine[2]/cac:Item/cac:ClassifiedTaxCategory/cbc:ID',
  ],
  [
    'BR-17',
    "a payee named as the seller's trading name",
    swap(
      base,
      '<cac:PaymentMeans>',
      '<cac:PayeeParty><cac:PartyName><cbc:Name>Aurora Supplies</cbc:Name></cac:PartyName></cac:PayeeParty><cac:PaymentMeans>',
    ),
    '/Invoice/cac:PayeeParty/cac:PartyName/cbc:Name',
  ],
  [
    'BR-17',
    "a payee with the seller's identifier",
    swap(
      swap(
        base,
        '<cac:PartyName><cbc:Name>Aurora Supplies</cbc:Name></cac:PartyName>',
        '<cac:PartyIdentification><cbc:ID>S-1</cbc:ID></cac:PartyIdentification><cac:PartyName><cbc:Name>Aurora Supplies</cbc:Name></cac:PartyName>',
      ),
      '<cac:PaymentMeans>',
      '<cac:PayeeParty><cac:PartyIdentification><cbc:ID>S-1</cbc:ID></cac:PartyIdentification><cac:PartyName><cbc:Name>Factor AB</cbc:Name></cac:PartyName></cac:PayeeParty><cac:PaymentMeans>',
    ),
    '/Invoice/cac:PayeeParty/cac:PartyIdentification/cbc:ID',
  ],
  [
    'UBL-DT-01',
    'a payment terms amount with three decimals (an amount the reader passes over)',
    swap(
      base,
      '<cbc:Note>30 days net</cbc:Note>',
      '<cbc:Note>30 days net</cbc:Note><cbc:Amount currencyID="EUR">589.250</cbc:Amount>',
    ),
    '/Invoice/cac:PaymentTerms/cbc:Amount',
  ],
  [
    'UBL-DT-01',
    "a breakdown's amount in the transaction currency with three decimals",
    swap(
      base,
      '<cbc:TaxAmount currencyID="EUR">7.30</cbc:TaxAmount>',
      '<cbc:TaxAmount currencyID="EUR">7.30</cbc:TaxAmount><cbc:TransactionCurrencyTaxAmount currencyID="EUR">7.300</cbc:TransactionCurrencyTaxAmount>',
    ),
    '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cbc:TransactionCurrencyTaxAmount',
  ],
  [
    'PEPPOL-EN16931-R004',
    'a specification naming Peppol BIS, but conformant rather than compliant to EN 16931',
    swap(base, '2017#compliant#urn:fdc', '2017#conformant#urn:fdc'),
    '/Invoice/cbc:CustomizationID',
  ],
  [
    'PEPPOL-EN16931-R101',
    "a line's document reference without the type code 130",
    swap(
      base,
      '<cbc:LineExtensionAmount currencyID="EUR">-60.00</cbc:LineExtensionAmount>',
      '<cbc:LineExtensionAmount currencyID="EUR">-60.00</cbc:LineExtensionAmount><cac:DocumentReference><cbc:ID>O-1</cbc:ID></cac:DocumentReference>',
    ),
    '/Invoice/cac:InvoiceLine[2]/cac:DocumentReference/cbc:DocumentTypeCode',
  ],
  [
    'PEPPOL-EN16931-R100',
    'a line with two document references (UBL-SR-52 as well)',
    swap(
      base,
      '<cbc:LineExtensionAmount currencyID="EUR">-60.00</cbc:LineExtensionAmount>',
      '<cbc:LineExtensionAmount currencyID="EUR">-60.00</cbc:LineExtensionAmount>' +
        '<cac:DocumentReference><cbc:ID>O-1</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:DocumentReference>'.repeat(
          2,
        ),
    ),
    '/Invoice/cac:InvoiceLine[2]/cac:DocumentReference[2]',
  ],
];

/** The credit note with its one line (S 20 %) under a breakdown in O (not subject to VAT), without VAT ids. */
const creditNoteO = swap(
  swap(
    swap(
      fixture('peppol-credit-note.xml'),
      /<cac:TaxTotal>[\s\S]*<\/cac:TaxTotal>/,
      '<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">0.00</cbc:TaxAmount><cac:TaxSubtotal>' +
        '<cbc:TaxableAmount currencyID="EUR">192.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">0.00</cbc:TaxAmount>' +
        '<cac:TaxCategory><cbc:ID>O</cbc:ID><cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode>' +
        '<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>',
    ),
    /<cac:PartyTaxScheme>[\s\S]*?<\/cac:PartyTaxScheme>/g,
    '',
  ),
  /230.40/g,
  '192.00',
);

describe('fatal schematron rules once accepted or refused under no rule', () => {
  it('accepts the fixture, and a tax scheme written in lower case (the schematron upper-cases it)', () => {
    expect(judge(base)).toEqual([]);
    expect(judge(swap(base, SUBTOTAL_12, '$1S$2vat'))).toEqual([]);
  });

  it('UBL-DT-01 leaves prices and a discounted price alone (their decimals are free)', () => {
    const xml = swap(
      base,
      '<cbc:BaseAmount currencyID="EUR">12.00</cbc:BaseAmount>',
      '<cbc:BaseAmount currencyID="EUR">12.000</cbc:BaseAmount>',
    );
    expect(judge(xml)).toEqual([]);
  });

  it.each(cases)('%s: %s', (rule, _what, xml, pointer) => {
    expect(judge(xml)).toContainEqual(expect.objectContaining({ rule, pointer }));
  });

  it('BR-O-12: a breakdown in O with a line in S (the line is what the rule names)', () => {
    expect(judge(creditNoteO)).toContainEqual(
      expect.objectContaining({
        rule: 'BR-O-12',
        pointer: '/CreditNote/cac:CreditNoteLine[1]/cac:Item/cac:ClassifiedTaxCategory/cbc:ID',
      }),
    );
  });

  it('BR-CO-17 beside BR-S-09: a VAT amount a whole unit off the rate', () => {
    const rules = judge(swap(base, '<cbc:TaxAmount currencyID="EUR">7.30<', '<cbc:TaxAmount currencyID="EUR">8.30<'))
      .filter((p) => p.pointer === '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cbc:TaxAmount')
      .map((p) => p.rule);
    expect(rules).toEqual(['BR-S-09', 'BR-CO-17']);
  });

  it('BR-CO-17 at the rate 0: a Z breakdown with a VAT amount of 1.00', () => {
    const xml = swap(
      base,
      /(<cbc:TaxableAmount currencyID="EUR">2.33<\/cbc:TaxableAmount>\s*<cbc:TaxAmount currencyID="EUR">)0.00/,
      '$11.00',
    );
    expect(judge(xml)).toContainEqual(
      expect.objectContaining({ rule: 'BR-CO-17', pointer: '/Invoice/cac:TaxTotal/cac:TaxSubtotal[3]/cbc:TaxAmount' }),
    );
  });

  it('BR-B-01 and BR-B-02: split payment (B) outside Italy and beside items in S', () => {
    const xml = swap(
      swap(base, /(<cbc:Name>Training course<\/cbc:Name>\s*<cac:ClassifiedTaxCategory>\s*<cbc:ID>)E/, '$1B'),
      /(<cbc:TaxableAmount currencyID="EUR">100.00<\/cbc:TaxableAmount>[\s\S]*?<cbc:ID>)E(<\/cbc:ID>)/,
      '$1B$2',
    );
    const line = '/Invoice/cac:InvoiceLine[6]/cac:Item/cac:ClassifiedTaxCategory/cbc:ID';
    const problems = judge(xml);
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'BR-B-01', pointer: line }));
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'BR-B-02', pointer: line }));
  });

  it('holds a split payment (B) breakdown to no taxable-amount rule: EN 16931 has none for B', () => {
    const invoice: Invoice = {
      specification: EN16931_CORE,
      invoiceNumber: 'IT-1',
      issueDate: '2026-11-02',
      dueDate: '2026-12-02',
      currency: 'EUR',
      supplier: { name: 'Venditore', vatId: 'IT12345678901', address: { country: 'IT' } },
      customer: { name: 'Acquirente', vatId: 'IT10987654321', address: { country: 'IT' } },
      lines: [
        {
          id: '1',
          description: 'Goods',
          quantity: 1,
          unitPriceMinor: 10_000,
          lineTotalMinor: 10_000,
          taxCategory: 'B',
          taxRateBasisPoints: 2200,
        },
      ],
      lineExtensionMinor: 10_000,
      taxExclusiveMinor: 10_000,
      taxTotalMinor: 2200,
      taxInclusiveMinor: 12_200,
      payableMinor: 12_200,
      taxBreakdown: [{ category: 'B', rateBasisPoints: 2200, taxableMinor: 10_000, taxMinor: 2200 }],
    };
    expect(checkInvoice(invoice)).toEqual([]);
    const offByOne = { ...invoice, taxBreakdown: [{ ...invoice.taxBreakdown![0]!, taxableMinor: 9_999 }] };
    expect(checkInvoice(offByOne)).toEqual([]);
  });
});
