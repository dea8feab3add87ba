/** Exact decimal strings to integer minor units: the text is parsed digit by digit, never through a float. */

// ISO 4217 minor-unit exponents that differ from 2.
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

/** Number of minor-unit digits of a currency (2 unless ISO 4217 says otherwise). */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

const DECIMAL = /^(\d{1,15})(?:\.(\d{1,20}))?$/;

/** Converts "1234.50" to 123450 for a 2-digit currency; an error message when it is not an exact amount. */
export function decimalToMinor(text: string, exponent: number): { value: number } | { error: string } {
  const match = DECIMAL.exec(text.trim());
  if (!match) return { error: `"${text}" is not a non-negative decimal amount such as 1234.50` };
  const [, whole, fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent)
    return { error: `"${text}" has more than ${exponent} decimals, which the currency does not allow` };
  const value = Number(BigInt(whole!) * 10n ** BigInt(exponent) + BigInt(significant.padEnd(exponent, '0') || '0'));
  if (!Number.isSafeInteger(value)) return { error: `"${text}" is too large` };
  return { value };
}

/** Parses a decimal with at most `maxDecimals` digits after the point into a number scaled by 10^scale. */
export function decimalScaled(text: string, scale: number): { value: number } | { error: string } {
  const match = DECIMAL.exec(text.trim());
  if (!match) return { error: `"${text}" is not a non-negative decimal number` };
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > scale) return { error: `"${text}" has more than ${scale} decimals` };
  return { value: Number(BigInt(match[1]!) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0') || '0')) };
}
