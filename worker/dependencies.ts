/** Builds the real dependencies activities need from the configuration. */
import type pg from 'pg';
import type { Config } from '../config';
import { createMailer, type Mailer } from '../adapters/email/mailer';
import { createPaymentProvider } from '../adapters/payments';
import type { PaymentProvider } from '../adapters/payments/port';

/** What activity factories receive. */
export interface WorkerDependencies {
  config: Config;
  pool: pg.Pool;
  mailer: Mailer;
  payments: PaymentProvider;
}

/** Wires the mailer and payment provider around an open pool. */
export function createDependencies(config: Config, pool: pg.Pool): WorkerDependencies {
  return {
    config,
    pool,
    mailer: createMailer(config.email),
    payments: createPaymentProvider(config.payments, pool),
  };
}
