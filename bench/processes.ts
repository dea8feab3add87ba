/**
 * The service's roles as separate processes, as production runs them: the API and the worker each get their own event
 * loop (and the bench's load generator keeps its own), and each one's peak RSS is its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { BenchStack } from './harness';

const ROOT = path.join(__dirname, '..');
const ENTRIES = { api: 'api/server.ts', worker: 'worker/main.ts', bareFront: 'bench/bare/http-front.ts' } as const;

/** A role of the service, or the bare HTTP front the intake is compared with (bare/http-front.ts). */
export type Role = keyof typeof ENTRIES;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Peak resident set (VmHWM) of a process, in MiB. */
export function peakRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Started role processes against the bench's Temporal server and database. */
export interface Roles {
  api?: ChildProcess;
  worker?: ChildProcess;
  bareFront?: ChildProcess;
  /** The address of the API or of the bare HTTP front, when one of them runs. */
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts the roles (node with tsx's loader, one process each) and waits for the API to answer. */
export async function startRoles(stack: BenchStack, roles: Role[]): Promise<Roles> {
  const port = await freePort();
  const env = {
    ...process.env,
    ...stack.childEnv,
    DATABASE_URL: stack.config.databaseUrl,
    TEMPORAL_ADDRESS: stack.config.temporal.address,
    API_PORT: String(port),
    API_HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    LOG_FORMAT: 'json',
    RATE_LIMIT_MAX: '100000000',
    OUTBOX_DIR: path.join(os.tmpdir(), 'pw-bench-outbox'),
  };
  const started: Partial<Record<Role, ChildProcess>> = {};
  for (const role of roles) {
    // BENCH_PROFILE=DIR writes a CPU profile of each role there (node --cpu-prof), to see where the time goes.
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    started[role] = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(ROOT, ENTRIES[role])], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await Promise.all(Object.values(started).map((c) => stopChild(c)));
  };
  try {
    if (started.api ?? started.bareFront) await waitForHttp(`${baseUrl}/healthz`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { ...started, baseUrl, stop };
}
