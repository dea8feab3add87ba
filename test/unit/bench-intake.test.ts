import { describe, expect, it } from 'vitest';
import { interleavedIntake } from '../../bench/sections/intake';

// The machine's settling between blocks is the bench's business; here each block only counts it.
let settles = 0;
const settled = async (): Promise<void> => void settles++;

describe('the bench interleaves the intake sides', () => {
  it('runs every side in blocks, rotating which goes first, until each made its total', async () => {
    const calls: string[] = [];
    const side = (name: string) => async () => void calls.push(name);
    const results = await interleavedIntake({ a: side('a'), b: side('b'), c: side('c') }, 5, 1, 2, settled);
    // Blocks of 2, then the last request of each; block k starts with side k mod 3.
    expect(calls.join('')).toBe('aabbcc' + 'bbccaa' + 'cab');
    // The machine settles after every block, before the next side starts.
    expect(settles).toBe(9);
    for (const name of ['a', 'b', 'c'] as const) {
      expect(results[name].requests).toBe(5);
      expect(results[name].errors).toBe(0);
      expect(results[name].perSecond).toBeGreaterThan(0);
    }
  });

  it('counts a failed start as an error of its own side only', async () => {
    let n = 0;
    const results = await interleavedIntake(
      {
        ok: async () => undefined,
        flaky: async () => {
          if (++n % 2 === 0) throw new Error('refused');
        },
      },
      4,
      2,
      3,
      settled,
    );
    expect(results.ok.errors).toBe(0);
    expect(results.flaky.errors).toBe(2);
    expect(results.flaky.latencyMs).toBeDefined();
  });
});
