/**
 * The fatal national rules of Peppol BIS Billing 3.0, with documents written from the rule texts: for each country a
 * valid document is accepted, and each document that breaks one rule is refused naming that rule and the element.
 */
import { describe, expect, it } from 'vitest';
import { fixture, judge, swap } from './judge';
import { mapUblInvoice } from '../../domain/ubl/invoice';
import { writeUbl } from '../../domain/ubl/writer';

const rich = fixture('peppol-invoice-allowances.xml');
const creditNote = fixture('peppol-credit-note.xml');

interface PartySpec {
  endpoint?: [string, string];
  identifier?: string;
  tradingName?: string;
  name: string;
  street?: string;
  city?: string;
  zip?: string;
  country: string;
  vat?: string;
  tax?: string;
  legal?: [string, string?];
  contact?: string;
}

function party(p: PartySpec): string {
  const opt = (cond: unknown, text: string) => (cond ? text : '');
  return (
    '<cac:Party>' +
    opt(p.endpoint, `<cbc:EndpointID schemeID="${p.endpoint?.[0]}">${p.endpoint?.[1]}</cbc:EndpointID>`) +
    opt(p.identifier, `<cac:PartyIdentification>${p.identifier}</cac:PartyIdentification>`) +
    opt(p.tradingName, `<cac:PartyName><cbc:Name>${p.tradingName}</cbc:Name></cac:PartyName>`) +
    '<cac:PostalAddress>' +
    opt(p.street, `<cbc:StreetName>${p.street}</cbc:StreetName>`) +
    opt(p.city, `<cbc:CityName>${p.city}</cbc:CityName>`) +
    opt(p.zip, `<cbc:PostalZone>${p.zip}</cbc:PostalZone>`) +
    `<cac:Country><cbc:IdentificationCode>${p.country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>` +
    opt(
      p.vat,
      `<cac:PartyTaxScheme><cbc:CompanyID>${p.vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`,
    ) +
    opt(
      p.tax,
      `<cac:PartyTaxScheme><cbc:CompanyID>${p.tax}</cbc:CompanyID><cac:TaxScheme><cbc:ID>TAX</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`,
    ) +
    `<cac:PartyLegalEntity><cbc:RegistrationName>${p.name}</cbc:RegistrationName>` +
    opt(p.legal, `<cbc:CompanyID${p.legal?.[1] ? ` schemeID="${p.legal[1]}"` : ''}>${p.legal?.[0]}</cbc:CompanyID>`) +
    '</cac:PartyLegalEntity>' +
    opt(p.contact, `<cac:Contact>${p.contact}</cac:Contact>`) +
    '</cac:Party>'
  );
}

/** The document with this supplier and (optionally) customer. */
function parties(xml: string, supplier: PartySpec, customer?: PartySpec): string {
  let out = swap(
    xml,
    /<cac:AccountingSupplierParty>[\s\S]*<\/cac:AccountingSupplierParty>/,
    `<cac:AccountingSupplierParty>${party(supplier)}</cac:AccountingSupplierParty>`,
  );
  if (customer)
    out = swap(
      out,
      /<cac:AccountingCustomerParty>[\s\S]*<\/cac:AccountingCustomerParty>/,
      `<cac:AccountingCustomerParty>${party(customer)}</cac:AccountingCustomerParty>`,
    );
  return out;
}

const PAYMENT = /<cac:PaymentMeans>[\s\S]*<\/cac:PaymentMeans>/;
const payment = (xml: string, inner: string) =>
  swap(xml, PAYMENT, inner ? `<cac:PaymentMeans>${inner}</cac:PaymentMeans>` : '');
/** The document with several payment means (their content), e.g. two credit transfer accounts. */
const payments = (xml: string, ...inner: string[]) =>
  swap(xml, PAYMENT, inner.map((m) => `<cac:PaymentMeans>${m}</cac:PaymentMeans>`).join(''));
const afterCustomer = (xml: string, extra: string) =>
  swap(xml, '</cac:AccountingCustomerParty>', `</cac:AccountingCustomerParty>${extra}`);
const docRef = (id: string, description: string, inner = '') =>
  `<cac:AdditionalDocumentReference><cbc:ID>${id}</cbc:ID><cbc:DocumentDescription>${description}</cbc:DocumentDescription>${inner}</cac:AdditionalDocumentReference>`;
const addDocRef = (xml: string, ref: string) => swap(xml, /<cac:AdditionalDocumentReference>/, `${ref}$&`);

const S = '/Invoice/cac:AccountingSupplierParty/cac:Party';
const C = '/Invoice/cac:AccountingCustomerParty/cac:Party';

/** A case: the document, the rule it breaks and (when the element exists) the element the error names. */
type Case = [string, string, string?];

function expectValid(xml: string): void {
  expect(judge(xml)).toEqual([]);
}

