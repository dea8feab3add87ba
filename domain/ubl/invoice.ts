/**
 * UBL 2.1 `Invoice` and `CreditNote` (Peppol BIS Billing 3.0, plain EN 16931 or another specification built on it)
 * to the canonical invoice: the EN 16931 model as Peppol uses it. Peppol's own syntax rules apply only to a document
 * that claims Peppol BIS (specifications.ts). Every problem names the XML element; `sources` maps canonical JSON pointers back to elements so
 * later schema and business-rule checks can too. Embedded attachments are returned apart from the invoice, so the
 * caller stores them (claim check) and the invoice itself stays small.
 */
import type { Invoice, InvoiceLine, TaxBreakdown, VatCategory } from '../../contracts/invoice';
import { VAT_CATEGORIES } from '../../contracts/invoice';
import { embeddedDocumentProblems } from '../invoice-checks';
import { partyIdentifierSchemeAllowed } from '../code-checks';
import { inCodeList, normalizedCode } from '../code-lists';
import { CREDIT_TRANSFER_CODES } from '../payment-accounts';
import { identifierRuleBroken } from '../peppol-identifier-rules';
import { betweenGermanParties } from '../peppol-national-rules';
import { PEPPOL_SPECIFICATION, peppolRulesApply, xrechnungExtension, xrechnungRulesApply } from '../specifications';
import {
  PEPPOL_GERMAN_RULE_IDS,
  skontoLineBreakMissing,
  XRECHNUNG_RULE_IDS,
  type GermanRuleIds,
} from '../xrechnung-rules';
import { currencyExponent, quoted } from './decimal';
import { FieldReader, holding, type AmountRules, type UblProblem } from './fields';
import { addressLines, readParty } from './party';
import { checkSyntaxRules, checkUnreadAmountDecimals } from './syntax-rules';
import { xmlTrim } from '../xml-space';
import { parseXml, XmlSyntaxError, type XmlElement } from './xml-tree';

export type { UblProblem } from './fields';

/** An embedded document (BT-125) as found: base64 text, decoded and stored by the caller. */
export interface EmbeddedDocument {
  /** Index into `invoice.attachments`. */
  attachment: number;
  path: string;
  base64: string;
}

/** The result of mapping a UBL document. */
export type UblMapping =
  | {
      ok: true;
      invoice: Invoice;
      sources: Record<string, string>;
      embedded: EmbeddedDocument[];
      /** Rules broken by the document as written that do not keep it from being read (Peppol's R001, R003...). */
      problems: UblProblem[];
    }
  | { ok: false; syntax: boolean; errors: UblProblem[] };

/** The two document kinds and their UBL names. */
const KINDS = {
  Invoice: {
    ns: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
    line: 'InvoiceLine',
    quantity: 'InvoicedQuantity',
    typeCode: 'InvoiceTypeCode',
    documentType: 'invoice',
  },
  CreditNote: {
    ns: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
    line: 'CreditNoteLine',
    quantity: 'CreditedQuantity',
    typeCode: 'CreditNoteTypeCode',
    documentType: 'credit_note',
  },
} as const;
type Kind = (typeof KINDS)[keyof typeof KINDS];

const IBAN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/;
/** A note that starts with its subject code (BT-21): `#AAI#text`; the text after it is kept as is. */
const NOTE_SUBJECT = /^#([A-Z]{3})#([\s\S]+)$/;
/** The `cbc:NetworkID` Peppol writes for a card whose network is not stated (UBL requires one). */
export const NO_NETWORK = 'NA';

/** Maps a UBL 2.1 Invoice or CreditNote document onto the canonical invoice. */
export function mapUblInvoice(xml: string): UblMapping {
  let parsed;
  try {
    parsed = parseXml(xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError)
      return { ok: false, syntax: true, errors: [{ pointer: err.pointer, message: err.message }] };
    throw err;
  }
  const kind = Object.hasOwn(KINDS, parsed.name) ? KINDS[parsed.name as keyof typeof KINDS] : undefined;
  // The root's own namespace, as bound where it is written: the URI appearing elsewhere (another prefix, a comment) is not it.
  if (!kind || parsed.namespace !== kind.ns) {
    return {
      ok: false,
      syntax: false,
      errors: [
        {
          pointer: `/${parsed.name}`,
          message: `the root element must be Invoice (${KINDS.Invoice.ns}) or CreditNote (${KINDS.CreditNote.ns})`,
        },
      ],
    };
  }
  return new Mapper(kind).map(parsed.root, parsed.empty);
}

/**
 * Peppol's business process identifier (R007), matched as its schematron does (`matches()` finds it anywhere, and its
 * dots match any character); the process number is then the seventh `:`-separated part.
 */
const PEPPOL_PROFILE = /urn:fdc:peppol.eu:2017:poacc:billing:([0-9]{2}):1.0/;
/** The invoice type codes of Peppol's billing process 01 (P0100). */
const PROCESS_01_INVOICE_TYPES = new Set(
  '71 80 82 84 102 218 219 326 331 380 382 383 384 386 388 393 395 553 575 623 780 817 870 875 876 877'.split(' '),
);
/** The credit note type codes of Peppol's billing process 01 (P0101). */
const PROCESS_01_CREDIT_NOTE_TYPES = new Set(['381', '396', '81', '83', '532']);

/**
 * A VAT category code; `rule` names the EN 16931 rule that requires it where it is read. The schematron reads a
 * category only in the VAT scheme (`cac:TaxScheme/cbc:ID` upper-cased `VAT`): one in another scheme, or in none, is
 * no VAT category at all, and the rule that asks for one refuses it. The code is on UNCL5305's subset (BR-CL-17 for a
 * `TaxCategory`, BR-CL-18 for a line's `ClassifiedTaxCategory`).
 */
function category(
  r: FieldReader,
  parent: XmlElement | undefined,
  pointer: string,
  rule: string,
): VatCategory | undefined {
  const id = r.only(parent, 'cbc', 'ID');
  if (!id?.text) {
    r.problem(parent ? parent.pathOf('cbc', 'ID') : pointer, 'a VAT category code is required', rule);
    return undefined;
  }
  r.sources[pointer] = id.path;
  const scheme = r.only(r.only(parent, 'cac', 'TaxScheme'), 'cbc', 'ID');
  if (xmlTrim(scheme?.text ?? '').toUpperCase() !== 'VAT') {
    r.problem(
      scheme?.path ?? parent!.pathOf('cac', 'TaxScheme'),
      'a VAT category is in the tax scheme VAT (cac:TaxScheme/cbc:ID)',
      rule,
    );
    return undefined;
  }
  if (!(VAT_CATEGORIES as readonly string[]).includes(id.text)) {
    r.problem(
      id.path,
      `${id.text} is not a VAT category code of EN 16931 (${VAT_CATEGORIES.join(', ')})`,
      parent!.path.endsWith('ClassifiedTaxCategory') ? 'BR-CL-18' : 'BR-CL-17',
    );
    return undefined;
  }
  return id.text as VatCategory;
}

/**
 * The rules an allowance or charge's amounts are read under: which one requires the amount (BR-31, -36, -41, -43) and
 * which hold the amount and its base to two decimals (BR-DEC-01, -02, -05, -06, -24, -25, -27, -28).
 */
