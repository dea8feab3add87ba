/** What the bench's sections share: sizes, a progress line, waiting for many workflows, cleaning up. */
import type { Client } from '@temporalio/client';

const scale = Number(process.env.BENCH_SCALE ?? '1');

/** A size scaled by BENCH_SCALE (the quick mode), never below `min`. */
export function n(base: number, min = 10): number {
  return Math.max(min, Math.round(base * scale));
}

/** Per second, to one decimal. */
export function rate(count: number, wallMs: number): number {
  return Number(((count / wallMs) * 1000).toFixed(1));
}

/** Prints a progress line on stderr every `everyMs` while `fn` runs. */
export async function withProgress<T>(label: string, line: () => string, fn: () => Promise<T>, everyMs = 5000) {
  const started = performance.now();
  process.stderr.write(`[bench] ${label} 0s: started\n`);
  const timer = setInterval(() => {
    const s = ((performance.now() - started) / 1000).toFixed(0);
    process.stderr.write(`[bench] ${label} ${s}s: ${line()}\n`);
  }, everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

/** Waits for every workflow to close; returns each one's close time (performance.now()) by id. */
export async function awaitClosed(
  client: Client,
  workflowIds: string[],
  concurrency = 200,
): Promise<Map<string, number>> {
  const closed = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, workflowIds.length) }, async () => {
      while (next < workflowIds.length) {
        const id = workflowIds[next++]!;
        await client.workflow.getHandle(id).result();
        closed.set(id, performance.now());
      }
    }),
  );
  return closed;
}

/** Terminates every running workflow the query matches (runs the bench left without workers). */
export async function terminateAll(client: Client, query: string): Promise<number> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: `${query} AND ExecutionStatus = 'Running'` }))
    ids.push(wf.workflowId);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < ids.length) {
        await client.workflow
          .getHandle(ids[next++]!)
          .terminate('bench clean-up')
          .catch(() => undefined);
      }
    }),
  );
  return ids.length;
}
