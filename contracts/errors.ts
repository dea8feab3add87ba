/**
 * Error types that never succeed on retry. Activities throw them as non-retryable ApplicationFailures
 * (activities/errors.ts) and workflow retry policies list them (workflows/activity-options.ts): one list for both.
 */
export const PermanentErrorTypes = [
  'ValidationError',
  'CardDeclined',
  'NotFound',
  'InvalidRequest',
  'DuplicateInvoice',
] as const;

/** One of the permanent error types. */
export type PermanentErrorType = (typeof PermanentErrorTypes)[number];
