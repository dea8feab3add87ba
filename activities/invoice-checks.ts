/**
 * Arithmetic checks of a canonical invoice beyond its schema: line totals, sums, dates. Returns field errors with
 * JSON pointers, empty when the invoice adds up.
 */
import type { Invoice } from '../contracts';

/** One failed check. */
export interface InvoiceFieldError {
  pointer: string;
  message: string;
}

/** quantity × unit price in minor units, rounded half up; quantities have at most three decimals. */
export function lineTotal(quantity: number, unitPriceMinor: number): number {
  const milli = Math.round(quantity * 1000);
  return Math.floor((milli * unitPriceMinor + 500) / 1000);
}

/** Checks that lines, sums and dates agree. */
export function checkInvoiceArithmetic(invoice: Invoice): InvoiceFieldError[] {
  const errors: InvoiceFieldError[] = [];
  let net = 0;
  let tax = 0;
  const ids = new Set<string>();
  invoice.lines.forEach((line, i) => {
    if (ids.has(line.id)) errors.push({ pointer: `/lines/${i}/id`, message: `line id ${line.id} appears twice` });
    ids.add(line.id);
    const expected = lineTotal(line.quantity, line.unitPriceMinor);
    if (line.lineTotalMinor !== expected) {
      errors.push({ pointer: `/lines/${i}/lineTotalMinor`, message: `must be ${expected} (quantity × unit price)` });
    }
    net += line.lineTotalMinor;
    tax += (line.lineTotalMinor * line.taxRateBasisPoints) / 10_000;
  });
  if (invoice.taxExclusiveMinor !== net) {
    errors.push({ pointer: '/taxExclusiveMinor', message: `must be ${net} (the sum of the line totals)` });
  }
  // Tax may be rounded per line or per rate: allow one minor unit per line of difference.
  if (Math.abs(invoice.taxTotalMinor - tax) > invoice.lines.length) {
    errors.push({ pointer: '/taxTotalMinor', message: `must be about ${Math.round(tax)} (the lines' tax)` });
  }
  if (invoice.payableMinor !== invoice.taxExclusiveMinor + invoice.taxTotalMinor) {
    errors.push({ pointer: '/payableMinor', message: 'must be taxExclusiveMinor + taxTotalMinor' });
  }
  if (invoice.dueDate && invoice.dueDate < invoice.issueDate) {
    errors.push({ pointer: '/dueDate', message: 'must not be before issueDate' });
  }
  return errors;
}
