/**
 * Each refusal names the rule as CEN's and Peppol's schematrons name it (the id a validator prints: BR-CO-04, not
 * BR-CO-4) and the element: a missing mandatory element under its BR-nn, an amount with three decimals under the
 * BR-DEC-nn of that element.
 */
import { describe, expect, it } from 'vitest';
import { claiming, EN16931_CORE, fixture, judge, swap } from './judge';

const base = fixture('peppol-invoice-allowances.xml');

/** The document with the first match of `from` replaced (a regular expression must match). */
function breach(from: RegExp, to: string): string {
  return swap(base, from, to);
}

const DOC_ALLOWANCE = /(<cac:AllowanceCharge>\s*<cbc:ChargeIndicator>false<\/cbc:ChargeIndicator>[\s\S]*?)/;
const DOC_CHARGE = /(<cac:AllowanceCharge>\s*<cbc:ChargeIndicator>true<\/cbc:ChargeIndicator>[\s\S]*?)/;
const LINE_ALLOWANCE =
  /(<cbc:LineExtensionAmount currencyID="EUR">470.00<\/cbc:LineExtensionAmount>\s*<cac:AllowanceCharge>[\s\S]*?)/;
const LINE_CHARGE =
  /(<cbc:BaseAmount currencyID="EUR">500.00<\/cbc:BaseAmount>\s*<\/cac:AllowanceCharge>\s*<cac:AllowanceCharge>[\s\S]*?)/;
const MONETARY_TOTAL = '/Invoice/cac:LegalMonetaryTotal';

