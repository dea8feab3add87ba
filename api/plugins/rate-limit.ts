/**
 * Per-partner rate limit: token buckets per partner id (after authentication), so one busy partner is slowed
 * without touching the others. Over the limit: 429 with Retry-After. The buckets are shared by every API process
 * (rows in PostgreSQL, leased in chunks: services/rate-leases.ts); a batch costs one token per line.
 * Reads (GET, HEAD) and writes have a bucket each, of the same size: a partner whose big batch spent its write budget
 * can still watch that batch's submissions.
 * `TokenBuckets` is the in-process bucket of the per-address limits in plugins/auth.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { RateLeases, type TakeResult } from '../../services/rate-leases';
import { ApiError } from '../problem';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A token bucket per key: `max` requests, refilled evenly over `windowMs`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token; answers how many remain, or how long to wait for the next one. */
  take(key: string): { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number } {
    const now = this.now();
    const perMs = this.max / this.windowMs;
    const b = this.buckets.get(key) ?? { tokens: this.max, updatedAt: now };
    b.tokens = Math.min(this.max, b.tokens + (now - b.updatedAt) * perMs);
    b.updatedAt = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.evictFull(now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, remaining: Math.floor(b.tokens) };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - b.tokens) / perMs) };
  }

  private evictFull(now: number): void {
    for (const [key, b] of this.buckets)
      if (b.tokens + (now - b.updatedAt) * (this.max / this.windowMs) >= this.max) this.buckets.delete(key);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Takes `cost` more tokens of the partner's shared bucket (a batch's lines beyond the one its arrival took);
     * throws 429 when it holds too few, naming `total`, the request's whole cost, at a token per `per`.
     */
    chargeRate(request: FastifyRequest, reply: FastifyReply, cost: number, total?: number, per?: string): Promise<void>;
  }
}

/** The bucket a request draws from: the partner's reads or its writes. */
function bucketOf(request: FastifyRequest): string {
  return request.method === 'GET' || request.method === 'HEAD' ? `${request.partnerId}:read` : request.partnerId;
}

/** 429 with Retry-After and the RateLimit headers. */
function tooMany(max: number, windowMs: number, retryAfterMs: number, cost = 1, per = 'line'): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const what = cost > 1 ? `this request costs ${cost} tokens (one per ${per}); ` : '';
  return new ApiError(
    429,
    'rate-limited',
    `too many requests; ${what}at most ${max} per ${windowMs / 1000} s, retry in ${seconds} s`,
    {},
    {
      'retry-after': String(seconds),
      'ratelimit-remaining': '0',
    },
  );
}

async function rateLimitPlugin(app: FastifyInstance): Promise<void> {
  const { max, windowMs } = app.config.rateLimit;
  const leases = new RateLeases(app.pool, max, windowMs);
  app.addHook('onClose', async () => {
    await leases.close().catch((err: unknown) => app.log.warn({ err }, 'could not give leased rate tokens back'));
  });

  /** Applies a result: headers when allowed, 429 when not. A database failure lets the request through (logged). */
  async function apply(
    request: FastifyRequest,
    reply: FastifyReply,
    cost: number,
    take: () => Promise<TakeResult>,
    per?: string,
  ) {
    reply.header('ratelimit-limit', String(max));
    let result: TakeResult;
    try {
      result = await take();
    } catch (err) {
      request.log.warn({ err }, 'rate limit bucket unavailable; request let through');
      return;
    }
    if (!result.allowed) throw tooMany(max, windowMs, result.retryAfterMs, cost, per);
    reply.header('ratelimit-remaining', String(result.remaining));
  }

  app.decorate(
    'chargeRate',
    (request: FastifyRequest, reply: FastifyReply, cost: number, total = cost, per?: string) =>
      cost > 0 ? apply(request, reply, total, () => leases.takeMany(bucketOf(request), cost), per) : Promise.resolve(),
  );

  app.addHook('onRequest', async (request, reply) => {
    if (!request.partnerId) return; // public routes
    await apply(request, reply, 1, () => leases.take(bucketOf(request)));
  });
}

/** Registers the per-partner rate limit (after auth, which sets the partner id). */
export default fp(rateLimitPlugin, { name: 'rate-limit', dependencies: ['auth'] });
