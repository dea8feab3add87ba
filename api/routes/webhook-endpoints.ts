/** `/v1/webhook-endpoints`: register, list, read, enable/disable and delete; per-endpoint actions live next door. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { newId } from '../../db/ids';
import {
  deleteEndpoint,
  findEndpoint,
  insertEndpointWithinCap,
  listEndpoints,
  setEndpointEnabled,
} from '../../db/webhook-endpoints';
import { endpointUrlProblem, normalizeEndpointUrl } from '../../services/webhooks/endpoint-url';
import { sealSecret } from '../../adapters/webhooks/secret-box';
import { resolveWebhookSecretKey } from '../../adapters/webhooks/secret-key';
import { generateSecret } from '../../adapters/webhooks/secrets';
import { ApiError, problemResponses } from '../problem';
import webhookEndpointActionRoutes from './webhook-endpoint-actions';
import { endpointView } from '../schemas/webhook-views';
import {
  CreateEndpointBody,
  EndpointIdSchema,
  EndpointListSchema,
  EndpointSchema,
  EndpointWithSecretSchema,
  PatchEndpointBody,
} from '../schemas/webhooks';

const Params = Type.Object({ id: EndpointIdSchema });
const common = { tags: ['webhooks'], security: [{ bearerAuth: [] }] };

/** Webhook endpoint routes. */
export default async function webhookEndpointRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  // Resolved once: without WEBHOOK_SECRET_KEY (development) the key file is created here on first start.
  const secretKey = resolveWebhookSecretKey(app.config.webhooks);
  await app.register(webhookEndpointActionRoutes);
  async function mustFind(partnerId: string, id: string) {
    const endpoint = await findEndpoint(app.pool, partnerId, id);
    if (!endpoint) throw new ApiError(404, 'not-found', `webhook endpoint ${id} does not exist`);
    return endpoint;
  }

  app.post(
    '/v1/webhook-endpoints',
    {
      schema: {
        ...common,
        summary: 'Register a webhook endpoint',
        description:
          'The answer carries the whsec_ signing secret, shown this once. Messages follow Standard Webhooks v1.',
        body: CreateEndpointBody,
        response: { 201: EndpointWithSecretSchema, ...problemResponses(400, 401, 409, 415, 422, 429) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const problem = endpointUrlProblem(body.url, app.config.webhooks.allowList);
      if (problem)
        throw new ApiError(422, 'invalid-webhook-url', problem, { errors: [{ pointer: '/url', message: problem }] });
      const secret = generateSecret();
      const max = app.config.webhooks.maxEndpointsPerPartner;
      const id = newId('whe');
      const created = await insertEndpointWithinCap(
        app.pool,
        {
          id,
          partnerId: request.partnerId,
          url: normalizeEndpointUrl(body.url),
          description: body.description,
          eventTypes: body.eventTypes ?? [],
          secret: sealSecret(secret, secretKey, id),
        },
        max,
      );
      if ('refused' in created)
        throw created.refused === 'duplicate'
          ? new ApiError(409, 'duplicate-webhook-url', 'an endpoint with this URL already exists', {
              errors: [{ pointer: '/url', message: 'is already registered' }],
            })
          : new ApiError(409, 'webhook-endpoint-limit', `a partner may register at most ${max} webhook endpoints`);
      const { endpoint } = created;
      return reply
        .status(201)
        .header('location', `/v1/webhook-endpoints/${endpoint.id}`)
        .send({ ...endpointView(endpoint), secret });
    },
  );

  app.get(
    '/v1/webhook-endpoints',
    {
      schema: {
        ...common,
        summary: 'List webhook endpoints',
        response: { 200: EndpointListSchema, ...problemResponses(401, 429) },
      },
    },
    async (request) => ({ data: (await listEndpoints(app.pool, request.partnerId)).map((e) => endpointView(e)) }),
  );

  app.get(
    '/v1/webhook-endpoints/:id',
    {
      schema: {
        ...common,
        summary: 'A webhook endpoint',
        params: Params,
        response: { 200: EndpointSchema, ...problemResponses(400, 401, 404, 429) },
      },
    },
    async (request) => endpointView(await mustFind(request.partnerId, request.params.id)),
  );

  app.patch(
    '/v1/webhook-endpoints/:id',
    {
      schema: {
        ...common,
        summary: 'Enable or disable a webhook endpoint',
        description: 'Enabling clears the failure record; missed deliveries can then be sent with redeliver-failed.',
        params: Params,
        body: PatchEndpointBody,
        response: { 200: EndpointSchema, ...problemResponses(400, 401, 404, 415, 429) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { enabled } = request.body;
      const endpoint = await setEndpointEnabled(app.pool, request.partnerId, id, enabled);
      if (!endpoint) throw new ApiError(404, 'not-found', `webhook endpoint ${id} does not exist`);
      return endpointView(endpoint);
    },
  );

  app.delete(
    '/v1/webhook-endpoints/:id',
    {
      schema: {
        ...common,
        summary: 'Delete a webhook endpoint',
        description: 'Stops its deliveries; their history stays readable.',
        params: Params,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problemResponses(400, 401, 404, 429) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await deleteEndpoint(app.pool, request.partnerId, id)))
        throw new ApiError(404, 'not-found', `webhook endpoint ${id} does not exist`);
      return reply.status(204).send(null);
    },
  );
}
