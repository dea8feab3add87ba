/**
 * XRechnung's own fatal rules (BR-DE-*, KoSIT's schematron) for a document that claims XRechnung or its extension,
 * and BR-DE-CVD-* for one that claims its CVD: a valid XRechnung is accepted, and each document that breaks one rule is
 * refused naming that rule and the element. The same breach in a document that claims plain EN 16931 or Peppol BIS (or
 * XRechnung without its CVD) is not refused under BR-DE.
 */
import { describe, expect, it } from 'vitest';
import { claiming, EN16931_CORE, fixture, judge, read, swap } from './judge';
import { checkInvoice } from '../../domain/invoice-checks';
import { PEPPOL_SPECIFICATION, xrechnungRulesApply } from '../../domain/specifications';
import { writeUbl } from '../../domain/ubl/writer';

const XRECHNUNG = 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0';
const EXTENSION = `${XRECHNUNG}#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0`;

const valid = fixture('xrechnung-invoice.xml');
const S = '/Invoice/cac:AccountingSupplierParty/cac:Party';
const C = '/Invoice/cac:AccountingCustomerParty/cac:Party';
const MEANS = '/Invoice/cac:PaymentMeans';

const PAYMENT = /<cac:PaymentMeans>[\s\S]*<\/cac:PaymentMeans>/;
/** The document with one payment means of this content (none when empty). */
const payment = (xml: string, inner: string) =>
  swap(xml, PAYMENT, inner ? `<cac:PaymentMeans>${inner}</cac:PaymentMeans>` : '');
const PAYEE = '<cac:PayeeFinancialAccount><cbc:ID>DE89370400440532013000</cbc:ID></cac:PayeeFinancialAccount>';
const CARD =
  '<cac:CardAccount><cbc:PrimaryAccountNumberID>1234</cbc:PrimaryAccountNumberID><cbc:NetworkID>VISA</cbc:NetworkID></cac:CardAccount>';
const MANDATE =
  '<cac:PaymentMandate><cbc:ID>M-1</cbc:ID><cac:PayerFinancialAccount><cbc:ID>DE75512108001245126199</cbc:ID></cac:PayerFinancialAccount></cac:PaymentMandate>';
/** The seller's creditor identifier (BT-90), which a direct debit needs (BR-DE-30). */
const withCreditorId = (xml: string) =>
  swap(
    xml,
    '<cac:PartyName><cbc:Name>Northwind Consulting</cbc:Name></cac:PartyName>',
    '<cac:PartyIdentification><cbc:ID schemeID="SEPA">DE98ZZZ09999999999</cbc:ID></cac:PartyIdentification>' +
      '<cac:PartyName><cbc:Name>Northwind Consulting</cbc:Name></cac:PartyName>',
  );
