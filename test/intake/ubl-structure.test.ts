/**
 * The structure of our UBL output, in place of an XSD check: no npm or Debian package ships the OASIS UBL 2.1
 * schemas (see README), so the child order of every element we write is checked against the xsd:sequence of its
 * UBL 2.1 type, transcribed here for the elements we emit, and every element must be one we know.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapUblInvoice } from '../../domain/ubl/invoice';
import { orderInvoice } from '../../domain/order-invoice';
import { invoiceCustomer } from '../../domain/partner-billing';
import { writeUbl } from '../../domain/ubl/writer';
import { ACME_BILLING } from '../support/fixtures';

const invoiceRoot = [
  'UBLExtensions',
  'UBLVersionID',
  'CustomizationID',
  'ProfileID',
  'ProfileExecutionID',
  'ID',
  'CopyIndicator',
  'UUID',
  'IssueDate',
  'IssueTime',
  'DueDate',
  'InvoiceTypeCode',
  'Note',
  'TaxPointDate',
  'DocumentCurrencyCode',
  'TaxCurrencyCode',
  'PricingCurrencyCode',
  'PaymentCurrencyCode',
  'PaymentAlternativeCurrencyCode',
  'AccountingCostCode',
  'AccountingCost',
  'LineCountNumeric',
  'BuyerReference',
  'InvoicePeriod',
  'OrderReference',
  'BillingReference',
  'DespatchDocumentReference',
  'ReceiptDocumentReference',
  'StatementDocumentReference',
  'OriginatorDocumentReference',
  'ContractDocumentReference',
  'AdditionalDocumentReference',
  'ProjectReference',
  'Signature',
  'AccountingSupplierParty',
  'AccountingCustomerParty',
  'PayeeParty',
  'BuyerCustomerParty',
  'SellerSupplierParty',
  'TaxRepresentativeParty',
  'Delivery',
  'DeliveryTerms',
  'PaymentMeans',
  'PaymentTerms',
  'PrepaidPayment',
  'AllowanceCharge',
  'TaxExchangeRate',
  'PricingExchangeRate',
  'PaymentExchangeRate',
  'PaymentAlternativeExchangeRate',
  'TaxTotal',
  'WithholdingTaxTotal',
  'LegalMonetaryTotal',
  'InvoiceLine',
];
const creditNoteRoot = [
  'UBLExtensions',
  'UBLVersionID',
  'CustomizationID',
  'ProfileID',
  'ProfileExecutionID',
  'ID',
  'CopyIndicator',
  'UUID',
  'IssueDate',
  'IssueTime',
  'TaxPointDate',
  'CreditNoteTypeCode',
  'Note',
  'DocumentCurrencyCode',
  'TaxCurrencyCode',
  'PricingCurrencyCode',
  'PaymentCurrencyCode',
  'PaymentAlternativeCurrencyCode',
  'AccountingCostCode',
  'AccountingCost',
  'LineCountNumeric',
  'BuyerReference',
  'InvoicePeriod',
  'DiscrepancyResponse',
  'OrderReference',
  'BillingReference',
  'DespatchDocumentReference',
  'ReceiptDocumentReference',
  'ContractDocumentReference',
  'AdditionalDocumentReference',
  'StatementDocumentReference',
  'OriginatorDocumentReference',
  'Signature',
  'AccountingSupplierParty',
  'AccountingCustomerParty',
  'PayeeParty',
  'BuyerCustomerParty',
  'SellerSupplierParty',
  'TaxRepresentativeParty',
  'Delivery',
  'DeliveryTerms',
  'PaymentMeans',
  'PaymentTerms',
  'TaxExchangeRate',
  'PricingExchangeRate',
  'PaymentExchangeRate',
  'PaymentAlternativeExchangeRate',
  'AllowanceCharge',
  'TaxTotal',
  'LegalMonetaryTotal',
  'CreditNoteLine',
];
const line = (quantity: string) => [
  'ID',
  'UUID',
  'Note',
  quantity,
  'LineExtensionAmount',
  'TaxPointDate',
  'AccountingCostCode',
  'AccountingCost',
  'PaymentPurposeCode',
  'FreeOfChargeIndicator',
  'InvoicePeriod',
  'OrderLineReference',
  'DespatchLineReference',
  'ReceiptLineReference',
  'BillingReference',
  'DocumentReference',
  'PricingReference',
  'OriginatorParty',
  'Delivery',
  'PaymentTerms',
  'AllowanceCharge',
  'Item',
  'Price',
];
const party = [
  'EndpointID',
  'IndustryClassificationCode',
  'PartyIdentification',
  'PartyName',
  'Language',
  'PostalAddress',
  'PhysicalLocation',
  'PartyTaxScheme',
  'PartyLegalEntity',
  'Contact',
];
const taxCategory = [
  'ID',
  'Name',
  'Percent',
  'BaseUnitMeasure',
  'PerUnitAmount',
  'TaxExemptionReasonCode',
  'TaxExemptionReason',
  'TierRange',
  'TierRatePercent',
  'TaxScheme',
];
const documentReference = [
  'ID',
  'CopyIndicator',
  'UUID',
  'IssueDate',
  'IssueTime',
  'DocumentTypeCode',
  'DocumentType',
  'XPath',
  'LanguageID',
  'LocaleCode',
  'VersionID',
  'DocumentStatusCode',
  'DocumentDescription',
  'Attachment',
];
const itemIdentification = [
  'ID',
  'ExtendedID',
  'BarcodeSymbologyID',
  'PhysicalAttribute',
  'MeasurementDimension',
  'IssuerParty',
];
/** UBL 2.1 FinancialAccountType, the sequence of a payee's and a payer's account alike. */
const FINANCIAL_ACCOUNT = [
  'ID',
  'Name',
  'AliasName',
  'AccountTypeCode',
  'AccountFormatCode',
  'CurrencyCode',
  'PaymentNote',
  'FinancialInstitutionBranch',
  'Country',
];

