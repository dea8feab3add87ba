/**
 * Activity proxies named per kind, each with its task queue, timeout and retry policy.
 * Permanent failures are thrown by activities as non-retryable ApplicationFailures of the types listed here.
 */
import { proxyActivities } from '@temporalio/workflow';
import { TaskQueues } from '../contracts';
import type * as activities from '../activities';

/** Error types that never succeed on retry. */
// Keep in step with PermanentErrorTypes in activities/errors.ts (workflows may not import activity code).
export const PermanentErrors = ['ValidationError', 'CardDeclined', 'NotFound', 'InvalidRequest', 'DuplicateInvoice'];

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
export const submissionActivity = proxyActivities<activities.SubmissionActivities>({
  taskQueue: TaskQueues.submissions,
  startToCloseTimeout: '30 seconds',
  retry: bookkeepingRetry,
});

/** Charges and refunds: the provider may be down for a while, so retry for long; idempotency keys make it safe. */
export const billingActivity = proxyActivities<activities.BillingActivities>({
  taskQueue: TaskQueues.billing,
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
export const refundActivity = proxyActivities<activities.BillingActivities>({
  taskQueue: TaskQueues.billing,
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
export const invoiceActivity = proxyActivities<activities.InvoiceActivities>({
  taskQueue: TaskQueues.invoices,
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
export const notificationActivity = proxyActivities<activities.NotificationActivities>({
  taskQueue: TaskQueues.notifications,
  startToCloseTimeout: '1 minute',
  retry: mailRetry,
});

/** Recording callback events and starting their deliveries (the deliveries retry on their own schedule). */
export const callbackActivity = proxyActivities<activities.CallbackActivities>({
  taskQueue: TaskQueues.callbacks,
  startToCloseTimeout: '30 seconds',
  retry: bookkeepingRetry,
});
