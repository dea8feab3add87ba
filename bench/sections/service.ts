/** The service measured over HTTP: intake, orders end to end, idle latency, and the status document. */
import { getStatusQuery, submissionWorkflowId } from '../../contracts';
import { orderExample } from '../../api/schemas/examples';
import type { BenchStack } from '../harness';
import { request, runLoad, summarize } from '../load';
import { cpuWindow } from '../machine-cpu';
import { startRoles } from '../processes';
import { awaitClosed, rate, withProgress } from './common';

let orderSeq = 0;

/** Posts one order as the partner; returns the submission id. */
export async function postOrder(baseUrl: string, key: string): Promise<string> {
  const res = await request(`${baseUrl}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...orderExample, orderNumber: `BENCH-${process.pid}-${++orderSeq}` }),
  });
  if (res.status !== 202) throw new Error(`POST /v1/orders answered ${res.status}: ${res.text}`);
  return (JSON.parse(res.text) as { id: string }).id;
}

/**
 * Warm-up, not measured, as for the intake and as the bare workers are warm by the time the bare shape of the order
 * runs: `count` orders through fresh API and worker processes (first workflow task loads the bundle into the
 * workflow thread, pools connect, code paths compile), each waited for until it closes.
 */
async function warmUp(stack: BenchStack, baseUrl: string, key: string, count: number, concurrency: number) {
  await runLoad(count, concurrency, async () => {
    const id = await postOrder(baseUrl, key);
    await stack.env.client.workflow.getHandle(submissionWorkflowId('order', id)).result();
  });
}

/** Orders posted at `concurrency` with every worker running; completions per second, POST to close. */
export async function endToEnd(stack: BenchStack, key: string, total: number, concurrency: number) {
  // Workers in the bench's process, as the bare workers are; the API in its own, as for the intake.
  const roles = await startRoles(stack, ['api']);
  const stopWorkers = await stack.startWorkers();
  const stop = async (): Promise<void> => {
    await stopWorkers();
    await roles.stop();
  };
  await warmUp(stack, roles.baseUrl, key, Math.min(30, total), concurrency);
  const posted = new Map<string, number>();
  const t0 = performance.now();
  const cpu = cpuWindow();
  let closedCount = 0;
  const closed = await withProgress(
    'service end-to-end',
    () => `posted ${posted.size}/${total}, closed ${closedCount}`,
    async () => {
      const waits: Promise<Map<string, number>>[] = [];
      await runLoad(total, concurrency, async () => {
        const id = await postOrder(roles.baseUrl, key);
        const workflowId = submissionWorkflowId('order', id);
        posted.set(workflowId, performance.now());
        waits.push(awaitClosed(stack.env.client, [workflowId], 1).then((m) => (closedCount++, m)));
      });
      const all = new Map<string, number>();
      for (const m of await Promise.all(waits)) for (const [k, v] of m) all.set(k, v);
      return all;
    },
  );
  const cpuMsPerOrder = cpu.per(closed.size);
  await stop();
  const wallMs = Math.max(...closed.values()) - t0;
  const { rows } = await stack.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM submissions WHERE workflow_id = ANY($1) AND status = 'completed'`,
    [[...posted.keys()]],
  );
  return {
    orders: total,
    completed: rows[0]!.n,
    perSecond: rate(closed.size, wallMs),
    latencyMs: summarize([...closed].map(([id, t]) => t - posted.get(id)!)),
    cpuMsPerOrder,
  };
}

/** One order at a time, POST to `completed`. */
export async function idleLatency(stack: BenchStack, key: string, count: number) {
  // Workers in the bench's process, as the bare workers are; the API in its own, as for the intake.
  const roles = await startRoles(stack, ['api']);
  const stopWorkers = await stack.startWorkers();
  const stop = async (): Promise<void> => {
    await stopWorkers();
    await roles.stop();
  };
  await warmUp(stack, roles.baseUrl, key, 3, 1);
  const durations: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const id = await postOrder(roles.baseUrl, key);
    await stack.env.client.workflow.getHandle(submissionWorkflowId('order', id)).result();
    durations.push(performance.now() - t0);
  }
  await stop();
  return summarize(durations);
}

/** GET of a closed run (PostgreSQL) and of a running one (query), and a bare query of that same running workflow. */
export async function status(stack: BenchStack, key: string, closedId: string, count: number) {
  // Only the workflow worker runs: a new order waits at its first remote activity and is answered by query.
  const stop = await stack.startWorkers(['submissions']);
  const runningId = await postOrder(stack.baseUrl, key);
  const handle = stack.env.client.workflow.getHandle(submissionWorkflowId('order', runningId));
  await handle.query(getStatusQuery);
  const get = (id: string) => async () => {
    const res = await request(`${stack.baseUrl}/v1/submissions/${id}`, { headers: { authorization: `Bearer ${key}` } });
    if (res.status !== 200) throw new Error(`GET answered ${res.status}`);
  };
  const closed = await runLoad(count, 8, get(closedId));
  const running = await runLoad(count, 8, get(runningId));
  const bare = await runLoad(count, 8, async () => void (await handle.query(getStatusQuery)));
  await stop();
  await handle.terminate('bench clean-up');
  const view = (r: { durations: number[]; wallMs: number }) => ({
    perSecond: rate(r.durations.length, r.wallMs),
    latencyMs: summarize(r.durations),
  });
  const runningView = view(running);
  const bareView = view(bare);
  return {
    closed: view(closed),
    running: runningView,
    bareQuery: bareView,
    runningP99Ratio: Number((runningView.latencyMs.p99 / Math.max(0.01, bareView.latencyMs.p99)).toFixed(2)),
  };
}
