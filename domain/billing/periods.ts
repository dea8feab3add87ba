/**
 * Billing period arithmetic on calendar dates (`YYYY-MM-DD`, UTC). Pure: the workflows use it too.
 * A period starts on the anchor's day of month; months without that day start on their last day, and the next
 * month goes back to the anchor's day (31 Jan, 28/29 Feb, 31 Mar).
 */

/** Billing intervals a subscription can have. */
export type BillingInterval = 'monthly' | 'yearly';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** True in Gregorian leap years. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function parts(date: string): [number, number, number] {
  if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a calendar date YYYY-MM-DD`);
  const m = DATE.exec(date)!;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function format(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The UTC calendar date of an instant. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Start of the period `index` periods after the anchor (index 0 is the anchor itself). */
export function periodStart(anchor: string, interval: BillingInterval, index: number): string {
  const [y, m, d] = parts(anchor);
  const months = y * 12 + (m - 1) + index * (interval === 'yearly' ? 12 : 1);
  const year = Math.floor(months / 12);
  const month = (months % 12) + 1;
  return format(year, month, Math.min(d, daysInMonth(year, month)));
}

/** Start of the period after the one starting on `current` (which must be a period start of the anchor). */
export function nextPeriodStart(anchor: string, interval: BillingInterval, current: string): string {
  const [ay, am] = parts(anchor);
  const [cy, cm] = parts(current);
  const monthsFromAnchor = cy * 12 + cm - (ay * 12 + am);
  const step = interval === 'yearly' ? 12 : 1;
  if (monthsFromAnchor < 0 || monthsFromAnchor % step !== 0) {
    throw new RangeError(`${current} is not a ${interval} period start of anchor ${anchor}`);
  }
  return periodStart(anchor, interval, monthsFromAnchor / step + 1);
}

/** Last day of the period starting on `start` (the day before the next one starts). */
export function periodEnd(anchor: string, interval: BillingInterval, start: string): string {
  const next = nextPeriodStart(anchor, interval, start);
  const [y, m, d] = parts(next);
  if (d > 1) return format(y, m, d - 1);
  return m === 1 ? format(y - 1, 12, 31) : format(y, m - 1, daysInMonth(y, m - 1));
}
