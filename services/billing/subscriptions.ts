/** Creating subscriptions: the input checks shared by the CLI (and any admin route later). */
import type { Queryable } from '../../db/pool';
import { newId } from '../../db/ids';
import { findPartner } from '../../db/partners';
import { insertSubscription, type Subscription } from '../../db/subscriptions';
import { isCalendarDate, utcDate, type BillingInterval } from '../../domain/billing/periods';

/** Raised for input we refuse; nothing is stored. */
export class SubscriptionInputError extends Error {
  override name = 'SubscriptionInputError';
}

/** What a new subscription needs; the anchor (first period start) defaults to today (UTC). */
export interface NewSubscription {
  partnerId: string;
  plan: string;
  amountMinor: number;
  currency: string;
  subscriberEmail: string;
  paymentMethod: string;
  interval?: BillingInterval;
  anchorDate?: string;
}

/** Checks the input, then stores the subscription. */
export async function createSubscription(
  db: Queryable,
  input: NewSubscription,
  today = new Date(),
): Promise<Subscription> {
  const anchorDate = input.anchorDate ?? utcDate(today);
  const interval = input.interval ?? 'monthly';
  const problems = [
    input.plan.trim() === '' || input.plan.length > 200 ? 'plan must be 1-200 characters' : '',
    !Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0
      ? 'amount must be a positive integer of minor units'
      : '',
    /^[A-Z]{3}$/.test(input.currency) ? '' : 'currency must be an ISO 4217 code such as EUR',
    /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.subscriberEmail) ? '' : 'email must be an email address',
    /^pm_[A-Za-z0-9_]+$/.test(input.paymentMethod) ? '' : 'payment method must be a pm_ token',
    interval === 'monthly' || interval === 'yearly' ? '' : 'interval must be monthly or yearly',
    isCalendarDate(anchorDate) ? '' : 'anchor must be a date YYYY-MM-DD',
  ].filter(Boolean);
  if (problems.length) throw new SubscriptionInputError(problems.join('; '));
  if (!(await findPartner(db, input.partnerId)))
    throw new SubscriptionInputError(`partner ${input.partnerId} does not exist`);
  return insertSubscription(db, {
    id: newId('subscr'),
    partnerId: input.partnerId,
    plan: input.plan.trim(),
    amountMinor: input.amountMinor,
    currency: input.currency,
    interval,
    paymentMethod: input.paymentMethod,
    subscriberEmail: input.subscriberEmail,
    anchorDate,
  });
}
