/**
 * EN 16931's code list rules on the canonical invoice (BR-CL-01, -06, -07, -08, -10, -11, -16, -19 .. -23, -25, -26;
 * countries, currencies and mime codes are checked where their fields are): a coded value that is on no list is
 * refused, naming the rule and the field, whichever specification the invoice claims, in JSON as in UBL. Not BR-CL-13:
 * XRechnung extends the item classification lists of UNTDID 7143 (its CVD test case classifies by `CVD`), and a
 * classification is only carried, never acted on. A partner's
 * ERP sends codes; a made-up one (a unit `PIECES`, an endpoint scheme `GLN`, payment means `99`) would reach the buyer's
 * validator, and our own writer would pass it on. Pure, like `checkInvoice`, which calls it.
 */
import type { Invoice } from '../contracts/invoice';
import { inCodeList, normalizedCode, type CodeList } from './code-lists';

/** One failed rule, pointing at the canonical field (the shape of `InvoiceProblem`, declared here to keep the
 * import one-way: invoice-checks calls this module). */
export interface CodeProblem {
  rule: string;
  pointer: string;
  message: string;
}

/** What each list is, for the message. */
const NAMES: Record<CodeList, string> = {
  invoiceType: "an invoice's type code of UNTDID 1001",
  creditNoteType: "a credit note's type code of UNTDID 1001",
  vatPointDate: 'a VAT point date code of UNTDID 2005 (3, 35 or 432)',
  objectScheme: 'a scheme of UNTDID 1153',
  noteSubject: 'a subject code of UNTDID 4451',
  icd: 'a scheme of the ISO 6523 ICD list (e.g. 0088 GLN, 0106 KVK)',
  paymentMeans: 'a payment means code of UNTDID 4461 (e.g. 30, 58)',
  allowanceReason: "an allowance's reason code of UNTDID 5189 (e.g. 95)",
  chargeReason: "a charge's reason code of UNTDID 7161 (e.g. FC)",
  vatex: 'a VAT exemption reason code of the VATEX list (e.g. VATEX-EU-132)',
  unit: 'a unit of UN/ECE Recommendations 20 and 21 (e.g. C62, HUR, KGM)',
  eas: 'an electronic address scheme of the EAS list (e.g. 0088, 0192, 9930)',
};

/** BR-CL-10: a party identifier's scheme is an ISO 6523 ICD, or SEPA (a creditor id) for the seller and the payee. */
export function partyIdentifierSchemeAllowed(scheme: string, sepaAllowed: boolean): boolean {
  return inCodeList('icd', scheme) || (sepaAllowed && normalizedCode(scheme) === 'SEPA');
}

/** Every code of the invoice that is on none of its lists. */
export function checkCodes(invoice: Invoice): CodeProblem[] {
  const problems: CodeProblem[] = [];
  const check = (list: CodeList, code: string | undefined, rule: string, pointer: string, compared = code) => {
    if (code !== undefined && !inCodeList(list, compared ?? code))
      problems.push({ rule, pointer, message: `${JSON.stringify(code.slice(0, 40))} is not ${NAMES[list]}` });
  };
  const credit = invoice.documentType === 'credit_note';
  check(credit ? 'creditNoteType' : 'invoiceType', invoice.typeCode, 'BR-CL-01', '/typeCode');
  check('vatPointDate', invoice.invoicePeriod?.descriptionCode, 'BR-CL-06', '/invoicePeriod/descriptionCode');
  check('objectScheme', invoice.invoicedObjectScheme, 'BR-CL-07', '/invoicedObjectScheme');
  invoice.notes?.forEach((note, i) => {
    check('noteSubject', note.subjectCode, 'BR-CL-08', `/notes/${i}/subjectCode`);
    // The schematron reads a subject code in any note, as written: the three characters between its first two `#`
    // (`#abc#text`, `order #123# of May`). Such a note without a code of ours is written back as it came, so a
    // validator would refuse it; three characters with white space in them it may take, and so do we.
    const between = note.text.split('#');
    const code = between.length > 2 ? between[1]! : undefined;
    if (note.subjectCode === undefined && code?.length === 3 && !/\s/.test(code))
      check('noteSubject', code, 'BR-CL-08', `/notes/${i}/text`);
  });

  // Parties: identifier (BR-CL-10; SEPA, a creditor id, only for the seller and the payee), legal registration
  // (BR-CL-11), electronic address (BR-CL-25).
  const parties = [
    ['/supplier', invoice.supplier, true],
    ['/customer', invoice.customer, false],
    ['/payee', invoice.payee, true],
  ] as const;
  for (const [p, party, sepa] of parties) {
    if (!party) continue;
    const scheme = party.identifierScheme;
    if (scheme !== undefined && !partyIdentifierSchemeAllowed(scheme, sepa))
      check('icd', scheme, 'BR-CL-10', `${p}/identifierScheme`);
    check('icd', party.legalRegistrationIdScheme, 'BR-CL-11', `${p}/legalRegistrationIdScheme`);
    if ('endpointScheme' in party) check('eas', party.endpointScheme, 'BR-CL-25', `${p}/endpointScheme`);
  }
  check('icd', invoice.delivery?.locationScheme, 'BR-CL-26', '/delivery/locationScheme');
  check('paymentMeans', invoice.payment?.meansCode, 'BR-CL-16', '/payment/meansCode');

  const reasons = (charges: readonly { charge: boolean; reasonCode?: string }[] | undefined, p: string): void =>
    charges?.forEach((ac, j) =>
      ac.charge
        ? check('chargeReason', ac.reasonCode, 'BR-CL-20', `${p}/${j}/reasonCode`)
        : check('allowanceReason', ac.reasonCode, 'BR-CL-19', `${p}/${j}/reasonCode`),
    );
  reasons(invoice.allowanceCharges, '/allowanceCharges');
  invoice.taxBreakdown?.forEach((group, k) => {
    const code = group.exemptionReasonCode;
    // The schematron compares it upper-cased: vatex-eu-132 is VATEX-EU-132.
    check('vatex', code, 'BR-CL-22', `/taxBreakdown/${k}/exemptionReasonCode`, code?.toUpperCase());
  });
  invoice.lines.forEach((line, i) => {
    const p = `/lines/${i}`;
    check('unit', line.unitCode, 'BR-CL-23', `${p}/unitCode`);
    check('unit', line.priceBaseUnitCode, 'BR-CL-23', `${p}/priceBaseUnitCode`);
    check('objectScheme', line.objectScheme, 'BR-CL-07', `${p}/objectScheme`);
    check('icd', line.standardItemScheme, 'BR-CL-21', `${p}/standardItemScheme`);
    reasons(line.allowanceCharges, `${p}/allowanceCharges`);
  });
  return problems;
}
