/** Period arithmetic: month ends keep the anchor's day where a month has it, leap years, yearly anchors. */
import { describe, expect, it } from 'vitest';
import { isCalendarDate, nextPeriodStart, periodEnd, periodStart } from '../../domain/billing/periods';

describe('billing periods', () => {
  it('step monthly from the 31st through short months and back to the 31st', () => {
    const starts = [0, 1, 2, 3, 4].map((i) => periodStart('2027-01-31', 'monthly', i));
    expect(starts).toEqual(['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31']);
    // Chained from each period start, the anchor's day comes back (no drift to the 28th).
    let p = '2027-01-31';
    const chained = [p];
    for (let i = 0; i < 4; i++) chained.push((p = nextPeriodStart('2027-01-31', 'monthly', p)));
    expect(chained).toEqual(starts);
  });

  it('know leap years: 29 February in 2028 and 2000, not in 2100', () => {
    expect(periodStart('2028-01-30', 'monthly', 1)).toBe('2028-02-29');
    expect(periodStart('2027-01-30', 'monthly', 1)).toBe('2027-02-28');
    expect(periodStart('2000-01-31', 'monthly', 1)).toBe('2000-02-29');
    expect(periodStart('2100-01-31', 'monthly', 1)).toBe('2100-02-28');
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2027-13-01')).toBe(false);
  });

  it('step yearly from 29 February: 28 February in common years, 29 again in leap years', () => {
    expect([1, 2, 3, 4].map((i) => periodStart('2028-02-29', 'yearly', i))).toEqual([
      '2029-02-28',
      '2030-02-28',
      '2031-02-28',
      '2032-02-29',
    ]);
    expect(nextPeriodStart('2028-02-29', 'yearly', '2031-02-28')).toBe('2032-02-29');
  });

  it('cross the year end and end a period the day before the next starts', () => {
    expect(nextPeriodStart('2026-12-15', 'monthly', '2026-12-15')).toBe('2027-01-15');
    expect(periodEnd('2026-12-15', 'monthly', '2026-12-15')).toBe('2027-01-14');
    expect(periodEnd('2027-01-31', 'monthly', '2027-01-31')).toBe('2027-02-27');
    expect(periodEnd('2026-12-01', 'monthly', '2026-12-01')).toBe('2026-12-31');
    expect(periodEnd('2027-02-01', 'monthly', '2027-02-01')).toBe('2027-02-28');
  });

  it('refuse a date that is not a period start of the anchor', () => {
    expect(() => nextPeriodStart('2027-01-31', 'yearly', '2027-06-30')).toThrow(/not a yearly period start/);
    expect(() => nextPeriodStart('2027-03-01', 'monthly', '2027-02-01')).toThrow(RangeError);
    expect(() => periodStart('2027-02-30', 'monthly', 1)).toThrow(/not a calendar date/);
  });
});
