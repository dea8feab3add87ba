/**
 * The workflow bundle: built once per process and shared by every worker in it (three queues run workflow code),
 * or read from a file built ahead of time (`npm run build:workflows`, WORKFLOW_BUNDLE) so production images start
 * without webpack.
 */
import {
  bundleWorkflowCode,
  DefaultLogger,
  type WorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { FAILURE_CONVERTER_PATH } from '../adapters/temporal/connection';

/** What `Worker.create` takes as `workflowBundle`. */
export type WorkflowBundle = NonNullable<WorkerOptions['workflowBundle']>;

/** Bundles `workflows/` with the failure converter every client and worker uses. */
export function bundleWorkflows(logLevel: 'WARN' | 'ERROR' | 'DEBUG' = 'WARN'): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: path.join(__dirname, '..', 'workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger(logLevel),
  });
}

/** The prebuilt bundle at `codePath` when given, else a fresh bundle. */
export async function loadWorkflowBundle(codePath?: string): Promise<WorkflowBundle> {
  if (codePath) {
    if (!fs.existsSync(codePath)) {
      throw new Error(`WORKFLOW_BUNDLE=${codePath} does not exist: build it with npm run build:workflows`);
    }
    return { codePath: path.resolve(codePath) };
  }
  return bundleWorkflows();
}
