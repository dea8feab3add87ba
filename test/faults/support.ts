/** Real processes for the fault suite: a Temporal dev server we can kill and restart, worker processes, a TCP cut. */
import type { Client } from '@temporalio/client';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { connectClient } from '../../adapters/temporal/connection';
import { TEST_PAYLOAD_KEYS, TEST_WEBHOOK_SECRET_KEY, testConfig } from '../support/config';
import { startProcess, stopProcess, type Managed } from '../../scripts/stack/processes';
import { startTemporal } from '../../scripts/stack/temporal-server';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A Temporal dev server on a fixed port and SQLite file, so it can be killed and started again with its state. The
 * port is chosen at the first start: a server that exits at once (a port taken meanwhile) is tried on another, and
 * its last output lines are in the error when no port works.
 */
export async function restartableTemporal(options: { onLine?: (line: string) => void } = {}): Promise<{
  readonly address: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  client(): Promise<Client>;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-faults-temporal-'));
  const pick = async (): Promise<string> => {
    let port = await freePort();
    while (port > 64_000) port = await freePort(); // the UI listens on port + 1000
    return `127.0.0.1:${port}`;
  };
  let address = await pick();
  let started = false;
  const recent: string[] = [];
  const onLine = (line: string): void => {
    recent.push(line);
    if (recent.length > 30) recent.shift();
    if (options.onLine) options.onLine(line);
    else process.stdout.write(`[temporal] ${line}\n`);
  };
  let server: Managed | undefined;
  const launch = async () => {
    server = await startTemporal({ cli: inject('temporalCli'), address, namespace: 'default', dataDir, onLine });
  };
  return {
    get address() {
      return address;
    },
    async start() {
      if (started) return launch();
      for (let attempt = 1; ; attempt++) {
        try {
          await launch();
          started = true;
          return;
        } catch (err) {
          if (attempt === 3) throw new Error(`${(err as Error).message}; its last lines:\n${recent.join('\n')}`);
          address = await pick();
        }
      }
    },
    async kill() {
      server?.child.kill('SIGKILL');
      await server?.exited;
    },
    async client() {
      return connectClient(testConfig({ TEMPORAL_ADDRESS: address }));
    },
  };
}

/** Starts `npm run worker` as its own process against the given Temporal server and database. */
export function workerProcess(options: {
  temporalAddress: string;
  databaseUrl: string;
  queues?: string[];
  outboxDir: string;
  /** More variables (webhook allow list, a prebuilt WORKFLOW_BUNDLE, ...). */
  env?: Record<string, string>;
  /** Takes the output lines instead of printing them. */
  onLine?: (line: string) => void;
}): Managed {
  // One process (node with tsx's loader), not the tsx wrapper: a SIGKILL must hit the worker itself.
  const args = [
    '--import',
    'tsx',
    path.join(__dirname, '..', '..', 'worker', 'main.ts'),
    ...(options.queues ?? []).flatMap((q) => ['--queue', q]),
  ];
  return startProcess(
    'worker',
    process.execPath,
    args,
    {
      ...process.env,
      TEMPORAL_ADDRESS: options.temporalAddress,
      DATABASE_URL: options.databaseUrl,
      OUTBOX_DIR: options.outboxDir,
      LOG_LEVEL: 'warn',
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      WEBHOOK_SECRET_KEY: TEST_WEBHOOK_SECRET_KEY,
      ...options.env,
    },
    { onLine: options.onLine },
  );
}

/** Kills a process without letting it clean up, as a crash or OOM kill would. */
export async function crash(p: Managed): Promise<void> {
  p.child.kill('SIGKILL');
  await p.exited;
  if (isAlive(p.child.pid!)) throw new Error(`worker ${p.child.pid} survived SIGKILL`);
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export { stopProcess };

/** A TCP proxy that can cut every connection and refuse new ones (counting them), then come back. */
export async function cuttableProxy(target: {
  host: string;
  port: number;
}): Promise<{ port: number; cut(): void; restore(): void; refused(): number; close(): Promise<void> }> {
  let down = false;
  let refused = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (down) {
      refused++;
      return client.destroy();
    }
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    /** Connections refused while cut. */
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
