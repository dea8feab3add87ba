/** Worker entry: `npm run worker [-- --queue NAME ...]`. Runs until SIGINT/SIGTERM, then drains and exits. */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import { TaskQueues, type TaskQueue } from '../contracts';
import { createPool } from '../db/pool';
import { createDependencies } from './dependencies';
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

async function main(): Promise<void> {
  const config = loadConfig();
  const queues = parseQueues(process.argv.slice(2));
  // The SDK logs every bundling detail at INFO; operators need its warnings unless they ask for debug.
  Runtime.install({ logger: new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN') });
  const pool = createPool(config.databaseUrl);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  // Callback activities start webhook delivery workflows, so the worker also needs a client.
  const clientConnection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  const deps = createDependencies(config, pool, client);
  const workers = await createWorkers({ connection, namespace: config.temporal.namespace, deps, queues });
  const stop = (): void => workers.forEach((w) => w.shutdown());
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`workers running on ${(queues ?? Object.values(TaskQueues)).join(', ')}`);
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    deps.mailer.close();
    await connection.close();
    await clientConnection.close();
    await pool.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
