/** The one error type of the intake: it carries the HTTP status and problem code the API answers with. */

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
