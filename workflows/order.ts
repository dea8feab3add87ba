/**
 * Order workflow: validate, persist, charge, issue the invoice, notify, call back.
 * A permanent failure or a cancel after the charge refunds it.
 */
import { CancellationScope, isCancellation, patched } from '@temporalio/workflow';
import { type OrderWorkflowInput, type SubmissionState } from '../contracts';
import { billingActivity, invoiceActivity, notificationActivity, refundActivity } from './activity-options';
import { handleCancel } from './cancel-handlers';
import { Compensations } from './compensations';
import { closeUnsuccessfully, completeSubmission, outcomeOf } from './submission-outcome';
import { SubmissionTracker } from './submission-tracker';

/** The steps of an order, in order. */
export const ORDER_STEPS = ['validate', 'persist', 'charge', 'issue_invoice', 'notify', 'callback'] as const;

/** One step of an order: a name not in ORDER_STEPS does not compile. */
export type OrderStep = (typeof ORDER_STEPS)[number];

/** Processes one partner order. */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<SubmissionState> {
  const { submissionId, partnerId } = input;
  const tracker = new SubmissionTracker(submissionId, 'order', ORDER_STEPS, partnerId);
  const compensations = new Compensations();
  const work = new CancellationScope();
  // Once the invoice is issued the order is done in business terms: no cancel, and no refund for a later failure.
  let invoiced = false;
  // While the invoice is being issued its number may already be taken: a cancel then would leave a numbered invoice
  // for a refunded order, so from the patch on the point of no return is the start of invoicing.
  let invoicing = false;
  const cancel = handleCancel(work, {
    finished: () => tracker.finished,
    committed: () => invoiced || (invoicing && patched('order-invoicing-commits')),
  });

  try {
    const { order, invoice } = await work.run(async () => {
      // From the `local-bookkeeping` patch on, everything on our own database (state, validate, persist, events, the
      // invoice number) runs as local activities: only the charge and the mails cross a task queue.
      const books = tracker.bookkeeping;
      await tracker.setStatus('processing');
      const order = await tracker.step('validate', () => books.validateOrder({ submissionId }));
      await tracker.step('persist', () => books.persistOrder({ submissionId }));
      const chargeKey = `order-charge-${submissionId}`;
      const refundKey = `order-refund-${submissionId}`;
      const refunded = (note: string) => {
        tracker.compensated('charge');
        tracker.addResult({ refunded: true });
        tracker.note(note);
      };
      const refundIfCharged = async () => {
        const refund = await refundActivity.refundChargeIfTaken({
          chargeIdempotencyKey: chargeKey,
          idempotencyKey: refundKey,
        });
        if (refund.refunded)
          refunded(`Charge ${refund.chargeId} refunded: it went through though the charge step failed`);
      };
      const chargeRequest = () =>
        billingActivity.chargePayment({
          partnerId,
          amountMinor: order.totalMinor,
          currency: order.currency,
          paymentMethod: order.paymentMethod,
          // Derived from the business key: every retry and every replay asks the provider for the same charge.
          idempotencyKey: chargeKey,
          description: `Order ${order.orderNumber}`,
          reference: submissionId,
        });
      // A cancel must not abandon a charge in flight: the provider may still take the money after the workflow
      // moved on. The charge finishes first, its refund is registered, and the cancel then refunds it.
      const waitForCharge = patched('order-charge-survives-cancel');
      const charge = await tracker
        .step('charge', () => (waitForCharge ? CancellationScope.nonCancellable(chargeRequest) : chargeRequest()))
        .catch(async (err: unknown) => {
          if (!isCancellation(err)) {
            // A charge that failed may still have taken the money: its answer lost, then the provider out of reach
            // for every retry. Whatever the failure, what went through under the order's key is refunded.
            if (patched('order-failed-charge-refunded')) compensations.add('charge', refundIfCharged);
            await tracker.emitEvent({ partnerId, submissionId, eventType: 'billing.charge_failed' });
          }
          throw err;
        });
      compensations.add('charge', async () => {
        await refundActivity.refundPayment({
          chargeId: charge.chargeId,
          idempotencyKey: refundKey,
        });
        refunded(`Charge ${charge.chargeId} refunded`);
      });
      tracker.note(`Charged ${charge.chargeId}`);
      await tracker.emitEvent({ partnerId, submissionId, eventType: 'billing.charge_succeeded' });
      tracker.addResult({ chargeId: charge.chargeId, currency: order.currency, totalMinor: order.totalMinor });
      invoicing = true;
      // The status document stops offering a cancel from here (query state only: no command, no patch needed). A run
      // from before `order-invoicing-commits` could still honour one; the API then refuses it, as it later would.
      tracker.markNotCancellable();
      const invoice = await tracker.step('issue_invoice', () =>
        (tracker.localBookkeeping ? books : invoiceActivity).issueOrderInvoice({ submissionId, partnerId }),
      );
      tracker.addResult({ invoiceNumber: invoice.invoiceNumber, documentUrl: invoice.documentUrl });
      tracker.setInvoiceNumber(invoice.invoiceNumber);
      invoiced = true;
      return { order, invoice };
    });
    await tracker
      .step('notify', () =>
        Promise.all([
          notificationActivity.sendOrderConfirmation({
            submissionId,
            partnerId,
            invoiceNumber: invoice.invoiceNumber,
          }),
          notificationActivity.notifyTeam({
            submissionId,
            partnerId,
            subject: `Order ${order.orderNumber} completed`,
            invoiceNumber: invoice.invoiceNumber,
          }),
        ]),
      )
      .catch(() => {
        // A mail that cannot be sent after all retries does not undo a paid, invoiced order; the step shows it.
      });
    await completeSubmission(tracker, partnerId);
  } catch (err) {
    // A second run of a closed submission (e.g. after Temporal's retention) leaves it as the first run ended it.
    if (tracker.superseded) return tracker.state;
    const outcome = outcomeOf(err, cancel.request);
    if (!invoiced) await compensations.run();
    await closeUnsuccessfully(tracker, partnerId, outcome);
  }
  return tracker.state;
}