function expectBroken([xml, rule, element]: Case): void {
  const problems = judge(xml);
  const hit = problems.find((p) => p.rule === rule);
  expect(hit, `${rule} in ${JSON.stringify(problems)}`).toBeDefined();
  if (element) expect(hit!.pointer).toBe(element);
}

// ---------------------------------------------------------------------------------------------------------------

const nlSupplier: PartySpec = {
  endpoint: ['0106', '12345678'],
  name: 'Tulip Supplies B.V.',
  street: 'Keizersgracht 1',
  city: 'Amsterdam',
  zip: '1015 CJ',
  country: 'NL',
  vat: 'NL123456789B01',
  legal: ['12345678', '0106'],
};
const nlCustomer: PartySpec = {
  endpoint: ['0088', '5790000436101'],
  name: 'Partner Workflows B.V.',
  street: 'Damrak 2',
  city: 'Amsterdam',
  zip: '1012 LG',
  country: 'NL',
  vat: 'NL859712453B01',
};
const nl = parties(rich, nlSupplier, nlCustomer);
const nlCredit = parties(creditNote, nlSupplier, nlCustomer);
const NL_REP =
  '<cac:TaxRepresentativeParty><cac:PartyName><cbc:Name>Rep B.V.</cbc:Name></cac:PartyName>' +
  '<cac:PostalAddress>STREET<cbc:CityName>Utrecht</cbc:CityName><cbc:PostalZone>3511 AA</cbc:PostalZone>' +
  '<cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>' +
  '<cac:PartyTaxScheme><cbc:CompanyID>NL111222333B01</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>' +
  '</cac:TaxRepresentativeParty>';

describe('the Netherlands (NL-R-*)', () => {
  it('accepts a complete Dutch invoice and credit note, a representative with a full address, order line refs', () => {
    expectValid(nl);
    expectValid(nlCredit);
    expectValid(afterCustomer(nl, swap(NL_REP, 'STREET', '<cbc:StreetName>Oudegracht 3</cbc:StreetName>')));
    expectValid(
      swap(
        nl,
        '<cbc:LineExtensionAmount currencyID="EUR">470.00',
        '<cac:OrderLineReference><cbc:LineID>1</cbc:LineID></cac:OrderLineReference><cbc:LineExtensionAmount currencyID="EUR">470.00',
      ),
    );
    // A credit note (the supplier pays back) needs no payment means.
    expectValid(payment(nlCredit, ''));
  });

  const noOrderRef = swap(nl, /<cac:OrderReference>[\s\S]*?<\/cac:OrderReference>/, '');
  const cases: Case[] = [
    [swap(nlCredit, /<cac:BillingReference>[\s\S]*?<\/cac:BillingReference>/, ''), 'NL-R-001'],
    [parties(nl, { ...nlSupplier, street: undefined }), 'NL-R-002', `${S}/cac:PostalAddress`],
    [
      parties(nl, { ...nlSupplier, legal: ['12345678', '0088'] }),
      'NL-R-003',
      `${S}/cac:PartyLegalEntity/cbc:CompanyID`,
    ],
    [parties(nl, { ...nlSupplier, legal: ['12345678'] }), 'NL-R-003', `${S}/cac:PartyLegalEntity/cbc:CompanyID`],
    [parties(nl, nlSupplier, { ...nlCustomer, zip: undefined }), 'NL-R-004', `${C}/cac:PostalAddress`],
    [
      parties(nl, nlSupplier, { ...nlCustomer, legal: ['87654321', '0088'] }),
      'NL-R-005',
      `${C}/cac:PartyLegalEntity/cbc:CompanyID`,
    ],
    [
      afterCustomer(nl, swap(NL_REP, 'STREET', '')),
      'NL-R-006',
      '/Invoice/cac:TaxRepresentativeParty/cac:PostalAddress',
    ],
    [payment(nl, ''), 'NL-R-007'],
    [
      swap(nl, '<cbc:PaymentMeansCode>30<', '<cbc:PaymentMeansCode>31<'),
      'NL-R-008',
      '/Invoice/cac:PaymentMeans/cbc:PaymentMeansCode',
    ],
    [
      swap(
        noOrderRef,
        '<cbc:LineExtensionAmount currencyID="EUR">470.00',
        '<cac:OrderLineReference><cbc:LineID>1</cbc:LineID></cac:OrderLineReference><cbc:LineExtensionAmount currencyID="EUR">470.00',
      ),
      'NL-R-009',
      '/Invoice/cac:InvoiceLine[1]/cac:OrderLineReference/cbc:LineID',
    ],
  ];
  it.each(cases.map((c) => [c[1], c] as const))('refuses a document breaking %s', (_rule, c) => expectBroken(c));

  it('applies NL-R-004, NL-R-005 and NL-R-008 only when the customer is Dutch too', () => {
    const foreign = {
      ...nlCustomer,
      country: 'BE',
      vat: 'BE0123456749',
      street: undefined,
      legal: ['4050000000018', '0088'] as [string, string],
    };
    expectValid(swap(parties(nl, nlSupplier, foreign), '<cbc:PaymentMeansCode>30<', '<cbc:PaymentMeansCode>31<'));
  });
});

