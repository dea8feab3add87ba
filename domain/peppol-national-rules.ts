/**
 * The fatal national rules of Peppol BIS Billing 3.0 (PEPPOL-EN16931-UBL.sch, release 3.0.19): Norway (NO), Denmark
 * (DK), Italy (IT), Sweden (SE), Greece (GR), Iceland (IS), the Netherlands (NL) and Germany (DE). Each rule applies
 * only in the context the schematron gives it (the supplier's country, sometimes the customer's too), is named by its
 * schematron id and points at the canonical field. Warnings (flag="warning") are not refusals and are left out.
 * Pure, like `checkInvoice`, which calls it last.
 */
import type { Invoice } from '../contracts/invoice';
import { mod11Valid, swedishOrgnrValid } from './check-digits';
import { creditTransferAccounts, type CreditTransferAccount } from './payment-accounts';
import { checkGermanRules, PEPPOL_GERMAN_RULE_IDS } from './xrechnung-rules';

/** One failed rule, pointing at the canonical field (the shape of `InvoiceProblem`, declared here to keep the
 * import one-way: invoice-checks calls this module). */
export interface NationalProblem {
  rule: string;
  pointer: string;
  message: string;
}

type Add = (rule: string, pointer: string, message: string) => void;
type Party = Invoice['supplier'];

/**
 * Seller and buyer both in Germany, by their postal addresses: where Peppol's schematron applies its German rules
 * (DE-R-*) and lifts R002's one-note limit.
 */
export function betweenGermanParties(invoice: Partial<Pick<Invoice, 'supplier' | 'customer'>>): boolean {
  return invoice.supplier?.address?.country === 'DE' && invoice.customer?.address?.country === 'DE';
}

/** Every fatal national rule the invoice breaks. */
export function checkNationalRules(invoice: Invoice): NationalProblem[] {
  const problems: NationalProblem[] = [];
  const add: Add = (rule, pointer, message) => problems.push({ rule, pointer, message });
  const supplierAddress = invoice.supplier.address?.country ?? '';
  const customerAddress = invoice.customer.address?.country ?? '';
  const supplier = supplierCountry(invoice);
  if (supplier === 'NO') norway(invoice, add);
  if (supplierAddress === 'DK') denmark(invoice, customerAddress === 'DK', add);
  if (supplier === 'IT') italy(invoice, add);
  if (supplierAddress === 'SE') sweden(invoice, add);
  if (supplier === 'GR' || supplier === 'EL') greece(invoice, add);
  if (supplierAddress === 'IS') iceland(invoice, customerAddress === 'IS', add);
  if (supplierAddress === 'NL') netherlands(invoice, customerAddress === 'NL', add);
  if (betweenGermanParties(invoice)) germany(invoice, add);
  return problems;
}

/**
 * `$supplierCountry` of the schematron: the prefix of the seller's VAT id, else of the tax representative's, else the
 * seller's postal country.
 */
function supplierCountry(invoice: Invoice): string {
  const vat = invoice.supplier.vatId ?? invoice.taxRepresentativeVatId;
  if (vat && vat.trim().length >= 2) return vat.trim().slice(0, 2).toUpperCase();
  return invoice.supplier.address?.country ?? 'XX';
}

/** `$customerCountry`: the prefix of the buyer's VAT id, else the buyer's postal country. */
function customerCountry(invoice: Invoice): string {
  const vat = invoice.customer.vatId;
  if (vat && vat.trim().length >= 2) return vat.trim().slice(0, 2).toUpperCase();
  return invoice.customer.address?.country ?? 'XX';
}

/** XPath `number(s) != NaN`: a decimal or double literal, white space around allowed. */
function isNumber(text: string | undefined): boolean {
  return text !== undefined && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(text);
}

// NORWAY

function norway(invoice: Invoice, add: Add): void {
  const vat = invoice.supplier.vatId;
  if (vat?.startsWith('NO') && !(/^[0-9]{9}MVA$/.test(vat.slice(2)) && mod11Valid(vat.slice(2, 11))))
    add(
      'NO-R-001',
      '/supplier/vatId',
      `${vat}: a Norwegian VAT number is NO, a valid organisation number (nine digits) and MVA`,
    );
}

// DENMARK

const DK_MEANS = ['1', '10', '31', '42', '48', '49', '50', '58', '59', '93', '97'];

