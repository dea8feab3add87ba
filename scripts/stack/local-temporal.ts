/** A throw-away Temporal dev server for tests and benchmarks, from the built CLI, with our search attributes. */
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { searchAttributeKeys } from '../../contracts';

/**
 * Starts the dev server (in memory, random ports unless `port` is given) through `TestWorkflowEnvironment.createLocal`; its client uses
 * `dataConverter` (the payload codec of adapters/temporal/connection.ts) like every client of the service.
 */
export function startLocalTemporal(
  cli: string,
  options: { ui?: boolean; uiPort?: number; port?: number; dataConverter: DataConverter; extraArgs?: string[] },
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    client: { dataConverter: options.dataConverter },
    server: {
      executable: { type: 'existing-path', path: cli },
      searchAttributes: searchAttributeKeys,
      ui: options.ui ?? false,
      port: options.port,
      uiPort: options.uiPort,
      extraArgs: ['--log-level', 'error', ...(options.extraArgs ?? [])],
    },
  });
}
