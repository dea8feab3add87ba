/**
 * XRechnung's fatal rules (KoSIT's XRechnung 3.0 schematron) on an invoice's content: the CIUS rules BR-DE-1 ..
 * BR-DE-31 for an invoice that claims XRechnung or its extension, and the BR-DE-CVD-* rules for one that claims its CVD
 * (specifications.ts). Peppol BIS holds an invoice between a German
 * seller and buyer to the same rules under its own ids (DE-R-001 .. DE-R-031): peppol-national-rules.ts calls
 * `checkGermanRules` with those. Warnings (BR-DE-17, -19, -20, -21, -26, -27, -28) are not refusals and are left out;
 * what only the document as written shows (a Skonto statement's final line break, BR-DE-23-a on each payment means
 * beside BR-61) is the UBL reader's. Pure, like the other checks.
 */
import type { Invoice } from '../contracts/invoice';
import { creditTransferAccounts } from './payment-accounts';
import { xrechnungCvd } from './specifications';
import { normalizeSpace, xmlTrim } from './xml-space';

/** One broken rule, pointing at the canonical field (the shape of invoice-checks' problems). */
export interface XRechnungProblem {
  rule: string;
  pointer: string;
  message: string;
}

/** The id of the German rule `n` (and its part 1 or 2, as in 23-a and 23-b) in one rule set. */
export type GermanRuleIds = (n: number, part?: 1 | 2) => string;

/** XRechnung's own ids: BR-DE-15, BR-DE-23-a. */
export const XRECHNUNG_RULE_IDS: GermanRuleIds = (n, part) =>
  `BR-DE-${n}${part === undefined ? '' : part === 1 ? '-a' : '-b'}`;

/** Peppol's ids for the same rules: DE-R-015, DE-R-023-1. */
export const PEPPOL_GERMAN_RULE_IDS: GermanRuleIds = (n, part) =>
  `DE-R-${String(n).padStart(3, '0')}${part === undefined ? '' : `-${part}`}`;

/** The VAT categories for which the seller needs a VAT or tax registration id or a tax representative (BR-DE-16). */
const VAT_CODES = new Set(['S', 'Z', 'E', 'AE', 'K', 'G', 'L', 'M']);

/** Every fatal rule of XRechnung the invoice breaks (the CVD ones too when it claims XRechnung's CVD). */
export function checkXRechnungRules(invoice: Invoice): XRechnungProblem[] {
  return [
    ...checkGermanRules(invoice, XRECHNUNG_RULE_IDS),
    ...(xrechnungCvd(invoice.specification) ? cvd(invoice) : []),
  ];
}

/** Blank as XPath's `boolean(normalize-space(.))` reads it: absent or only white space. */
function blank(text: string | undefined): boolean {
  return text === undefined || normalizeSpace(text) === '';
}