function denmark(invoice: Invoice, customerDK: boolean, add: Add): void {
  const seller = invoice.supplier;
  if (!seller.legalRegistrationId?.trim())
    add('DK-R-002', '/supplier/legalRegistrationId', 'Danish suppliers must state their legal entity (CVR number)');
  else if ((seller.legalRegistrationIdScheme ?? '') !== '0184')
    add(
      'DK-R-014',
      '/supplier/legalRegistrationIdScheme',
      'a Danish supplier legal entity id (CVR number) needs schemeID 0184',
    );
  if (invoice.documentType === 'credit_note' && customerDK && invoice.payableMinor < 0)
    add('DK-R-016', '/payableMinor', 'a Danish credit note cannot have a negative amount due for payment');
  if (!customerDK) return;
  for (const role of ['supplier', 'customer'] as const)
    if (invoice[role].identifier && !invoice[role].identifierScheme)
      add('DK-R-013', `/${role}/identifier`, 'Danish parties must state the schemeID of a party identifier');
  const acs = [
    ...(invoice.allowanceCharges ?? []).map((ac, j) => ({ ac, p: `/allowanceCharges/${j}` })),
    ...invoice.lines.flatMap((l, i) =>
      (l.allowanceCharges ?? []).map((ac, j) => ({ ac, p: `/lines/${i}/allowanceCharges/${j}` })),
    ),
  ];
  for (const { ac, p } of acs) {
    if (ac.reasonCode !== 'ZZZ') continue;
    const reason = ac.reason ?? '';
    const taxCode = reason.trim().length === 4 && isNumber(reason) && Number(reason) >= 0 && Number(reason) <= 9999;
    const hashed = reason.includes('#') && !reason.startsWith('#') && !reason.endsWith('#');
    if (!taxCode && !hashed)
      add(
        'DK-R-004',
        `${p}/reason`,
        'a non-VAT tax (reason code ZZZ) needs the 4-digit tax category, or a reason with # (not first or last)',
      );
  }
  const payment = invoice.payment;
  if (invoice.documentType === 'credit_note' || !payment) return;
  const code = payment.meansCode.trim();
  const id = payment.paymentId ?? '';
  // The schematron checks every PaymentMeans: each credit transfer account, or the one means without any.
  const accounts: (CreditTransferAccount | undefined)[] = creditTransferAccounts(payment);
  if (!accounts.length) accounts.push(undefined);
  const prefix = id.slice(0, 3);
  if (!DK_MEANS.includes(code))
    add('DK-R-005', '/payment/meansCode', `${code} is not allowed for Danish suppliers (${DK_MEANS.join(', ')})`);
  if (code === '31' || code === '42')
    for (const account of accounts)
      if (!(account?.accountId.trim() && account.serviceProviderId?.trim()))
        add(
          'DK-R-006',
          `${account?.pointer ?? '/payment'}/accountId`,
          'payment means 31 or 42 need the bank account and the registration number',
        );
  if (code === '49' && !(payment.mandate?.id?.trim() && payment.mandate.debitedAccountId?.trim()))
    add('DK-R-007', '/payment/mandate', 'payment means 49 needs the mandate id and the payer account id');
  if (code === '50') {
    if (!(['01#', '04#', '15#'].includes(prefix) && accounts.every((a) => /^[0-9]{7,8}$/.test(a?.accountId ?? ''))))
      add(
        'DK-R-008',
        '/payment/paymentId',
        'Giro (50) needs a payment id starting 01#, 04# or 15# and a giro account of 7 or 8 digits',
      );
    if ((prefix === '04#' || prefix === '15#') && id.length !== 19)
      add('DK-R-009', '/payment/paymentId', 'a Giro payment id starting 04# or 15# needs the 16-digit instruction id');
  }
  if (code === '93') {
    if (!(['71#', '73#', '75#'].includes(prefix) && accounts.every((a) => a?.accountId.length === 8)))
      add(
        'DK-R-010',
        '/payment/paymentId',
        'FIK (93) needs a payment id starting 71#, 73# or 75# and a creditor account of exactly 8 characters',
      );
    if ((prefix === '71#' || prefix === '75#') && id.length !== 18 && id.length !== 19)
      add(
        'DK-R-011',
        '/payment/paymentId',
        'an FIK payment id starting 71# or 75# needs the 15-16 digit instruction id',
      );
  }
}

// ITALY

