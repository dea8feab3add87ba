/**
 * The cancel signal every submission workflow installs: accepted while the run can still stop (not finished, not
 * past its point of no return), once; a later one changes nothing.
 */
import { setHandler } from '@temporalio/workflow';
import { cancelSignal, type CancelRequest } from '../contracts';

/** What the handler needs to know of the run. */
export interface Cancellable {
  /** The run has finished (completed, failed, cancelled). */
  finished(): boolean;
  /** Past the point of no return: an order once invoiced, an invoice or credit note once it is being booked. */
  committed(): boolean;
  /** Stops the work; called once, with the first cancel accepted. */
  cancel(request: CancelRequest): void;
}

/** Installs the handler. */
export function handleCancel(run: Cancellable): void {
  let requested = false;
  setHandler(cancelSignal, (request) => {
    if (requested || run.finished() || run.committed()) return;
    requested = true;
    run.cancel(request);
  });
}
