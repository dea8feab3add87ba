/**
 * EN 16931's code lists (BR-CL-*): a coded value on no list is refused, naming the rule and the element (UBL) or the
 * field (JSON), under any specification; a code either CEN's or Peppol's copy of a list has is taken.
 */
import { describe, expect, it } from 'vitest';
import { claiming, EN16931_CORE, fixture, judge, read, swap } from './judge';
import type { Invoice } from '../../contracts/invoice';
import { checkInvoice } from '../../domain/invoice-checks';
import { CODE_LISTS, inCodeList } from '../../domain/code-lists';

const rich = fixture('peppol-invoice-allowances.xml');
const creditNote = fixture('peppol-credit-note.xml');

describe('the lists', () => {
  it('hold the codes partners use, and codes only one of CEN and Peppol has caught up with', () => {
    for (const code of ['C62', 'HUR', 'KGM', 'EA', 'H87', 'XPP', 'MTQ']) expect(inCodeList('unit', code)).toBe(true);
    for (const code of ['0088', '0106', '0192', '0208', '9930', 'EM']) expect(inCodeList('eas', code)).toBe(true);
    // ICD 0248 is in CEN's list of April 2026, not yet in Peppol's 3.0.19.
    expect(inCodeList('icd', '0248')).toBe(true);
    expect(inCodeList('vatex', 'VATEX-EU-135-1')).toBe(true);
    expect(inCodeList('unit', ' C62 ')).toBe(true);
    for (const code of ['PCS', 'c62', '', 'C62 KGM']) expect(inCodeList('unit', code)).toBe(false);
    // normalize-space strips XML's white space only: a no-break space stays part of the code.
    expect(inCodeList('unit', '\tC62\n')).toBe(true);
    for (const code of ['C62\u00a0', '\u00a0C62', 'C62\u2003']) expect(inCodeList('unit', code)).toBe(false);
    expect(CODE_LISTS.unit.size).toBeGreaterThan(2000);
  });
});

