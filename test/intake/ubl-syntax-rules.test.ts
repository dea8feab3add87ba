/**
 * The CEN EN 16931 UBL syntax binding rules (UBL-SR-*), the fatal UBL-CR-666/673 and Peppol's R002: an element the
 * standard has once, repeated, is refused with its rule and the repeat's path instead of the first being read and
 * the second passed over. Each case breaks one rule in a fixture; elements UBL itself has once (its XML Schema) are
 * refused naming the repeat, without a rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, judge } from './judge';
import { mapUblInvoice } from '../../domain/ubl/invoice';

const example = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl-invoice.xml'), 'utf8');
const rich = fixture('peppol-invoice-allowances.xml');
const creditNote = fixture('peppol-credit-note.xml');

/** Puts `text` after the first `anchor`, which must be there, so a case cannot silently test nothing. */
function after(xml: string, anchor: string, text: string): string {
  const at = xml.indexOf(anchor);
  if (at < 0) throw new Error(`not in the document: ${anchor}`);
  return xml.slice(0, at + anchor.length) + text + xml.slice(at + anchor.length);
}

const I = '/Invoice';
const CN = '/CreditNote';
const SELLER = `${I}/cac:AccountingSupplierParty/cac:Party`;
const BUYER = `${I}/cac:AccountingCustomerParty/cac:Party`;
/** The anchors the cases insert after, in the order UBL has them. */
const HEADER = '<cbc:BuyerReference>PW-PROC-88</cbc:BuyerReference>';
const SELLER_NAME = '<cbc:RegistrationName>Northwind Consulting GmbH</cbc:RegistrationName>';
const SELLER_LEGAL = '<cbc:CompanyID>HRB 104711</cbc:CompanyID>\n      </cac:PartyLegalEntity>';
const SELLER_VAT = '<cbc:CompanyID>DE811907980</cbc:CompanyID>';
const SELLER_ENDPOINT = '<cbc:EndpointID schemeID="0088">4050000000018</cbc:EndpointID>';
const BUYER_ENDPOINT = '<cbc:EndpointID schemeID="0088">5790000436101</cbc:EndpointID>';
const BUYER_NAME = '<cbc:RegistrationName>Partner Workflows B.V.</cbc:RegistrationName>';
const BUYER_LEGAL = `${BUYER_NAME}\n      </cac:PartyLegalEntity>`;
const PARTIES_END = '</cac:AccountingCustomerParty>';
const MEANS_CODE = '<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>';
const LINE_1 = '<cbc:ID>1</cbc:ID>';
const ITEM_1 = '<cbc:Description>Integration consulting, October 2026</cbc:Description>';
const PRICE_1 = '<cbc:PriceAmount currencyID="EUR">96.00</cbc:PriceAmount>';
const VAT_SCHEME = (id: string, scheme = 'VAT') =>
  `<cac:PartyTaxScheme><cbc:CompanyID>${id}</cbc:CompanyID><cac:TaxScheme><cbc:ID>${scheme}</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`;
const twice = (text: string) => text + text;

