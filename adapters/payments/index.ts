/** Chooses the payment provider named by the configuration. */
import type { Config } from '../../config';
import type { Queryable } from '../../db/pool';
import { createDefaultPaymentProvider } from './default-provider';
import type { PaymentProvider } from './port';

/** The configured payment provider. */
export function createPaymentProvider(config: Config['payments'], db: Queryable): PaymentProvider {
  if (config.provider === 'stripe') throw new Error('the Stripe provider is not wired yet');
  return createDefaultPaymentProvider(db);
}
