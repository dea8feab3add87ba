/**
 * What a partner may read of a failure: failures about the partner's own data keep their message; everything else
 * (provider credentials, our database, host names, timeouts) becomes a stable generic text. Details stay in our logs
 * and in the Temporal UI for operators.
 */

/** Failure types whose message we wrote about the partner's own data. */
export const PARTNER_FACING_TYPES = new Set([
  'ValidationError',
  'CardDeclined',
  'NotFound',
  'DuplicateInvoice',
  'Rejected',
  'ApprovalTimedOut',
  'SubmissionAlreadyFinal',
]);

/** The text partners see for a failure of another kind (a retry is usually under way). */
export const GENERIC_FAILURE = 'a temporary problem on our side; it is being retried or looked into';

/** The partner-visible text of a failure of `type` (an ApplicationFailure type, or undefined for anything else). */
export function partnerMessage(type: string | undefined, message: string): string {
  return type !== undefined && PARTNER_FACING_TYPES.has(type) ? message : GENERIC_FAILURE;
}
