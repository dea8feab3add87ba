/**
 * The Temporal Schedule of the daily billing run: 01:00 UTC, overlapping runs skipped, missed runs caught up within
 * a day. Created when missing, brought up to date when it exists (so a changed spec ships with a deploy).
 */
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import {
  BILLING_SCHEDULE_ID,
  BILLING_SCHEDULED_WORKFLOW_ID,
  SubmissionTypeKey,
  TaskQueues,
  type BillingRunInput,
} from '../../contracts';

/** What the schedule does; the workflow takes its date from the scheduled time, so the input is empty. */
export function billingScheduleOptions(scheduleId = BILLING_SCHEDULE_ID): ScheduleOptions {
  const input: BillingRunInput = {};
  return {
    scheduleId,
    spec: { calendars: [{ hour: 1, minute: 0, comment: 'daily billing run, 01:00 UTC' }], timezone: 'UTC' },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    action: {
      type: 'startWorkflow',
      workflowType: 'billingRunWorkflow',
      workflowId: BILLING_SCHEDULED_WORKFLOW_ID,
      taskQueue: TaskQueues.billing,
      args: [input],
      typedSearchAttributes: [{ key: SubmissionTypeKey, value: 'billing-run' }],
    },
  };
}

/** Creates the schedule, or updates it to the current options; returns whether it was created. */
export async function ensureBillingSchedule(
  client: Client,
  scheduleId = BILLING_SCHEDULE_ID,
): Promise<{ scheduleId: string; created: boolean }> {
  const options = billingScheduleOptions(scheduleId);
  try {
    await client.schedule.create(options);
    return { scheduleId, created: true };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      policies: options.policies,
      action: options.action,
    }));
    return { scheduleId, created: false };
  }
}
