/** `POST /v1/batches` (NDJSON, one order or invoice per line) and `GET /v1/batches/{id}` (counts by status). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { SubmissionStatuses, type SubmissionStatus } from '../../contracts';
import { batchCounts, findBatch } from '../../db/batches';
import { batchLineCount, batchReadLineCount, MAX_BATCH_LINES } from '../../domain/batch-lines';
import { acceptBatch } from '../../services/batches';
import { answeredBefore, parseIdempotencyKey, requestHash } from '../../services/idempotency';
import { acceptOnly, NDJSON_TYPE } from '../plugins/content-types';
import { ApiError, problemResponses } from '../problem';
import { BatchAcceptedSchema, BatchRejectedSchema, BatchStatusSchema } from '../schemas/batch';
import { batchExample } from '../schemas/examples';
import { asApiError, IdempotencyHeaders, LocationHeader } from './intake';

const Params = Type.Object({ id: Type.String({ pattern: '^bat_[0-9a-z]{26}$', description: 'Batch id' }) });

/** Batch routes. */
export default async function batchRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/batches',
    {
      onRequest: acceptOnly([NDJSON_TYPE]),
      // One token per line read: the first on arrival (plugins/rate-limit.ts), the rest once the lines are counted.
      bodyLimit: app.config.api.bodyLimitBytes,
      schema: {
        tags: ['batches'],
        summary: 'Submit many orders and invoices (NDJSON)',
        description:
          'One JSON object per line: {"type": "order" | "invoice", "body": <the order or canonical invoice>}. Each good ' +
          'line becomes a submission; each bad line is reported with its number and errors and does not affect the ' +
          'others. Up to 20,000 lines within the body size limit. Workflows start right after the answer.',
        security: [{ bearerAuth: [] }],
        headers: IdempotencyHeaders,
        // Per-content-type body: the same JSON Schema as a plain object; Unsafe tells the type provider it is text.
        body: Type.Unsafe<string>({
          content: { [NDJSON_TYPE]: { schema: Type.String({ examples: [batchExample] }) } },
        }),
        response: {
          202: { ...BatchAcceptedSchema, description: 'At least one line was accepted', headers: LocationHeader },
          // No line could be accepted (the lines say why), or the Idempotency-Key was used with another batch (a
          // plain problem): the serializer must take both, or the second became a 500.
          422: Type.Union([BatchRejectedSchema, Type.Ref('Problem')], {
            description: 'No line could be accepted, or the Idempotency-Key was used with another body',
          }),
          ...problemResponses(400, 401, 409, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const text = request.body;
      const lines = batchLineCount(text);
      // Blank lines are skipped, not read: they cost nothing (20,000 line breaks took 20,000 tokens, for a 400).
      const read = batchReadLineCount(text);
      try {
        const key = parseIdempotencyKey(request.headers['idempotency-key']);
        const idempotency = key ? { key, requestHash: requestHash('/v1/batches', NDJSON_TYPE, text) } : undefined;
        // The repeat of a key already answered gets that answer (422 for another body) before any line is read: it
        // costs only the token taken on arrival, so it must not cost the reading of up to 20,000 lines either.
        const stored =
          idempotency && (await answeredBefore(app.pool, { ...idempotency, partnerId: request.partnerId }));
        // One token per line read, the first taken on arrival. Too many lines is 413 from the service: no more.
        const cost = stored || lines > MAX_BATCH_LINES ? 1 : Math.max(1, read);
        await app.chargeRate(request, reply, cost - 1, cost);
        const { response, batchId } = stored
          ? { response: stored, batchId: undefined }
          : await acceptBatch(app, request.partnerId, text, idempotency);
        if (batchId) app.startWorkflowsInBackground(batchId);
        if (response.location) reply.header('location', response.location);
        if (response.status >= 400) reply.type('application/problem+json');
        // A stored response is replayed as it was first sent (202, or 422 when no line was accepted).
        return reply.status(response.status as 202).send(response.body as Static<typeof BatchAcceptedSchema>);
      } catch (err) {
        throw asApiError(err);
      }
    },
  );

  app.get(
    '/v1/batches/:id',
    {
      schema: {
        tags: ['batches'],
        summary: 'Progress of a batch',
        description: 'How many of its submissions are in each status, and the lines that were rejected.',
        security: [{ bearerAuth: [] }],
        params: Params,
        response: { 200: BatchStatusSchema, ...problemResponses(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const batch = await findBatch(app.pool, request.partnerId, id);
      if (!batch) throw new ApiError(404, 'not-found', `batch ${id} does not exist`);
      const { byStatus, unstarted } = await batchCounts(app.pool, id);
      return {
        id,
        createdAt: batch.createdAt.toISOString(),
        lineCount: batch.lineCount,
        accepted: batch.acceptedCount,
        rejected: batch.rejectedCount,
        counts: Object.fromEntries(SubmissionStatuses.map((s) => [s, byStatus[s] ?? 0])) as Record<
          SubmissionStatus,
          number
        >,
        notYetStarted: unstarted,
        rejectedLines: batch.rejected.map((r) => ({ status: 'rejected' as const, ...r })),
        links: { self: `/v1/batches/${id}`, submissions: '/v1/submissions' },
      };
    },
  );
}
