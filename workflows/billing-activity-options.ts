/** Activity proxies of the billing run and subscription charges (all on the billing task queue). */
import { proxyActivities } from '@temporalio/workflow';
import { TaskQueues } from '../contracts';
import type { BillingRunActivities } from '../activities/billing-run';
import { PermanentErrors } from './activity-options';

/** Bookkeeping and mail of the billing run: our database and SMTP, retried for a while. */
export const billingRunActivity = proxyActivities<BillingRunActivities>({
  taskQueue: TaskQueues.billing,
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 20,
    nonRetryableErrorTypes: PermanentErrors,
  },
});