describe('a made-up code in a UBL document', () => {
  const INV = '/Invoice';
  const cases: [string, string, string, string, string][] = [
    ['BR-CL-01', '<cbc:InvoiceTypeCode>380<', '<cbc:InvoiceTypeCode>999<', rich, `${INV}/cbc:InvoiceTypeCode`],
    ['BR-CL-23', 'unitCode="HUR">10<', 'unitCode="HOURS">10<', rich, `${INV}/cac:InvoiceLine[1]/cbc:InvoicedQuantity`],
    [
      'BR-CL-25',
      '<cbc:EndpointID schemeID="0088">7300010000001',
      '<cbc:EndpointID schemeID="GLN">7300010000001',
      rich,
      `${INV}/cac:AccountingSupplierParty/cac:Party/cbc:EndpointID`,
    ],
    [
      'BR-CL-16',
      '<cbc:PaymentMeansCode>30<',
      '<cbc:PaymentMeansCode>99<',
      rich,
      `${INV}/cac:PaymentMeans/cbc:PaymentMeansCode`,
    ],
    [
      'BR-CL-19',
      '<cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>\n    <cbc:AllowanceChargeReason>Loyalty',
      '<cbc:AllowanceChargeReasonCode>FC</cbc:AllowanceChargeReasonCode>\n    <cbc:AllowanceChargeReason>Loyalty',
      rich,
      `${INV}/cac:AllowanceCharge[1]/cbc:AllowanceChargeReasonCode`,
    ],
    [
      'BR-CL-20',
      '<cbc:AllowanceChargeReasonCode>FC<',
      '<cbc:AllowanceChargeReasonCode>95<',
      rich,
      `${INV}/cac:AllowanceCharge[2]/cbc:AllowanceChargeReasonCode`,
    ],
    [
      'BR-CL-22',
      '<cbc:TaxExemptionReasonCode>VATEX-EU-132<',
      '<cbc:TaxExemptionReasonCode>VATEX-EU-999<',
      rich,
      `${INV}/cac:TaxTotal/cac:TaxSubtotal[4]/cac:TaxCategory/cbc:TaxExemptionReasonCode`,
    ],
    [
      'BR-CL-01',
      '<cbc:CreditNoteTypeCode>381<',
      '<cbc:CreditNoteTypeCode>380<',
      creditNote,
      '/CreditNote/cbc:CreditNoteTypeCode',
    ],
  ];
  it.each(cases)('%s: %s -> %s is refused, naming the element', (rule, from, to, doc, element) => {
    const problems = judge(swap(doc, from, to));
    expect(problems).toEqual([expect.objectContaining({ rule, pointer: element })]);
    // The same under the plain EN 16931 specification: the lists are EN 16931's.
    expect(judge(claiming(swap(doc, from, to), EN16931_CORE)).map((p) => p.rule)).toEqual([rule]);
  });

  it('refuses a code with a no-break space, which normalize-space keeps and our writer would pass on', () => {
    expect(
      judge(
        swap(
          rich,
          '95</cbc:AllowanceChargeReasonCode>\n    <cbc:AllowanceChargeReason>Loyalty',
          '95\u00a0</cbc:AllowanceChargeReasonCode>\n    <cbc:AllowanceChargeReason>Loyalty',
        ),
      ),
    ).toEqual([
      expect.objectContaining({
        rule: 'BR-CL-19',
        pointer: '/Invoice/cac:AllowanceCharge[1]/cbc:AllowanceChargeReasonCode',
      }),
    ]);
  });

  it('refuses an empty unit, on the invoiced and on the base quantity (BR-CL-23), as it refuses one in JSON', () => {
    const line = '/Invoice/cac:InvoiceLine[4]';
    // (Peppol's R130 sees the base quantity in C62 then, and says so too.)
    expect(judge(swap(rich, 'unitCode="C62">250<', 'unitCode="">250<'))).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'BR-CL-23', pointer: `${line}/cbc:InvoicedQuantity` })]),
    );
    expect(judge(swap(rich, '<cbc:BaseQuantity unitCode="C62">', '<cbc:BaseQuantity unitCode=" ">'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'BR-CL-23', pointer: `${line}/cac:Price/cbc:BaseQuantity` }),
      ]),
    );
  });

  it('reads a subject code between the first two # of any note, as the schematron does (BR-CL-08)', () => {
    const noted = (note: string) =>
      judge(swap(rich, '<cbc:DocumentCurrencyCode>', `<cbc:Note>${note}</cbc:Note><cbc:DocumentCurrencyCode>`));
    for (const note of ['#abc#lower case', 'Your order #123# of May', '#XYZ#'])
      expect(noted(note)).toEqual([expect.objectContaining({ rule: 'BR-CL-08', pointer: '/Invoice/cbc:Note[1]' })]);
    for (const note of ['#AAI#coded', 'a#b', '#1#x', 'no code #AB#', 'Ref #12 3# x', 'one # only'])
      expect(noted(note)).toEqual([]);
  });

  const S = '/Invoice/cac:AccountingSupplierParty/cac:Party';
  const emptySchemes: [string, string, string, string][] = [
    [
      'BR-CL-11',
      '<cbc:CompanyID>999999999<',
      '<cbc:CompanyID schemeID="">999999999<',
      `${S}/cac:PartyLegalEntity/cbc:CompanyID`,
    ],
    [
      'BR-CL-25',
      '<cbc:EndpointID schemeID="0088">7300010000001<',
      '<cbc:EndpointID schemeID=" ">7300010000001<',
      `${S}/cbc:EndpointID`,
    ],
    [
      'BR-CL-26',
      '<cbc:ActualDeliveryDate>2026-10-31</cbc:ActualDeliveryDate>',
      '<cbc:ActualDeliveryDate>2026-10-31</cbc:ActualDeliveryDate><cac:DeliveryLocation><cbc:ID schemeID="">5790000436118</cbc:ID></cac:DeliveryLocation>',
      '/Invoice/cac:Delivery/cac:DeliveryLocation/cbc:ID',
    ],
    [
      'BR-CL-07',
      '<cbc:BuyerReference>PW-PROC-91</cbc:BuyerReference>',
      '<cbc:BuyerReference>PW-PROC-91</cbc:BuyerReference><cac:AdditionalDocumentReference><cbc:ID schemeID="">AB1</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>',
      '/Invoice/cac:AdditionalDocumentReference[1]/cbc:ID',
    ],
  ];
  it.each(emptySchemes)('%s: an empty scheme is on no list, not an absent one', (rule, from, to, pointer) => {
    expect(judge(swap(rich, from, to))).toEqual([expect.objectContaining({ rule, pointer })]);
  });

  it('checks the scheme of every party identifier, also those the model does not hold (BR-CL-10)', () => {
    const seller = '<cbc:EndpointID schemeID="0088">7300010000001</cbc:EndpointID>';
    const ids = (...schemes: string[]) =>
      schemes.map((s) => `<cac:PartyIdentification><cbc:ID schemeID="${s}">1</cbc:ID></cac:PartyIdentification>`);
    const party = '/Invoice/cac:AccountingSupplierParty/cac:Party';
    // A seller's second identifier (BT-29 repeats), after a SEPA creditor id or a GLN, and one with an empty scheme.
    for (const [first, second] of [
      ['SEPA', 'BOGUS'],
      ['0088', 'GLN'],
    ])
      expect(
        judge(swap(rich, seller, seller + ids(first!, second!).join('').replace('>1<', '>7300010000001<'))),
      ).toEqual([expect.objectContaining({ rule: 'BR-CL-10', pointer: `${party}/cac:PartyIdentification[2]/cbc:ID` })]);
    expect(judge(swap(rich, seller, seller + ids('')[0]))).toEqual([
      expect.objectContaining({ rule: 'BR-CL-10', pointer: `${party}/cac:PartyIdentification/cbc:ID` }),
    ]);
    // The tax representative's: EN 16931 has no such term, the schematron checks it all the same.
    const representative =
      '<cac:TaxRepresentativeParty>' +
      ids('SEPA')[0] +
      '<cac:PartyName><cbc:Name>Rep AS</cbc:Name></cac:PartyName><cac:PostalAddress><cac:Country>' +
      '<cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country></cac:PostalAddress><cac:PartyTaxScheme>' +
      '<cbc:CompanyID>NO999999999MVA</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>' +
      '</cac:PartyTaxScheme></cac:TaxRepresentativeParty>';
    expect(judge(swap(rich, '<cac:Delivery>', representative + '<cac:Delivery>'))).toEqual([
      expect.objectContaining({
        rule: 'BR-CL-10',
        pointer: '/Invoice/cac:TaxRepresentativeParty/cac:PartyIdentification/cbc:ID',
      }),
    ]);
  });

  it('takes a VATEX code in lower case, as the schematron compares it upper-cased', () => {
    expect(judge(swap(rich, '>VATEX-EU-132<', '>vatex-eu-132<'))).toEqual([]);
  });
});

