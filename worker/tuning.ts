/**
 * Worker tuning shared by every worker of the service and by the bench's bare workers, so that the bench compares
 * the service with the bare engine under the same settings.
 */
import type { WorkerOptions } from '@temporalio/worker';

/** Options every worker gets; `runsWorkflows` for the workers that also poll workflow tasks. */
export function workerTuning(runsWorkflows: boolean): Partial<WorkerOptions> {
  void runsWorkflows;
  return {
    shutdownGraceTime: '10 seconds',
  };
}