// ---------------------------------------------------------------------------------------------------------------

const seSupplier: PartySpec = {
  endpoint: ['0007', '5560360793'],
  name: 'Nordic Tools AB',
  city: 'Stockholm',
  country: 'SE',
  vat: 'SE556036079301',
  tax: 'Godkänd för F-skatt',
  legal: ['5560360793', '0007'],
};
const se = parties(rich, seSupplier);
/** The 12 % group at another rate r (tax of 60.85 at r), with all totals following. */
function seRate(rate: string, tax: string, total: string, inclusive: string, payable: string): string {
  let xml = swap(se, '<cbc:Percent>12</cbc:Percent>', `<cbc:Percent>${rate}</cbc:Percent>`);
  xml = swap(xml, '>7.30<', `>${tax}<`);
  xml = swap(xml, '>111.05<', `>${total}<`);
  xml = swap(xml, '>689.23<', `>${inclusive}<`);
  return swap(xml, '>589.25<', `>${payable}<`);
}

describe('Sweden (SE-R-*)', () => {
  it('accepts a Swedish supplier with a valid VAT number, organisation number, F-skatt and the rates 25, 12, 6', () => {
    expectValid(se);
    expectValid(seRate('6', '3.65', '107.40', '685.58', '585.60'));
    // Without a Swedish VAT number, SE-R-001, 002 and 006 do not apply.
    expectValid(parties(rich, { ...seSupplier, vat: 'NO999999999MVA' }));
  });

  const cases: Case[] = [
    [parties(rich, { ...seSupplier, vat: 'SE55603607930' }), 'SE-R-001', `${S}/cac:PartyTaxScheme[1]/cbc:CompanyID`],
    [parties(rich, { ...seSupplier, vat: 'SE5560360793AB' }), 'SE-R-002', `${S}/cac:PartyTaxScheme[1]/cbc:CompanyID`],
    [parties(rich, { ...seSupplier, legal: ['556036079A'] }), 'SE-R-003', `${S}/cac:PartyLegalEntity/cbc:CompanyID`],
    [parties(rich, { ...seSupplier, legal: ['556036079'] }), 'SE-R-004', `${S}/cac:PartyLegalEntity/cbc:CompanyID`],
    [parties(rich, { ...seSupplier, tax: 'F-skatt' }), 'SE-R-005', `${S}/cac:PartyTaxScheme[2]/cbc:CompanyID`],
    [
      seRate('7', '4.26', '108.01', '686.19', '586.21'),
      'SE-R-006',
      '/Invoice/cac:InvoiceLine[3]/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent',
    ],
    [parties(rich, { ...seSupplier, legal: ['5560360794'] }), 'SE-R-013', `${S}/cac:PartyLegalEntity/cbc:CompanyID`],
  ];
  it.each(cases.map((c) => [c[1], c] as const))('refuses a document breaking %s', (_rule, c) => expectBroken(c));
});

// ---------------------------------------------------------------------------------------------------------------

const CONTACT =
  '<cbc:Name>Anna Schmidt</cbc:Name><cbc:Telephone>+49 30 123456</cbc:Telephone><cbc:ElectronicMail>anna@example.de</cbc:ElectronicMail>';
const deSupplier: PartySpec = {
  endpoint: ['0088', '4050000000018'],
  name: 'Northwind Consulting GmbH',
  street: 'Hauptstr. 1',
  city: 'Berlin',
  zip: '10115',
  country: 'DE',
  vat: 'DE811907980',
  contact: CONTACT,
};
const deCustomer: PartySpec = {
  endpoint: ['0088', '5790000436101'],
  name: 'Kunde GmbH',
  city: 'Hamburg',
  zip: '20095',
  country: 'DE',
  vat: 'DE123456789',
};
const de = parties(rich, deSupplier, deCustomer);
const MANDATE =
  '<cac:PaymentMandate><cbc:ID>M-1</cbc:ID><cac:PayerFinancialAccount><cbc:ID>DE75512108001245126199</cbc:ID></cac:PayerFinancialAccount></cac:PaymentMandate>';
const CARD =
  '<cac:CardAccount><cbc:PrimaryAccountNumberID>1234</cbc:PrimaryAccountNumberID><cbc:NetworkID>VISA</cbc:NetworkID></cac:CardAccount>';
