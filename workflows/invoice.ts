/**
 * Invoice workflow (a partner's invoice to us): validate, duplicate check, approval above the partner's threshold or
 * over its rolling daily sum, then book the payable, schedule the payout, notify, call back. A cancel is honoured until the payable is booked.
 */
import { ApplicationFailure, CancellationScope, patched, setHandler } from '@temporalio/workflow';
import { cancelSignal, type CancelRequest, type InvoiceWorkflowInput, type SubmissionState } from '../contracts';
import { invoiceActivity, notificationActivity, submissionActivity } from './activity-options';
import { ApprovalGate } from './approval';
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

/** Used when a run is started by hand without timings: a day, three days, two weeks. */
const DEFAULT_TIMINGS = { reminderAfterMs: 86_400_000, escalateAfterMs: 259_200_000, autoRejectAfterMs: 1_209_600_000 };

/** Processes one invoice a partner sent us. */
export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<SubmissionState> {
  const { submissionId, partnerId } = input;
  const tracker = new SubmissionTracker(submissionId, 'invoice', INVOICE_STEPS, partnerId);
  const gate = new ApprovalGate(() => tracker.state.status);
  const work = new CancellationScope();
  let cancelRequest: CancelRequest | undefined;
  let booking = false;
  setHandler(cancelSignal, (request) => {
    // Once the payable is being booked the invoice is ours to pay: too late to cancel.
    if (tracker.finished || cancelRequest || booking) return;
    cancelRequest = request;
    work.cancel();
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
      const decision = await tracker.step('approval', async () => {
        await tracker.setStatus('awaiting_approval');
        await tracker.emitEvent({ partnerId, submissionId, eventType: 'submission.awaiting_approval' });
        await notificationActivity.requestApproval(mail);
        if (overDailyLimit)
          tracker.note("Over the partner's daily limit: the last 24 hours of invoices add up above it");
        tracker.note('Waiting for an approver');
        return gate.wait(input.approval ?? DEFAULT_TIMINGS, {
          onReminder: async () => {
            await notificationActivity.sendApprovalReminder(mail);
            tracker.note('Reminder sent');
          },
          onEscalation: async () => {
            await notificationActivity.escalateApproval(mail);
            tracker.note('Escalated to the owner');
          },
        });
      });
      const verdict = decision.decision === 'approve' ? 'approved' : 'rejected';
      tracker.note(`${verdict} by ${decision.approver}${decision.automatic ? ' (automatically)' : ''}`);
      // A rejection goes straight to `failed` (below), so the decide update answers with the final status.
      if (verdict === 'approved') await tracker.setStatus('processing');
      await invoiceActivity.recordApproval({
        submissionId,
        decision: verdict,
        approver: decision.approver,
        comment: decision.comment,
      });
      tracker.addResult({
        approval: {
          decision: verdict,
          by: decision.approver,
          at: decision.at,
          ...(decision.comment ? { comment: decision.comment } : {}),
        },
      });
      if (verdict === 'rejected') {
        throw ApplicationFailure.create({
          type: decision.automatic ? 'ApprovalTimedOut' : 'Rejected',
          message: `rejected by ${decision.approver}${decision.comment ? `: ${decision.comment}` : ''}`,
          nonRetryable: true,
        });
      }
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
    const outcome = outcomeOf(err, cancelRequest);
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
