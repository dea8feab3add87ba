/** Submissions: the list, one status document, and cancelling. */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { cancelSignal, isFinalStatus, type SubmissionStatus } from '../../contracts';
import { listPartnerSubmissions } from '../../db/submission-list';
import { findSubmission } from '../../db/submissions';
import { statusDocument } from '../../services/submission-status';
import { ApiError, problemResponses } from '../problem';
import {
  CancelAcceptedSchema,
  decodeCursor,
  encodeCursor,
  ListQuerySchema,
  SubmissionPageSchema,
} from '../schemas/submission-list';
import { StatusDocumentSchema } from '../schemas/submission';

const Params = Type.Object({ id: Type.String({ pattern: '^sub_[0-9a-z]{26}$', description: 'Submission id' }) });

/** Submission routes. */
export default async function submissionRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/submissions',
    {
      schema: {
        tags: ['submissions'],
        summary: 'List your submissions',
        description:
          'Newest first, filtered by status and type, paged with an opaque cursor. Only your own submissions.',
        security: [{ bearerAuth: [] }],
        querystring: ListQuerySchema,
        response: { 200: SubmissionPageSchema, ...problemResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const q = request.query;
      const afterId = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      if (q.cursor !== undefined && !afterId) {
        throw new ApiError(400, 'validation', 'the cursor is not valid', {
          errors: [{ pointer: '/query/cursor', message: 'use the nextCursor of a previous page' }],
        });
      }
      const rows = await listPartnerSubmissions(app.pool, {
        partnerId: request.partnerId,
        status: q.status,
        type: q.type,
        afterId,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((r) => ({
          id: r.id,
          type: r.type,
          status: r.status,
          reference: r.externalRef,
          batchId: r.batchId,
          createdAt: r.createdAt.toISOString(),
          updatedAt: r.updatedAt.toISOString(),
          links: { self: `/v1/submissions/${r.id}` },
        })),
        nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]!.id) : null,
      };
    },
  );

  app.get(
    '/v1/submissions/:id',
    {
      schema: {
        tags: ['submissions'],
        summary: 'Status of a submission',
        description:
          'Steps with attempts and last error, the result, and links. Answered live (workflow query) while the workflow ' +
          'runs, from stored state once it has closed.',
        security: [{ bearerAuth: [] }],
        params: Params,
        response: { 200: StatusDocumentSchema, ...problemResponses(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const row = await findSubmission(app.pool, request.partnerId, id);
      if (!row) throw new ApiError(404, 'not-found', `submission ${id} does not exist`);
      return statusDocument(app, row);
    },
  );

  app.post(
    '/v1/submissions/:id/cancel',
    {
      schema: {
        tags: ['submissions'],
        summary: 'Cancel a submission',
        description:
          'Sends the cancel signal; work already done is compensated (a charge is refunded). 409 once the submission ' +
          'has finished, or has passed the point where it can stop (an order once its invoice is being issued, an ' +
          'invoice once its payable is being booked): the status document then has no cancel link. 202 means the ' +
          'request reached the run, which decides as it arrives: a run that passed that point in the meantime (an ' +
          'approval given at the same moment) completes instead; follow the Location for the outcome.',
        security: [{ bearerAuth: [] }],
        params: Params,
        response: { 202: CancelAcceptedSchema, ...problemResponses(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const row = await findSubmission(app.pool, request.partnerId, id);
      if (!row) throw new ApiError(404, 'not-found', `submission ${id} does not exist`);
      const finished = (status: SubmissionStatus) =>
        new ApiError(
          409,
          'already-finished',
          `submission ${id} has already finished (${status}); it cannot be cancelled`,
          { submissionId: id },
        );
      // The workflow's own view first: a run that has just finished may not have stored its state yet.
      const current = await statusDocument(app, row);
      if (isFinalStatus(current.status)) throw finished(current.status);
      if (!current.links.cancel) {
        throw new ApiError(
          409,
          'too-late',
          `submission ${id} is past the point where it can be cancelled; it will complete`,
          {
            submissionId: id,
          },
        );
      }
      const handle = app.temporal.workflow.getHandle(row.workflowId);
      await handle
        .signal(cancelSignal, { reason: 'cancelled by the partner through the API', requestedBy: request.partnerId })
        .catch(async (err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          // Either it closed since, or its workflow has not been started yet (the sweeper will start it).
          const now = await statusDocument(app, row);
          if (isFinalStatus(now.status)) throw finished(now.status);
          throw new ApiError(
            409,
            'not-started',
            `submission ${id} has not started yet; retry shortly`,
            {},
            { 'retry-after': '5' },
          );
        });
      const self = `/v1/submissions/${id}`;
      return reply
        .status(202)
        .header('location', self)
        .send({ id, status: current.status, cancelRequested: true, links: { self } });
    },
  );
}