const PAYEE = '<cac:PayeeFinancialAccount><cbc:ID>DE89370400440532013000</cbc:ID></cac:PayeeFinancialAccount>';
const PAYEE_2 = '<cac:PayeeFinancialAccount><cbc:ID>DE02120300000000202051</cbc:ID></cac:PayeeFinancialAccount>';
const deSepa = parties(
  rich,
  { ...deSupplier, identifier: '<cbc:ID schemeID="SEPA">DE98ZZZ09999999999</cbc:ID>' },
  deCustomer,
);
const DELIVERY = (inner: string) =>
  swap(
    de,
    '<cbc:ActualDeliveryDate>2026-10-31</cbc:ActualDeliveryDate>',
    `<cbc:ActualDeliveryDate>2026-10-31</cbc:ActualDeliveryDate><cac:DeliveryLocation><cac:Address>${inner}<cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:Address></cac:DeliveryLocation>`,
  );

describe('Germany, supplier and customer German (DE-R-*)', () => {
  it('accepts a complete German invoice, Skonto terms, a delivery address, a card and a direct debit', () => {
    expectValid(de);
    expectValid(
      swap(de, '30 days net', '#SKONTO#TAGE=7#PROZENT=2.00#\n#SKONTO#TAGE=14#PROZENT=1.00#BASISBETRAG=2.53#\n'),
    );
    expectValid(DELIVERY('<cbc:CityName>Berlin</cbc:CityName><cbc:PostalZone>10115</cbc:PostalZone>'));
    expectValid(payment(de, `<cbc:PaymentMeansCode>48</cbc:PaymentMeansCode>${CARD}`));
    expectValid(payment(deSepa, `<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode>${MANDATE}`));
    // Two accounts, one SEPA credit transfer means each (BG-17 is 0..n).
    expectValid(
      payments(
        de,
        `<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>${PAYEE}`,
        `<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>${PAYEE_2}`,
      ),
    );
    // Not German on both sides: none of the DE rules applies.
    expectValid(parties(rich, { ...deSupplier, contact: undefined }));
  });

  const contact = (inner: string) => parties(rich, { ...deSupplier, contact: inner }, deCustomer);
  const cases: Case[] = [
    [payment(de, ''), 'DE-R-001'],
    [parties(rich, { ...deSupplier, contact: undefined }, deCustomer), 'DE-R-002', `${S}`],
    [parties(rich, { ...deSupplier, city: undefined }, deCustomer), 'DE-R-003', `${S}/cac:PostalAddress`],
    [parties(rich, { ...deSupplier, zip: undefined }, deCustomer), 'DE-R-004', `${S}/cac:PostalAddress`],
    [contact(CONTACT.replace('<cbc:Name>Anna Schmidt</cbc:Name>', '')), 'DE-R-005', `${S}/cac:Contact`],
    [contact(CONTACT.replace('<cbc:Telephone>+49 30 123456</cbc:Telephone>', '')), 'DE-R-006', `${S}/cac:Contact`],
    [
      contact(CONTACT.replace('<cbc:ElectronicMail>anna@example.de</cbc:ElectronicMail>', '')),
      'DE-R-007',
      `${S}/cac:Contact`,
    ],
    [parties(rich, deSupplier, { ...deCustomer, city: undefined }), 'DE-R-008', `${C}/cac:PostalAddress`],
    [parties(rich, deSupplier, { ...deCustomer, zip: undefined }), 'DE-R-009', `${C}/cac:PostalAddress`],
    [
      DELIVERY('<cbc:PostalZone>10115</cbc:PostalZone>'),
      'DE-R-010',
      '/Invoice/cac:Delivery/cac:DeliveryLocation/cac:Address',
    ],
    [
      DELIVERY('<cbc:CityName>Berlin</cbc:CityName>'),
      'DE-R-011',
      '/Invoice/cac:Delivery/cac:DeliveryLocation/cac:Address',
    ],
    [
      swap(de, /(<cbc:ID>E<\/cbc:ID>\s*)<cbc:Percent>0<\/cbc:Percent>(\s*<cbc:TaxExemptionReasonCode>)/, '$1$2'),
      'DE-R-014',
      '/Invoice/cac:TaxTotal/cac:TaxSubtotal[4]',
    ],
    [swap(de, '<cbc:BuyerReference>PW-PROC-91</cbc:BuyerReference>', ''), 'DE-R-015'],
    [parties(rich, { ...deSupplier, vat: undefined }, deCustomer), 'DE-R-016'],
    [swap(de, '30 days net', '#SKONTO#TAGE=7#PROZENT=2#\n'), 'DE-R-018', '/Invoice/cac:PaymentTerms/cbc:Note'],
    // The last statement is followed by a line break, seen in the text as written (the model's is trimmed).
    [
      swap(de, '30 days net', 'Net 30 days\n#SKONTO#TAGE=7#PROZENT=2.00#'),
      'DE-R-018',
      '/Invoice/cac:PaymentTerms/cbc:Note',
    ],
    // A statement is the whole line: one that only ends in a Skonto statement is none.
    [swap(de, '30 days net', '#NOTE#SKONTO#TAGE=7#PROZENT=2.00#\n'), 'DE-R-018', '/Invoice/cac:PaymentTerms/cbc:Note'],
    [
      addDocRef(
        de,
        '<cac:AdditionalDocumentReference><cbc:ID>TS-0</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="text/csv" filename="timesheet.csv">ZGF5</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>',
      ),
      'DE-R-022',
      '/Invoice/cac:AdditionalDocumentReference[2]',
    ],
    // DE-R-023-1 (a credit transfer, 30 or 58, needs BG-17) says what the core's BR-61 says: both are named.
    [payment(de, '<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>'), 'BR-61'],
    [
      payment(de, '<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>'),
      'DE-R-023-1',
      '/Invoice/cac:PaymentMeans/cac:PayeeFinancialAccount',
    ],
    [payment(de, `<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>${CARD}${PAYEE}`), 'DE-R-023-2'],
    [payment(de, '<cbc:PaymentMeansCode>48</cbc:PaymentMeansCode>'), 'DE-R-024-1'],
    [payment(de, `<cbc:PaymentMeansCode>48</cbc:PaymentMeansCode>${CARD}${PAYEE}`), 'DE-R-024-2'],
    [
      // The payee account in a second card payment means is one too.
      payments(
        de,
        `<cbc:PaymentMeansCode>48</cbc:PaymentMeansCode>${CARD}`,
        `<cbc:PaymentMeansCode>48</cbc:PaymentMeansCode>${PAYEE}`,
      ),
      'DE-R-024-2',
      '/Invoice/cac:PaymentMeans[2]/cac:PayeeFinancialAccount/cbc:ID',
    ],
    [payment(deSepa, '<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode>'), 'DE-R-025-1'],
    [payment(deSepa, `<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode>${CARD}${MANDATE}`), 'DE-R-025-2'],
    [payment(de, `<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode>${MANDATE}`), 'DE-R-030'],
    [
      payment(
        deSepa,
        '<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode><cac:PaymentMandate><cbc:ID>M-1</cbc:ID></cac:PaymentMandate>',
      ),
      'DE-R-031',
      '/Invoice/cac:PaymentMeans/cac:PaymentMandate',
    ],
  ];
  it.each(cases.map((c) => [c[1], c] as const))('refuses a document breaking %s', (_rule, c) => expectBroken(c));
});

