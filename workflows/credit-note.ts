/**
 * Credit note workflow (a partner's credit note to us): validate, duplicate check, the invoices' approval gate, then
 * reverse the corrected invoice's payable and payout (or record a credit when it names none), notify, call back.
 * A cancel is honoured until the reversal is booked.
 */
import { CancellationScope, patched } from '@temporalio/workflow';
import { type CreditNoteWorkflowInput, type SubmissionState } from '../contracts';
import { invoiceActivity, notificationActivity, submissionActivity } from './activity-options';
import { ApprovalGate, OVER_DAILY_LIMIT, runApprovalStep } from './approval';
import { handleCancel } from './cancel-handlers';
import { closeUnsuccessfully, completeSubmission, outcomeOf } from './submission-outcome';
import { SubmissionTracker } from './submission-tracker';

/** The steps of a credit note, in order. */
export const CREDIT_NOTE_STEPS = ['validate', 'duplicate_check', 'approval', 'reverse', 'notify', 'callback'] as const;

/** One step of a credit note: a name not in CREDIT_NOTE_STEPS does not compile. */
export type CreditNoteStep = (typeof CREDIT_NOTE_STEPS)[number];

const ACTIONS = {
  cancelled: 'the payout of the corrected invoice is cancelled',
  reduced: 'the payout of the corrected invoice is reduced by it',
  already_paid: 'the corrected invoice was already paid out, so the amount is credited to the next settlement',
  none: 'it names no invoice of yours we booked, so it is recorded as a credit',
} as const;

/** Processes one credit note a partner sent us. */
export async function creditNoteWorkflow(input: CreditNoteWorkflowInput): Promise<SubmissionState> {
  const { submissionId, partnerId } = input;
  const tracker = new SubmissionTracker(submissionId, 'credit_note', CREDIT_NOTE_STEPS, partnerId);
  const gate = new ApprovalGate(() => tracker.state.status);
  const work = new CancellationScope();
  let booking = false;
  const cancel = handleCancel(work, {
    finished: () => tracker.finished,
    committed: () => booking,
  });
  let number: string | undefined;

  try {
    const checked = await work.run(async () => {
      await tracker.setStatus('processing');
      const valid = await tracker.step('validate', () => submissionActivity.validateInvoice({ submissionId }));
      number = valid.invoiceNumber;
      tracker.setInvoiceNumber(valid.invoiceNumber);
      if (valid.correctsInvoiceNumbers.length) tracker.note(`Corrects ${valid.correctsInvoiceNumbers.join(', ')}`);
      tracker.addResult({ currency: valid.currency, totalMinor: valid.payableMinor });
      const check = await tracker.step('duplicate_check', () =>
        submissionActivity.checkDuplicateInvoice({ submissionId, partnerId }),
      );
      // The same gate as invoices: a large credit changes what we pay as much as a large invoice. A credit note
      // totalling less than zero raises what we pay, so its size is what the gate judges (runs recorded before the
      // patch never reach it with a negative amount judged by its size).
      const size =
        valid.payableMinor < 0 && patched('credit-note-gate-by-size') ? -valid.payableMinor : valid.payableMinor;
      // And, as for invoices, the partner's daily sum: several small credit notes below zero must not raise our
      // payouts past the daily limit unapproved. Only such a note is ever over it (the check's answer), so a run
      // recorded before the patch, whose check never said so, replays without the marker.
      const overDailyLimit = check.overDailyLimit === true && patched('credit-note-daily-sum');
      if (size <= input.approvalThresholdMinor && !overDailyLimit) {
        tracker.skip('approval');
        return valid;
      }
      const mail = {
        submissionId,
        partnerId,
        invoiceNumber: valid.invoiceNumber,
        payableMinor: valid.payableMinor,
        currency: valid.currency,
      };
      await runApprovalStep(tracker, gate, mail, input.approval, overDailyLimit ? [OVER_DAILY_LIMIT] : []);
      return valid;
    });

    booking = true;
    tracker.markNotCancellable();
    const credit = await tracker.step('reverse', () =>
      invoiceActivity.reverseForCreditNote({ submissionId, partnerId }),
    );
    tracker.note(`Credit ${credit.creditId}: ${ACTIONS[credit.payoutAction]}`);
    await tracker
      .step('notify', () =>
        Promise.all([
          notificationActivity.sendInvoiceOutcome({
            submissionId,
            partnerId,
            invoiceNumber: checked.invoiceNumber,
            outcome: 'accepted',
            document: 'credit note',
            detail: ACTIONS[credit.payoutAction],
          }),
          notificationActivity.notifyTeam({
            submissionId,
            partnerId,
            subject: `Credit note ${checked.invoiceNumber} booked: ${credit.payoutAction}`,
            invoiceNumber: checked.invoiceNumber,
          }),
        ]),
      )
      .catch(() => {
        // A mail that cannot be sent after all retries does not undo a booked credit; the step shows it.
      });
    await completeSubmission(tracker, partnerId);
  } catch (err) {
    // A second run of a closed submission (e.g. after Temporal's retention) leaves it as the first run ended it; runs
    // before the patch stored `failed` over it and called the partner back.
    if (tracker.superseded && patched('credit-note-superseded-stops')) return tracker.state;
    const outcome = outcomeOf(err, cancel.request);
    await closeUnsuccessfully(tracker, partnerId, outcome, async () => {
      const { code, message } = outcome.error;
      if (number && (code === 'Rejected' || code === 'ApprovalTimedOut')) {
        await notificationActivity
          .sendInvoiceOutcome({
            submissionId,
            partnerId,
            invoiceNumber: number,
            outcome: 'rejected',
            reason: message,
            document: 'credit note',
          })
          .catch(() => undefined);
      }
    });
  }
  return tracker.state;
}