function italy(invoice: Invoice, add: Add): void {
  const seller = invoice.supplier;
  if (seller.taxRegistrationId !== undefined && !/^[A-Z0-9]{11,16}$/.test(seller.taxRegistrationId.trim()))
    add(
      'IT-R-001',
      '/supplier/taxRegistrationId',
      'an Italian supplier tax registration id (BT-32) has 11 to 16 letters or digits',
    );
  if (!seller.address?.street)
    add('IT-R-002', '/supplier/address/street', 'Italian suppliers must state the postal address line 1');
  if (!seller.address?.city) add('IT-R-003', '/supplier/address/city', 'Italian suppliers must state the city');
  if (!seller.address?.postalCode)
    add('IT-R-004', '/supplier/address/postalCode', 'Italian suppliers must state the post code');
}

// SWEDEN

function sweden(invoice: Invoice, add: Add): void {
  const seller = invoice.supplier;
  const vat = seller.vatId;
  const swedishVat = vat?.startsWith('SE') ?? false;
  if (vat && swedishVat) {
    if (vat.trim().length !== 14) add('SE-R-001', '/supplier/vatId', `${vat}: a Swedish VAT number has 14 characters`);
    if (!isNumber(vat.slice(2, 14)))
      add('SE-R-002', '/supplier/vatId', `${vat}: the last 12 characters of a Swedish VAT number are digits`);
  }
  const orgnr = seller.legalRegistrationId;
  if (orgnr !== undefined) {
    if (!isNumber(orgnr))
      add('SE-R-003', '/supplier/legalRegistrationId', `${orgnr}: a Swedish organisation number is numeric`);
    if (orgnr.trim().length !== 10)
      add('SE-R-004', '/supplier/legalRegistrationId', `${orgnr}: a Swedish organisation number has 10 digits`);
    if (!swedishOrgnrValid(orgnr.trim()))
      add('SE-R-013', '/supplier/legalRegistrationId', `${orgnr}: the check digit (Luhn) is wrong`);
    const fSkatt = seller.taxRegistrationId;
    if (fSkatt !== undefined && fSkatt.toUpperCase().replace(/\s+/g, ' ').trim() !== 'GODKÄND FÖR F-SKATT')
      add(
        'SE-R-005',
        '/supplier/taxRegistrationId',
        "a Swedish supplier's tax registration id must be 'Godkänd för F-skatt'",
      );
  }
  if (!swedishVat) return;
  const rates = new Set([2500, 1200, 600]);
  const standard: { rate: number | undefined; pointer: string }[] = [
    ...invoice.lines.flatMap((l, i) =>
      l.taxCategory === 'S' ? [{ rate: l.taxRateBasisPoints, pointer: `/lines/${i}/taxRateBasisPoints` }] : [],
    ),
    ...(invoice.allowanceCharges ?? []).flatMap((ac, j) =>
      ac.taxCategory === 'S'
        ? [{ rate: ac.taxRateBasisPoints, pointer: `/allowanceCharges/${j}/taxRateBasisPoints` }]
        : [],
    ),
    ...(invoice.taxBreakdown ?? []).flatMap((b, k) =>
      b.category === 'S' ? [{ rate: b.rateBasisPoints, pointer: `/taxBreakdown/${k}/rateBasisPoints` }] : [],
    ),
  ];
  for (const { rate, pointer } of standard)
    if (rate === undefined || !rates.has(rate))
      add('SE-R-006', pointer, 'Swedish suppliers use only the standard VAT rates 25, 12 and 6 %');
}

// GREECE

/** u:TinVerification: the check digit of a Greek tax id (nine digits). */
function greekTin(text: string): boolean {
  if (!/^[0-9]{9}/.test(text)) return false;
  const digits = text.split('').map(Number);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += digits[i]! * 2 ** (8 - i);
  return (sum % 11) % 10 === digits[8];
}

const GREEK_DOCUMENT_TYPES = ['1.1', '1.6', '2.1', '2.4', '5.1', '5.2'];
const GREEK_DATE = /^(0?[1-9]|[12][0-9]|3[01])[-\\/ ]?(0?[1-9]|1[0-2])[-\\/ ]?(19|20)[0-9]{2}/;