/** [rule, what breaks it, the document, the element the problem points at] */
const cases: [string, string, string, string][] = [
  ['BR-02', 'no invoice number', breach(/<cbc:ID>AC-2026-0099<\/cbc:ID>/, ''), '/Invoice/cbc:ID'],
  ['BR-03', 'no issue date', breach(/<cbc:IssueDate>[^<]*<\/cbc:IssueDate>/, ''), '/Invoice/cbc:IssueDate'],
  [
    'BR-05',
    'no document currency',
    breach(/<cbc:DocumentCurrencyCode>[^<]*<\/cbc:DocumentCurrencyCode>/, ''),
    '/Invoice/cbc:DocumentCurrencyCode',
  ],
  [
    'BR-12',
    'no sum of line net amounts',
    breach(/(<cac:LegalMonetaryTotal>\s*)<cbc:LineExtensionAmount[^>]*>[^<]*<\/cbc:LineExtensionAmount>/, '$1'),
    `${MONETARY_TOTAL}/cbc:LineExtensionAmount`,
  ],
  [
    'BR-13',
    'no total without VAT',
    breach(/<cbc:TaxExclusiveAmount[^>]*>[^<]*<\/cbc:TaxExclusiveAmount>/, ''),
    `${MONETARY_TOTAL}/cbc:TaxExclusiveAmount`,
  ],
  [
    'BR-14',
    'no total with VAT',
    breach(/<cbc:TaxInclusiveAmount[^>]*>[^<]*<\/cbc:TaxInclusiveAmount>/, ''),
    `${MONETARY_TOTAL}/cbc:TaxInclusiveAmount`,
  ],
  [
    'BR-15',
    'no amount due',
    breach(/<cbc:PayableAmount[^>]*>[^<]*<\/cbc:PayableAmount>/, ''),
    `${MONETARY_TOTAL}/cbc:PayableAmount`,
  ],
  [
    'BR-24',
    'a line without its net amount',
    breach(
      /(<cbc:ID>2<\/cbc:ID>\s*<cbc:InvoicedQuantity[^>]*>-2<\/cbc:InvoicedQuantity>\s*)<cbc:LineExtensionAmount[^>]*>[^<]*<\/cbc:LineExtensionAmount>/,
      '$1',
    ),
    '/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount',
  ],
  [
    'BR-31',
    'a document level allowance without its amount',
    breach(new RegExp(DOC_ALLOWANCE.source + '<cbc:Amount currencyID="EUR">10.00</cbc:Amount>'), '$1'),
    '/Invoice/cac:AllowanceCharge[1]/cbc:Amount',
  ],
  [
    'BR-36',
    'a document level charge without its amount',
    breach(new RegExp(DOC_CHARGE.source + '<cbc:Amount currencyID="EUR">15.00</cbc:Amount>'), '$1'),
    '/Invoice/cac:AllowanceCharge[2]/cbc:Amount',
  ],
  [
    'BR-41',
    'a line allowance without its amount',
    breach(new RegExp(LINE_ALLOWANCE.source + '<cbc:Amount currencyID="EUR">50.00</cbc:Amount>'), '$1'),
    '/Invoice/cac:InvoiceLine[1]/cac:AllowanceCharge[1]/cbc:Amount',
  ],
  [
    'BR-43',
    'a line charge without its amount',
    breach(new RegExp(LINE_CHARGE.source + '<cbc:Amount currencyID="EUR">20.00</cbc:Amount>'), '$1'),
    '/Invoice/cac:InvoiceLine[1]/cac:AllowanceCharge[2]/cbc:Amount',
  ],
  [
    'BR-32',
    'a document level allowance without its VAT category',
    breach(new RegExp(DOC_ALLOWANCE.source + '<cbc:ID>S</cbc:ID>'), '$1'),
    '/Invoice/cac:AllowanceCharge[1]/cac:TaxCategory/cbc:ID',
  ],
  [
    'BR-37',
    'a document level charge without its VAT category',
    breach(new RegExp(DOC_CHARGE.source + '<cbc:ID>S</cbc:ID>'), '$1'),
    '/Invoice/cac:AllowanceCharge[2]/cac:TaxCategory/cbc:ID',
  ],
  [
    'BR-33',
    'a document level allowance without a reason',
    breach(
      new RegExp(
        DOC_ALLOWANCE.source +
          '<cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>\\s*<cbc:AllowanceChargeReason>Loyalty discount</cbc:AllowanceChargeReason>',
      ),
      '$1',
    ),
    '/Invoice/cac:AllowanceCharge[1]',
  ],
  [
    'BR-38',
    'a document level charge without a reason',
    breach(
      new RegExp(
        DOC_CHARGE.source +
          '<cbc:AllowanceChargeReasonCode>FC</cbc:AllowanceChargeReasonCode>\\s*<cbc:AllowanceChargeReason>Freight</cbc:AllowanceChargeReason>',
      ),
      '$1',
    ),
    '/Invoice/cac:AllowanceCharge[2]',
  ],
  [
    'BR-44',
    'a line charge without a reason',
    breach(/<cbc:AllowanceChargeReason>Packing<\/cbc:AllowanceChargeReason>/, ''),
    '/Invoice/cac:InvoiceLine[1]/cac:AllowanceCharge[2]',
  ],
  [
    'BR-45',
    'a VAT breakdown without its taxable amount',
    breach(/<cbc:TaxableAmount currencyID="EUR">60.85<\/cbc:TaxableAmount>/, ''),
    '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cbc:TaxableAmount',
  ],
  [
    'BR-46',
    'a VAT breakdown without its VAT amount',
    breach(/<cbc:TaxAmount currencyID="EUR">7.30<\/cbc:TaxAmount>/, ''),
    '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cbc:TaxAmount',
  ],
  [
    'BR-47',
    'a VAT breakdown without its category',
    breach(/(<cbc:TaxAmount currencyID="EUR">7.30<\/cbc:TaxAmount>\s*<cac:TaxCategory>\s*)<cbc:ID>S<\/cbc:ID>/, '$1'),
    '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cac:TaxCategory/cbc:ID',
  ],
  [
    'BR-52',
    'a supporting document without its reference',
    breach(/<cbc:ID>TS-1<\/cbc:ID>/, ''),
    '/Invoice/cac:AdditionalDocumentReference[1]/cbc:ID',
  ],
  [
    'BR-55',
    'a preceding invoice reference without its number',
    breach(
      /<cac:AdditionalDocumentReference>/,
      '<cac:BillingReference><cac:InvoiceDocumentReference><cbc:IssueDate>2026-10-01</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>\n  <cac:AdditionalDocumentReference>',
    ),
    '/Invoice/cac:BillingReference[1]/cac:InvoiceDocumentReference/cbc:ID',
  ],
  [
    'BR-CO-04',
    'a line without its VAT category',
    breach(/(<cbc:Name>Returned brackets<\/cbc:Name>\s*<cac:ClassifiedTaxCategory>\s*)<cbc:ID>S<\/cbc:ID>/, '$1'),
    '/Invoice/cac:InvoiceLine[2]/cac:Item/cac:ClassifiedTaxCategory/cbc:ID',
  ],
  [
    'BR-28',
    'a negative gross price',
    breach(
      /<cbc:BaseAmount currencyID="EUR">12.00<\/cbc:BaseAmount>/,
      '<cbc:BaseAmount currencyID="EUR">-12.00</cbc:BaseAmount>',
    ),
    '/Invoice/cac:InvoiceLine[3]/cac:Price/cac:AllowanceCharge/cbc:BaseAmount',
  ],
];

