/**
 * `npm run start:cluster`: the stack of `npm start`, but Temporal is the production server (v1.32.0) on the
 * PostgreSQL at DATABASE_URL (its own two databases, created and migrated by Temporal's schema tool), with the UI
 * server reading payloads through our codec, and two worker processes per task queue sharing one prebuilt
 * workflow bundle. Ctrl-C stops everything and exits 0.
 */
import { configuredBinaries } from './stack/cluster-binaries';
import path from 'node:path';
import fs from 'node:fs';
import { temporalReachable } from '../adapters/temporal/connection';
import { loadConfig } from '../config';
import { TaskQueues } from '../contracts';
import { bundleWorkflows } from '../worker/bundle';
import { startCluster, type Cluster } from './stack/cluster';
import { prepareKeys, prepareStores, roleEnv, startRoles, superviseStack, uiCodecEndpoint } from './stack/roles';

const log = (line: string): void => console.log(`\x1b[1m[cluster]\x1b[0m ${line}`);
/** Worker processes per task queue. */
const WORKERS_PER_QUEUE = 2;

async function main(): Promise<void> {
  const config = loadConfig();
  let cluster: Cluster | undefined;
  const stack = superviseStack(log, async () => {
    await cluster?.stop();
  });

  try {
    if (config.embeddedDatabase) {
      throw new Error('start:cluster runs the Temporal server on PostgreSQL: set DATABASE_URL to a PostgreSQL server');
    }
    if (await temporalReachable(config.temporal.connection)) {
      throw new Error(
        `a Temporal server already answers at ${config.temporal.address}: stop it or set TEMPORAL_ADDRESS`,
      );
    }
    const admin = prepareKeys(config, log);
    const port = Number(config.temporal.address.split(':').pop());
    const uiPort = port + 1000;
    log(`starting the Temporal server ${config.cluster.historyShards} history shards, on ${config.databaseUrl}`);
    cluster = await startCluster({
      databaseUrl: config.databaseUrl,
      databasePrefix: 'pw_cluster',
      frontendPort: port,
      shards: config.cluster.historyShards,
      workDir: path.join(config.dataDir, 'cluster'),
      binaries: configuredBinaries(config),
      ui: { port: uiPort, codecEndpoint: uiCodecEndpoint(config, admin.token) },
      log,
    });
    await prepareStores(config, log);

    // One bundle for every worker process: webpack runs once, not once per process and queue.
    const bundlePath = path.join(config.dataDir, 'cluster', 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, (await bundleWorkflows('ERROR')).code);
    const env = roleEnv(config, admin.token, uiPort, { WORKFLOW_BUNDLE: bundlePath });
    const workers = Object.values(TaskQueues).flatMap((queue) =>
      Array.from({ length: WORKERS_PER_QUEUE }, (_, i) => ({ name: `${queue}-${i + 1}`, queues: [queue] })),
    );
    stack.watch(startRoles(env, workers));
    log(`API        http://localhost:${config.api.port}  (docs: /docs)`);
    log(`Temporal   ${cluster.address}  UI: ${cluster.uiUrl}`);
    log(`Workers    ${WORKERS_PER_QUEUE} processes per task queue (${workers.length})`);
    log('Press Ctrl-C to stop.');
  } catch (err) {
    console.error(`\x1b[31m${(err as Error).message}\x1b[0m`);
    await stack.stop(1);
  }
}

void main();
