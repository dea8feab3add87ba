/** `billing run [--date YYYY-MM-DD] [--dry-run] [--retry-failed] [--page-size N]`: the daily billing run by hand. */
import { withClient } from '../../adapters/temporal/connection';
import type { Config } from '../../config';
import { isCalendarDate, utcDate } from '../../domain/billing/periods';
import { runBillingRun } from '../../services/billing/start-run';
import { integerFlag, optionalFlag, UsageError, type Flags } from '../args';

const USAGE = 'usage: billing run [--date YYYY-MM-DD] [--dry-run] [--retry-failed] [--page-size N]';

/** Starts (or joins) the run of the date through Temporal, waits, and returns its one-line summary. */
export async function billingCommand(config: Config, action: string | undefined, flags: Flags): Promise<unknown> {
  if (action !== 'run') throw new UsageError(USAGE);
  const date = optionalFlag(flags, 'date') ?? utcDate(new Date());
  if (!isCalendarDate(date)) throw new UsageError(`--date must be a date YYYY-MM-DD, got "${date}"`);
  for (const name of ['dry-run', 'retry-failed']) {
    if (flags[name] !== undefined && flags[name] !== true) throw new UsageError(`--${name} takes no value`);
  }
  const pageSize = integerFlag(flags, 'page-size');
  if (pageSize === 0) throw new UsageError('--page-size must be at least 1');
  return withClient(config, async (client) => {
    const r = await runBillingRun(client, {
      date,
      dryRun: flags['dry-run'] === true,
      retryFailedOnly: flags['retry-failed'] === true,
      ...(pageSize ? { pageSize } : {}),
    });
    return {
      date: r.date,
      dryRun: r.dryRun,
      due: r.due,
      charged: r.charged,
      failed: r.failed,
      skipped: r.skipped,
      totalMinor: r.totalMinor,
      reportId: r.reportId,
    };
  });
}