function allowanceChargeRules(document: boolean, charge: boolean): { amount: AmountRules; base: AmountRules } {
  if (document)
    return charge
      ? { amount: { required: 'BR-36', decimals: 'BR-DEC-05' }, base: { decimals: 'BR-DEC-06' } }
      : { amount: { required: 'BR-31', decimals: 'BR-DEC-01' }, base: { decimals: 'BR-DEC-02' } };
  return charge
    ? { amount: { required: 'BR-43', decimals: 'BR-DEC-27' }, base: { decimals: 'BR-DEC-28' } }
    : { amount: { required: 'BR-41', decimals: 'BR-DEC-24' }, base: { decimals: 'BR-DEC-25' } };
}

class Mapper extends FieldReader {
  private readonly embedded: EmbeddedDocument[] = [];

  /** Problems of the document as written that the model is still read despite (checked with it, reported with it). */
  private readonly documentProblems: UblProblem[] = [];

  private documentProblem(pointer: string, message: string, rule: string): void {
    this.documentProblems.push({ pointer, message, rule });
  }

  /** Whether the document claims XRechnung, whose rules on the document as written (BR-DE-18, -23-a) then apply. */
  private xrechnung = false;

  /**
   * Who names XRechnung's rules on the document as written (a Skonto statement's final line break, a credit transfer's
   * account on each payment means): XRechnung when the document claims it, and Peppol (DE-R-*) when it claims Peppol BIS
   * between a German seller and buyer (by their addresses, as Peppol's schematron and its national rules tell).
   */
  private germanRuleIds(invoice: Partial<Invoice>): GermanRuleIds[] {
    return [
      ...(this.xrechnung ? [XRECHNUNG_RULE_IDS] : []),
      ...(this.peppol && betweenGermanParties(invoice) ? [PEPPOL_GERMAN_RULE_IDS] : []),
    ];
  }

  constructor(private readonly kind: Kind) {
    super();
  }

  map(root: XmlElement, empty?: string): UblMapping {
    // BT-24 names the specification the document claims (Peppol's, XRechnung's...); we read any, but it must be there.
    // It decides whether Peppol's own rules apply (specifications.ts): plain EN 16931 allows an empty element.
    const specification = this.only(root, 'cbc', 'CustomizationID')?.text;
    if (!specification)
      this.problem(root.pathOf('cbc', 'CustomizationID'), 'the specification identifier (BT-24) is required', 'BR-01');
    else this.sources['/specification'] = root.pathOf('cbc', 'CustomizationID');
    this.peppol = peppolRulesApply(specification || undefined);
    this.xrechnung = xrechnungRulesApply(specification || undefined);
    if (empty && this.peppol)
      this.problem(empty, 'an element must not be empty (Peppol refuses empty elements)', 'PEPPOL-EN16931-R008');
    checkSyntaxRules(this, root, this.kind.documentType === 'credit_note', this.kind.line);
    if (this.peppol) this.peppolDocumentRules(root);
    this.currency = this.required(root, 'cbc', 'DocumentCurrencyCode', '/currency', 'BR-05')?.text ?? '';
    this.exponent = currencyExponent(this.currency);
    const invoice: Partial<Invoice> = {
      documentType: this.kind.documentType,
      // Peppol BIS Billing 3.0 is what an invoice without one claims: the canonical form leaves it out.
      ...(specification && specification !== PEPPOL_SPECIFICATION ? { specification } : {}),
      invoiceNumber: this.required(root, 'cbc', 'ID', '/invoiceNumber', 'BR-02')?.text,
      issueDate: this.required(root, 'cbc', 'IssueDate', '/issueDate', 'BR-03')?.text,
      currency: this.currency,
      supplier: this.partyDetails(root, 'AccountingSupplierParty', '/supplier'),
      customer: this.partyDetails(root, 'AccountingCustomerParty', '/customer'),
    };
    const optional: Partial<Invoice> = {
      // A credit note states its due date on the payment means (Peppol BIS 3.0).
      dueDate:
        this.text(root, 'DueDate', '/dueDate') ??
        this.text(
          root.all('cac', 'PaymentMeans').find((means) => means.one('cbc', 'PaymentDueDate')?.text),
          'PaymentDueDate',
          '/dueDate',
        ),
      // BT-3 is 1..1 (BR-04): absent or empty, it is no 380 (the JSON default, which our writer would write).
      typeCode: this.required(root, 'cbc', this.kind.typeCode, '/typeCode', 'BR-04')?.text,
      taxPointDate: this.text(root, 'TaxPointDate', '/taxPointDate'),
      taxCurrency: this.text(root, 'TaxCurrencyCode', '/taxCurrency'),
      buyerReference: this.text(root, 'BuyerReference', '/buyerReference'),
      orderReference: this.text(this.only(root, 'cac', 'OrderReference'), 'ID', '/orderReference'),
      salesOrderReference: this.text(this.only(root, 'cac', 'OrderReference'), 'SalesOrderID', '/salesOrderReference'),
      buyerAccountingReference: this.text(root, 'AccountingCost', '/buyerAccountingReference'),
      contractReference: this.text(root.one('cac', 'ContractDocumentReference'), 'ID', '/contractReference'),
      receivingAdviceReference: this.text(
        root.one('cac', 'ReceiptDocumentReference'),
        'ID',
        '/receivingAdviceReference',
      ),
      despatchAdviceReference: this.text(
        root.one('cac', 'DespatchDocumentReference'),
        'ID',
        '/despatchAdviceReference',
      ),
      tenderReference: this.text(root.one('cac', 'OriginatorDocumentReference'), 'ID', '/tenderReference'),
      projectReference: this.text(root.one('cac', 'ProjectReference'), 'ID', '/projectReference'),
      // UBL-SR-22, UBL-SR-23 and UBL-SR-05: one of each over all the party names, tax schemes and payment terms.
      taxRepresentativeName: this.text(
        holding(root.one('cac', 'TaxRepresentativeParty'), 'PartyName', 'Name'),
        'Name',
        '/taxRepresentativeName',
      ),
      taxRepresentativeVatId: this.text(
        this.only(root, 'cac', 'TaxRepresentativeParty')
          ?.all('cac', 'PartyTaxScheme')
          .find((scheme) => scheme.one('cbc', 'CompanyID')),
        'CompanyID',
        '/taxRepresentativeVatId',
      ),
      paymentTerms: this.text(
        root.all('cac', 'PaymentTerms').find((terms) => terms.one('cbc', 'Note')),
        'Note',
        '/paymentTerms',
      ),
    };
    for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(invoice, { [k]: v });
    // Where XRechnung's rules (and Peppol's German ones) point when a reference they ask for is missing (BR-DE-15,
    // DE-R-015, BR-DE-CVD-01, -02).
    for (const [field, path] of [
      ['buyerReference', root.pathOf('cbc', 'BuyerReference')],
      ['contractReference', `${root.pathOf('cac', 'ContractDocumentReference')}/cbc:ID`],
      ['tenderReference', `${root.pathOf('cac', 'OriginatorDocumentReference')}/cbc:ID`],
    ] as const)
      if (invoice[field] === undefined) this.sources[`/${field}`] = path;
    this.skontoLineBreak(root, this.germanRuleIds(invoice));
    const notes = this.notes(root);
    if (notes.length) invoice.notes = notes;
    const payee = root.one('cac', 'PayeeParty');
    if (payee) invoice.payee = this.payee(payee);
    const representative = root.one('cac', 'TaxRepresentativeParty');
    if (representative && invoice.taxRepresentativeName === undefined)
      this.problem(representative.pathOf('cac', 'PartyName'), 'a tax representative needs its name (BT-62)', 'BR-18');
    const repAddress = this.only(representative, 'cac', 'PostalAddress');
    // Where BR-19 points when the address is missing.
    if (representative && !repAddress)
      this.sources['/taxRepresentativeAddress'] = representative.pathOf('cac', 'PostalAddress');
    if (repAddress) invoice.taxRepresentativeAddress = this.address(repAddress, '/taxRepresentativeAddress');
    this.references(root, invoice);
    this.payment(root, invoice);
    this.unreadIdentifiers(root);
    invoice.lines = this.lines(root);
    const allowanceCharges = root
      .all('cac', 'AllowanceCharge', true)
      .map((el, j) => this.allowanceCharge(el, `/allowanceCharges/${j}`, true));
    if (allowanceCharges.length)
      invoice.allowanceCharges = allowanceCharges as NonNullable<Invoice['allowanceCharges']>;
    this.taxTotals(root, invoice);
    this.totals(root, invoice);
    // An Invoice's only: UBL's CreditNote has no PrepaidPayment.
    if (this.kind === KINDS.Invoice && xrechnungExtension(invoice.specification))
      this.thirdPartyPayments(root, invoice);
    this.attachments(root, invoice);
    checkUnreadAmountDecimals(this, root, new Set(Object.values(this.sources)));
    if (this.errors.length) return { ok: false, syntax: false, errors: [...this.errors, ...this.documentProblems] };
    return {
      ok: true,
      invoice: invoice as Invoice,
      sources: this.sources,
      embedded: this.embedded,
      problems: this.documentProblems,
    };
  }

