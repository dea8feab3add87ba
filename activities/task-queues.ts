/**
 * The one table of task queues: which activities each queue's worker registers, built from the worker's
 * dependencies. The worker registers from it (worker/workers.ts) and the workflows' proxies are typed from it
 * (workflows/activity-options.ts), so calling an activity through a queue that does not run it does not compile.
 */
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { Mailer } from '../adapters/email/mailer';
import type { PaymentProvider } from '../adapters/payments/port';
import type { Config } from '../config';
import { TaskQueues, type TaskQueue } from '../contracts';
import { createBillingActivities } from './billing';
import { createBillingRunActivities } from './billing-run';
import { createCallbackActivities } from './callbacks';
import { createInvoiceActivities } from './invoice-processing';
import { createNotificationActivities } from './notification';
import { createSubmissionActivities } from './submissions';
import { createWebhookDeliveryActivities } from './webhook-delivery';

/** What activity factories receive; worker/dependencies.ts wires the real ones, tests pass fakes. */
export interface ActivityDependencies {
  config: Config;
  pool: pg.Pool;
  mailer: Mailer;
  payments: PaymentProvider;
  /** Callback activities start webhook delivery workflows with it. */
  temporal: Client;
}

/** The seller printed on the invoices we issue. */
const SELLER_NAME = 'Partner Workflows Ltd';

/** Each queue's activity factory. Adding an activity to a factory listed here is all a new activity needs. */
export const queueActivities = {
  // The workflow worker also runs, as local activities, the bookkeeping its workflows do on our own database:
  // events (callbacks) and the order's invoice number (invoice processing).
  [TaskQueues.submissions]: ({ pool, config, temporal }: ActivityDependencies) => ({
    ...createSubmissionActivities({ pool }),
    ...createCallbackActivities({
      pool,
      publicBaseUrl: config.api.publicBaseUrl,
      temporal,
      webhooks: config.webhooks,
    }),
    issueOrderInvoice: createInvoiceActivities({ pool, sellerName: SELLER_NAME }).issueOrderInvoice,
  }),
  [TaskQueues.billing]: ({ pool, payments, mailer, config }: ActivityDependencies) => ({
    ...createBillingActivities({ payments }),
    ...createBillingRunActivities({ pool, mailer, ownerAddress: config.email.ownerAddress }),
  }),
  [TaskQueues.invoices]: ({ pool }: ActivityDependencies) => createInvoiceActivities({ pool, sellerName: SELLER_NAME }),
  [TaskQueues.notifications]: ({ pool, mailer, config }: ActivityDependencies) =>
    createNotificationActivities({
      pool,
      mailer,
      teamAddress: config.email.teamAddress,
      ownerAddress: config.email.ownerAddress,
    }),
  [TaskQueues.callbacks]: ({ pool, mailer, config, temporal }: ActivityDependencies) => ({
    ...createCallbackActivities({
      pool,
      publicBaseUrl: config.api.publicBaseUrl,
      temporal,
      webhooks: config.webhooks,
    }),
    ...createWebhookDeliveryActivities({ pool, mailer, webhooks: config.webhooks }),
  }),
} satisfies Record<TaskQueue, (deps: ActivityDependencies) => object>;

/** The activities the worker of queue `Q` registers: the only ones a proxy on `Q` may call. */
export type ActivitiesOf<Q extends TaskQueue> = ReturnType<(typeof queueActivities)[Q]>;
