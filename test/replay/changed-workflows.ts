/** An incompatible change of the order workflow (a different first activity), for the replay test's negative control. */
import { proxyActivities } from '@temporalio/workflow';
import type { SubmissionActivities } from '../../activities';

const { persistOrder } = proxyActivities<SubmissionActivities>({ startToCloseTimeout: '10 seconds' });

/** Schedules a different activity than the recorded order workflow did. */
export async function orderWorkflow(input: { submissionId: string }): Promise<void> {
  await persistOrder({ submissionId: input.submissionId });
}