/** [rule, the element, its text in the fixture] for every amount CEN holds to two decimals. */
const decimals: [string, RegExp, string][] = [
  [
    'BR-DEC-01',
    new RegExp(DOC_ALLOWANCE.source + '<cbc:Amount currencyID="EUR">10.00(?=<)'),
    '/Invoice/cac:AllowanceCharge[1]/cbc:Amount',
  ],
  [
    'BR-DEC-05',
    new RegExp(DOC_CHARGE.source + '<cbc:Amount currencyID="EUR">15.00(?=<)'),
    '/Invoice/cac:AllowanceCharge[2]/cbc:Amount',
  ],
  [
    'BR-DEC-09',
    /<cac:LegalMonetaryTotal>\s*<cbc:LineExtensionAmount currencyID="EUR">573.18(?=<)/,
    `${MONETARY_TOTAL}/cbc:LineExtensionAmount`,
  ],
  ['BR-DEC-10', /<cbc:AllowanceTotalAmount currencyID="EUR">10.00(?=<)/, `${MONETARY_TOTAL}/cbc:AllowanceTotalAmount`],
  ['BR-DEC-11', /<cbc:ChargeTotalAmount currencyID="EUR">15.00(?=<)/, `${MONETARY_TOTAL}/cbc:ChargeTotalAmount`],
  ['BR-DEC-12', /<cbc:TaxExclusiveAmount currencyID="EUR">578.18(?=<)/, `${MONETARY_TOTAL}/cbc:TaxExclusiveAmount`],
  ['BR-DEC-13', /<cac:TaxTotal>\s*<cbc:TaxAmount currencyID="EUR">111.05(?=<)/, '/Invoice/cac:TaxTotal/cbc:TaxAmount'],
  ['BR-DEC-14', /<cbc:TaxInclusiveAmount currencyID="EUR">689.23(?=<)/, `${MONETARY_TOTAL}/cbc:TaxInclusiveAmount`],
  ['BR-DEC-16', /<cbc:PrepaidAmount currencyID="EUR">100.00(?=<)/, `${MONETARY_TOTAL}/cbc:PrepaidAmount`],
  ['BR-DEC-17', /<cbc:PayableRoundingAmount currencyID="EUR">0.02(?=<)/, `${MONETARY_TOTAL}/cbc:PayableRoundingAmount`],
  ['BR-DEC-18', /<cbc:PayableAmount currencyID="EUR">589.25(?=<)/, `${MONETARY_TOTAL}/cbc:PayableAmount`],
  [
    'BR-DEC-19',
    /<cbc:TaxableAmount currencyID="EUR">60.85(?=<)/,
    '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cbc:TaxableAmount',
  ],
  ['BR-DEC-20', /<cbc:TaxAmount currencyID="EUR">7.30(?=<)/, '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cbc:TaxAmount'],
  [
    'BR-DEC-23',
    /<cbc:LineExtensionAmount currencyID="EUR">470.00(?=<)/,
    '/Invoice/cac:InvoiceLine[1]/cbc:LineExtensionAmount',
  ],
  [
    'BR-DEC-24',
    new RegExp(LINE_ALLOWANCE.source + '<cbc:Amount currencyID="EUR">50.00(?=<)'),
    '/Invoice/cac:InvoiceLine[1]/cac:AllowanceCharge[1]/cbc:Amount',
  ],
  [
    'BR-DEC-25',
    /<cbc:BaseAmount currencyID="EUR">500.00(?=<)/,
    '/Invoice/cac:InvoiceLine[1]/cac:AllowanceCharge[1]/cbc:BaseAmount',
  ],
  [
    'BR-DEC-27',
    new RegExp(LINE_CHARGE.source + '<cbc:Amount currencyID="EUR">20.00(?=<)'),
    '/Invoice/cac:InvoiceLine[1]/cac:AllowanceCharge[2]/cbc:Amount',
  ],
];

