/**
 * The default payment provider: keeps Stripe's semantics in PostgreSQL so the service runs without an account.
 * Test payment methods follow Stripe's names: `pm_card_visa` succeeds, `pm_card_chargeDeclined` and
 * `pm_card_chargeDeclinedInsufficientFunds` are declined. Everything else that starts with `pm_` succeeds.
 * It can be told to fail for tests and demos: `pm_card_outage_N` (N = 1..9) behaves like a provider outage for the
 * first N attempts of each idempotency key (a transient error Temporal retries), then succeeds; `pm_card_slow_N`
 * (N = 1..9) succeeds but answers N x 100 ms after taking the money, like a provider under load: a worker that dies in
 * that window leaves a charge made whose answer never arrived (the fault suite kills workers there).
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/pool';
import * as charges from '../../db/payments';
import { countFaultAttempt } from '../../db/payment-faults';
import { newId } from '../../db/ids';
import {
  PaymentDeclinedError,
  PaymentRequestError,
  type Charge,
  type ChargeRequest,
  type PaymentProvider,
  type Refund,
} from './port';

const DECLINES: Record<string, string> = {
  pm_card_chargeDeclined: 'card_declined',
  pm_card_chargeDeclinedInsufficientFunds: 'insufficient_funds',
  pm_card_chargeDeclinedExpiredCard: 'expired_card',
};

const OUTAGE = /^pm_card_outage_([1-9])$/;
const SLOW = /^pm_card_slow_([1-9])$/;

/** A provider outage (like Stripe's 500s and connection errors): retrying later may succeed. */
export class PaymentProviderUnavailableError extends Error {
  override name = 'PaymentProviderUnavailableError';
}

function fingerprint(r: ChargeRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([r.amountMinor, r.currency, r.paymentMethod]))
    .digest('hex');
}

function asCharge(stored: charges.StoredCharge): Charge {
  return { id: stored.id, amountMinor: stored.amountMinor, currency: stored.currency, status: 'succeeded' };
}

/** Creates the PostgreSQL-backed provider. */
export function createDefaultPaymentProvider(db: Queryable): PaymentProvider {
  return {
    async charge(request) {
      if (!request.paymentMethod.startsWith('pm_')) {
        throw new PaymentRequestError(`payment method "${request.paymentMethod}" is not a pm_ token`);
      }
      const outage = OUTAGE.exec(request.paymentMethod);
      if (outage && (await countFaultAttempt(db, request.idempotencyKey)) <= Number(outage[1])) {
        throw new PaymentProviderUnavailableError('the payment provider is unavailable (injected outage); retry later');
      }
      const declineCode = DECLINES[request.paymentMethod];
      const stored = await charges.insertChargeOnce(db, {
        id: newId('ch'),
        idempotencyKey: request.idempotencyKey,
        fingerprint: fingerprint(request),
        amountMinor: request.amountMinor,
        currency: request.currency,
        paymentMethod: request.paymentMethod,
        description: request.description ?? null,
        status: declineCode ? 'failed' : 'succeeded',
        failureCode: declineCode ?? null,
      });
      if (stored.fingerprint !== fingerprint(request)) {
        throw new PaymentRequestError(
          `idempotency key ${request.idempotencyKey} was already used with other parameters`,
        );
      }
      if (stored.status === 'failed') throw new PaymentDeclinedError(stored.failureCode ?? 'card_declined');
      const slow = SLOW.exec(request.paymentMethod);
      if (slow) await new Promise((resolve) => setTimeout(resolve, Number(slow[1]) * 100));
      return asCharge(stored);
    },

    async findCharge(idempotencyKey) {
      const stored = await charges.findChargeByKey(db, idempotencyKey);
      return stored?.status === 'succeeded' ? asCharge(stored) : undefined;
    },

    async refund({ chargeId, idempotencyKey, amountMinor }) {
      const refund = await charges.refundChargeOnce(db, { id: newId('re'), chargeId, idempotencyKey, amountMinor });
      if (!refund)
        throw new PaymentRequestError(`charge ${chargeId} does not exist, failed, or is already fully refunded`);
      return refund satisfies Refund;
    },
  };
}
