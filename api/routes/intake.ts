/** What the order and invoice routes share: Idempotency-Key handling, domain errors to problems, the 202 reply. */
import { pipeline, Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import { Type } from 'typebox';
import { parseIdempotencyKey, requestHash, type StoredResponse } from '../../services/idempotency';
import { IntakeError } from '../../domain/intake-errors';
import { acceptSubmission, type NewSubmission } from '../../services/submissions';
import { ApiError } from '../problem';
import { mediaType } from '../plugins/content-types';

/** The optional Idempotency-Key header, for route schemas. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'Same key and body again: the original response. Same key, other body: 422. Remembered for 30 days.',
      examples: ['3f1c2a9e-7b7d-4c55-9d1e-0f6a4d3b2c10'],
    }),
  ),
});

/** The Location header of a 202, for response schemas. */
export const LocationHeader = {
  location: {
    type: 'string',
    description: 'Where to follow what was accepted',
    example: '/v1/submissions/sub_01jd3k7x2q9m4n5p6r7s8t9v0w',
  },
};

/**
 * Bytes of a document (an order or an invoice) per token of the partner's rate limit. Reading and checking an invoice
 * costs the API about 0.2 ms of its event loop per line (a second for 5,000 lines, 3.4 MB of UBL), and parsing a
 * large JSON body alone can take seconds, so a large one takes a token per started 256 KiB, before it is read: a
 * partner's budget bounds how much of the API its documents can hold, as it bounds its requests. A document of up to
 * 256 KiB costs the one token every request takes.
 */
export const DOCUMENT_BYTES_PER_TOKEN = 256 * 1024;

/** What a document's token pays for, as a 429 names it. */
const PER_TOKEN = 'started 256 KiB of its body';

/**
 * A route's `preParsing` hook that takes a document's tokens beyond the first before its body is parsed (a JSON
 * body is parsed as it is read, and 8 MiB of it can take seconds): all at once for a declared Content-Length (Fastify
 * refuses a body of another length), else one per started 256 KiB as the chunks arrive. A declared length over the
 * limit is left to the body reader's 413. A small order with its length declared costs one header parse.
 */
export function chargeWhileRead(app: FastifyInstance, limit: number) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: RequestPayload): Promise<RequestPayload> => {
    const declared = Number(request.headers['content-length']);
    if (request.headers['content-length'] !== undefined && Number.isInteger(declared)) {
      const cost = Math.ceil(declared / DOCUMENT_BYTES_PER_TOKEN);
      if (declared <= limit && cost > 1) await app.chargeRate(request, reply, cost - 1, cost, PER_TOKEN);
      return payload;
    }
    let received = 0;
    let charged = 1;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        const cost = Math.ceil(received / DOCUMENT_BYTES_PER_TOKEN);
        if (cost <= charged || received > limit) return callback(null, chunk);
        const more = cost - charged;
        charged = cost;
        app.chargeRate(request, reply, more, cost, PER_TOKEN).then(
          () => callback(null, chunk),
          (err: Error) => callback(err),
        );
      },
    });
    pipeline(payload, counted, () => {});
    return counted;
  };
}

/** Turns a domain refusal into the API's problem error. */
export function asApiError(err: unknown): unknown {
  return err instanceof IntakeError ? new ApiError(err.status, err.code, err.message, err.extra) : err;
}

/** Sends a stored (or fresh) accepted response. */
export function sendStored(reply: FastifyReply, response: StoredResponse): FastifyReply {
  if (response.location) reply.header('location', response.location);
  return reply.status(response.status).send(response.body);
}

/** Accepts one order or invoice for the authenticated partner, honouring an Idempotency-Key. */
export async function acceptFromRequest(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  input: Omit<NewSubmission, 'partnerId'>,
  /** The body the Idempotency-Key fingerprints; only computed when a key is sent. */
  rawBody: () => string,
): Promise<FastifyReply> {
  try {
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    const idempotency = key
      ? { key, requestHash: requestHash(request.routeOptions.url ?? request.url, mediaType(request), rawBody()) }
      : undefined;
    const response = await acceptSubmission(
      {
        pool: app.pool,
        temporal: app.temporal,
        config: app.config,
        log: request.log,
        startMarks: app.startMarks,
        inserts: app.submissionInserts,
      },
      { ...input, partnerId: request.partnerId },
      idempotency,
    );
    return sendStored(reply, response);
  } catch (err) {
    throw asApiError(err);
  }
}
