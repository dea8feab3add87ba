/** Amounts in PDFs and mails are written with the currency's own decimals (ISO 4217), as they are charged. */
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../adapters/documents/invoice-pdf';

describe('formatMoney', () => {
  it('writes two decimals for most currencies, none for JPY, three for KWD', () => {
    expect(formatMoney(1250, 'EUR')).toBe('12.50 EUR');
    expect(formatMoney(-5, 'EUR')).toBe('-0.05 EUR');
    expect(formatMoney(4950, 'JPY')).toBe('4950 JPY');
    expect(formatMoney(4500, 'KWD')).toBe('4.500 KWD');
    expect(formatMoney(0, 'USD')).toBe('0.00 USD');
  });
});
