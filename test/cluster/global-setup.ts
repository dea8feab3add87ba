/**
 * Runs once per `npm run test:cluster`: the production Temporal server on the PostgreSQL at DATABASE_URL (two
 * fresh databases, dropped afterwards, free ports on 127.0.0.1), set up like `npm run setup` does.
 */
import { configuredBinaries } from '../../scripts/stack/cluster-binaries';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { connectClient } from '../../adapters/temporal/connection';
import { loadConfig } from '../../config';
import { startCluster } from '../../scripts/stack/cluster';
import { setupTemporal } from '../../scripts/stack/setup';
import { TEST_PAYLOAD_KEYS } from '../support/config';

declare module 'vitest' {
  export interface ProvidedContext {
    clusterAddress: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The test runner is an entry point: it reads the variables that choose its real parts.
  const config = loadConfig(process.env);
  if (config.embeddedDatabase)
    throw new Error('test:cluster needs DATABASE_URL: the Temporal server runs on PostgreSQL');
  const log = (line: string) => console.log(`[cluster] ${line}`);
  const started = Date.now();
  const cluster = await startCluster({
    databaseUrl: config.databaseUrl,
    databasePrefix: `pw_ct_${process.pid}`,
    frontendPort: 0,
    shards: config.cluster.historyShards,
    workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'pw-cluster-')),
    binaries: configuredBinaries(config),
    log,
  });
  try {
    const client = await connectClient(
      loadConfig({ TEMPORAL_ADDRESS: cluster.address, PAYLOAD_KEYS: TEST_PAYLOAD_KEYS }),
    );
    await setupTemporal(client, { log });
    await client.connection.close();
  } catch (err) {
    await cluster.stop();
    await cluster.dropDatabases();
    throw err;
  }
  log(`Temporal server ${cluster.address} ready in ${Math.round((Date.now() - started) / 1000)} s`);
  project.provide('clusterAddress', cluster.address);
  return async () => {
    await cluster.stop();
    await cluster.dropDatabases();
  };
}