describe('a made-up code in JSON', () => {
  const base = read(rich);
  const line = base.lines[0]!;
  const cases: [string, string, Invoice][] = [
    [
      'BR-CL-06',
      '/invoicePeriod/descriptionCode',
      { ...base, invoicePeriod: { ...base.invoicePeriod!, descriptionCode: '5' } },
    ],
    ['BR-CL-07', '/invoicedObjectScheme', { ...base, invoicedObjectId: 'AB1', invoicedObjectScheme: 'XYZ1' }],
    ['BR-CL-08', '/notes/0/subjectCode', { ...base, notes: [{ subjectCode: 'XYZ', text: 'a note' }] }],
    ['BR-CL-08', '/notes/0/text', { ...base, notes: [{ text: '#XYZ#a note written with its code' }] }],
    [
      'BR-CL-10',
      '/customer/identifierScheme',
      { ...base, customer: { ...base.customer, identifier: '1', identifierScheme: 'SEPA' } },
    ],
    [
      'BR-CL-11',
      '/supplier/legalRegistrationIdScheme',
      { ...base, supplier: { ...base.supplier, legalRegistrationIdScheme: '0001' } },
    ],
    [
      'BR-CL-21',
      '/lines/0/standardItemScheme',
      { ...base, lines: [{ ...line, standardItemId: '1', standardItemScheme: 'GTIN' }, ...base.lines.slice(1)] },
    ],
    [
      'BR-CL-23',
      '/lines/0/priceBaseUnitCode',
      { ...base, lines: [{ ...line, priceBaseUnitCode: 'HOURS' }, ...base.lines.slice(1)] },
    ],
    [
      'BR-CL-26',
      '/delivery/locationScheme',
      { ...base, delivery: { locationId: '1', locationScheme: 'GLN', country: 'NL' } },
    ],
  ];
  it.each(cases)('%s is refused at %s', (rule, pointer, invoice) => {
    expect(checkInvoice(invoice).filter((p) => p.rule.startsWith('BR-CL'))).toEqual([
      expect.objectContaining({ rule, pointer }),
    ]);
  });

  it('takes SEPA as the identifier scheme of the seller and the payee (a creditor id), not of the buyer', () => {
    const sepa = { identifier: 'DE98ZZZ09999999999', identifierScheme: 'SEPA' };
    const invoice = { ...base, supplier: { ...base.supplier, ...sepa }, payee: { name: 'Factor AS', ...sepa } };
    expect(checkInvoice(invoice).filter((p) => p.rule.startsWith('BR-CL'))).toEqual([]);
  });
});
