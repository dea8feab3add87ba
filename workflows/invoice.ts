/**
 * Invoice workflow (a partner's invoice to us): validate, duplicate check, approval above the partner's threshold or
 * over its rolling daily sum, then book the payable, schedule the payout, notify, call back. A cancel is honoured until the payable is booked.
 */
import { CancellationScope, patched } from '@temporalio/workflow';
import { type InvoiceWorkflowInput, type SubmissionState } from '../contracts';
import { invoiceActivity, notificationActivity, submissionActivity } from './activity-options';
import { ApprovalGate, OVER_DAILY_LIMIT, runApprovalStep } from './approval';
import { handleCancel } from './cancel-handlers';
import { closeUnsuccessfully, completeSubmission, outcomeOf } from './submission-outcome';
import { SubmissionTracker } from './submission-tracker';

/** The steps of an invoice, in order. */
export const INVOICE_STEPS = [
  'validate',
  'duplicate_check',
  'approval',
  'record_payable',
  'schedule_payout',
  'notify',
  'callback',
] as const;

/** One step of an invoice: a name not in INVOICE_STEPS does not compile. */
export type InvoiceStep = (typeof INVOICE_STEPS)[number];

/** Processes one invoice a partner sent us. */
export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<SubmissionState> {
  const { submissionId, partnerId } = input;
  const tracker = new SubmissionTracker(submissionId, 'invoice', INVOICE_STEPS, partnerId);
  const gate = new ApprovalGate(() => tracker.state.status);
  const work = new CancellationScope();
  let booking = false;
  const cancel = handleCancel(work, {
    finished: () => tracker.finished,
    // Once the payable is being booked the invoice is ours to pay: too late to cancel.
    committed: () => booking,
  });
  let invoiceNumber: string | undefined;

  try {
    const invoice = await work.run(async () => {
      await tracker.setStatus('processing');
      const checked = await tracker.step('validate', () => submissionActivity.validateInvoice({ submissionId }));
      invoiceNumber = checked.invoiceNumber;
      tracker.setInvoiceNumber(checked.invoiceNumber);
      tracker.addResult({ currency: checked.currency, totalMinor: checked.payableMinor });
      const check = await tracker.step('duplicate_check', () =>
        submissionActivity.checkDuplicateInvoice({ submissionId, partnerId }),
      );
      // Over the partner's rolling daily sum the gate applies too. Histories from before the patch never carry
      // `overDailyLimit`, and a run that skipped the gate under the old code replays without the marker.
      const overDailyLimit = check.overDailyLimit === true && patched('approval-daily-sum');
      if (checked.payableMinor <= input.approvalThresholdMinor && !overDailyLimit) {
        tracker.skip('approval');
        return checked;
      }
      const mail = {
        submissionId,
        partnerId,
        invoiceNumber: checked.invoiceNumber,
        payableMinor: checked.payableMinor,
        currency: checked.currency,
      };
      await runApprovalStep(tracker, gate, mail, input.approval, overDailyLimit ? [OVER_DAILY_LIMIT] : []);
      return checked;
    });

    booking = true;
    tracker.markNotCancellable();
    const payable = await tracker.step('record_payable', () =>
      invoiceActivity.recordPayable({ submissionId, partnerId }),
    );
    const payout = await tracker.step('schedule_payout', () =>
      invoiceActivity.schedulePayout({ submissionId, partnerId, payableId: payable.payableId }),
    );
    tracker.note(`Payout ${payout.payoutId} due ${payout.dueDate}`);
    await tracker
      .step('notify', () =>
        Promise.all([
          notificationActivity.sendInvoiceOutcome({
            submissionId,
            partnerId,
            invoiceNumber: invoice.invoiceNumber,
            outcome: 'accepted',
            payoutDueDate: payout.dueDate,
          }),
          notificationActivity.notifyTeam({
            submissionId,
            partnerId,
            subject: `Invoice ${invoice.invoiceNumber} booked, payout ${payout.dueDate}`,
            invoiceNumber: invoice.invoiceNumber,
          }),
        ]),
      )
      .catch(() => {
        // A mail that cannot be sent after all retries does not undo a booked payable; the step shows it.
      });
    await completeSubmission(tracker, partnerId);
  } catch (err) {
    // A second run of a closed submission (e.g. after Temporal's retention) leaves it as the first run ended it.
    if (tracker.superseded) return tracker.state;
    const outcome = outcomeOf(err, cancel.request);
    await closeUnsuccessfully(tracker, partnerId, outcome, async () => {
      const { code, message } = outcome.error;
      if (invoiceNumber && (code === 'Rejected' || code === 'ApprovalTimedOut')) {
        await notificationActivity
          .sendInvoiceOutcome({ submissionId, partnerId, invoiceNumber, outcome: 'rejected', reason: message })
          .catch(() => undefined);
      }
    });
  }
  return tracker.state;
}
