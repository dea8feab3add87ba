/** `subscription create|list|cancel|set-payment-method`: the subscriptions the daily billing run charges. */
import type pg from 'pg';
import {
  cancelSubscription,
  findSubscription,
  listSubscriptions,
  setPaymentMethod,
  type Subscription,
} from '../../db/subscriptions';
import type { BillingInterval } from '../../domain/billing/periods';
import { createSubscription, SubscriptionInputError } from '../../services/billing/subscriptions';
import { integerFlag, optionalFlag, required, UsageError, type Flags } from '../args';

const USAGE = [
  'usage: subscription create --partner ID --plan NAME --amount MINOR --currency EUR --email E --payment-method pm_...',
  '         [--anchor YYYY-MM-DD] [--interval monthly|yearly]',
  '       subscription list --partner ID | subscription cancel --id ID',
  '       subscription set-payment-method --id ID --payment-method pm_...',
].join('\n');

/** Runs a subscription command; returns the JSON to print. */
export async function subscriptionCommand(pool: pg.Pool, action: string | undefined, flags: Flags): Promise<unknown> {
  try {
    switch (action) {
      case 'create': {
        const amount = integerFlag(flags, 'amount');
        if (amount === undefined) throw new UsageError('--amount is required');
        return view(
          await createSubscription(pool, {
            partnerId: required(flags, 'partner'),
            plan: required(flags, 'plan'),
            amountMinor: amount,
            currency: required(flags, 'currency'),
            subscriberEmail: required(flags, 'email'),
            paymentMethod: required(flags, 'payment-method'),
            anchorDate: optionalFlag(flags, 'anchor'),
            interval: optionalFlag(flags, 'interval') as BillingInterval | undefined,
          }),
        );
      }
      case 'list':
        return (await listSubscriptions(pool, required(flags, 'partner'))).map(view);
      case 'cancel': {
        const id = required(flags, 'id');
        const cancelled = await cancelSubscription(pool, id);
        if (!cancelled) throw new UsageError(`no active subscription ${id}`);
        return view(cancelled);
      }
      case 'set-payment-method': {
        const id = required(flags, 'id');
        const method = required(flags, 'payment-method');
        if (!/^pm_[A-Za-z0-9_]+$/.test(method)) throw new UsageError('--payment-method must be a pm_ token');
        if (!(await findSubscription(pool, id))) throw new UsageError(`no subscription ${id}`);
        return view((await setPaymentMethod(pool, id, method))!);
      }
      default:
        throw new UsageError(USAGE);
    }
  } catch (err) {
    // Refused input is the operator's to fix: report it like wrong usage (exit 2), nothing was stored.
    if (err instanceof SubscriptionInputError) throw new UsageError(err.message);
    throw err;
  }
}

function view(s: Subscription) {
  return {
    subscriptionId: s.id,
    partnerId: s.partnerId,
    plan: s.plan,
    amountMinor: s.amountMinor,
    currency: s.currency,
    interval: s.interval,
    subscriberEmail: s.subscriberEmail,
    paymentMethod: s.paymentMethod,
    status: s.status,
    anchorDate: s.anchorDate,
    nextPeriodStart: s.nextPeriodStart,
  };
}
