/**
 * The syntax binding rules of CEN EN 16931 for UBL (UBL-SR-*, all fatal) and the two fatal UBL-CR rules: which
 * elements a document may have only once, though UBL itself allows them many times. They run before the reader, on
 * the tree, so a document is never read differently from how the standard reads it (the first of two seller names
 * taken, the second passed over); each problem names the rule and the repeat. Every check follows one
 * path from the root or one walk of the document: nothing here is quadratic.
 */
import type { FieldReader } from './fields';
import type { XmlElement } from './xml-tree';

/** The elements at `steps` (`cac:Party`, `cbc:ID`...) below each of `from`, in document order. */
function select(from: readonly XmlElement[], ...steps: string[]): XmlElement[] {
  let found = from;
  for (const step of steps) {
    const [prefix, name] = step.split(':') as [string, string];
    found = found.flatMap((el) => el.all(prefix, name));
  }
  return found as XmlElement[];
}

/** XPath `upper-case(cac:TaxScheme/cbc:ID)` of a `PartyTaxScheme`, or undefined when it has none. */
function taxScheme(scheme: XmlElement): string | undefined {
  return select([scheme], 'cac:TaxScheme', 'cbc:ID')[0]?.text.toUpperCase();
}

/** A `ChargeIndicator` as XPath compares it with `true()`/`false()`; undefined when it is neither. */
function indicator(ac: XmlElement): boolean | undefined {
  const text = ac.one('cbc', 'ChargeIndicator')?.text;
  return text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : undefined;
}

