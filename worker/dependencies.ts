/** Builds the real dependencies activities need from the configuration. */
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { ActivityDependencies } from '../activities/task-queues';
import type { Config } from '../config';
import { createMailer } from '../adapters/email/mailer';
import { createPaymentProvider } from '../adapters/payments';

/** What activity factories receive (defined with the queue table, which builds every queue's activities). */
export type WorkerDependencies = ActivityDependencies;

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
