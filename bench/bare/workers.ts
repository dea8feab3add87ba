/** Workers for the bare runs: one per service queue, tuned exactly as the service's workers, activities that return at once. */
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TaskQueues } from '../../contracts';
import { workerTuning } from '../../worker/tuning';
import type { BareActivities } from './workflows';
import type { BareQueue } from './shapes';

/** Prefix of the bare run's task queues: they never meet the service's workers. */
export const BARE_PREFIX = 'bare-';

const activities: BareActivities = {
  async bareNoop({ step }) {
    return { step };
  },
};

/** Starts the bare workers; returns a function that stops them. */
export async function startBareWorkers(
  connection: NativeConnection,
  namespace: string,
  bundle: WorkflowBundleWithSourceMap,
  /** The service's payload codec: the bare run encrypts its payloads as the service does. */
  dataConverter: DataConverter,
): Promise<() => Promise<void>> {
  const queues = Object.keys(TaskQueues) as BareQueue[];
  const workers = await Promise.all(
    queues.map((queue) =>
      Worker.create({
        connection,
        namespace,
        dataConverter,
        taskQueue: `${BARE_PREFIX}${queue}`,
        activities,
        // Workflows run on the submissions queue, as the service's order workflows do.
        ...(queue === 'submissions' ? { workflowBundle: bundle } : {}),
        ...workerTuning(queue === 'submissions'),
      }),
    ),
  );
  const runs = workers.map((w) => w.run());
  return async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await Promise.allSettled(runs);
  };
}
