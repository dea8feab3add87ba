/**
 * `npm start` stops in order on Ctrl-C. A terminal sends SIGINT to the whole process group and npm forwards it to its
 * script as well, so the supervisor sees the signal twice: the second must not cut the stop short (the workers would
 * be left draining and the embedded database not closed).
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { ctrlC, runEntry } from '../support/signals';

const FIXTURE = path.join(__dirname, '..', 'support', 'supervised-stack.ts');

it('finishes stopping the children and the teardown when SIGINT arrives twice, then exits 0', async () => {
  const stack = runEntry(FIXTURE);
  await stack.waitFor(/\[stack\] ready/);
  await stack.waitFor(/running/);
  await ctrlC(stack.proc);
  const out = (): string => stack.output();
  expect(await stack.exited, out()).toEqual({ code: 0, signal: null });
  const lines = out().split('\n');
  const at = (text: string): number => lines.findIndex((l) => l.includes(text));
  expect(at('[stack] stopping...'), out()).toBeGreaterThanOrEqual(0);
  expect(at('drained'), out()).toBeGreaterThan(at('[stack] stopping...'));
  expect(at('[stack] teardown done'), out()).toBeGreaterThan(at('drained'));
  expect(at('[stack] stopped'), out()).toBeGreaterThan(at('[stack] teardown done'));
}, 30_000);
