/** A bounded-concurrency load loop with latency percentiles. */

/** Latency summary in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Percentiles of a list of durations. */
export function summarize(durations: number[]): LatencySummary {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (q: number): number =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2));
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/** Runs `task(i)` for i in [0, total) with at most `concurrency` in flight; returns each duration and the wall time. */
export async function runLoad(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ durations: number[]; wallMs: number; errors: number }> {
  const durations: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        try {
          await task(i);
          durations.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { durations, wallMs: performance.now() - started, errors };
}