describe('a refusal names the rule and the element as the schematrons do', () => {
  it('accepts the fixture as it is', () => {
    expect(judge(base)).toEqual([]);
  });

  it.each(cases)('%s: %s', (rule, _what, xml, pointer) => {
    expect(judge(xml)).toContainEqual(expect.objectContaining({ rule, pointer }));
  });

  it("names both of CEN's rules for a reason missing (BR-33 and BR-CO-21), as a validator reports both", () => {
    const xml = cases.find(([rule]) => rule === 'BR-33')![2];
    const rules = judge(xml)
      .filter((p) => p.pointer === '/Invoice/cac:AllowanceCharge[1]')
      .map((p) => p.rule);
    expect(rules).toEqual(['BR-33', 'BR-CO-21']);
  });

  it.each(decimals)('%s: an amount written with three decimals', (rule, at, pointer) => {
    // A trailing zero keeps the value (and so every total) as it was: only the decimals written break the rule.
    const xml = swap(base, at, '$&0');
    expect(judge(xml)).toEqual([expect.objectContaining({ rule, pointer })]);
  });

  it('BR-DEC-02, -06, -15 and -28: a base amount and a VAT total in the accounting currency', () => {
    const withBases = swap(
      swap(
        base,
        new RegExp(DOC_ALLOWANCE.source + '(<cbc:Amount currencyID="EUR">10.00</cbc:Amount>)'),
        '$1$2<cbc:BaseAmount currencyID="EUR">100.000</cbc:BaseAmount>',
      ),
      new RegExp(LINE_CHARGE.source + '(<cbc:Amount currencyID="EUR">20.00</cbc:Amount>)'),
      '$1$2<cbc:BaseAmount currencyID="EUR">200.000</cbc:BaseAmount>',
    );
    expect(
      judge(withBases)
        .map((p) => p.rule)
        .sort(),
    ).toEqual(['BR-DEC-02', 'BR-DEC-28']);
    const charge = swap(
      base,
      new RegExp(DOC_CHARGE.source + '(<cbc:Amount currencyID="EUR">15.00</cbc:Amount>)'),
      '$1$2<cbc:BaseAmount currencyID="EUR">150.000</cbc:BaseAmount>',
    );
    expect(judge(charge).map((p) => p.rule)).toEqual(['BR-DEC-06']);
    const taxCurrency = swap(
      swap(
        base,
        /(<cbc:DocumentCurrencyCode>EUR<\/cbc:DocumentCurrencyCode>)/,
        '$1<cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>',
      ),
      /(<\/cac:TaxTotal>)/,
      '$1<cac:TaxTotal><cbc:TaxAmount currencyID="SEK">1250.005</cbc:TaxAmount></cac:TaxTotal>',
    );
    expect(judge(taxCurrency)).toContainEqual(
      expect.objectContaining({ rule: 'BR-DEC-15', pointer: '/Invoice/cac:TaxTotal[2]/cbc:TaxAmount' }),
    );
  });
});

