/**
 * Temporal's remote codec protocol, so operators read encrypted payloads in the Temporal UI and CLI
 * (`temporal workflow show --codec-endpoint http://host:3000/codec --codec-auth "Bearer $ADMIN_TOKEN"`):
 * `POST /codec/decode` and `POST /codec/encode` take and return `{payloads: [...]}` in protobuf JSON.
 * Operators only: `Authorization: Bearer <ADMIN_TOKEN>`, or the UI's endpoint `/codec/ui/<token>` (see
 * api/admin-token.ts). CORS answers the Temporal UI's origins (CODEC_CORS_ORIGINS).
 */
import type { Payload } from '@temporalio/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { AesGcmPayloadCodec, PayloadDecryptionError } from '../../adapters/temporal/payload-codec';
import { resolvePayloadKeys } from '../../adapters/temporal/payload-keys';
import { bearerMatches, codecUiToken, tokensMatch } from '../admin-token';
import { ApiError, problemResponses } from '../problem';

/**
 * Bytes in protobuf JSON: standard or URL-safe base64, padded or not. Buffer.from(text, 'base64') skips any other
 * character, so `"%%%"` was read as no bytes and answered 200 with a payload the caller never sent.
 */
const Base64 = Type.String({ pattern: '^[A-Za-z0-9+/_-]*={0,2}$', description: 'base64' });

const JsonPayload = Type.Object({
  metadata: Type.Optional(
    Type.Record(Type.String(), Base64, {
      description: 'Metadata entries, values base64 (protobuf JSON of bytes)',
    }),
  ),
  data: Type.Optional(Base64),
});
const Payloads = Type.Object(
  { payloads: Type.Array(JsonPayload, { maxItems: 10_000 }) },
  { description: 'temporal.api.common.v1.Payloads in protobuf JSON' },
);
type JsonPayloads = Static<typeof Payloads>;

const Action = Type.Union([Type.Literal('decode'), Type.Literal('encode')]);
const UiParams = Type.Object({ token: Type.String({ maxLength: 64 }), action: Action });
const Params = Type.Object({ action: Action });

function fromJson(body: JsonPayloads): Payload[] {
  return body.payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  }));
}

function toJson(payloads: Payload[]): JsonPayloads {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
      ),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}

const UNAUTHENTICATED = (): ApiError =>
  new ApiError(
    401,
    'unauthenticated',
    'send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"',
    {},
    { 'www-authenticate': 'Bearer realm="admin"' },
  );

/** Codec routes. */
export default async function codecRoutes(app: FastifyInstance): Promise<void> {
  const adminToken = app.config.admin.token;
  const codec = new AesGcmPayloadCodec(resolvePayloadKeys(app.config));
  const origins = new Set(app.config.codec.corsOrigins);

  const cors = (request: FastifyRequest, reply: FastifyReply): void => {
    const origin = request.headers.origin;
    if (!origin || !origins.has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
    reply.header('vary', 'Origin');
  };

  const convert = async (action: 'decode' | 'encode', body: JsonPayloads): Promise<JsonPayloads> => {
    try {
      const payloads = fromJson(body);
      return toJson(action === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads));
    } catch (err) {
      if (err instanceof PayloadDecryptionError) throw new ApiError(422, 'undecodable-payload', err.message);
      throw err;
    }
  };

  const schema = (params: typeof Params | typeof UiParams, hide: boolean) => ({
    tags: ['admin'],
    summary: 'Decode or encode Temporal payloads (remote codec protocol)',
    description:
      'For the Temporal UI and CLI. Payloads are AES-256-GCM encrypted with the key named in their metadata.',
    hide,
    params,
    body: Payloads,
    response: { 200: Payloads, ...problemResponses(400, 401, 403, 422) },
  });

  const preflight = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    cors(request, reply);
    reply.header('access-control-allow-methods', 'POST, OPTIONS');
    reply.header('access-control-allow-headers', 'authorization, content-type, x-namespace');
    reply.header('access-control-max-age', '600');
    await reply.code(204).send();
  };

  // Not partner routes: the admin token is checked here instead of an API key.
  app.options('/codec/:action', { config: { public: true }, schema: { hide: true } }, preflight);
  app.options('/codec/ui/:token/:action', { config: { public: true }, schema: { hide: true } }, preflight);

  // The token is checked in onRequest, before the body is read or validated (the CORS headers first, so the UI can
  // read a refusal).
  const requireToken =
    (matches: (request: FastifyRequest) => boolean) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      cors(request, reply);
      if (!adminToken) throw new ApiError(403, 'admin-disabled', 'the codec is disabled: set ADMIN_TOKEN to enable it');
      if (!matches(request)) throw UNAUTHENTICATED();
    };

  app.post<{ Params: Static<typeof Params>; Body: JsonPayloads }>(
    '/codec/:action',
    {
      config: { public: true },
      schema: schema(Params, false),
      onRequest: requireToken((request) => bearerMatches(request.headers.authorization, adminToken!)),
    },
    async (request) => convert(request.params.action, request.body),
  );

  app.post<{ Params: Static<typeof UiParams>; Body: JsonPayloads }>(
    '/codec/ui/:token/:action',
    {
      config: { public: true },
      schema: schema(UiParams, true),
      onRequest: requireToken((request) =>
        tokensMatch((request.params as { token: string }).token, app.config.codec.uiToken ?? codecUiToken(adminToken!)),
      ),
    },
    async (request) => convert(request.params.action, request.body),
  );
}
