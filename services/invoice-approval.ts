/**
 * An operator's decision on an invoice waiting for approval, sent as the workflow's `decide` update: the workflow
 * validates the approver and answers synchronously. Shared by the admin route and the admin CLI.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type pg from 'pg';
import { decideUpdate, type ApprovalDecision, type ApprovalOutcome } from '../contracts';
import { getSubmission } from '../db/submissions';

/** Why a decision was refused: `not-found` (no such invoice) or `conflict` (not awaiting approval, invalid). */
export class DecisionRefusedError extends Error {
  override name = 'DecisionRefusedError';
  constructor(
    readonly reason: 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

/** Sends the decision to the invoice's workflow and returns its answer. */
export async function decideInvoice(
  deps: { pool: pg.Pool; temporal: Client },
  submissionId: string,
  decision: ApprovalDecision,
): Promise<ApprovalOutcome & { submissionId: string }> {
  const row = await getSubmission(deps.pool, submissionId);
  // Credit notes pass the same approval gate as invoices.
  if (!row || (row.type !== 'invoice' && row.type !== 'credit_note'))
    throw new DecisionRefusedError('not-found', `invoice submission ${submissionId} does not exist`);
  try {
    const outcome = await deps.temporal.workflow
      .getHandle(row.workflowId)
      .executeUpdate(decideUpdate, { args: [decision] });
    return { submissionId, ...outcome };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const reason = err.cause instanceof Error ? err.cause.message : err.message;
      throw new DecisionRefusedError('conflict', `the decision was refused: ${reason}`);
    }
    if (err instanceof WorkflowNotFoundError) {
      throw new DecisionRefusedError('conflict', `invoice ${submissionId} is no longer running (status ${row.status})`);
    }
    throw err;
  }
}
