/**
 * Helpers for workflow tests: store a submission and start its workflow directly with the Temporal client (as the
 * intake does), sample invoices, PDF text, and recording of histories for the replay tests.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type pg from 'pg';
import {
  PartnerIdKey,
  SubmissionStatusKey,
  SubmissionTypeKey,
  TaskQueues,
  submissionWorkflowId,
  type ApprovalTimings,
  type Invoice,
  type Order,
  type SubmissionState,
} from '../../contracts';
import { newId } from '../../db/ids';
import { insertSubmission } from '../../db/submissions';
import { historyToFixture } from '../replay/history-json';

/** Approval timings long enough that no reminder fires during a test. */
export const QUIET_TIMINGS: ApprovalTimings = {
  reminderAfterMs: 600_000,
  escalateAfterMs: 1_200_000,
  autoRejectAfterMs: 1_800_000,
};

/** Stores an order submission and starts its workflow. */
export async function startOrder(
  deps: { pool: pg.Pool; client: Client },
  partnerId: string,
  order: Order,
): Promise<{ id: string; handle: WorkflowHandle }> {
  const id = newId('sub');
  const workflowId = submissionWorkflowId('order', id);
  await insertSubmission(deps.pool, {
    id,
    partnerId,
    type: 'order',
    workflowId,
    externalRef: order.orderNumber,
    payload: order,
  });
  const handle = await deps.client.workflow.start('orderWorkflow', {
    workflowId,
    taskQueue: TaskQueues.submissions,
    args: [{ submissionId: id, partnerId }],
    typedSearchAttributes: [
      { key: PartnerIdKey, value: partnerId },
      { key: SubmissionTypeKey, value: 'order' },
      { key: SubmissionStatusKey, value: 'received' },
    ],
    staticSummary: `Order ${order.orderNumber}`,
  });
  return { id, handle };
}

/** Stores an invoice submission and starts its workflow with the given threshold and timings. */
export async function startInvoice(
  deps: { pool: pg.Pool; client: Client },
  partnerId: string,
  invoice: Invoice,
  options: { approvalThresholdMinor: number; approval?: ApprovalTimings; externalRef?: string },
): Promise<{ id: string; handle: WorkflowHandle }> {
  const id = newId('sub');
  const workflowId = submissionWorkflowId('invoice', id);
  await insertSubmission(deps.pool, {
    id,
    partnerId,
    type: 'invoice',
    workflowId,
    externalRef: options.externalRef ?? invoice.invoiceNumber,
    payload: invoice,
  });
  const handle = await deps.client.workflow.start('invoiceWorkflow', {
    workflowId,
    taskQueue: TaskQueues.submissions,
    args: [
      {
        submissionId: id,
        partnerId,
        approvalThresholdMinor: options.approvalThresholdMinor,
        approval: options.approval ?? QUIET_TIMINGS,
      },
    ],
    typedSearchAttributes: [
      { key: PartnerIdKey, value: partnerId },
      { key: SubmissionTypeKey, value: 'invoice' },
      { key: SubmissionStatusKey, value: 'received' },
    ],
    staticSummary: `Invoice ${invoice.invoiceNumber}`,
  });
  return { id, handle };
}

/** A valid invoice of 3 lines: 1000.00 net, 200.00 tax, 1200.00 payable (EUR). */
export function sampleInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    invoiceNumber: `SUP-${Math.random().toString(36).slice(2, 10)}`,
    issueDate: '2026-11-20',
    dueDate: '2099-12-31',
    currency: 'EUR',
    supplier: { name: 'Supplier GmbH', vatId: 'DE123456789', address: { country: 'DE' } },
    customer: { name: 'Partner Workflows Ltd', address: { country: 'GB' } },
    lines: [
      {
        id: '1',
        description: 'Consulting',
        quantity: 8,
        unitPriceMinor: 10_000,
        lineTotalMinor: 80_000,
        taxRateBasisPoints: 2000,
      },
      {
        id: '2',
        description: 'Travel',
        quantity: 1,
        unitPriceMinor: 15_000,
        lineTotalMinor: 15_000,
        taxRateBasisPoints: 2000,
      },
      {
        id: '3',
        description: 'Licence',
        quantity: 0.5,
        unitPriceMinor: 10_000,
        lineTotalMinor: 5_000,
        taxRateBasisPoints: 2000,
      },
    ],
    taxExclusiveMinor: 100_000,
    taxTotalMinor: 20_000,
    payableMinor: 120_000,
    ...overrides,
  };
}

/** The workflow's result: its final status document. */
export async function finalState(handle: WorkflowHandle): Promise<SubmissionState> {
  return (await handle.result()) as SubmissionState;
}

/** All text of a PDF, page by page, joined with spaces. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: true }).promise;
  const parts: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    for (const item of content.items) if ('str' in item) parts.push(item.str);
  }
  await doc.destroy();
  return parts.join(' ');
}

/**
 * Writes a run's history as a replay fixture when RECORD_HISTORIES names a folder (scripts/record-histories.ts
 * sets it); otherwise does nothing. The replay tests run every fixture in test/fixtures/histories.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  const dir = process.env.RECORD_HISTORIES;
  if (!dir) return;
  const history = await handle.fetchHistory();
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${name}.json`), `${historyToFixture(history)}\n`);
}
