/**
 * Charges one subscription for one period: claim the (subscription, period) row, charge with the attempt's
 * idempotency key, record the outcome and move to the next period, then tell the subscriber.
 * A decline is an outcome (recorded as failed, reported, not retried); a provider outage is retried by the
 * charge activity's policy and, if it outlasts it, leaves the row pending for a retry run.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  patched,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  BillingPeriodKey,
  SubmissionTypeKey,
  type SubscriptionChargeInput,
  type SubscriptionChargeResult,
} from '../contracts';
import { billingActivity, billingRunActivity, localBillingRunActivity } from './activity-options';

/** Charge failures that are a final answer for this attempt. */
const DECLINES = ['CardDeclined', 'InvalidRequest'];

/** The charge of one subscription for one period. */
export async function subscriptionChargeWorkflow(input: SubscriptionChargeInput): Promise<SubscriptionChargeResult> {
  if (!workflowInfo().typedSearchAttributes.get(BillingPeriodKey)) {
    upsertSearchAttributes([
      { key: BillingPeriodKey, value: input.period },
      { key: SubmissionTypeKey, value: 'subscription-charge' },
    ]);
  }
  const base = { subscriptionId: input.subscriptionId, period: input.period };
  // From the `local-bookkeeping` patch on, the claim and the record of the outcome (our own database) are local
  // activities; the charge and the mail stay remote.
  const books = patched('local-bookkeeping') ? localBillingRunActivity : billingRunActivity;
  const plan = await books.beginSubscriptionCharge(input);
  if (plan.action === 'skip') {
    return { ...base, status: 'skipped', amountMinor: plan.amountMinor, currency: plan.currency, detail: plan.detail };
  }

  let outcome: { status: 'succeeded' | 'failed'; chargeId?: string; failureCode?: string; failureMessage?: string };
  try {
    const charge = await billingActivity.chargePayment({
      partnerId: plan.partnerId,
      amountMinor: plan.amountMinor,
      currency: plan.currency,
      paymentMethod: plan.paymentMethod,
      idempotencyKey: plan.idempotencyKey,
      description: `${plan.plan} subscription ${input.subscriptionId}, period ${input.period}`,
      reference: input.subscriptionId,
    });
    outcome = { status: 'succeeded', chargeId: charge.chargeId };
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    if (!(cause instanceof ApplicationFailure) || !DECLINES.includes(cause.type ?? '')) throw err;
    const details = cause.details?.[0] as { declineCode?: string } | undefined;
    outcome = { status: 'failed', failureCode: details?.declineCode ?? cause.type!, failureMessage: cause.message };
  }

  await books.finishSubscriptionCharge({ ...base, runId: input.runId, attempt: plan.attempt, ...outcome });
  await billingRunActivity.notifySubscriber({ ...base, attempt: plan.attempt, ...outcome });
  return {
    ...base,
    status: outcome.status === 'succeeded' ? 'charged' : 'failed',
    amountMinor: plan.amountMinor,
    currency: plan.currency,
    chargeId: outcome.chargeId,
    detail: outcome.failureCode,
  };
}
