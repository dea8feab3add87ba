/**
 * The volume runs: a burst of orders posted as fast as the API takes them, drained by a separate worker process, with
 * the API in its own process, so each one's peak RSS is its own; and a billing run over many due subscriptions.
 */
import type pg from 'pg';
import { runBillingRun } from '../../services/billing/start-run';
import type { BenchStack } from '../harness';
import { runLoad } from '../load';
import { peakRssMiB, startRoles } from '../processes';
import { rate, withProgress } from './common';
import { postOrder } from './service';

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
  const roles = await startRoles(stack, ['api', 'worker']);
  const api = roles.api!;
  const worker = roles.worker!;
  const baseUrl = roles.baseUrl;
  let posted = 0;
  let completed = 0;
  const sample = async (): Promise<number> =>
    (completed = await count(
      stack.pool,
      `SELECT count(*)::int AS n FROM submissions WHERE partner_id = $1 AND status = 'completed'`,
      [partner.partnerId],
    ));
  try {
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
    await roles.stop();
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
