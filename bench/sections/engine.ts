/**
 * The bare engine, measured on the same server in the same run as the service: raw starts, bare workflows of the
 * order's shapes whose activities return at once, their idle latency, and a bare query.
 */
import type { Client } from '@temporalio/client';
import { PartnerIdKey, SubmissionStatusKey, SubmissionTypeKey } from '../../contracts';
import { BARE_PREFIX } from '../bare/workers';
import type { ShapeStep } from '../bare/shapes';
import { cpuWindow } from '../machine-cpu';
import { runLoad, summarize } from '../load';
import { awaitClosed, rate, terminateAll, withProgress } from './common';

let seq = 0;
const bareId = (label: string): string => `bare-${label}-${process.pid}-${++seq}`;

function startOptions(label: string, steps: ShapeStep[], queue: string) {
  return {
    workflowId: bareId(label),
    taskQueue: queue,
    args: [{ queuePrefix: BARE_PREFIX, partnerId: 'prt_bench', steps }],
    // The same search attributes and summary as the service's starts.
    typedSearchAttributes: [
      { key: PartnerIdKey, value: 'prt_bench_bare' },
      { key: SubmissionTypeKey, value: 'order' },
      { key: SubmissionStatusKey, value: 'received' },
    ],
    staticSummary: `Order BENCH from prt_bench_bare`,
  };
}

/** The options of a bare start: a new id, a queue no worker polls, the service's search attributes and summary. */
export function bareStartOptions(label: string) {
  return startOptions(label, [], `${BARE_PREFIX}idle`);
}

/** One bare start, on a queue no worker polls (the intake's bare side; `terminateBareStarts` cleans up). */
export function bareStart(client: Client): () => Promise<void> {
  return async () => {
    await client.workflow.start('bareShapeWorkflow', bareStartOptions('start'));
  };
}

/** Terminates the runs `bareStart` left open. */
export async function terminateBareStarts(client: Client): Promise<number> {
  return terminateAll(client, `PartnerId = 'prt_bench_bare'`);
}

/** Starts `total` bare workflows of a shape at `concurrency` with the bare workers running; completions per second. */
export async function bareShape(client: Client, label: string, steps: ShapeStep[], total: number, concurrency: number) {
  const ids: string[] = [];
  const startedAt = new Map<string, number>();
  const t0 = performance.now();
  const cpu = cpuWindow();
  let closedCount = 0;
  const closed = await withProgress(
    `bare ${label}`,
    () => `started ${ids.length}/${total}, closed ${closedCount}`,
    async () => {
      const waits: Promise<Map<string, number>>[] = [];
      await runLoad(total, concurrency, async () => {
        const handle = await client.workflow.start(
          'bareShapeWorkflow',
          startOptions(label, steps, `${BARE_PREFIX}submissions`),
        );
        ids.push(handle.workflowId);
        startedAt.set(handle.workflowId, performance.now());
        waits.push(awaitClosed(client, [handle.workflowId], 1).then((m) => (closedCount++, m)));
      });
      const all = new Map<string, number>();
      for (const m of await Promise.all(waits)) for (const [k, v] of m) all.set(k, v);
      return all;
    },
  );
  const cpuMsPerWorkflow = cpu.per(closed.size);
  const wallMs = Math.max(...closed.values()) - t0;
  const latencies = [...closed].map(([id, t]) => t - startedAt.get(id)!);
  return {
    workflows: total,
    completed: closed.size,
    perSecond: rate(closed.size, wallMs),
    latencyMs: summarize(latencies),
    cpuMsPerWorkflow,
  };
}

/** One bare workflow of a shape at a time, start to close. */
export async function bareIdleLatency(client: Client, steps: ShapeStep[], count: number) {
  const durations: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const handle = await client.workflow.start(
      'bareShapeWorkflow',
      startOptions('idle', steps, `${BARE_PREFIX}submissions`),
    );
    await handle.result();
    durations.push(performance.now() - t0);
  }
  return summarize(durations);
}
