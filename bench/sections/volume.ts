/**
 * The volume runs: a burst of orders posted as fast as the API takes them, drained by a separate worker process, with
 * the API in its own process, so each one's peak RSS is its own; and a billing run over many due subscriptions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { runBillingRun } from '../../services/billing/start-run';
import type { BenchStack } from '../harness';
import { runLoad } from '../load';
import { rate, withProgress } from './common';
import { postOrder } from './service';

const ROOT = path.join(__dirname, '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Peak resident set (VmHWM) of a process, in MiB. */
function peakRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function role(file: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, file)], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

async function count(pool: pg.Pool, sql: string, params: unknown[]): Promise<number> {
  return (await pool.query<{ n: number }>(sql, params)).rows[0]!.n;
}

/** Posts `total` orders at `concurrency` to an API process while a worker process drains them; all must complete. */
export async function orderBurst(
  stack: BenchStack,
  partner: { partnerId: string; apiKey: string },
  total: number,
  concurrency: number,
) {
  const port = await freePort();
  const env = {
    ...process.env,
    ...stack.childEnv,
    DATABASE_URL: stack.config.databaseUrl,
    TEMPORAL_ADDRESS: stack.config.temporal.address,
    API_PORT: String(port),
    API_HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    LOG_FORMAT: 'json',
    RATE_LIMIT_MAX: '100000000',
    OUTBOX_DIR: path.join(os.tmpdir(), 'pw-bench-outbox'),
  };
  const api = role('api/server.ts', env);
  const worker = role('worker/main.ts', env);
  const baseUrl = `http://127.0.0.1:${port}`;
  let posted = 0;
  let completed = 0;
  const sample = async (): Promise<number> =>
    (completed = await count(
      stack.pool,
      `SELECT count(*)::int AS n FROM submissions WHERE partner_id = $1 AND status = 'completed'`,
      [partner.partnerId],
    ));
  try {
    await waitForHttp(`${baseUrl}/healthz`);
    const t0 = performance.now();
    const result = await withProgress(
      'volume orders',
      () =>
        `posted ${posted}/${total}, completed ${completed}, api ${peakRssMiB(api.pid!)} MiB, worker ${peakRssMiB(worker.pid!)} MiB`,
      async () => {
        const post = await runLoad(total, concurrency, async () => {
          await postOrder(baseUrl, partner.apiKey);
          posted++;
        });
        const postedMs = performance.now() - t0;
        const deadline = performance.now() + Math.max(600_000, total * 200);
        while ((await sample()) < total - post.errors && performance.now() < deadline)
          await new Promise((r) => setTimeout(r, 1000));
        return { post, postedMs, drainedMs: performance.now() - t0 };
      },
    );
    const accepted = await count(stack.pool, `SELECT count(*)::int AS n FROM submissions WHERE partner_id = $1`, [
      partner.partnerId,
    ]);
    const notCompleted = await count(
      stack.pool,
      `SELECT count(*)::int AS n FROM submissions WHERE partner_id = $1 AND status <> 'completed'`,
      [partner.partnerId],
    );
    // Each order's charge is keyed by its submission: more than one charge row for an order would be a double charge.
    const doubleCharges = await count(
      stack.pool,
      `SELECT count(*)::int AS n FROM (SELECT s.id FROM submissions s JOIN payment_charges c
         ON c.idempotency_key LIKE 'order-charge-' || s.id || '%' AND c.status = 'succeeded'
         WHERE s.partner_id = $1 GROUP BY s.id HAVING count(*) > 1) d`,
      [partner.partnerId],
    );
    return {
      orders: total,
      concurrency,
      postErrors: result.post.errors,
      accepted,
      completed,
      lost: accepted - completed,
      notCompleted,
      doubleCharges,
      postedPerSecond: rate(total - result.post.errors, result.postedMs),
      drainSeconds: Number((result.drainedMs / 1000).toFixed(1)),
      completedPerSecond: rate(completed, result.drainedMs),
      peakRssMiB: { api: peakRssMiB(api.pid!), worker: peakRssMiB(worker.pid!) },
    };
  } finally {
    await Promise.all([stopChild(api), stopChild(worker)]);
  }
}

/** A billing run over `total` due subscriptions: time, charges per second, and each charged exactly once. */
export async function billingVolume(stack: BenchStack, partnerId: string, total: number) {
  const date = '2031-01-15';
  await stack.pool.query(
    `INSERT INTO subscriptions (id, partner_id, plan, amount_minor, currency, payment_method, subscriber_email,
       anchor_date, next_period_start)
     SELECT 'sub_bench_' || lpad(g::text, 6, '0'), $1, 'Bench', 1900, 'EUR', 'pm_card_visa',
       'bench-' || g || '@example.com', $2::date, $2::date
     FROM generate_series(1, $3) g`,
    [partnerId, date, total],
  );
  const stop = await stack.startWorkers();
  const t0 = performance.now();
  let charged = 0;
  try {
    const result = await withProgress(
      'volume billing',
      () => `charged ${charged}/${total}`,
      async () => {
        const poll = setInterval(() => {
          void count(
            stack.pool,
            `SELECT count(*)::int AS n FROM subscription_charges WHERE period = $1 AND status = 'succeeded'`,
            [date],
          ).then((c) => (charged = c));
        }, 2000);
        try {
          return await runBillingRun(stack.env.client, { date, concurrency: 50 });
        } finally {
          clearInterval(poll);
        }
      },
    );
    const wallMs = performance.now() - t0;
    const chargeRows = await count(
      stack.pool,
      `SELECT count(*)::int AS n FROM payment_charges WHERE starts_with(idempotency_key, $1) AND status = 'succeeded'`,
      ['sub-charge-sub_bench_'],
    );
    const chargedTwice = await count(
      stack.pool,
      `SELECT count(*)::int AS n FROM (SELECT subscription_id FROM subscription_charges WHERE period = $1
         GROUP BY subscription_id HAVING count(*) > 1) d`,
      [date],
    );
    return {
      subscriptions: total,
      charged: result.charged,
      failed: result.failed,
      skipped: result.skipped,
      providerCharges: chargeRows,
      chargedTwice,
      seconds: Number((wallMs / 1000).toFixed(1)),
      chargesPerSecond: rate(result.charged, wallMs),
      continuedAsNew: result.continuedAsNew,
    };
  } finally {
    await stop();
  }
}