/** [what, document, rule, path of the repeat] */
const cases: [string, string, string, string][] = [
  // Document level.
  [
    'two contract references',
    after(
      example,
      HEADER,
      twice('<cac:ContractDocumentReference><cbc:ID>C-1</cbc:ID></cac:ContractDocumentReference>'),
    ),
    'UBL-SR-01',
    `${I}/cac:ContractDocumentReference[2]/cbc:ID`,
  ],
  [
    'two receiving advice references',
    after(example, HEADER, twice('<cac:ReceiptDocumentReference><cbc:ID>R-1</cbc:ID></cac:ReceiptDocumentReference>')),
    'UBL-SR-02',
    `${I}/cac:ReceiptDocumentReference[2]/cbc:ID`,
  ],
  [
    'two despatch advice references',
    after(
      example,
      HEADER,
      twice('<cac:DespatchDocumentReference><cbc:ID>D-1</cbc:ID></cac:DespatchDocumentReference>'),
    ),
    'UBL-SR-03',
    `${I}/cac:DespatchDocumentReference[2]/cbc:ID`,
  ],
  [
    'two invoiced object identifiers',
    after(
      example,
      HEADER,
      twice(
        '<cac:AdditionalDocumentReference><cbc:ID schemeID="AUN">OBJ-1</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>',
      ),
    ),
    'UBL-SR-04',
    `${I}/cac:AdditionalDocumentReference[2]/cbc:ID`,
  ],
  [
    'a second payment terms note, in a second PaymentTerms',
    after(
      example,
      '</cac:PaymentTerms>',
      '<cac:PaymentTerms><cbc:Note>2% discount in 10 days</cbc:Note></cac:PaymentTerms>',
    ),
    'UBL-SR-05',
    `${I}/cac:PaymentTerms[2]/cbc:Note`,
  ],
  [
    'a second payment terms note, in the same PaymentTerms',
    after(example, '<cbc:Note>Net 30 days</cbc:Note>', '<cbc:Note>2% discount in 10 days</cbc:Note>'),
    'UBL-SR-05',
    `${I}/cac:PaymentTerms/cbc:Note[2]`,
  ],
  [
    'two invoicing periods',
    after(example, HEADER, twice('<cac:InvoicePeriod><cbc:StartDate>2026-10-01</cbc:StartDate></cac:InvoicePeriod>')),
    'UBL-SR-08',
    `${I}/cac:InvoicePeriod[2]`,
  ],
  [
    'two VAT point date codes',
    after(
      example,
      HEADER,
      '<cac:InvoicePeriod><cbc:DescriptionCode>35</cbc:DescriptionCode><cbc:DescriptionCode>432</cbc:DescriptionCode></cac:InvoicePeriod>',
    ),
    'UBL-SR-49',
    `${I}/cac:InvoicePeriod/cbc:DescriptionCode[2]`,
  ],
  [
    'two project references',
    after(example, HEADER, twice('<cac:ProjectReference><cbc:ID>P-1</cbc:ID></cac:ProjectReference>')),
    'UBL-SR-39',
    `${I}/cac:ProjectReference[2]/cbc:ID`,
  ],
  [
    'two tender or lot references',
    after(
      example,
      HEADER,
      twice('<cac:OriginatorDocumentReference><cbc:ID>LOT-1</cbc:ID></cac:OriginatorDocumentReference>'),
    ),
    'UBL-SR-56',
    `${I}/cac:OriginatorDocumentReference[2]/cbc:ID`,
  ],
  [
    'two deliveries',
    after(
      example,
      PARTIES_END,
      twice('<cac:Delivery><cbc:ActualDeliveryDate>2026-10-31</cbc:ActualDeliveryDate></cac:Delivery>'),
    ),
    'UBL-SR-24',
    `${I}/cac:Delivery[2]`,
  ],
  [
    'a deliver to party with two names',
    after(
      example,
      PARTIES_END,
      '<cac:Delivery><cac:DeliveryParty><cac:PartyName><cbc:Name>Dock 1</cbc:Name></cac:PartyName><cac:PartyName><cbc:Name>Dock 2</cbc:Name></cac:PartyName></cac:DeliveryParty></cac:Delivery>',
    ),
    'UBL-SR-25',
    `${I}/cac:Delivery/cac:DeliveryParty/cac:PartyName[2]/cbc:Name`,
  ],
  [
    'two document notes (seller in Germany, buyer in the Netherlands)',
    after(example, '<cbc:Note>Consulting and licences for October 2026</cbc:Note>', '<cbc:Note>Second note</cbc:Note>'),
    'PEPPOL-EN16931-R002',
    `${I}/cbc:Note[2]`,
  ],
  // Seller.
  [
    'two seller names in one PartyLegalEntity',
    after(example, SELLER_NAME, '<cbc:RegistrationName>Northwind Holding GmbH</cbc:RegistrationName>'),
    'UBL-SR-09',
    `${SELLER}/cac:PartyLegalEntity/cbc:RegistrationName[2]`,
  ],
  [
    'two seller names in two PartyLegalEntity',
    after(
      example,
      SELLER_LEGAL,
      '<cac:PartyLegalEntity><cbc:RegistrationName>Northwind Holding GmbH</cbc:RegistrationName></cac:PartyLegalEntity>',
    ),
    'UBL-SR-09',
    `${SELLER}/cac:PartyLegalEntity[2]/cbc:RegistrationName`,
  ],
  [
    'two seller trading names',
    after(example, '</cac:PartyName>', '<cac:PartyName><cbc:Name>Northwind</cbc:Name></cac:PartyName>'),
    'UBL-SR-10',
    `${SELLER}/cac:PartyName[2]/cbc:Name`,
  ],
  [
    'two seller legal registration ids',
    after(example, SELLER_LEGAL, '<cac:PartyLegalEntity><cbc:CompanyID>HRB 999</cbc:CompanyID></cac:PartyLegalEntity>'),
    'UBL-SR-11',
    `${SELLER}/cac:PartyLegalEntity[2]/cbc:CompanyID`,
  ],
  [
    'two seller VAT identifiers',
    after(example, '</cac:PartyTaxScheme>', VAT_SCHEME('DE999999999')),
    'UBL-SR-12',
    `${SELLER}/cac:PartyTaxScheme[2]/cbc:CompanyID`,
  ],
  [
    'two seller tax registrations',
    after(example, '</cac:PartyTaxScheme>', VAT_SCHEME('12/345/67890', 'FC') + VAT_SCHEME('98/765/43210', 'FC')),
    'UBL-SR-13',
    `${SELLER}/cac:PartyTaxScheme[3]/cbc:CompanyID`,
  ],
  [
    'three seller tax schemes',
    after(example, '</cac:PartyTaxScheme>', VAT_SCHEME('12/345/67890', 'FC') + VAT_SCHEME('98/765/43210', 'FC')),
    'UBL-SR-42',
    `${SELLER}/cac:PartyTaxScheme[3]`,
  ],
  [
    'two seller legal forms',
    after(example, SELLER_NAME, twice('<cbc:CompanyLegalForm>GmbH, Hamburg</cbc:CompanyLegalForm>')),
    'UBL-SR-14',
    `${SELLER}/cac:PartyLegalEntity/cbc:CompanyLegalForm[2]`,
  ],
  [
    'two bank assigned creditor ids',
    after(
      example,
      SELLER_ENDPOINT,
      twice('<cac:PartyIdentification><cbc:ID schemeID="SEPA">DE98ZZZ09999999999</cbc:ID></cac:PartyIdentification>'),
    ),
    'UBL-SR-29',
    `${SELLER}/cac:PartyIdentification[2]/cbc:ID`,
  ],
  // Buyer.
  [
    'two buyer names',
    after(example, BUYER_NAME, '<cbc:RegistrationName>Partner Workflows Holding B.V.</cbc:RegistrationName>'),
    'UBL-SR-15',
    `${BUYER}/cac:PartyLegalEntity/cbc:RegistrationName[2]`,
  ],
  [
    'two buyer identifiers',
    after(example, BUYER_ENDPOINT, twice('<cac:PartyIdentification><cbc:ID>PW-1</cbc:ID></cac:PartyIdentification>')),
    'UBL-SR-16',
    `${BUYER}/cac:PartyIdentification[2]/cbc:ID`,
  ],
  [
    'two buyer legal registration ids',
    after(
      example,
      BUYER_LEGAL,
      '<cac:PartyLegalEntity><cbc:CompanyID>34567890</cbc:CompanyID></cac:PartyLegalEntity>'.repeat(2),
    ),
    'UBL-SR-17',
    `${BUYER}/cac:PartyLegalEntity[3]/cbc:CompanyID`,
  ],
  [
    'two buyer VAT identifiers',
    after(
      example,
      '<cbc:CompanyID>NL859712453B01</cbc:CompanyID>\n        <cac:TaxScheme>\n          <cbc:ID>VAT</cbc:ID>\n        </cac:TaxScheme>\n      </cac:PartyTaxScheme>',
      VAT_SCHEME('NL000000000B01'),
    ),
    'UBL-SR-18',
    `${BUYER}/cac:PartyTaxScheme[2]/cbc:CompanyID`,
  ],
  [
    'two buyer trading names',
    after(example, BUYER_ENDPOINT, twice('<cac:PartyName><cbc:Name>Partner Workflows</cbc:Name></cac:PartyName>')),
    'UBL-SR-40',
    `${BUYER}/cac:PartyName[2]/cbc:Name`,
  ],
  // Payee and tax representative.
  [
    'two payee names',
    after(
      example,
      PARTIES_END,
      '<cac:PayeeParty><cac:PartyName><cbc:Name>Factor A</cbc:Name></cac:PartyName><cac:PartyName><cbc:Name>Factor B</cbc:Name></cac:PartyName></cac:PayeeParty>',
    ),
    'UBL-SR-19',
    `${I}/cac:PayeeParty/cac:PartyName[2]/cbc:Name`,
  ],
  [
    'a payee named as the seller',
    after(
      example,
      PARTIES_END,
      '<cac:PayeeParty><cac:PartyName><cbc:Name>Northwind Consulting GmbH</cbc:Name></cac:PartyName></cac:PayeeParty>',
    ),
    'UBL-SR-19',
    `${I}/cac:PayeeParty/cac:PartyName/cbc:Name`,
  ],
  [
    'a payee without a name',
    after(
      example,
      PARTIES_END,
      '<cac:PayeeParty><cac:PartyIdentification><cbc:ID>F-1</cbc:ID></cac:PartyIdentification></cac:PayeeParty>',
    ),
    'UBL-SR-19',
    `${I}/cac:PayeeParty/cac:PartyName/cbc:Name`,
  ],
  [
    'two payee identifiers',
    after(
      example,
      PARTIES_END,
      '<cac:PayeeParty><cac:PartyIdentification><cbc:ID schemeID="0088">1</cbc:ID></cac:PartyIdentification><cac:PartyIdentification><cbc:ID schemeID="0088">2</cbc:ID></cac:PartyIdentification><cac:PartyName><cbc:Name>Factor A</cbc:Name></cac:PartyName></cac:PayeeParty>',
    ),
    'UBL-SR-20',
    `${I}/cac:PayeeParty/cac:PartyIdentification[2]/cbc:ID`,
  ],
  [
    'two payee legal registration ids',
    after(
      example,
      PARTIES_END,
      '<cac:PayeeParty><cac:PartyName><cbc:Name>Factor A</cbc:Name></cac:PartyName><cac:PartyLegalEntity><cbc:CompanyID>1</cbc:CompanyID></cac:PartyLegalEntity><cac:PartyLegalEntity><cbc:CompanyID>2</cbc:CompanyID></cac:PartyLegalEntity></cac:PayeeParty>',
    ),
    'UBL-SR-21',
    `${I}/cac:PayeeParty/cac:PartyLegalEntity[2]/cbc:CompanyID`,
  ],
  [
    'two tax representative names',
    after(
      example,
      PARTIES_END,
      `<cac:TaxRepresentativeParty><cac:PartyName><cbc:Name>Rep A</cbc:Name></cac:PartyName><cac:PartyName><cbc:Name>Rep B</cbc:Name></cac:PartyName><cac:PostalAddress><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>${VAT_SCHEME('DE123456789')}</cac:TaxRepresentativeParty>`,
    ),
    'UBL-SR-22',
    `${I}/cac:TaxRepresentativeParty/cac:PartyName[2]/cbc:Name`,
  ],
  [
    'two tax representative VAT identifiers',
    after(
      example,
      PARTIES_END,
      `<cac:TaxRepresentativeParty><cac:PartyName><cbc:Name>Rep A</cbc:Name></cac:PartyName><cac:PostalAddress><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>${VAT_SCHEME('DE123456789')}${VAT_SCHEME('DE987654321')}</cac:TaxRepresentativeParty>`,
    ),
    'UBL-SR-23',
    `${I}/cac:TaxRepresentativeParty/cac:PartyTaxScheme[2]/cbc:CompanyID`,
  ],
  // Payment means.
  [
    'two remittance informations in one payment means',
    after(example, '<cbc:PaymentID>NW-2026-0417</cbc:PaymentID>', '<cbc:PaymentID>OTHER</cbc:PaymentID>'),
    'UBL-SR-26',
    `${I}/cac:PaymentMeans/cbc:PaymentID[2]`,
  ],
  [
    'two payment means codes in one payment means',
    after(example, MEANS_CODE, '<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>'),
    'UBL-SR-27',
    `${I}/cac:PaymentMeans/cbc:PaymentMeansCode[2]`,
  ],
  [
    'two mandate references',
    after(
      example,
      '</cac:PayeeFinancialAccount>',
      '<cac:PaymentMandate><cbc:ID>M-1</cbc:ID><cbc:ID>M-2</cbc:ID></cac:PaymentMandate>',
    ),
    'UBL-SR-28',
    `${I}/cac:PaymentMeans/cac:PaymentMandate/cbc:ID[2]`,
  ],
  [
    'two payment means texts',
    after(
      example.replace(MEANS_CODE, '<cbc:PaymentMeansCode name="Credit transfer">58</cbc:PaymentMeansCode>'),
      '</cac:PaymentMeans>',
      '<cac:PaymentMeans><cbc:PaymentMeansCode name="SEPA">58</cbc:PaymentMeansCode></cac:PaymentMeans>',
    ),
    'UBL-SR-46',
    `${I}/cac:PaymentMeans[2]/cbc:PaymentMeansCode`,
  ],
  // Billing reference, supporting documents, VAT breakdown, allowances and charges.
  [
    'a billing reference without the preceding invoice',
    after(
      example,
      HEADER,
      '<cac:BillingReference><cac:CreditNoteDocumentReference><cbc:ID>CN-1</cbc:ID></cac:CreditNoteDocumentReference></cac:BillingReference>',
    ),
    'UBL-SR-07',
    `${I}/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID`,
  ],
  [
    'a billing reference with two preceding invoices',
    after(
      example,
      HEADER,
      '<cac:BillingReference>' +
        twice('<cac:InvoiceDocumentReference><cbc:ID>NW-1</cbc:ID></cac:InvoiceDocumentReference>') +
        '</cac:BillingReference>',
    ),
    'UBL-SR-06',
    `${I}/cac:BillingReference/cac:InvoiceDocumentReference[2]`,
  ],
  [
    'two descriptions of a supporting document',
    after(
      rich,
      '<cbc:DocumentDescription>Timesheet October</cbc:DocumentDescription>',
      '<cbc:DocumentDescription>Second</cbc:DocumentDescription>',
    ),
    'UBL-SR-33',
    `${I}/cac:AdditionalDocumentReference/cbc:DocumentDescription[2]`,
  ],
  [
    'a supporting document with a type code other than 130',
    after(rich, '<cbc:ID>TS-1</cbc:ID>', '<cbc:DocumentTypeCode>916</cbc:DocumentTypeCode>'),
    'UBL-SR-43',
    `${I}/cac:AdditionalDocumentReference/cbc:DocumentTypeCode`,
  ],
  [
    'a supporting document id with a scheme',
    rich.replace('<cbc:ID>TS-1</cbc:ID>', '<cbc:ID schemeID="AAA">TS-1</cbc:ID>'),
    'UBL-SR-43',
    `${I}/cac:AdditionalDocumentReference/cbc:ID`,
  ],
  [
    'an invoice with a project reference type code (50 is for credit notes)',
    after(
      example,
      HEADER,
      '<cac:AdditionalDocumentReference><cbc:ID>P-1</cbc:ID><cbc:DocumentTypeCode>50</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>',
    ),
    'UBL-SR-43',
    `${I}/cac:AdditionalDocumentReference/cbc:DocumentTypeCode`,
  ],
  [
    'an invoiced object identifier with an attachment',
    rich.replace('<cbc:ID>TS-1</cbc:ID>', '<cbc:ID>TS-1</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>'),
    'UBL-CR-666',
    `${I}/cac:AdditionalDocumentReference/cac:Attachment`,
  ],
  [
    'an invoiced object identifier with a description',
    rich.replace('<cbc:ID>TS-1</cbc:ID>', '<cbc:ID>TS-1</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>'),
    'UBL-CR-673',
    `${I}/cac:AdditionalDocumentReference/cbc:DocumentDescription`,
  ],
  [
    'two VAT exemption reasons',
    after(
      rich,
      '<cbc:TaxExemptionReason>Exempt based on article 132 of Council Directive 2006/112/EC</cbc:TaxExemptionReason>',
      '<cbc:TaxExemptionReason>Second</cbc:TaxExemptionReason>',
    ),
    'UBL-SR-32',
    `${I}/cac:TaxTotal/cac:TaxSubtotal[4]/cac:TaxCategory/cbc:TaxExemptionReason[2]`,
  ],
  [
    'two reasons of a document level allowance',
    after(
      rich,
      '<cbc:AllowanceChargeReason>Loyalty discount</cbc:AllowanceChargeReason>',
      '<cbc:AllowanceChargeReason>Second</cbc:AllowanceChargeReason>',
    ),
    'UBL-SR-30',
    `${I}/cac:AllowanceCharge[1]/cbc:AllowanceChargeReason[2]`,
  ],
  [
    'two reasons of a document level charge',
    after(
      rich,
      '<cbc:AllowanceChargeReason>Freight</cbc:AllowanceChargeReason>',
      '<cbc:AllowanceChargeReason>Second</cbc:AllowanceChargeReason>',
    ),
    'UBL-SR-31',
    `${I}/cac:AllowanceCharge[2]/cbc:AllowanceChargeReason[2]`,
  ],
  [
    'two reasons of a line charge',
    after(
      rich,
      '<cbc:AllowanceChargeReason>Packing</cbc:AllowanceChargeReason>',
      '<cbc:AllowanceChargeReason>Second</cbc:AllowanceChargeReason>',
    ),
    'UBL-SR-31',
    `${I}/cac:InvoiceLine[1]/cac:AllowanceCharge[2]/cbc:AllowanceChargeReason[2]`,
  ],
  [
    'an address with two address lines',
    after(
      example,
      '<cbc:PostalZone>20459</cbc:PostalZone>',
      twice('<cac:AddressLine><cbc:Line>Building 3</cbc:Line></cac:AddressLine>'),
    ),
    'UBL-SR-51',
    `${SELLER}/cac:PostalAddress/cac:AddressLine[2]`,
  ],
  [
    'a party tax scheme without its identifier',
    example.replace(`${SELLER_VAT}\n`, ''),
    'UBL-SR-53',
    `${SELLER}/cac:PartyTaxScheme/cbc:CompanyID`,
  ],
  [
    'a party tax scheme without its scheme',
    after(
      example,
      '</cac:PartyTaxScheme>',
      '<cac:PartyTaxScheme><cbc:CompanyID>12/345/67890</cbc:CompanyID><cac:TaxScheme/></cac:PartyTaxScheme>',
    ),
    'UBL-SR-53',
    `${SELLER}/cac:PartyTaxScheme[2]/cac:TaxScheme/cbc:ID`,
  ],
  // Lines.
  [
    'two line notes',
    after(example, LINE_1, twice('<cbc:Note>Line note</cbc:Note>')),
    'UBL-SR-34',
    `${I}/cac:InvoiceLine[1]/cbc:Note[2]`,
  ],
  [
    'two referenced order lines',
    after(
      example,
      '<cbc:LineExtensionAmount currencyID="EUR">1200.00</cbc:LineExtensionAmount>',
      twice('<cac:OrderLineReference><cbc:LineID>10</cbc:LineID></cac:OrderLineReference>'),
    ),
    'UBL-SR-35',
    `${I}/cac:InvoiceLine[1]/cac:OrderLineReference[2]/cbc:LineID`,
  ],
  [
    'two line periods',
    after(
      example,
      '<cbc:LineExtensionAmount currencyID="EUR">1200.00</cbc:LineExtensionAmount>',
      twice('<cac:InvoicePeriod><cbc:StartDate>2026-10-01</cbc:StartDate></cac:InvoicePeriod>'),
    ),
    'UBL-SR-36',
    `${I}/cac:InvoiceLine[1]/cac:InvoicePeriod[2]`,
  ],
  [
    'two line object identifiers',
    after(
      example,
      '<cbc:LineExtensionAmount currencyID="EUR">1200.00</cbc:LineExtensionAmount>',
      twice(
        '<cac:DocumentReference><cbc:ID schemeID="AUN">OBJ</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:DocumentReference>',
      ),
    ),
    'UBL-SR-52',
    `${I}/cac:InvoiceLine[1]/cac:DocumentReference[2]`,
  ],
  [
    'two price discounts',
    after(
      rich,
      '<cbc:BaseAmount currencyID="EUR">12.00</cbc:BaseAmount>\n      </cac:AllowanceCharge>',
      '<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID="EUR">1.00</cbc:Amount></cac:AllowanceCharge>',
    ),
    'UBL-SR-37',
    `${I}/cac:InvoiceLine[3]/cac:Price/cac:AllowanceCharge[2]/cbc:Amount`,
  ],
  [
    'two line VAT categories',
    after(
      example,
      ITEM_1,
      '<cac:ClassifiedTaxCategory><cbc:ID>Z</cbc:ID><cbc:Percent>0</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>',
    ),
    'UBL-SR-48',
    `${I}/cac:InvoiceLine[1]/cac:Item/cac:ClassifiedTaxCategory[2]`,
  ],
  [
    'two item descriptions',
    after(example, ITEM_1, '<cbc:Description>Second description</cbc:Description>'),
    'UBL-SR-50',
    `${I}/cac:InvoiceLine[1]/cac:Item/cbc:Description[2]`,
  ],
  // A credit note alike.
  [
    'a credit note with two invoicing periods',
    after(
      creditNote,
      '<cbc:BuyerReference>PW-PROC-88</cbc:BuyerReference>',
      twice('<cac:InvoicePeriod><cbc:StartDate>2026-10-01</cbc:StartDate></cac:InvoicePeriod>'),
    ),
    'UBL-SR-08',
    `${CN}/cac:InvoicePeriod[2]`,
  ],
  [
    'a credit note with two seller names',
    after(creditNote, SELLER_NAME, '<cbc:RegistrationName>Northwind Holding GmbH</cbc:RegistrationName>'),
    'UBL-SR-09',
    `${CN}/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName[2]`,
  ],
  [
    'a credit note with two due dates in one payment means',
    after(
      creditNote,
      '<cbc:PaymentDueDate>2026-11-30</cbc:PaymentDueDate>',
      '<cbc:PaymentDueDate>2026-12-30</cbc:PaymentDueDate>',
    ),
    'UBL-SR-45',
    `${CN}/cac:PaymentMeans/cbc:PaymentDueDate[2]`,
  ],
  [
    'a credit note line with two notes',
    after(creditNote, '<cbc:ID>1</cbc:ID>', twice('<cbc:Note>Line note</cbc:Note>')),
    'UBL-SR-34',
    `${CN}/cac:CreditNoteLine/cbc:Note[2]`,
  ],
  [
    'a credit note with two project references (type 50)',
    after(
      creditNote,
      '</cac:BillingReference>',
      twice(
        '<cac:AdditionalDocumentReference><cbc:ID>P-1</cbc:ID><cbc:DocumentTypeCode>50</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>',
      ),
    ),
    'PEPPOL-EN16931-R080',
    `${CN}/cac:AdditionalDocumentReference[2]`,
  ],
];

