/**
 * The Idempotency-Key layer. The first request claims (partner, key) in the transaction that stores what it
 * accepts, and stores its answer in the same transaction: the key, the submission and the answer commit or roll
 * back together, so a crash can never leave a key without its answer. A concurrent duplicate blocks on the
 * claimed key until that transaction ends (at most the configured wait, else 409 "still being accepted"), then
 * replays the stored answer; the same key with another body is refused with 422.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  findIdempotencyKey,
  type IdempotencyRecord,
} from '../db/idempotency-keys';
import { withTransaction, type Queryable } from '../db/pool';
import { IntakeError } from '../domain/intake-errors';

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

/** Fingerprint of a request: route, media type and body text. */
export function requestHash(route: string, contentType: string, body: string | Buffer): string {
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return createHash('sha256').update(route).update('\n').update(mediaType).update('\n').update(body).digest('hex');
}

/** JSON with object keys sorted, so equal documents have equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
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

/**
 * The answer already given to a request with this key: the stored answer when this is the same request, a 422 when
 * it is another; undefined while the key is new or still being accepted. Lets a route answer a repeat before it reads
 * what the request carries.
 */
export async function answeredBefore(
  pool: Queryable,
  k: IdempotencyRequest & { partnerId: string },
): Promise<StoredResponse | undefined> {
  const row = await findIdempotencyKey(pool, k.partnerId, k.key);
  return row?.state === 'done' ? replayOf(row, k) : undefined;
}

/** What an accepted request produced: its answer and the id of what it created. */
export interface Accepted {
  response: StoredResponse;
  resourceId: string;
}

/**
 * Runs `accept` in one transaction with the key's claim (when a key was sent). Returns the fresh answer, or the
 * earlier request's answer with `replayed: true` (then `accept` did not run).
 */
export async function acceptOnce(
  pool: pg.Pool,
  key: (IdempotencyRequest & { partnerId: string }) | undefined,
  waitMs: number,
  accept: (tx: pg.PoolClient) => Promise<Accepted>,
): Promise<{ response: StoredResponse; replayed: boolean }> {
  try {
    return await withTransaction(pool, async (tx) => {
      if (key) {
        // Only the claim may wait for a concurrent duplicate, and only this long.
        await tx.query("SELECT set_config('lock_timeout', $1, true)", [`${Math.max(1, Math.round(waitMs))}ms`]);
        const claimed = await claimIdempotencyKey(tx, { ...key, submissionId: null });
        await tx.query("SELECT set_config('lock_timeout', '0', true)");
        if (!claimed) return { response: await storedAnswer(tx, key), replayed: true };
      }
      const accepted = await accept(tx);
      if (key) {
        await completeIdempotencyKey(tx, {
          partnerId: key.partnerId,
          key: key.key,
          resourceId: accepted.resourceId,
          ...accepted.response,
        });
      }
      return { response: accepted.response, replayed: false };
    });
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') {
      throw new IntakeError(
        409,
        'idempotency-key-in-use',
        'a request with this Idempotency-Key is still being accepted; retry shortly',
      );
    }
    throw err;
  }
}

async function storedAnswer(tx: pg.PoolClient, k: IdempotencyRequest & { partnerId: string }): Promise<StoredResponse> {
  const row = await findIdempotencyKey(tx, k.partnerId, k.key);
  if (!row || row.state !== 'done')
    throw new IntakeError(
      409,
      'idempotency-key-in-use',
      'a request with this Idempotency-Key is still being accepted; retry shortly',
    );
  return replayOf(row, k);
}

/** The stored answer of a done key for a repeat of its request; 422 for another request. */
function replayOf(row: IdempotencyRecord, k: IdempotencyRequest): StoredResponse {
  if (row.requestHash !== k.requestHash) {
    throw new IntakeError(
      422,
      'idempotency-key-reused',
      'this Idempotency-Key was used with a different request body; use a new key',
    );
  }
  return { status: row.responseStatus!, body: row.responseBody, location: row.responseLocation };
}
