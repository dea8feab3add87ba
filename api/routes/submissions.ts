/** `GET /v1/submissions/{id}`: the status document. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { findSubmission } from '../../db/submissions';
import { statusDocument } from '../../domain/submission-status';
import { ApiError, problemResponses } from '../problem';
import { StatusDocumentSchema } from '../schemas/submission';

const Params = Type.Object({ id: Type.String({ pattern: '^sub_[0-9a-z]{26}$', description: 'Submission id' }) });

/** Submission routes. */
export default async function submissionRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/v1/submissions/:id',
    {
      schema: {
        tags: ['submissions'],
        summary: 'Status of a submission',
        description: 'Steps with attempts and last error, the result, and links. Answered live while the workflow runs.',
        security: [{ bearerAuth: [] }],
        params: Params,
        response: { 200: StatusDocumentSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const row = await findSubmission(app.pool, request.partnerId, id);
      if (!row) throw new ApiError(404, 'not-found', `submission ${id} does not exist`);
      return statusDocument(app, row);
    },
  );
}
