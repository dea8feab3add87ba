/** Starts the Temporal dev server (SQLite file in WAL mode, UI, our search attributes) and waits for it. */
import fs from 'node:fs';
import path from 'node:path';
import { temporalReachable } from '../../adapters/temporal/connection';
import { searchAttributeDefinitions } from '../../contracts';
import { startProcess, type Managed } from './processes';

/** Arguments of `temporal server start-dev` for our stack. */
export function devServerArgs(options: {
  port: number;
  uiPort: number;
  dbFile: string;
  namespace: string;
  codecEndpoint?: string;
}): string[] {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFile,
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    '--log-level',
    'warn',
  ];
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);
  if (options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  for (const [name, type] of Object.entries(searchAttributeDefinitions))
    args.push('--search-attribute', `${name}=${type}`);
  return args;
}

/** Starts the dev server and resolves once it answers. */
export async function startTemporal(options: {
  cli: string;
  address: string;
  namespace: string;
  dataDir: string;
  /** The UI decodes payloads through it (the API's codec endpoint). */
  codecEndpoint?: string;
  /** Takes the server's output lines instead of printing them. */
  onLine?: (line: string) => void;
}): Promise<Managed> {
  const port = Number(options.address.split(':').pop());
  fs.mkdirSync(options.dataDir, { recursive: true });
  const managed = startProcess(
    'temporal',
    options.cli,
    devServerArgs({
      port,
      uiPort: port + 1000,
      dbFile: path.join(options.dataDir, 'temporal.db'),
      namespace: options.namespace,
      codecEndpoint: options.codecEndpoint,
    }),
    process.env,
    { onLine: options.onLine },
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (managed.child.exitCode !== null)
      throw new Error(`the Temporal dev server exited with ${managed.child.exitCode}`);
    if (await temporalReachable({ address: options.address })) return managed;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the Temporal dev server did not answer at ${options.address} within 60 s`);
}
