/** The admin CLI's flag parser. */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args';

describe('parseArgs', () => {
  it('reads --name value, --name=value (only the first = ends the name) and bare flags', () => {
    expect(
      parseArgs(['partner', 'billing', '--legal-name=Smith=Jones B.V.', '--city', 'Amsterdam', '--clear', '--x=']),
    ).toEqual({
      words: ['partner', 'billing'],
      flags: { 'legal-name': 'Smith=Jones B.V.', city: 'Amsterdam', clear: true, x: '' },
    });
  });
});
