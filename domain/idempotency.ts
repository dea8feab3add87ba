/**
 * The Idempotency-Key layer. The first request claims (partner, key) in the transaction that stores its
 * submission; a concurrent duplicate blocks on that row until the claim commits, then waits (briefly) for the
 * first request's answer and replays it. Same key with another body is refused (422); a first request still
 * not answered after the wait gets 409, naming the submission it is accepting.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../db/pool';
import { claimIdempotencyKey, completeIdempotencyKey, findIdempotencyKey } from '../db/idempotency-keys';
import { IntakeError } from './intake-errors';

/** A response as stored for replay. */
export interface StoredResponse {
  status: number;
  body: unknown;
  location: string | null;
}

/** The key a request presented and the fingerprint of what it asked. */
export interface IdempotencyRequest {
  key: string;
  requestHash: string;
}

const POLL_MS = 25;

/** Fingerprint of a request: route, content type and exact body bytes. */
export function requestHash(route: string, contentType: string, body: string | Buffer): string {
  return createHash('sha256').update(route).update('\n').update(contentType.split(';')[0]!.trim().toLowerCase()).update('\n').update(body).digest('hex');
}

/** Validates an Idempotency-Key header value; undefined when absent. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || value.length > 255 || !/^[\x21-\x7e]+$/.test(value)) {
    throw new IntakeError(400, 'invalid-idempotency-key', 'Idempotency-Key must be 1-255 visible ASCII characters');
  }
  return value;
}

/** Claims the key inside the caller's transaction; false when an earlier request holds it. */
export async function claimKey(tx: Queryable, k: IdempotencyRequest & { partnerId: string; submissionId: string }): Promise<boolean> {
  return claimIdempotencyKey(tx, k);
}

/** The earlier request's answer (waiting for it, outside any transaction), or 422/409. */
export async function awaitEarlier(pool: Queryable, k: IdempotencyRequest & { partnerId: string }, waitMs: number): Promise<StoredResponse> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const row = await findIdempotencyKey(pool, k.partnerId, k.key);
    if (!row) throw new IntakeError(409, 'idempotency-key-in-use', 'a request with this Idempotency-Key is being processed; retry shortly');
    if (row.requestHash !== k.requestHash) {
      throw new IntakeError(422, 'idempotency-key-reused', 'this Idempotency-Key was used with a different request body; use a new key');
    }
    if (row.state === 'done') return { status: row.responseStatus!, body: row.responseBody, location: row.responseLocation };
    if (Date.now() > deadline) {
      throw new IntakeError(409, 'idempotency-key-in-use', 'a request with this Idempotency-Key is still being accepted; retry shortly', {
        submissionId: row.submissionId ?? undefined,
      });
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Stores the answer of the request that owns the key. */
export async function recordResponse(pool: Queryable, partnerId: string, key: string, response: StoredResponse): Promise<void> {
  await completeIdempotencyKey(pool, { partnerId, key, status: response.status, body: response.body, location: response.location });
}
