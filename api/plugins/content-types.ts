/**
 * Body parsers beyond JSON (UBL XML and NDJSON arrive as text) and the per-route content-type check: a type a
 * route does not take is refused with 415 before its body is read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../problem';

/** XML media types we read as UBL. */
export const XML_TYPES = ['application/xml', 'text/xml'];
/** The batch media type. */
export const NDJSON_TYPE = 'application/x-ndjson';

/** The request's media type without parameters, lower-cased. */
export function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** An onRequest hook that answers 415 unless the body has one of these media types. */
export function acceptOnly(types: string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const type = mediaType(request);
    if (!types.includes(type)) {
      throw new ApiError(
        415,
        'unsupported-media-type',
        `Content-Type must be ${types.join(' or ')}, got "${type || 'none'}"`,
      );
    }
  };
}

async function contentTypesPlugin(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser([...XML_TYPES, NDJSON_TYPE], { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
}

/** Registers the text body parsers. */
export default fp(contentTypesPlugin, { name: 'content-types' });
