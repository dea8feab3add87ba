/**
 * The production Temporal server (`go.temporal.io/server` v1.32.0: `server` and its schema tool `sql`) and the
 * UI server (ui-server v2.55.0). Found in this order: explicit paths (TEMPORAL_SERVER, TEMPORAL_SQL_TOOL,
 * TEMPORAL_UI_SERVER), PATH (`temporal-server`, `temporal-sql-tool`, `temporal-ui-server`), the cache outside the
 * repo, `go install` into that cache (5 to 14 minutes cold). The UI's config folder comes from its Go module.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../config';
import { findGo, isExecutable, onPath, run } from '../temporal-cli';

/** Server release: the newest that builds with the machine's Go without fetching a toolchain. */
export const TEMPORAL_SERVER_VERSION = 'v1.32.0';
/** UI server release. */
export const UI_SERVER_VERSION = 'v2.55.0';
const CACHE_ROOT = path.join(os.homedir(), '.cache', 'partner-workflow');
/** Cache folders of the built binaries. */
export const SERVER_CACHE = path.join(CACHE_ROOT, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
export const UI_CACHE = path.join(CACHE_ROOT, `temporal-ui-${UI_SERVER_VERSION}`);
const UI_MODULE = 'github.com/temporalio/ui-server/v2';

/** Paths of the binaries, when given explicitly (config). */
export interface ExplicitBinaries {
  server?: string;
  sqlTool?: string;
  uiServer?: string;
}

/** The binaries configured by TEMPORAL_SERVER, TEMPORAL_SQL_TOOL and TEMPORAL_UI_SERVER (each may be unset). */
export function configuredBinaries(config: Pick<Config, 'cluster'>): ExplicitBinaries {
  return {
    server: config.cluster.serverPath,
    sqlTool: config.cluster.sqlToolPath,
    uiServer: config.cluster.uiServerPath,
  };
}

function explicitOrFound(explicit: string | undefined, name: string, command: string, cached: string) {
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`${name}=${explicit} is not an executable file`);
    return explicit;
  }
  return onPath(command) ?? (isExecutable(cached) ? cached : undefined);
}

async function goInstallInto(dir: string, packages: string[], log: (line: string) => void): Promise<void> {
  const go = findGo();
  if (!go) throw new Error(`no Go toolchain to build ${packages.join(' ')}: install Go or set the binary paths`);
  fs.mkdirSync(dir, { recursive: true });
  log(`building ${packages.join(' ')} with go install (first run only, 5 to 14 minutes)...`);
  await run(go, ['install', ...packages], { ...process.env, GOBIN: dir, CGO_ENABLED: '0' }, log);
}

/** The server and its schema tool, built into the cache when missing. */
export async function findTemporalServer(
  explicit: ExplicitBinaries,
  log: (line: string) => void,
): Promise<{ server: string; sqlTool: string }> {
  const cachedServer = path.join(SERVER_CACHE, 'server');
  const cachedSql = path.join(SERVER_CACHE, 'sql');
  let server = explicitOrFound(explicit.server, 'TEMPORAL_SERVER', 'temporal-server', cachedServer);
  let sqlTool = explicitOrFound(explicit.sqlTool, 'TEMPORAL_SQL_TOOL', 'temporal-sql-tool', cachedSql);
  if (!server || !sqlTool) {
    await goInstallInto(
      SERVER_CACHE,
      [
        `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`,
        `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
      ],
      log,
    );
    server ??= cachedServer;
    sqlTool ??= cachedSql;
  }
  return { server, sqlTool };
}

/** The UI server and the `config` folder of its module (from the Go module cache, downloaded when missing). */
export async function findUiServer(
  explicit: ExplicitBinaries,
  log: (line: string) => void,
): Promise<{ binary: string; configDir: string }> {
  const cached = path.join(UI_CACHE, 'server');
  let binary = explicitOrFound(explicit.uiServer, 'TEMPORAL_UI_SERVER', 'temporal-ui-server', cached);
  if (!binary) {
    await goInstallInto(UI_CACHE, [`${UI_MODULE}/cmd/server@${UI_SERVER_VERSION}`], log);
    binary = cached;
  }
  const go = findGo();
  if (!go) throw new Error('the UI server needs its config folder from the Go module cache: install Go');
  const out = execFileSync(go, ['mod', 'download', '-json', `${UI_MODULE}@${UI_SERVER_VERSION}`], {
    encoding: 'utf8',
    cwd: os.tmpdir(),
  });
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir || !fs.existsSync(path.join(dir, 'config', 'docker.yaml'))) {
    throw new Error(`${UI_MODULE}@${UI_SERVER_VERSION} has no config/docker.yaml in the module cache`);
  }
  return { binary, configDir: path.join(dir, 'config') };
}
