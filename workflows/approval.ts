/**
 * The approval gate of the invoice workflow: waits for a decision from the signal or the update, sends a reminder,
 * escalates, and finally rejects on its own. Timers are the workflow's own, so a wait of days costs nothing.
 */
import { ApplicationFailure, condition, log, setHandler } from '@temporalio/workflow';
import {
  APPROVER_PATTERN,
  decideUpdate,
  decisionSignal,
  type ApprovalDecision,
  type ApprovalTimings,
  type SubmissionStatus,
} from '../contracts';
import { invoiceActivity, notificationActivity } from './activity-options';
import type { SubmissionTracker } from './submission-tracker';

/** A decision as the workflow acts on it. */
export interface Decision extends ApprovalDecision {
  /** Workflow time of the decision (ISO). */
  at: string;
  /** True when nobody decided in time. */
  automatic: boolean;
}

const APPROVER = new RegExp(APPROVER_PATTERN, 'u');

/** Why a decision cannot be taken, or undefined when it can; the update's validator throws it. */
export function invalidDecision(d: ApprovalDecision | undefined, status: SubmissionStatus): string | undefined {
  if (!d || (d.decision !== 'approve' && d.decision !== 'reject')) return 'decision must be "approve" or "reject"';
  if (typeof d.approver !== 'string' || !APPROVER.test(d.approver.trim())) {
    return "approver must be a name of 1-100 letters, digits, spaces or ._@'-";
  }
  if (d.comment !== undefined && (typeof d.comment !== 'string' || d.comment.length > 1000)) {
    return 'comment must be a string of at most 1000 characters';
  }
  if (status !== 'awaiting_approval') return `the invoice is not awaiting approval (status ${status})`;
  return undefined;
}

/** Waits for a decision; sends reminder and escalation on the way; rejects automatically at the end. */
export class ApprovalGate {
  private decision: Decision | undefined;

  /** Installs the signal and update handlers; `status` tells them whether a decision is wanted now. */
  constructor(private readonly status: () => SubmissionStatus) {
    setHandler(decisionSignal, (d) => {
      // A signal cannot be answered: an invalid or late one is logged and dropped.
      const problem = invalidDecision(d, this.status());
      if (problem || this.decision)
        return log.warn('decision signal ignored', { problem: problem ?? 'already decided' });
      this.take(d);
    });
    setHandler(
      decideUpdate,
      async (d) => {
        this.take(d);
        // Answer once the workflow has moved on, so the caller sees the resulting status.
        await condition(() => this.status() !== 'awaiting_approval');
        return { accepted: true, status: this.status() };
      },
      {
        validator: (d) => {
          const problem =
            invalidDecision(d, this.status()) ?? (this.decision ? 'a decision was already taken' : undefined);
          if (problem) throw new Error(problem);
        },
      },
    );
  }

  /** Waits for the decision, running `onReminder` and `onEscalation` when their time comes without one. */
  async wait(
    timings: ApprovalTimings,
    hooks: { onReminder: () => Promise<unknown>; onEscalation: () => Promise<unknown> },
  ): Promise<Decision> {
    const started = Date.now();
    const decided = (): boolean => this.decision !== undefined;
    const until = (ms: number): number => Math.max(1, started + ms - Date.now());
    const milestones = [
      { at: timings.reminderAfterMs, run: hooks.onReminder },
      { at: timings.escalateAfterMs, run: hooks.onEscalation },
    ].filter((m) => m.at < timings.autoRejectAfterMs);
    for (const m of milestones) {
      if (await condition(decided, until(m.at))) return this.decision!;
      await m.run();
    }
    if (await condition(decided, until(timings.autoRejectAfterMs))) return this.decision!;
    this.take(
      { decision: 'reject', approver: 'system', comment: `no decision within ${timings.autoRejectAfterMs} ms` },
      true,
    );
    return this.decision!;
  }

  private take(d: ApprovalDecision, automatic = false): void {
    this.decision ??= {
      decision: d.decision,
      approver: d.approver.trim(),
      ...(d.comment ? { comment: d.comment } : {}),
      at: new Date().toISOString(),
      automatic,
    };
  }
}

/** The gate's durations when a run's input carries none (24 h reminder, 72 h escalation, 14 d auto-reject). */
export const DEFAULT_APPROVAL_TIMINGS: ApprovalTimings = {
  reminderAfterMs: 86_400_000,
  escalateAfterMs: 259_200_000,
  autoRejectAfterMs: 1_209_600_000,
};

/** What the approval mails say about the document waiting. */
export type ApprovalMail = Parameters<typeof notificationActivity.requestApproval>[0];

/** The approval step's note on a submission that the partner's rolling daily sum sent to the gate. */
export const OVER_DAILY_LIMIT = "Over the partner's daily limit: the last 24 hours of invoices add up above it";

/**
 * The approval step of invoices and credit notes: status, event and mail, the wait with reminder and escalation,
 * then the decision recorded. A rejection (by a person or by the timeout) throws a non-retryable failure.
 */
export async function runApprovalStep<Step extends string>(
  tracker: SubmissionTracker<Step | 'approval'>,
  gate: ApprovalGate,
  mail: ApprovalMail,
  timings: ApprovalTimings | undefined,
  notes: string[] = [],
): Promise<void> {
  const { partnerId, submissionId } = mail;
  const decision = await tracker.step('approval', async () => {
    await tracker.setStatus('awaiting_approval');
    await tracker.emitEvent({ partnerId, submissionId, eventType: 'submission.awaiting_approval' });
    await notificationActivity.requestApproval(mail);
    for (const note of notes) tracker.note(note);
    tracker.note('Waiting for an approver');
    return gate.wait(timings ?? DEFAULT_APPROVAL_TIMINGS, {
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
  // A rejection goes straight to `failed` (the caller's ending), so the decide update answers with the final status.
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
}
