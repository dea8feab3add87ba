/** The per-partner token bucket: a burst up to the limit, then a wait that refills evenly; partners apart. */
import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../api/plugins/rate-limit';

describe('TokenBuckets', () => {
  it('allows a burst of max, then says how long to wait, and refills over the window', () => {
    let now = 0;
    const buckets = new TokenBuckets(3, 60_000, () => now);
    expect([1, 2, 3].map(() => buckets.take('a').allowed)).toEqual([true, true, true]);
    const refused = buckets.take('a');
    expect(refused).toEqual({ allowed: false, retryAfterMs: 20_000 });
    now = 19_999;
    expect(buckets.take('a').allowed).toBe(false);
    now = 40_000;
    expect(buckets.take('a')).toEqual({ allowed: true, remaining: 1 }); // two tokens back after 40 s
  });

  it('keeps partners apart', () => {
    const buckets = new TokenBuckets(1, 1_000, () => 0);
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(false);
    expect(buckets.take('b').allowed).toBe(true);
  });
});
