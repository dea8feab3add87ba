/**
 * `npm start` stops in order on Ctrl-C. A terminal sends SIGINT to the whole process group and npm forwards it to its
 * script as well, so the supervisor sees the signal twice: the second must not cut the stop short (the workers would
 * be left draining and the embedded database not closed).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const FIXTURE = path.join(__dirname, '..', 'support', 'supervised-stack.ts');

it('finishes stopping the children and the teardown when SIGINT arrives twice, then exits 0', async () => {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  while (!(out.includes('[stack] ready') && out.includes('running'))) {
    if (Date.now() > deadline) throw new Error(`the supervised stack did not start:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  proc.kill('SIGINT');
  // npm's forwarded copy arrives a moment after the terminal's (two at once would merge into one signal).
  await new Promise((resolve) => setTimeout(resolve, 100));
  proc.kill('SIGINT');
  expect(await exited, out).toBe(0);
  const lines = out.split('\n');
  const at = (text: string): number => lines.findIndex((l) => l.includes(text));
  expect(at('[stack] stopping...'), out).toBeGreaterThanOrEqual(0);
  expect(at('drained'), out).toBeGreaterThan(at('[stack] stopping...'));
  expect(at('[stack] teardown done'), out).toBeGreaterThan(at('drained'));
  expect(at('[stack] stopped'), out).toBeGreaterThan(at('[stack] teardown done'));
}, 30_000);