  /**
   * The invoice notes (BG-1), every `cbc:Note` in order. UBL has no element for the subject code (BT-21): it is
   * written `#CODE#text`, so a note in that form with a three-letter code (UNCL4451) is kept as code and text, and any
   * other note (`a#b`, `#1#x`) as sent; either way our writer gives back the same characters.
   */
  private notes(root: XmlElement): NonNullable<Invoice['notes']> {
    const written = root.all('cbc', 'Note', true).filter((el) => el.text);
    return written.map((el, k) => {
      this.sources[`/notes/${k}`] = el.path;
      const coded = NOTE_SUBJECT.exec(el.text);
      return coded ? { subjectCode: coded[1]!, text: coded[2]! } : { text: el.text };
    });
  }

  /** A party (readParty), with the schemes of its identifiers, its trading name and its contact. */
  private partyDetails(root: XmlElement, role: string, pointer: string): Invoice['supplier'] {
    const result = readParty(this, root, role, pointer);
    const party = root.one('cac', role)?.one('cac', 'Party');
    if (!party) return result;
    const address = party.one('cac', 'PostalAddress');
    if (address) this.sources[`${pointer}/address`] = address.path;
    const schemes = [
      [party.one('cbc', 'EndpointID'), 'endpointScheme'],
      [party.one('cac', 'PartyIdentification')?.one('cbc', 'ID'), 'identifierScheme'],
      [holding(party, 'PartyLegalEntity', 'CompanyID')?.one('cbc', 'CompanyID'), 'legalRegistrationIdScheme'],
    ] as const;
    const lists = { endpointScheme: 'BR-CL-25', identifierScheme: 'BR-CL-10', legalRegistrationIdScheme: 'BR-CL-11' };
    for (const [el, field] of schemes) {
      // The party identifier's is judged with every PartyIdentification (unreadIdentifiers).
      if (field !== 'identifierScheme') this.emptyScheme(el, lists[field]);
      const scheme = el?.text ? xmlTrim(el.attr('schemeID') ?? '') || undefined : undefined;
      if (!scheme) continue;
      this.sources[`${pointer}/${field}`] = el!.path;
      result[field] = scheme;
    }
    const tradingName = this.text(holding(party, 'PartyName', 'Name'), 'Name', `${pointer}/tradingName`);
    if (tradingName) result.tradingName = tradingName;
    if (role === 'AccountingSupplierParty') {
      // BT-33, once over all the seller's PartyLegalEntity (UBL-SR-14); EN 16931 has no such term for the buyer.
      const legalInfo = this.text(
        holding(party, 'PartyLegalEntity', 'CompanyLegalForm'),
        'CompanyLegalForm',
        `${pointer}/additionalLegalInfo`,
      );
      if (legalInfo) result.additionalLegalInfo = legalInfo;
    }
    const contact = this.only(party, 'cac', 'Contact');
    if (contact) {
      this.sources[`${pointer}/contact`] = contact.path;
      const name = this.text(contact, 'Name', `${pointer}/contact/name`);
      const telephone = this.text(contact, 'Telephone', `${pointer}/contact/telephone`);
      const email = this.text(contact, 'ElectronicMail', `${pointer}/contact/email`);
      result.contact = {
        ...(name ? { name } : {}),
        ...(telephone ? { telephone } : {}),
        ...(email ? { email } : {}),
      };
    }
    return result;
  }

  /**
   * The payee (BG-10): its name (BT-59, required: BR-17), identifier (BT-60, the first `PartyIdentification` not in
   * scheme SEPA, which is the creditor identifier BT-90) and legal registration identifier (BT-61), with schemes.
   */
  private payee(el: XmlElement): NonNullable<Invoice['payee']> {
    this.sources['/payee'] = el.path;
    const nameEl = el.one('cac', 'PartyName');
    const name = this.text(nameEl, 'Name', '/payee/name');
    if (!name) this.problem((nameEl ?? el).pathOf('cbc', 'Name'), 'the payee name (BT-59) is required', 'BR-17');
    const result: NonNullable<Invoice['payee']> = { name: name ?? '' };
    const id = el
      .all('cac', 'PartyIdentification')
      .map((identification) => identification.one('cbc', 'ID'))
      .find((i) => i?.text && xmlTrim(i.attr('schemeID') ?? '') !== 'SEPA');
    const legal = el.one('cac', 'PartyLegalEntity')?.one('cbc', 'CompanyID');
    const fields = [
      [id, 'identifier', 'identifierScheme'],
      [legal, 'legalRegistrationId', 'legalRegistrationIdScheme'],
    ] as const;
    for (const [found, field, schemeField] of fields) {
      if (!found?.text) continue;
      this.sources[`/payee/${field}`] = found.path;
      result[field] = found.text;
      const scheme = xmlTrim(found.attr('schemeID') ?? '');
      if (scheme) {
        this.sources[`/payee/${schemeField}`] = found.path;
        result[schemeField] = scheme;
      }
    }
    return result;
  }

  /**
   * A `schemeID=""`: the model reads it as no scheme, but the schematron's context is any stated scheme, and an empty
   * one is on no list (the rule of the element's list refuses it).
   */
  private emptyScheme(el: XmlElement | undefined, rule: string): void {
    const scheme = el?.attr('schemeID');
    if (scheme !== undefined && normalizedCode(scheme) === '')
      this.problem(el!.path, 'has an empty scheme (schemeID), which is on no list', rule);
  }

