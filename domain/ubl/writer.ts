/**
 * The canonical invoice as a Peppol BIS Billing 3.0 UBL 2.1 document (`Invoice` or `CreditNote`; under the
 * specification the invoice names, if another), elements in the order of the UBL 2.1 schemas. Our own reader accepts what this writes (a test checks the round trip).
 */
import { DEFAULT_UNIT_CODE, type Invoice, type InvoiceLine } from '../../contracts/invoice';
import { creditTransferAccounts } from '../payment-accounts';
import { PEPPOL_SPECIFICATION, peppolRulesApply } from '../specifications';
import { currencyExponent, minorToDecimal, numberToDecimal } from './decimal';
import { NO_NETWORK } from './invoice';

/** BT-23 of Peppol BIS Billing 3.0 (R001 requires one). */
const PROFILE = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
const CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function decimalText(n: number): string {
  const d = numberToDecimal(n);
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const text = d.scale ? `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}` : digits;
  return negative ? `-${text}` : text;
}

function percentText(basisPoints: number): string {
  return decimalText(basisPoints / 100);
}

/** Text that is only XML white space: what Peppol's R008 calls empty. */
const blank = (text: string | undefined): boolean => text === undefined || !/[^ \t\r\n]/.test(text);

/**
 * A tiny element builder: children are written only when present. Nothing is written empty (PEPPOL-EN16931-R008):
 * an element or attribute whose text is blank is left out, and so is a group that ends up with no child.
 */
class Out {
  readonly parts: string[] = [];
  constructor(readonly currency: string) {}

  el(name: string, text: string | undefined, attrs: Record<string, string | undefined> = {}): void {
    if (blank(text)) return;
    const a = Object.entries(attrs)
      .filter(([, v]) => !blank(v))
      .map(([k, v]) => ` ${k}="${escape(v!)}"`)
      .join('');
    this.parts.push(`<${name}${a}>${escape(text!)}</${name}>`);
  }

  amount(name: string, minor: number | undefined, currency = this.currency): void {
    if (minor === undefined) return;
    this.el(name, minorToDecimal(minor, currencyExponent(currency)), { currencyID: currency });
  }

  group(name: string, body: () => void): void {
    const open = this.parts.push(`<${name}>`);
    body();
    if (this.parts.length === open) this.parts.pop();
    else this.parts.push(`</${name}>`);
  }
}

/**
 * The children of a UBL `AddressType` (`cac:PostalAddress`, a deliver-to `cac:Address`) in its order: lines 1 and 2,
 * city, post code, subdivision, line 3 (`cac:AddressLine`), country.
 */
function addressBody(o: Out, address: Partial<NonNullable<Invoice['supplier']['address']>>): void {
  o.el('cbc:StreetName', address.street);
  o.el('cbc:AdditionalStreetName', address.additionalStreet);
  o.el('cbc:CityName', address.city);
  o.el('cbc:PostalZone', address.postalCode);
  o.el('cbc:CountrySubentity', address.countrySubdivision);
  if (address.addressLine3) o.group('cac:AddressLine', () => o.el('cbc:Line', address.addressLine3));
  if (address.country) o.group('cac:Country', () => o.el('cbc:IdentificationCode', address.country));
}

function postalAddress(o: Out, address: NonNullable<Invoice['supplier']['address']>): void {
  o.group('cac:PostalAddress', () => addressBody(o, address));
}

function party(o: Out, p: Invoice['supplier']): void {
  o.group('cac:Party', () => {
    if (p.endpointId) {
      const [scheme, id] = p.endpointId.includes(':') ? p.endpointId.split(':', 2) : [undefined, p.endpointId];
      o.el('cbc:EndpointID', id, { schemeID: p.endpointScheme ?? scheme ?? '0088' });
    }
    if (p.identifier)
      o.group('cac:PartyIdentification', () => o.el('cbc:ID', p.identifier, { schemeID: p.identifierScheme }));
    // BT-28 / BT-45 only when stated: the name alone is written as the registration name (BT-27 / BT-44).
    if (p.tradingName) o.group('cac:PartyName', () => o.el('cbc:Name', p.tradingName));
    if (p.address) postalAddress(o, p.address);
    for (const [id, scheme] of [
      [p.vatId, 'VAT'],
      [p.taxRegistrationId, 'TAX'],
    ] as const)
      if (id)
        o.group('cac:PartyTaxScheme', () => {
          o.el('cbc:CompanyID', id);
          o.group('cac:TaxScheme', () => o.el('cbc:ID', scheme));
        });
    o.group('cac:PartyLegalEntity', () => {
      o.el('cbc:RegistrationName', p.name);
      o.el('cbc:CompanyID', p.legalRegistrationId, { schemeID: p.legalRegistrationIdScheme });
      o.el('cbc:CompanyLegalForm', p.additionalLegalInfo);
    });
    const contact = p.contact;
    if (contact)
      o.group('cac:Contact', () => {
        o.el('cbc:Name', contact.name);
        o.el('cbc:Telephone', contact.telephone);
        o.el('cbc:ElectronicMail', contact.email);
      });
  });
}

