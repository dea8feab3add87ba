/**
 * Step names come from one list per workflow. The `@ts-expect-error` lines are checked by `tsc --noEmit`: a misspelt
 * step would otherwise fail only at run time ("unknown step").
 */
import { describe, expect, it } from 'vitest';
import { CREDIT_NOTE_STEPS } from '../../workflows/credit-note';
import { INVOICE_STEPS, type InvoiceStep } from '../../workflows/invoice';
import { ORDER_STEPS, type OrderStep } from '../../workflows/order';
import type { SubmissionTracker } from '../../workflows/submission-tracker';

/** Type-level only: never called. */
export function misspeltStepsDoNotCompile(
  order: SubmissionTracker<OrderStep>,
  invoice: SubmissionTracker<InvoiceStep>,
) {
  void order.step('charge', async () => undefined);
  // @ts-expect-error 'chrage' is not a step of an order
  void order.step('chrage', async () => undefined);
  invoice.skip('approval');
  // @ts-expect-error an order has no approval step
  order.skip('approval');
}

describe('step lists', () => {
  it('name each step once, and every submission workflow ends with the callback', () => {
    for (const steps of [ORDER_STEPS, INVOICE_STEPS, CREDIT_NOTE_STEPS]) {
      expect(new Set(steps).size).toBe(steps.length);
      expect(steps.at(-1)).toBe('callback');
    }
  });
});