  /**
   * The party identifiers the model has no place for: a seller's second and further (BT-29 repeats), the tax
   * representative's (EN 16931 has none), one with an empty scheme (read as none). The schematron checks every
   * `cac:PartyIdentification/cbc:ID` by its scheme all the same, BR-CL-10 (SEPA, a creditor id, only for the seller
   * and the payee) and under Peppol R040 .. R050, so a GLN with a wrong check digit is refused wherever it stands.
   * Runs after the payment, which reads the creditor id.
   */
  private unreadIdentifiers(root: XmlElement): void {
    const read = new Set(Object.values(this.sources));
    const parties: [XmlElement | undefined, boolean][] = [
      [root.one('cac', 'AccountingSupplierParty')?.one('cac', 'Party'), true],
      [root.one('cac', 'AccountingCustomerParty')?.one('cac', 'Party'), false],
      [root.one('cac', 'PayeeParty'), true],
      [root.one('cac', 'TaxRepresentativeParty'), false],
    ];
    for (const [party, sepa] of parties)
      for (const id of party?.all('cac', 'PartyIdentification').flatMap((i) => i.all('cbc', 'ID')) ?? []) {
        const scheme = id.attr('schemeID');
        // One the model holds is checked there, unless its scheme is empty, which the model does not keep.
        if (scheme === undefined || (read.has(id.path) && normalizedCode(scheme) !== '')) continue;
        if (!partyIdentifierSchemeAllowed(scheme, sepa))
          this.problem(
            id.path,
            `${JSON.stringify(scheme.slice(0, 40))} is not a scheme of the ISO 6523 ICD list`,
            'BR-CL-10',
          );
        const broken = this.peppol ? identifierRuleBroken(scheme, id.text) : undefined;
        if (broken) this.problem(id.path, broken.message, broken.rule);
      }
  }

  /**
   * Peppol BIS's own rules on the document as written (a JSON invoice has no profile or electronic address to hold
   * them to): the business process (R001, R007) and the type codes of its process 01 (P0100, P0101), a buyer or
   * order reference (R003), both electronic addresses (R010, R020), one VAT total with a breakdown (R053) and one
   * without it exactly when there is an accounting currency (R054).
   */
  private peppolDocumentRules(root: XmlElement): void {
    // R004: a document held to Peppol's rules (its specification names Peppol BIS among its parts) states it first.
    const customization = root.one('cbc', 'CustomizationID');
    if (!xmlTrim(customization?.text ?? '').startsWith(PEPPOL_SPECIFICATION))
      this.documentProblem(
        customization?.path ?? root.pathOf('cbc', 'CustomizationID'),
        `the specification identifier (BT-24) starts with ${PEPPOL_SPECIFICATION}`,
        'PEPPOL-EN16931-R004',
      );
    // R100, R101: a line refers to at most one document, and only to its invoiced object (type 130).
    for (const line of root.all('cac', this.kind.line)) {
      const references = line.all('cac', 'DocumentReference');
      if (references.length > 1)
        this.documentProblem(references[1]!.path, 'a line has at most one document reference', 'PEPPOL-EN16931-R100');
      if (
        references.length &&
        !references.some((ref) => ref.all('cbc', 'DocumentTypeCode').some((c) => c.text === '130'))
      )
        this.documentProblem(
          references[0]!.pathOf('cbc', 'DocumentTypeCode'),
          "a line's document reference is its invoiced object identifier (BT-128, type code 130)",
          'PEPPOL-EN16931-R101',
        );
    }
    const profileEl = root.one('cbc', 'ProfileID');
    const profile = profileEl && xmlTrim(profileEl.text);
    if (!profile)
      this.documentProblem(
        root.pathOf('cbc', 'ProfileID'),
        'the business process (BT-23) is required',
        'PEPPOL-EN16931-R001',
      );
    else {
      const inForm = PEPPOL_PROFILE.test(profile);
      const process = inForm ? profile.split(':')[6] : undefined;
      if (!inForm)
        this.documentProblem(
          profileEl.path,
          `${quoted(profile)} is not a Peppol business process (urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0)`,
          'PEPPOL-EN16931-R007',
        );
      const typeCode = xmlTrim(root.one('cbc', this.kind.typeCode)?.text ?? '');
      const credit = this.kind === KINDS.CreditNote;
      const allowed = credit ? PROCESS_01_CREDIT_NOTE_TYPES : PROCESS_01_INVOICE_TYPES;
      // A code off UNTDID 1001 altogether is BR-CL-01's to name.
      const listed = inCodeList(credit ? 'creditNoteType' : 'invoiceType', typeCode);
      if (process === '01' && listed && !allowed.has(typeCode))
        this.documentProblem(
          root.one('cbc', this.kind.typeCode)!.path,
          `type code ${typeCode} is not one of the billing process 01's (${[...allowed].join(', ')})`,
          credit ? 'PEPPOL-EN16931-P0101' : 'PEPPOL-EN16931-P0100',
        );
    }
    if (!root.one('cbc', 'BuyerReference')?.text && !root.one('cac', 'OrderReference')?.one('cbc', 'ID')?.text)
      this.documentProblem(
        root.pathOf('cbc', 'BuyerReference'),
        'a buyer reference (BT-10) or a purchase order reference (BT-13) is required',
        'PEPPOL-EN16931-R003',
      );
    for (const [role, rule, who] of [
      ['AccountingSupplierParty', 'PEPPOL-EN16931-R020', "the seller's"],
      ['AccountingCustomerParty', 'PEPPOL-EN16931-R010', "the buyer's"],
    ] as const) {
      const party = root.one('cac', role)?.one('cac', 'Party');
      if (party && !party.one('cbc', 'EndpointID'))
        this.documentProblem(
          party.pathOf('cbc', 'EndpointID'),
          `${who} electronic address (BT-34, BT-49) is required`,
          rule,
        );
    }
    const totals = root.all('cac', 'TaxTotal');
    const withBreakdown = totals.filter((t) => t.one('cac', 'TaxSubtotal'));
    if (withBreakdown.length > 1)
      this.documentProblem(withBreakdown[1]!.path, 'only one VAT total has a VAT breakdown', 'PEPPOL-EN16931-R053');
    const withoutBreakdown = totals.filter((t) => !t.one('cac', 'TaxSubtotal'));
    const accountingCurrency = Boolean(root.one('cbc', 'TaxCurrencyCode')?.text);
    if (withoutBreakdown.length > (accountingCurrency ? 1 : 0))
      this.documentProblem(
        withoutBreakdown[accountingCurrency ? 1 : 0]!.path,
        accountingCurrency
          ? 'only one VAT total without a breakdown, the one in the VAT accounting currency'
          : 'a VAT total without a breakdown is only for a VAT accounting currency (BT-6)',
        'PEPPOL-EN16931-R054',
      );
    else if (accountingCurrency && withoutBreakdown.length === 0)
      this.documentProblem(
        root.pathOf('cac', 'TaxTotal'),
        'a VAT accounting currency (BT-6) needs a VAT total in it, without a breakdown (BT-111)',
        'PEPPOL-EN16931-R054',
      );
  }

  /**
   * BR-DE-18's (DE-R-018's) line break after the last Skonto statement: the canonical payment terms are trimmed, so only
   * the text as written shows whether one follows a statement that ends it (the statements' form is checked on the model).
   */
  private skontoLineBreak(root: XmlElement, ids: GermanRuleIds[]): void {
    const note = root
      .all('cac', 'PaymentTerms')
      .find((terms) => terms.one('cbc', 'Note'))
      ?.one('cbc', 'Note');
    if (note && ids.length && skontoLineBreakMissing(note.writtenText))
      for (const id of ids)
        this.documentProblem(
          note.path,
          'a cash discount statement (#SKONTO#...#) ends with a line break, the last one too',
          id(18),
        );
  }

