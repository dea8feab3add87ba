/**
 * A cancel racing an in-flight charge: whatever the timing, the order never ends with money taken. The charge
 * activity is held open while the cancel arrives, then goes through at the provider (as a real charge would that
 * did not hear of the cancel), many times over with different delays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelSignal, getStatusQuery } from '../../contracts';
import { createBillingActivities } from '../../activities/billing';
import { createInvoiceActivities } from '../../activities/invoice-processing';
import { createDefaultPaymentProvider } from '../../adapters/payments/default-provider';
import { findIssuedInvoice } from '../../db/issued-invoices';
import { chargesByKeyPrefix } from '../../db/payments';
import { newPartner, sampleOrder } from '../support/fixtures';
import { eventually, startStack, type TestStack } from '../support/stack';
import { finalState, recordHistory, startOrder } from './support';

const RUNS = 12;

describe('order workflow: cancel racing the charge', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('refunds or never takes the money, however a cancel and the charge interleave', async () => {
    const real = createBillingActivities({ payments: createDefaultPaymentProvider(stack.pool) });
    const started = new Set<string>();
    const inFlight: Promise<unknown>[] = [];
    const delays = new Map<string, number>();
    // Each charge is held until its cancel was sent, so the cancel always meets a charge in flight (an order whose
    // charge finished first would be past its point of no return a few milliseconds later).
    const gates = new Map<string, () => void>();
    const gate = (reference: string) => new Promise<void>((r) => gates.set(reference, r));
    const slowCharge = {
      ...real,
      chargePayment(input: Parameters<typeof real.chargePayment>[0]) {
        const held = gate(input.reference);
        started.add(input.reference);
        // The provider answers after the cancel reached the workflow (the activity does not heartbeat).
        const p = held
          .then(() => new Promise((r) => setTimeout(r, delays.get(input.reference) ?? 200)))
          .then(() => real.chargePayment(input));
        inFlight.push(p.catch(() => undefined));
        return p;
      },
    };
    const stop = await stack.startWorkers({ activityOverrides: { billing: slowCharge } });
    try {
      const partner = await newPartner(stack.pool);
      const runs = await Promise.all(
        Array.from({ length: RUNS }, async (_, i) => {
          const run = await startOrder(
            { pool: stack.pool, client: stack.env.client },
            partner.partnerId,
            sampleOrder(),
          );
          delays.set(run.id, i * 60);
          await eventually(async () => started.has(run.id));
          await run.handle.signal(cancelSignal, { reason: 'changed my mind', requestedBy: 'partner' });
          gates.get(run.id)!();
          return { ...run, state: await finalState(run.handle) };
        }),
      );
      await Promise.all(inFlight);
      await recordHistory(runs[0]!.handle, 'order-cancelled-during-charge');
      for (const run of runs) {
        expect(run.state.status).toBe('cancelled');
        const charges = await chargesByKeyPrefix(stack.pool, `order-charge-${run.id}`);
        const kept = charges.filter((c) => c.status === 'succeeded' && c.amountRefundedMinor < c.amountMinor);
        expect(kept, `order ${run.id} kept money after its cancel`).toEqual([]);
        if (charges.length > 0) expect(run.state.result).toMatchObject({ refunded: true });
      }
    } finally {
      await stop();
    }
  });

  it('completes an order whose cancel arrives while its invoice is being issued, and keeps invoice and charge together', async () => {
    // The invoice number is taken with its row in one statement: an invoice issued for an order that then ends
    // cancelled and refunded would be a numbered invoice for money given back.
    const real = createInvoiceActivities({ pool: stack.pool, sellerName: 'Partner Workflows Ltd' });
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let invoicing!: () => void;
    const invoicingStarted = new Promise<void>((r) => (invoicing = r));
    const slowInvoice = {
      async issueOrderInvoice(input: Parameters<typeof real.issueOrderInvoice>[0]) {
        invoicing();
        await released;
        return real.issueOrderInvoice(input);
      },
    };
    const stop = await stack.startWorkers({ activityOverrides: { submissions: slowInvoice } });
    try {
      const partner = await newPartner(stack.pool);
      const run = await startOrder({ pool: stack.pool, client: stack.env.client }, partner.partnerId, sampleOrder());
      await invoicingStarted;
      await run.handle.signal(cancelSignal, { reason: 'changed my mind', requestedBy: 'partner' });
      // The signal is in the run's history before the invoice is let through.
      await eventually(async () => {
        const { events } = await run.handle.fetchHistory();
        return (events ?? []).some((e) => e.workflowExecutionSignaledEventAttributes);
      });
      // The status document offered no cancel while the invoice was being issued (the API answers 409 too-late).
      expect((await run.handle.query(getStatusQuery)).cancellable).toBe(false);
      release();
      const state = await finalState(run.handle);
      await recordHistory(run.handle, 'order-cancel-during-invoice');
      const invoice = await findIssuedInvoice(stack.pool, run.id);
      const charges = await chargesByKeyPrefix(stack.pool, `order-charge-${run.id}`);
      expect({ status: state.status, invoiced: invoice !== undefined, charges }).toEqual({
        status: 'completed',
        invoiced: true,
        charges: [expect.objectContaining({ status: 'succeeded', amountRefundedMinor: 0 })],
      });
    } finally {
      release();
      await stop();
    }
  });
});
