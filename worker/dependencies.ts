/** Builds the real dependencies activities need from the configuration. */
import type { Client } from '@temporalio/client';
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
  /** Callback activities start webhook delivery workflows with it. */
  temporal: Client;
}

/** Wires the mailer and payment provider around an open pool and Temporal client. */
export function createDependencies(config: Config, pool: pg.Pool, temporal: Client): WorkerDependencies {
  return {
    config,
    pool,
    mailer: createMailer(config.email),
    payments: createPaymentProvider(config.payments, pool),
    temporal,
  };
}