  /**
   * XRechnung's extension: third-party payments (BG-DEX-09, `cac:PrepaidPayment`), each with its type, amount and
   * description (BR-DEX-10 .. -12), the amount in the document currency (BR-DEX-14) with at most two decimals
   * (BR-DEX-13). Outside the extension UBL's PrepaidPayment means nothing to EN 16931 and is not read.
   */
  private thirdPartyPayments(root: XmlElement, invoice: Partial<Invoice>): void {
    const payments = root.all('cac', 'PrepaidPayment', true).map((el, k) => {
      const p = `/thirdPartyPayments/${k}`;
      this.sources[p] = el.path;
      return {
        type: this.required(el, 'cbc', 'ID', `${p}/type`, 'BR-DEX-10')?.text ?? '',
        amountMinor: this.amount(el, 'PaidAmount', `${p}/amountMinor`, {
          required: 'BR-DEX-11',
          decimals: 'BR-DEX-13',
          currency: 'BR-DEX-14',
        }),
        description: this.required(el, 'cbc', 'InstructionID', `${p}/description`, 'BR-DEX-12')?.text ?? '',
      };
    });
    if (payments.length) invoice.thirdPartyPayments = payments;
  }

  /** A postal address (the tax representative's); the country is read as is (BR-20 is checked elsewhere). */
  private address(el: XmlElement, pointer: string): NonNullable<Invoice['taxRepresentativeAddress']> {
    this.sources[pointer] = el.path;
    return {
      country: this.text(this.only(el, 'cac', 'Country'), 'IdentificationCode', `${pointer}/country`) ?? '',
      ...addressLines(this, el, pointer),
    };
  }

  private references(root: XmlElement, invoice: Partial<Invoice>): void {
    const refs = root.all('cac', 'BillingReference', true).flatMap((ref, k) => {
      const doc = ref.one('cac', 'InvoiceDocumentReference');
      const id = doc && this.required(doc, 'cbc', 'ID', `/billingReferences/${k}/invoiceNumber`, 'BR-55');
      if (!id) return [];
      const issueDate = this.text(doc, 'IssueDate', `/billingReferences/${k}/issueDate`);
      return [{ invoiceNumber: id.text, ...(issueDate ? { issueDate } : {}) }];
    });
    if (refs.length) invoice.billingReferences = refs;
    const period = root.one('cac', 'InvoicePeriod');
    if (period) invoice.invoicePeriod = this.period(period, '/invoicePeriod', true);
    const delivery = root.one('cac', 'Delivery');
    if (delivery) {
      this.sources['/delivery'] = delivery.path;
      const date = this.text(delivery, 'ActualDeliveryDate', '/delivery/date');
      const location = this.only(delivery, 'cac', 'DeliveryLocation');
      // BT-71 with its scheme (e.g. 0088, a GLN).
      const locationId = this.text(location, 'ID', '/delivery/locationId');
      const locationEl = location?.one('cbc', 'ID');
      if (locationId) this.emptyScheme(locationEl, 'BR-CL-26');
      const locationScheme = locationId ? xmlTrim(locationEl?.attr('schemeID') ?? '') : '';
      if (locationScheme) this.sources['/delivery/locationScheme'] = locationEl!.path;
      const address = this.only(location, 'cac', 'Address');
      if (address) this.sources['/delivery/address'] = address.path;
      // Where a deliver-to address without its city or post code points (BR-DE-10, -11); addressLines names them if read.
      if (address) for (const line of ['city', 'postalCode']) this.sources[`/delivery/${line}`] = address.path;
      const country = this.text(this.only(address, 'cac', 'Country'), 'IdentificationCode', '/delivery/country');
      const deliveryParty = this.only(delivery, 'cac', 'DeliveryParty');
      const name = this.text(holding(deliveryParty, 'PartyName', 'Name'), 'Name', '/delivery/name');
      invoice.delivery = {
        ...(date ? { date } : {}),
        ...(country ? { country } : {}),
        ...(address ? addressLines(this, address, '/delivery') : {}),
        ...(name ? { name } : {}),
        ...(locationId ? { locationId } : {}),
        ...(locationScheme ? { locationScheme } : {}),
      };
    }
  }

  /**
   * An invoicing period; the VAT point date code (BT-8) only on the document's: a line period has none in EN 16931
   * (UBL allows it several times there, and Peppol only warns, UBL-CR-523).
   */
  private period(el: XmlElement, pointer: string, document = false): { startDate?: string; endDate?: string } {
    this.sources[pointer] = el.path;
    const startDate = this.text(el, 'StartDate', `${pointer}/startDate`);
    const endDate = this.text(el, 'EndDate', `${pointer}/endDate`);
    const descriptionCode = document ? this.text(el, 'DescriptionCode', `${pointer}/descriptionCode`) : undefined;
    return {
      ...(startDate ? { startDate } : {}),
      ...(endDate ? { endDate } : {}),
      ...(descriptionCode ? { descriptionCode } : {}),
    };
  }

