/**
 * The rules an order must meet beyond its schema, run where it is accepted (the order route and batch lines: a 422
 * that changes nothing) and again by the workflow's validate step on what was stored.
 */
import type { Order } from '../contracts';
import { isIsoCurrency } from './currencies';
import { orderTotals } from './order-totals';

/** One broken rule: the JSON pointer into the order and what is wrong. */
export interface OrderProblem {
  pointer: string;
  message: string;
}

/** Every rule the order breaks; empty when it can be processed. */
export function checkOrder(order: Pick<Order, 'currency' | 'lines' | 'taxRateBasisPoints'>): OrderProblem[] {
  const problems: OrderProblem[] = [];
  if (!isIsoCurrency(order.currency))
    problems.push({ pointer: '/currency', message: `${order.currency} is not an ISO 4217 currency code` });
  const skus = new Set<string>();
  for (const [i, line] of order.lines.entries()) {
    if (skus.has(line.sku)) problems.push({ pointer: `/lines/${i}/sku`, message: `${line.sku} appears twice` });
    skus.add(line.sku);
  }
  try {
    orderTotals(order);
  } catch (err) {
    problems.push({ pointer: '/lines', message: (err as Error).message });
  }
  return problems;
}
