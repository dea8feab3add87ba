/**
 * `npm run bench`: measures the real stack on this machine and writes bench/results/latest.json and .svg.
 *   intake      POST /v1/orders over HTTP, no workers: what the API accepts per second and its latency
 *   end-to-end  orders from POST to `completed` with every worker running
 *   status      GET /v1/submissions/{id}: a running run (workflow query) and a closed one (PostgreSQL)
 * Sizes can be scaled with BENCH_SCALE (default 1).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { orderExample } from '../api/schemas/examples';
import { createPartner } from '../services/partners';
import { barChart, type Bar } from './chart';
import { startBenchStack, type BenchStack } from './harness';
import { runLoad, summarize } from './load';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const n = (base: number): number => Math.max(10, Math.round(base * scale));

function order(i: number): string {
  return JSON.stringify({ ...orderExample, orderNumber: `BENCH-${i}` });
}

async function post(stack: BenchStack, key: string, i: number): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: order(i),
  });
  if (res.status !== 202) throw new Error(`POST answered ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}

async function intake(stack: BenchStack, key: string) {
  const total = n(2000);
  const run = await runLoad(total, 32, async (i) => void (await post(stack, key, i)));
  return {
    requests: total,
    concurrency: 32,
    errors: run.errors,
    perSecond: Math.round((total / run.wallMs) * 1000),
    latencyMs: summarize(run.durations),
  };
}

async function endToEnd(stack: BenchStack, key: string) {
  const stop = await stack.startWorkers();
  const total = n(300);
  const posted = new Map<string, number>();
  const started = performance.now();
  await runLoad(total, 16, async (i) => {
    posted.set(await post(stack, key, 100_000 + i), performance.now());
  });
  const completed = new Map<string, number>();
  while (completed.size < posted.size && performance.now() - started < 600_000) {
    const { rows } = await stack.pool.query<{ id: string }>(
      `SELECT id FROM submissions WHERE id = ANY($1) AND status IN ('completed', 'failed')`,
      [[...posted.keys()].filter((id) => !completed.has(id))],
    );
    const now = performance.now();
    for (const r of rows) completed.set(r.id, now);
    await new Promise((r) => setTimeout(r, 100));
  }
  const wallMs = performance.now() - started;
  await stop();
  const latencies = [...completed].map(([id, t]) => t - posted.get(id)!);
  return {
    orders: total,
    completed: completed.size,
    perSecond: Number(((completed.size / wallMs) * 1000).toFixed(1)),
    latencyMs: summarize(latencies),
  };
}

async function status(stack: BenchStack, key: string) {
  const closedId = [
    ...(await stack.pool.query<{ id: string }>(`SELECT id FROM submissions WHERE status = 'completed' LIMIT 1`)).rows,
  ][0]!.id;
  // Only the workflow worker runs: new orders wait at their first activity and are answered by query.
  const stop = await stack.startWorkers(['submissions']);
  const runningId = await post(stack, key, 900_000);
  const get = (id: string) => async () => {
    const res = await fetch(`${stack.baseUrl}/v1/submissions/${id}`, { headers: { authorization: `Bearer ${key}` } });
    if (res.status !== 200) throw new Error(`GET answered ${res.status}`);
    await res.arrayBuffer();
  };
  const closed = await runLoad(n(500), 8, get(closedId));
  const running = await runLoad(n(200), 8, get(runningId));
  await stop();
  return {
    closed: {
      perSecond: Math.round((closed.durations.length / closed.wallMs) * 1000),
      latencyMs: summarize(closed.durations),
    },
    running: {
      perSecond: Math.round((running.durations.length / running.wallMs) * 1000),
      latencyMs: summarize(running.durations),
    },
  };
}

async function main(): Promise<void> {
  const stack = await startBenchStack(process.env);
  try {
    const { apiKey } = await createPartner(stack.pool, { name: 'Bench Partner' });
    const results = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      database: stack.config.databaseUrl.includes(':5432/') ? 'postgresql' : 'pglite',
      intake: await intake(stack, apiKey),
      endToEnd: await endToEnd(stack, apiKey),
      status: await status(stack, apiKey),
      memory: {
        rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
        heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      },
    };
    const dir = path.join(__dirname, 'results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    const bars: Bar[] = [
      { label: 'intake: orders accepted', value: results.intake.perSecond, unit: '/s' },
      { label: 'end to end: orders completed', value: results.endToEnd.perSecond, unit: '/s' },
      { label: 'status of a closed run', value: results.status.closed.perSecond, unit: '/s' },
      { label: 'status of a running run (query)', value: results.status.running.perSecond, unit: '/s' },
      { label: 'intake p95', value: results.intake.latencyMs.p95, unit: 'ms' },
      { label: 'end to end p95', value: results.endToEnd.latencyMs.p95, unit: 'ms' },
      { label: 'status closed p95', value: results.status.closed.latencyMs.p95, unit: 'ms' },
      { label: 'status running p95', value: results.status.running.latencyMs.p95, unit: 'ms' },
      { label: 'process RSS after the runs', value: results.memory.rssMiB, unit: 'MiB' },
    ];
    fs.writeFileSync(
      path.join(dir, 'latest.svg'),
      barChart(`Benchmarks, ${results.machine.cpus} cores, ${results.database}`, bars),
    );
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