  /**
   * The payment instructions (BG-16) from every `PaymentMeans`, as EN 16931 has them: one means code (UBL-SR-47) and
   * one remittance information (UBL-SR-44) for the document, the payee account of each means (BG-17, 0..n) in
   * document order, at most one card (BG-18, UBL-SR-54) and one direct debit (BG-19, UBL-SR-55). The payee account (BT-84)
   * comes only from `PayeeFinancialAccount`: a card number or the buyer's debited account is never where to pay.
   */
  private payment(root: XmlElement, invoice: Partial<Invoice>): void {
    const all = root.all('cac', 'PaymentMeans');
    const first = all[0];
    if (!first) {
      // Where BR-DE-1 (DE-R-001) points: the payment instructions are missing.
      this.sources['/payment'] = root.pathOf('cac', 'PaymentMeans');
      return;
    }
    this.sources['/payment'] = first.path;
    const meansCode = this.required(first, 'cbc', 'PaymentMeansCode', '/payment/meansCode', 'BR-49')?.text ?? '';
    // BT-82, the name of a means code: once in the document (UBL-SR-46), on whichever payment means states it.
    const named = all
      .map((means) => means.one('cbc', 'PaymentMeansCode'))
      .find((code) => xmlTrim(code?.attr('name') ?? ''));
    const meansText = named && xmlTrim(named.attr('name')!);
    if (meansText) this.sources['/payment/meansText'] = named.path;
    let paymentId: string | undefined;
    const accounts: NonNullable<NonNullable<Invoice['payment']>['additionalCreditTransfers']> = [];
    for (const [k, means] of all.entries()) {
      const code = means.one('cbc', 'PaymentMeansCode');
      if (k > 0 && !code?.text)
        this.problem(code?.path ?? means.pathOf('cbc', 'PaymentMeansCode'), 'is required', 'BR-49');
      else if (k > 0 && meansCode && code!.text !== meansCode)
        this.problem(
          code!.path,
          `differs from the first payment means code ${meansCode.slice(0, 10)}: repeated payment means share one code`,
          'UBL-SR-47',
        );
      const id = means.one('cbc', 'PaymentID');
      if (id?.text && paymentId === undefined) {
        paymentId = id.text;
        this.sources['/payment/paymentId'] = id.path;
      } else if (id?.text && id.text !== paymentId)
        this.problem(
          id.path,
          'differs from the remittance information of an earlier payment means: a document has one, repeated or not',
          'UBL-SR-44',
        );
      const payee = this.only(means, 'cac', 'PayeeFinancialAccount');
      if (!payee && CREDIT_TRANSFER_CODES.has(code?.text ?? '')) {
        this.problem(
          means.pathOf('cac', 'PayeeFinancialAccount'),
          `a credit transfer (payment means ${code!.text}) needs the account to pay into (BT-84)`,
          'BR-61',
        );
        // XRechnung's validator names it twice, as EN 16931's BR-61 and as its own BR-DE-23-a (Peppol's DE-R-023-1).
        for (const id of this.germanRuleIds(invoice))
          this.documentProblem(
            means.pathOf('cac', 'PayeeFinancialAccount'),
            `a credit transfer (payment means ${code!.text}) needs the credit transfer group (BG-17)`,
            id(23, 1),
          );
      }
      if (payee) {
        const p = accounts.length === 0 ? '/payment' : `/payment/additionalCreditTransfers/${accounts.length - 1}`;
        if (accounts.length) this.sources[p] = payee.path;
        const accountId = this.text(payee, 'ID', `${p}/accountId`);
        const accountName = this.text(payee, 'Name', `${p}/accountName`);
        const branch = this.only(payee, 'cac', 'FinancialInstitutionBranch');
        const serviceProviderId = this.text(branch, 'ID', `${p}/serviceProviderId`);
        if (!accountId)
          this.problem(
            payee.pathOf('cbc', 'ID'),
            'a credit transfer account (BG-17) needs its identifier (BT-84)',
            'BR-50',
          );
        else
          accounts.push({
            accountId,
            ...(accountName ? { accountName } : {}),
            ...(serviceProviderId ? { serviceProviderId } : {}),
          });
      }
    }
    // At most one card and one mandate (BR-66, BR-67): refused by the syntax rules, under UBL-SR-54 and -55.
    const [cardEl] = all.flatMap((means) => means.all('cac', 'CardAccount'));
    const [mandateEl] = all.flatMap((means) => means.all('cac', 'PaymentMandate'));
    let card: Partial<NonNullable<Invoice['payment']>> = {};
    if (cardEl) {
      this.sources['/payment/cardAccountId'] = cardEl.path;
      // BT-87 is 1..1 in BG-18; the network is required by UBL, not a business term (Peppol writes NA for none).
      const cardAccountId = this.required(cardEl, 'cbc', 'PrimaryAccountNumberID', '/payment/cardAccountId')?.text;
      const network = this.text(cardEl, 'NetworkID', '/payment/cardNetworkId');
      const holder = this.text(cardEl, 'HolderName', '/payment/cardHolderName');
      card = {
        ...(cardAccountId ? { cardAccountId } : {}),
        ...(network && network !== NO_NETWORK ? { cardNetworkId: network } : {}),
        ...(holder ? { cardHolderName: holder } : {}),
      };
    }
    let mandate: NonNullable<Invoice['payment']>['mandate'];
    if (mandateEl) {
      this.sources['/payment/mandate'] = mandateEl.path;
      const id = this.text(mandateEl, 'ID', '/payment/mandate/id');
      const debitedAccountId = this.text(
        this.only(mandateEl, 'cac', 'PayerFinancialAccount'),
        'ID',
        '/payment/mandate/debitedAccountId',
      );
      mandate = { ...(id ? { id } : {}), ...(debitedAccountId ? { debitedAccountId } : {}) };
    }
    // BT-90: a seller or payee identifier in scheme SEPA.
    const creditorEl = [
      root.one('cac', 'AccountingSupplierParty')?.one('cac', 'Party'),
      this.only(root, 'cac', 'PayeeParty'),
    ]
      .flatMap((party) => party?.all('cac', 'PartyIdentification') ?? [])
      .map((identification) => identification.one('cbc', 'ID'))
      .find((id) => id?.text && xmlTrim(id.attr('schemeID') ?? '') === 'SEPA');
    if (creditorEl) this.sources['/payment/creditorId'] = creditorEl.path;
    const [firstAccount, ...additionalCreditTransfers] = accounts;
    invoice.payment = {
      meansCode,
      ...(meansText ? { meansText } : {}),
      ...(paymentId ? { paymentId } : {}),
      ...firstAccount,
      ...(additionalCreditTransfers.length ? { additionalCreditTransfers } : {}),
      ...card,
      ...(mandate ? { mandate } : {}),
      ...(creditorEl ? { creditorId: creditorEl.text } : {}),
    };
    const compact = firstAccount?.accountId.replace(/\s+/g, '');
    if (compact && IBAN.test(compact)) invoice.payeeIban = compact;
  }

  private allowanceCharge(el: XmlElement, p: string, document: boolean) {
    this.sources[p] = el.path;
    const charge = this.indicator(
      this.only(el, 'cbc', 'ChargeIndicator'),
      el.pathOf('cbc', 'ChargeIndicator'),
      'PEPPOL-EN16931-R043',
    );
    const rules = allowanceChargeRules(document, charge);
    const result: Record<string, unknown> = {
      charge,
      amountMinor: this.amount(el, 'Amount', `${p}/amountMinor`, rules.amount),
    };
    const base = this.optionalAmount(el, 'BaseAmount', `${p}/baseAmountMinor`, rules.base);
    if (base !== undefined) result.baseAmountMinor = base;
    const percent = this.percent(this.only(el, 'cbc', 'MultiplierFactorNumeric'), `${p}/percentBasisPoints`);
    if (percent !== undefined) result.percentBasisPoints = percent;
    const reason = this.text(el, 'AllowanceChargeReason', `${p}/reason`);
    if (reason) result.reason = reason;
    const reasonCode = this.text(el, 'AllowanceChargeReasonCode', `${p}/reasonCode`);
    if (reasonCode) result.reasonCode = reasonCode;
    if (document) {
      const tax = el.one('cac', 'TaxCategory');
      result.taxCategory = category(this, tax, `${p}/taxCategory`, charge ? 'BR-37' : 'BR-32') ?? 'S';
      const rate = this.percent(this.only(tax, 'cbc', 'Percent'), `${p}/taxRateBasisPoints`);
      if (rate !== undefined) result.taxRateBasisPoints = rate;
    }
    return result as { charge: boolean; amountMinor: number };
  }

  /** The TaxTotal in the document currency carries the breakdown; a second one may state BT-111. */
  private taxTotals(root: XmlElement, invoice: Partial<Invoice>): void {
    const totals = root.all('cac', 'TaxTotal');
    const own = totals.find((t) => t.one('cbc', 'TaxAmount')?.attr('currencyID') === this.currency) ?? totals[0];
    if (!own) {
      this.problem(root.pathOf('cac', 'TaxTotal'), 'is required', 'BR-CO-18');
      invoice.taxTotalMinor = 0;
      return;
    }
    invoice.taxTotalMinor = this.amount(own, 'TaxAmount', '/taxTotalMinor', { decimals: 'BR-DEC-13' });
    const subtotals = own.all('cac', 'TaxSubtotal');
    if (!subtotals.length)
      this.problem(own.pathOf('cac', 'TaxSubtotal'), 'at least one VAT breakdown is required', 'BR-CO-18');
    const breakdown: TaxBreakdown[] = subtotals.map((s, k) => {
      const p = `/taxBreakdown/${k}`;
      this.sources[p] = s.path;
      const tax = this.only(s, 'cac', 'TaxCategory');
      const group: TaxBreakdown = {
        category: category(this, tax, `${p}/category`, 'BR-47') ?? 'S',
        taxableMinor: this.amount(s, 'TaxableAmount', `${p}/taxableMinor`, {
          required: 'BR-45',
          decimals: 'BR-DEC-19',
        }),
        taxMinor: this.amount(s, 'TaxAmount', `${p}/taxMinor`, { required: 'BR-46', decimals: 'BR-DEC-20' }),
      };
      const rate = this.percent(this.only(tax, 'cbc', 'Percent'), `${p}/rateBasisPoints`);
      if (rate !== undefined) group.rateBasisPoints = rate;
      const reason = this.text(tax, 'TaxExemptionReason', `${p}/exemptionReason`);
      if (reason) group.exemptionReason = reason;
      const code = this.text(tax, 'TaxExemptionReasonCode', `${p}/exemptionReasonCode`);
      if (code) group.exemptionReasonCode = code;
      return group;
    });
    if (breakdown.length) invoice.taxBreakdown = breakdown;
    // BR-CO-15 counts one VAT total in the document currency: a second one is no BT-111, not even where the VAT
    // accounting currency is the document's own (EN 16931 allows that, Peppol's R005 not), but a second BT-110.
    for (const t of totals) {
      const amount = t === own ? undefined : t.one('cbc', 'TaxAmount');
      if (amount?.attr('currencyID') === this.currency)
        this.problem(amount.path, 'the VAT total in the document currency (BT-110) is stated once', 'BR-CO-15');
    }
    const other = totals.find((t) => t !== own);
    const taxCurrency = invoice.taxCurrency;
    const otherAmount = other?.one('cbc', 'TaxAmount');
    if (taxCurrency && otherAmount)
      invoice.taxTotalInTaxCurrencyMinor = this.amountOf(otherAmount, '/taxTotalInTaxCurrencyMinor', {
        currency: taxCurrency,
        exponent: currencyExponent(taxCurrency),
        decimals: 'BR-DEC-15',
      });
  }