/** The CIUS rules, named by `id`: XRechnung's BR-DE-*, or Peppol's DE-R-* for German parties. */
export function checkGermanRules(invoice: Invoice, id: GermanRuleIds): XRechnungProblem[] {
  const problems: XRechnungProblem[] = [];
  const add = (rule: string, pointer: string, message: string) => problems.push({ rule, pointer, message });
  const seller = invoice.supplier;
  const payment = invoice.payment;
  if (!payment) add(id(1), '/payment', 'an invoice shall contain the payment instructions (BG-16)');
  if (blank(invoice.buyerReference)) add(id(15), '/buyerReference', 'the buyer reference (BT-10) is required');
  const codes = [
    ...invoice.lines.map((l) => l.taxCategory),
    ...(invoice.allowanceCharges ?? []).map((ac) => ac.taxCategory),
  ];
  // BG-11 is there when any of its terms is (the reader refuses a representative without its name, BR-18).
  const representative =
    invoice.taxRepresentativeVatId !== undefined ||
    invoice.taxRepresentativeName !== undefined ||
    invoice.taxRepresentativeAddress !== undefined;
  if (
    codes.some((c) => c !== undefined && VAT_CODES.has(c)) &&
    blank(seller.vatId) &&
    blank(seller.taxRegistrationId) &&
    !representative
  )
    add(
      id(16),
      '/supplier/vatId',
      'with VAT codes S, Z, E, AE, K, G, L or M the seller VAT id (BT-31), tax registration id (BT-32) or tax representative (BG-11) is required',
    );
  if (invoice.paymentTerms !== undefined && !skontoStatementsValid(invoice.paymentTerms))
    add(
      id(18),
      '/paymentTerms',
      'cash discount lines are written #SKONTO#TAGE=N#PROZENT=N.NN#[BASISBETRAG=N.NN#], each ending with a line break',
    );
  const filenames = new Set<string>();
  invoice.attachments?.forEach((a, k) => {
    if (a.filename === undefined) return;
    if (filenames.has(a.filename))
      add(id(22), `/attachments/${k}/filename`, `${a.filename}: attached documents need unique file names`);
    filenames.add(a.filename);
  });
  if (payment?.mandate && blank(payment.creditorId))
    add(id(30), '/payment/creditorId', 'a direct debit needs the bank assigned creditor identifier (BT-90)');
  if (payment?.mandate && blank(payment.mandate.debitedAccountId))
    add(id(31), '/payment/mandate/debitedAccountId', 'a direct debit needs the debited account identifier (BT-91)');
  if (!seller.contact) add(id(2), '/supplier/contact', 'the seller contact (BG-6) is required');
  else {
    if (blank(seller.contact.name))
      add(id(5), '/supplier/contact/name', 'the seller contact point (BT-41) is required');
    if (blank(seller.contact.telephone))
      add(id(6), '/supplier/contact/telephone', 'the seller contact telephone (BT-42) is required');
    if (blank(seller.contact.email))
      add(id(7), '/supplier/contact/email', 'the seller contact email (BT-43) is required');
  }
  for (const [role, cityRule, postRule, who] of [
    ['supplier', 3, 4, 'seller'],
    ['customer', 8, 9, 'buyer'],
  ] as const) {
    const address = invoice[role].address;
    if (!address) continue;
    if (blank(address.city)) add(id(cityRule), `/${role}/address/city`, `the ${who} city is required`);
    if (blank(address.postalCode)) add(id(postRule), `/${role}/address/postalCode`, `the ${who} post code is required`);
  }
  const d = invoice.delivery;
  // The deliver-to address (BG-15) is there when any of its terms is.
  if (
    d &&
    [d.street, d.additionalStreet, d.addressLine3, d.city, d.postalCode, d.countrySubdivision, d.country].some(
      (v) => v !== undefined,
    )
  ) {
    if (blank(d.city)) add(id(10), '/delivery/city', 'a deliver-to address needs its city (BT-77)');
    if (blank(d.postalCode)) add(id(11), '/delivery/postalCode', 'a deliver-to address needs its post code (BT-78)');
  }
  if (payment) {
    const code = payment.meansCode.trim();
    // Every PaymentMeans has the one code (UBL-SR-47): a payee account in any of them is one in a means of that code.
    const transfer = creditTransferAccounts(payment)[0];
    const card = payment.cardAccountId !== undefined;
    const mandate = payment.mandate !== undefined;
    // Each refusal names the group that is not allowed.
    const account = transfer && `${transfer.pointer}/accountId`;
    if (code === '30' || code === '58') {
      if (!transfer) add(id(23, 1), '/payment/accountId', 'a credit transfer (30, 58) needs the payee account (BG-17)');
      if (card || mandate)
        add(
          id(23, 2),
          card ? '/payment/cardAccountId' : '/payment/mandate',
          'a credit transfer (30, 58) allows no card (BG-18) or direct debit (BG-19)',
        );
    }
    if (code === '48' || code === '54' || code === '55') {
      if (!card) add(id(24, 1), '/payment/cardAccountId', 'a card payment (48, 54, 55) needs the card (BG-18)');
      if (transfer || mandate)
        add(
          id(24, 2),
          account ?? '/payment/mandate',
          'a card payment (48, 54, 55) allows no payee account (BG-17) or direct debit (BG-19)',
        );
    }
    if (code === '59') {
      if (!mandate) add(id(25, 1), '/payment/mandate', 'a direct debit (59) needs the direct debit group (BG-19)');
      if (transfer || card)
        add(
          id(25, 2),
          account ?? '/payment/cardAccountId',
          'a direct debit (59) allows no payee account (BG-17) or card (BG-18)',
        );
    }
  }
  invoice.taxBreakdown?.forEach((b, k) => {
    if (b.rateBasisPoints === undefined)
      add(id(14), `/taxBreakdown/${k}/rateBasisPoints`, 'the VAT category rate (BT-119) is required');
  });
  return problems;
}

/** One cash discount statement (Skonto), as the schematron's XR-SKONTO-REGEX has it on a normalised line. */
const SKONTO = /^#SKONTO#TAGE=[0-9]+#PROZENT=[0-9]+\.[0-9]{2}(#BASISBETRAG=-?[0-9]+\.[0-9]{2})?#$/;

