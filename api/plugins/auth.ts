/**
 * Authentication in `onRequest`, before any body is read: the admin token for routes marked `config: { admin: true }`,
 * a partner's bearer API key for every route not marked `config: { public: true }`. The partner id is put on the
 * request; every query then filters by it, so a partner sees only its own.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { findActiveKey, touchApiKey } from '../../db/api-keys';
import { parseApiKey, secretMatches } from '../../services/api-keys';
import { bearerMatches } from '../admin-token';
import { ApiError } from '../problem';

declare module 'fastify' {
  interface FastifyRequest {
    partnerId: string;
  }
  interface FastifyContextConfig {
    public?: boolean;
    /** Operators only: the ADMIN_TOKEN instead of a partner key. */
    admin?: boolean;
  }
}

const CHALLENGE = { 'www-authenticate': 'Bearer realm="partner-api"' };

/** How often a key's last use is written: the column says "used recently", not every request (one write a minute). */
const TOUCH_EVERY_MS = 60_000;

async function authenticate(
  app: FastifyInstance,
  request: FastifyRequest,
  touched: Map<string, number>,
): Promise<void> {
  const header = request.headers.authorization;
  if (!header)
    throw new ApiError(401, 'unauthenticated', 'send your API key as "Authorization: Bearer <key>"', {}, CHALLENGE);
  const match = /^Bearer (\S+)$/.exec(header);
  const parsed = match ? parseApiKey(match[1]!) : undefined;
  if (!parsed)
    throw new ApiError(401, 'unauthenticated', 'the Authorization header is not "Bearer pwk_..."', {}, CHALLENGE);
  const stored = await findActiveKey(app.pool, parsed.id);
  if (!stored || !secretMatches(parsed.secret, stored.secretHash)) {
    throw new ApiError(401, 'unauthenticated', 'the API key is unknown or revoked', {}, CHALLENGE);
  }
  request.partnerId = stored.partnerId;
  const now = Date.now();
  if (now - (touched.get(parsed.id) ?? 0) >= TOUCH_EVERY_MS) {
    if (touched.size > 10_000) touched.clear();
    touched.set(parsed.id, now);
    touchApiKey(app.pool, parsed.id).catch((err: unknown) => request.log.warn({ err }, 'could not record key use'));
  }
}

/** Checks the admin token; the admin routes are disabled (403) when none is configured. */
function requireAdmin(app: FastifyInstance, request: FastifyRequest): void {
  const token = app.config.admin.token;
  if (!token) throw new ApiError(403, 'admin-disabled', 'the admin API is disabled: set ADMIN_TOKEN to enable it');
  if (!bearerMatches(request.headers.authorization, token)) {
    throw new ApiError(
      401,
      'unauthenticated',
      'send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"',
      {},
      {
        'www-authenticate': 'Bearer realm="admin"',
      },
    );
  }
}

async function authPlugin(app: FastifyInstance): Promise<void> {
  app.decorateRequest('partnerId', '');
  const touched = new Map<string, number>();
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.admin) return requireAdmin(app, request);
    const url = request.routeOptions.url;
    if (request.routeOptions.config?.public || !url || url === '/docs' || url.startsWith('/docs/')) return;
    await authenticate(app, request, touched);
  });
}

/** Registers API-key authentication. */
export default fp(authPlugin, { name: 'auth', dependencies: ['services'] });
