/**
 * The check digits of the identifiers Peppol's rules verify, each as its schematron function computes it (the name
 * in brackets). Pure; the callers check the form (digits only, the length) first.
 */

/** GS1's check digit of a GLN (u:gln): weights 3 and 1 from the right, the last digit makes the sum a multiple of 10. */
export function glnValid(digits: string): boolean {
  const body = digits.slice(0, -1).split('').reverse();
  const sum = body.reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return digits.length > 1 && (10 - (sum % 10)) % 10 === Number(digits.slice(-1));
}

/** A Norwegian organisation number's check digit (u:mod11): weights 2..7 from the right. */
export function mod11Valid(digits: string): boolean {
  const body = digits.slice(0, -1).split('').reverse();
  const sum = body.reduce((s, d, i) => s + Number(d) * ((i % 6) + 2), 0);
  return Number(digits) > 0 && (11 - (sum % 11)) % 11 === Number(digits.slice(-1));
}

/** Luhn's check digit of a Swedish organisation number, its tenth digit (u:checkSEOrgnr). */
export function swedishOrgnrValid(text: string): boolean {
  if (!/^\d+$/.test(text)) return false;
  const main = text.slice(0, 9);
  const check = text.slice(9, 10);
  let sum = 0;
  for (let pos = 1; pos <= main.length; pos++) {
    const d = Number(main[main.length - pos]);
    sum += pos % 2 === 1 ? ((d * 2) % 10) + Math.floor((d * 2) / 10) : d;
  }
  return check !== '' && (10 - (sum % 10)) % 10 === Number(check);
}

/** A Belgian enterprise number of ten digits (u:mod97-0208): the last two are 97 minus the first eight modulo 97. */
export function belgianEnterpriseValid(digits: string): boolean {
  return Number(digits.slice(8, 10)) === 97 - (Number(digits.slice(0, 8)) % 97);
}

/** An Australian Business Number of eleven digits (u:abn): the first digit less one, weighted, is a multiple of 89. */
export function abnValid(digits: string): boolean {
  const weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  const sum = weights.reduce((s, w, i) => s + (Number(digits[i]) - (i === 0 ? 1 : 0)) * w, 0);
  return sum % 89 === 0;
}
