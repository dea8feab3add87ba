/**
 * The service's own processes for `npm start` and `npm run start:cluster`: the keys they share, the database schema
 * and Temporal setup, the API and worker processes, and an orderly stop on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { codecUiToken } from '../../api/admin-token';
import { readOrCreateKeyFile } from '../../adapters/key-file';
import { withClient } from '../../adapters/temporal/connection';
import { resolvePayloadKeys } from '../../adapters/temporal/payload-keys';
import { resolveWebhookSecretKey } from '../../adapters/webhooks/secret-key';
import type { Config } from '../../config';
import type { TaskQueue } from '../../contracts';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { startProcess, stopProcess, type Managed } from './processes';
import { setupTemporal } from './setup';

type Log = (line: string) => void;

/**
 * The stack's supervisor: Ctrl-C or SIGTERM stops the children, then `teardown` (the servers they need), and exits 0;
 * a child that exits on its own stops the whole stack with exit code 1. A signal that comes while the stack is
 * stopping changes nothing: one Ctrl-C reaches this process twice (the terminal signals the whole process group and
 * npm forwards its copy), and exiting at the second would leave the workers draining and the embedded database
 * unclosed. The stop is bounded anyway: each child gets `stopProcess`'s grace, then SIGKILL.
 */
export function superviseStack(log: Log, teardown: () => Promise<void>) {
  const children: Managed[] = [];
  let stopping: Promise<never> | undefined;
  let stopStartedAt = 0;
  const stop = (code: number): Promise<never> => {
    stopping ??= (async () => {
      stopStartedAt = Date.now();
      log('stopping...');
      await Promise.all(children.map((c) => stopProcess(c)));
      await teardown();
      log('stopped');
      process.exit(code);
    })();
    return stopping;
  };
  const onSignal = (): void => {
    // The forwarded copy of the first Ctrl-C comes within milliseconds; a later one is the user pressing again.
    if (stopping && Date.now() - stopStartedAt > 1000)
      log('still stopping: the workers finish their running activities');
    void stop(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stop,
    /** Adds children whose unexpected exit stops the stack. */
    watch(started: Managed[]): void {
      children.push(...started);
      for (const child of started) {
        void child.exited.then((code) => {
          if (!stopping) {
            log(`${child.name} exited unexpectedly (${code}); stopping the stack`);
            void stop(1);
          }
        });
      }
    },
  };
}

/**
 * The keys every process of the stack shares, made before any of them starts: the payload codec key and the webhook
 * secret key (generated into the data folder in development), and the admin token. Answers the admin token.
 */
export function prepareKeys(config: Config, log: Log): { token: string; generatedAt?: string } {
  const keys = resolvePayloadKeys(config);
  log(`payload codec key ${keys[0]!.id}${config.payloads.keys ? '' : ` (${config.payloads.keyFile})`}`);
  resolveWebhookSecretKey(config.webhooks);
  if (!config.webhooks.secretKey) log(`webhook secret key ${config.webhooks.secretKeyFile}`);
  const admin = adminTokenFor(config);
  if (admin.generatedAt) log(`ADMIN_TOKEN is unset: using the token in ${admin.generatedAt}`);
  return admin;
}

/** Applies the database migrations and the Temporal setup step (namespace, search attributes, billing Schedule). */
export async function prepareStores(config: Config, log: Log): Promise<void> {
  const pool = createPool(config.databaseUrl, 1);
  try {
    const applied = await migrate(pool);
    log(applied.length ? `applied migrations ${applied.join(', ')}` : 'database schema is up to date');
  } finally {
    await pool.end();
  }
  await withClient(config, (client) => setupTemporal(client, { log }));
}

/** The environment of the API and worker processes: the database, the admin token, the UI allowed to call the codec. */
export function roleEnv(
  config: Config,
  adminToken: string,
  uiPort: number,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: config.databaseUrl,
    LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
    ADMIN_TOKEN: adminToken,
    CODEC_CORS_ORIGINS: [...config.codec.corsOrigins, `http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`].join(
      ',',
    ),
    ...extra,
  };
}

const ROOT = path.join(__dirname, '..', '..');

/** Starts `api/server.ts` and one `worker/main.ts` per entry of `workers` (its queues; undefined: all). */
export function startRoles(env: NodeJS.ProcessEnv, workers: { name: string; queues?: TaskQueue[] }[]): Managed[] {
  // node with tsx's loader is one process per role, so a stop signal reaches the role itself.
  const role = (file: string, args: string[] = []): string[] => ['--import', 'tsx', path.join(ROOT, file), ...args];
  return [
    ...workers.map((w) =>
      startProcess(
        w.name,
        process.execPath,
        role(
          'worker/main.ts',
          (w.queues ?? []).flatMap((q) => ['--queue', q]),
        ),
        env,
      ),
    ),
    startProcess('api', process.execPath, role('api/server.ts'), env),
  ];
}

/** ADMIN_TOKEN, or (development) one generated into the data folder, so the UI can call the codec. */
export function adminTokenFor(config: Config): { token: string; generatedAt?: string } {
  if (config.admin.token) return { token: config.admin.token };
  if (config.production) throw new Error('ADMIN_TOKEN is required in production');
  const file = path.join(config.dataDir, 'admin-token');
  const token = readOrCreateKeyFile(file, () => `${randomBytes(24).toString('base64url')}\n`).trim();
  return { token, generatedAt: file };
}

/** The codec endpoint the Temporal UI is given (its token opens the codec only). */
export function uiCodecEndpoint(config: Config, adminToken: string): string {
  return `http://localhost:${config.api.port}/codec/ui/${config.codec.uiToken ?? codecUiToken(adminToken)}`;
}
