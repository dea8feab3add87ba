/** A throw-away Temporal dev server for tests and benchmarks, from the built CLI, with our search attributes. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { searchAttributeKeys } from '../../contracts';

/** Starts the dev server (in memory, random ports) through `TestWorkflowEnvironment.createLocal`. */
export function startLocalTemporal(
  cli: string,
  options: { ui?: boolean; uiPort?: number } = {},
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      searchAttributes: searchAttributeKeys,
      ui: options.ui ?? false,
      uiPort: options.uiPort,
      extraArgs: ['--log-level', 'error'],
    },
  });
}
