/**
 * A stack in miniature for `test/unit/stack-supervisor.test.ts`: `superviseStack` with one child that takes a moment
 * to drain after SIGTERM (as a worker finishing its activities does) and a teardown that takes a moment too.
 */
import { startProcess } from '../../scripts/stack/processes';
import { superviseStack } from '../../scripts/stack/roles';

const log = (line: string): void => console.log(`[stack] ${line}`);
const stack = superviseStack(log, async () => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  log('teardown done');
});
const child = `
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => setTimeout(() => { console.log('drained'); process.exit(0); }, 500));
  console.log('running');
  setInterval(() => {}, 1000);
`;
stack.watch([startProcess('worker', process.execPath, ['-e', child], process.env)]);
log('ready');