/** UBL 2.1 AddressType, the sequence of a `cac:PostalAddress` and of a deliver-to `cac:Address` alike. */
const ADDRESS = [
  'ID',
  'AddressTypeCode',
  'AddressFormatCode',
  'Postbox',
  'Floor',
  'Room',
  'StreetName',
  'AdditionalStreetName',
  'BlockName',
  'BuildingName',
  'BuildingNumber',
  'InhouseMail',
  'Department',
  'MarkAttention',
  'MarkCare',
  'PlotIdentification',
  'CitySubdivisionName',
  'CityName',
  'PostalZone',
  'CountrySubentity',
  'CountrySubentityCode',
  'Region',
  'District',
  'TimezoneOffset',
  'AddressLine',
  'Country',
  'LocationCoordinate',
];

const SEQUENCES: Record<string, string[]> = {
  Invoice: invoiceRoot,
  CreditNote: creditNoteRoot,
  InvoiceLine: line('InvoicedQuantity'),
  CreditNoteLine: line('CreditedQuantity'),
  AccountingSupplierParty: ['CustomerAssignedAccountID', 'AdditionalAccountID', 'DataSendingCapability', 'Party'],
  AccountingCustomerParty: ['CustomerAssignedAccountID', 'SupplierAssignedAccountID', 'AdditionalAccountID', 'Party'],
  Party: party,
  TaxRepresentativeParty: party,
  PayeeParty: party,
  DeliveryParty: party,
  PartyName: ['Name'],
  PartyIdentification: ['ID'],
  // Both are UBL's AddressType.
  PostalAddress: ADDRESS,
  Address: ADDRESS,
  AddressLine: ['Line'],
  Country: ['IdentificationCode', 'Name'],
  PartyTaxScheme: [
    'RegistrationName',
    'CompanyID',
    'TaxLevelCode',
    'ExemptionReasonCode',
    'ExemptionReason',
    'RegistrationAddress',
    'TaxScheme',
  ],
  PartyLegalEntity: [
    'RegistrationName',
    'CompanyID',
    'RegistrationDate',
    'RegistrationExpirationDate',
    'CompanyLegalFormCode',
    'CompanyLegalForm',
  ],
  TaxScheme: ['ID', 'Name'],
  InvoicePeriod: ['StartDate', 'StartTime', 'EndDate', 'EndTime', 'DurationMeasure', 'DescriptionCode', 'Description'],
  OrderReference: ['ID', 'SalesOrderID', 'CopyIndicator', 'UUID', 'IssueDate', 'IssueTime', 'CustomerReference'],
  BillingReference: ['InvoiceDocumentReference'],
  InvoiceDocumentReference: ['ID', 'CopyIndicator', 'UUID', 'IssueDate'],
  AdditionalDocumentReference: documentReference,
  DespatchDocumentReference: documentReference,
  ReceiptDocumentReference: documentReference,
  OriginatorDocumentReference: documentReference,
  ContractDocumentReference: documentReference,
  DocumentReference: documentReference,
  ProjectReference: ['ID', 'UUID', 'IssueDate', 'WorkPhaseReference'],
  Attachment: ['EmbeddedDocumentBinaryObject', 'ExternalReference'],
  ExternalReference: ['URI'],
  Delivery: [
    'ID',
    'Quantity',
    'MinimumQuantity',
    'MaximumQuantity',
    'ActualDeliveryDate',
    'ActualDeliveryTime',
    'LatestDeliveryDate',
    'LatestDeliveryTime',
    'ReleaseID',
    'TrackingID',
    'DeliveryAddress',
    'DeliveryLocation',
    'AlternativeDeliveryLocation',
    'RequestedDeliveryPeriod',
    'PromisedDeliveryPeriod',
    'EstimatedDeliveryPeriod',
    'CarrierParty',
    'DeliveryParty',
    'NotifyParty',
    'Despatch',
    'DeliveryTerms',
    'MinimumDeliveryUnit',
    'MaximumDeliveryUnit',
    'Shipment',
  ],
  DeliveryLocation: [
    'ID',
    'Description',
    'Conditions',
    'CountrySubentity',
    'CountrySubentityCode',
    'LocationTypeCode',
    'InformationURI',
    'Name',
    'ValidityPeriod',
    'Address',
  ],
  PaymentMeans: [
    'ID',
    'PaymentMeansCode',
    'PaymentDueDate',
    'PaymentChannelCode',
    'InstructionID',
    'InstructionNote',
    'PaymentID',
    'CardAccount',
    'PayerFinancialAccount',
    'PayeeFinancialAccount',
    'CreditAccount',
    'PaymentMandate',
  ],
  // Both are UBL's FinancialAccountType.
  PayeeFinancialAccount: FINANCIAL_ACCOUNT,
  PayerFinancialAccount: FINANCIAL_ACCOUNT,
  FinancialInstitutionBranch: ['ID', 'Name', 'FinancialInstitution', 'Address'],
  CardAccount: [
    'PrimaryAccountNumberID',
    'NetworkID',
    'CardTypeCode',
    'ValidityStartDate',
    'ExpiryDate',
    'IssuerID',
    'IssueNumberID',
    'CV2ID',
    'CardChipCode',
    'ChipApplicationID',
    'HolderName',
  ],
  PaymentMandate: [
    'ID',
    'MandateTypeCode',
    'MaximumPaymentInstructionsNumeric',
    'MaximumPaidAmount',
    'SignatureID',
    'PayerParty',
    'PayerFinancialAccount',
    'ValidityPeriod',
    'PaymentReversalPeriod',
    'Clause',
  ],
  PaymentTerms: ['ID', 'PaymentMeansID', 'PrepaidPaymentReferenceID', 'Note'],
  AllowanceCharge: [
    'ID',
    'ChargeIndicator',
    'AllowanceChargeReasonCode',
    'AllowanceChargeReason',
    'MultiplierFactorNumeric',
    'PrepaidIndicator',
    'SequenceNumeric',
    'Amount',
    'BaseAmount',
    'AccountingCostCode',
    'AccountingCost',
    'PerUnitAmount',
    'TaxCategory',
  ],
  TaxTotal: ['TaxAmount', 'RoundingAmount', 'TaxEvidenceIndicator', 'TaxIncludedIndicator', 'TaxSubtotal'],
  TaxSubtotal: [
    'TaxableAmount',
    'TaxAmount',
    'CalculationSequenceNumeric',
    'TransactionCurrencyTaxAmount',
    'Percent',
    'BaseUnitMeasure',
    'PerUnitAmount',
    'TierRange',
    'TierRatePercent',
    'TaxCategory',
  ],
  TaxCategory: taxCategory,
  ClassifiedTaxCategory: taxCategory,
  LegalMonetaryTotal: [
    'LineExtensionAmount',
    'TaxExclusiveAmount',
    'TaxInclusiveAmount',
    'AllowanceTotalAmount',
    'ChargeTotalAmount',
    'PrepaidAmount',
    'PayableRoundingAmount',
    'PayableAmount',
    'PayableAlternativeAmount',
  ],
  Item: [
    'Description',
    'PackQuantity',
    'PackSizeNumeric',
    'CatalogueIndicator',
    'Name',
    'HazardousRiskIndicator',
    'AdditionalInformation',
    'Keyword',
    'BrandName',
    'ModelName',
    'BuyersItemIdentification',
    'SellersItemIdentification',
    'ManufacturersItemIdentification',
    'StandardItemIdentification',
    'CatalogueItemIdentification',
    'AdditionalItemIdentification',
    'CatalogueDocumentReference',
    'ItemSpecificationDocumentReference',
    'OriginCountry',
    'CommodityClassification',
    'TransactionConditions',
    'HazardousItem',
    'ClassifiedTaxCategory',
    'AdditionalItemProperty',
    'ManufacturerParty',
    'InformationContentProviderParty',
    'OriginAddress',
    'ItemInstance',
    'Certificate',
    'Dimension',
  ],
  BuyersItemIdentification: itemIdentification,
  SellersItemIdentification: itemIdentification,
  StandardItemIdentification: itemIdentification,
  OriginCountry: ['IdentificationCode', 'Name'],
  CommodityClassification: ['NatureCode', 'CargoTypeCode', 'CommodityCode', 'ItemClassificationCode'],
  AdditionalItemProperty: [
    'ID',
    'Name',
    'NameCode',
    'TestMethod',
    'Value',
    'ValueQuantity',
    'ValueQualifier',
    'ImportanceCode',
    'ListValue',
    'UsabilityPeriod',
    'ItemPropertyGroup',
    'RangeDimension',
    'ItemPropertyRange',
  ],
  Price: [
    'PriceAmount',
    'BaseQuantity',
    'PriceChangeReason',
    'PriceTypeCode',
    'PriceType',
    'OrderableUnitFactorRate',
    'ValidityPeriod',
    'PriceList',
    'AllowanceCharge',
  ],
};

