/**
 * One Temporal worker per task queue. Each can run alone (`npm run worker -- --queue billing`), which is how
 * production scales the queues independently; `npm start` runs them all in one process.
 */
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { TaskQueues, type TaskQueue } from '../contracts';
import { queueActivities, type ActivitiesOf } from '../activities/task-queues';
import type { WorkerDependencies } from './dependencies';
import { attemptRecorder } from './attempt-recorder';
import { bundleWorkflows, type WorkflowBundle } from './bundle';
import { workerTuning } from './tuning';

/** Activities each queue runs, from the one table in activities/task-queues.ts. */
export function activitiesFor<Q extends TaskQueue>(queue: Q, deps: WorkerDependencies): ActivitiesOf<Q> {
  return queueActivities[queue](deps) as ActivitiesOf<Q>;
}

/** Replacements for some activities of some queues (tests inject faults this way); names are checked against the table. */
export type ActivityOverrides = { [Q in TaskQueue]?: Partial<ActivitiesOf<Q>> };

/** Queues that also run workflow code (billing: the billing run and its charges, so that worker runs them alone). */
const WORKFLOW_QUEUES: TaskQueue[] = [TaskQueues.submissions, TaskQueues.callbacks, TaskQueues.billing];

/** Options shared by every worker. */
export interface CreateWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  /** The payload codec and failure converter (adapters/temporal/connection.ts `dataConverterFor`). */
  dataConverter: DataConverter;
  deps: WorkerDependencies;
  queues?: TaskQueue[];
  /** Shared by the workers; bundled once here when not given. */
  workflowBundle?: WorkflowBundle;
  /** Override activities per queue (tests inject faults this way). */
  activityOverrides?: ActivityOverrides;
}

/** Creates the workers for the given queues (all by default). */
export async function createWorkers(options: CreateWorkersOptions): Promise<Worker[]> {
  const queues = options.queues ?? Object.values(TaskQueues);
  // One bundle for every worker of the process: webpack runs once, not once per queue.
  const needsBundle = queues.some((queue) => WORKFLOW_QUEUES.includes(queue));
  const workflowBundle = options.workflowBundle ?? (needsBundle ? await bundleWorkflows() : undefined);
  return Promise.all(
    queues.map((queue) => {
      const runsWorkflows = WORKFLOW_QUEUES.includes(queue);
      return Worker.create({
        connection: options.connection,
        namespace: options.namespace,
        dataConverter: options.dataConverter,
        taskQueue: queue,
        activities: { ...activitiesFor(queue, options.deps), ...(options.activityOverrides?.[queue] ?? {}) },
        ...(runsWorkflows ? { workflowBundle } : {}),
        ...workerTuning(runsWorkflows),
        // Each attempt's outcome per submission, for the status document.
        interceptors: { activity: [attemptRecorder(options.deps.pool)] },
      });
    }),
  );
}
