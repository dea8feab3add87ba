/**
 * Every activity proxy of every workflow, named per kind, each with its task queue, timeout and retry policy.
 * Proxies are typed from the queue table (activities/task-queues.ts): a proxy on queue Q offers exactly the
 * activities Q's worker registers, so calling one on the wrong queue does not compile.
 * Permanent failures are thrown by activities as non-retryable ApplicationFailures of the types in contracts/errors.ts.
 */
import {
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import { PermanentErrorTypes, TaskQueues, type TaskQueue } from '../contracts';
import type { ActivitiesOf } from '../activities/task-queues';

/** Error types that never succeed on retry. */
export const PermanentErrors: string[] = [...PermanentErrorTypes];

/** A proxy of the activities queue `Q` runs; `options` must not name another queue. */
export function activitiesOn<Q extends TaskQueue>(queue: Q, options: Omit<ActivityOptions, 'taskQueue'>) {
  return proxyActivities<ActivitiesOf<Q>>({ ...options, taskQueue: queue });
}

/**
 * A local-activity proxy of the activities queue `Q` runs: the workflow's own worker executes them, so `Q` must be
 * the queue the calling workflow runs on (and its worker registers `Q`'s activities, as every queue's worker does).
 */
export function localActivitiesOn<Q extends TaskQueue>(_queue: Q, options: LocalActivityOptions) {
  return proxyLocalActivities<ActivitiesOf<Q>>(options);
}

/** Retry for writes to our own database: quick at first, then generously, never giving up on a transient error. */
export const bookkeepingRetry = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  nonRetryableErrorTypes: PermanentErrors,
};

/** Retry for email: the SMTP server may be away for a while, but a mail is not worth retrying for days. */
export const mailRetry = {
  initialInterval: '5 seconds',
  backoffCoefficient: 2,
  maximumInterval: '10 minutes',
  maximumAttempts: 15,
  nonRetryableErrorTypes: PermanentErrors,
};

/** Bookkeeping on our own database: quick, retried briefly then generously. */
export const submissionActivity = activitiesOn(TaskQueues.submissions, {
  startToCloseTimeout: '30 seconds',
  retry: bookkeepingRetry,
});

/**
 * The same bookkeeping as a local activity: run by the workflow's own worker within the workflow task, with no
 * task-queue round trip of its own. Everything an order does on our own database goes through it (see
 * workflows/order.ts); work on outside systems (payments, mail) stays remote with its own queue and retries.
 */
export const localSubmissionActivity = localActivitiesOn(TaskQueues.submissions, {
  startToCloseTimeout: '30 seconds',
  retry: bookkeepingRetry,
});

/** Charges and refunds: the provider may be down for a while, so retry for long; idempotency keys make it safe. */
export const billingActivity = activitiesOn(TaskQueues.billing, {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 20,
    nonRetryableErrorTypes: PermanentErrors,
  },
});

/** Refunds run as compensation: money taken must be returned, so they retry until the provider answers. */
export const refundActivity = activitiesOn(TaskQueues.billing, {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    // No maximumAttempts: unlimited. A stuck refund shows as a retrying activity in the UI for an operator.
    nonRetryableErrorTypes: PermanentErrors,
  },
});

/** Invoice numbers, documents, ledger: long documents heartbeat. */
export const invoiceActivity = activitiesOn(TaskQueues.invoices, {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 10,
    nonRetryableErrorTypes: PermanentErrors,
  },
});

/** Email: the SMTP server may be briefly unavailable. */
export const notificationActivity = activitiesOn(TaskQueues.notifications, {
  startToCloseTimeout: '1 minute',
  retry: mailRetry,
});

/** Recording callback events and starting their deliveries (the deliveries retry on their own schedule). */
export const callbackActivity = activitiesOn(TaskQueues.callbacks, {
  startToCloseTimeout: '30 seconds',
  retry: bookkeepingRetry,
});

/** Retry of the billing run's bookkeeping and mail: our database and SMTP, retried for a while. */
const billingRunRetry = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
  maximumAttempts: 20,
  nonRetryableErrorTypes: PermanentErrors,
};

/** Bookkeeping and mail of the billing run and subscription charges. */
export const billingRunActivity = activitiesOn(TaskQueues.billing, {
  startToCloseTimeout: '2 minutes',
  retry: billingRunRetry,
});

/** The billing run's bookkeeping on our own database as local activities of the billing worker (subscription charges). */
export const localBillingRunActivity = localActivitiesOn(TaskQueues.billing, {
  startToCloseTimeout: '1 minute',
  retry: billingRunRetry,
});

/** Webhook delivery bookkeeping on our own database: retried until it works, like any database work. */
export const webhookBookkeepingActivity = activitiesOn(TaskQueues.callbacks, {
  startToCloseTimeout: '1 minute',
  retry: bookkeepingRetry,
});

/** The disabled-endpoint mail: retried for a while, but an SMTP outage must not keep the delivery open forever. */
export const webhookMailActivity = activitiesOn(TaskQueues.callbacks, {
  startToCloseTimeout: '1 minute',
  retry: mailRetry,
});

/** One HTTP try per activity: a Temporal retry would be an unrecorded, unscheduled extra attempt. */
export function webhookAttemptActivity(timeoutMs: number) {
  return activitiesOn(TaskQueues.callbacks, {
    startToCloseTimeout: timeoutMs + 30_000,
    retry: { maximumAttempts: 1 },
  });
}
