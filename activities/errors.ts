/** Helpers for the permanent failures activities raise (transient ones are plain errors, retried by Temporal). */
import { ApplicationFailure } from '@temporalio/common';

/** Error types that never succeed on retry; activity options list them as non-retryable. */
export const PermanentErrorTypes = [
  'ValidationError',
  'CardDeclined',
  'NotFound',
  'InvalidRequest',
  'DuplicateInvoice',
] as const;

/** One of the permanent error types. */
export type PermanentErrorType = (typeof PermanentErrorTypes)[number];

/** A failure no retry can fix, of one of the types in `PermanentErrorTypes`. */
export function permanent(type: PermanentErrorType, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: details === undefined ? undefined : [details],
  });
}