function taxCategory(o: Out, element: string, category: string, rate: number | undefined, extra?: () => void): void {
  o.group(element, () => {
    o.el('cbc:ID', category);
    if (rate !== undefined && category !== 'O') o.el('cbc:Percent', percentText(rate));
    extra?.();
    o.group('cac:TaxScheme', () => o.el('cbc:ID', 'VAT'));
  });
}

function allowanceCharge(
  o: Out,
  ac: NonNullable<InvoiceLine['allowanceCharges']>[number] & { taxCategory?: string; taxRateBasisPoints?: number },
): void {
  o.group('cac:AllowanceCharge', () => {
    o.el('cbc:ChargeIndicator', String(ac.charge));
    o.el('cbc:AllowanceChargeReasonCode', ac.reasonCode);
    o.el('cbc:AllowanceChargeReason', ac.reason);
    if (ac.percentBasisPoints !== undefined) o.el('cbc:MultiplierFactorNumeric', percentText(ac.percentBasisPoints));
    o.amount('cbc:Amount', ac.amountMinor);
    o.amount('cbc:BaseAmount', ac.baseAmountMinor);
    if (ac.taxCategory) taxCategory(o, 'cac:TaxCategory', ac.taxCategory, ac.taxRateBasisPoints);
  });
}

function period(o: Out, p: { startDate?: string; endDate?: string; descriptionCode?: string } | undefined): void {
  if (!p) return;
  o.group('cac:InvoicePeriod', () => {
    o.el('cbc:StartDate', p.startDate);
    o.el('cbc:EndDate', p.endDate);
    o.el('cbc:DescriptionCode', p.descriptionCode);
  });
}

function line(o: Out, l: InvoiceLine, credit: boolean, exponent: number): void {
  o.group(credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine', () => {
    o.el('cbc:ID', l.id);
    o.el('cbc:Note', l.note);
    o.el(credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', decimalText(l.quantity), {
      unitCode: l.unitCode ?? DEFAULT_UNIT_CODE,
    });
    o.amount('cbc:LineExtensionAmount', l.lineTotalMinor);
    o.el('cbc:AccountingCost', l.buyerAccountingReference);
    period(o, l.period);
    if (l.orderLineReference) o.group('cac:OrderLineReference', () => o.el('cbc:LineID', l.orderLineReference));
    if (l.objectId)
      o.group('cac:DocumentReference', () => {
        o.el('cbc:ID', l.objectId, { schemeID: l.objectScheme });
        o.el('cbc:DocumentTypeCode', '130');
      });
    for (const ac of l.allowanceCharges ?? []) allowanceCharge(o, ac);
    o.group('cac:Item', () => {
      o.el('cbc:Description', l.itemDescription);
      o.el('cbc:Name', l.description);
      if (l.buyerItemId) o.group('cac:BuyersItemIdentification', () => o.el('cbc:ID', l.buyerItemId));
      if (l.sellerItemId) o.group('cac:SellersItemIdentification', () => o.el('cbc:ID', l.sellerItemId));
      if (l.standardItemId)
        o.group('cac:StandardItemIdentification', () =>
          o.el('cbc:ID', l.standardItemId, { schemeID: l.standardItemScheme }),
        );
      if (l.originCountry) o.group('cac:OriginCountry', () => o.el('cbc:IdentificationCode', l.originCountry));
      for (const c of l.classifications ?? [])
        o.group('cac:CommodityClassification', () =>
          o.el('cbc:ItemClassificationCode', c.code, { listID: c.listId, listVersionID: c.listVersionId }),
        );
      taxCategory(
        o,
        'cac:ClassifiedTaxCategory',
        l.taxCategory ?? ((l.taxRateBasisPoints ?? 0) > 0 ? 'S' : 'Z'),
        l.taxRateBasisPoints,
      );
      for (const a of l.attributes ?? [])
        o.group('cac:AdditionalItemProperty', () => {
          o.el('cbc:Name', a.name);
          o.el('cbc:Value', a.value);
        });
    });
    o.group('cac:Price', () => {
      o.el('cbc:PriceAmount', l.unitPrice ?? minorToDecimal(l.unitPriceMinor, exponent), { currencyID: o.currency });
      // BT-150 only as stated: without it the base quantity is in the line's unit.
      if (l.priceBaseQuantity !== undefined)
        o.el('cbc:BaseQuantity', decimalText(l.priceBaseQuantity), { unitCode: l.priceBaseUnitCode });
      // The price discount (BT-147) and gross price (BT-148): either may be stated without the other.
      if (l.grossPriceMinor !== undefined || l.priceDiscountMinor !== undefined)
        o.group('cac:AllowanceCharge', () => {
          o.el('cbc:ChargeIndicator', 'false');
          const price = (exact: string | undefined, minor: number) => exact ?? minorToDecimal(minor, exponent);
          o.el('cbc:Amount', price(l.priceDiscount, l.priceDiscountMinor ?? 0), { currencyID: o.currency });
          if (l.grossPriceMinor !== undefined)
            o.el('cbc:BaseAmount', price(l.grossPrice, l.grossPriceMinor), { currencyID: o.currency });
        });
    });
  });
}

