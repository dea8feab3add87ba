/**
 * Worker entry: `npm run worker [-- --queue NAME ...]`. Runs until SIGINT/SIGTERM, then stops polling, lets
 * in-flight activities finish (up to the shutdown grace time), closes its connections and exits 0.
 */
import { Runtime, type Worker } from '@temporalio/worker';
import { connectClient, connectWorkerConnection, dataConverterFor } from '../adapters/temporal/connection';
import { loadConfig } from '../config';
import { TaskQueues, type TaskQueue } from '../contracts';
import { createPool } from '../db/pool';
import { loadWorkflowBundle } from './bundle';
import { createDependencies } from './dependencies';
import { sdkLogger } from '../adapters/temporal/sdk-logger';
import { createWorkers } from './workers';

function parseQueues(argv: string[]): TaskQueue[] | undefined {
  const known = Object.values(TaskQueues) as string[];
  const queues: TaskQueue[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--queue') throw new Error(`unknown argument "${argv[i]}"; usage: worker [--queue NAME]...`);
    const name = argv[++i];
    if (!name || !known.includes(name)) throw new Error(`--queue must be one of ${known.join(', ')}`);
    queues.push(name as TaskQueue);
  }
  return queues.length ? queues : undefined;
}

/** Asks every worker still running to drain; safe to call again (Ctrl-C in a terminal, then SIGTERM from npm start). */
function shutdownAll(workers: Worker[]): void {
  for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
}

async function main(): Promise<void> {
  const config = loadConfig();
  const queues = parseQueues(process.argv.slice(2));
  // The SDK logs every bundling detail at INFO; operators need its warnings unless they ask for debug.
  // Its own signal handlers are off: this entry drains once, however many signals arrive.
  Runtime.install({
    logger: sdkLogger(config),
    shutdownSignals: [],
  });
  let workers: Worker[] = [];
  let stopping = false;
  const stop = (): void => {
    stopping = true;
    shutdownAll(workers);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const pool = createPool(config.databaseUrl);
  const [connection, client, workflowBundle] = await Promise.all([
    connectWorkerConnection(config),
    // Callback activities start webhook delivery workflows, so the worker also needs a client.
    connectClient(config),
    loadWorkflowBundle(config.workflowBundlePath),
  ]);
  const deps = createDependencies(config, pool, client);
  try {
    workers = await createWorkers({
      connection,
      namespace: config.temporal.namespace,
      dataConverter: dataConverterFor(config),
      deps,
      queues,
      workflowBundle,
    });
    if (stopping) return;
    const runs = workers.map((w) => w.run());
    console.log(`workers running on ${(queues ?? Object.values(TaskQueues)).join(', ')}`);
    await Promise.all(runs);
    if (stopping) console.log('workers drained, stopped');
  } finally {
    deps.mailer.close();
    await connection.close();
    await client.connection.close();
    await pool.end();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