  private totals(root: XmlElement, invoice: Partial<Invoice>): void {
    const totals = this.required(root, 'cac', 'LegalMonetaryTotal', '/payableMinor');
    if (!totals) return;
    invoice.lineExtensionMinor = this.amount(totals, 'LineExtensionAmount', '/lineExtensionMinor', {
      required: 'BR-12',
      decimals: 'BR-DEC-09',
    });
    invoice.taxExclusiveMinor = this.amount(totals, 'TaxExclusiveAmount', '/taxExclusiveMinor', {
      required: 'BR-13',
      decimals: 'BR-DEC-12',
    });
    invoice.taxInclusiveMinor = this.amount(totals, 'TaxInclusiveAmount', '/taxInclusiveMinor', {
      required: 'BR-14',
      decimals: 'BR-DEC-14',
    });
    const optional = [
      ['AllowanceTotalAmount', 'allowanceTotalMinor', 'BR-DEC-10'],
      ['ChargeTotalAmount', 'chargeTotalMinor', 'BR-DEC-11'],
      ['PrepaidAmount', 'prepaidMinor', 'BR-DEC-16'],
      ['PayableRoundingAmount', 'roundingMinor', 'BR-DEC-17'],
    ] as const;
    for (const [element, field, decimals] of optional) {
      const value = this.optionalAmount(totals, element, `/${field}`, { decimals });
      if (value !== undefined) invoice[field] = value;
    }
    invoice.payableMinor = this.amount(totals, 'PayableAmount', '/payableMinor', {
      required: 'BR-15',
      decimals: 'BR-DEC-18',
    });
  }

  /**
   * `AdditionalDocumentReference`: the invoiced object (BT-18, type code 130, with its scheme), a credit note's
   * project reference (BT-11, type code 50, as Peppol writes it there: a CreditNote has no ProjectReference), and the
   * supporting documents (BG-24), which are every other one, or one of those types that also describes or attaches
   * a document.
   */
  private attachments(root: XmlElement, invoice: Partial<Invoice>): void {
    const refs = root.all('cac', 'AdditionalDocumentReference', true).filter((ref) => {
      const typeCode = ref.one('cbc', 'DocumentTypeCode')?.text;
      const id = ref.one('cbc', 'ID');
      if (!id?.text || ref.one('cbc', 'DocumentDescription') || ref.one('cac', 'Attachment')) return true;
      if (typeCode === '130') {
        // A second one is refused by UBL-SR-04 (syntax-rules.ts).
        if (invoice.invoicedObjectId !== undefined) return false;
        this.sources['/invoicedObjectId'] = id.path;
        invoice.invoicedObjectId = id.text;
        this.emptyScheme(id, 'BR-CL-07');
        const scheme = xmlTrim(id.attr('schemeID') ?? '');
        if (scheme) {
          this.sources['/invoicedObjectScheme'] = id.path;
          invoice.invoicedObjectScheme = scheme;
        }
        return false;
      }
      if (typeCode === '50' && this.kind === KINDS.CreditNote) {
        // A second one is refused by PEPPOL-EN16931-R080 (syntax-rules.ts).
        if (invoice.projectReference !== undefined) return false;
        this.sources['/projectReference'] = id.path;
        invoice.projectReference = id.text;
        return false;
      }
      return true;
    });
    const list = refs.map((ref, k) => {
      const p = `/attachments/${k}`;
      this.sources[p] = ref.path;
      const item: NonNullable<Invoice['attachments']>[number] = {
        id: this.required(ref, 'cbc', 'ID', `${p}/id`, 'BR-52')?.text ?? '',
      };
      const description = this.text(ref, 'DocumentDescription', `${p}/description`);
      if (description) item.description = description;
      const attachment = this.only(ref, 'cac', 'Attachment');
      const binary = this.only(attachment, 'cbc', 'EmbeddedDocumentBinaryObject');
      if (binary) {
        const mimeCode = binary.attr('mimeCode');
        const filename = binary.attr('filename');
        for (const problem of embeddedDocumentProblems({ mimeCode, filename }))
          this.problem(binary.path, problem.message, problem.rule);
        if (mimeCode) item.mimeCode = mimeCode;
        if (filename) item.filename = filename;
        this.sources[`${p}/contentId`] = binary.path;
        this.embedded.push({ attachment: k, path: binary.path, base64: binary.text });
      }
      const uri = this.text(this.only(attachment, 'cac', 'ExternalReference'), 'URI', `${p}/externalUri`);
      if (uri) item.externalUri = uri;
      return item;
    });
    if (list.length) invoice.attachments = list;
  }

  private lines(root: XmlElement): InvoiceLine[] {
    const lines = root.all('cac', this.kind.line, true);
    if (lines.length === 0) this.problem(root.pathOf('cac', this.kind.line), 'at least one line is required', 'BR-16');
    // Where a rule on the lines as a whole points (BR-DE-CVD-03: no line is a clean vehicle's).
    this.sources['/lines'] = root.pathOf('cac', this.kind.line);
    return lines.map((line, i) => this.line(line, `/lines/${i}`));
  }

