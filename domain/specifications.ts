/**
 * Which rules an invoice is held to, by the specification it claims (BT-24, `cbc:CustomizationID`). A validator
 * chooses its rule set the same way: every invoice answers to EN 16931 (the BR-* rules), and only one that claims
 * Peppol BIS Billing 3.0, or a specification built on it, answers to Peppol's own rules as well (the
 * PEPPOL-EN16931-R* rules and the national rules of Peppol's schematron); one that claims XRechnung 3 answers to
 * XRechnung's (the BR-DE-* rules of KoSIT's schematron). A plain EN 16931 invoice (`urn:cen.eu:en16931:2017`) is not
 * refused for a rule of a network or country it was not sent to. Pure, like the checks that use it.
 */

/** Peppol BIS Billing 3.0's own part of a specification identifier. */
export const PEPPOL_BILLING = 'urn:fdc:peppol.eu:2017:poacc:billing:3.0';

/** The identifier of Peppol BIS Billing 3.0: what an invoice without one is taken to claim, and what we write. */
export const PEPPOL_SPECIFICATION = `urn:cen.eu:en16931:2017#compliant#${PEPPOL_BILLING}`;

/** EN 16931 itself, with no specification built on it: what an invoice claims that Peppol could not carry. */
export const EN16931_SPECIFICATION = 'urn:cen.eu:en16931:2017';

/** The prefix of the rules that are Peppol's own rather than EN 16931's. */
const PEPPOL_RULE = 'PEPPOL-';

/**
 * Whether Peppol's rules apply: no identifier (a JSON invoice that names none is a Peppol BIS invoice, like the ones
 * we write), or one whose `#`-separated parts name Peppol BIS Billing 3.0 (`...#compliant#urn:fdc:peppol.eu:2017:
 * poacc:billing:3.0`, and any specification that states its conformance to it after another `#`).
 */
export function peppolRulesApply(specification: string | undefined): boolean {
  return specification === undefined || specification.split('#').includes(PEPPOL_BILLING);
}

/** The part of an XRechnung identifier that claims its extension (`...#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0`). */
const XRECHNUNG_EXTENSION = /^urn:xeinkauf\.de:kosit:extension:xrechnung_[0-9]+\.[0-9]+$/;

/**
 * Whether the invoice claims XRechnung's extension, whose third-party payments (BG-DEX-09) count in the amount due:
 * BR-DEX-09 takes the place of BR-CO-16 there.
 */
export function xrechnungExtension(specification: string | undefined): boolean {
  return specification !== undefined && specification.split('#').some((part) => XRECHNUNG_EXTENSION.test(part));
}

/** XRechnung 3's own part of a specification identifier: its CIUS, or its extension (`urn:xeinkauf.de:kosit:xrechnung_3.0`). */
const XRECHNUNG_3 = /^urn:xeinkauf\.de:kosit:(extension:)?xrechnung_3\.[0-9]+$/;

/** The part of an XRechnung identifier that claims its CVD, the clean vehicles directive (`urn:xeinkauf.de:kosit:xrechnung:cvd_0.9`). */
const XRECHNUNG_CVD = /^urn:xeinkauf\.de:kosit:xrechnung:cvd_[0-9]+\.[0-9]+$/;

/**
 * Whether XRechnung's rules apply (BR-DE-*, xrechnung-rules.ts): the identifier's `#`-separated parts claim XRechnung 3,
 * its CIUS (`urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0`) or its extension (`...#conformant#
 * urn:xeinkauf.de:kosit:extension:xrechnung_3.0`). An older version's, whose rules were other, is held to EN 16931 only.
 */
export function xrechnungRulesApply(specification: string | undefined): boolean {
  return specification !== undefined && specification.split('#').some((part) => XRECHNUNG_3.test(part));
}

/** Whether the invoice claims XRechnung's CVD, whose BR-DE-CVD-* rules then apply beside XRechnung's own. */
export function xrechnungCvd(specification: string | undefined): boolean {
  return xrechnungRulesApply(specification) && specification!.split('#').some((part) => XRECHNUNG_CVD.test(part));
}

/** Whether a rule id is one of Peppol's own (left out for an invoice that does not claim Peppol BIS). */
export function isPeppolRule(rule: string | undefined): boolean {
  return rule !== undefined && rule.startsWith(PEPPOL_RULE);
}
