/**
 * Authentication in `onRequest`, before any body is read: the admin token for routes marked `config: { admin: true }`,
 * a partner's bearer API key for every route not marked `config: { public: true }`. The partner id is put on the
 * request; every query then filters by it, so a partner sees only its own.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { listenForKeyChanges } from '../../db/api-key-changes';
import { findActiveKey, touchApiKey } from '../../db/api-keys';
import { ApiKeyCache } from '../../services/api-key-cache';
import { parseApiKey, secretMatches } from '../../services/api-keys';
import { bearerCredentials, bearerMatches } from '../admin-token';
import { ApiError } from '../problem';
import { TokenBuckets } from './rate-limit';

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

/**
 * Failed key lookups per client IP: each costs a database query before we know who is asking, so an address that
 * keeps guessing is refused (429) for a while before its next lookup.
 */
class FailedLookups {
  private readonly buckets: TokenBuckets;
  private readonly blockedUntil = new Map<string, number>();
  constructor(max: number, windowMs: number) {
    this.buckets = new TokenBuckets(max, windowMs);
  }

  /** Throws 429 while the address is blocked. */
  check(ip: string): void {
    const until = this.blockedUntil.get(ip);
    if (until === undefined) return;
    const wait = until - Date.now();
    if (wait <= 0) {
      this.blockedUntil.delete(ip);
      return;
    }
    const seconds = String(Math.max(1, Math.ceil(wait / 1000)));
    throw new ApiError(
      429,
      'rate-limited',
      `too many failed authentications; retry in ${seconds} s`,
      {},
      {
        'retry-after': seconds,
      },
    );
  }

  /** Counts a failed lookup. */
  failed(ip: string): void {
    const result = this.buckets.take(ip);
    if (!result.allowed) {
      if (this.blockedUntil.size > 10_000) this.blockedUntil.clear();
      this.blockedUntil.set(ip, Date.now() + result.retryAfterMs);
    }
  }
}

async function authenticate(
  app: FastifyInstance,
  request: FastifyRequest,
  touched: Map<string, number>,
  failures: FailedLookups,
  keys: ApiKeyCache,
): Promise<void> {
  const header = request.headers.authorization;
  if (!header)
    throw new ApiError(401, 'unauthenticated', 'send your API key as "Authorization: Bearer <key>"', {}, CHALLENGE);
  const credentials = bearerCredentials(header);
  const parsed = credentials === undefined ? undefined : parseApiKey(credentials);
  if (!parsed)
    throw new ApiError(401, 'unauthenticated', 'the Authorization header is not "Bearer pwk_..."', {}, CHALLENGE);
  failures.check(request.ip);
  const stored = await keys.find(parsed.id, (id) => findActiveKey(app.pool, id));
  if (!stored || !secretMatches(parsed.secret, stored.secretHash)) {
    failures.failed(request.ip);
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
  const failures = new FailedLookups(app.config.rateLimit.failedAuthPerIp, app.config.rateLimit.windowMs);
  // Every request on a partner route, before its key is looked up; in this process only (cheap, no database).
  const perIp = new TokenBuckets(app.config.rateLimit.perIp, app.config.rateLimit.windowMs);
  // Verified keys stay in memory while key changes are announced to this process (not with the embedded database,
  // whose one session cannot hold a LISTEN): a known key costs no query, and a revoked one is dropped as soon as its
  // announcement arrives.
  const keyCacheMs = app.config.embeddedDatabase ? 0 : app.config.api.keyCacheMs;
  const keys = new ApiKeyCache(keyCacheMs);
  if (keyCacheMs > 0) {
    const feed = listenForKeyChanges(app.config.databaseUrl, keys, {
      onError: (err) => app.log.warn({ err }, 'API key announcements lost; keys are looked up until they are back'),
    });
    app.addHook('onClose', () => feed.close());
  }
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.admin) return requireAdmin(app, request);
    const url = request.routeOptions.url;
    if (request.routeOptions.config?.public || !url || url === '/docs' || url.startsWith('/docs/')) return;
    const byIp = perIp.take(request.ip);
    if (!byIp.allowed) {
      const seconds = String(Math.max(1, Math.ceil(byIp.retryAfterMs / 1000)));
      throw new ApiError(
        429,
        'rate-limited',
        `too many requests from this address; retry in ${seconds} s`,
        {},
        {
          'retry-after': seconds,
        },
      );
    }
    await authenticate(app, request, touched, failures, keys);
  });
}

/** Registers API-key authentication. */
export default fp(authPlugin, { name: 'auth', dependencies: ['services'] });