/** [rule, what breaks it, the document, the element] for Peppol BIS's own fatal rules. */
const peppolCases: [string, string, string, string][] = [
  [
    'PEPPOL-EN16931-R001',
    'no business process',
    breach(/<cbc:ProfileID>[^<]*<\/cbc:ProfileID>/, ''),
    '/Invoice/cbc:ProfileID',
  ],
  [
    'PEPPOL-EN16931-R007',
    'a business process not in Peppol form',
    breach(/<cbc:ProfileID>[^<]*</, '<cbc:ProfileID>urn:example:billing<'),
    '/Invoice/cbc:ProfileID',
  ],
  [
    'PEPPOL-EN16931-R003',
    'neither a buyer reference nor an order reference',
    breach(
      /<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>([\s\S]*?)<cac:OrderReference>[\s\S]*?<\/cac:OrderReference>/,
      '$1',
    ),
    '/Invoice/cbc:BuyerReference',
  ],
  [
    'PEPPOL-EN16931-R020',
    "no seller's electronic address",
    breach(/<cbc:EndpointID schemeID="0088">7300010000001<\/cbc:EndpointID>/, ''),
    '/Invoice/cac:AccountingSupplierParty/cac:Party/cbc:EndpointID',
  ],
  [
    'PEPPOL-EN16931-R010',
    "no buyer's electronic address",
    breach(/<cbc:EndpointID schemeID="0088">5790000436101<\/cbc:EndpointID>/, ''),
    '/Invoice/cac:AccountingCustomerParty/cac:Party/cbc:EndpointID',
  ],
  [
    'PEPPOL-EN16931-R041',
    'a percentage without its base',
    breach(/<cbc:BaseAmount currencyID="EUR">500.00<\/cbc:BaseAmount>/, ''),
    '/Invoice/cac:InvoiceLine[1]/cac:AllowanceCharge[1]',
  ],
  [
    'PEPPOL-EN16931-R042',
    'a base without its percentage',
    breach(/<cbc:MultiplierFactorNumeric>10<\/cbc:MultiplierFactorNumeric>/, ''),
    '/Invoice/cac:InvoiceLine[1]/cac:AllowanceCharge[1]',
  ],
  [
    'PEPPOL-EN16931-R053',
    'two VAT totals with a breakdown',
    breach(/(<cac:TaxTotal>[\s\S]*?<\/cac:TaxTotal>)/, '$1$1'),
    '/Invoice/cac:TaxTotal[2]',
  ],
  [
    'PEPPOL-EN16931-R054',
    'a VAT total without a breakdown and no accounting currency',
    breach(/(<cac:TaxTotal>)/, '<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">111.05</cbc:TaxAmount></cac:TaxTotal>$1'),
    '/Invoice/cac:TaxTotal[1]',
  ],
  [
    'PEPPOL-EN16931-R061',
    'a direct debit without its mandate',
    breach(/<cbc:PaymentMeansCode>30<\/cbc:PaymentMeansCode>/, '<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode>'),
    '/Invoice/cac:PaymentMeans',
  ],
  [
    'PEPPOL-EN16931-R110',
    'a line period starting before the invoice period',
    breach(
      /<cac:Item>\s*<cbc:Name>Installation work/,
      '<cac:InvoicePeriod><cbc:StartDate>2026-09-30</cbc:StartDate></cac:InvoicePeriod><cac:Item><cbc:Name>Installation work',
    ),
    '/Invoice/cac:InvoiceLine[1]/cac:InvoicePeriod/cbc:StartDate',
  ],
  [
    'PEPPOL-EN16931-R111',
    'a line period ending after the invoice period',
    breach(
      /<cac:Item>\s*<cbc:Name>Installation work/,
      '<cac:InvoicePeriod><cbc:EndDate>2026-11-01</cbc:EndDate></cac:InvoicePeriod><cac:Item><cbc:Name>Installation work',
    ),
    '/Invoice/cac:InvoiceLine[1]/cac:InvoicePeriod/cbc:EndDate',
  ],
  [
    'PEPPOL-EN16931-P0100',
    "a type code of UNTDID 1001 that is not billing process 01's (325, a proforma invoice)",
    breach(/<cbc:InvoiceTypeCode>380</, '<cbc:InvoiceTypeCode>325<'),
    '/Invoice/cbc:InvoiceTypeCode',
  ],
  [
    'PEPPOL-EN16931-P0112',
    'a corrected invoice (384) between other than German parties',
    breach(/<cbc:InvoiceTypeCode>380</, '<cbc:InvoiceTypeCode>384<'),
    '/Invoice/cbc:InvoiceTypeCode',
  ],
  [
    'PEPPOL-EN16931-P0105',
    'an exemption code of category O on a category E breakdown',
    breach(/<cbc:TaxExemptionReasonCode>VATEX-EU-132</, '<cbc:TaxExemptionReasonCode>VATEX-EU-O<'),
    '/Invoice/cac:TaxTotal/cac:TaxSubtotal[4]/cac:TaxCategory/cbc:ID',
  ],
];

