/**
 * Accepting a submission: store it (with its Idempotency-Key claim, in one transaction), then start its workflow
 * under a business-key id. The stored row is the promise: if the start fails, the sweeper starts it later.
 */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import type pg from 'pg';
import type { Config } from '../config';
import {
  InvoiceNumberKey,
  PartnerIdKey,
  SubmissionStatusKey,
  SubmissionTypeKey,
  TaskQueues,
  submissionWorkflowId,
  type InvoiceWorkflowInput,
  type OrderWorkflowInput,
  type SubmissionType,
} from '../contracts';
import { newId } from '../db/ids';
import { findPartner, type Partner } from '../db/partners';
import { isUniqueViolation, type Queryable } from '../db/pool';
import { findInvoicesByNumber, markWorkflowsStarted, type StartableSubmission } from '../db/submission-intake';
import { insertSubmission } from '../db/submissions';
import type { StartMarks } from './start-marks';
import type { SubmissionInserts } from './submission-inserts';
import { acceptOnce, type IdempotencyRequest, type StoredResponse } from './idempotency';
import { IntakeError } from '../domain/intake-errors';

/** Workflow type per submission type. */
export const WORKFLOW_TYPES: Record<SubmissionType, string> = {
  order: 'orderWorkflow',
  invoice: 'invoiceWorkflow',
  credit_note: 'creditNoteWorkflow',
};

/** Unique indexes that keep a partner's invoice and credit note numbers from repeating. */
const DOCUMENT_NUMBER_INDEXES = ['submissions_invoice_number', 'submissions_credit_note_number'];

/** What the intake needs. */
export interface IntakeDeps {
  pool: pg.Pool;
  temporal: Client;
  config: Config;
  log?: { warn(obj: object, msg: string): void };
  /** Collects started submissions and marks them in one statement per batch (the API's); unset: marked one by one. */
  startMarks?: StartMarks;
  /** Batches the INSERTs of concurrent requests (the API's); unset: one INSERT per submission. */
  inserts?: SubmissionInserts;
}

/** One submission to accept. */
export interface NewSubmission {
  partnerId: string;
  type: SubmissionType;
  payload: unknown;
  /** Order number or invoice number; invoice numbers are unique per partner. */
  externalRef: string;
  /**
   * Writes that must commit with the submission or not at all (an invoice's embedded documents): run in the INSERT's
   * transaction, it returns the payload to store. A refusal (a repeated invoice number, an error) or an
   * Idempotency-Key replay rolls them back, so nothing is left behind.
   */
  preparePayload?: (tx: Queryable) => Promise<unknown>;
}

/** The 202 answer to an accepted submission (also what an Idempotency-Key replays). */
export function acceptedResponse(id: string, type: SubmissionType): StoredResponse {
  const self = `/v1/submissions/${id}`;
  return { status: 202, location: self, body: { id, type, status: 'received', links: { self } } };
}

/**
 * Accepts one submission and answers with the response to send. With an Idempotency-Key the key, the submission
 * and the answer are stored in one transaction; duplicates get the stored answer (see idempotency.ts).
 */
export async function acceptSubmission(
  deps: IntakeDeps,
  input: NewSubmission,
  idempotency?: IdempotencyRequest,
): Promise<StoredResponse> {
  const id = newId('sub');
  const workflowId = submissionWorkflowId(input.type, id);
  const { preparePayload, ...submission } = input;
  let outcome;
  try {
    if (idempotency || preparePayload) {
      const key = idempotency ? { ...idempotency, partnerId: input.partnerId } : undefined;
      outcome = await acceptOnce(deps.pool, key, deps.config.intake.idempotencyWaitMs, async (tx) => {
        const payload = preparePayload ? await preparePayload(tx) : submission.payload;
        await insertSubmission(tx, { id, workflowId, ...submission, payload });
        return { response: acceptedResponse(id, input.type), resourceId: id };
      });
    } else {
      // Without a key there is nothing to claim: the INSERT is its own transaction (no BEGIN/COMMIT round trips),
      // shared with the INSERTs of requests arriving meanwhile when the API batches them.
      const row = { id, workflowId, ...submission };
      await (deps.inserts ? deps.inserts.insert(row) : insertSubmission(deps.pool, row));
      outcome = { response: acceptedResponse(id, input.type), replayed: false };
    }
  } catch (err) {
    if (DOCUMENT_NUMBER_INDEXES.some((index) => isUniqueViolation(err, index))) {
      const existing = (await findInvoicesByNumber(deps.pool, input.partnerId, [input.externalRef], input.type)).get(
        input.externalRef,
      );
      throw new IntakeError(
        409,
        'duplicate-invoice',
        `invoice ${input.externalRef} was already accepted as ${existing}`,
        {
          submissionId: existing,
        },
      );
    }
    throw err;
  }
  if (!outcome.replayed) {
    await startOrLeaveForSweeper(deps, {
      id,
      workflowId,
      partnerId: input.partnerId,
      type: input.type,
      externalRef: input.externalRef,
    });
  }
  return outcome.response;
}

/** Starts a stored submission's workflow; a failure is logged and left to the sweeper, which retries. */
async function startOrLeaveForSweeper(deps: IntakeDeps, row: StartableSubmission): Promise<void> {
  try {
    await startSubmissionWorkflow(deps, row);
    // Marked in batches: a mark lost to a crash only makes the sweeper find the run already started.
    if (deps.startMarks) deps.startMarks.add(row.id);
    else await markWorkflowsStarted(deps.pool, [row.id]);
  } catch (err) {
    deps.log?.warn({ err, submissionId: row.id }, 'workflow start failed; the sweeper will retry it');
  }
}

/** Builds the workflow input of each submission type. */
export function workflowArgs(
  config: Config,
  row: StartableSubmission,
  partner: Partner | undefined,
): [OrderWorkflowInput | InvoiceWorkflowInput] {
  if (row.type === 'order') return [{ submissionId: row.id, partnerId: row.partnerId }];
  if (!partner) throw new Error(`partner ${row.partnerId} of submission ${row.id} does not exist`);
  return [
    {
      submissionId: row.id,
      partnerId: row.partnerId,
      approvalThresholdMinor: partner.approvalThresholdMinor,
      approval: { ...config.approvals },
    },
  ];
}

/** Starts (or finds already started) the workflow of a stored submission; only ids travel (claim check). */
export async function startSubmissionWorkflow(
  deps: IntakeDeps,
  row: StartableSubmission,
  partner?: Partner,
): Promise<void> {
  // An order's input is ids only; the other types carry the partner's approval threshold.
  const owner = partner ?? (row.type === 'order' ? undefined : await findPartner(deps.pool, row.partnerId));
  const label = { order: 'Order', invoice: 'Invoice', credit_note: 'Credit note' }[row.type];
  try {
    await deps.temporal.workflow.start(WORKFLOW_TYPES[row.type], {
      workflowId: row.workflowId,
      taskQueue: TaskQueues.submissions,
      // A submission runs once: a closed run (completed, refunded, cancelled) is never started again by a late
      // or second start (the sweeper after a lost markWorkflowsStarted, two API processes, a batch re-start).
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: workflowArgs(deps.config, row, owner),
      typedSearchAttributes: [
        { key: PartnerIdKey, value: row.partnerId },
        { key: SubmissionTypeKey, value: row.type },
        { key: SubmissionStatusKey, value: 'received' },
        ...(row.type !== 'order' && row.externalRef ? [{ key: InvoiceNumberKey, value: row.externalRef }] : []),
      ],
      staticSummary: `${label} ${row.externalRef ?? row.id} from ${row.partnerId}`,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw err;
  }
}
