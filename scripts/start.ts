/**
 * `npm start`: the whole stack on one machine. Temporal dev server (UI on :8233, reading payloads through our
 * codec), PostgreSQL (DATABASE_URL or an embedded PGlite), migrations, the setup step, all workers and the API on
 * :3000. Ctrl-C stops everything in order and exits 0.
 */
import { resolvePayloadKeys } from '../adapters/temporal/payload-keys';
import { resolveWebhookSecretKey } from '../adapters/webhooks/secret-key';
import { temporalReachable, withClient } from '../adapters/temporal/connection';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { startPglite, type EmbeddedDatabase } from './stack/pglite';
import { stopProcess, type Managed } from './stack/processes';
import { adminTokenFor, startRoles, uiCodecEndpoint } from './stack/roles';
import { setupTemporal } from './stack/setup';
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
    // Without PAYLOAD_KEYS a key is generated once into the data folder; every process of the stack reads it.
    const keys = resolvePayloadKeys(config);
    log(`payload codec key ${keys[0]!.id}${config.payloads.keys ? '' : ` (${config.payloads.keyFile})`}`);
    // Likewise the key sealing webhook signing secrets: made before the API and workers start, so they share it.
    resolveWebhookSecretKey(config.webhooks);
    if (!config.webhooks.secretKey) log(`webhook secret key ${config.webhooks.secretKeyFile}`);
    const admin = adminTokenFor(config);
    if (admin.generatedAt) log(`ADMIN_TOKEN is unset: using the token in ${admin.generatedAt}`);
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
    const pool = createPool(config.databaseUrl, 1);
    const applied = await migrate(pool);
    await pool.end();
    log(applied.length ? `applied migrations ${applied.join(', ')}` : 'database schema is up to date');
    await withClient(config, (client) => setupTemporal(client, { log }));

    const env = {
      ...process.env,
      DATABASE_URL: config.databaseUrl,
      LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
      ADMIN_TOKEN: admin.token,
      CODEC_CORS_ORIGINS: [
        ...config.codec.corsOrigins,
        `http://localhost:${uiPort}`,
        `http://127.0.0.1:${uiPort}`,
      ].join(','),
    };
    children.push(...startRoles(env, [{ name: 'worker' }]));
    for (const child of children) {
      void child.exited.then((code) => {
        if (!stopping) {
          log(`${child.name} exited unexpectedly (${code}); stopping the stack`);
          void stop(1);
        }
      });
    }
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
