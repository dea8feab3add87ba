/** Activities of one subscription charge: claim the period, record the outcome, tell the subscriber. */
import type pg from 'pg';
import type { Mailer } from '../adapters/email/mailer';
import { formatMoney } from '../adapters/documents/invoice-pdf';
import { insertRunItem } from '../db/billing-runs';
import { withTransaction } from '../db/pool';
import { claimCharge, recordChargeOutcome, reopenFailedCharge } from '../db/subscription-charges';
import { advancePeriod, findSubscription, lockSubscription } from '../db/subscriptions';
import { nextPeriodStart, periodEnd } from '../domain/billing/periods';
import { permanent } from './errors';

/** Dependencies of the subscription charge activities. */
export interface SubscriptionChargeActivityDeps {
  pool: pg.Pool;
  mailer: Mailer;
}

/** Idempotency key of a charge attempt: the first is `sub-charge-<subscription>-<period>`, retries add `-retry-N`. */
export function subscriptionChargeKey(subscriptionId: string, period: string, attempt: number): string {
  const key = `sub-charge-${subscriptionId}-${period}`;
  return attempt === 0 ? key : `${key}-retry-${attempt}`;
}

/** What the workflow does next: charge this attempt, or skip (already done, or nothing to do). */
export type ChargePlan =
  | {
      action: 'charge';
      attempt: number;
      idempotencyKey: string;
      partnerId: string;
      plan: string;
      amountMinor: number;
      currency: string;
      paymentMethod: string;
    }
  | { action: 'skip'; amountMinor: number; currency: string; detail: string };

/** Builds the subscription charge activities. */
export function createSubscriptionChargeActivities({ pool, mailer }: SubscriptionChargeActivityDeps) {
  return {
    /**
     * Claims the period's charge under the unique (subscription, period) row. A charge already recorded is never
     * made again; a failed one is retried only when asked, with the next attempt's idempotency key.
     */
    async beginSubscriptionCharge(input: {
      runId: string;
      subscriptionId: string;
      period: string;
      retry: boolean;
    }): Promise<ChargePlan> {
      const plan = await withTransaction(pool, async (db): Promise<ChargePlan> => {
        // Read under a lock with the claim: a cancel committed a moment before the claim is seen here, and one that
        // comes later waits until the period's charge is claimed (and is then for the periods after it).
        const sub = await lockSubscription(db, input.subscriptionId);
        if (!sub) throw permanent('NotFound', `subscription ${input.subscriptionId} does not exist`);
        const money = { amountMinor: sub.amountMinor, currency: sub.currency };
        if (sub.status !== 'active') return { action: 'skip', ...money, detail: 'subscription cancelled' };
        const key = { subscriptionId: sub.id, period: input.period, ...money, paymentMethod: sub.paymentMethod };
        let { charge } = await claimCharge(db, key);
        if (charge.status === 'succeeded') return { action: 'skip', ...money, detail: 'already charged' };
        if (charge.status === 'failed') {
          if (!input.retry) return { action: 'skip', ...money, detail: 'failed before; run with retry-failed' };
          charge = (await reopenFailedCharge(db, key))!;
        }
        // A pending row is a charge that did not finish: same attempt, same key and same method, so the provider
        // answers the charge it may have taken (a card replaced since would have the key refused).
        return {
          action: 'charge',
          attempt: charge.attempt,
          idempotencyKey: subscriptionChargeKey(sub.id, input.period, charge.attempt),
          partnerId: sub.partnerId,
          plan: sub.plan,
          amountMinor: charge.amountMinor,
          currency: charge.currency,
          paymentMethod: charge.paymentMethod ?? sub.paymentMethod,
        };
      });
      if (plan.action === 'skip') {
        await insertRunItem(pool, { ...input, status: 'skipped', ...plan });
      }
      return plan;
    },

    /** Records the attempt's outcome, moves a charged subscription to its next period, and adds the report line. */
    async finishSubscriptionCharge(input: {
      runId: string;
      subscriptionId: string;
      period: string;
      attempt: number;
      status: 'succeeded' | 'failed';
      chargeId?: string;
      failureCode?: string;
      failureMessage?: string;
    }) {
      return withTransaction(pool, async (db) => {
        const charge = await recordChargeOutcome(db, input);
        const sub = (await findSubscription(db, input.subscriptionId))!;
        let nextPeriod: string | undefined;
        if (charge.status === 'succeeded') {
          nextPeriod = nextPeriodStart(sub.anchorDate, sub.interval, input.period);
          await advancePeriod(db, sub.id, input.period, nextPeriod);
        }
        await insertRunItem(db, {
          runId: input.runId,
          subscriptionId: sub.id,
          period: input.period,
          status: charge.status === 'succeeded' ? 'charged' : 'failed',
          amountMinor: charge.amountMinor,
          currency: charge.currency,
          chargeId: charge.chargeId,
          detail: charge.failureCode,
        });
        return { status: charge.status, nextPeriod };
      });
    },

    /** Mails the subscriber a receipt, or tells them the payment failed. One Message-ID per attempt. */
    async notifySubscriber(input: {
      subscriptionId: string;
      period: string;
      attempt: number;
      status: 'succeeded' | 'failed';
      failureMessage?: string;
    }) {
      const sub = await findSubscription(pool, input.subscriptionId);
      if (!sub) throw permanent('NotFound', `subscription ${input.subscriptionId} does not exist`);
      const amount = formatMoney(sub.amountMinor, sub.currency);
      const until = periodEnd(sub.anchorDate, sub.interval, input.period);
      const ok = input.status === 'succeeded';
      const { messageId } = await mailer.send({
        to: sub.subscriberEmail,
        subject: ok
          ? `Your ${sub.plan} subscription: ${amount} charged`
          : `Your ${sub.plan} subscription: payment failed`,
        text: [
          'Hello,',
          '',
          ok
            ? `we charged ${amount} for your ${sub.plan} subscription, period ${input.period} to ${until}.`
            : `we could not charge ${amount} for your ${sub.plan} subscription, period ${input.period} to ${until}` +
              `${input.failureMessage ? ` (${input.failureMessage})` : ''}. Please update your payment method.`,
          '',
          `Subscription: ${sub.id}`,
        ].join('\n'),
        messageId: `<${sub.id}.${input.period}.${input.attempt}.${input.status}@partner-workflows>`,
      });
      return { sent: true, messageId };
    },
  };
}

/** The subscription charge activities' type, for workflows. */
export type SubscriptionChargeActivities = ReturnType<typeof createSubscriptionChargeActivities>;