/** The lines of the payment terms that start with #: each is a Skonto statement. */
function statementLines(terms: string): string[] {
  return terms.split(/\r?\n/).filter((line) => normalizeSpace(line).startsWith('#'));
}

/** What follows the last `#...#` of the text (XPath's `tokenize(., '#.+#')[last()]`: `.` is no line break). */
function afterLastStatement(terms: string): string {
  const tokens = terms.split(/#[^\r\n]+#/);
  return tokens[tokens.length - 1] ?? '';
}

/**
 * BR-DE-18 on the canonical payment terms: every line that starts with # is a Skonto statement, and what follows the
 * last one starts with a line break. The canonical text of a UBL document is trimmed, so a statement that ends it is
 * taken as ended here; whether a line break followed it is judged on the text as sent (`skontoLineBreakMissing`).
 */
export function skontoStatementsValid(terms: string): boolean {
  const lines = statementLines(terms);
  if (!lines.length) return true;
  if (!lines.every((line) => SKONTO.test(normalizeSpace(line)))) return false;
  const rest = afterLastStatement(terms);
  return rest === '' || /^[ \t\r\n]*\n/.test(rest);
}

/**
 * BR-DE-18's final line break, on the payment terms as written: text with Skonto statements that ends with one
 * (trimmed, which is all the canonical form keeps) has no line break after it.
 */
export function skontoLineBreakMissing(written: string): boolean {
  const trimmed = xmlTrim(written);
  return (
    statementLines(written).length > 0 &&
    afterLastStatement(trimmed) === '' &&
    !/^[ \t\r\n]*\n/.test(afterLastStatement(written))
  );
}

/** The vehicle categories (BR-DE-CVD-04) and clean vehicle attributes (BR-DE-CVD-05) of XRechnung's CVD. */
const CVD_VEHICLE_CATEGORIES = new Set(['M1', 'M2', 'M3', 'N1', 'N2', 'N3']);
const CVA_VALUES = new Set(['clean', 'zero-emission', 'other']);

/**
 * XRechnung's CVD (clean vehicles directive): the tender (BT-17) and contract (BT-12) references, and at least one
 * line whose item is classified under `CVD` (a vehicle category) with exactly one `cva` attribute (clean,
 * zero-emission or other).
 */
function cvd(invoice: Invoice): XRechnungProblem[] {
  const problems: XRechnungProblem[] = [];
  const add = (rule: string, pointer: string, message: string) => problems.push({ rule, pointer, message });
  if (blank(invoice.tenderReference))
    add('BR-DE-CVD-02', '/tenderReference', 'the tender or lot reference (BT-17) is required');
  if (blank(invoice.contractReference))
    add('BR-DE-CVD-01', '/contractReference', 'the contract reference (BT-12) is required');
  let classified = false;
  invoice.lines.forEach((line, i) => {
    const p = `/lines/${i}`;
    const categories = (line.classifications ?? []).filter((c) => c.listId === 'CVD');
    const cva = (line.attributes ?? []).filter((a) => a.name === 'cva');
    if (categories.length && cva.length) classified = true;
    if (categories.length && cva.length !== 1)
      add('BR-DE-CVD-06-a', `${p}/attributes`, 'an item classified under CVD has exactly one attribute cva');
    if (cva.length && categories.length !== 1)
      add(
        'BR-DE-CVD-06-b',
        `${p}/classifications`,
        'an item with the attribute cva has exactly one CVD classification',
      );
    line.classifications?.forEach((c, k) => {
      if (normalizeSpace(c.listId ?? '') === 'CVD' && !CVD_VEHICLE_CATEGORIES.has(normalizeSpace(c.code)))
        add(
          'BR-DE-CVD-04',
          `${p}/classifications/${k}/code`,
          `a CVD classification is a vehicle category (${[...CVD_VEHICLE_CATEGORIES].join(', ')})`,
        );
    });
    line.attributes?.forEach((a, k) => {
      if (a.name === 'cva' && !CVA_VALUES.has(normalizeSpace(a.value)))
        add('BR-DE-CVD-05', `${p}/attributes/${k}/value`, `the attribute cva is ${[...CVA_VALUES].join(', ')}`);
    });
  });
  if (!classified)
    add(
      'BR-DE-CVD-03',
      '/lines',
      'at least one line is classified under CVD (BT-158) with the attribute cva (BT-160) under XRechnung CVD',
    );
  return problems;
}
