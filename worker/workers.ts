/**
 * One Temporal worker per task queue. Each can run alone (`npm run worker -- --queue billing`), which is how
 * production scales the queues independently; `npm start` runs them all in one process.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { TaskQueues, type TaskQueue } from '../contracts';
import {
  createBillingActivities,
  createBillingRunActivities,
  createCallbackActivities,
  createInvoiceActivities,
  createNotificationActivities,
  createSubmissionActivities,
  createWebhookDeliveryActivities,
} from '../activities';
import type { WorkerDependencies } from './dependencies';
import { attemptRecorder } from './attempt-recorder';
import { workerTuning } from './tuning';

/** Activities each queue runs. */
export function activitiesFor(queue: TaskQueue, deps: WorkerDependencies): object {
  const { pool, config } = deps;
  switch (queue) {
    case TaskQueues.submissions:
      return createSubmissionActivities({ pool });
    case TaskQueues.billing:
      return {
        ...createBillingActivities({ payments: deps.payments }),
        ...createBillingRunActivities({ pool, mailer: deps.mailer, ownerAddress: config.email.ownerAddress }),
      };
    case TaskQueues.invoices:
      return createInvoiceActivities({ pool, sellerName: 'Partner Workflows Ltd' });
    case TaskQueues.notifications:
      return createNotificationActivities({
        pool,
        mailer: deps.mailer,
        teamAddress: config.email.teamAddress,
        ownerAddress: config.email.ownerAddress,
      });
    case TaskQueues.callbacks:
      return {
        ...createCallbackActivities({
          pool,
          publicBaseUrl: config.api.publicBaseUrl,
          temporal: deps.temporal,
          webhooks: config.webhooks,
        }),
        ...createWebhookDeliveryActivities({ pool, mailer: deps.mailer, webhooks: config.webhooks }),
      };
  }
}

/** Queues that also run workflow code (billing: the billing run and its charges, so that worker runs them alone). */
const WORKFLOW_QUEUES: TaskQueue[] = [TaskQueues.submissions, TaskQueues.callbacks, TaskQueues.billing];

/** Options shared by every worker; tests pass a prebuilt bundle instead of a workflows path. */
export interface CreateWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  deps: WorkerDependencies;
  queues?: TaskQueue[];
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Override activities per queue (tests inject faults this way). */
  activityOverrides?: Partial<Record<TaskQueue, object>>;
}

/** Creates the workers for the given queues (all by default). */
export async function createWorkers(options: CreateWorkersOptions): Promise<Worker[]> {
  const queues = options.queues ?? Object.values(TaskQueues);
  return Promise.all(
    queues.map((queue) => {
      const runsWorkflows = WORKFLOW_QUEUES.includes(queue);
      const workflowSource = options.workflowBundle
        ? { workflowBundle: options.workflowBundle }
        : { workflowsPath: require.resolve('../workflows') };
      return Worker.create({
        connection: options.connection,
        namespace: options.namespace,
        taskQueue: queue,
        activities: { ...activitiesFor(queue, options.deps), ...(options.activityOverrides?.[queue] ?? {}) },
        ...(runsWorkflows ? workflowSource : {}),
        ...workerTuning(runsWorkflows),
        // Each attempt's outcome per submission, for the status document.
        interceptors: { activity: [attemptRecorder(options.deps.pool)] },
      });
    }),
  );
}
