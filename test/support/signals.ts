/** How entry points stop: a TypeScript entry run in its own process, its output collected, and Ctrl-C as it arrives. */
import { spawn, type ChildProcess } from 'node:child_process';

/** A running entry point. */
export interface Watched {
  proc: ChildProcess;
  /** Everything it has printed so far (stdout and stderr). */
  output(): string;
  /** How it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first match of `pattern` in its output, waited for up to `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/** Runs `node --import tsx <file>` with `env`. */
export function runEntry(file: string, env: NodeJS.ProcessEnv = process.env): Watched {
  const proc = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  proc.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    output: () => out,
    exited,
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(out);
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`${file} printed no ${pattern}:\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/**
 * One Ctrl-C as an entry run by npm in a terminal receives it: the process group's SIGINT, then npm's forwarded copy
 * a moment later (two sent at once would merge into one signal).
 */
export async function ctrlC(proc: ChildProcess): Promise<void> {
  proc.kill('SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 100));
  proc.kill('SIGINT');
}