function greece(invoice: Invoice, add: Add): void {
  const seller = invoice.supplier;
  const buyer = invoice.customer;
  const segments = invoice.invoiceNumber.split('|');
  const message = (what: string) => `a Greek supplier's invoice number ${what}`;
  if (segments.length !== 6) add('GR-R-001-1', '/invoiceNumber', message('has six segments separated by |'));
  const [tin = '', date = '', serial = '', type = '', fifth = '', sixth = ''] = segments;
  const tins = [seller.vatId, invoice.taxRepresentativeVatId].map((v) => v?.slice(2, 11));
  if (!(tin.trim().length === 9 && greekTin(tin) && tins.includes(tin)))
    add('GR-R-001-2', '/invoiceNumber', message("starts with the supplier's (or tax representative's) valid TIN"));
  const [year, month, day] = invoice.issueDate.split('-');
  const parts = date.split('/');
  if (!(date.trim() && GREEK_DATE.test(date) && parts[0] === day && parts[1] === month && parts[2] === year))
    add('GR-R-001-3', '/invoiceNumber', message('has the issue date as its second segment (DD/MM/YYYY)'));
  if (!(serial.trim() && /^\s*\+?\d+\s*$/.test(serial)))
    add('GR-R-001-4', '/invoiceNumber', message('has a non-negative integer as its third segment'));
  if (!(type.trim() && GREEK_DOCUMENT_TYPES.includes(type)))
    add('GR-R-001-5', '/invoiceNumber', message(`has a Greek document type (${GREEK_DOCUMENT_TYPES.join(', ')})`));
  if (!fifth) add('GR-R-001-6', '/invoiceNumber', message('has a non-empty fifth segment'));
  if (!sixth) add('GR-R-001-7', '/invoiceNumber', message('has a non-empty sixth segment'));
  if (!seller.tradingName)
    add('GR-R-002', '/supplier/tradingName', 'Greek suppliers must state their full name (cac:PartyName)');
  if (seller.vatId !== undefined && !(seller.vatId.startsWith('EL') && greekTin(seller.vatId.slice(2))))
    add('GR-R-003', '/supplier/vatId', `${seller.vatId}: a Greek VAT id is EL and a valid TIN`);
  const attachments = (invoice.attachments ?? []).map((a, k) => ({ a, p: `/attachments/${k}` }));
  const marks = attachments.filter(({ a }) => a.description === '##M.AR.K##');
  const urls = attachments.filter(({ a }) => a.description === '##INVOICE|URL##');
  if (seller.address?.country === 'GR') {
    if (marks.length !== 1)
      add('GR-R-004-1', '/attachments', 'a Greek supplier states exactly one MARK (##M.AR.K##) document reference');
    for (const { a, p } of marks)
      if (!/^[1-9]/.test(a.id)) add('GR-R-004-2', `${p}/id`, `${a.id}: the MARK number is a positive integer`);
    if (urls.length > 1)
      add('GR-R-008-2', '/attachments', 'a Greek supplier states at most one invoice URL (##INVOICE|URL##)');
  }
  for (const { a, p } of urls)
    if (!a.externalUri?.trim())
      add('GR-R-008-3', `${p}/externalUri`, 'the invoice URL document reference needs its external URI');
  if (!buyer.tradingName)
    add('GR-R-005', '/customer/tradingName', 'Greek suppliers must state the full name of the buyer (cac:PartyName)');
  // GR-R-009 reads the seller's country without the tax representative's VAT id.
  const accountingCountry = seller.vatId ? seller.vatId.slice(0, 2).toUpperCase() : seller.address?.country;
  if ((accountingCountry === 'GR' || accountingCountry === 'EL') && seller.endpointId !== undefined)
    if (!(seller.endpointScheme === '9933' && greekTin(seller.endpointId)))
      add('GR-R-009', '/supplier/endpointId', 'a Greek supplier uses its TIN as electronic address (scheme 9933)');
  const receiver = customerCountry(invoice);
  if (receiver !== 'GR' && receiver !== 'EL') return;
  if (!(buyer.vatId?.startsWith('EL') && greekTin(buyer.vatId.slice(2))))
    add('GR-R-006', '/customer/vatId', 'a Greek buyer must be stated with its VAT id (EL and a valid TIN)');
  if (buyer.endpointId !== undefined && !(buyer.endpointScheme === '9933' && greekTin(buyer.endpointId)))
    add('GR-R-010', '/customer/endpointId', 'a Greek buyer is addressed by its TIN (scheme 9933)');
}

// ICELAND

