/**
 * Per-partner rate limit: a token bucket per partner id (after authentication), so one busy partner is slowed
 * without touching the others. Over the limit: 429 with Retry-After. The buckets live in this process; with
 * several API instances each enforces the limit on its own share of the traffic.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
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

async function rateLimitPlugin(app: FastifyInstance): Promise<void> {
  const { max, windowMs } = app.config.rateLimit;
  const buckets = new TokenBuckets(max, windowMs);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.partnerId) return; // public routes
    const result = buckets.take(request.partnerId);
    reply.header('ratelimit-limit', String(max));
    if (result.allowed) {
      reply.header('ratelimit-remaining', String(result.remaining));
      return;
    }
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    throw new ApiError(
      429,
      'rate-limited',
      `too many requests; at most ${max} per ${windowMs / 1000} s, retry in ${seconds} s`,
      {},
      {
        'retry-after': String(seconds),
        'ratelimit-remaining': '0',
      },
    );
  });
}

/** Registers the per-partner rate limit (after auth, which sets the partner id). */
export default fp(rateLimitPlugin, { name: 'rate-limit', dependencies: ['auth'] });
