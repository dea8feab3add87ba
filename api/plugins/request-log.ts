/**
 * One log line per request (Fastify's own two lines per request are off): method, route, status and time, as
 * `POST /v1/orders 202 14ms` for people at a terminal; in JSON the same fields plus the submission and workflow
 * ids the request touched, so a request can be followed into Temporal.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { submissionWorkflowId } from '../../contracts';

const SUBMISSION_ID = /sub_[0-9a-z]{26}/;
const TYPE_OF_ROUTE: Record<string, 'order' | 'invoice'> = { '/v1/orders': 'order', '/v1/invoices': 'invoice' };

/** The submission (and, when its type is known, the workflow) a request created or read. */
export function submissionOf(request: FastifyRequest, reply: FastifyReply): Record<string, string> {
  const location = reply.getHeader('location');
  const source = typeof location === 'string' ? location : request.url;
  const submissionId = SUBMISSION_ID.exec(source)?.[0];
  if (!submissionId) return {};
  const type = TYPE_OF_ROUTE[request.routeOptions.url ?? ''];
  return type ? { submissionId, workflowId: submissionWorkflowId(type, submissionId) } : { submissionId };
}

async function requestLogPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? request.url.split('?')[0];
    const ms = Math.round(reply.elapsedTime);
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    request.log[level](
      {
        method: request.method,
        route,
        statusCode: reply.statusCode,
        responseTimeMs: ms,
        ...(request.partnerId ? { partnerId: request.partnerId } : {}),
        ...submissionOf(request, reply),
      },
      `${request.method} ${route} ${reply.statusCode} ${ms}ms`,
    );
  });
}

/** Registers the request log line. */
export default fp(requestLogPlugin, { name: 'request-log' });
