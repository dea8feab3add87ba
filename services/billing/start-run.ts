/** Starts the billing run of a date, or attaches to the one already running, and waits for its result. */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import {
  BillingPeriodKey,
  billingRunModeWorkflowId,
  SubmissionTypeKey,
  TaskQueues,
  type BillingRunInput,
  type BillingRunResult,
  type BillingRunWorkflow,
} from '../../contracts';

/**
 * A run of that date and mode still going is joined; a finished one may be run again: charges already made are
 * skipped by their unique (subscription, period) row, so a second run charges nothing twice.
 */
export async function runBillingRun(
  client: Client,
  input: BillingRunInput & { date: string },
): Promise<BillingRunResult> {
  const handle = await client.workflow.start<BillingRunWorkflow>('billingRunWorkflow', {
    taskQueue: TaskQueues.billing,
    workflowId: billingRunModeWorkflowId(input.date, input),
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: BillingPeriodKey, value: input.date },
      { key: SubmissionTypeKey, value: 'billing-run' },
    ],
  });
  return handle.result();
}