// ---------------------------------------------------------------------------------------------------------------

describe('Norway (NO-R-001)', () => {
  it('accepts NO + a valid organisation number + MVA, and refuses a wrong check digit', () => {
    expectValid(rich);
    expectBroken([swap(rich, 'NO999999999MVA', 'NO999999998MVA'), 'NO-R-001', `${S}/cac:PartyTaxScheme/cbc:CompanyID`]);
    expectBroken([swap(rich, 'NO999999999MVA', 'NO999999999'), 'NO-R-001']);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const itSupplier: PartySpec = {
  endpoint: ['0211', 'IT12345678901'],
  name: 'Forniture Srl',
  street: 'Via Roma 1',
  city: 'Roma',
  zip: '00100',
  country: 'IT',
  vat: 'IT12345678901',
  tax: 'RSSMRA80A01H501U',
};
describe('Italy (IT-R-*)', () => {
  it('accepts an Italian supplier with a full address and an 11-16 character tax registration id', () => {
    expectValid(parties(rich, itSupplier));
  });
  const cases: Case[] = [
    [parties(rich, { ...itSupplier, tax: 'ABC123' }), 'IT-R-001', `${S}/cac:PartyTaxScheme[2]/cbc:CompanyID`],
    [parties(rich, { ...itSupplier, street: undefined }), 'IT-R-002', `${S}/cac:PostalAddress`],
    [parties(rich, { ...itSupplier, city: undefined }), 'IT-R-003', `${S}/cac:PostalAddress`],
    [parties(rich, { ...itSupplier, zip: undefined }), 'IT-R-004', `${S}/cac:PostalAddress`],
  ];
  it.each(cases.map((c) => [c[1], c] as const))('refuses a document breaking %s', (_rule, c) => expectBroken(c));
});

// ---------------------------------------------------------------------------------------------------------------

const dkSupplier: PartySpec = {
  endpoint: ['0184', '12345678'],
  identifier: '<cbc:ID schemeID="0184">12345678</cbc:ID>',
  name: 'Dansk Service ApS',
  street: 'Strøget 1',
  city: 'København',
  zip: '1100',
  country: 'DK',
  vat: 'DK12345678',
  legal: ['12345678', '0184'],
};
const dkCustomer: PartySpec = {
  endpoint: ['0184', '87654321'],
  name: 'Kunde A/S',
  city: 'Aarhus',
  country: 'DK',
  vat: 'DK87654321',
};
const dk = swap(parties(rich, dkSupplier, dkCustomer), '<cbc:PaymentMeansCode>30<', '<cbc:PaymentMeansCode>58<');
const dkPay = (code: string, paymentId: string, account: string, extra = '') =>
  payment(
    dk,
    `<cbc:PaymentMeansCode>${code}</cbc:PaymentMeansCode><cbc:PaymentID>${paymentId}</cbc:PaymentID>` +
      `<cac:PayeeFinancialAccount><cbc:ID>${account}</cbc:ID>${extra}</cac:PayeeFinancialAccount>`,
  );
const BRANCH = '<cac:FinancialInstitutionBranch><cbc:ID>1234</cbc:ID></cac:FinancialInstitutionBranch>';
/** The credit note at minus its amounts (a negative total). */
const negativeCredit = (xml: string) =>
  swap(
    swap(swap(swap(xml, '>192.00<', '>-192.00<'), '>38.40<', '>-38.40<'), '>230.40<', '>-230.40<'),
    'unitCode="HUR">2<',
    'unitCode="HUR">-2<',
  );

describe('Denmark (DK-R-*)', () => {
  it('accepts Danish documents with CVR, giro, FIK, direct debit and non-VAT tax charges', () => {
    expectValid(dk);
    expectValid(dkPay('31', 'X', '1234567890', BRANCH));
    expectValid(dkPay('50', '01#123', '1234567'));
    expectValid(dkPay('50', '04#1234567890123456', '12345678'));
    expectValid(dkPay('93', '71#123456789012345', '12345678'));
    expectValid(payment(dk, `<cbc:PaymentMeansCode>49</cbc:PaymentMeansCode>${MANDATE}`));
    expectValid(
      swap(
        dk,
        '<cbc:AllowanceChargeReasonCode>FC</cbc:AllowanceChargeReasonCode>\n    <cbc:AllowanceChargeReason>Freight</cbc:AllowanceChargeReason>',
        '<cbc:AllowanceChargeReasonCode>ZZZ</cbc:AllowanceChargeReasonCode><cbc:AllowanceChargeReason>0012</cbc:AllowanceChargeReason>',
      ),
    );
    expectValid(parties(creditNote, dkSupplier, dkCustomer));
    // A Danish supplier to a foreign customer: only the supplier rules apply; a negative credit note is allowed.
    expectValid(negativeCredit(parties(creditNote, dkSupplier)));
  });

  const cases: Case[] = [
    [parties(rich, { ...dkSupplier, legal: undefined }, dkCustomer), 'DK-R-002'],
    [
      swap(
        dk,
        '<cbc:AllowanceChargeReasonCode>FC</cbc:AllowanceChargeReasonCode>',
        '<cbc:AllowanceChargeReasonCode>ZZZ</cbc:AllowanceChargeReasonCode>',
      ),
      'DK-R-004',
      '/Invoice/cac:AllowanceCharge[2]/cbc:AllowanceChargeReason',
    ],
    [swap(dk, '<cbc:PaymentMeansCode>58<', '<cbc:PaymentMeansCode>57<'), 'DK-R-005'],
    [dkPay('31', 'X', '1234567890'), 'DK-R-006'],
    [
      // Each account of a 31 or 42 means needs its registration number, the second one too.
      payments(
        dk,
        `<cbc:PaymentMeansCode>31</cbc:PaymentMeansCode><cac:PayeeFinancialAccount><cbc:ID>1234567890</cbc:ID>${BRANCH}</cac:PayeeFinancialAccount>`,
        '<cbc:PaymentMeansCode>31</cbc:PaymentMeansCode><cac:PayeeFinancialAccount><cbc:ID>9876543210</cbc:ID></cac:PayeeFinancialAccount>',
      ),
      'DK-R-006',
      '/Invoice/cac:PaymentMeans[2]/cac:PayeeFinancialAccount/cbc:ID',
    ],
    [payment(dk, '<cbc:PaymentMeansCode>49</cbc:PaymentMeansCode>'), 'DK-R-007'],
    [dkPay('50', '02#123', '1234567'), 'DK-R-008', '/Invoice/cac:PaymentMeans/cbc:PaymentID'],
    [dkPay('50', '04#123', '1234567'), 'DK-R-009', '/Invoice/cac:PaymentMeans/cbc:PaymentID'],
    [dkPay('93', '72#123456789012345', '12345678'), 'DK-R-010', '/Invoice/cac:PaymentMeans/cbc:PaymentID'],
    [dkPay('93', '71#123', '12345678'), 'DK-R-011', '/Invoice/cac:PaymentMeans/cbc:PaymentID'],
    [
      parties(rich, { ...dkSupplier, identifier: '<cbc:ID>12345678</cbc:ID>' }, dkCustomer),
      'DK-R-013',
      `${S}/cac:PartyIdentification/cbc:ID`,
    ],
    [
      parties(rich, { ...dkSupplier, legal: ['12345678', '0088'] }, dkCustomer),
      'DK-R-014',
      `${S}/cac:PartyLegalEntity/cbc:CompanyID`,
    ],
    [
      negativeCredit(parties(creditNote, dkSupplier, dkCustomer)),
      'DK-R-016',
      '/CreditNote/cac:LegalMonetaryTotal/cbc:PayableAmount',
    ],
  ];
  it.each(cases.map((c) => [c[1], c] as const))('refuses a document breaking %s', (_rule, c) => expectBroken(c));
});

// ---------------------------------------------------------------------------------------------------------------

const isSupplier: PartySpec = {
  endpoint: ['0196', '5502694669'],
  name: 'Íslensk Þjónusta ehf.',
  street: 'Laugavegur 1',
  city: 'Reykjavík',
  zip: '101',
  country: 'IS',
  vat: 'IS12345',
  legal: ['5502694669', '0196'],
};
const isCustomer: PartySpec = {
  ...isSupplier,
  name: 'Kaupandi hf.',
  vat: 'IS54321',
  endpoint: ['0196', '4101694669'],
  legal: ['4101694669', '0196'],
};
const is = parties(rich, isSupplier);
const eindagi = (xml: string, date: string) => addDocRef(xml, docRef(date, 'EINDAGI'));

describe('Iceland (IS-R-*)', () => {
  it('accepts Icelandic documents with kennitala, address, 12-digit accounts and an EINDAGI on or after the due date', () => {
    expectValid(is);
    expectValid(parties(rich, isSupplier, isCustomer));
    expectValid(
      payment(
        is,
        '<cbc:PaymentMeansCode>42</cbc:PaymentMeansCode>' +
          '<cac:PayeeFinancialAccount><cbc:ID>011126000123</cbc:ID></cac:PayeeFinancialAccount>',
      ),
    );
    expectValid(eindagi(is, '2026-12-10'));
  });
  const cases: Case[] = [
    [parties(rich, { ...isSupplier, legal: ['5502694669'] }), 'IS-R-002', `${S}/cac:PartyLegalEntity/cbc:CompanyID`],
    [parties(rich, { ...isSupplier, street: undefined }), 'IS-R-003', `${S}/cac:PostalAddress`],
    [parties(rich, isSupplier, { ...isCustomer, legal: undefined }), 'IS-R-004', `${C}`],
    [parties(rich, isSupplier, { ...isCustomer, zip: undefined }), 'IS-R-005', `${C}/cac:PostalAddress`],
    [
      payment(
        is,
        '<cbc:PaymentMeansCode>9</cbc:PaymentMeansCode><cac:PayeeFinancialAccount><cbc:ID>0111260001</cbc:ID></cac:PayeeFinancialAccount>',
      ),
      'IS-R-006',
      '/Invoice/cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID',
    ],
    [payment(is, '<cbc:PaymentMeansCode>42</cbc:PaymentMeansCode>'), 'IS-R-007'],
    [eindagi(is, '10.12.2026'), 'IS-R-008', '/Invoice/cac:AdditionalDocumentReference[1]/cbc:ID'],
    [swap(eindagi(is, '2026-12-10'), '<cbc:DueDate>2026-12-10</cbc:DueDate>', ''), 'IS-R-009'],
    [eindagi(is, '2026-12-09'), 'IS-R-010', '/Invoice/cac:AdditionalDocumentReference[1]/cbc:ID'],
  ];
  it.each(cases.map((c) => [c[1], c] as const))('refuses a document breaking %s', (_rule, c) => expectBroken(c));
});

// ---------------------------------------------------------------------------------------------------------------

const grSupplier: PartySpec = {
  endpoint: ['9933', '094014201'],
  tradingName: 'Ελληνική Εταιρεία',
  name: 'Ελληνική Εταιρεία Α.Ε.',
  city: 'Αθήνα',
  country: 'GR',
  vat: 'EL094014201',
};
const grCustomer: PartySpec = {
  endpoint: ['9933', '123456783'],
  tradingName: 'Αγοραστής',
  name: 'Αγοραστής Α.Ε.',
  city: 'Αθήνα',
  country: 'GR',
  vat: 'EL123456783',
};
const grNumber = (n: string, xml: string) =>
  swap(xml, /(<\/cbc:ProfileID>\s*)<cbc:ID>[^<]*<\/cbc:ID>/, `$1<cbc:ID>${n}</cbc:ID>`);
const GR_ID = '094014201|10/11/2026|0|1.1|A|1';
const gr = addDocRef(
  grNumber(GR_ID, parties(rich, grSupplier, { ...nlCustomer, tradingName: 'Partner Workflows' })),
  docRef('400001234567890', '##M.AR.K##'),
);
const URL_REF = docRef(
  'URL',
  '##INVOICE|URL##',
  '<cac:Attachment><cac:ExternalReference><cbc:URI>https://example.gr/i</cbc:URI></cac:ExternalReference></cac:Attachment>',
);

describe('Greece (GR-R-*)', () => {
  it('accepts a Greek invoice: six-segment number, MARK, invoice URL, TIN endpoints, a Greek buyer', () => {
    expectValid(gr);
    expectValid(addDocRef(gr, URL_REF));
    expectValid(
      addDocRef(grNumber(GR_ID, parties(rich, grSupplier, grCustomer)), docRef('400001234567890', '##M.AR.K##')),
    );
  });
  const cases: Case[] = [
    [grNumber('094014201|10/11/2026|0|1.1|A', gr), 'GR-R-001-1', '/Invoice/cbc:ID'],
    [grNumber('123456783|10/11/2026|0|1.1|A|1', gr), 'GR-R-001-2', '/Invoice/cbc:ID'],
    [grNumber('094014201|11/10/2026|0|1.1|A|1', gr), 'GR-R-001-3', '/Invoice/cbc:ID'],
    [grNumber('094014201|10/11/2026|x|1.1|A|1', gr), 'GR-R-001-4', '/Invoice/cbc:ID'],
    [grNumber('094014201|10/11/2026|0|9.9|A|1', gr), 'GR-R-001-5', '/Invoice/cbc:ID'],
    [grNumber('094014201|10/11/2026|0|1.1||1', gr), 'GR-R-001-6', '/Invoice/cbc:ID'],
    [grNumber('094014201|10/11/2026|0|1.1|A|', gr), 'GR-R-001-7', '/Invoice/cbc:ID'],
    [swap(gr, '<cac:PartyName><cbc:Name>Ελληνική Εταιρεία</cbc:Name></cac:PartyName>', ''), 'GR-R-002'],
    [swap(gr, '>EL094014201<', '>EL094014202<'), 'GR-R-003', `${S}/cac:PartyTaxScheme/cbc:CompanyID`],
    [swap(gr, '##M.AR.K##', 'MARK'), 'GR-R-004-1'],
    [
      swap(gr, '<cbc:ID>400001234567890</cbc:ID>', '<cbc:ID>0400001234567890</cbc:ID>'),
      'GR-R-004-2',
      '/Invoice/cac:AdditionalDocumentReference[1]/cbc:ID',
    ],
    [swap(gr, '<cac:PartyName><cbc:Name>Partner Workflows</cbc:Name></cac:PartyName>', ''), 'GR-R-005'],
    [
      addDocRef(
        grNumber(GR_ID, parties(rich, grSupplier, { ...grCustomer, vat: 'EL123456784' })),
        docRef('400001234567890', '##M.AR.K##'),
      ),
      'GR-R-006',
      `${C}/cac:PartyTaxScheme/cbc:CompanyID`,
    ],
    [addDocRef(addDocRef(gr, URL_REF), URL_REF), 'GR-R-008-2'],
    [addDocRef(gr, docRef('URL', '##INVOICE|URL##')), 'GR-R-008-3'],
    [
      swap(gr, '<cbc:EndpointID schemeID="9933">094014201<', '<cbc:EndpointID schemeID="0088">094014201<'),
      'GR-R-009',
      `${S}/cbc:EndpointID`,
    ],
    [
      addDocRef(
        grNumber(GR_ID, parties(rich, grSupplier, { ...grCustomer, endpoint: ['0088', '123456783'] })),
        docRef('400001234567890', '##M.AR.K##'),
      ),
      'GR-R-010',
      `${C}/cbc:EndpointID`,
    ],
  ];
  it.each(cases.map((c) => [c[1], c] as const))('refuses a document breaking %s', (_rule, c) => expectBroken(c));
});

describe('our UBL output keeps the fields the national rules read', () => {
  it('reads back to the same invoice (round trip)', () => {
    for (const xml of [nl, de, dk, gr, payment(deSepa, `<cbc:PaymentMeansCode>59</cbc:PaymentMeansCode>${MANDATE}`)]) {
      const mapped = mapUblInvoice(xml);
      if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
      const original = mapped.invoice;
      delete original.attachments;
      // BT-90 is written as the seller's identifier, not kept apart.
      if (original.payment) delete original.payment.creditorId;
      const again = mapUblInvoice(writeUbl(original));
      if (!again.ok) throw new Error(JSON.stringify(again.errors));
      if (again.invoice.payment) delete again.invoice.payment.creditorId;
      expect(again.invoice).toEqual(original);
    }
  });
});
