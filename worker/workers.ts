/**
 * One Temporal worker per task queue. Each can run alone (`npm run worker -- --queue billing`), which is how
 * production scales the queues independently; `npm start` runs them all in one process.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { TaskQueues, type TaskQueue } from '../contracts';
import { queueActivities, type ActivitiesOf } from '../activities/task-queues';
import type { WorkerDependencies } from './dependencies';
import { attemptRecorder } from './attempt-recorder';
import { workerTuning } from './tuning';

/** Activities each queue runs, from the one table in activities/task-queues.ts. */
export function activitiesFor<Q extends TaskQueue>(queue: Q, deps: WorkerDependencies): ActivitiesOf<Q> {
  return queueActivities[queue](deps) as ActivitiesOf<Q>;
}

/** Replacements for some activities of some queues (tests inject faults this way); names are checked against the table. */
export type ActivityOverrides = { [Q in TaskQueue]?: Partial<ActivitiesOf<Q>> };

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
  activityOverrides?: ActivityOverrides;
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
