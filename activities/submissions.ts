/** Bookkeeping activities on the submissions queue: validating and persisting payloads, storing workflow state. */
import type pg from 'pg';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { OrderSchema, type Order } from '../contracts/order';
import { isFinalStatus, type SubmissionState } from '../contracts';
import { insertOrderOnce } from '../db/orders';
import { getSubmissionWithPayload, saveSubmissionState } from '../db/submissions';
import { checkOrder } from '../domain/order-checks';
import { orderTotals } from '../domain/order-totals';
import { permanent } from './errors';
import { createInvoiceIntakeActivities } from './invoice-intake';

/** The order schema compiled once: every order is checked twice (validate, persist), interpreting it costs more. */
const orderValidator = Compile(OrderSchema);

/** Dependencies of the submission activities. */
export interface SubmissionActivityDeps {
  pool: pg.Pool;
}

/** Builds the submission activities. */
export function createSubmissionActivities({ pool }: SubmissionActivityDeps) {
  async function loadOrder(submissionId: string): Promise<{ order: Order; partnerId: string }> {
    const row = await getSubmissionWithPayload(pool, submissionId);
    if (!row || row.type !== 'order') throw permanent('NotFound', `order submission ${submissionId} does not exist`);
    const payload = row.payload;
    if (!orderValidator.Check(payload)) {
      const first = [...Value.Errors(OrderSchema, payload)][0];
      throw permanent('ValidationError', `stored order is invalid at ${first?.instancePath || '/'}: ${first?.message}`);
    }
    return { order: payload, partnerId: row.partnerId };
  }

  return {
    ...createInvoiceIntakeActivities({ pool }),

    /** Checks an order beyond its schema and returns what the workflow needs to know of it. */
    async validateOrder({ submissionId }: { submissionId: string }) {
      const { order } = await loadOrder(submissionId);
      // The intake refuses such orders; this catches what was stored before it did.
      const [problem] = checkOrder(order);
      if (problem) throw permanent('ValidationError', `${problem.pointer.slice(1)}: ${problem.message}`);
      const totals = orderTotals(order);
      return {
        orderNumber: order.orderNumber,
        currency: order.currency,
        totalMinor: totals.totalMinor,
        lineCount: order.lines.length,
        paymentMethod: order.payment.method,
      };
    },

    /** Writes the order into the `orders` table (once). */
    async persistOrder({ submissionId }: { submissionId: string }) {
      const { order, partnerId } = await loadOrder(submissionId);
      await insertOrderOnce(pool, {
        submissionId,
        partnerId,
        orderNumber: order.orderNumber,
        currency: order.currency,
        customerName: order.customer.name,
        customerEmail: order.customer.email,
        totals: orderTotals(order),
        lines: order.lines,
      });
      return { persisted: true };
    },

    /**
     * Stores the workflow's state so status survives the run. `alreadyFinal` names the stored final status when a
     * run tries to reopen a closed submission: that run must stop.
     */
    async recordSubmissionState({ state }: { state: SubmissionState }) {
      const { previousStatus } = await saveSubmissionState(pool, state);
      const reopened = previousStatus !== null && isFinalStatus(previousStatus) && !isFinalStatus(state.status);
      return { recorded: !reopened, ...(reopened ? { alreadyFinal: previousStatus } : {}) };
    },
  };
}

/** The submission activities' type, for workflows. */
export type SubmissionActivities = ReturnType<typeof createSubmissionActivities>;
