/** `/v1/webhook-deliveries`: every delivery with its attempts, and redelivery of one that did not get through. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findDelivery, listAttempts, listDeliveries } from '../../db/webhook-deliveries';
import { findEndpoint } from '../../db/webhook-endpoints';
import { redeliver, RedeliveryConflictError } from '../../services/webhooks/delivery-runs';
import { ApiError, problemResponses } from '../problem';
import { deliveryDetailView, deliveryView } from '../schemas/webhook-views';
import {
  DeliveryDetailSchema,
  DeliveryIdSchema,
  DeliveryListQuery,
  DeliveryListSchema,
  DeliverySchema,
} from '../schemas/webhooks';

const Params = Type.Object({ id: DeliveryIdSchema });
const common = { tags: ['webhooks'], security: [{ bearerAuth: [] }] };

/** Webhook delivery routes. */
export default async function webhookDeliveryRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  async function mustFind(partnerId: string, id: string) {
    const delivery = await findDelivery(app.pool, partnerId, id);
    if (!delivery) throw new ApiError(404, 'not-found', `webhook delivery ${id} does not exist`);
    return delivery;
  }

  app.get(
    '/v1/webhook-deliveries',
    {
      schema: {
        ...common,
        summary: 'List webhook deliveries',
        description: 'Newest first; filter by submission, endpoint or status.',
        querystring: DeliveryListQuery,
        response: { 200: DeliveryListSchema, ...problemResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const q = request.query;
      return { data: (await listDeliveries(app.pool, { partnerId: request.partnerId, ...q })).map(deliveryView) };
    },
  );

  app.get(
    '/v1/webhook-deliveries/:id',
    {
      schema: {
        ...common,
        summary: 'A webhook delivery with every attempt',
        params: Params,
        response: { 200: DeliveryDetailSchema, ...problemResponses(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const delivery = await mustFind(request.partnerId, request.params.id);
      return deliveryDetailView(delivery, await listAttempts(app.pool, delivery.id));
    },
  );

  app.post(
    '/v1/webhook-deliveries/:id/redeliver',
    {
      schema: {
        ...common,
        summary: 'Redeliver a webhook',
        description: 'Starts a new run with the same webhook-id and a fresh schedule. 409 while a run is still going.',
        params: Params,
        response: { 202: DeliverySchema, ...problemResponses(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const delivery = await mustFind(request.partnerId, request.params.id);
      const endpoint = await findEndpoint(app.pool, request.partnerId, delivery.endpointId);
      if (!endpoint) throw new ApiError(409, 'endpoint-deleted', `webhook endpoint ${delivery.endpointId} was deleted`);
      if (!endpoint.enabled)
        throw new ApiError(409, 'endpoint-disabled', `webhook endpoint ${endpoint.id} is disabled; enable it first`);
      try {
        await redeliver(app, delivery, app.config.webhooks);
      } catch (err) {
        if (err instanceof RedeliveryConflictError) throw new ApiError(409, 'delivery-in-progress', err.message);
        throw err;
      }
      return reply.status(202).send(deliveryView({ ...delivery, status: 'pending' }));
    },
  );
}