describe("Peppol BIS's own fatal rules, for a document that claims Peppol BIS", () => {
  it.each(peppolCases)('%s: %s', (rule, _what, xml, pointer) => {
    expect(judge(xml)).toContainEqual(expect.objectContaining({ rule, pointer }));
  });

  it.each(peppolCases)('%s is not a rule of plain EN 16931: %s', (rule, _what, xml) => {
    expect(judge(claiming(xml, EN16931_CORE)).map((p) => p.rule)).not.toContain(rule);
  });

  it("reports a document's own Peppol problems together with the model's (a missing profile hides no total)", () => {
    const xml = swap(
      breach(/<cbc:ProfileID>[^<]*<\/cbc:ProfileID>/, ''),
      '<cbc:PayableAmount currencyID="EUR">589.25<',
      '<cbc:PayableAmount currencyID="EUR">589.26<',
    );
    expect(judge(xml).map((p) => p.rule)).toEqual(['PEPPOL-EN16931-R001', 'BR-CO-16']);
  });

  it('P0101: a credit note of billing process 01 has one of its five type codes; 81 is one of them', () => {
    const note = fixture('peppol-credit-note.xml');
    expect(judge(swap(note, '<cbc:CreditNoteTypeCode>381<', '<cbc:CreditNoteTypeCode>81<'))).toEqual([]);
    expect(judge(swap(note, '<cbc:CreditNoteTypeCode>381<', '<cbc:CreditNoteTypeCode>261<'))).toEqual([
      expect.objectContaining({ rule: 'PEPPOL-EN16931-P0101', pointer: '/CreditNote/cbc:CreditNoteTypeCode' }),
    ]);
  });

  it('takes the two-digit type codes of UNTDID 1001 (an invoice of metered services, 82)', () => {
    expect(judge(swap(base, '<cbc:InvoiceTypeCode>380<', '<cbc:InvoiceTypeCode>82<'))).toEqual([]);
  });
});

describe('an amount in another currency than the document', () => {
  const usd = swap(base, '<cbc:PayableAmount currencyID="EUR">', '<cbc:PayableAmount currencyID="USD">');
  const at = '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount';

  it("is refused under Peppol's R051 in a Peppol BIS document", () => {
    expect(judge(usd)).toEqual([expect.objectContaining({ rule: 'PEPPOL-EN16931-R051', pointer: at })]);
  });

  it("is refused as ours in a plain EN 16931 one, which has no such rule (amounts are kept in the document's currency)", () => {
    expect(judge(claiming(usd, EN16931_CORE))).toEqual([expect.objectContaining({ rule: 'PW-CURRENCY', pointer: at })]);
  });
});
