/**
 * Peppol's fatal checks of identifiers by their ICD scheme (PEPPOL-EN16931-UBL.sch, "Validation of ICD",
 * PEPPOL-COMMON-R040 .. R043, R049, R050): an electronic address, party identifier or legal registration identifier
 * stated under scheme 0088 is a GLN with its GS1 check digit, under 0192 a Norwegian organisation number, and so on.
 * A typo in a GLN routes an invoice nowhere. Peppol's own rules: `checkInvoice` calls this only for an invoice that
 * claims Peppol BIS. The Italian checks of that group (R044 .. R047) are warnings and left out. Pure.
 */
import type { Invoice } from '../contracts/invoice';
import { abnValid, belgianEnterpriseValid, glnValid, mod11Valid, swedishOrgnrValid } from './check-digits';
import { normalizeSpace } from './xml-space';

/** One failed rule, pointing at the canonical field (the shape of `InvoiceProblem`, declared here to keep the
 * import one-way: invoice-checks calls this module). */
export interface IdentifierProblem {
  rule: string;
  pointer: string;
  message: string;
}

/**
 * Per scheme: the rule, whether the (white-space normalised) value is right, and what it must be. A Map, not an
 * object: a scheme is the sender's text, and `constructor` or `__proto__` must find nothing.
 */
const RULES: ReadonlyMap<string, { rule: string; valid(value: string, raw: string): boolean; what: string }> = new Map(
  Object.entries({
    '0088': {
      rule: 'PEPPOL-COMMON-R040',
      valid: (v) => /^[0-9]+$/.test(v) && glnValid(v),
      what: 'a GLN (scheme 0088) of digits with a valid GS1 check digit',
    },
    '0192': {
      rule: 'PEPPOL-COMMON-R041',
      valid: (v) => /^[0-9]{9}$/.test(v) && mod11Valid(v),
      what: 'a Norwegian organisation number (scheme 0192) of nine digits with a valid check digit',
    },
    '0184': {
      rule: 'PEPPOL-COMMON-R042',
      // As the schematron reads it, the value as written: DK and eight digits, or eight digits.
      valid: (_v, raw) => /^(DK)?[0-9]{8}$/.test(raw),
      what: 'a Danish CVR number (scheme 0184): eight digits, or DK and eight digits',
    },
    '0208': {
      rule: 'PEPPOL-COMMON-R043',
      valid: (v) => /^[0-9]{10}$/.test(v) && belgianEnterpriseValid(v),
      what: 'a Belgian enterprise number (scheme 0208) of ten digits with valid check digits',
    },
    '0007': {
      rule: 'PEPPOL-COMMON-R049',
      valid: (v) => /^[0-9]{10}$/.test(v) && swedishOrgnrValid(v),
      what: 'a Swedish organisation number (scheme 0007) of ten digits with a valid check digit',
    },
    '0151': {
      rule: 'PEPPOL-COMMON-R050',
      valid: (v) => /^[0-9]{11}$/.test(v) && abnValid(v),
      what: 'an Australian Business Number (scheme 0151) of eleven digits with valid check digits',
    },
  }),
);

/**
 * The rule an identifier under `scheme` breaks, with what it must be and the problem's message; undefined when it
 * breaks none. The scheme is matched as written, as the schematron's `@schemeID = '0088'` does.
 */
export function identifierRuleBroken(
  scheme: string,
  value: string,
): { rule: string; what: string; message: string } | undefined {
  const rule = RULES.get(scheme);
  if (!rule || rule.valid(normalizeSpace(value), value)) return undefined;
  return { rule: rule.rule, what: rule.what, message: `${JSON.stringify(value.slice(0, 40))} is not ${rule.what}` };
}

/** Every identifier of the invoice that its scheme's rule refuses. */
export function checkIdentifierRules(invoice: Invoice): IdentifierProblem[] {
  const problems: IdentifierProblem[] = [];
  const check = (scheme: string | undefined, value: string | undefined, pointer: string) => {
    const broken = scheme !== undefined && value !== undefined ? identifierRuleBroken(scheme, value) : undefined;
    if (broken) problems.push({ rule: broken.rule, pointer, message: broken.message });
  };
  for (const [p, party] of [
    ['/supplier', invoice.supplier],
    ['/customer', invoice.customer],
  ] as const) {
    check(party.endpointScheme, party.endpointId, `${p}/endpointId`);
    check(party.identifierScheme, party.identifier, `${p}/identifier`);
    check(party.legalRegistrationIdScheme, party.legalRegistrationId, `${p}/legalRegistrationId`);
  }
  const payee = invoice.payee;
  if (payee) {
    check(payee.identifierScheme, payee.identifier, '/payee/identifier');
    check(payee.legalRegistrationIdScheme, payee.legalRegistrationId, '/payee/legalRegistrationId');
  }
  return problems;
}
