/** Helpers for the permanent failures activities raise (transient ones are plain errors, retried by Temporal). */
import { ApplicationFailure } from '@temporalio/common';

/** A failure no retry can fix, of one of the types in `PermanentErrors`. */
export function permanent(type: 'ValidationError' | 'CardDeclined' | 'NotFound' | 'InvalidRequest', message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details === undefined ? undefined : [details] });
}
