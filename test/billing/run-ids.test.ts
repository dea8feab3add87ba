/** Workflow ids of billing runs and charges: business keys, one per date and mode, one per subscription and period. */
import { describe, expect, it } from 'vitest';
import { billingRunModeWorkflowId, billingRunWorkflowId, subscriptionChargeWorkflowId } from '../../contracts';
import { subscriptionChargeKey } from '../../activities/subscription-charge';

describe('billing run ids', () => {
  it('give the day its own id, and dry runs and retries ids of their own', () => {
    expect(billingRunModeWorkflowId('2027-01-31', {})).toBe(billingRunWorkflowId('2027-01-31'));
    expect(billingRunModeWorkflowId('2027-01-31', { dryRun: true })).toBe('billing-run-2027-01-31-dry-run');
    expect(billingRunModeWorkflowId('2027-01-31', { retryFailedOnly: true })).toBe(
      'billing-run-2027-01-31-retry-failed',
    );
    expect(() => billingRunModeWorkflowId('31.01.2027', {})).toThrow(/YYYY-MM-DD/);
  });

  it('key a charge by subscription and period, and each retry of a failed one by its attempt', () => {
    expect(subscriptionChargeWorkflowId('subscr_1', '2027-01-31')).toBe('subscription-charge-subscr_1-2027-01-31');
    expect(subscriptionChargeKey('subscr_1', '2027-01-31', 0)).toBe('sub-charge-subscr_1-2027-01-31');
    expect(subscriptionChargeKey('subscr_1', '2027-01-31', 2)).toBe('sub-charge-subscr_1-2027-01-31-retry-2');
  });
});
