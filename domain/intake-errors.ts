/** The one error type of the intake: it carries the HTTP status and problem code the API answers with. */

/**
 * Most field errors one answer lists (a problem document, a rejected batch line); the rest are counted in
 * `errorsOmitted`. An invoice of 3,000 lines with one line id repeated has 3,000 errors.
 */
export const MAX_LISTED_ERRORS = 20;

/** `errors` cut to the first MAX_LISTED_ERRORS, with how many were left out. */
export function capListedErrors<T extends { errors: unknown[] }>(value: T): T & { errorsOmitted?: number } {
  if (value.errors.length <= MAX_LISTED_ERRORS) return value;
  return {
    ...value,
    errors: value.errors.slice(0, MAX_LISTED_ERRORS),
    errorsOmitted: value.errors.length - MAX_LISTED_ERRORS,
  };
}

/** A refusal the partner can act on (4xx), with extra problem fields such as `errors` or `submissionId`. */
export class IntakeError extends Error {
  override name = 'IntakeError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
