/** Strings PostgreSQL cannot store are found with their JSON pointer, at a cost in proportion to the document. */
import { describe, expect, it } from 'vitest';
import { findUnstorableString } from '../../domain/text-limits';

describe('findUnstorableString', () => {
  it('names the first string that cannot be stored, value or member name, with its JSON pointer', () => {
    expect(findUnstorableString({ a: 'ok', 'b/c~': [1, 'x', { d: 'bad\u0000' }] })).toBe('/b~1c~0/2/d');
    expect(findUnstorableString(['ok', '\ud800', '\u0001'])).toBe('/1');
    expect(findUnstorableString({ a: { 'x\u0000': 1 } })).toBe('/a/?');
    expect(findUnstorableString('\uffff')).toBe('/');
    expect(findUnstorableString({ a: ['fine', { b: 'tab\there' }], c: null, d: 1 })).toBeUndefined();
  });

  it('walks a large document without building a pointer for each of its values', () => {
    // A 2 MiB order body of a million zeros: a pointer string per value took a second and 100 MiB of heap.
    const zeros = new Array<number>(1_000_000).fill(0);
    const strings = new Array<string[]>(1_000).fill(new Array<string>(500).fill('a'));
    for (const [what, value] of Object.entries({ zeros, strings })) {
      const started = performance.now();
      expect(findUnstorableString(value)).toBeUndefined();
      expect(performance.now() - started, what).toBeLessThan(200);
    }
  });
});
