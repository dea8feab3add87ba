/** Child processes of `npm start`, with prefixed output and an orderly stop. */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

/** A started child process. */
export interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const COLOURS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m'];
let next = 0;

/**
 * Starts a child whose every output line is prefixed with its name; `onLine` takes the lines instead (a chatty
 * server whose output is shown only when it fails).
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { onLine?: (line: string) => void } = {},
): Managed {
  const colour = COLOURS[next++ % COLOURS.length];
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `${colour}[${name}]\x1b[0m `;
  const onLine = options.onLine ?? ((line: string) => process.stdout.write(`${prefix}${line}\n`));
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream! }).on('line', onLine);
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, child, exited };
}

/** Sends SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
export async function stopProcess(p: Managed, graceMs = 15_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}
