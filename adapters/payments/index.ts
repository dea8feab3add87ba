/** Chooses the payment provider named by the configuration. */
import type { Config } from '../../config';
import type { Queryable } from '../../db/pool';
import { createDefaultPaymentProvider } from './default-provider';
import type { PaymentProvider } from './port';
import { createStripePaymentProvider } from './stripe-provider';

/** The configured payment provider. */
export function createPaymentProvider(config: Config['payments'], db: Queryable): PaymentProvider {
  if (config.provider === 'stripe') return createStripePaymentProvider({ secretKey: config.stripeSecretKey! });
  return createDefaultPaymentProvider(db);
}