/**
 * The payment instructions (BG-16): one `PaymentMeans` per credit transfer account (BG-17) in order, or one when there
 * is none; each repeats the means code (UBL-SR-47) and the remittance information (UBL-SR-44), the first carries the
 * credit note's due date (UBL-SR-45), the card (BG-18) and the direct debit (BG-19).
 */
function paymentMeans(o: Out, invoice: Invoice, credit: boolean): void {
  const payment =
    invoice.payment ?? (invoice.payeeIban ? { meansCode: '58', accountId: invoice.payeeIban } : undefined);
  const accounts = creditTransferAccounts(payment);
  for (let k = 0; k < Math.max(1, accounts.length); k++)
    o.group('cac:PaymentMeans', () => {
      // The means text (BT-82) once, on the first (UBL-SR-46).
      o.el('cbc:PaymentMeansCode', payment?.meansCode ?? '1', { name: k === 0 ? payment?.meansText : undefined });
      if (credit && k === 0) o.el('cbc:PaymentDueDate', invoice.dueDate);
      o.el('cbc:PaymentID', payment?.paymentId);
      const cardAccountId = k === 0 ? payment?.cardAccountId : undefined;
      if (cardAccountId)
        o.group('cac:CardAccount', () => {
          o.el('cbc:PrimaryAccountNumberID', cardAccountId);
          o.el('cbc:NetworkID', payment?.cardNetworkId ?? NO_NETWORK);
          o.el('cbc:HolderName', payment?.cardHolderName);
        });
      const account = accounts[k];
      if (account)
        o.group('cac:PayeeFinancialAccount', () => {
          o.el('cbc:ID', account.accountId);
          o.el('cbc:Name', account.accountName);
          if (account.serviceProviderId)
            o.group('cac:FinancialInstitutionBranch', () => o.el('cbc:ID', account.serviceProviderId));
        });
      const mandate = payment?.mandate;
      if (k === 0 && mandate)
        o.group('cac:PaymentMandate', () => {
          o.el('cbc:ID', mandate.id);
          if (mandate.debitedAccountId)
            o.group('cac:PayerFinancialAccount', () => o.el('cbc:ID', mandate.debitedAccountId));
        });
    });
}

