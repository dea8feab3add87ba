/**
 * The one error handler: every error becomes `application/problem+json`. Domain and parser refusals map to their
 * 4xx here (one table); 4xx keep their message and list the invalid fields (capped); 5xx are generic (details go
 * to the log only).
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { SubscriptionInputError } from '../../services/billing/subscriptions';
import { DecisionRefusedError } from '../../services/invoice-approval';
import { capListedErrors, IntakeError, MAX_LISTED_ERRORS } from '../../domain/intake-errors';
import { XmlSyntaxError } from '../../domain/ubl/xml-tree';
import { RedeliveryConflictError } from '../../services/webhooks/delivery-runs';
import { ApiError, problem } from '../problem';
import { isTemporalUnavailable } from '../../adapters/temporal/unavailable';

/** What a 503 asks a client to wait while Temporal cannot be reached. */
const TEMPORAL_RETRY_AFTER_SECONDS = 5;

/** Domain and parser errors as the API answers them; anything not here and not 4xx is a 500. */
export function asApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof IntakeError) return new ApiError(err.status, err.code, err.message, err.extra);
  if (err instanceof DecisionRefusedError)
    return new ApiError(err.reason === 'not-found' ? 404 : 409, err.reason, err.message);
  if (err instanceof RedeliveryConflictError) return new ApiError(409, 'delivery-in-progress', err.message);
  if (err instanceof XmlSyntaxError) return new ApiError(400, 'malformed-body', err.message);
  if (err instanceof SubscriptionInputError) return new ApiError(400, 'validation', err.message);
  // The workflow engine out of reach is an outage the client can wait out, not a fault of the request.
  if (isTemporalUnavailable(err))
    return new ApiError(
      503,
      'temporal-unavailable',
      'the workflow engine cannot be reached; try again shortly',
      {},
      {
        'retry-after': String(TEMPORAL_RETRY_AFTER_SECONDS),
      },
    );
  return undefined;
}

function capErrors(extra: Record<string, unknown>): Record<string, unknown> {
  const errors = extra.errors;
  return Array.isArray(errors) ? capListedErrors({ ...extra, errors }) : extra;
}

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
  keyword?: string;
}

function pointerOf(e: AjvError, context: string | undefined): string {
  const base = e.instancePath ?? '';
  const extra = e.params?.missingProperty ?? e.params?.additionalProperty;
  const prefix = context && context !== 'body' ? `/${context}` : '';
  return `${prefix}${base}${extra ? `/${String(extra)}` : ''}` || '/';
}

const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', 'Content-Type must be application/json'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload-too-large', 'the request body is larger than the limit'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed-body', 'the JSON body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed-body', 'the body is not valid JSON'],
};

async function errorsPlugin(app: FastifyInstance): Promise<void> {
  // HTTP/1.1 requires Host (RFC 9112, 3.2); Node's own refusal of a request without one had no body (app.ts lets it
  // through to here instead).
  app.addHook('onRequest', async (request) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined)
      throw new ApiError(400, 'malformed-request', 'an HTTP/1.1 request needs a Host header');
  });
  app.setErrorHandler((err: FastifyError & { validation?: AjvError[]; validationContext?: string }, request, reply) => {
    let status: number;
    let body;
    const known = asApiError(err);
    if (known) {
      status = known.status;
      body = problem(status, known.code, known.message, capErrors(known.extra));
      reply.headers(known.headers);
    } else if (err.validation) {
      status = 400;
      const errors = err.validation.slice(0, MAX_LISTED_ERRORS).map((e) => ({
        pointer: pointerOf(e, err.validationContext),
        message: e.message ?? 'is invalid',
      }));
      body = problem(400, 'validation', `the request ${err.validationContext ?? 'body'} is invalid`, { errors });
    } else if (err.code && FASTIFY_CODES[err.code]) {
      const [s, code, detail] = FASTIFY_CODES[err.code]!;
      status = s;
      body = problem(
        s,
        code,
        err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? `${detail}, got "${request.headers['content-type'] ?? ''}"`
          : detail,
      );
    } else if (err instanceof SyntaxError || err.statusCode === 400) {
      status = 400;
      body = problem(400, 'malformed-body', err.message);
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      body = problem(status, 'client-error', err.message);
    } else {
      status = 500;
      request.log.error({ err }, 'request failed');
      body = problem(500, 'internal', 'an unexpected error occurred; it has been logged, please retry later');
    }
    void reply
      .status(status)
      .type('application/problem+json')
      .send({ ...body, instance: request.url });
  });

  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .type('application/problem+json')
      .send({
        ...problem(404, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`),
        instance: request.url,
      });
  });
}

/**
 * Errors the router meets before any route or hook runs (a path that is not valid percent-encoding, a path parameter
 * over its length limit), as problem documents; Fastify's own answer was plain JSON echoing the path.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const status = tooLong ? 414 : 400;
  const detail = tooLong ? 'a path parameter is longer than allowed' : 'the request path is not valid';
  void reply
    .status(status)
    .type('application/problem+json')
    .send(problem(status, tooLong ? 'uri-too-long' : 'malformed-path', detail));
}

/**
 * What the HTTP parser refuses before Fastify sees a request (a malformed request line, Content-Length with
 * Transfer-Encoding, headers over the size limit, a timeout), as a problem document on the raw socket.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request-timeout', 'the request did not arrive in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers-too-large', 'the request headers are larger than allowed']
        : [400, 'malformed-request', 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify(problem(status, code, detail));
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  socket.destroy(err);
}

/**
 * Node's own answer to an `Expect` other than `100-continue` (417 with no body), as a problem document; the request is
 * not handled (RFC 9110: a server that does not meet an expectation answers 417).
 */
export function expectationFailed(_request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify(problem(417, 'expectation-failed', 'only "Expect: 100-continue" is supported'));
  response.writeHead(417, {
    connection: 'close',
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** Registers the problem+json error handler. */
export default fp(errorsPlugin, { name: 'errors' });
