/**
 * The intake comparison: bare starts (over each client, and behind a bare HTTP front) and `POST /v1/orders`,
 * interleaved in blocks. The dev server's cost per start drifts by up to twice within a minute on this machine, so
 * sides measured one after the other, 2,000 each, caught different parts of that drift. Blocks of a few hundred,
 * rotating which side goes first, give every side the same share of it; and the machine settles after each block, so
 * no block runs against the backlog the previous one left the server. Checked with two identical bare sides: without
 * settling, the side that mostly followed the other ran at 0.92-0.96x of it; with settling, 0.95-1.02x.
 */
import { runLoad, summarize } from '../load';
import { cpuWindow, machineBusyMs } from '../machine-cpu';
import { rate } from './common';

/** One side's figures over all its blocks. */
export interface IntakeSideResult {
  requests: number;
  concurrency: number;
  errors: number;
  perSecond: number;
  latencyMs: ReturnType<typeof summarize>;
  /** Busy time of the whole machine during this side's blocks, per request. */
  cpuMsPerRequest: number;
}

/**
 * Runs `total` starts of every side at `concurrency`, in blocks of `block`: block k runs every side once, the order
 * rotated by k. Rates are requests over the summed wall time of the side's own blocks.
 */
export async function interleavedIntake<K extends string>(
  /** Each side by name: how it starts one workflow. */
  sides: Record<K, () => Promise<void>>,
  total: number,
  concurrency: number,
  block: number,
  /** Waits for the machine to finish a block's deferred work (replaced in unit tests). */
  settle: () => Promise<void> = settleMachine,
): Promise<Record<K, IntakeSideResult>> {
  const names = Object.keys(sides) as K[];
  const acc = names.map(() => ({ done: 0, errors: 0, wallMs: 0, cpuMs: 0, durations: [] as number[] }));
  for (let k = 0; acc.some((a) => a.done < total); k++) {
    for (let j = 0; j < names.length; j++) {
      const i = (j + k) % names.length;
      const a = acc[i]!;
      const count = Math.min(block, total - a.done);
      if (count <= 0) continue;
      const cpu = cpuWindow();
      const run = await runLoad(count, concurrency, sides[names[i]!]);
      // The server finishes what the block left it (visibility records, transfer tasks) before the next side starts,
      // so no side's block runs against another's backlog; that work is counted in this side's CPU.
      await settle();
      a.cpuMs += cpu.per(1);
      a.done += count;
      a.errors += run.errors;
      a.wallMs += run.wallMs;
      a.durations.push(...run.durations);
    }
  }
  return Object.fromEntries(
    names.map((name, i) => {
      const a = acc[i]!;
      const result: IntakeSideResult = {
        requests: total,
        concurrency,
        errors: a.errors,
        perSecond: rate(total - a.errors, a.wallMs),
        latencyMs: summarize(a.durations),
        cpuMsPerRequest: Number((a.cpuMs / total).toFixed(1)),
      };
      return [name, result];
    }),
  ) as Record<K, IntakeSideResult>;
}

/** Waits until the machine is nearly idle (under a quarter of one core over 200 ms), at most `maxMs`. */
export async function settleMachine(maxMs = 5000): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline) {
    const before = machineBusyMs();
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (machineBusyMs() - before < 50) return;
  }
}