function iceland(invoice: Invoice, customerIS: boolean, add: Add): void {
  const seller = invoice.supplier;
  if (!(seller.legalRegistrationId !== undefined && seller.legalRegistrationIdScheme === '0196'))
    add(
      'IS-R-002',
      '/supplier/legalRegistrationId',
      'Icelandic suppliers must state their kennitala as legal id (scheme 0196)',
    );
  if (!(seller.address?.street && seller.address.postalCode))
    add('IS-R-003', '/supplier/address', 'Icelandic suppliers must state street name and post code');
  const payment = invoice.payment;
  const accounts = creditTransferAccounts(payment);
  const short = accounts.find((a) => a.accountId.trim().length !== 12);
  for (const [code, rule] of [
    ['9', 'IS-R-006'],
    ['42', 'IS-R-007'],
  ] as const)
    if (payment?.meansCode === code && (!accounts.length || short))
      add(rule, `${short?.pointer ?? '/payment'}/accountId`, `payment means ${code} needs a 12-digit account id`);
  const eindagi = (invoice.attachments ?? []).findIndex((a) => a.description === 'EINDAGI');
  if (eindagi >= 0) {
    const id = invoice.attachments![eindagi]!.id;
    const p = `/attachments/${eindagi}/id`;
    if (!(id.length === 10 && isIsoDate(id)))
      add('IS-R-008', p, `${id}: the EINDAGI (final due date) must be written YYYY-MM-DD`);
    if (!invoice.dueDate) add('IS-R-009', '/dueDate', 'an invoice with an EINDAGI needs a due date');
    if (!(invoice.dueDate && invoice.dueDate <= id))
      add('IS-R-010', p, `the EINDAGI ${id} must be on or after the due date`);
  }
  if (!customerIS) return;
  const buyer = invoice.customer;
  if (!(buyer.legalRegistrationId !== undefined && buyer.legalRegistrationIdScheme === '0196'))
    add('IS-R-004', '/customer/legalRegistrationId', "an Icelandic buyer's kennitala (scheme 0196) is required");
  if (!(buyer.address?.street && buyer.address.postalCode))
    add('IS-R-005', '/customer/address', "an Icelandic buyer's street name and post code are required");
}

function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

// THE NETHERLANDS

function fullAddress(address: Party['address']): boolean {
  return Boolean(address?.street && address.city && address.postalCode);
}

function netherlands(invoice: Invoice, customerNL: boolean, add: Add): void {
  const seller = invoice.supplier;
  const buyer = invoice.customer;
  if (invoice.documentType === 'credit_note' && !invoice.billingReferences?.length)
    add('NL-R-001', '/billingReferences', 'a Dutch credit note must reference the invoice it corrects');
  if (seller.address && !fullAddress(seller.address))
    add('NL-R-002', '/supplier/address', "a Dutch supplier's address needs street name, city and post code");
  const kvkOrOin = (scheme: string | undefined) => scheme === '0106' || scheme === '0190';
  if (seller.legalRegistrationId !== undefined && !kvkOrOin(seller.legalRegistrationIdScheme))
    add(
      'NL-R-003',
      '/supplier/legalRegistrationId',
      'a Dutch legal entity id is a KVK or OIN number (scheme 0106 or 0190)',
    );
  if (customerNL) {
    if (buyer.address && !fullAddress(buyer.address))
      add('NL-R-004', '/customer/address', "a Dutch customer's address needs street name, city and post code");
    if (buyer.legalRegistrationId !== undefined && !kvkOrOin(buyer.legalRegistrationIdScheme))
      add(
        'NL-R-005',
        '/customer/legalRegistrationId',
        "a Dutch customer's legal entity id is a KVK or OIN number (scheme 0106 or 0190)",
      );
  }
  const rep = invoice.taxRepresentativeAddress;
  if (rep?.country === 'NL' && !fullAddress(rep))
    add(
      'NL-R-006',
      '/taxRepresentativeAddress',
      "a Dutch tax representative's address needs street name, city and post code",
    );
  const toSupplier = invoice.documentType === 'credit_note' ? invoice.payableMinor < 0 : invoice.payableMinor > 0;
  if (toSupplier && !invoice.payment)
    add('NL-R-007', '/payment', 'a Dutch supplier must state the payment means when the customer has to pay');
  if (customerNL && invoice.payment && !['30', '48', '49', '57', '58', '59'].includes(invoice.payment.meansCode.trim()))
    add(
      'NL-R-008',
      '/payment/meansCode',
      `${invoice.payment.meansCode}: between Dutch parties the payment means is 30, 48, 49, 57, 58 or 59`,
    );
  if (!invoice.orderReference) {
    const i = invoice.lines.findIndex((l) => l.orderLineReference !== undefined);
    if (i >= 0)
      add(
        'NL-R-009',
        `/lines/${i}/orderLineReference`,
        'an order line reference needs the order reference on the document',
      );
  }
}

// GERMANY (supplier and customer in Germany): XRechnung's CIUS rules under Peppol's ids (xrechnung-rules.ts).

function germany(invoice: Invoice, add: Add): void {
  for (const p of checkGermanRules(invoice, PEPPOL_GERMAN_RULE_IDS)) add(p.rule, p.pointer, p.message);
}
