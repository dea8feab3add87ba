/**
 * Actions on one webhook endpoint: rotate its signing secret, end a rotation's grace early, redeliver what failed
 * since an instant.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findDelivery, listUndelivered } from '../../db/webhook-deliveries';
import { endEndpointRotation, findEndpoint, rotateEndpointSecret } from '../../db/webhook-endpoints';
import { redeliver, RedeliveryConflictError } from '../../services/webhooks/delivery-runs';
import { sealSecret } from '../../adapters/webhooks/secret-box';
import { resolveWebhookSecretKey } from '../../adapters/webhooks/secret-key';
import { generateSecret } from '../../adapters/webhooks/secrets';
import { ApiError, problemResponses } from '../problem';
import { endpointView } from '../schemas/webhook-views';
import {
  DeliveryIdSchema,
  EndpointIdSchema,
  EndpointSchema,
  EndpointWithSecretSchema,
  RedeliverFailedResultSchema,
} from '../schemas/webhooks';

const Params = Type.Object({ id: EndpointIdSchema });
const SinceQuery = Type.Object(
  {
    since: Type.String({ format: 'date-time', description: 'Redeliver deliveries created at or after this instant' }),
    limit: Type.Integer({
      minimum: 1,
      maximum: 500,
      default: 100,
      description: 'At most this many, oldest first; each costs a token of the rate limit',
    }),
    after: Type.Optional({
      ...DeliveryIdSchema,
      description: 'Go on after this delivery of the endpoint: the `next` of the previous answer',
    }),
  },
  { additionalProperties: false },
);
const common = { tags: ['webhooks'], security: [{ bearerAuth: [] }] };

/** Webhook endpoint action routes. */
export default async function webhookEndpointActionRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const secretKey = resolveWebhookSecretKey(app.config.webhooks);
  async function mustFind(partnerId: string, id: string) {
    const endpoint = await findEndpoint(app.pool, partnerId, id);
    if (!endpoint) throw new ApiError(404, 'not-found', `webhook endpoint ${id} does not exist`);
    return endpoint;
  }

  app.post(
    '/v1/webhook-endpoints/:id/rotate-secret',
    {
      schema: {
        ...common,
        summary: 'Rotate the signing secret',
        description:
          'The new secret is shown once. Until previousSecretValidUntil every message carries signatures with both ' +
          'secrets; POST .../end-rotation ends that grace period early.',
        params: Params,
        response: { 200: EndpointWithSecretSchema, ...problemResponses(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const secret = generateSecret();
      const endpoint = await rotateEndpointSecret(
        app.pool,
        request.partnerId,
        id,
        sealSecret(secret, secretKey, id),
        app.config.webhooks.rotationGraceMs,
      );
      if (!endpoint) throw new ApiError(404, 'not-found', `webhook endpoint ${id} does not exist`);
      return { ...endpointView(endpoint), secret };
    },
  );

  app.post(
    '/v1/webhook-endpoints/:id/end-rotation',
    {
      schema: {
        ...common,
        summary: "End a rotation's grace period now",
        description:
          'Forgets the previous signing secret: from now on messages carry only the signature of the current secret ' +
          '(previousSecretValidUntil becomes null). Call it once every receiver verifies with the new secret, or ' +
          'at once when the old secret leaked. Without a rotation in progress it changes nothing.',
        params: Params,
        response: { 200: EndpointSchema, ...problemResponses(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const endpoint = await endEndpointRotation(app.pool, request.partnerId, id);
      if (!endpoint) throw new ApiError(404, 'not-found', `webhook endpoint ${id} does not exist`);
      return endpointView(endpoint);
    },
  );

  app.post(
    '/v1/webhook-endpoints/:id/redeliver-failed',
    {
      schema: {
        ...common,
        summary: 'Redeliver everything that failed since an instant',
        description:
          'Starts a new run for each exhausted or cancelled delivery of this endpoint created at or after `since`, ' +
          'oldest first, at most `limit` a request and a rate-limit token each; `more` says whether others remain ' +
          '(the same request with `after` set to `next` takes them; a delivery skipped is not taken again).',
        params: Params,
        querystring: SinceQuery,
        response: { 202: RedeliverFailedResultSchema, ...problemResponses(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { since, limit, after } = request.query;
      const endpoint = await mustFind(request.partnerId, id);
      if (!endpoint.enabled)
        throw new ApiError(409, 'endpoint-disabled', `webhook endpoint ${id} is disabled; enable it first`);
      if (after !== undefined && (await findDelivery(app.pool, request.partnerId, after))?.endpointId !== id)
        throw new ApiError(400, 'validation', `delivery ${after} is not a delivery of webhook endpoint ${id}`);
      // One run and one request to the endpoint per delivery: a request takes at most `limit` of them, and pays a
      // token for each (its arrival paid the first), before any run starts.
      const found = await listUndelivered(app.pool, id, new Date(since), limit + 1, after);
      const batch = found.slice(0, limit);
      await app.chargeRate(request, reply, batch.length - 1, batch.length, 'delivery');
      const redelivered: string[] = [];
      const skipped: { id: string; reason: string }[] = [];
      for (const delivery of batch) {
        try {
          await redeliver(app, delivery, app.config.webhooks);
          redelivered.push(delivery.id);
        } catch (err) {
          if (!(err instanceof RedeliveryConflictError)) throw err;
          skipped.push({ id: delivery.id, reason: err.message });
        }
      }
      const more = found.length > limit;
      return reply.status(202).send({ redelivered, skipped, more, ...(more && { next: batch.at(-1)!.id }) });
    },
  );
}
