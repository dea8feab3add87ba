/** `GET /v1/submissions/{id}/invoice.pdf`: the invoice we issued for a partner's order, as stored in PostgreSQL. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { getInvoiceDocument } from '../../db/issued-invoices';
import { ApiError, problemResponses } from '../problem';

const Params = Type.Object({ id: Type.String({ pattern: '^sub_[0-9a-z]{26}$', description: 'Submission id' }) });

/** Document routes. */
export default async function documentRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/v1/submissions/:id/invoice.pdf',
    {
      schema: {
        tags: ['submissions'],
        summary: 'The invoice PDF of an order',
        description: 'Available once the order workflow has issued the invoice (see links.invoice on the status).',
        security: [{ bearerAuth: [] }],
        params: Params,
        produces: ['application/pdf'],
        response: {
          200: {
            description: 'The invoice PDF',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      // Filtered by the caller's partner id: another partner's invoice is simply not found.
      const doc = await getInvoiceDocument(app.pool, request.partnerId, id);
      if (!doc) throw new ApiError(404, 'not-found', `submission ${id} has no invoice (yet)`);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${doc.invoiceNumber}.pdf"`)
        .send(doc.document);
    },
  );
}
