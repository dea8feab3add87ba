/**
 * `npm start`: the whole stack on one machine. Temporal dev server (UI on :8233, reading payloads through our
 * codec), PostgreSQL (DATABASE_URL or an embedded PGlite), migrations, the setup step, all workers and the API on
 * :3000. Ctrl-C stops everything in order and exits 0.
 */
import { temporalReachable } from '../adapters/temporal/connection';
import { loadConfig } from '../config';
import { startPglite, type EmbeddedDatabase } from './stack/pglite';
import { stopProcess, type Managed } from './stack/processes';
import { prepareKeys, prepareStores, roleEnv, startRoles, superviseStack, uiCodecEndpoint } from './stack/roles';
import { startTemporal } from './stack/temporal-server';
import { findTemporalCli } from './temporal-cli';

const log = (line: string): void => console.log(`\x1b[1m[stack]\x1b[0m ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  let temporal: Managed | undefined;
  let database: EmbeddedDatabase | undefined;
  const stack = superviseStack(log, async () => {
    if (temporal) await stopProcess(temporal);
    await database?.stop();
  });

  try {
    // Without PAYLOAD_KEYS (and the other keys) a key is generated once into the data folder; every process reads it.
    const admin = prepareKeys(config, log);
    const uiPort = Number(config.temporal.address.split(':').pop()) + 1000;

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
        codecEndpoint: uiCodecEndpoint(config, admin.token),
      });
    }

    if (config.embeddedDatabase) {
      log(
        `DATABASE_URL is unset: serving an embedded PGlite from ${config.pglite.dataDir} on port ${config.pglite.port}`,
      );
      database = await startPglite({ dataDir: config.pglite.dataDir, port: config.pglite.port });
    }
    await prepareStores(config, log);

    stack.watch(startRoles(roleEnv(config, admin.token, uiPort), [{ name: 'worker' }]));
    log(`API        http://localhost:${config.api.port}  (docs: /docs)`);
    log(`Temporal   ${config.temporal.address}  UI: http://localhost:${uiPort}`);
    log(`Database   ${config.databaseUrl}`);
    log('Press Ctrl-C to stop.');
  } catch (err) {
    console.error(err);
    await stack.stop(1);
  }
}

void main();