  private line(line: XmlElement, p: string): InvoiceLine {
    this.sources[p] = line.path;
    const quantityEl = this.required(line, 'cbc', this.kind.quantity, `${p}/quantity`, 'BR-22');
    const item = this.required(line, 'cac', 'Item', `${p}/description`);
    const price = this.required(line, 'cac', 'Price', `${p}/unitPriceMinor`);
    const priceAmount = price && this.required(price, 'cbc', 'PriceAmount', `${p}/unitPriceMinor`, 'BR-26');
    const unitPrice = priceAmount ? this.price(priceAmount, `${p}/unitPriceMinor`, 'BR-27') : { minor: 0 };
    const tax = item && this.required(item, 'cac', 'ClassifiedTaxCategory', `${p}/taxCategory`, 'BR-CO-04');
    const itemName = this.only(item, 'cbc', 'Name');
    const nameEl = item && (itemName?.text ? itemName : item.one('cbc', 'Description'));
    if (item && !nameEl?.text) this.problem(item.pathOf('cbc', 'Name'), 'is required', 'BR-25');
    const result: InvoiceLine = {
      id: this.required(line, 'cbc', 'ID', `${p}/id`, 'BR-21')?.text ?? '',
      description: nameEl?.text ?? '',
      quantity: this.quantity(quantityEl, `${p}/quantity`) ?? 0,
      unitPriceMinor: unitPrice.minor,
      lineTotalMinor: this.amount(line, 'LineExtensionAmount', `${p}/lineTotalMinor`, {
        required: 'BR-24',
        decimals: 'BR-DEC-23',
      }),
    };
    if (nameEl) this.sources[`${p}/description`] = nameEl.path;
    // BT-154 beside the name; a description read as the name (there is none, BR-25) is only that.
    const descriptionEl = itemName?.text ? item?.one('cbc', 'Description') : undefined;
    if (descriptionEl?.text) {
      this.sources[`${p}/itemDescription`] = descriptionEl.path;
      result.itemDescription = descriptionEl.text;
    }
    if (unitPrice.exact) result.unitPrice = unitPrice.exact;
    const unitCode = quantityEl?.attr('unitCode');
    if (quantityEl && unitCode === undefined)
      this.problem(quantityEl.path, 'needs its unit of measure (unitCode, BT-130)', 'BR-23');
    // An empty unitCode is kept, for BR-CL-23 to refuse (the schematron's context is any stated unitCode); dropped, our
    // writer would put C62 in its place.
    if (unitCode !== undefined) {
      this.sources[`${p}/unitCode`] = quantityEl!.path;
      result.unitCode = unitCode;
    }
    if (tax) {
      const cat = category(this, tax, `${p}/taxCategory`, 'BR-CO-04');
      if (cat) result.taxCategory = cat;
      const rate = this.percent(this.only(tax, 'cbc', 'Percent'), `${p}/taxRateBasisPoints`);
      if (rate !== undefined) result.taxRateBasisPoints = rate;
    }
    const baseEl = this.only(price, 'cbc', 'BaseQuantity');
    const base = this.quantity(baseEl, `${p}/priceBaseQuantity`, { positive: true });
    if (base !== undefined) result.priceBaseQuantity = base;
    // BT-150 only as stated: absent, it is the line's unit (which Peppol's R130, not checked here, also asks for).
    const baseUnit = base !== undefined ? baseEl?.attr('unitCode') : undefined;
    if (baseUnit !== undefined) {
      this.sources[`${p}/priceBaseUnitCode`] = baseEl!.path;
      result.priceBaseUnitCode = baseUnit;
    }
    const discount = price?.one('cac', 'AllowanceCharge');
    if (discount) {
      // The item price discount (BT-147): EN 16931 has no charge at price level, and reading one as a discount would
      // turn a price increase into a reduction. Peppol asks for `false` as written (R044).
      const indicator = discount.one('cbc', 'ChargeIndicator');
      const allowance = indicator?.text === 'false' || (!this.peppol && indicator?.text === '0');
      if (!allowance)
        this.problem(
          indicator?.path ?? discount.pathOf('cbc', 'ChargeIndicator'),
          'a price-level allowance or charge must be an allowance (false): EN 16931 has a price discount, no price charge',
          this.peppol ? 'PEPPOL-EN16931-R044' : undefined,
        );
      // Prices, not amounts: as many decimals as the net price may have (e.g. 0.1234 - 0.0022 = 0.1212).
      const amountEl = discount.one('cbc', 'Amount');
      const grossEl = this.only(discount, 'cbc', 'BaseAmount');
      if (amountEl?.text) {
        const amount = this.price(amountEl, `${p}/priceDiscountMinor`);
        result.priceDiscountMinor = amount.minor;
        if (amount.exact) result.priceDiscount = amount.exact;
      }
      if (grossEl?.text) {
        const gross = this.price(grossEl, `${p}/grossPriceMinor`, 'BR-28');
        result.grossPriceMinor = gross.minor;
        if (gross.exact) result.grossPrice = gross.exact;
      }
    }
    const acs = line
      .all('cac', 'AllowanceCharge', true)
      .map((el, j) => this.allowanceCharge(el, `${p}/allowanceCharges/${j}`, false));
    if (acs.length) result.allowanceCharges = acs as NonNullable<InvoiceLine['allowanceCharges']>;
    const period = line.one('cac', 'InvoicePeriod');
    if (period) result.period = this.period(period, `${p}/period`);
    const orderLine = this.text(holding(line, 'OrderLineReference', 'LineID'), 'LineID', `${p}/orderLineReference`);
    if (orderLine) result.orderLineReference = orderLine;
    const note = this.text(line, 'Note', `${p}/note`);
    if (note) result.note = note;
    if (item) this.item(item, p, result);
    const accounting = this.text(line, 'AccountingCost', `${p}/buyerAccountingReference`);
    if (accounting) result.buyerAccountingReference = accounting;
    // BT-128: the only document reference of a line in EN 16931 (Peppol states its type code 130).
    const objectId = line.one('cac', 'DocumentReference')?.one('cbc', 'ID');
    if (objectId?.text) {
      this.sources[`${p}/objectId`] = objectId.path;
      result.objectId = objectId.text;
      this.emptyScheme(objectId, 'BR-CL-07');
      const scheme = xmlTrim(objectId.attr('schemeID') ?? '');
      if (scheme) {
        this.sources[`${p}/objectScheme`] = objectId.path;
        result.objectScheme = scheme;
      }
    }
    return result;
  }

  /** The item's identifiers (BT-155..157), country of origin (BT-159), classifications (BT-158), attributes (BG-32). */
  private item(item: XmlElement, p: string, result: InvoiceLine): void {
    const ids = [
      ['SellersItemIdentification', 'sellerItemId'],
      ['BuyersItemIdentification', 'buyerItemId'],
      ['StandardItemIdentification', 'standardItemId'],
    ] as const;
    for (const [element, field] of ids) {
      const id = this.text(item.one('cac', element), 'ID', `${p}/${field}`);
      if (id) result[field] = id;
    }
    const standard = item.one('cac', 'StandardItemIdentification')?.one('cbc', 'ID');
    if (standard?.text) this.sources[`${p}/standardItemScheme`] = standard.path;
    const scheme = standard?.text ? xmlTrim(standard.attr('schemeID') ?? '') : '';
    if (scheme) result.standardItemScheme = scheme;
    const origin = this.text(item.one('cac', 'OriginCountry'), 'IdentificationCode', `${p}/originCountry`);
    if (origin) result.originCountry = origin;
    const codes = item
      .all('cac', 'CommodityClassification', true)
      .map((c) => c.one('cbc', 'ItemClassificationCode'))
      .filter((code) => code?.text);
    const classifications = codes.map((code, k) => {
      this.sources[`${p}/classifications/${k}`] = code!.path;
      this.sources[`${p}/classifications/${k}/code`] = code!.path;
      const listId = xmlTrim(code!.attr('listID') ?? '');
      const listVersionId = xmlTrim(code!.attr('listVersionID') ?? '');
      return { code: code!.text, ...(listId ? { listId } : {}), ...(listVersionId ? { listVersionId } : {}) };
    });
    if (classifications.length) result.classifications = classifications;
    const attributes = item.all('cac', 'AdditionalItemProperty', true).map((property, k) => {
      const q = `${p}/attributes/${k}`;
      this.sources[q] = property.path;
      return {
        name: this.required(property, 'cbc', 'Name', `${q}/name`, 'BR-54')?.text ?? '',
        value: this.required(property, 'cbc', 'Value', `${q}/value`, 'BR-54')?.text ?? '',
      };
    });
    if (attributes.length) result.attributes = attributes;
  }
}

/** The XML element a canonical pointer came from (its nearest mapped ancestor), or the pointer itself. */
export function sourceOf(sources: Record<string, string>, pointer: string): string {
  for (let p = pointer; p; p = p.slice(0, p.lastIndexOf('/'))) if (Object.hasOwn(sources, p)) return sources[p]!;
  return pointer;
}