/** Checks the syntax binding rules on the root of an Invoice or CreditNote. */
export function checkSyntaxRules(r: FieldReader, root: XmlElement, creditNote: boolean, lineName: string): void {
  const once = (found: readonly XmlElement[], rule: string, what: string) => r.atMostOne(found, rule, what);
  const seller = select([root], 'cac:AccountingSupplierParty', 'cac:Party');
  const buyer = select([root], 'cac:AccountingCustomerParty', 'cac:Party');

  // Document level (context /Invoice | /CreditNote).
  once(select([root], 'cac:ContractDocumentReference', 'cbc:ID'), 'UBL-SR-01', 'the contract reference (BT-12)');
  once(select([root], 'cac:ReceiptDocumentReference', 'cbc:ID'), 'UBL-SR-02', 'the receiving advice reference (BT-15)');
  once(select([root], 'cac:DespatchDocumentReference', 'cbc:ID'), 'UBL-SR-03', 'the despatch advice reference (BT-16)');
  const additional = root.all('cac', 'AdditionalDocumentReference');
  const invoicedObjects = additional.filter((ref) => ref.all('cbc', 'DocumentTypeCode').some((c) => c.text === '130'));
  once(select(invoicedObjects, 'cbc:ID'), 'UBL-SR-04', 'the invoiced object identifier (BT-18)');
  once(select([root], 'cac:PaymentTerms', 'cbc:Note'), 'UBL-SR-05', 'the payment terms (BT-20)');
  once(root.all('cac', 'InvoicePeriod'), 'UBL-SR-08', 'the invoicing period (BG-14)');
  once(select(seller, 'cac:PartyLegalEntity', 'cbc:RegistrationName'), 'UBL-SR-09', 'the seller name (BT-27)');
  once(select(seller, 'cac:PartyName', 'cbc:Name'), 'UBL-SR-10', 'the seller trading name (BT-28)');
  once(
    select(seller, 'cac:PartyLegalEntity', 'cbc:CompanyID'),
    'UBL-SR-11',
    'the seller legal registration id (BT-30)',
  );
  const sellerSchemes = select(seller, 'cac:PartyTaxScheme');
  once(
    select(
      sellerSchemes.filter((s) => taxScheme(s) === 'VAT'),
      'cbc:CompanyID',
    ),
    'UBL-SR-12',
    'the seller VAT identifier (BT-31)',
  );
  once(
    select(
      sellerSchemes.filter((s) => ![undefined, 'VAT'].includes(taxScheme(s))),
      'cbc:CompanyID',
    ),
    'UBL-SR-13',
    'the seller tax registration identifier (BT-32)',
  );
  once(
    select(seller, 'cac:PartyLegalEntity', 'cbc:CompanyLegalForm'),
    'UBL-SR-14',
    'the seller additional legal information (BT-33)',
  );
  once(select(buyer, 'cac:PartyLegalEntity', 'cbc:RegistrationName'), 'UBL-SR-15', 'the buyer name (BT-44)');
  once(select(buyer, 'cac:PartyIdentification', 'cbc:ID'), 'UBL-SR-16', 'the buyer identifier (BT-46)');
  once(select(buyer, 'cac:PartyLegalEntity', 'cbc:CompanyID'), 'UBL-SR-17', 'the buyer legal registration id (BT-47)');
  once(
    select(
      select(buyer, 'cac:PartyTaxScheme').filter((s) => taxScheme(s) === 'VAT'),
      'cbc:CompanyID',
    ),
    'UBL-SR-18',
    'the buyer VAT identifier (BT-48)',
  );
  once(root.all('cac', 'Delivery'), 'UBL-SR-24', 'the deliver to information (BG-13)');
  once(select([root], 'cac:ProjectReference', 'cbc:ID'), 'UBL-SR-39', 'the project reference (BT-11)');
  once(select(buyer, 'cac:PartyName', 'cbc:Name'), 'UBL-SR-40', 'the buyer trading name (BT-45)');
  const means = root.all('cac', 'PaymentMeans');
  once(select(means, 'cbc:PaymentDueDate'), 'UBL-SR-45', 'the due date (BT-9)');
  once(
    select(means, 'cbc:PaymentMeansCode').filter((code) => code.attr('name') !== undefined),
    'UBL-SR-46',
    'the payment means text (BT-82, the name of a PaymentMeansCode)',
  );
  once(select([root], 'cac:InvoicePeriod', 'cbc:DescriptionCode'), 'UBL-SR-49', 'the VAT point date code (BT-8)');
  once(select([root], 'cac:OriginatorDocumentReference', 'cbc:ID'), 'UBL-SR-56', 'the tender or lot reference (BT-17)');
  once(select(means, 'cac:CardAccount'), 'UBL-SR-54', 'the payment card information (BG-18)');
  once(select(means, 'cac:PaymentMandate'), 'UBL-SR-55', 'the direct debit information (BG-19)');
  // EN 16931 has BT-11 once; CreditNote has no ProjectReference and carries it as a type 50 reference.
  if (creditNote)
    once(
      additional.filter((ref) => ref.all('cbc', 'DocumentTypeCode').some((c) => c.text === '50')),
      'PEPPOL-EN16931-R080',
      "a credit note's project reference (BT-11, a supporting document of type 50)",
    );
  for (const ref of invoicedObjects) {
    const attachment = ref.one('cac', 'Attachment');
    if (attachment)
      r.problem(attachment.path, 'an invoiced object reference (type 130) must not carry an attachment', 'UBL-CR-666');
    const description = ref.one('cbc', 'DocumentDescription');
    if (description)
      r.problem(description.path, 'an invoiced object reference (type 130) must not carry a description', 'UBL-CR-673');
  }
  // The parties other than seller and buyer.
  for (const payee of root.all('cac', 'PayeeParty')) {
    const names = select([payee], 'cac:PartyName', 'cbc:Name');
    once(names, 'UBL-SR-19', 'the payee name (BT-59)');
    once(
      select([payee], 'cac:PartyIdentification', 'cbc:ID').filter(
        (id) => id.attr('schemeID') !== undefined && id.attr('schemeID')!.toUpperCase() !== 'SEPA',
      ),
      'UBL-SR-20',
      'the payee identifier (BT-60)',
    );
    once(
      select([payee], 'cac:PartyLegalEntity', 'cbc:CompanyID'),
      'UBL-SR-21',
      'the payee legal registration id (BT-61)',
    );
    // BR-17: the payee is another party than the seller: not the seller's trading name, nor one of its identifiers.
    const sellerTrading = new Set(select(seller, 'cac:PartyName', 'cbc:Name').map((n) => n.text));
    const sameName = names.find((n) => sellerTrading.has(n.text));
    if (sameName) r.problem(sameName.path, "the payee's name is the seller's trading name (BT-28)", 'BR-17');
    const sellerIds = new Set(select(seller, 'cac:PartyIdentification', 'cbc:ID').map((id) => id.text));
    const sameId = select([payee], 'cac:PartyIdentification', 'cbc:ID').find((id) => sellerIds.has(id.text));
    if (sameId) r.problem(sameId.path, "the payee's identifier is the seller's (BT-29)", 'BR-17');
    // The payee is a party other than the seller: its name is stated and differs from the seller's (BT-27).
    const sellerNames = new Set(select(seller, 'cac:PartyLegalEntity', 'cbc:RegistrationName').map((n) => n.text));
    if (!names.length)
      r.problem(
        payee.pathOf('cac', 'PartyName') + '/cbc:Name',
        'a payee (BG-10) is a party other than the seller and needs its name (BT-59)',
        'UBL-SR-19',
      );
    else if (sellerNames.size && names.every((n) => sellerNames.has(n.text)))
      r.problem(
        names[0]!.path,
        "the payee's name is the seller's: a payee (BG-10) is stated only when it is another party",
        'UBL-SR-19',
      );
  }
  for (const representative of root.all('cac', 'TaxRepresentativeParty')) {
    once(
      select([representative], 'cac:PartyName', 'cbc:Name'),
      'UBL-SR-22',
      'the seller tax representative name (BT-62)',
    );
    once(
      select([representative], 'cac:PartyTaxScheme', 'cbc:CompanyID'),
      'UBL-SR-23',
      'the seller tax representative VAT identifier (BT-63)',
    );
  }
  for (const delivery of root.all('cac', 'Delivery'))
    once(
      select([delivery], 'cac:DeliveryParty', 'cac:PartyName', 'cbc:Name'),
      'UBL-SR-25',
      'the deliver to party name (BT-70)',
    );
  for (const m of means) {
    once(m.all('cbc', 'PaymentID'), 'UBL-SR-26', 'the remittance information (BT-83) of a payment means');
    once(m.all('cbc', 'PaymentMeansCode'), 'UBL-SR-27', 'the payment means code (BT-81) of a payment means');
    once(select([m], 'cac:PaymentMandate', 'cbc:ID'), 'UBL-SR-28', 'the mandate reference (BT-89)');
  }
  for (const reference of root.all('cac', 'BillingReference')) {
    const invoices = reference.all('cac', 'InvoiceDocumentReference');
    once(invoices, 'UBL-SR-06', 'the preceding invoice reference (BG-3) of a billing reference');
    if (!select(invoices, 'cbc:ID').length)
      r.problem(
        reference.pathOf('cac', 'InvoiceDocumentReference') + '/cbc:ID',
        'a billing reference needs the preceding invoice number (BT-25)',
        'UBL-SR-07',
      );
  }
  for (const ref of additional) {
    once(ref.all('cbc', 'DocumentDescription'), 'UBL-SR-33', 'the supporting document description (BT-123)');
    // A scheme on the id, or a type code, only for an invoiced object (130), or a credit note's project reference (50).
    const codes = ref.all('cbc', 'DocumentTypeCode');
    const typed = codes.some((c) => c.text === '130') || (creditNote && codes.some((c) => c.text === '50'));
    const schemed = ref.all('cbc', 'ID').some((id) => id.attr('schemeID') !== undefined);
    if (!typed && (codes.length || schemed))
      r.problem(
        codes[0]?.path ?? ref.pathOf('cbc', 'ID'),
        codes.length
          ? `only an invoiced object (130)${creditNote ? ' or a project reference (50)' : ''} has a document type code`
          : 'only an invoiced object (type code 130) has a scheme identifier',
        'UBL-SR-43',
      );
  }
  if (seller[0]) once(sellerSchemes.slice(1), 'UBL-SR-42', 'a third seller tax scheme (the seller has at most two)');

  // Lines (context InvoiceLine | CreditNoteLine).
  for (const line of root.all('cac', lineName)) {
    once(line.all('cbc', 'Note'), 'UBL-SR-34', 'the line note (BT-127)');
    once(select([line], 'cac:OrderLineReference', 'cbc:LineID'), 'UBL-SR-35', 'the referenced order line (BT-132)');
    once(line.all('cac', 'InvoicePeriod'), 'UBL-SR-36', 'the line period (BG-26)');
    once(
      select([line], 'cac:Price', 'cac:AllowanceCharge', 'cbc:Amount'),
      'UBL-SR-37',
      'the item price discount (BT-147)',
    );
    once(select([line], 'cac:Item', 'cac:ClassifiedTaxCategory'), 'UBL-SR-48', 'the line VAT information (BG-30)');
    once(select([line], 'cac:Item', 'cbc:Description'), 'UBL-SR-50', 'the item description (BT-154)');
    once(line.all('cac', 'DocumentReference'), 'UBL-SR-52', 'the line object identifier (BT-128)');
  }

  // Contexts that match anywhere in the document, found in one walk.
  const anywhere = root.descendants('cac', [
    'PartyIdentification',
    'PostalAddress',
    'Address',
    'PartyTaxScheme',
    'AllowanceCharge',
    'TaxSubtotal',
  ]);
  const get = (name: string) => anywhere.get(name) ?? [];
  once(
    select(get('PartyIdentification'), 'cbc:ID').filter((id) => id.attr('schemeID')?.toUpperCase() === 'SEPA'),
    'UBL-SR-29',
    'the bank assigned creditor identifier (BT-90)',
  );
  for (const address of [...get('PostalAddress'), ...get('Address')])
    once(address.all('cac', 'AddressLine'), 'UBL-SR-51', 'the third address line (an AddressLine)');
  for (const scheme of get('PartyTaxScheme')) {
    if (!scheme.one('cbc', 'CompanyID'))
      r.problem(
        scheme.pathOf('cbc', 'CompanyID'),
        'a tax scheme of a party needs the identifier (CompanyID)',
        'UBL-SR-53',
      );
    else if (taxScheme(scheme) === undefined)
      r.problem(
        scheme.pathOf('cac', 'TaxScheme') + '/cbc:ID',
        'a tax scheme of a party needs its scheme (VAT or another)',
        'UBL-SR-53',
      );
  }
  for (const ac of get('AllowanceCharge')) {
    const charge = indicator(ac);
    if (charge === undefined) continue;
    once(
      ac.all('cbc', 'AllowanceChargeReason'),
      charge ? 'UBL-SR-31' : 'UBL-SR-30',
      charge ? 'the charge reason' : 'the allowance reason',
    );
  }
  for (const subtotal of get('TaxSubtotal'))
    once(
      select([subtotal], 'cac:TaxCategory', 'cbc:TaxExemptionReason'),
      'UBL-SR-32',
      'the VAT exemption reason text (BT-120)',
    );
}

/**
 * UBL-DT-01: every amount element (`...Amount` but a price's, and none in a price with its discount) has at most two
 * decimals as written. The amounts the reader read (`read`: their element paths) were held to it already, each under
 * the BR-DEC rule of its element; this finds the others, e.g. a payment terms amount or a line's VAT amount.
 */
export function checkUnreadAmountDecimals(r: FieldReader, el: XmlElement, read: ReadonlySet<string>): void {
  amountDecimals(r, el, read, false);
}

function amountDecimals(r: FieldReader, el: XmlElement, read: ReadonlySet<string>, inDiscountedPrice: boolean): void {
  const discounted = inDiscountedPrice || (el.name === 'Price' && el.one('cac', 'AllowanceCharge') !== undefined);
  for (const child of el.children()) {
    if (
      !discounted &&
      child.name.endsWith('Amount') &&
      !child.name.endsWith('PriceAmount') &&
      !read.has(child.path) &&
      (child.text.split('.')[1]?.length ?? 0) > 2
    )
      r.problem(
        child.path,
        `${JSON.stringify(child.text.slice(0, 40))} is written with more than 2 decimals`,
        'UBL-DT-01',
      );
    amountDecimals(r, child, read, discounted);
  }
}
