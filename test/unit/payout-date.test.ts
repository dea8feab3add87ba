/** When an invoice's payout falls due, including at the far end of what an ISO date can say. */
import { describe, expect, it } from 'vitest';
import { addDays, payoutDueDate } from '../../domain/payout-date';

describe('payoutDueDate', () => {
  it('is the due date, or the issue date plus the term, and never before today', () => {
    expect(payoutDueDate({ issueDate: '2026-11-02', dueDate: '2026-12-24' }, '2026-11-22', 30)).toBe('2026-12-24');
    expect(payoutDueDate({ issueDate: '2026-11-02' }, '2026-11-22', 30)).toBe('2026-12-02');
    expect(payoutDueDate({ issueDate: '2026-01-02' }, '2026-11-22', 30)).toBe('2026-11-22');
  });

  it('does not pay at once an invoice whose term runs past the year 9999', () => {
    // Date wrote +010000-01-14 for it, which sorts before today: the payout was scheduled for today.
    expect(payoutDueDate({ issueDate: '9999-12-15' }, '2026-11-22', 30)).toBe('9999-12-31');
    expect(addDays('9999-12-31', 1)).toBe('9999-12-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
});
