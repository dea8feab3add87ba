/** Billing run activities: open the run, page through due subscriptions, build, store and mail the report. */
import type pg from 'pg';
import type { BillingTotals } from '../contracts';
import type { Mailer } from '../adapters/email/mailer';
import { renderBillingReportPdf } from '../adapters/documents/billing-report-pdf';
import { completeBillingRun, insertRunItem, openBillingRun, runReportLines } from '../db/billing-runs';
import { newId } from '../db/ids';
import { dueSubscriptionsPage, type DueSubscription } from '../db/subscriptions';
import { billingReportCsv } from '../domain/billing/report-csv';
import { createSubscriptionChargeActivities } from './subscription-charge';

/** Dependencies of the billing run activities. */
export interface BillingRunActivityDeps {
  pool: pg.Pool;
  mailer: Mailer;
  /** Receives the report. */
  ownerAddress: string;
}

/** Builds the billing run activities (and the per-subscription charge activities, on the same queue). */
export function createBillingRunActivities({ pool, mailer, ownerAddress }: BillingRunActivityDeps) {
  return {
    ...createSubscriptionChargeActivities({ pool, mailer }),

    /** Opens the run's row; keyed by the workflow's first run id, so a retried call returns the same run. */
    async openBillingRun(input: { date: string; temporalRunId: string; dryRun: boolean; retryFailedOnly: boolean }) {
      const run = await openBillingRun(pool, {
        id: newId('br'),
        runDate: input.date,
        temporalRunId: input.temporalRunId,
        dryRun: input.dryRun,
        retryFailed: input.retryFailedOnly,
      });
      return { runId: run.id };
    },

    /** One page of the subscriptions due on the date, after the cursor; `nextCursor` is null on the last page. */
    async listDueSubscriptions(input: {
      date: string;
      cursor: string | null;
      limit: number;
      retryFailedOnly: boolean;
    }): Promise<{ items: DueSubscription[]; nextCursor: string | null }> {
      const items = await dueSubscriptionsPage(pool, input);
      return { items, nextCursor: items.length < input.limit ? null : items[items.length - 1]!.id };
    },

    /** A line of the run's report the run itself writes: dry-run lines, and charges whose workflow did not finish. */
    async recordRunItems(input: {
      runId: string;
      items: {
        subscriptionId: string;
        period: string;
        status: 'failed' | 'skipped' | 'would_charge';
        amountMinor: number;
        currency: string;
        detail?: string;
      }[];
    }) {
      for (const item of input.items) await insertRunItem(pool, { runId: input.runId, ...item });
      return { recorded: input.items.length };
    },

    /** Renders the report (CSV and PDF), stores it on the run, and mails both to the owner. */
    async sendBillingReport(input: {
      runId: string;
      date: string;
      dryRun: boolean;
      retryFailedOnly: boolean;
      totals: BillingTotals;
    }) {
      const lines = await runReportLines(pool, input.runId);
      const csv = billingReportCsv(lines);
      const pdf = await renderBillingReportPdf({ runDate: input.date, ...input }, lines);
      await completeBillingRun(pool, { id: input.runId, totals: input.totals, csv, pdf });
      const t = input.totals;
      const kind = input.dryRun ? 'dry run' : input.retryFailedOnly ? 'retry of failed charges' : 'billing run';
      const { messageId } = await mailer.send({
        to: ownerAddress,
        subject: `Billing report ${input.date} (${kind}): ${t.charged} charged, ${t.failed} failed`,
        text: [
          `Billing ${kind} for ${input.date}, report ${input.runId}.`,
          `Due ${t.due}, charged ${t.charged}, failed ${t.failed}, skipped ${t.skipped}.`,
          'Every charge is listed in the attached CSV and PDF.',
        ].join('\n'),
        attachments: [
          { filename: `billing-report-${input.date}.csv`, content: Buffer.from(csv, 'utf8'), contentType: 'text/csv' },
          { filename: `billing-report-${input.date}.pdf`, content: pdf, contentType: 'application/pdf' },
        ],
        messageId: `<${input.runId}.report@partner-workflows>`,
      });
      return { reportId: input.runId, lines: lines.length, messageId };
    },
  };
}

/** The billing run activities' type, for workflows. */
export type BillingRunActivities = ReturnType<typeof createBillingRunActivities>;
