/** Billing activities: charges and refunds through the payment provider port. */
import { PaymentDeclinedError, PaymentRequestError, type PaymentProvider } from '../adapters/payments/port';
import { permanent } from './errors';

/** Dependencies of the billing activities. */
export interface BillingActivityDeps {
  payments: PaymentProvider;
}

/** Builds the billing activities. */
export function createBillingActivities({ payments }: BillingActivityDeps) {
  async function refundPayment(input: { chargeId: string; idempotencyKey: string; amountMinor?: number }) {
    try {
      const refund = await payments.refund(input);
      return { refundId: refund.id, amountMinor: refund.amountMinor };
    } catch (err) {
      if (err instanceof PaymentRequestError) throw permanent('InvalidRequest', err.message);
      throw err;
    }
  }

  return {
    /** Charges once per idempotency key; declines are permanent, provider outages are retried. */
    async chargePayment(input: {
      partnerId: string;
      amountMinor: number;
      currency: string;
      paymentMethod: string;
      idempotencyKey: string;
      description: string;
      reference: string;
    }) {
      try {
        const charge = await payments.charge({
          amountMinor: input.amountMinor,
          currency: input.currency,
          paymentMethod: input.paymentMethod,
          idempotencyKey: input.idempotencyKey,
          description: input.description,
        });
        return { chargeId: charge.id, amountMinor: charge.amountMinor, currency: charge.currency };
      } catch (err) {
        if (err instanceof PaymentDeclinedError)
          throw permanent('CardDeclined', err.message, { declineCode: err.declineCode });
        if (err instanceof PaymentRequestError) throw permanent('InvalidRequest', err.message);
        throw err;
      }
    },

    /** Refunds a charge once per idempotency key. */
    refundPayment,

    /**
     * Refunds the charge made under `chargeIdempotencyKey`, if one went through: the undo of a charge whose answer
     * never arrived. Nothing to refund is an answer too.
     */
    async refundChargeIfTaken(input: { chargeIdempotencyKey: string; idempotencyKey: string }) {
      const charge = await payments.findCharge(input.chargeIdempotencyKey);
      if (!charge) return { refunded: false as const };
      const refund = await refundPayment({ chargeId: charge.id, idempotencyKey: input.idempotencyKey });
      return { refunded: true as const, chargeId: charge.id, ...refund };
    },
  };
}

/** The billing activities' type, for workflows. */
export type BillingActivities = ReturnType<typeof createBillingActivities>;
