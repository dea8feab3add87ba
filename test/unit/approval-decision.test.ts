/** The approval update's validator and the decision route share one rule for the approver's name. */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { APPROVER_PATTERN } from '../../contracts';
import { invalidDecision } from '../../workflows/approval';

describe('the approver rule', () => {
  const route = new RegExp(`^\\s*${APPROVER_PATTERN.slice(1, -1)}\\s*$`, 'u');

  it('takes names, trimmed, and refuses punctuation, quotes and blanks, in the workflow and at the route alike', () => {
    for (const name of ['Ada', ' Ada Admin ', "O'Brien", 'ops@example.com', 'Zoë-Maria 2']) {
      expect(invalidDecision({ decision: 'approve', approver: name }, 'awaiting_approval'), name).toBeUndefined();
      expect(route.test(name), name).toBe(true);
    }
    for (const name of ['', ' ', '!!', 'Robert"); DROP', '<b>x</b>', 'a'.repeat(101)]) {
      expect(invalidDecision({ decision: 'approve', approver: name }, 'awaiting_approval'), name).toMatch(/approver/);
      expect(
        Value.Check({ type: 'string', maxLength: 100, pattern: route.source }, name) && name.length > 0,
        name,
      ).toBe(false);
    }
  });
});