describe('UBL syntax binding rules (CEN EN 16931 UBL-SR, UBL-CR-666/673, Peppol R002)', () => {
  it.each(cases.map(([what, xml, rule, pointer]) => ({ what, xml, rule, pointer })))(
    '$what: $rule at the repeat',
    ({ xml, rule, pointer }) => {
      expect(judge(xml)).toContainEqual(expect.objectContaining({ rule, pointer }));
    },
  );

  it('the fixtures themselves break none of them', () => {
    for (const xml of [example, rich, creditNote]) expect(judge(xml)).toEqual([]);
  });

  it('a credit note may have a project reference (type 50), and two document notes are Peppol German only', () => {
    const project = after(
      creditNote,
      '</cac:BillingReference>',
      '<cac:AdditionalDocumentReference><cbc:ID>P-1</cbc:ID><cbc:DocumentTypeCode>50</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>',
    );
    expect(judge(project)).toEqual([]);
    const german = after(
      example.replace(
        '<cbc:IdentificationCode>NL</cbc:IdentificationCode>',
        '<cbc:IdentificationCode>DE</cbc:IdentificationCode>',
      ),
      '<cbc:Note>Consulting and licences for October 2026</cbc:Note>',
      '<cbc:Note>Second note</cbc:Note>',
    );
    expect(judge(german).map((p) => p.rule)).not.toContain('PEPPOL-EN16931-R002');
  });

  it('reads what the document has once wherever it is: a seller name in the second PartyLegalEntity, a note in the second PaymentTerms', () => {
    const split = after(
      example.replace(SELLER_NAME, ''),
      SELLER_LEGAL,
      '<cac:PartyLegalEntity><cbc:RegistrationName>Northwind Consulting GmbH</cbc:RegistrationName></cac:PartyLegalEntity>',
    )
      .replace(
        '<cac:PaymentTerms>\n    <cbc:Note>Net 30 days</cbc:Note>\n  </cac:PaymentTerms>',
        '<cac:PaymentTerms><cbc:PaymentMeansID>1</cbc:PaymentMeansID></cac:PaymentTerms><cac:PaymentTerms><cbc:Note>Net 30 days</cbc:Note></cac:PaymentTerms>',
      )
      .replace(
        '<cac:PartyTaxScheme>\n        <cbc:CompanyID>NL859712453B01',
        `${VAT_SCHEME('1', 'FC')}${VAT_SCHEME('2', 'FC')}<cac:PartyTaxScheme>\n        <cbc:CompanyID>NL859712453B01`,
      );
    const mapped = mapUblInvoice(split);
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(mapped.invoice.supplier).toMatchObject({
      name: 'Northwind Consulting GmbH',
      legalRegistrationId: 'HRB 104711',
    });
    expect(mapped.invoice.paymentTerms).toBe('Net 30 days');
    // The buyer's VAT id after two other tax schemes (the buyer's are not limited to two) is still its VAT id.
    expect(mapped.invoice.customer.vatId).toBe('NL859712453B01');
  });

  it('a document without its specification identifier is refused (BR-01), whichever specification it names', () => {
    const without = example.replace(/<cbc:CustomizationID>[^<]*<\/cbc:CustomizationID>/, '');
    expect(without).not.toBe(example);
    expect(judge(without)).toContainEqual(
      expect.objectContaining({ rule: 'BR-01', pointer: `${I}/cbc:CustomizationID` }),
    );
    const xrechnung = example.replace(
      /<cbc:CustomizationID>[^<]*</,
      '<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0<',
    );
    // Read whichever it names: refused, if at all, only under the rules of the one it names (XRechnung's BR-DE-*).
    expect(judge(xrechnung).filter((p) => !p.rule?.startsWith('BR-DE-'))).toEqual([]);
  });

  it('an empty element is refused (PEPPOL-EN16931-R008)', () => {
    expect(judge(after(example, HEADER, '<cbc:AccountingCost> </cbc:AccountingCost>'))).toContainEqual(
      expect.objectContaining({ rule: 'PEPPOL-EN16931-R008', pointer: `${I}/cbc:AccountingCost` }),
    );
    expect(judge(after(example, HEADER, '<cac:OrderReference><cbc:ID/></cac:OrderReference>'))).toContainEqual(
      expect.objectContaining({ rule: 'PEPPOL-EN16931-R008', pointer: `${I}/cac:OrderReference/cbc:ID` }),
    );
  });

  it('a line period may repeat its description code: UBL allows it, EN 16931 has no such term, Peppol only warns', () => {
    const xml = after(
      example,
      '<cbc:LineExtensionAmount currencyID="EUR">1200.00</cbc:LineExtensionAmount>',
      '<cac:InvoicePeriod><cbc:StartDate>2026-10-01</cbc:StartDate><cbc:DescriptionCode>35</cbc:DescriptionCode><cbc:DescriptionCode>432</cbc:DescriptionCode></cac:InvoicePeriod>',
    );
    expect(judge(xml)).toEqual([]);
  });

  // Elements UBL 2.1 itself has at most once: a repeat is refused naming it (no business rule to name).
  const schema: [string, string, string][] = [
    [
      'a seller country',
      after(
        example,
        '<cbc:IdentificationCode>DE</cbc:IdentificationCode>',
        '<cbc:IdentificationCode>AT</cbc:IdentificationCode>',
      ),
      `${SELLER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode[2]`,
    ],
    [
      'a seller postal address',
      after(
        example,
        SELLER_ENDPOINT,
        '<cac:PostalAddress><cac:Country><cbc:IdentificationCode>AT</cbc:IdentificationCode></cac:Country></cac:PostalAddress>',
      ),
      `${SELLER}/cac:PostalAddress[2]`,
    ],
    [
      'an item name',
      after(example, '<cbc:Name>Consulting hours</cbc:Name>', '<cbc:Name>Other hours</cbc:Name>'),
      `${I}/cac:InvoiceLine[1]/cac:Item/cbc:Name[2]`,
    ],
    [
      'a line VAT category code',
      after(example, '<cac:ClassifiedTaxCategory>\n        <cbc:ID>S</cbc:ID>', '<cbc:ID>Z</cbc:ID>'),
      `${I}/cac:InvoiceLine[1]/cac:Item/cac:ClassifiedTaxCategory/cbc:ID[2]`,
    ],
    [
      'a line VAT rate',
      after(
        example,
        '<cac:ClassifiedTaxCategory>\n        <cbc:ID>S</cbc:ID>\n        <cbc:Percent>20</cbc:Percent>',
        '<cbc:Percent>7</cbc:Percent>',
      ),
      `${I}/cac:InvoiceLine[1]/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent[2]`,
    ],
    [
      'a breakdown VAT rate',
      after(example, '<cbc:ID>S</cbc:ID>\n        <cbc:Percent>20</cbc:Percent>', '<cbc:Percent>7</cbc:Percent>'),
      `${I}/cac:TaxTotal/cac:TaxSubtotal[1]/cac:TaxCategory/cbc:Percent[2]`,
    ],
    [
      'a price base quantity',
      after(example, PRICE_1, twice('<cbc:BaseQuantity unitCode="HUR">1</cbc:BaseQuantity>')),
      `${I}/cac:InvoiceLine[1]/cac:Price/cbc:BaseQuantity[2]`,
    ],
    [
      'a gross price',
      after(
        rich,
        '<cbc:BaseAmount currencyID="EUR">12.00</cbc:BaseAmount>',
        '<cbc:BaseAmount currencyID="EUR">13.00</cbc:BaseAmount>',
      ),
      `${I}/cac:InvoiceLine[3]/cac:Price/cac:AllowanceCharge/cbc:BaseAmount[2]`,
    ],
    [
      'a charge indicator',
      after(
        rich,
        '<cbc:ChargeIndicator>false</cbc:ChargeIndicator>',
        '<cbc:ChargeIndicator>true</cbc:ChargeIndicator>',
      ),
      `${I}/cac:AllowanceCharge[1]/cbc:ChargeIndicator[2]`,
    ],
    [
      'an address line 2',
      after(
        example,
        '<cbc:StreetName>Hafenstrasse 12</cbc:StreetName>',
        twice('<cbc:AdditionalStreetName>Speicher 2</cbc:AdditionalStreetName>'),
      ),
      `${SELLER}/cac:PostalAddress/cbc:AdditionalStreetName[2]`,
    ],
    [
      'a country subdivision',
      after(
        example,
        '<cbc:PostalZone>1015 CV</cbc:PostalZone>',
        twice('<cbc:CountrySubentity>Noord-Holland</cbc:CountrySubentity>'),
      ),
      `${BUYER}/cac:PostalAddress/cbc:CountrySubentity[2]`,
    ],
    [
      'a deliver-to location identifier',
      after(
        example,
        PARTIES_END,
        '<cac:Delivery><cac:DeliveryLocation><cbc:ID>DOCK-1</cbc:ID><cbc:ID>DOCK-2</cbc:ID></cac:DeliveryLocation></cac:Delivery>',
      ),
      `${I}/cac:Delivery/cac:DeliveryLocation/cbc:ID[2]`,
    ],
    [
      'a seller contact',
      after(example, SELLER_LEGAL, twice('<cac:Contact><cbc:Name>Ops</cbc:Name></cac:Contact>')),
      `${SELLER}/cac:Contact[2]`,
    ],
  ];
  it.each(schema.map(([what, xml, pointer]) => ({ what, xml, pointer })))(
    '$what repeated is refused naming the repeat',
    ({ xml, pointer }) => {
      const problem = judge(xml).find((p) => p.pointer === pointer);
      expect(problem).toMatchObject({ message: expect.stringContaining('only once') });
    },
  );
});
