/**
 * The daily billing run. Pages through due subscriptions, starts one charge workflow per subscription and period
 * (deterministic id, bounded concurrency), continues as new before its history grows large (carrying the cursor
 * and the totals), and finally stores the report and mails it to the owner.
 * The Schedule starts it without a date (under an id Temporal suffixes with the time): it then takes the date of
 * the scheduled time and runs the day's run as a child under `billingRunWorkflowId(date)`, so a day has one id
 * whether the schedule or an operator starts it (dry runs and retries have ids of their own). The branch depends on the input only, never on the workflow id,
 * so recorded histories replay under any id.
 */
import {
  ChildWorkflowFailure,
  continueAsNew,
  executeChild,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  BillingPeriodKey,
  billingRunModeWorkflowId,
  PartnerIdKey,
  SubmissionTypeKey,
  subscriptionChargeWorkflowId,
  type BillingRunInput,
  type BillingRunResult,
  type BillingTotals,
  type SubscriptionChargeResult,
} from '../contracts';
import { utcDate } from '../domain/billing/periods';
import { billingRunActivity } from './activity-options';
import { subscriptionChargeWorkflow } from './subscription-charge';

/** Set by Temporal on runs a Schedule starts. */
const ScheduledStartTimeKey = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');

/** The billing run of one day. */
export async function billingRunWorkflow(input: BillingRunInput = {}): Promise<BillingRunResult> {
  const info = workflowInfo();
  if (input.date === undefined) {
    // Started by the schedule: the date is the scheduled time's (deterministic: it is in the run's start event).
    const date = utcDate(info.typedSearchAttributes.get(ScheduledStartTimeKey) ?? info.startTime);
    return runTheDay({ ...input, date });
  }
  const date = input.date;

  upsertSearchAttributes([
    { key: BillingPeriodKey, value: date },
    { key: SubmissionTypeKey, value: 'billing-run' },
  ]);
  const dryRun = input.dryRun ?? false;
  const retryFailedOnly = input.retryFailedOnly ?? false;
  const pageSize = input.pageSize ?? 100;
  const concurrency = input.concurrency ?? 10;
  const pagesPerRun = input.pagesPerRun ?? 5;
  const carried = input.carried ?? {
    runId: (
      await billingRunActivity.openBillingRun({
        date,
        temporalRunId: info.firstExecutionRunId,
        dryRun,
        retryFailedOnly,
      })
    ).runId,
    cursor: null,
    totals: { due: 0, charged: 0, failed: 0, skipped: 0, totalMinor: 0 },
    continuedAsNew: 0,
  };
  const { runId, totals } = carried;
  let cursor = carried.cursor;

  const inFlight = new Set<Promise<void>>();
  // A charge the run cannot even record fails the run, but only once the others in flight have settled.
  let failure: unknown;
  const drain = async (): Promise<void> => {
    await Promise.all([...inFlight]);
    if (failure !== undefined) throw failure;
  };
  for (let pages = 0; ;) {
    const page = await billingRunActivity.listDueSubscriptions({ date, cursor, limit: pageSize, retryFailedOnly });
    pages++;
    totals.due += page.items.length;
    if (dryRun) {
      await billingRunActivity.recordRunItems({
        runId,
        items: page.items.map((s) => ({
          subscriptionId: s.id,
          period: s.period,
          amountMinor: s.amountMinor,
          currency: s.currency,
          status: 'would_charge' as const,
        })),
      });
      totals.totalMinor += page.items.reduce((sum, s) => sum + s.amountMinor, 0);
    } else {
      for (const s of page.items) {
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
        if (failure !== undefined) await drain();
        const charge: Promise<void> = chargeOne(runId, s, retryFailedOnly)
          .then(
            (r) => count(totals, r),
            (err: unknown) => void (failure ??= err),
          )
          .finally(() => inFlight.delete(charge));
        inFlight.add(charge);
      }
    }
    cursor = page.nextCursor;
    if (cursor === null) break;
    if (pages >= pagesPerRun || workflowInfo().continueAsNewSuggested) {
      // Children of this run must finish first: the totals travel with the new run.
      await drain();
      return continueAsNew<typeof billingRunWorkflow>({
        ...input,
        date,
        carried: { runId, cursor, totals, continuedAsNew: carried.continuedAsNew + 1 },
      });
    }
  }
  await drain();
  const report = await billingRunActivity.sendBillingReport({ runId, date, dryRun, retryFailedOnly, totals });
  return {
    date,
    dryRun,
    retryFailedOnly,
    ...totals,
    reportId: report.reportId,
    continuedAsNew: carried.continuedAsNew,
  };
}

function count(totals: BillingTotals, r: SubscriptionChargeResult): void {
  if (r.status === 'charged') {
    totals.charged++;
    totals.totalMinor += r.amountMinor;
  } else if (r.status === 'failed') totals.failed++;
  else totals.skipped++;
}

/**
 * Runs one charge workflow and waits for it. The id is the business key of the subscription and period; the
 * unique (subscription, period) row makes a rerun of a finished charge a no-op, so a closed id may be reused
 * (a retry needs that), while one still running elsewhere is left alone and counted as skipped.
 */
async function chargeOne(
  runId: string,
  s: { id: string; partnerId: string; period: string; amountMinor: number; currency: string },
  retry: boolean,
): Promise<SubscriptionChargeResult> {
  const base = { subscriptionId: s.id, period: s.period, amountMinor: s.amountMinor, currency: s.currency };
  try {
    const child = await startChild(subscriptionChargeWorkflow, {
      workflowId: subscriptionChargeWorkflowId(s.id, s.period),
      args: [{ subscriptionId: s.id, period: s.period, runId, retry }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [
        { key: BillingPeriodKey, value: s.period },
        { key: PartnerIdKey, value: s.partnerId },
        { key: SubmissionTypeKey, value: 'subscription-charge' },
      ],
    });
    return await child.result();
  } catch (err) {
    let result: SubscriptionChargeResult;
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      result = { ...base, status: 'skipped', detail: 'charge already running' };
    } else if (err instanceof ChildWorkflowFailure) {
      // Left pending (e.g. the provider stayed down): a retry run picks it up with the same idempotency key.
      result = { ...base, status: 'failed', detail: 'charge did not finish; run with retry-failed' };
    } else throw err;
    const status = result.status === 'skipped' ? 'skipped' : 'failed';
    await billingRunActivity.recordRunItems({ runId, items: [{ ...base, status, detail: result.detail }] });
    return result;
  }
}

/**
 * The scheduled start: runs the day's run under the day's id. A closed run of the day does not stop it (it may
 * have been started early by hand; what it charged is not charged again); one still running is left alone.
 */
async function runTheDay(input: BillingRunInput & { date: string }): Promise<BillingRunResult> {
  upsertSearchAttributes([{ key: BillingPeriodKey, value: input.date }]);
  try {
    return await executeChild(billingRunWorkflow, {
      workflowId: billingRunModeWorkflowId(input.date, input),
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [
        { key: BillingPeriodKey, value: input.date },
        { key: SubmissionTypeKey, value: 'billing-run' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    // The day's run is running (an operator started it): it bills the day, seen under its own id.
    const zero = { due: 0, charged: 0, failed: 0, skipped: 0, totalMinor: 0 };
    return {
      date: input.date,
      dryRun: input.dryRun ?? false,
      retryFailedOnly: input.retryFailedOnly ?? false,
      ...zero,
      reportId: '',
      continuedAsNew: 0,
    };
  }
}
