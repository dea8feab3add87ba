/** Accepting a submission: store it, then start its workflow under a business-key id. */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type pg from 'pg';
import {
  PartnerIdKey,
  SubmissionStatusKey,
  SubmissionTypeKey,
  TaskQueues,
  submissionWorkflowId,
  type SubmissionType,
} from '../contracts';
import { newId } from '../db/ids';
import { insertSubmission, type SubmissionRow } from '../db/submissions';

/** Workflow type per submission type. */
export const WORKFLOW_TYPES: Record<SubmissionType, string> = { order: 'orderWorkflow', invoice: 'invoiceWorkflow' };

/** Raised when Temporal could not be reached to start a stored submission; the caller may retry. */
export class StartFailedError extends Error {
  override name = 'StartFailedError';
}

/**
 * Stores a submission and starts its workflow. When the start fails the row is removed again so nothing half
 * accepted remains, and the caller gets a retryable error.
 */
export async function acceptSubmission(
  deps: { pool: pg.Pool; temporal: Client },
  input: { partnerId: string; type: SubmissionType; payload: unknown; externalRef?: string; summary: string },
): Promise<SubmissionRow> {
  const id = newId('sub');
  const workflowId = submissionWorkflowId(input.type, id);
  const row = await insertSubmission(deps.pool, { id, workflowId, ...input });
  try {
    await startSubmissionWorkflow(deps.temporal, row, input.summary);
  } catch (err) {
    await deps.pool.query('DELETE FROM submissions WHERE id = $1 AND state IS NULL', [id]).catch(() => undefined);
    throw new StartFailedError(`could not start the workflow, nothing was accepted; retry: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return row;
}

/** Starts (or finds already started) the workflow of a stored submission. */
export async function startSubmissionWorkflow(temporal: Client, row: SubmissionRow, summary: string): Promise<void> {
  try {
    await temporal.workflow.start(WORKFLOW_TYPES[row.type], {
      workflowId: row.workflowId,
      taskQueue: TaskQueues.submissions,
      args: [{ submissionId: row.id, partnerId: row.partnerId }],
      typedSearchAttributes: [
        { key: PartnerIdKey, value: row.partnerId },
        { key: SubmissionTypeKey, value: row.type },
        { key: SubmissionStatusKey, value: 'received' },
      ],
      staticSummary: summary,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw err;
  }
}
