import { describe, expect, it } from 'vitest';
import {
  billingRunWorkflowId,
  submissionWorkflowId,
  subscriptionChargeWorkflowId,
  webhookDeliveryWorkflowId,
} from '../../contracts';
import { newId } from '../../db/ids';
import { generateApiKey, parseApiKey, secretMatches } from '../../services/api-keys';

describe('workflow ids', () => {
  it('are business keys built from our ids', () => {
    expect(submissionWorkflowId('order', 'sub_abc')).toBe('order-sub_abc');
    expect(submissionWorkflowId('invoice', 'sub_abc')).toBe('invoice-sub_abc');
    expect(webhookDeliveryWorkflowId('dlv_1')).toBe('webhook-delivery-dlv_1');
    expect(billingRunWorkflowId('2026-11-21')).toBe('billing-run-2026-11-21');
    expect(subscriptionChargeWorkflowId('sbs_1', '2026-11')).toBe('subscription-charge-sbs_1-2026-11');
  });

  it('refuse parts that could smuggle in other text', () => {
    expect(() => submissionWorkflowId('order', 'a b')).toThrow(/submissionId/);
    expect(() => submissionWorkflowId('order', 'jane@example.com')).toThrow();
    expect(() => billingRunWorkflowId('21.11.2026')).toThrow(/YYYY-MM-DD/);
  });
});

describe('newId', () => {
  it('is prefixed, 26 base32 characters, and sorts by time', () => {
    const a = newId('sub', 1_700_000_000_000);
    const b = newId('sub', 1_700_000_000_001);
    expect(a).toMatch(/^sub_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(a < b).toBe(true);
    expect(newId('sub')).not.toBe(newId('sub'));
  });
});

describe('API keys', () => {
  it('round-trip: the full key verifies against the stored hash, another secret does not', () => {
    const key = generateApiKey();
    const parsed = parseApiKey(key.key)!;
    expect(parsed.id).toBe(key.id);
    expect(secretMatches(parsed.secret, key.secretHash)).toBe(true);
    expect(secretMatches(parseApiKey(generateApiKey().key)!.secret, key.secretHash)).toBe(false);
    expect(key.key).not.toContain(key.secretHash.toString('hex'));
  });

  it('rejects strings that are not our keys', () => {
    expect(parseApiKey('')).toBeUndefined();
    expect(parseApiKey('Bearer x')).toBeUndefined();
    expect(parseApiKey(generateApiKey().key.slice(0, -1))).toBeUndefined();
  });
});
