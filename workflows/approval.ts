/**
 * The approval gate of the invoice workflow: waits for a decision from the signal or the update, sends a reminder,
 * escalates, and finally rejects on its own. Timers are the workflow's own, so a wait of days costs nothing.
 */
import { condition, log, setHandler } from '@temporalio/workflow';
import {
  decideUpdate,
  decisionSignal,
  type ApprovalDecision,
  type ApprovalTimings,
  type SubmissionStatus,
} from '../contracts';

/** A decision as the workflow acts on it. */
export interface Decision extends ApprovalDecision {
  /** Workflow time of the decision (ISO). */
  at: string;
  /** True when nobody decided in time. */
  automatic: boolean;
}

const APPROVER = /^[\p{L}\p{N}][\p{L}\p{N} ._@'-]{0,99}$/u;

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
