/**
 * The production Temporal server on PostgreSQL, for `npm run start:cluster`, `npm run test:cluster` and the
 * benchmark: its two databases created and migrated by Temporal's own schema tool, a config file of our own
 * (postgres12, several history shards, every port on 127.0.0.1), and optionally the UI server with our codec.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { temporalReachable } from '../../adapters/temporal/connection';
import { run } from '../temporal-cli';
import { findTemporalServer, findUiServer, type ExplicitBinaries } from './cluster-binaries';
import { startProcess, stopProcess, type Managed } from './processes';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const taken = new Set<number>();

/**
 * A free TCP port on loopback below 32768: the server stores membership ports in a PostgreSQL smallint, so the
 * kernel's ephemeral ports (port 0) do not fit. Random within `range` so parallel runs rarely collide.
 */
export async function freePort(range: [number, number] = [20_000, 32_000]): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = range[0] + Math.floor(Math.random() * (range[1] - range[0]));
    if (!taken.has(port) && (await portIsFree(port))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${range[0]} and ${range[1]}`);
}

/** Where the cluster keeps its state. */
export interface ClusterOptions {
  /** The PostgreSQL server (DATABASE_URL); the cluster's databases are created on it. */
  databaseUrl: string;
  /** Names of its databases: `<prefix>_temporal` and `<prefix>_temporal_visibility`. */
  databasePrefix: string;
  /** Frontend gRPC port (0: a free one). */
  frontendPort: number;
  /** History shards (fixed for the life of the databases). */
  shards: number;
  /** Where the generated config files go. */
  workDir: string;
  binaries: ExplicitBinaries;
  /** Start the UI server on this port, calling the codec at `codecEndpoint`. */
  ui?: { port: number; codecEndpoint?: string };
  log: (line: string) => void;
  /** Pass the server's own log through (it is verbose); errors are printed either way on failure. */
  verbose?: boolean;
}

/** A running cluster. */
export interface Cluster {
  address: string;
  uiUrl?: string;
  processes: Managed[];
  stop(): Promise<void>;
  /** Drops its databases (tests). */
  dropDatabases(): Promise<void>;
}

function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

/** Creates (first time) and migrates both databases with Temporal's `sql` tool and its embedded schemas. */
export async function setupClusterDatabases(sqlTool: string, options: ClusterOptions): Promise<void> {
  const url = new URL(options.databaseUrl);
  for (const [suffix, schema] of [
    ['temporal', 'postgresql/v12/temporal'],
    ['temporal_visibility', 'postgresql/v12/visibility'],
  ] as const) {
    const db = `${options.databasePrefix}_${suffix}`;
    const base = [
      '--plugin',
      'postgres12',
      '--ep',
      url.hostname,
      '-p',
      url.port || '5432',
      '-u',
      decodeURIComponent(url.username || 'postgres'),
      '--pw',
      decodeURIComponent(url.password),
      '--db',
      db,
    ];
    const quiet = (line: string) => (options.verbose ? options.log(line) : undefined);
    if (!(await databaseExists(options.databaseUrl, db))) {
      options.log(`creating the Temporal database ${db} (schema ${schema})`);
      await run(sqlTool, [...base, 'create-database'], process.env, quiet);
      await run(sqlTool, [...base, 'setup-schema', '-v', '0.0'], process.env, quiet);
    }
    await run(sqlTool, [...base, 'update-schema', '--schema-name', schema], process.env, quiet);
  }
}

/** The server's config: postgres12 for both stores, every service bound to 127.0.0.1 on its own ports. */
export function serverConfig(options: {
  databaseUrl: string;
  databasePrefix: string;
  shards: number;
  ports: Record<'frontend' | 'frontendHttp' | 'history' | 'matching' | 'worker', number> & {
    membership: Record<'frontend' | 'history' | 'matching' | 'worker', number>;
  };
  dynamicConfigFile: string;
}): object {
  const url = new URL(options.databaseUrl);
  const store = (suffix: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: `${options.databasePrefix}_${suffix}`,
      connectAddr: `${url.hostname}:${url.port || '5432'}`,
      connectProtocol: 'tcp',
      user: decodeURIComponent(url.username || 'postgres'),
      password: decodeURIComponent(url.password),
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: object = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...extra },
  });
  const { ports } = options;
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: options.shards,
      datastores: { default: store('temporal', 20), visibility: store('temporal_visibility', 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: rpc(ports.frontend, ports.membership.frontend, { httpPort: ports.frontendHttp }),
      history: rpc(ports.history, ports.membership.history),
      matching: rpc(ports.matching, ports.membership.matching),
      worker: rpc(ports.worker, ports.membership.worker),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: options.dynamicConfigFile, pollInterval: '10s' },
  };
}

/**
 * Dynamic config: a search attribute registered by `npm run setup` is usable at once (the server otherwise serves
 * its cached list for a while; the setup step also retries, which is what works on any cluster).
 */
const DYNAMIC_CONFIG = { 'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }] };

async function waitFor(
  what: string,
  managed: Managed,
  ready: () => Promise<boolean>,
  timeoutMs: number,
  output: string[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (managed.child.exitCode !== null) {
      throw new Error(`${what} exited with ${managed.child.exitCode}:\n${output.slice(-30).join('\n')}`);
    }
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not answer within ${timeoutMs / 1000} s:\n${output.slice(-30).join('\n')}`);
}

