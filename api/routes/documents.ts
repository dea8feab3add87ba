/** `GET /v1/submissions/{id}/invoice.pdf`: the invoice we issued for a partner's order, as stored in PostgreSQL. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getInvoiceDocument } from '../../db/issued-invoices';
import { ApiError, problemResponses } from '../problem';

const Params = Type.Object({ id: Type.String({ pattern: '^sub_[0-9a-z]{26}$', description: 'Submission id' }) });

/** Document routes. */
export default async function documentRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
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
          // The same JSON Schema as a plain object; Unsafe only tells the type provider the body is bytes.
          200: Type.Unsafe<Buffer>({
            description: 'The invoice PDF',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          }),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
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
