/** What the order and invoice routes share: Idempotency-Key handling, domain errors to problems, the 202 reply. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
