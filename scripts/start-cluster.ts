/**
 * `npm run start:cluster`: the stack of `npm start`, but Temporal is the production server (v1.32.0) on the
 * PostgreSQL at DATABASE_URL (its own two databases, created and migrated by Temporal's schema tool), with the UI
 * server reading payloads through our codec, and two worker processes per task queue sharing one prebuilt
 * workflow bundle. Ctrl-C stops everything and exits 0.
 */
import path from 'node:path';
import fs from 'node:fs';
import { resolvePayloadKeys } from '../adapters/temporal/payload-keys';
import { resolveWebhookSecretKey } from '../adapters/webhooks/secret-key';
import { temporalReachable, withClient } from '../adapters/temporal/connection';
import { loadConfig } from '../config';
import { TaskQueues } from '../contracts';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { bundleWorkflows } from '../worker/bundle';
import { startCluster, type Cluster } from './stack/cluster';
import { stopProcess, type Managed } from './stack/processes';
import { adminTokenFor, startRoles, uiCodecEndpoint } from './stack/roles';
import { setupTemporal } from './stack/setup';

const log = (line: string): void => console.log(`\x1b[1m[cluster]\x1b[0m ${line}`);
/** Worker processes per task queue. */
const WORKERS_PER_QUEUE = 2;

async function main(): Promise<void> {
  const config = loadConfig();
  const children: Managed[] = [];
  let cluster: Cluster | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      log('stopping...');
      await Promise.all(children.map((c) => stopProcess(c)));
      await cluster?.stop();
      log('stopped');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    if (config.embeddedDatabase) {
      throw new Error('start:cluster runs the Temporal server on PostgreSQL: set DATABASE_URL to a PostgreSQL server');
    }
    if (await temporalReachable(config.temporal.connection)) {
      throw new Error(
        `a Temporal server already answers at ${config.temporal.address}: stop it or set TEMPORAL_ADDRESS`,
      );
    }
    resolvePayloadKeys(config);
    resolveWebhookSecretKey(config.webhooks);
    const admin = adminTokenFor(config);
    if (admin.generatedAt) log(`ADMIN_TOKEN is unset: using the token in ${admin.generatedAt}`);
    const port = Number(config.temporal.address.split(':').pop());
    const uiPort = port + 1000;
    log(`starting the Temporal server ${config.cluster.historyShards} history shards, on ${config.databaseUrl}`);
    cluster = await startCluster({
      databaseUrl: config.databaseUrl,
      databasePrefix: 'pw_cluster',
      frontendPort: port,
      shards: config.cluster.historyShards,
      workDir: path.join(config.dataDir, 'cluster'),
      binaries: {
        server: config.cluster.serverPath,
        sqlTool: config.cluster.sqlToolPath,
        uiServer: config.cluster.uiServerPath,
      },
      ui: { port: uiPort, codecEndpoint: uiCodecEndpoint(config, admin.token) },
      log,
    });
    const pool = createPool(config.databaseUrl, 1);
    const applied = await migrate(pool);
    await pool.end();
    log(applied.length ? `applied migrations ${applied.join(', ')}` : 'database schema is up to date');
    await withClient(config, (client) => setupTemporal(client, { log }));

    // One bundle for every worker process: webpack runs once, not once per process and queue.
    const bundlePath = path.join(config.dataDir, 'cluster', 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, (await bundleWorkflows('ERROR')).code);
    const env = {
      ...process.env,
      DATABASE_URL: config.databaseUrl,
      LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
      ADMIN_TOKEN: admin.token,
      WORKFLOW_BUNDLE: bundlePath,
      CODEC_CORS_ORIGINS: [
        ...config.codec.corsOrigins,
        `http://localhost:${uiPort}`,
        `http://127.0.0.1:${uiPort}`,
      ].join(','),
    };
    const workers = Object.values(TaskQueues).flatMap((queue) =>
      Array.from({ length: WORKERS_PER_QUEUE }, (_, i) => ({ name: `${queue}-${i + 1}`, queues: [queue] })),
    );
    children.push(...startRoles(env, workers));
    for (const child of children) {
      void child.exited.then((code) => {
        if (!stopping) {
          log(`${child.name} exited unexpectedly (${code}); stopping the stack`);
          void stop(1);
        }
      });
    }
    log(`API        http://localhost:${config.api.port}  (docs: /docs)`);
    log(`Temporal   ${cluster.address}  UI: ${cluster.uiUrl}`);
    log(`Workers    ${WORKERS_PER_QUEUE} processes per task queue (${workers.length})`);
    log('Press Ctrl-C to stop.');
  } catch (err) {
    console.error(`\x1b[31m${(err as Error).message}\x1b[0m`);
    await stop(1);
  }
}

void main();
