/**
 * Finds the Temporal CLI (whose `server start-dev` is the dev server), building it when needed. Order:
 * TEMPORAL_CLI, `temporal` on PATH, the cache outside the repo, `go install` into that cache, the official
 * download. Run directly (`npm run temporal:cli`) it prints the path.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The CLI release we build: the newest whose go.mod allows `go install pkg@version`. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
/** Where built binaries are kept between runs (outside the repository). */
export const CACHE_DIR = path.join(os.homedir(), '.cache', 'partner-workflow', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
const CACHED_BINARY = path.join(CACHE_DIR, 'temporal');

/** True for an executable regular file. */
export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The path of `command` on PATH, if any. */
export function onPath(command: string): string | undefined {
  try {
    const found = execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
    return found && isExecutable(found) ? found : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a command to completion; its output goes to `log` (without Go's download chatter), its tail into the error. */
export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const collect = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        if (!line.startsWith('go: downloading')) log(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`)),
    );
  });
}

/** The Go toolchain, if installed. */
export function findGo(): string | undefined {
  return onPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

async function goInstall(log: (line: string) => void): Promise<string | undefined> {
  const go = findGo();
  if (!go) return undefined;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  log(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first run only, a few minutes)...`);
  await run(
    go,
    ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`],
    { ...process.env, GOBIN: CACHE_DIR, CGO_ENABLED: '0' },
    log,
  );
  return isExecutable(CACHED_BINARY) ? CACHED_BINARY : undefined;
}

async function download(log: (line: string) => void): Promise<string> {
  const platform = process.platform === 'darwin' ? 'darwin' : 'linux';
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const url = `https://temporal.download/cli/archive/${TEMPORAL_CLI_VERSION.slice(1)}?platform=${platform}&arch=${arch}`;
  log(`no Go toolchain: downloading the Temporal CLI from ${url}`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`download failed: HTTP ${response.status}`);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const archive = path.join(CACHE_DIR, 'temporal.tar.gz');
  fs.writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
  execFileSync('tar', ['-xzf', archive, '-C', CACHE_DIR, 'temporal']);
  fs.rmSync(archive);
  return CACHED_BINARY;
}

/** Returns the path of a usable Temporal CLI, building or downloading it when none is found. */
export async function findTemporalCli(
  options: { explicit?: string; log?: (line: string) => void } = {},
): Promise<string> {
  const log = options.log ?? ((line: string) => console.error(`[temporal-cli] ${line}`));
  if (options.explicit) {
    if (!isExecutable(options.explicit)) throw new Error(`TEMPORAL_CLI=${options.explicit} is not an executable file`);
    return options.explicit;
  }
  const found = onPath('temporal') ?? (isExecutable(CACHED_BINARY) ? CACHED_BINARY : undefined);
  if (found) return found;
  try {
    const built = await goInstall(log);
    if (built) return built;
  } catch (err) {
    log(`go install failed: ${(err as Error).message}`);
  }
  try {
    return await download(log);
  } catch (err) {
    throw new Error(
      `no Temporal CLI: set TEMPORAL_CLI, put "temporal" on PATH, or install Go so it can be built ` +
        `(go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}); download failed: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

if (require.main === module) {
  // Imported lazily so that tests importing this module do not load the config.
  import('../config')
    .then(({ loadConfig }) => findTemporalCli({ explicit: loadConfig().temporal.cliPath }))
    .then((p) => console.log(p))
    .catch((err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    });
}
