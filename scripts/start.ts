/**
 * `npm start`: the whole stack on one machine. Temporal dev server (UI on :8233), PostgreSQL (DATABASE_URL or an
 * embedded PGlite), migrations, all workers and the API on :3000. Ctrl-C stops everything in order.
 */
import path from 'node:path';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { ensureBillingScheduleFor } from './stack/billing-schedule';
import { startPglite, type EmbeddedDatabase } from './stack/pglite';
import { startProcess, stopProcess, type Managed } from './stack/processes';
import { temporalReachable } from '../adapters/temporal/connection';
import { startTemporal } from './stack/temporal-server';
import { findTemporalCli } from './temporal-cli';

const log = (line: string): void => console.log(`\x1b[1m[stack]\x1b[0m ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  const children: Managed[] = [];
  let temporal: Managed | undefined;
  let database: EmbeddedDatabase | undefined;
  let stopping = false;

  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      log('stopping...');
      await Promise.all(children.map((c) => stopProcess(c)));
      if (temporal) await stopProcess(temporal);
      await database?.stop();
      log('stopped');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    if (await temporalReachable(config.temporal.connection)) {
      log(`using the Temporal server already answering at ${config.temporal.address}`);
    } else {
      const cli = await findTemporalCli({ explicit: config.temporal.cliPath, log });
      log(`starting the Temporal dev server (${cli})`);
      temporal = await startTemporal({
        cli,
        address: config.temporal.address,
        namespace: config.temporal.namespace,
        dataDir: config.dataDir,
      });
    }

    if (config.embeddedDatabase) {
      log(
        `DATABASE_URL is unset: serving an embedded PGlite from ${config.pglite.dataDir} on port ${config.pglite.port}`,
      );
      database = await startPglite({ dataDir: config.pglite.dataDir, port: config.pglite.port });
    }
    const pool = createPool(config.databaseUrl, 1);
    const applied = await migrate(pool);
    await pool.end();
    log(applied.length ? `applied migrations ${applied.join(', ')}` : 'database schema is up to date');

    const env = { ...process.env, DATABASE_URL: config.databaseUrl, LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty' };
    // node with tsx's loader is one process per role, so a stop signal reaches the role itself.
    const role = (file: string): string[] => ['--import', 'tsx', path.join(__dirname, '..', file)];
    children.push(startProcess('worker', process.execPath, role('worker/main.ts'), env));
    children.push(startProcess('api', process.execPath, role('api/server.ts'), env));
    for (const child of children) {
      void child.exited.then((code) => {
        if (!stopping) {
          log(`${child.name} exited unexpectedly (${code}); stopping the stack`);
          void stop(1);
        }
      });
    }
    const schedule = await ensureBillingScheduleFor(config);
    log(`billing schedule ${schedule.scheduleId} ${schedule.created ? 'created' : 'updated'} (daily 01:00 UTC)`);
    const uiPort = Number(config.temporal.address.split(':').pop()) + 1000;
    log(`API        http://localhost:${config.api.port}  (docs: /docs)`);
    log(`Temporal   ${config.temporal.address}  UI: http://localhost:${uiPort}`);
    log(`Database   ${config.databaseUrl}`);
    log('Press Ctrl-C to stop.');
  } catch (err) {
    console.error(err);
    await stop(1);
  }
}

void main();
