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
  // BigInt throughout: subtotal x basis points passes 2^53 long before the total does, and a float product there
  // rounds the tax by a minor unit.
  let subtotal = 0n;
  for (const line of order.lines) subtotal += BigInt(line.quantity) * BigInt(line.unitPriceMinor);
  const tax = (subtotal * BigInt(order.taxRateBasisPoints ?? 0) + 5000n) / 10_000n;
  const total = subtotal + tax;
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('order total is too large');
  return { subtotalMinor: Number(subtotal), taxMinor: Number(tax), totalMinor: Number(total) };
}
