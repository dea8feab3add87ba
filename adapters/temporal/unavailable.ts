/**
 * Whether an error from the Temporal client means the server could not be reached (down, restarting, a network cut),
 * rather than an answer from it: the native transport's `TransportError` when it cannot connect, a `ServiceError`
 * wrapping one, or a gRPC status UNAVAILABLE. The API then answers from what it stored, or with a 503.
 */
import { isGrpcServiceError, ServiceError } from '@temporalio/client';

/** gRPC's status code UNAVAILABLE. */
const UNAVAILABLE = 14;

export function isTemporalUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; depth++) {
    if (e.name === 'TransportError' || e.constructor.name === 'TransportError') return true;
    if (isGrpcServiceError(e) && e.code === UNAVAILABLE) return true;
    if (!(e instanceof ServiceError)) return false;
    e = e.cause;
  }
  return false;
}
