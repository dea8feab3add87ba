/** `invoice approve|reject --submission ID --approver NAME [--comment C]`: an operator's decision, as an update. */
import { connectClient } from '../../adapters/temporal/connection';
import type pg from 'pg';
import type { Config } from '../../config';
import { decideInvoice, DecisionRefusedError } from '../../services/invoice-approval';
import { optionalFlag, required, UsageError, type Flags } from '../args';

const USAGE = 'usage: invoice approve|reject --submission ID --approver NAME [--comment C]';

/** Runs an invoice command; returns the JSON to print. */
export async function invoiceCommand(
  config: Config,
  pool: pg.Pool,
  action: string | undefined,
  flags: Flags,
): Promise<unknown> {
  if (action !== 'approve' && action !== 'reject') throw new UsageError(USAGE);
  const submissionId = required(flags, 'submission');
  const decision = {
    decision: action as 'approve' | 'reject',
    approver: required(flags, 'approver'),
    comment: optionalFlag(flags, 'comment'),
  };
  const temporal = await connectClient(config);
  try {
    return await decideInvoice({ pool, temporal }, submissionId, decision);
  } catch (err) {
    // A refused decision is the operator's to fix (wrong id, already decided): report it like wrong usage.
    if (err instanceof DecisionRefusedError) throw new UsageError(err.message);
    throw err;
  } finally {
    await temporal.connection.close();
  }
}
