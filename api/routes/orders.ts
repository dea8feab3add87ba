/** `POST /v1/orders`: accept an order and start its workflow. */
import type { FastifyInstance } from 'fastify';
import { OrderSchema } from '../../contracts/order';
import { acceptSubmission, StartFailedError } from '../../domain/submissions';
import { ApiError, problemResponses } from '../problem';
import { AcceptedSchema } from '../schemas/submission';

/** Order routes. */
export default async function orderRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/v1/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Submit an order',
        description: 'Validates the order, stores it and starts its workflow. Poll the Location or wait for a callback.',
        security: [{ bearerAuth: [] }],
        body: OrderSchema,
        response: { 202: AcceptedSchema, ...problemResponses(400, 401, 413, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const order = request.body as { orderNumber: string; lines: unknown[] };
      try {
        const row = await acceptSubmission(app, {
          partnerId: request.partnerId,
          type: 'order',
          payload: order,
          externalRef: order.orderNumber,
          summary: `Order ${order.orderNumber} from ${request.partnerId} (${order.lines.length} lines)`,
        });
        const self = `/v1/submissions/${row.id}`;
        return reply.status(202).header('location', self).send({ id: row.id, type: 'order', status: row.status, links: { self } });
      } catch (err) {
        if (err instanceof StartFailedError) throw new ApiError(503, 'unavailable', err.message, {}, { 'retry-after': '5' });
        throw err;
      }
    },
  );
}
