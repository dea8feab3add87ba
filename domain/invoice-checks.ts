/**
 * Business checks of a canonical invoice beyond its schema: every amount must follow from the lines, in integer
 * minor units. Pure, so the API (at intake) and the invoice workflow's validate activity give the same answer.
 */
import type { Invoice } from '../contracts';

/** One failed check, pointing at the canonical field (JSON pointer). */
export interface InvoiceProblem {
  pointer: string;
  message: string;
}

/** Divides by a positive divisor rounding half up, exactly (BigInt keeps large products exact). */
function divideHalfUp(numerator: bigint, divisor: bigint): bigint {
  return (numerator * 2n + divisor) / (divisor * 2n);
}

/** quantity × unit price, rounded half up to minor units; quantity has at most three decimals. */
export function lineTotal(quantity: number, unitPriceMinor: number): number {
  const thousandths = BigInt(Math.round(quantity * 1000));
  return Number(divideHalfUp(thousandths * BigInt(unitPriceMinor), 1000n));
}

/** Tax on an amount at a rate in basis points, rounded half up. */
function tax(amountMinor: number, basisPoints: number): bigint {
  return divideHalfUp(BigInt(amountMinor) * BigInt(basisPoints), 10_000n);
}

/** Every inconsistency in the invoice's amounts and dates; empty when it adds up. */
export function checkInvoice(invoice: Invoice): InvoiceProblem[] {
  const problems: InvoiceProblem[] = [];
  const ids = new Map<string, number>();
  let sum = 0;
  const byRate = new Map<number, number>();
  let lineRoundedTax = 0n;

  invoice.lines.forEach((line, i) => {
    const expected = lineTotal(line.quantity, line.unitPriceMinor);
    if (line.lineTotalMinor !== expected) {
      problems.push({
        pointer: `/lines/${i}/lineTotalMinor`,
        message: `is ${line.lineTotalMinor} but quantity ${line.quantity} × unit price ${line.unitPriceMinor} is ${expected}`,
      });
    }
    const first = ids.get(line.id);
    if (first !== undefined)
      problems.push({
        pointer: `/lines/${i}/id`,
        message: `line id ${line.id} is used twice (also line ${first + 1})`,
      });
    else ids.set(line.id, i);
    sum += line.lineTotalMinor;
    byRate.set(line.taxRateBasisPoints, (byRate.get(line.taxRateBasisPoints) ?? 0) + line.lineTotalMinor);
    lineRoundedTax += tax(line.lineTotalMinor, line.taxRateBasisPoints);
  });

  if (invoice.taxExclusiveMinor !== sum) {
    problems.push({
      pointer: '/taxExclusiveMinor',
      message: `is ${invoice.taxExclusiveMinor} but the line totals add up to ${sum}`,
    });
  }
  // Tax is computed per rate (EN 16931); some senders round per line, which we accept too.
  let groupTax = 0n;
  for (const [rate, amount] of byRate) groupTax += tax(amount, rate);
  const taxTotal = BigInt(invoice.taxTotalMinor);
  if (taxTotal !== groupTax && taxTotal !== lineRoundedTax) {
    problems.push({
      pointer: '/taxTotalMinor',
      message: `is ${invoice.taxTotalMinor} but the tax of the lines by rate is ${groupTax}`,
    });
  }
  const payable = invoice.taxExclusiveMinor + invoice.taxTotalMinor;
  if (invoice.payableMinor !== payable) {
    problems.push({
      pointer: '/payableMinor',
      message: `is ${invoice.payableMinor} but tax-exclusive amount + tax is ${payable}`,
    });
  }
  if (invoice.dueDate && invoice.dueDate < invoice.issueDate) {
    problems.push({ pointer: '/dueDate', message: `${invoice.dueDate} is before the issue date ${invoice.issueDate}` });
  }
  if (invoice.supplier.vatId && invoice.customer.vatId && invoice.supplier.vatId === invoice.customer.vatId) {
    problems.push({ pointer: '/customer/vatId', message: 'supplier and customer have the same VAT id' });
  }
  return problems;
}
