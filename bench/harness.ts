/**
 * The real stack for benchmarks: Temporal dev server from the built CLI (or, with BENCH_TEMPORAL=cluster, the
 * production server on the PostgreSQL at DATABASE_URL), a fresh database, the API on a port.
 */
import { configuredBinaries } from '../scripts/stack/cluster-binaries';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, bundleWorkflowCode, type Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { clientFor, connectClient, connectWorkerConnection, dataConverterFor } from '../adapters/temporal/connection';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { build } from '../api/app';
import { loadConfig, parsePayloadKeys, type Config } from '../config';
import type { TaskQueue } from '../contracts';
import { createPool } from '../db/pool';
import { freshDatabase } from '../scripts/stack/fresh-database';
import { startCluster } from '../scripts/stack/cluster';
import { startLocalTemporal } from '../scripts/stack/local-temporal';
import { setupTemporal } from '../scripts/stack/setup';
import { findTemporalCli } from '../scripts/temporal-cli';
import { createDependencies } from '../worker/dependencies';
import { bundleWorkflows } from '../worker/bundle';
import { createWorkers } from '../worker/workers';
import { startBareWorkers } from './bare/workers';

/** A running benchmark stack. */
export interface BenchStack {
  config: Config;
  env: BenchTemporal;
  pool: pg.Pool;
  app: FastifyInstance;
  baseUrl: string;
  /** A client over the workers' native connection: the transport the API's own client uses. */
  nativeClient: Client;
  /** What a child process (the volume run's API and worker) needs beyond the config: the throw-away payload key. */
  childEnv: Record<string, string>;
  startWorkers(queues?: TaskQueue[]): Promise<() => Promise<void>>;
  /** Starts the bare engine's workers (see bare/): same queues and tuning, activities that return at once. */
  startBareWorkers(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// The codec runs as in production (every payload encrypted); the key is throw-away like the bench's database.
const BENCH_PAYLOAD_KEYS = `bench:${randomBytes(32).toString('base64')}`;
// The API and the workers it spawns seal and open webhook secrets with one key, not the repository's .data file.
const BENCH_WEBHOOK_SECRET_KEY = randomBytes(32).toString('base64');
const benchPayloadKeys = {
  payloads: { keys: parsePayloadKeys('bench', BENCH_PAYLOAD_KEYS), keyFile: '' },
  production: false,
};

/** The Temporal the bench runs on: what it uses of a TestWorkflowEnvironment. */
export type BenchTemporal = Pick<TestWorkflowEnvironment, 'address' | 'client' | 'teardown'>;

/** The production server (v1.32.0) on the PostgreSQL at `databaseUrl`, in throw-away databases of its own. */
async function startClusterTemporal(env: Record<string, string | undefined>): Promise<BenchTemporal> {
  const server = loadConfig(env);
  if (server.embeddedDatabase) throw new Error('BENCH_TEMPORAL=cluster runs Temporal on PostgreSQL: set DATABASE_URL');
  const cluster = await startCluster({
    databaseUrl: server.databaseUrl,
    databasePrefix: `pw_bench_${process.pid}`,
    frontendPort: 0,
    shards: server.cluster.historyShards,
    workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bench-cluster-')),
    binaries: configuredBinaries(server),
    log: (line) => console.error(`[cluster] ${line}`),
  });
  const settings = loadConfig({ TEMPORAL_ADDRESS: cluster.address, PAYLOAD_KEYS: BENCH_PAYLOAD_KEYS });
  const client = await connectClient(settings);
  await setupTemporal(client);
  return {
    address: cluster.address,
    client,
    async teardown() {
      await client.connection.close();
      await cluster.stop();
      await cluster.dropDatabases();
    },
  };
}

/** Starts everything; `env` is the process environment the entry point was given. */
export async function startBenchStack(env: Record<string, string | undefined>): Promise<BenchStack> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const cli = await findTemporalCli({ explicit: env.TEMPORAL_CLI || undefined });
  const [temporal, database, bundle, bareBundle] = await Promise.all([
    env.BENCH_TEMPORAL === 'cluster'
      ? startClusterTemporal(env)
      : startLocalTemporal(cli, { dataConverter: dataConverterFor(benchPayloadKeys) }),
    freshDatabase(env.DATABASE_URL || undefined, 'pw_bench'),
    bundleWorkflows('ERROR'),
    bundleWorkflowCode({ workflowsPath: require.resolve('./bare/workflows'), logger: new DefaultLogger('ERROR') }),
  ]);
  const config = loadConfig({
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    OUTBOX_DIR: path.join(os.tmpdir(), 'pw-bench-outbox'),
    RATE_LIMIT_MAX: '1000000',
    PAYLOAD_KEYS: BENCH_PAYLOAD_KEYS,
    WEBHOOK_SECRET_KEY: BENCH_WEBHOOK_SECRET_KEY,
    LOG_LEVEL: 'error',
  });
  // The workers (the service's and the bare engine's) and the bare native starts share one connection with the
  // service's own connection options (no gzip, see adapters/temporal/connection.ts), as the API's client has them.
  const nativeConnection = await connectWorkerConnection(config);
  const pool = createPool(config.databaseUrl, 20);
  const deps = createDependencies(config, pool, temporal.client);
  // The API opens its own client, as in production (the native transport, see adapters/temporal).
  const app = await build({ config, pool });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const stops = new Set<() => Promise<void>>();

  return {
    config,
    env: temporal,
    pool,
    app,
    baseUrl: address,
    nativeClient: clientFor(config, nativeConnection),
    childEnv: { PAYLOAD_KEYS: BENCH_PAYLOAD_KEYS, WEBHOOK_SECRET_KEY: BENCH_WEBHOOK_SECRET_KEY },
    async startWorkers(queues) {
      const workers: Worker[] = await createWorkers({
        connection: nativeConnection,
        namespace: 'default',
        dataConverter: dataConverterFor(config),
        deps,
        queues,
        workflowBundle: bundle,
      });
      const runs = workers.map((w) => w.run());
      const stop = async (): Promise<void> => {
        stops.delete(stop);
        workers.forEach((w) => w.getState() === 'RUNNING' && w.shutdown());
        await Promise.allSettled(runs);
      };
      stops.add(stop);
      return stop;
    },
    async startBareWorkers() {
      const stop = await startBareWorkers(nativeConnection, 'default', bareBundle, dataConverterFor(config));
      stops.add(stop);
      return async () => {
        stops.delete(stop);
        await stop();
      };
    },
    async close() {
      for (const stop of [...stops]) await stop();
      await app.close();
      deps.mailer.close();
      await pool.end();
      await nativeConnection.close();
      await temporal.teardown();
      await database.drop();
    },
  };
}
