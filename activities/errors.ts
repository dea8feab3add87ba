/** Helpers for the permanent failures activities raise (transient ones are plain errors, retried by Temporal). */
import { ApplicationFailure } from '@temporalio/common';
import type { PermanentErrorType } from '../contracts';

/** A failure no retry can fix, of one of the types in `PermanentErrorTypes` (contracts/errors.ts). */
export function permanent(type: PermanentErrorType, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: details === undefined ? undefined : [details],
  });
}
