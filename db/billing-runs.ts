/** The `billing_runs` and `billing_run_items` tables: each daily run, the lines of its report, and the report. */
import type { Queryable } from './pool';
import type { BillingReportLine } from '../domain/billing/report-csv';

/** A billing run as stored. */
export interface BillingRun {
  id: string;
  runDate: string;
  dryRun: boolean;
  retryFailed: boolean;
  status: 'running' | 'completed';
  totals: unknown;
}

const RUN = `id, to_char(run_date, 'YYYY-MM-DD') AS "runDate", dry_run AS "dryRun", retry_failed AS "retryFailed",
  status, totals`;

/** Opens the run of one workflow (keyed by its first Temporal run id): a second call returns the same row. */
export async function openBillingRun(
  db: Queryable,
  r: { id: string; runDate: string; temporalRunId: string; dryRun: boolean; retryFailed: boolean },
): Promise<BillingRun> {
  const { rows } = await db.query<BillingRun>(
    `INSERT INTO billing_runs (id, run_date, temporal_run_id, dry_run, retry_failed) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (temporal_run_id) DO UPDATE SET temporal_run_id = EXCLUDED.temporal_run_id RETURNING ${RUN}`,
    [r.id, r.runDate, r.temporalRunId, r.dryRun, r.retryFailed],
  );
  return rows[0]!;
}

/** Records one line of a run's report (once per subscription and period; a replay keeps the first). */
export async function insertRunItem(
  db: Queryable,
  i: {
    runId: string;
    subscriptionId: string;
    period: string;
    status: 'charged' | 'failed' | 'skipped' | 'would_charge';
    amountMinor: number;
    currency: string;
    chargeId?: string | null;
    detail?: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO billing_run_items (run_id, subscription_id, period, status, amount_minor, currency, charge_id, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (run_id, subscription_id, period) DO NOTHING`,
    [i.runId, i.subscriptionId, i.period, i.status, i.amountMinor, i.currency, i.chargeId ?? null, i.detail ?? null],
  );
}

/** The report lines of a run, by partner then subscription. */
export async function runReportLines(db: Queryable, runId: string): Promise<BillingReportLine[]> {
  const { rows } = await db.query<BillingReportLine>(
    `SELECT i.subscription_id AS "subscriptionId", s.partner_id AS "partnerId", p.name AS "partnerName", s.plan,
            s.subscriber_email AS "subscriberEmail", to_char(i.period, 'YYYY-MM-DD') AS period,
            i.amount_minor AS "amountMinor", i.currency, i.status, i.charge_id AS "chargeId", i.detail
       FROM billing_run_items i
       JOIN subscriptions s ON s.id = i.subscription_id
       JOIN partners p ON p.id = s.partner_id
      WHERE i.run_id = $1
      ORDER BY p.name, s.partner_id, i.subscription_id, i.period`,
    [runId],
  );
  return rows;
}

/** Stores the finished report on the run and marks it completed. */
export async function completeBillingRun(
  db: Queryable,
  r: { id: string; totals: unknown; csv: string; pdf: Buffer },
): Promise<void> {
  await db.query(
    `UPDATE billing_runs SET status = 'completed', totals = $2, report_csv = $3, report_pdf = $4,
            completed_at = COALESCE(completed_at, now())
      WHERE id = $1`,
    [r.id, JSON.stringify(r.totals), r.csv, r.pdf],
  );
}

/** A run's stored report. */
export async function findBillingReport(
  db: Queryable,
  id: string,
): Promise<{ run: BillingRun; csv: string | null; pdf: Buffer | null } | undefined> {
  const { rows } = await db.query<BillingRun & { csv: string | null; pdf: Buffer | null }>(
    `SELECT ${RUN}, report_csv AS csv, report_pdf AS pdf FROM billing_runs WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { csv, pdf, ...run } = row;
  return { run, csv, pdf };
}
