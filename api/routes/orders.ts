/** `POST /v1/orders`: accept an order and start its workflow. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { OrderSchema } from '../../contracts/order';
import { acceptOnly } from '../plugins/content-types';
import { checkOrder } from '../../domain/order-checks';
import { ApiError, problemResponses } from '../problem';
import { AcceptedSchema } from '../schemas/submission';
import { acceptedExample, orderExample, withoutId } from '../schemas/examples';
import { stableJson } from '../../services/idempotency';
import { acceptFromRequest, chargeWhileRead, IdempotencyHeaders, LocationHeader } from './intake';

/** Order routes. */
export default async function orderRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/orders',
    {
      onRequest: acceptOnly(['application/json']),
      preParsing: chargeWhileRead(app, app.config.api.documentBodyLimitBytes),
      bodyLimit: app.config.api.documentBodyLimitBytes,
      schema: {
        tags: ['orders'],
        summary: 'Submit an order',
        description:
          'Validates the order (schema, then: an ISO 4217 currency, each SKU once, a total that fits), stores it and ' +
          'starts its workflow. Poll the Location or wait for a callback. ' +
          'With an Idempotency-Key a retry gets the original answer and starts nothing new. ' +
          'A body over 256 KiB costs one rate-limit token per started 256 KiB, taken before it is read.',
        security: [{ bearerAuth: [] }],
        headers: IdempotencyHeaders,
        body: { ...OrderSchema, examples: [orderExample] },
        response: {
          202: {
            ...withoutId(AcceptedSchema),
            description: 'Accepted; Location names the submission',
            headers: LocationHeader,
            examples: [acceptedExample('order')],
          },
          ...problemResponses(400, 401, 409, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const order = request.body;
      // An order the workflow would refuse (a SKU twice, a total past 2^53, a made-up currency) is refused here.
      const problems = checkOrder(order);
      if (problems.length)
        throw new ApiError(422, 'order-inconsistent', 'the order breaks a business rule', { errors: problems });
      // Canonical JSON keeps the fingerprint independent of whitespace and key order.
      return acceptFromRequest(
        app,
        request,
        reply,
        { type: 'order', payload: order, externalRef: order.orderNumber },
        () => stableJson(order),
      );
    },
  );
}
