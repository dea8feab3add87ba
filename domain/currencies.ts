/**
 * ISO 4217 currency codes in use, as the runtime's ICU data knows them (162 on Node 20: no withdrawn codes such as
 * DEM, no test or no-currency codes such as XTS and XXX). A made-up code passed `^[A-Z]{3}$` and, among other things,
 * put each invoice in a daily approval sum of its own.
 */
const CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** True for an active ISO 4217 alphabetic code (EN 16931 BR-CL-04, BR-CL-05). */
export function isIsoCurrency(code: string): boolean {
  return CODES.has(code);
}