/** Writes the invoice (or credit note) as UBL 2.1 XML. */
export function writeUbl(invoice: Invoice): string {
  const credit = invoice.documentType === 'credit_note';
  const root = credit ? 'CreditNote' : 'Invoice';
  const exponent = currencyExponent(invoice.currency);
  const o = new Out(invoice.currency);
  // The specification the invoice claims, Peppol BIS Billing 3.0 when it names none.
  o.el('cbc:CustomizationID', invoice.specification ?? PEPPOL_SPECIFICATION);
  if (peppolRulesApply(invoice.specification)) o.el('cbc:ProfileID', PROFILE);
  o.el('cbc:ID', invoice.invoiceNumber);
  o.el('cbc:IssueDate', invoice.issueDate);
  if (!credit) o.el('cbc:DueDate', invoice.dueDate);
  // The VAT point date sits before the type code in a CreditNote and after it in an Invoice (UBL 2.1 sequences).
  if (credit) o.el('cbc:TaxPointDate', invoice.taxPointDate);
  o.el(credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', invoice.typeCode ?? (credit ? '381' : '380'));
  for (const note of invoice.notes ?? [])
    o.el('cbc:Note', note.subjectCode ? `#${note.subjectCode}#${note.text}` : note.text);
  if (!credit) o.el('cbc:TaxPointDate', invoice.taxPointDate);
  o.el('cbc:DocumentCurrencyCode', invoice.currency);
  o.el('cbc:TaxCurrencyCode', invoice.taxCurrency);
  o.el('cbc:AccountingCost', invoice.buyerAccountingReference);
  o.el('cbc:BuyerReference', invoice.buyerReference);
  period(o, invoice.invoicePeriod);
  if (invoice.orderReference || invoice.salesOrderReference)
    o.group('cac:OrderReference', () => {
      // UBL requires the purchase order id; Peppol writes NA when only the sales order is known.
      o.el('cbc:ID', invoice.orderReference ?? 'NA');
      o.el('cbc:SalesOrderID', invoice.salesOrderReference);
    });
  for (const ref of invoice.billingReferences ?? [])
    o.group('cac:BillingReference', () =>
      o.group('cac:InvoiceDocumentReference', () => {
        o.el('cbc:ID', ref.invoiceNumber);
        o.el('cbc:IssueDate', ref.issueDate);
      }),
    );
  const reference = (element: string, id: string | undefined) => {
    if (id) o.group(element, () => o.el('cbc:ID', id));
  };
  reference('cac:DespatchDocumentReference', invoice.despatchAdviceReference);
  reference('cac:ReceiptDocumentReference', invoice.receivingAdviceReference);
  // The two sequences differ: an Invoice has the tender reference before the contract, a CreditNote after the
  // additional documents, where it also states the project reference (type code 50).
  if (!credit) reference('cac:OriginatorDocumentReference', invoice.tenderReference);
  reference('cac:ContractDocumentReference', invoice.contractReference);
  if (invoice.invoicedObjectId)
    o.group('cac:AdditionalDocumentReference', () => {
      o.el('cbc:ID', invoice.invoicedObjectId, { schemeID: invoice.invoicedObjectScheme });
      o.el('cbc:DocumentTypeCode', '130');
    });
  if (credit && invoice.projectReference)
    o.group('cac:AdditionalDocumentReference', () => {
      o.el('cbc:ID', invoice.projectReference);
      o.el('cbc:DocumentTypeCode', '50');
    });
  for (const a of invoice.attachments ?? [])
    if (a.externalUri || a.description)
      o.group('cac:AdditionalDocumentReference', () => {
        o.el('cbc:ID', a.id);
        o.el('cbc:DocumentDescription', a.description);
        if (a.externalUri)
          o.group('cac:Attachment', () => o.group('cac:ExternalReference', () => o.el('cbc:URI', a.externalUri)));
      });
  if (credit) reference('cac:OriginatorDocumentReference', invoice.tenderReference);
  else reference('cac:ProjectReference', invoice.projectReference);
  o.group('cac:AccountingSupplierParty', () => party(o, invoice.supplier));
  o.group('cac:AccountingCustomerParty', () => party(o, invoice.customer));
  const payee = invoice.payee;
  if (payee)
    o.group('cac:PayeeParty', () => {
      if (payee.identifier)
        o.group('cac:PartyIdentification', () =>
          o.el('cbc:ID', payee.identifier, { schemeID: payee.identifierScheme }),
        );
      o.group('cac:PartyName', () => o.el('cbc:Name', payee.name));
      if (payee.legalRegistrationId)
        o.group('cac:PartyLegalEntity', () =>
          o.el('cbc:CompanyID', payee.legalRegistrationId, { schemeID: payee.legalRegistrationIdScheme }),
        );
    });
  if (invoice.taxRepresentativeVatId || invoice.taxRepresentativeName) {
    const rep = invoice.taxRepresentativeVatId;
    o.group('cac:TaxRepresentativeParty', () => {
      // BT-62; invoices stored before it was kept have only the seller's name.
      o.group('cac:PartyName', () => o.el('cbc:Name', invoice.taxRepresentativeName ?? invoice.supplier.name));
      if (invoice.taxRepresentativeAddress) postalAddress(o, invoice.taxRepresentativeAddress);
      if (rep)
        o.group('cac:PartyTaxScheme', () => {
          o.el('cbc:CompanyID', rep);
          o.group('cac:TaxScheme', () => o.el('cbc:ID', 'VAT'));
        });
    });
  }
  if (invoice.delivery) {
    const d = invoice.delivery;
    const address = {
      street: d.street,
      additionalStreet: d.additionalStreet,
      city: d.city,
      postalCode: d.postalCode,
      countrySubdivision: d.countrySubdivision,
      addressLine3: d.addressLine3,
      country: d.country,
    };
    const hasAddress = Object.values(address).some((v) => v !== undefined);
    o.group('cac:Delivery', () => {
      o.el('cbc:ActualDeliveryDate', d.date);
      if (d.locationId || hasAddress)
        o.group('cac:DeliveryLocation', () => {
          o.el('cbc:ID', d.locationId, { schemeID: d.locationScheme });
          if (hasAddress) o.group('cac:Address', () => addressBody(o, address));
        });
      if (d.name) o.group('cac:DeliveryParty', () => o.group('cac:PartyName', () => o.el('cbc:Name', d.name)));
    });
  }
  if (invoice.payment || invoice.payeeIban || (credit && invoice.dueDate)) paymentMeans(o, invoice, credit);
  if (invoice.paymentTerms) o.group('cac:PaymentTerms', () => o.el('cbc:Note', invoice.paymentTerms));
  // XRechnung's extension: third-party payments, in UBL's PrepaidPayment (BG-DEX-09).
  for (const payment of invoice.thirdPartyPayments ?? [])
    o.group('cac:PrepaidPayment', () => {
      o.el('cbc:ID', payment.type);
      o.amount('cbc:PaidAmount', payment.amountMinor);
      o.el('cbc:InstructionID', payment.description);
    });
  for (const ac of invoice.allowanceCharges ?? []) allowanceCharge(o, ac);
  o.group('cac:TaxTotal', () => {
    o.amount('cbc:TaxAmount', invoice.taxTotalMinor);
    for (const b of invoice.taxBreakdown ?? [])
      o.group('cac:TaxSubtotal', () => {
        o.amount('cbc:TaxableAmount', b.taxableMinor);
        o.amount('cbc:TaxAmount', b.taxMinor);
        taxCategory(o, 'cac:TaxCategory', b.category, b.rateBasisPoints, () => {
          o.el('cbc:TaxExemptionReasonCode', b.exemptionReasonCode);
          o.el('cbc:TaxExemptionReason', b.exemptionReason);
        });
      });
  });
  // In the document currency BT-111 is the VAT total above: a second TaxTotal there would break BR-CO-15.
  if (
    invoice.taxCurrency &&
    invoice.taxCurrency !== invoice.currency &&
    invoice.taxTotalInTaxCurrencyMinor !== undefined
  ) {
    const taxCurrency = invoice.taxCurrency;
    o.group('cac:TaxTotal', () => o.amount('cbc:TaxAmount', invoice.taxTotalInTaxCurrencyMinor, taxCurrency));
  }
  const lineSum = invoice.lines.reduce((s, l) => s + l.lineTotalMinor, 0);
  o.group('cac:LegalMonetaryTotal', () => {
    o.amount('cbc:LineExtensionAmount', invoice.lineExtensionMinor ?? lineSum);
    o.amount('cbc:TaxExclusiveAmount', invoice.taxExclusiveMinor);
    o.amount('cbc:TaxInclusiveAmount', invoice.taxInclusiveMinor ?? invoice.taxExclusiveMinor + invoice.taxTotalMinor);
    o.amount('cbc:AllowanceTotalAmount', invoice.allowanceTotalMinor);
    o.amount('cbc:ChargeTotalAmount', invoice.chargeTotalMinor);
    o.amount('cbc:PrepaidAmount', invoice.prepaidMinor);
    o.amount('cbc:PayableRoundingAmount', invoice.roundingMinor);
    o.amount('cbc:PayableAmount', invoice.payableMinor);
  });
  for (const l of invoice.lines) line(o, l, credit, exponent);
  const ns = `urn:oasis:names:specification:ubl:schema:xsd:${root}-2`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${ns}" xmlns:cac="${CAC}" xmlns:cbc="${CBC}">` +
    `${o.parts.join('')}</${root}>\n`
  );
}
