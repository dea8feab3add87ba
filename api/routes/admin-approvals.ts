/**
 * `POST /v1/admin/submissions/{id}/decision`: an operator approves or rejects an invoice waiting for approval.
 * Protected by the admin token (ADMIN_TOKEN), not by partner keys; disabled when no token is configured.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { APPROVER_PATTERN } from '../../contracts';
import { DecisionRefusedError, decideInvoice } from '../../services/invoice-approval';
import { ApiError, problemResponses } from '../problem';

const Params = Type.Object({ id: Type.String({ pattern: '^sub_[0-9a-z]{26}$', description: 'Submission id' }) });

const Body = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    // The workflow's own rule (it trims first), so a bad name is a 400 here, not a 409 after a round trip to it.
    approver: Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: `^\\s*${APPROVER_PATTERN.slice(1, -1)}\\s*$`,
      description: "Who decides; recorded with the decision: letters, digits, spaces and ._@'-",
    }),
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

const Outcome = Type.Object({
  submissionId: Type.String(),
  accepted: Type.Boolean(),
  status: Type.String({ description: 'Status of the invoice once the decision was applied' }),
});

/** Admin approval routes. */
export default async function adminApprovalRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/admin/submissions/:id/decision',
    {
      // Not a partner route: the admin token is checked in onRequest (auth plugin), before the body is read.
      config: { admin: true },
      schema: {
        tags: ['admin'],
        summary: 'Approve or reject an invoice waiting for approval',
        description: 'Sent to the workflow as an update: the approver is validated and the resulting status returned.',
        security: [{ adminToken: [] }],
        params: Params,
        body: Body,
        response: { 200: Outcome, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const body = request.body;
      try {
        return await decideInvoice(app, id, body);
      } catch (err) {
        if (err instanceof DecisionRefusedError) {
          throw new ApiError(err.reason === 'not-found' ? 404 : 409, err.reason, err.message);
        }
        throw err;
      }
    },
  );
}
