/**
 * The cancel signal every submission workflow installs: accepted while the run can still stop (not finished, not
 * past its point of no return), once; it cancels the run's work scope, and a later one changes nothing.
 */
import { setHandler, type CancellationScope } from '@temporalio/workflow';
import { cancelSignal, type CancelRequest } from '../contracts';

/** What the handler needs to know of the run. */
export interface Cancellable {
  /** The run has finished (completed, failed, cancelled). */
  finished(): boolean;
  /**
   * Past the point of no return: an order once its invoice is being issued, an invoice or credit note once it is
   * being booked.
   */
  committed(): boolean;
}

/** Installs the handler over `work`; the returned object holds the cancel request once one was accepted. */
export function handleCancel(work: CancellationScope, run: Cancellable): { readonly request?: CancelRequest } {
  const accepted: { request?: CancelRequest } = {};
  setHandler(cancelSignal, (request) => {
    if (accepted.request || run.finished() || run.committed()) return;
    accepted.request = request;
    work.cancel();
  });
  return accepted;
}
