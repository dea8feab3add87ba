/**
 * Per-partner rate limits shared by every API process without a database round trip per request: a process leases a
 * chunk of tokens from the partner's bucket row in PostgreSQL (one atomic UPDATE), spends them locally, and goes back
 * only when the chunk is spent. A chunk is at most a tenth of the limit (one token for small limits), so what all
 * processes hold together never exceeds what the shared bucket gave out. Unspent tokens expire with their lease (one
 * window) or are given back on shutdown.
 */
import type { Queryable } from '../db/pool';
import { leaseTokens, returnTokens } from '../db/rate-limit-buckets';

/** The outcome of taking tokens: how many remain (an estimate across processes), or how long to wait. */
export type TakeResult = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

interface Lease {
  /** Tokens leased and not yet spent by this process. */
  local: number;
  /** What the shared bucket held after the last lease (for the RateLimit-Remaining estimate). */
  shared: number;
  expiresAt: number;
  /** While the shared bucket is known to be empty: refuse without asking the database again. */
  blockedUntil: number;
  pending?: Promise<void>;
}

/** Largest chunk one lease takes: enough that a busy partner costs one UPDATE per this many requests. */
const MAX_CHUNK = 1_000;

/** Leases of one process against the shared buckets. */
export class RateLeases {
  private readonly leases = new Map<string, Lease>();
  private readonly perMs: number;
  /** Tokens one lease takes for single requests. */
  readonly chunk: number;

  constructor(
    private readonly db: Queryable,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = max / windowMs;
    this.chunk = Math.max(1, Math.min(MAX_CHUNK, Math.floor(max / 10)));
  }

  /** True while this process knows the key's bucket is empty (a cheap check before a body is read). */
  blocked(key: string): number | undefined {
    const wait = (this.leases.get(key)?.blockedUntil ?? 0) - this.now();
    return wait > 0 ? wait : undefined;
  }

  /** Takes one token, from the local chunk when there is one. */
  async take(key: string): Promise<TakeResult> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const lease = this.lease(key);
      const now = this.now();
      if (lease.local >= 1 && lease.expiresAt > now) {
        lease.local -= 1;
        return { allowed: true, remaining: Math.max(0, Math.floor(lease.local + lease.shared)) };
      }
      if (lease.blockedUntil > now) return { allowed: false, retryAfterMs: lease.blockedUntil - now };
      if (lease.pending) {
        await lease.pending; // another request of this process is leasing: share its chunk
        continue;
      }
      await this.refill(key, lease, 1, 1, this.chunk);
    }
    return { allowed: false, retryAfterMs: 1_000 };
  }

  /**
   * Takes `cost` tokens at once (a batch's lines). Allowed when the shared bucket holds them, or is full when `cost`
   * is more than the whole limit; the bucket then goes into debt and the partner waits until it has refilled.
   */
  async takeMany(key: string, cost: number): Promise<TakeResult> {
    if (cost <= 1) return this.take(key);
    const lease = this.lease(key);
    const wait = this.blocked(key);
    // Known empty: the first token comes after `wait`, the rest of what the batch needs at the refill rate.
    if (wait !== undefined)
      return { allowed: false, retryAfterMs: wait + Math.ceil((Math.min(cost, this.max) - 1) / this.perMs) };
    const result = await leaseTokens(this.db, this.request(key, Math.min(cost, this.max), cost, cost));
    lease.shared = result.tokens;
    if (result.granted > 0) return { allowed: true, remaining: Math.max(0, Math.floor(lease.local + result.tokens)) };
    return { allowed: false, retryAfterMs: this.waitFor(Math.min(cost, this.max), result.tokens) };
  }

  /** Gives every unexpired unspent token back to its bucket. */
  async close(): Promise<void> {
    const now = this.now();
    const returns = [...this.leases]
      .filter(([, l]) => l.local > 0 && l.expiresAt > now)
      .map(([key, l]) => ({ key, tokens: l.local }));
    this.leases.clear();
    await returnTokens(this.db, this.max, returns);
  }

  private lease(key: string): Lease {
    let lease = this.leases.get(key);
    if (!lease) {
      if (this.leases.size > 10_000) this.evictIdle();
      lease = { local: 0, shared: this.max, expiresAt: 0, blockedUntil: 0 };
      this.leases.set(key, lease);
    }
    return lease;
  }

  private async refill(key: string, lease: Lease, need: number, atLeast: number, want: number): Promise<void> {
    const done = (async () => {
      const result = await leaseTokens(this.db, this.request(key, need, atLeast, want));
      const now = this.now();
      lease.shared = result.tokens;
      if (result.granted > 0) {
        // A new chunk replaces what expired; tokens of an unexpired lease are still ours.
        lease.local = (lease.expiresAt > now ? lease.local : 0) + result.granted;
        lease.expiresAt = now + this.windowMs;
      } else {
        lease.blockedUntil = now + this.waitFor(need, result.tokens);
      }
    })();
    lease.pending = done;
    try {
      await done;
    } finally {
      lease.pending = undefined;
    }
  }

  private request(key: string, need: number, atLeast: number, want: number) {
    return { key, capacity: this.max, perSecond: this.perMs * 1000, need, atLeast, want };
  }

  /** Milliseconds until a bucket holding `tokens` holds `need`. */
  private waitFor(need: number, tokens: number): number {
    return Math.max(1, Math.ceil((need - tokens) / this.perMs));
  }

  private evictIdle(): void {
    const now = this.now();
    for (const [key, l] of this.leases)
      if (!l.pending && l.expiresAt <= now && l.blockedUntil <= now) this.leases.delete(key);
  }
}
