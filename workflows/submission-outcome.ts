/**
 * How every submission workflow ends: completed with its `submission.completed` callback, or failed/cancelled
 * with its status stored and its callback sent even while the run is being cancelled.
 */
import { CancellationScope, isCancellation } from '@temporalio/workflow';
import type { CancelRequest, SubmissionError } from '../contracts';
import { describeFailure, type SubmissionTracker } from './submission-tracker';

/** Runs the callback step, then marks the submission completed. */
export async function completeSubmission(tracker: SubmissionTracker<'callback'>, partnerId: string): Promise<void> {
  const submissionId = tracker.state.submissionId;
  await tracker.step('callback', () =>
    tracker.emitEvent({ partnerId, submissionId, eventType: 'submission.completed' }),
  );
  await tracker.setStatus('completed');
}

/** Why a run stopped: a cancel the partner asked for, or a failure. */
export function outcomeOf(
  err: unknown,
  cancelRequest: CancelRequest | undefined,
): { cancelled: boolean; error: SubmissionError } {
  const cancelled = isCancellation(err) && cancelRequest !== undefined;
  const error = cancelled
    ? { code: 'Cancelled', message: `cancelled by ${cancelRequest!.requestedBy}: ${cancelRequest!.reason}` }
    : describeFailure(err);
  return { cancelled, error };
}

/** Stores the failed or cancelled status, runs `beforeCallback` (e.g. a mail), then sends the partner's callback. */
export async function closeUnsuccessfully(
  tracker: SubmissionTracker,
  partnerId: string,
  outcome: { cancelled: boolean; error: SubmissionError },
  beforeCallback?: () => Promise<void>,
): Promise<void> {
  const submissionId = tracker.state.submissionId;
  await CancellationScope.nonCancellable(async () => {
    await tracker.setStatus(outcome.cancelled ? 'cancelled' : 'failed', outcome.error);
    await beforeCallback?.();
    await tracker.emitEvent({
      partnerId,
      submissionId,
      eventType: outcome.cancelled ? 'submission.cancelled' : 'submission.failed',
    });
  });
}
