/**
 * The daily billing run on a real Temporal dev server, PostgreSQL and SMTP, with only the billing worker running:
 * runs, declines and retries, dry run, continue-as-new, the schedule and the CLI. One file on purpose: a run bills
 * every subscription due on or before its date, so these tests must not run beside each other. Every test bills
 * its own date and cancels its subscriptions afterwards.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BILLING_SCHEDULED_WORKFLOW_ID,
  billingRunModeWorkflowId,
  billingRunWorkflowId,
  subscriptionChargeWorkflowId,
  TaskQueues,
} from '../../contracts';
import { findBillingReport, openBillingRun } from '../../db/billing-runs';
import { createSubscriptionChargeActivities } from '../../activities/subscription-charge';
import { chargesByKeyPrefix } from '../../db/payments';
import { findCharge } from '../../db/subscription-charges';
import {
  cancelSubscription,
  findSubscription,
  listSubscriptions,
  setPaymentMethod,
  type Subscription,
} from '../../db/subscriptions';
import { utcDate } from '../../domain/billing/periods';
import { runBillingRun } from '../../services/billing/start-run';
import { ensureBillingSchedule } from '../../scripts/stack/billing-schedule';
import { TEST_PAYLOAD_KEYS } from '../support/config';
import { newPartner } from '../support/fixtures';
import { pdfText } from '../workflows/support';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { eventually, startStack, type TestStack } from '../support/stack';
import {
  cancelCreatedSubscriptions,
  isReportOf,
  newSubscription,
  OWNER,
  recordHistory,
  reportOf,
  track,
} from './helpers';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

describe('billing run', () => {
  let smtp: TestSmtp;
  let stack: TestStack;
  let stopWorkers: () => Promise<void>;
  beforeAll(async () => {
    smtp = await startSmtp();
    stack = await startStack({ env: { SMTP_URL: smtp.url, OWNER_EMAIL: OWNER } });
    // The billing worker alone runs the whole billing run.
    stopWorkers = await stack.startWorkers({ queues: [TaskQueues.billing] });
  });
  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });
  // A failed test must not leave subscriptions due on a later test's date.
  afterEach(() => cancelCreatedSubscriptions(stack.pool));
  /** Runs the admin CLI against this stack; resolves with exit code, stdout and stderr. */
  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = {
      ...process.env,
      DATABASE_URL: stack.config.databaseUrl,
      TEMPORAL_ADDRESS: stack.env.address,
      SMTP_URL: smtp.url,
      // The CLI's client encrypts and decrypts with the same payload key as the test's workers.
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    };
    try {
      const { stdout, stderr } = await run(
        path.join(ROOT, 'node_modules', '.bin', 'tsx'),
        [path.join(ROOT, 'cli', 'main.ts'), ...args],
        { env, cwd: ROOT },
      );
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  const chargesOf = (s: Subscription, period: string) => chargesByKeyPrefix(stack.pool, `sub-charge-${s.id}-${period}`);

  it('charges every due subscription once, tells each subscriber, mails the report, and charges nothing on a rerun', async () => {
    const date = '2031-01-31';
    const a = await newPartner(stack.pool, { name: 'Alpha, "Inc"' });
    const b = await newPartner(stack.pool, { name: 'Beta' });
    const due = [
      await newSubscription(stack.pool, a.partnerId, '2031-01-31', { amountMinor: 1900 }),
      await newSubscription(stack.pool, a.partnerId, '2031-01-10', { amountMinor: 4900, plan: 'Platinum' }),
      await newSubscription(stack.pool, b.partnerId, '2031-01-15', { amountMinor: 990, currency: 'USD' }),
    ];
    const later = await newSubscription(stack.pool, a.partnerId, '2031-02-01');
    const cancelled = await newSubscription(stack.pool, b.partnerId, '2031-01-01');
    await cancelSubscription(stack.pool, cancelled.id);

    const result = await runBillingRun(stack.env.client, { date });
    await recordHistory(stack.env.client, billingRunWorkflowId(date), 'billing-run-completed');
    await recordHistory(
      stack.env.client,
      subscriptionChargeWorkflowId(due[0]!.id, date),
      'subscription-charge-charged',
    );
    expect(result).toMatchObject({ date, dryRun: false, due: 3, charged: 3, failed: 0, skipped: 0, totalMinor: 7790 });

    for (const s of due) {
      const charges = await chargesOf(s, s.nextPeriodStart);
      expect(charges.map((c) => [c.status, c.amountMinor])).toEqual([['succeeded', s.amountMinor]]);
      await smtp.waitFor(
        (m) =>
          m.to !== undefined && JSON.stringify(m.to).includes(s.subscriberEmail) && /charged/.test(m.subject ?? ''),
      );
    }
    expect(await chargesByKeyPrefix(stack.pool, `sub-charge-${later.id}`)).toEqual([]);
    expect(await chargesByKeyPrefix(stack.pool, `sub-charge-${cancelled.id}`)).toEqual([]);
    // Each subscription moved to its next period: the 31st gives the last day of February.
    expect((await findSubscription(stack.pool, due[0]!.id))!.nextPeriodStart).toBe('2031-02-28');
    expect((await findSubscription(stack.pool, due[2]!.id))!.nextPeriodStart).toBe('2031-02-15');

    const mail = await smtp.waitFor(isReportOf(result.reportId));
    expect(JSON.stringify(mail.to)).toContain(OWNER);
    const rows = reportOf(mail);
    expect(rows.map((r) => [r.subscription_id, r.status, r.amount_minor, r.currency]).sort()).toEqual(
      due.map((s) => [s.id, 'charged', String(s.amountMinor), s.currency]).sort(),
    );
    expect(rows.find((r) => r.partner_id === a.partnerId)!.partner_name).toBe('Alpha, "Inc"');
    const stored = await findBillingReport(stack.pool, result.reportId);
    expect(stored?.run.status).toBe('completed');
    expect(stored?.pdf?.subarray(0, 4).toString()).toBe('%PDF');
    const pdf = await pdfText(stored!.pdf!);
    expect(pdf).toContain('Billing report 2031-01-31');
    expect(pdf).toContain('49.00 EUR');
    expect(pdf).toContain('9.90 USD');
    expect(pdf).toContain('Platinum');

    // The run and its charges carry BillingPeriod for operators.
    const run = await stack.env.client.workflow.getHandle(billingRunWorkflowId(date)).describe();
    expect(run.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toEqual(
      expect.arrayContaining([['BillingPeriod', date]]),
    );
    const child = await stack.env.client.workflow
      .getHandle(subscriptionChargeWorkflowId(due[1]!.id, '2031-01-10'))
      .describe();
    expect(child.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toEqual(
      expect.arrayContaining([
        ['BillingPeriod', '2031-01-10'],
        ['PartnerId', a.partnerId],
      ]),
    );

    // The same date again: nothing is due any more, nothing is charged twice.
    const again = await runBillingRun(stack.env.client, { date });
    expect(again).toMatchObject({ due: 0, charged: 0, totalMinor: 0 });
    // Even the same charge workflow started again by hand charges nothing.
    const rerun = await stack.env.client.workflow.execute('subscriptionChargeWorkflow', {
      taskQueue: TaskQueues.billing,
      workflowId: subscriptionChargeWorkflowId(due[0]!.id, '2031-01-31'),
      args: [{ subscriptionId: due[0]!.id, period: '2031-01-31', runId: again.reportId, retry: true }],
    });
    expect(rerun).toMatchObject({ status: 'skipped', detail: 'already charged' });
    for (const s of due) expect(await chargesOf(s, s.nextPeriodStart)).toHaveLength(1);
  });

  it('reports a decline as failed, and a retry-failed run retries only that one', async () => {
    const date = '2032-03-31';
    const p = await newPartner(stack.pool);
    const ok = await newSubscription(stack.pool, p.partnerId, date);
    const declined = await newSubscription(stack.pool, p.partnerId, date, { paymentMethod: 'pm_card_chargeDeclined' });

    const first = await runBillingRun(stack.env.client, { date });
    await recordHistory(
      stack.env.client,
      subscriptionChargeWorkflowId(declined.id, date),
      'subscription-charge-declined',
    );
    expect(first).toMatchObject({ due: 2, charged: 1, failed: 1, totalMinor: 1900 });
    const rows = reportOf(await smtp.waitFor(isReportOf(first.reportId)));
    expect(rows.find((r) => r.subscription_id === declined.id)).toMatchObject({
      status: 'failed',
      detail: 'card_declined',
    });
    expect(rows.find((r) => r.subscription_id === ok.id)).toMatchObject({ status: 'charged' });
    await smtp.waitFor(
      (m) => JSON.stringify(m.to).includes(declined.subscriberEmail) && /payment failed/.test(m.subject ?? ''),
    );
    expect((await findCharge(stack.pool, declined.id, date))?.status).toBe('failed');
    expect((await findSubscription(stack.pool, declined.id))!.nextPeriodStart).toBe(date);

    // Not retried by an ordinary run: a decline is an answer.
    expect(await runBillingRun(stack.env.client, { date })).toMatchObject({ due: 0, charged: 0, failed: 0 });

    await setPaymentMethod(stack.pool, declined.id, 'pm_card_visa');
    const retry = await runBillingRun(stack.env.client, { date, retryFailedOnly: true });
    await recordHistory(
      stack.env.client,
      billingRunModeWorkflowId(date, { retryFailedOnly: true }),
      'billing-run-retry-failed',
    );
    expect(retry).toMatchObject({ retryFailedOnly: true, due: 1, charged: 1, failed: 0, totalMinor: 1900 });
    expect(reportOf(await smtp.waitFor(isReportOf(retry.reportId))).map((r) => [r.subscription_id, r.status])).toEqual([
      [declined.id, 'charged'],
    ]);
    expect((await chargesOf(declined, date)).map((c) => c.status)).toEqual(['failed', 'succeeded']);
    expect(await chargesOf(ok, date)).toHaveLength(1);
    expect((await findSubscription(stack.pool, declined.id))!.nextPeriodStart).toBe('2032-04-30');
    expect(await runBillingRun(stack.env.client, { date, retryFailedOnly: true })).toMatchObject({
      due: 0,
      charged: 0,
    });
  });

  it('retries a charge whose outcome was never recorded with its own card, after the card was replaced', async () => {
    const date = '2032-06-30';
    const p = await newPartner(stack.pool);
    const sub = await newSubscription(stack.pool, p.partnerId, date);
    // The provider takes the money, then the outcome cannot be recorded (the database stays away longer than the
    // retries): the period's row stays pending and the run reports the charge as not finished.
    await stopWorkers();
    stopWorkers = await stack.startWorkers({
      queues: [TaskQueues.billing],
      activityOverrides: {
        billing: {
          async finishSubscriptionCharge() {
            throw ApplicationFailure.create({ type: 'Unavailable', message: 'database away', nonRetryable: true });
          },
        },
      },
    });
    try {
      expect(await runBillingRun(stack.env.client, { date })).toMatchObject({ charged: 0, failed: 1 });
    } finally {
      await stopWorkers();
      stopWorkers = await stack.startWorkers({ queues: [TaskQueues.billing] });
    }
    expect((await findCharge(stack.pool, sub.id, date))?.status).toBe('pending');
    expect((await chargesOf(sub, date)).map((c) => c.status)).toEqual(['succeeded']);

    // The report says failed: the subscriber is asked for another card, then the failed charges are retried.
    await setPaymentMethod(stack.pool, sub.id, 'pm_card_mastercard');
    await runBillingRun(stack.env.client, { date, retryFailedOnly: true });
    await runBillingRun(stack.env.client, { date, retryFailedOnly: true });
    expect((await chargesOf(sub, date)).map((c) => c.status)).toEqual(['succeeded']);
    expect(await findCharge(stack.pool, sub.id, date)).toMatchObject({
      status: 'succeeded',
      chargeId: (await chargesOf(sub, date))[0]!.id,
    });
    expect((await findSubscription(stack.pool, sub.id))!.nextPeriodStart).toBe('2032-07-30');
  });

  it('charges no subscription cancelled while its charge is being claimed', async () => {
    const date = '2032-07-31';
    const p = await newPartner(stack.pool);
    const sub = await newSubscription(stack.pool, p.partnerId, date);
    const runId = `br_cancel_${sub.id}`;
    await openBillingRun(stack.pool, {
      id: runId,
      runDate: date,
      temporalRunId: runId,
      dryRun: false,
      retryFailed: false,
    });
    // The partner's cancel commits just as the claim's transaction begins, after anything read before it.
    const pool = new Proxy(stack.pool, {
      get(target, prop) {
        if (prop === 'connect')
          return async () => {
            await cancelSubscription(target, sub.id);
            return target.connect();
          };
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { beginSubscriptionCharge } = createSubscriptionChargeActivities({ pool, mailer: stack.deps.mailer });
    const plan = await beginSubscriptionCharge({ runId, subscriptionId: sub.id, period: date, retry: false });
    expect(plan).toMatchObject({ action: 'skip', detail: 'subscription cancelled' });
    expect(await findCharge(stack.pool, sub.id, date)).toBeUndefined();
    expect(await chargesOf(sub, date)).toEqual([]);
  });

  it('dry run reports what would be charged and charges nothing', async () => {
    const date = '2033-05-10';
    const p = await newPartner(stack.pool);
    const subs = [
      await newSubscription(stack.pool, p.partnerId, date, { amountMinor: 1000 }),
      await newSubscription(stack.pool, p.partnerId, date, { amountMinor: 250 }),
    ];
    const result = await runBillingRun(stack.env.client, { date, dryRun: true });
    await recordHistory(stack.env.client, billingRunModeWorkflowId(date, { dryRun: true }), 'billing-run-dry-run');
    expect(result).toMatchObject({ dryRun: true, due: 2, charged: 0, failed: 0, totalMinor: 1250 });
    const rows = reportOf(await smtp.waitFor(isReportOf(result.reportId)));
    expect(rows.map((r) => r.status)).toEqual(['would_charge', 'would_charge']);
    for (const s of subs) {
      expect(await chargesByKeyPrefix(stack.pool, `sub-charge-${s.id}`)).toEqual([]);
      expect(await findCharge(stack.pool, s.id, date)).toBeUndefined();
      expect((await findSubscription(stack.pool, s.id))!.nextPeriodStart).toBe(date);
    }
  });

  it('rides out a provider outage with one charge, and leaves a charge already running to its run', async () => {
    const date = '2033-08-15';
    const p = await newPartner(stack.pool);
    // The provider fails the first attempt of this card's charge: the activity retries with the same key.
    const flaky = await newSubscription(stack.pool, p.partnerId, date, { paymentMethod: 'pm_card_outage_1' });
    const busy = await newSubscription(stack.pool, p.partnerId, date);
    // The charge of `busy` for this period is already running (here: on a queue nobody polls).
    const running = await stack.env.client.workflow.start('subscriptionChargeWorkflow', {
      taskQueue: 'nobody-polls-this',
      workflowId: subscriptionChargeWorkflowId(busy.id, date),
      args: [{ subscriptionId: busy.id, period: date, runId: 'none', retry: false }],
    });

    const result = await runBillingRun(stack.env.client, { date });
    expect(result).toMatchObject({ due: 2, charged: 1, skipped: 1, failed: 0, totalMinor: 1900 });
    const rows = reportOf(await smtp.waitFor(isReportOf(result.reportId)));
    expect(rows.find((r) => r.subscription_id === busy.id)).toMatchObject({
      status: 'skipped',
      detail: 'charge already running',
    });
    expect((await chargesOf(flaky, date)).map((c) => c.status)).toEqual(['succeeded']);
    expect(await chargesOf(busy, date)).toEqual([]);

    // Once that run is gone, the next run charges the period.
    await running.terminate('test: the other run gave up');
    expect(await runBillingRun(stack.env.client, { date })).toMatchObject({ due: 1, charged: 1, skipped: 0 });
    expect(await chargesOf(busy, date)).toHaveLength(1);
  });

  it('continues as new with small pages and keeps the totals right', async () => {
    const date = '2034-07-01';
    const p = await newPartner(stack.pool);
    const subs: Subscription[] = [];
    for (let i = 1; i <= 7; i++)
      subs.push(await newSubscription(stack.pool, p.partnerId, date, { amountMinor: i * 100 }));
    const result = await runBillingRun(stack.env.client, { date, pageSize: 2, pagesPerRun: 1, concurrency: 3 });
    expect(result).toMatchObject({ due: 7, charged: 7, failed: 0, skipped: 0, totalMinor: 2800, continuedAsNew: 3 });
    // Four runs under the day's id: three ended by continue-as-new, the last one completed.
    const runs = await eventually(async () => {
      const found: { status: string; runId: string }[] = [];
      for await (const w of stack.env.client.workflow.list({ query: `WorkflowId = '${billingRunWorkflowId(date)}'` })) {
        found.push({ status: w.status.name, runId: w.runId });
      }
      // Visibility lags the run: the last one may still be listed as running just after its result came back.
      return found.length === 4 && found.every((r) => r.status !== 'RUNNING') ? found : undefined;
    });
    expect(runs.map((r) => r.status).sort()).toEqual([
      'COMPLETED',
      'CONTINUED_AS_NEW',
      'CONTINUED_AS_NEW',
      'CONTINUED_AS_NEW',
    ]);
    const continued = runs.find((r) => r.status === 'CONTINUED_AS_NEW')!;
    await recordHistory(stack.env.client, billingRunWorkflowId(date), 'billing-run-continued-as-new', continued.runId);
    const rows = reportOf(await smtp.waitFor(isReportOf(result.reportId)));
    expect(rows.map((r) => r.subscription_id).sort()).toEqual(subs.map((s) => s.id).sort());
    for (const s of subs) expect(await chargesOf(s, date)).toHaveLength(1);
  });

  it('is daily at 01:00 UTC with overlap SKIP and a catch-up window, and a trigger starts the run of the day', async () => {
    const scheduleId = `billing-test-${Date.now()}`;
    expect(await ensureBillingSchedule(stack.env.client, scheduleId)).toEqual({ scheduleId, created: true });
    // A second start-up updates it instead of failing.
    expect(await ensureBillingSchedule(stack.env.client, scheduleId)).toEqual({ scheduleId, created: false });
    const handle = stack.env.client.schedule.getHandle(scheduleId);
    try {
      const d = await handle.describe();
      expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
      expect(d.policies.catchupWindow).toBe(24 * 60 * 60 * 1000);
      expect(d.spec.timezone).toBe('UTC');
      expect(d.spec.calendars).toHaveLength(1);
      expect(d.spec.calendars![0]).toMatchObject({
        hour: [{ start: 1, end: 1, step: 1 }],
        minute: [{ start: 0, end: 0, step: 1 }],
        second: [{ start: 0, end: 0, step: 1 }],
      });
      expect(d.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'billingRunWorkflow',
        taskQueue: TaskQueues.billing,
      });

      await handle.trigger();
      // The scheduled run takes the scheduled time's date and runs the day under billingRunWorkflowId(date).
      const started = await eventually(async () => (await handle.describe()).info.recentActions[0]);
      expect(started.action.workflow.workflowId.startsWith(BILLING_SCHEDULED_WORKFLOW_ID)).toBe(true);
      const date = utcDate(started.scheduledAt);
      const result = await stack.env.client.workflow.getHandle(started.action.workflow.workflowId).result();
      await recordHistory(stack.env.client, started.action.workflow.workflowId, 'billing-run-scheduled');
      expect(result).toMatchObject({ date, dryRun: false });
      expect(result.reportId).toMatch(/^br_/);
      expect(await stack.env.client.workflow.getHandle(billingRunWorkflowId(date)).result()).toEqual(result);
    } finally {
      await handle.delete();
    }
  });

  it('creates subscriptions and runs the billing by hand, one JSON line each; bad input changes nothing', async () => {
    const p = await newPartner(stack.pool);
    const created = await cli(
      'subscription',
      'create',
      '--partner',
      p.partnerId,
      '--plan',
      'Silver',
      '--amount',
      '2500',
      '--currency',
      'EUR',
      '--email',
      'cli-subscriber@example.com',
      '--payment-method',
      'pm_card_visa',
      '--anchor',
      '2035-09-30',
    );
    expect(created.code).toBe(0);
    const sub = JSON.parse(created.stdout) as { subscriptionId: string; nextPeriodStart: string; status: string };
    track(sub.subscriptionId);
    expect(sub).toMatchObject({ status: 'active', nextPeriodStart: '2035-09-30', amountMinor: 2500 });
    expect(created.stdout.trim().split('\n')).toHaveLength(1);

    const bad = await cli(
      'subscription',
      'create',
      '--partner',
      p.partnerId,
      '--plan',
      'X',
      '--amount',
      '10',
      '--currency',
      'euro',
      '--email',
      'nope',
      '--payment-method',
      'card',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/currency must be/);
    expect(bad.stderr).toMatch(/payment method must be a pm_ token/);
    expect(await listSubscriptions(stack.pool, p.partnerId)).toHaveLength(1);

    const dry = await cli('billing', 'run', '--date', '2035-09-30', '--dry-run');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      date: '2035-09-30',
      dryRun: true,
      due: 1,
      charged: 0,
      totalMinor: 2500,
    });
    expect(await chargesByKeyPrefix(stack.pool, `sub-charge-${sub.subscriptionId}`)).toEqual([]);

    const real = await cli('billing', 'run', '--date', '2035-09-30');
    const summary = JSON.parse(real.stdout) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual([
      'charged',
      'date',
      'dryRun',
      'due',
      'failed',
      'reportId',
      'skipped',
      'totalMinor',
    ]);
    expect(summary).toMatchObject({ dryRun: false, due: 1, charged: 1, failed: 0, totalMinor: 2500 });
    expect(reportOf(await smtp.waitFor(isReportOf(summary.reportId as string)))).toHaveLength(1);
    await smtp.waitFor((m) => JSON.stringify(m.to).includes('cli-subscriber@example.com'));

    const listed = JSON.parse((await cli('subscription', 'list', '--partner', p.partnerId)).stdout) as {
      nextPeriodStart: string;
    }[];
    expect(listed.map((s) => s.nextPeriodStart)).toEqual(['2035-10-30']);
    const cancelled = await cli('subscription', 'cancel', '--id', sub.subscriptionId);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ status: 'cancelled' });
    expect((await cli('billing', 'run', '--date', '2035-13-01')).code).toBe(2);
  });
});
