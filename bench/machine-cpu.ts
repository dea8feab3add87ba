/**
 * Busy CPU time of the whole machine: every core, every process (bench, API, workers, Temporal, PostgreSQL), from
 * the kernel's per-core counters (10 ms resolution). Divided by the work done in a window it gives CPU per order
 * against CPU per bare workflow, a steadier comparison on a shared machine than rates alone.
 */
import os from 'node:os';

/** Milliseconds the machine's cores have been busy since boot. */
export function machineBusyMs(): number {
  return os.cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);
}

/** Starts a window; `per(count)` is the machine's busy milliseconds since then per unit of work. */
export function cpuWindow(): { per(count: number): number } {
  const start = machineBusyMs();
  return { per: (count) => Number(((machineBusyMs() - start) / Math.max(1, count)).toFixed(1)) };
}