const terms = (note: string) => swap(valid, /<cbc:Note>#SKONTO#[^<]*<\/cbc:Note>/, `<cbc:Note>${note}</cbc:Note>`);
const remove = (xml: string, element: string | RegExp) => swap(xml, element, '');

/** [rule, what breaks it, the document, the element the problem points at] */
const cases: [string, string, string, string][] = [
  ['BR-DE-1', 'no payment instructions', payment(valid, ''), MEANS],
  ['BR-DE-2', 'no seller contact', remove(valid, /<cac:Contact>[\s\S]*<\/cac:Contact>/), S],
  ['BR-DE-3', 'no seller city', remove(valid, '<cbc:CityName>Berlin</cbc:CityName>'), `${S}/cac:PostalAddress`],
  ['BR-DE-4', 'no seller post code', remove(valid, '<cbc:PostalZone>10115</cbc:PostalZone>'), `${S}/cac:PostalAddress`],
  ['BR-DE-5', 'no seller contact point', remove(valid, '<cbc:Name>Anna Schmidt</cbc:Name>'), `${S}/cac:Contact`],
  ['BR-DE-6', 'no seller telephone', remove(valid, '<cbc:Telephone>+49 30 123456</cbc:Telephone>'), `${S}/cac:Contact`],
  ['BR-DE-7', 'no seller email', remove(valid, /<cbc:ElectronicMail>[^<]*<\/cbc:ElectronicMail>/), `${S}/cac:Contact`],
  [
    'BR-DE-8',
    'no buyer city',
    swap(valid, /(<cbc:StreetName>Rathausplatz 3<\/cbc:StreetName>\s*)<cbc:CityName>Hamburg<\/cbc:CityName>/, '$1'),
    `${C}/cac:PostalAddress`,
  ],
  [
    'BR-DE-9',
    'no buyer post code',
    swap(
      valid,
      /(Rathausplatz 3<\/cbc:StreetName>\s*<cbc:CityName>Hamburg<\/cbc:CityName>\s*)<cbc:PostalZone>20095<\/cbc:PostalZone>/,
      '$1',
    ),
    `${C}/cac:PostalAddress`,
  ],
  [
    'BR-DE-10',
    'a deliver-to address without its city',
    swap(valid, /(Klosterwall 8<\/cbc:StreetName>\s*)<cbc:CityName>Hamburg<\/cbc:CityName>/, '$1'),
    '/Invoice/cac:Delivery/cac:DeliveryLocation/cac:Address',
  ],
  [
    'BR-DE-11',
    'a deliver-to address without its post code',
    swap(
      valid,
      /(Klosterwall 8<\/cbc:StreetName>\s*<cbc:CityName>Hamburg<\/cbc:CityName>\s*)<cbc:PostalZone>20095<\/cbc:PostalZone>/,
      '$1',
    ),
    '/Invoice/cac:Delivery/cac:DeliveryLocation/cac:Address',
  ],
  [
    'BR-DE-14',
    'a VAT breakdown without its rate',
    swap(
      valid,
      /(<cbc:TaxAmount currencyID="EUR">7.00<\/cbc:TaxAmount>\s*<cac:TaxCategory>\s*<cbc:ID>S<\/cbc:ID>\s*)<cbc:Percent>7<\/cbc:Percent>/,
      '$1',
    ),
    '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]',
  ],
  [
    'BR-DE-15',
    'no buyer reference (Leitweg-ID)',
    remove(valid, /<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/),
    '/Invoice/cbc:BuyerReference',
  ],
  [
    'BR-DE-16',
    'category S without a seller VAT id',
    remove(valid, /<cac:PartyTaxScheme>\s*<cbc:CompanyID>DE811907980[\s\S]*?<\/cac:PartyTaxScheme>/),
    S,
  ],
  [
    'BR-DE-18',
    'a Skonto statement with a percentage without its two decimals',
    terms('#SKONTO#TAGE=14#PROZENT=2#\nZahlbar innerhalb von 30 Tagen'),
    '/Invoice/cac:PaymentTerms/cbc:Note',
  ],
  [
    'BR-DE-18',
    'a Skonto statement that ends the terms without a line break',
    terms('Zahlbar innerhalb von 30 Tagen\n#SKONTO#TAGE=14#PROZENT=2.00#'),
    '/Invoice/cac:PaymentTerms/cbc:Note',
  ],
  [
    'BR-DE-22',
    'two attached documents with one file name',
    swap(
      valid,
      '<cac:AccountingSupplierParty>',
      '<cac:AdditionalDocumentReference><cbc:ID>LN-11</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="text/csv" filename="leistungsnachweis.csv">VGFn</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference><cac:AccountingSupplierParty>',
    ),
    '/Invoice/cac:AdditionalDocumentReference[2]',
  ],
  [
    'BR-DE-23-a',
    'a credit transfer without its account',
    payment(valid, '<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>'),
    `${MEANS}/cac:PayeeFinancialAccount`,
  ],
  [
    'BR-DE-23-b',
    'a credit transfer with a card',
    payment(valid, `<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>${CARD}${PAYEE}`),
    `${MEANS}/cac:CardAccount/cbc:PrimaryAccountNumberID`,
  ],
  [
    'BR-DE-24-a',
    'a card payment without the card',
    payment(valid, '<cbc:PaymentMeansCode>48</cbc:PaymentMeansCode>'),
    MEANS,
  ],
  [
    'BR-DE-24-b',
    'a card payment with a payee account',
    payment(valid, `<cbc:PaymentMeansCode>48</cbc:PaymentMeansCode>${CARD}${PAYEE}`),
    `${MEANS}/cac:PayeeFinancialAccount/cbc:ID`,
  ],
  [
    'BR-DE-25-a',
    'a direct debit without the mandate',
    payment(withCreditorId(valid), '<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode>'),
    MEANS,
  ],
  [
    'BR-DE-25-b',
    'a direct debit with a payee account',
    payment(withCreditorId(valid), `<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode>${PAYEE}${MANDATE}`),
    `${MEANS}/cac:PayeeFinancialAccount/cbc:ID`,
  ],
  [
    'BR-DE-30',
    'a direct debit without the creditor id',
    payment(valid, `<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode>${MANDATE}`),
    MEANS,
  ],
  [
    'BR-DE-31',
    'a direct debit without the debited account',
    payment(
      withCreditorId(valid),
      '<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode><cac:PaymentMandate><cbc:ID>M-1</cbc:ID></cac:PaymentMandate>',
    ),
    `${MEANS}/cac:PaymentMandate`,
  ],
];

/** The BR-DE rules among the problems. */
const brDe = (problems: { rule?: string }[]) => problems.map((p) => p.rule ?? '').filter((r) => r.startsWith('BR-DE-'));

describe('a valid XRechnung', () => {
  it('is accepted, as the CIUS and as its extension, and so is what our writer writes of it', () => {
    expect(judge(valid)).toEqual([]);
    expect(judge(claiming(valid, EXTENSION))).toEqual([]);
    expect(judge(writeUbl(read(valid)))).toEqual([]);
  });

  it('may pay by card or direct debit, and state several Skonto statements', () => {
    expect(judge(payment(valid, `<cbc:PaymentMeansCode>48</cbc:PaymentMeansCode>${CARD}`))).toEqual([]);
    expect(judge(payment(withCreditorId(valid), `<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode>${MANDATE}`))).toEqual(
      [],
    );
    expect(judge(terms('#SKONTO#TAGE=7#PROZENT=3.00#\n#SKONTO#TAGE=14#PROZENT=2.00#BASISBETRAG=900.00#\n'))).toEqual(
      [],
    );
  });
});

describe('a document that claims XRechnung and breaks one of its rules', () => {
  it.each(cases)('is refused under %s: %s', (rule, _what, xml, pointer) => {
    const problems = judge(xml);
    expect(problems).toContainEqual(expect.objectContaining({ rule, pointer }));
    // No other BR-DE rule is named: each breach is its rule's own.
    expect(brDe(problems)).toEqual([rule]);
  });

  it.each(cases)('is refused under %s as the extension too (%s)', (rule, _what, xml, pointer) => {
    expect(judge(claiming(xml, EXTENSION))).toContainEqual(expect.objectContaining({ rule, pointer }));
  });
});

describe('the same breach in a document that does not claim XRechnung', () => {
  it.each(cases)('is not refused under BR-DE in plain EN 16931 or Peppol BIS (%s: %s)', (_rule, _what, xml) => {
    expect(brDe(judge(claiming(xml, EN16931_CORE)))).toEqual([]);
    expect(brDe(judge(swap(xml, XRECHNUNG, PEPPOL_SPECIFICATION)))).toEqual([]);
  });

  it('nor in one that claims an XRechnung version before 3, whose rules were other', () => {
    const older = claiming(cases[0]![2], 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_2.3');
    expect(brDe(judge(older))).toEqual([]);
  });
});

describe('which specification claims XRechnung', () => {
  it.each([
    [XRECHNUNG, true],
    [EXTENSION, true],
    ['urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.1', true],
    [`${XRECHNUNG}#compliant#urn:xeinkauf.de:kosit:xrechnung:cvd_0.9`, true],
    ['urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_2.3', false],
    ['urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0x', false],
    [EN16931_CORE, false],
    [PEPPOL_SPECIFICATION, false],
    [undefined, false],
  ])('%s: %s', (specification, xrechnung) => {
    expect(xrechnungRulesApply(specification)).toBe(xrechnung);
  });
});

describe('a JSON invoice that claims XRechnung', () => {
  it('is held to the rules on its content, each at its field', () => {
    const invoice = read(valid);
    expect(invoice.specification).toBe(XRECHNUNG);
    expect(checkInvoice(invoice)).toEqual([]);
    const { buyerReference: _reference, ...withoutReference } = invoice;
    const noContact = { ...invoice, supplier: { ...invoice.supplier, contact: { name: 'Anna Schmidt' } } };
    expect(checkInvoice(withoutReference)).toEqual([
      expect.objectContaining({ rule: 'BR-DE-15', pointer: '/buyerReference' }),
    ]);
    expect(checkInvoice(noContact).map((p) => [p.rule, p.pointer])).toEqual([
      ['BR-DE-6', '/supplier/contact/telephone'],
      ['BR-DE-7', '/supplier/contact/email'],
    ]);
    // Blank is missing, as the schematron's normalize-space reads it.
    expect(checkInvoice({ ...invoice, buyerReference: '  ' })).toEqual([expect.objectContaining({ rule: 'BR-DE-15' })]);
    const card = { ...invoice, payment: { meansCode: '48' } };
    expect(checkInvoice(card)).toEqual([
      expect.objectContaining({ rule: 'BR-DE-24-a', pointer: '/payment/cardAccountId' }),
    ]);
  });

  it("is not held to what only a document's text shows: a Skonto statement that ends the terms", () => {
    const invoice = { ...read(valid), paymentTerms: 'Zahlbar in 30 Tagen\n#SKONTO#TAGE=14#PROZENT=2.00#' };
    expect(checkInvoice(invoice)).toEqual([]);
    expect(checkInvoice({ ...invoice, paymentTerms: '#SKONTO#TAGE=14#PROZENT=2.0#' })).toEqual([
      expect.objectContaining({ rule: 'BR-DE-18', pointer: '/paymentTerms' }),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const CVD = `${XRECHNUNG}#compliant#urn:xeinkauf.de:kosit:xrechnung:cvd_0.9`;
const CVD_CLASSIFICATION =
  '<cac:CommodityClassification><cbc:ItemClassificationCode listID="CVD">M1</cbc:ItemClassificationCode></cac:CommodityClassification>';
const CVA =
  '<cac:AdditionalItemProperty><cbc:Name>cva</cbc:Name><cbc:Value>clean</cbc:Value></cac:AdditionalItemProperty>';
/** Line `n`'s item (1 or 2) with `before` ahead of its tax category and `after` behind it, as UBL orders them. */
const item = (xml: string, name: 'Beratung' | 'Fachbuch', before: string, after: string) =>
  swap(
    xml,
    new RegExp(`(<cbc:Name>${name}</cbc:Name>)(\\s*<cac:ClassifiedTaxCategory>[\\s\\S]*?</cac:ClassifiedTaxCategory>)`),
    `$1${before}$2${after}`,
  );
/** The XRechnung fixture under XRechnung's CVD: tender and contract references, line 1 a clean M1 vehicle's. */
const cvdValid = item(
  swap(
    claiming(valid, CVD),
    '</cac:OrderReference>',
    '</cac:OrderReference><cac:OriginatorDocumentReference><cbc:ID>V-2026-31</cbc:ID></cac:OriginatorDocumentReference>' +
      '<cac:ContractDocumentReference><cbc:ID>RV-2026-07</cbc:ID></cac:ContractDocumentReference>',
  ),
  'Beratung',
  CVD_CLASSIFICATION,
  CVA,
);
const LINE_1 = '/Invoice/cac:InvoiceLine[1]';
const LINE_2 = '/Invoice/cac:InvoiceLine[2]';

const cvdCases: [string, string, string, string][] = [
  [
    'BR-DE-CVD-01',
    'no contract reference',
    remove(cvdValid, /<cac:ContractDocumentReference>[\s\S]*?<\/cac:ContractDocumentReference>/),
    '/Invoice/cac:ContractDocumentReference/cbc:ID',
  ],
  [
    'BR-DE-CVD-02',
    'no tender or lot reference',
    remove(cvdValid, /<cac:OriginatorDocumentReference>[\s\S]*?<\/cac:OriginatorDocumentReference>/),
    '/Invoice/cac:OriginatorDocumentReference/cbc:ID',
  ],
  [
    'BR-DE-CVD-03',
    "no clean vehicle's line",
    remove(remove(cvdValid, CVD_CLASSIFICATION), CVA),
    '/Invoice/cac:InvoiceLine',
  ],
  [
    'BR-DE-CVD-04',
    'a vehicle category off the list',
    swap(cvdValid, 'listID="CVD">M1<', 'listID="CVD">L3<'),
    `${LINE_1}/cac:Item/cac:CommodityClassification[1]/cbc:ItemClassificationCode`,
  ],
  [
    'BR-DE-CVD-05',
    'a clean vehicle attribute off the list',
    swap(cvdValid, '<cbc:Value>clean</cbc:Value>', '<cbc:Value>green</cbc:Value>'),
    `${LINE_1}/cac:Item/cac:AdditionalItemProperty[1]/cbc:Value`,
  ],
  [
    'BR-DE-CVD-06-a',
    'a vehicle category without the attribute cva',
    item(cvdValid, 'Fachbuch', CVD_CLASSIFICATION, ''),
    LINE_2,
  ],
  ['BR-DE-CVD-06-b', 'the attribute cva without a vehicle category', item(cvdValid, 'Fachbuch', '', CVA), LINE_2],
];

describe("XRechnung's CVD (clean vehicles)", () => {
  it('accepts a document with the references and a clean vehicle line', () => {
    expect(judge(cvdValid)).toEqual([]);
  });

  it.each(cvdCases)('refuses under %s: %s', (rule, _what, xml, pointer) => {
    const problems = judge(xml);
    expect(problems).toContainEqual(expect.objectContaining({ rule, pointer }));
    expect(brDe(problems)).toEqual([rule]);
  });

  it.each(cvdCases)('does not hold XRechnung itself to %s (%s)', (_rule, _what, xml) => {
    expect(brDe(judge(claiming(xml, XRECHNUNG)))).toEqual([]);
  });
});
