/** Order arithmetic in integer minor units. */
import type { Order } from '../contracts';

/** An order's amounts in minor units. */
export interface OrderTotals {
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** Subtotal, tax (rounded half up per order) and total; throws when an amount leaves the safe integer range. */
export function orderTotals(order: Pick<Order, 'lines' | 'taxRateBasisPoints'>): OrderTotals {
  let subtotal = 0;
  for (const line of order.lines) subtotal += line.quantity * line.unitPriceMinor;
  const tax = Math.floor((subtotal * (order.taxRateBasisPoints ?? 0) + 5000) / 10_000);
  const total = subtotal + tax;
  if (!Number.isSafeInteger(total)) throw new RangeError('order total is too large');
  return { subtotalMinor: subtotal, taxMinor: tax, totalMinor: total };
}
