/** Exact decimal strings to integer minor units: the text is parsed digit by digit, never through a float. */
import { xmlTrim } from '../xml-space';

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

const DECIMAL = /^([+-]?)(\d{1,15})(?:\.(\d{1,20}))?$/;

/** An exact decimal: `units / 10^scale`. */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

/** Text as quoted in a message: at most 40 characters of what the partner sent, so a refusal never echoes a body. */
export function quoted(text: string): string {
  return text.length > 40 ? `"${text.slice(0, 40)}..."` : `"${text}"`;
}

/** Parses a decimal string such as "-12.3400" exactly (no exponent notation); undefined when it is not one. */
export function parseDecimal(text: string): ExactDecimal | undefined {
  const match = DECIMAL.exec(xmlTrim(text));
  if (!match) return undefined;
  const [, sign, whole, fraction = ''] = match;
  const digits = fraction.replace(/0+$/, '');
  const units = BigInt(whole! + digits);
  return { units: sign === '-' ? -units : units, scale: digits.length };
}

/** Converts "1234.50" to 123450 for a 2-digit currency; an error message when it is not an exact amount. */
export function decimalToMinor(
  text: string,
  exponent: number,
  { signed = false }: { signed?: boolean } = {},
): { value: number } | { error: string } {
  const parsed = parseDecimal(text);
  if (!parsed || (!signed && parsed.units < 0n))
    return { error: `${quoted(text)} is not a ${signed ? '' : 'non-negative '}decimal amount such as 1234.50` };
  if (parsed.scale > exponent)
    return { error: `${quoted(text)} has more than ${exponent} decimals, which the currency does not allow` };
  const value = Number(parsed.units * 10n ** BigInt(exponent - parsed.scale));
  if (!Number.isSafeInteger(value)) return { error: `${quoted(text)} is too large` };
  return { value };
}

/** Parses a decimal with at most `scale` digits after the point into an integer scaled by 10^scale. */
export function decimalScaled(
  text: string,
  scale: number,
  { signed = false }: { signed?: boolean } = {},
): { value: number } | { error: string } {
  const parsed = parseDecimal(text);
  if (!parsed || (!signed && parsed.units < 0n)) return { error: `${quoted(text)} is not a decimal number` };
  if (parsed.scale > scale) return { error: `${quoted(text)} has more than ${scale} decimals` };
  return { value: Number(parsed.units * 10n ** BigInt(scale - parsed.scale)) };
}

/** A JSON number (at most 15 significant digits) as an exact decimal, through its shortest text form. */
export function numberToDecimal(n: number): ExactDecimal {
  const text = Number.isInteger(n) ? n.toFixed(0) : String(n).includes('e') ? n.toFixed(12) : String(n);
  return parseDecimal(text) ?? { units: 0n, scale: 0 };
}

/** Minor units as the decimal text of the currency, e.g. 123450 with exponent 2 is "1234.50" (any integer scaled). */
export function minorToDecimal(minor: number | bigint, exponent: number): string {
  const negative = minor < 0;
  const digits = String(negative ? -minor : minor).padStart(exponent + 1, '0');
  const text = exponent ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits;
  return negative ? `-${text}` : text;
}

/** numerator / denominator rounded half away from zero (the commercial rounding EN 16931 uses); denominator > 0. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = ((negative ? -numerator : numerator) * 2n + denominator) / (denominator * 2n);
  return negative ? -magnitude : magnitude;
}
