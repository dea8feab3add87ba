/**
 * Body parsers beyond JSON (UBL XML and NDJSON arrive as text) and the per-route content-type check: a type a
 * route does not take is refused with 415 before its body is read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { MAX_BATCH_LINE_CHARS, MAX_BATCH_LINES } from '../../domain/batch-lines';
import {
  badKeyMessage,
  findBadKey,
  findUnstorableString,
  type BadKey,
  isStorableString,
  jsonDepth,
  MAX_JSON_DEPTH,
  UNSTORABLE_MESSAGE,
} from '../../domain/text-limits';
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

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A body's bytes as text: UTF-8 only, and bytes that are not UTF-8 are a 400 (never silently U+FFFD). */
function utf8Text(body: Buffer, what: string): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw new ApiError(400, 'malformed-body', `the ${what} body is not valid UTF-8`);
  }
}

/**
 * Refuses in `onRequest`, before the body is read, what would otherwise be read wrongly: a compressed body (nothing
 * is ever inflated here) and a declared charset other than UTF-8 (ISO-8859-1 text was stored as U+FFFD).
 */
function checkEncoding(request: FastifyRequest): void {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    throw new ApiError(
      415,
      'unsupported-content-encoding',
      `Content-Encoding ${encoding} is not accepted; send the body uncompressed`,
    );
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    throw new ApiError(415, 'unsupported-charset', `charset ${charset} is not accepted; send UTF-8`);
}

/** The encoding an XML declaration names, if any. */
const XML_DECLARED_ENCODING = /^\uFEFF?<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']/;

/** Refuses the text of an XML body PostgreSQL could not store (NUL, lone surrogates) before it is parsed. */
function checkXmlText(text: string): void {
  if (!isStorableString(text)) throw new ApiError(400, 'invalid-string', `the XML document ${UNSTORABLE_MESSAGE}`);
}

/**
 * Reads an NDJSON body while counting its lines and the length of the current line: a batch over the line cap or
 * with an oversized line is refused (413) as soon as the excess arrives, before anything is split or parsed.
 */
function readNdjson(
  request: FastifyRequest,
  payload: NodeJS.ReadableStream,
  done: (err: Error | null, body?: string) => void,
) {
  const limit = request.routeOptions.bodyLimit ?? Infinity;
  const declared = Number(request.headers['content-length']);
  if (declared > limit)
    return done(new ApiError(413, 'payload-too-large', 'the request body is larger than the limit'));
  const chunks: Buffer[] = [];
  let size = 0;
  let newlines = 0;
  let lineBytes = 0;
  let finished = false;
  const finish = (err: Error | null, body?: string) => {
    if (finished) return;
    finished = true;
    chunks.length = 0;
    done(err, body);
  };
  // After a refusal the rest of the upload is read and dropped, so the connection stays usable for the answer.
  function onData(chunk: Buffer): void {
    if (finished) return;
    size += chunk.length;
    if (size > limit)
      return finish(new ApiError(413, 'payload-too-large', 'the request body is larger than the limit'));
    // Bytes, not characters: a line of 4-byte characters may be up to four times the character cap.
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      lineBytes += (nl === -1 ? chunk.length : nl) - from;
      if (lineBytes > MAX_BATCH_LINE_CHARS * 4)
        return finish(
          new ApiError(413, 'batch-line-too-large', `a batch line may hold at most ${MAX_BATCH_LINE_CHARS} characters`),
        );
      if (nl === -1) break;
      lineBytes = 0;
      from = nl + 1;
      if (++newlines > MAX_BATCH_LINES)
        return finish(new ApiError(413, 'batch-too-large', `a batch may hold at most ${MAX_BATCH_LINES} lines`));
    }
    chunks.push(chunk);
  }
  payload.on('data', onData);
  payload.on('error', (err: Error) => finish(err));
  payload.on('end', () => {
    try {
      // A byte order mark is not part of the first line (JSON and XML bodies skip it too); it made line 1 invalid JSON.
      const text = utf8Text(Buffer.concat(chunks), 'NDJSON');
      finish(null, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      finish(err as Error);
    }
  });
}

async function contentTypesPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (request) => checkEncoding(request));
  app.addContentTypeParser(XML_TYPES, { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      const text = utf8Text(body as Buffer, 'XML');
      const declared = XML_DECLARED_ENCODING.exec(text)?.[1]?.toLowerCase();
      if (declared !== undefined && declared !== 'utf-8' && declared !== 'utf8')
        throw new ApiError(415, 'unsupported-charset', `the XML declares encoding ${declared}; send UTF-8`);
      checkXmlText(text);
      done(null, text);
    } catch (err) {
      done(err as Error);
    }
  });
  app.addContentTypeParser(NDJSON_TYPE, readNdjson);

  // JSON: the depth is checked on the text before parsing, and every string after it, so a body PostgreSQL could
  // not store is a 400 naming the field instead of a 500 from the database.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8Text(body as Buffer, 'JSON');
    } catch (err) {
      return done(err as Error);
    }
    if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
      return done(new ApiError(400, 'malformed-body', `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`));
    // A member stated twice is refused, not read as its last statement, and a __proto__ member is named.
    const badKey = (bad: BadKey) =>
      new ApiError(400, 'malformed-body', `${bad.pointer} ${badKeyMessage(bad.problem)}`, {
        errors: [{ pointer: bad.pointer, message: badKeyMessage(bad.problem) }],
      });
    void parseJson(request, text, (err, value) => {
      if (err) {
        const bad = findBadKey(text);
        return done(bad?.problem === 'prototype' ? badKey(bad) : err);
      }
      const pointer = findUnstorableString(value);
      if (pointer !== undefined)
        return done(
          new ApiError(400, 'invalid-string', `${pointer} ${UNSTORABLE_MESSAGE}`, {
            errors: [{ pointer, message: UNSTORABLE_MESSAGE }],
          }),
        );
      const bad = findBadKey(text);
      if (bad) return done(badKey(bad));
      done(null, value);
    });
  });

  // Query strings and path parameters end up in SQL too.
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['query', request.query],
      ['params', request.params],
    ] as const) {
      const pointer = findUnstorableString(value);
      if (pointer !== undefined)
        throw new ApiError(400, 'invalid-string', `${part} ${pointer} ${UNSTORABLE_MESSAGE}`, {
          errors: [{ pointer: `/${part}${pointer}`, message: UNSTORABLE_MESSAGE }],
        });
    }
  });
}

/** Registers the body parsers and their structural limits. */
export default fp(contentTypesPlugin, { name: 'content-types' });
