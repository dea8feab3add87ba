/** Example documents for the OpenAPI description (valid against their schemas; a test checks them). */
import type { Invoice, Order } from '../../contracts';

/** An order body. */
export const orderExample: Order = {
  orderNumber: 'PO-2026-1187',
  currency: 'EUR',
  customer: { name: 'Jane Buyer', email: 'jane@example.com' },
  lines: [
    { sku: 'WIDGET-1', description: 'Blue widget', quantity: 3, unitPriceMinor: 1250 },
    { sku: 'GADGET-2', description: 'Red gadget', quantity: 1, unitPriceMinor: 9900 },
  ],
  taxRateBasisPoints: 2000,
  payment: { method: 'pm_card_visa' },
};

/** A canonical invoice body (amounts in minor units, adding up). */
export const invoiceExample: Invoice = {
  invoiceNumber: 'NW-2026-0417',
  issueDate: '2026-11-02',
  dueDate: '2026-12-02',
  currency: 'EUR',
  supplier: { name: 'Northwind Consulting GmbH', vatId: 'DE811907980', address: { city: 'Hamburg', country: 'DE' } },
  customer: { name: 'Partner Workflows B.V.', vatId: 'NL859712453B01', address: { country: 'NL' } },
  lines: [
    {
      id: '1',
      description: 'Consulting hours',
      quantity: 12.5,
      unitPriceMinor: 9600,
      lineTotalMinor: 120000,
      taxRateBasisPoints: 2000,
    },
    {
      id: '2',
      description: 'Annual connector licence',
      quantity: 1,
      unitPriceMinor: 45000,
      lineTotalMinor: 45000,
      taxRateBasisPoints: 2000,
    },
  ],
  taxExclusiveMinor: 165000,
  taxTotalMinor: 33000,
  payableMinor: 198000,
  paymentTerms: 'Net 30 days',
};

/** A UBL 2.1 invoice body: a Peppol BIS Billing 3.0 invoice with the core fields, accepted as it stands. */
export const ublExample = `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>NW-2026-0418</cbc:ID>
  <cbc:IssueDate>2026-11-02</cbc:IssueDate>
  <cbc:DueDate>2026-12-02</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>PO-2026-118</cbc:BuyerReference>
  <cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="9930">DE811907980</cbc:EndpointID><cac:PostalAddress><cbc:StreetName>Speicherstadt 4</cbc:StreetName><cbc:CityName>Hamburg</cbc:CityName><cbc:PostalZone>20457</cbc:PostalZone><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress><cac:PartyTaxScheme><cbc:CompanyID>DE811907980</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme><cac:PartyLegalEntity><cbc:RegistrationName>Northwind Consulting GmbH</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="9944">NL859712453B01</cbc:EndpointID><cac:PostalAddress><cbc:StreetName>Herengracht 100</cbc:StreetName><cbc:CityName>Amsterdam</cbc:CityName><cbc:PostalZone>1015 BS</cbc:PostalZone><cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress><cac:PartyTaxScheme><cbc:CompanyID>NL859712453B01</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme><cac:PartyLegalEntity><cbc:RegistrationName>Partner Workflows B.V.</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode><cbc:PaymentID>NW-2026-0418</cbc:PaymentID><cac:PayeeFinancialAccount><cbc:ID>DE89370400440532013000</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">90.00</cbc:TaxAmount>
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">450.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">90.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>20</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">450.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">450.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">540.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">540.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">450.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Annual connector licence</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>20</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">450.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>`;

/** An NDJSON batch body. */
export const batchExample = [
  JSON.stringify({ type: 'order', body: orderExample }),
  JSON.stringify({ type: 'invoice', body: invoiceExample }),
].join('\n');

/** A 202 answer. */
export function acceptedExample(type: 'order' | 'invoice') {
  const id = 'sub_01jd3k7x2q9m4n5p6r7s8t9v0w';
  return { id, type, status: 'received', links: { self: `/v1/submissions/${id}` } };
}

/** A shared schema inlined with its own description and examples (a `$id` must stay unique). */
export function withoutId<T extends object>(schema: T): Omit<T, '$id'> {
  const { $id: _id, ...rest } = schema as T & { $id?: string };
  return rest;
}
