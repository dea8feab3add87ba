/**
 * The Stripe adapter: charges are confirmed PaymentIntents, refunds are Stripe refunds. Our idempotency key goes to
 * Stripe as its `Idempotency-Key`, so a retried activity never charges twice. Card errors become declines
 * (permanent), invalid requests become request errors (permanent), everything else stays a plain error (retried).
 */
import Stripe from 'stripe';
import { PaymentDeclinedError, PaymentRequestError, type Charge, type PaymentProvider } from './port';

/** Options of the Stripe adapter; tests pass a fake `httpClient`. */
export interface StripeProviderOptions {
  secretKey: string;
  httpClient?: Stripe.HttpClient;
}

/** Creates the Stripe-backed provider. */
export function createStripePaymentProvider({ secretKey, httpClient }: StripeProviderOptions): PaymentProvider {
  // Temporal retries the activity; the SDK's own retries would only hide outages from the workflow's history.
  const stripe = new Stripe(secretKey, {
    maxNetworkRetries: 0,
    timeout: 30_000,
    ...(httpClient ? { httpClient } : {}),
  });
  return {
    async charge(request) {
      try {
        // Stripe forgets an Idempotency-Key after 24 hours: a charge retried later (a long outage, an operator's
        // reset) would be a second charge. Our key also travels as metadata, so look for that charge first.
        const existing = await findByIdempotencyKey(stripe, request.idempotencyKey);
        const intent =
          existing ??
          (await stripe.paymentIntents.create(
            {
              metadata: { idempotency_key: request.idempotencyKey },
              amount: request.amountMinor,
              currency: request.currency.toLowerCase(),
              payment_method: request.paymentMethod,
              confirm: true,
              description: request.description,
              automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            },
            { idempotencyKey: request.idempotencyKey },
          ));
        if (intent.status === 'processing') throw stillProcessing(intent);
        if (intent.status !== 'succeeded') {
          throw new PaymentDeclinedError(
            intent.last_payment_error?.decline_code ?? intent.status,
            `payment ${intent.id} is ${intent.status}`,
          );
        }
        return asCharge(intent);
      } catch (err) {
        throw translate(err);
      }
    },

    async findCharge(idempotencyKey) {
      try {
        const intent = await findByIdempotencyKey(stripe, idempotencyKey);
        if (intent?.status === 'processing') throw stillProcessing(intent);
        return intent && asCharge(intent);
      } catch (err) {
        throw translate(err);
      }
    },

    async refund({ chargeId, idempotencyKey, amountMinor }) {
      try {
        const refund = await stripe.refunds.create(
          { payment_intent: chargeId, amount: amountMinor },
          { idempotencyKey },
        );
        return { id: refund.id, chargeId, amountMinor: refund.amount };
      } catch (err) {
        throw translate(err);
      }
    },
  };
}

/**
 * The PaymentIntent created earlier under this idempotency key, if one went through or is under way. Declined and
 * abandoned attempts are not reused: the next attempt may succeed with the same key.
 */
async function findByIdempotencyKey(stripe: Stripe, key: string): Promise<Stripe.PaymentIntent | undefined> {
  const quoted = key.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const found = await stripe.paymentIntents.search({ query: `metadata['idempotency_key']:'${quoted}'`, limit: 10 });
  return found.data.find((pi) => pi.status === 'succeeded') ?? found.data.find((pi) => pi.status === 'processing');
}

function asCharge(intent: Stripe.PaymentIntent): Charge {
  return { id: intent.id, amountMinor: intent.amount, currency: intent.currency.toUpperCase(), status: 'succeeded' };
}

/** A payment Stripe has not settled yet: neither taken nor refused, so the caller asks again later. */
function stillProcessing(intent: Stripe.PaymentIntent): Error {
  return new Error(`payment ${intent.id} is still processing`);
}

function translate(err: unknown): Error {
  if (err instanceof PaymentDeclinedError) return err;
  if (err instanceof Stripe.errors.StripeCardError) {
    return new PaymentDeclinedError(err.decline_code ?? err.code ?? 'card_declined', err.message);
  }
  if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeIdempotencyError) {
    return new PaymentRequestError(`Stripe refused the request: ${err.message}`, { cause: err });
  }
  if (err instanceof Stripe.errors.StripeAuthenticationError || err instanceof Stripe.errors.StripePermissionError) {
    return new PaymentRequestError(`Stripe refused our credentials; check STRIPE_SECRET_KEY: ${err.message}`, {
      cause: err,
    });
  }
  return new Error(`Stripe is unavailable, will retry: ${(err as Error).message}`, { cause: err });
}