/** Every element with the local names of its children in document order. */
function elements(xml: string): { name: string; children: string[] }[] {
  const all: { name: string; children: string[] }[] = [];
  const stack: { name: string; children: string[] }[] = [];
  for (const m of xml.matchAll(/<(\/?)(?:[\w]+:)?([\w]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (m[0].startsWith('<?')) continue;
    if (closing) {
      stack.pop();
      continue;
    }
    stack.at(-1)?.children.push(name!);
    const el = { name: name!, children: [] as string[] };
    all.push(el);
    if (!selfClosing) stack.push(el);
  }
  return all;
}

function problems(xml: string): string[] {
  const found: string[] = [];
  for (const el of elements(xml)) {
    if (!el.children.length) continue;
    const sequence = SEQUENCES[el.name];
    if (!sequence) {
      found.push(`${el.name}: no sequence known`);
      continue;
    }
    let last = -1;
    for (const child of el.children) {
      const at = sequence.indexOf(child);
      if (at < 0) found.push(`${el.name}/${child}: not in the UBL 2.1 sequence`);
      else if (at < last) found.push(`${el.name}/${child}: out of order`);
      else last = at;
    }
  }
  return found;
}

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl', name), 'utf8');

describe('our UBL output against the UBL 2.1 sequences', () => {
  const read = (xml: string) => {
    const m = mapUblInvoice(xml);
    if (!m.ok) throw new Error(JSON.stringify(m.errors));
    return m.invoice;
  };

  it('writes invoices and credit notes with every element in schema order', () => {
    const rich = read(fixture('peppol-invoice-allowances.xml'));
    rich.attachments = [{ id: 'TS-1', description: 'Timesheet', externalUri: 'https://example.test/ts-1.csv' }];
    rich.taxRepresentativeVatId = 'NO999999998MVA';
    const details = { additionalStreet: 'Building 2', addressLine3: 'Gate 7', countrySubdivision: 'Region' };
    rich.taxRepresentativeName = 'Skatt Representant AS';
    rich.taxRepresentativeAddress = {
      street: 'Storgata 1',
      city: 'Oslo',
      postalCode: '0155',
      ...details,
      country: 'NO',
    };
    rich.supplier.address = { street: 'Main street 1', city: 'Oslo', postalCode: '0150', ...details, country: 'NO' };
    rich.supplier.additionalLegalInfo = 'Share capital NOK 100 000';
    rich.delivery = {
      date: '2026-10-31',
      locationId: '5790000436118',
      locationScheme: '0088',
      street: 'Havenweg 4',
      city: 'Rotterdam',
      postalCode: '3089 JA',
      ...details,
      country: 'NL',
      name: 'Goods receipt',
    };
    rich.taxPointDate = '2026-10-31';
    rich.supplier.identifier = '7300010000001';
    rich.notes = [{ subjectCode: 'AAI', text: 'Ordered through our website' }, { text: 'Second note' }];
    rich.lines[0]!.note = 'A line note';
    const references = {
      buyerAccountingReference: '4217:2323:2323',
      salesOrderReference: 'SO-1',
      despatchAdviceReference: 'DESADV-1',
      receivingAdviceReference: 'RECADV-1',
      tenderReference: 'LOT-1',
      contractReference: 'C-1',
      invoicedObjectId: 'METER-1',
      invoicedObjectScheme: 'AUN',
      projectReference: 'P-1',
    };
    Object.assign(rich, references);
    Object.assign(rich.lines[0]!, { buyerAccountingReference: '6100', objectId: 'OBJ-1', objectScheme: 'ABZ' });
    Object.assign(rich.lines[0]!, {
      sellerItemId: 'S-1',
      buyerItemId: 'B-1',
      standardItemId: '4012345000009',
      standardItemScheme: '0160',
      originCountry: 'DE',
      classifications: [
        { code: '72224000', listId: 'STI' },
        { code: '86776', listId: 'MP', listVersionId: '1' },
      ],
      attributes: [{ name: 'Colour', value: 'Black' }],
      itemDescription: 'A longer description of the item',
      priceBaseQuantity: 10,
      priceBaseUnitCode: 'C62',
    });
    rich.payee = {
      name: 'Hanse Factoring GmbH',
      identifier: '4050000000025',
      identifierScheme: '0088',
      legalRegistrationId: 'HRB 99001',
    };
    expect(problems(writeUbl(rich))).toEqual([]);
    const credit = read(fixture('peppol-credit-note.xml'));
    credit.taxPointDate = '2026-11-12';
    credit.notes = [{ text: 'Two hours were invoiced twice' }];
    credit.lines[0]!.note = 'A line note';
    Object.assign(credit, references);
    Object.assign(credit.lines[0]!, { buyerAccountingReference: '6100', objectId: 'OBJ-1', objectScheme: 'ABZ' });
    credit.attachments = [{ id: 'TS-1', description: 'Timesheet' }];
    credit.invoicePeriod = { startDate: '2026-10-01', endDate: '2026-10-31' };
    credit.customer.address = { street: 'Keizersgracht 100', city: 'Amsterdam', ...details, country: 'NL' };
    credit.supplier.additionalLegalInfo = 'GmbH';
    credit.delivery = { locationId: 'DOCK-1', name: 'Dock 1' };
    Object.assign(credit.lines[0]!, { itemDescription: 'Hours invoiced twice', priceBaseQuantity: 1 });
    expect(problems(writeUbl(credit))).toEqual([]);
    credit.invoicePeriod = { descriptionCode: '35' };
    delete credit.taxPointDate;
    expect(problems(writeUbl(credit))).toEqual([]);
    const order = orderInvoice({
      invoiceNumber: 'INV-2026-000001',
      issuedAt: new Date('2026-11-21T10:00:00Z'),
      order: {
        orderNumber: 'PO-1',
        currency: 'EUR',
        partnerName: 'Acme',
        lines: [{ sku: 'X', description: 'x', quantity: 2, unitPriceMinor: 1250 }],
        subtotalMinor: 2500,
        taxMinor: 500,
        totalMinor: 3000,
      },
      taxRateBasisPoints: 2000,
    });
    expect(problems(writeUbl(order))).toEqual([]);
    // The buyer with every billing detail: endpoint, postal address, VAT id, registration name.
    const { vatId, address, endpoint } = ACME_BILLING;
    order.customer = invoiceCustomer({ name: 'Acme B.V.', vatId, address, endpoint });
    expect(problems(writeUbl(order))).toEqual([]);
  });

  it('writes every payment means element in schema order: card, accounts with their bank, mandate', () => {
    const rich = read(fixture('peppol-invoice-allowances.xml'));
    rich.payment = {
      meansCode: '58',
      meansText: 'SEPA credit transfer',
      paymentId: 'AC-2026-0099',
      accountId: 'DE89370400440532013000',
      accountName: 'Aurora Supplies AS',
      serviceProviderId: 'COBADEFFXXX',
      additionalCreditTransfers: [{ accountId: 'NL91ABNA0417164300', serviceProviderId: 'ABNANL2A' }],
      cardAccountId: '1234',
      cardNetworkId: 'VISA',
      cardHolderName: 'Jane Doe',
      mandate: { id: 'M-1', debitedAccountId: 'NL02ABNA0123456789' },
    };
    const xml = writeUbl(rich);
    expect(xml.match(/<cac:PaymentMeans>/g)).toHaveLength(2);
    expect(problems(xml)).toEqual([]);
    const credit = read(fixture('peppol-credit-note.xml'));
    credit.payment!.additionalCreditTransfers = [{ accountId: 'DE89370400440532013000' }];
    expect(problems(writeUbl(credit))).toEqual([]);
  });

  it('notices an element out of order', () => {
    const xml = writeUbl(read(fixture('peppol-credit-note.xml')));
    const moved = xml.replace(
      /(<cbc:IssueDate>[^<]*<\/cbc:IssueDate>)(<cbc:CreditNoteTypeCode>381<\/cbc:CreditNoteTypeCode>)/,
      '$2$1',
    );
    expect(problems(moved)).toEqual(['CreditNote/IssueDate: out of order']);
  });
});