/** Builds (when needed), migrates and starts the server, and the UI server when asked; resolves once both answer. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { server, sqlTool } = await findTemporalServer(options.binaries, options.log);
  const ui = options.ui ? await findUiServer(options.binaries, options.log) : undefined;
  await setupClusterDatabases(sqlTool, options);

  fs.mkdirSync(options.workDir, { recursive: true });
  const frontend = options.frontendPort || (await freePort());
  const ports = {
    frontend,
    frontendHttp: await freePort(),
    history: await freePort(),
    matching: await freePort(),
    worker: await freePort(),
    membership: {
      frontend: await freePort(),
      history: await freePort(),
      matching: await freePort(),
      worker: await freePort(),
    },
  };
  const dynamicConfigFile = path.join(options.workDir, 'dynamic-config.yaml');
  // YAML is a superset of JSON: the files are written as JSON.
  fs.writeFileSync(dynamicConfigFile, JSON.stringify(DYNAMIC_CONFIG, null, 2));
  const configFile = path.join(options.workDir, 'temporal-server.yaml');
  fs.writeFileSync(configFile, JSON.stringify(serverConfig({ ...options, ports, dynamicConfigFile }), null, 2));

  const address = `127.0.0.1:${frontend}`;
  const processes: Managed[] = [];
  const output: string[] = [];
  const capture = (line: string) => {
    output.push(line);
    if (output.length > 200) output.shift();
    if (options.verbose) options.log(line);
  };
  const serverProcess = startProcess(
    'temporal-server',
    server,
    ['--config-file', configFile, '--allow-no-auth', 'start'],
    process.env,
    { onLine: capture },
  );
  processes.push(serverProcess);
  const stop = async () => {
    for (const p of [...processes].reverse()) await stopProcess(p);
  };
  try {
    await waitFor('the Temporal server', serverProcess, () => temporalReachable({ address }), 120_000, output);
    let uiUrl: string | undefined;
    if (ui && options.ui) {
      uiUrl = `http://127.0.0.1:${options.ui.port}`;
      const uiProcess = startUi(ui, options, address, capture);
      processes.push(uiProcess);
      await waitFor('the Temporal UI server', uiProcess, () => answers(uiUrl!), 60_000, output);
    }
    return {
      address,
      uiUrl,
      processes,
      stop,
      async dropDatabases() {
        const admin = new pg.Client({ connectionString: databaseUrlFor(options.databaseUrl, 'postgres') });
        await admin.connect();
        try {
          for (const suffix of ['temporal', 'temporal_visibility']) {
            await admin.query(`DROP DATABASE IF EXISTS ${options.databasePrefix}_${suffix} WITH (FORCE)`);
          }
        } finally {
          await admin.end();
        }
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

function startUi(
  ui: { binary: string; configDir: string },
  options: ClusterOptions,
  address: string,
  capture: (line: string) => void,
): Managed {
  // The module's own templated config (docker.yaml, filled from TEMPORAL_* variables) as the base, and one line
  // of ours on top: listen on loopback only.
  const dir = path.join(options.workDir, 'ui-config');
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(path.join(dir, 'base.yaml'), { force: true });
  fs.symlinkSync(path.join(ui.configDir, 'docker.yaml'), path.join(dir, 'base.yaml'));
  fs.writeFileSync(path.join(dir, 'partner.yaml'), 'host: 127.0.0.1\n');
  return startProcess(
    'temporal-ui',
    ui.binary,
    ['--root', '/', '--config', dir, '--env', 'partner', 'start'],
    {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_UI_PORT: String(options.ui!.port),
      TEMPORAL_CODEC_ENDPOINT: options.ui!.codecEndpoint ?? '',
      TEMPORAL_CORS_ORIGINS: `http://127.0.0.1:${options.ui!.port},http://localhost:${options.ui!.port}`,
      TEMPORAL_DISABLE_NEWS_FETCH: 'true',
    },
    { onLine: capture },
  );
}
