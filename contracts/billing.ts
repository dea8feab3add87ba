/** Billing run and subscription charge: workflow inputs and results, shared by the CLI, the schedule and workers. */
import { billingRunWorkflowId } from './workflow-ids';

/** Counts and sums of one billing run, carried across continue-as-new. */
export interface BillingTotals {
  /** Subscriptions the run considered (due, or failed before on a retry run). */
  due: number;
  charged: number;
  failed: number;
  /** Already charged, charge already running elsewhere, or cancelled meanwhile. */
  skipped: number;
  /** Sum charged in minor units (what would be charged on a dry run), all currencies added up. */
  totalMinor: number;
}

/** Input of the billing run workflow. */
export interface BillingRunInput {
  /** Billing date YYYY-MM-DD (UTC). Unset when the schedule starts it: the scheduled time's date is used. */
  date?: string;
  /** Compute and report what would be charged; charge nothing. */
  dryRun?: boolean;
  /** Only subscriptions whose charge for their current period failed (or never finished). */
  retryFailedOnly?: boolean;
  /** Subscriptions per page (default 100). */
  pageSize?: number;
  /** Charges in flight at once (default 10). */
  concurrency?: number;
  /** Pages per workflow run before continuing as new (default 5); Temporal's suggestion ends a run earlier. */
  pagesPerRun?: number;
  /** Set by the workflow itself when it continues as new. */
  carried?: { runId: string; cursor: string | null; totals: BillingTotals; continuedAsNew: number };
}

/** Result of a billing run: the CLI prints it. */
export interface BillingRunResult extends BillingTotals {
  date: string;
  dryRun: boolean;
  retryFailedOnly: boolean;
  /** Id of the stored report (the billing run's id). */
  reportId: string;
  continuedAsNew: number;
}

/** Input of the charge of one subscription for one period. */
export interface SubscriptionChargeInput {
  subscriptionId: string;
  /** Start date of the period, YYYY-MM-DD. */
  period: string;
  /** The billing run recording the outcome in its report. */
  runId: string;
  /** Retry a charge that failed before (with a fresh idempotency key per attempt). */
  retry: boolean;
}

/** Outcome of one subscription charge. */
export interface SubscriptionChargeResult {
  subscriptionId: string;
  period: string;
  status: 'charged' | 'failed' | 'skipped';
  amountMinor: number;
  currency: string;
  chargeId?: string;
  detail?: string;
}

/**
 * Workflow id of a billing run of a date in a mode: the day's run is `billingRunWorkflowId(date)`; dry runs and
 * retries of failed charges get a suffix, so starting one never joins (or is refused by) a run of another mode.
 */
export function billingRunModeWorkflowId(date: string, mode: { dryRun?: boolean; retryFailedOnly?: boolean }): string {
  return [billingRunWorkflowId(date), mode.dryRun ? 'dry-run' : '', mode.retryFailedOnly ? 'retry-failed' : '']
    .filter(Boolean)
    .join('-');
}

/** Id of the Temporal Schedule that starts the daily billing run. */
export const BILLING_SCHEDULE_ID = 'billing-run-daily';

/** Workflow id prefix of runs the schedule starts (Temporal appends the scheduled time). */
export const BILLING_SCHEDULED_WORKFLOW_ID = 'billing-run-scheduled';

/** The billing run workflow's signature, for typed starts without importing workflow code. */
export type BillingRunWorkflow = (input?: BillingRunInput) => Promise<BillingRunResult>;
