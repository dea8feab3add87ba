/**
 * The credit note workflow on a real dev server and PostgreSQL: it reduces, then cancels, the payout of the invoice
 * it corrects; without a reference it records a credit; above the threshold it waits for approval like an invoice.
 */
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decisionSignal,
  getStatusQuery,
  PartnerIdKey,
  SubmissionStatusKey,
  SubmissionTypeKey,
  submissionWorkflowId,
  TaskQueues,
  type Invoice,
} from '../../contracts';
import { createLedgerActivities } from '../../activities/ledger';
import { listSubmissionEvents } from '../../db/events';
import { findCredit } from '../../db/ledger-credits';
import { listPartnerPayouts } from '../../db/payouts';
import { newId } from '../../db/ids';
import { insertSubmission } from '../../db/submissions';
import { decideInvoice } from '../../services/invoice-approval';
import { newPartner } from '../support/fixtures';
import { eventually, startStack, type TestStack } from '../support/stack';
import { finalState, QUIET_TIMINGS, recordHistory, sampleInvoice, startInvoice } from './support';

/** A credit note of `netMinor` at 20 % correcting `invoiceNumber` (when given). */
function creditNote(netMinor: number, invoiceNumber?: string): Invoice {
  const tax = netMinor / 5;
  return {
    documentType: 'credit_note',
    invoiceNumber: `CN-${Math.random().toString(36).slice(2, 10)}`,
    issueDate: '2026-11-21',
    dueDate: '2099-12-31',
    currency: 'EUR',
    supplier: { name: 'Supplier GmbH', vatId: 'DE123456789', address: { country: 'DE' } },
    customer: { name: 'Partner Workflows Ltd', address: { country: 'GB' } },
    ...(invoiceNumber ? { billingReferences: [{ invoiceNumber }] } : {}),
    lines: [
      {
        id: '1',
        description: 'Consulting credited',
        quantity: netMinor / 10_000,
        unitPriceMinor: 10_000,
        lineTotalMinor: netMinor,
        taxCategory: 'S',
        taxRateBasisPoints: 2000,
      },
    ],
    lineExtensionMinor: netMinor,
    taxExclusiveMinor: netMinor,
    taxTotalMinor: tax,
    taxInclusiveMinor: netMinor + tax,
    payableMinor: netMinor + tax,
    taxBreakdown: [{ category: 'S', rateBasisPoints: 2000, taxableMinor: netMinor, taxMinor: tax }],
  };
}

async function startCreditNote(
  deps: { pool: pg.Pool; client: Client },
  partnerId: string,
  note: Invoice,
  approvalThresholdMinor = 1_000_000,
) {
  const id = newId('sub');
  const workflowId = submissionWorkflowId('credit_note', id);
  await insertSubmission(deps.pool, {
    id,
    partnerId,
    type: 'credit_note',
    workflowId,
    externalRef: note.invoiceNumber,
    payload: note,
  });
  const handle = await deps.client.workflow.start('creditNoteWorkflow', {
    workflowId,
    taskQueue: TaskQueues.submissions,
    args: [{ submissionId: id, partnerId, approvalThresholdMinor, approval: QUIET_TIMINGS }],
    typedSearchAttributes: [
      { key: PartnerIdKey, value: partnerId },
      { key: SubmissionTypeKey, value: 'credit_note' },
      { key: SubmissionStatusKey, value: 'received' },
    ],
  });
  return { id, handle };
}

describe('credit note workflow', () => {
  let stack: TestStack;
  let stopWorkers: () => Promise<void>;
  beforeAll(async () => {
    stack = await startStack();
    stopWorkers = await stack.startWorkers();
  });
  afterAll(async () => {
    await stopWorkers?.();
    await stack?.close();
  });
  const deps = () => ({ pool: stack.pool, client: stack.env.client });

  it('reduces, then cancels, the payout of the invoice it corrects', async () => {
    const partner = await newPartner(stack.pool);
    const invoice = sampleInvoice();
    const booked = await startInvoice(deps(), partner.partnerId, invoice, { approvalThresholdMinor: 1_000_000 });
    expect((await finalState(booked.handle)).status).toBe('completed');

    const first = await startCreditNote(deps(), partner.partnerId, creditNote(25_000, invoice.invoiceNumber));
    const state = await finalState(first.handle);
    await recordHistory(first.handle, 'credit-note-completed');
    expect(state.status).toBe('completed');
    expect(state.steps.map((s) => [s.name, s.status])).toEqual([
      ['validate', 'completed'],
      ['duplicate_check', 'completed'],
      ['approval', 'skipped'],
      ['reverse', 'completed'],
      ['notify', 'completed'],
      ['callback', 'completed'],
    ]);
    expect(await findCredit(stack.pool, first.id)).toMatchObject({ amountMinor: 30_000, payoutAction: 'reduced' });
    expect(await listPartnerPayouts(stack.pool, partner.partnerId)).toEqual([
      expect.objectContaining({ amountMinor: 90_000, status: 'scheduled' }),
    ]);

    const rest = await startCreditNote(deps(), partner.partnerId, creditNote(75_000, invoice.invoiceNumber));
    expect((await finalState(rest.handle)).status).toBe('completed');
    expect(await findCredit(stack.pool, rest.id)).toMatchObject({ amountMinor: 90_000, payoutAction: 'cancelled' });
    expect(await listPartnerPayouts(stack.pool, partner.partnerId)).toEqual([
      expect.objectContaining({ status: 'cancelled' }),
    ]);
  });

  it('holds a negative credit note above the threshold for approval before it raises the payout', async () => {
    // A credit note totalling less than zero adds to what we pay: as large a change as an invoice of that size.
    const partner = await newPartner(stack.pool);
    const invoice = sampleInvoice();
    const booked = await startInvoice(deps(), partner.partnerId, invoice, { approvalThresholdMinor: 200_000 });
    expect((await finalState(booked.handle)).status).toBe('completed');

    const note = creditNote(-500_000, invoice.invoiceNumber);
    const { id, handle } = await startCreditNote(deps(), partner.partnerId, note, 200_000);
    const waiting = await eventually(async () => {
      const { status } = await handle.query(getStatusQuery);
      return ['awaiting_approval', 'completed', 'failed'].includes(status) && status;
    });
    expect(await listPartnerPayouts(stack.pool, partner.partnerId)).toEqual([
      expect.objectContaining({ amountMinor: 120_000, status: 'scheduled' }),
    ]);
    expect(await findCredit(stack.pool, id)).toBeUndefined();
    expect(waiting).toBe('awaiting_approval');
    await handle.signal(decisionSignal, { decision: 'reject', approver: 'Alice', comment: 'not agreed' });
    expect((await finalState(handle)).status).toBe('failed');
    await recordHistory(handle, 'credit-note-negative-rejected');
    expect(await listPartnerPayouts(stack.pool, partner.partnerId)).toEqual([
      expect.objectContaining({ amountMinor: 120_000, status: 'scheduled' }),
    ]);
  });

  it("holds a negative credit note below the threshold for approval once the partner's daily sum exceeds its limit", async () => {
    // A credit note totalling less than zero raises what we pay as an invoice of its size would: several small ones
    // must not add up past the daily limit without approval, as several small invoices do not.
    const partner = await newPartner(stack.pool);
    await stack.pool.query('UPDATE partners SET approval_daily_limit_minor = 200000 WHERE id = $1', [
      partner.partnerId,
    ]);
    const invoice = sampleInvoice();
    const booked = await startInvoice(deps(), partner.partnerId, invoice, { approvalThresholdMinor: 1_000_000 });
    expect((await finalState(booked.handle)).status).toBe('completed');

    // 1,200.00 more to pay: below the threshold, but 2,400.00 in a day against a limit of 2,000.00.
    const note = creditNote(-100_000, invoice.invoiceNumber);
    const { id, handle } = await startCreditNote(deps(), partner.partnerId, note, 1_000_000);
    const settled = await eventually(async () => {
      const { status } = await handle.query(getStatusQuery);
      return ['awaiting_approval', 'completed', 'failed'].includes(status) && status;
    });
    expect(settled).toBe('awaiting_approval');
    expect(await findCredit(stack.pool, id)).toBeUndefined();
    await handle.signal(decisionSignal, { decision: 'approve', approver: 'Ada' });
    expect((await finalState(handle)).status).toBe('completed');
    await recordHistory(handle, 'credit-note-daily-sum-approved');
    expect(await listPartnerPayouts(stack.pool, partner.partnerId)).toEqual([
      expect.objectContaining({ amountMinor: 240_000, status: 'scheduled' }),
    ]);
  });

  it('takes a credit booked between the payable and its payout off that payout', async () => {
    // The invoice's payable is booked, its payout not yet scheduled (the invoice worker is slow or restarting)
    // when the credit note for it is booked.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let payoutStarted!: () => void;
    const payoutWaiting = new Promise<void>((resolve) => (payoutStarted = resolve));
    const ledger = createLedgerActivities({ pool: stack.pool });
    const slowPayout = {
      async schedulePayout(input: Parameters<typeof ledger.schedulePayout>[0]) {
        payoutStarted();
        await released;
        return ledger.schedulePayout(input);
      },
    };
    await stopWorkers();
    stopWorkers = await stack.startWorkers({ activityOverrides: { 'invoice-processing': slowPayout } });
    try {
      const partner = await newPartner(stack.pool);
      const invoice = sampleInvoice();
      const booked = await startInvoice(deps(), partner.partnerId, invoice, { approvalThresholdMinor: 1_000_000 });
      await payoutWaiting;
      const note = await startCreditNote(deps(), partner.partnerId, creditNote(25_000, invoice.invoiceNumber));
      expect((await finalState(note.handle)).status).toBe('completed');
      release();
      expect((await finalState(booked.handle)).status).toBe('completed');
      expect(await findCredit(stack.pool, note.id)).toMatchObject({ amountMinor: 30_000, payoutAction: 'reduced' });
      expect(await listPartnerPayouts(stack.pool, partner.partnerId)).toEqual([
        expect.objectContaining({ amountMinor: 90_000, status: 'scheduled' }),
      ]);
    } finally {
      release();
      await stopWorkers();
      stopWorkers = await stack.startWorkers();
    }
  });

  it('leaves a booked credit note completed when a second run is started on it', async () => {
    const partner = await newPartner(stack.pool);
    const first = await startCreditNote(deps(), partner.partnerId, creditNote(10_000, 'NOT-BOOKED-2'));
    expect((await finalState(first.handle)).status).toBe('completed');
    // As after Temporal's retention: the id is free again and something starts it.
    const again = await stack.env.client.workflow.start('creditNoteWorkflow', {
      workflowId: first.handle.workflowId,
      taskQueue: TaskQueues.submissions,
      args: [{ submissionId: first.id, partnerId: partner.partnerId, approvalThresholdMinor: 1_000_000 }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
    const rerun = await finalState(again);
    await recordHistory(again, 'credit-note-superseded');
    const { rows } = await stack.pool.query('SELECT status FROM submissions WHERE id = $1', [first.id]);
    expect(rows[0].status).toBe('completed');
    expect((await listSubmissionEvents(stack.pool, first.id)).map((e) => e.type)).toEqual(['submission.completed']);
    expect(rerun.status).toBe('completed');
  });

  it('records a credit when it names no invoice we booked', async () => {
    const partner = await newPartner(stack.pool);
    const { id, handle } = await startCreditNote(deps(), partner.partnerId, creditNote(10_000, 'NOT-BOOKED-1'));
    expect((await finalState(handle)).status).toBe('completed');
    expect(await findCredit(stack.pool, id)).toMatchObject({
      amountMinor: 12_000,
      reversesPayableId: null,
      payoutAction: 'none',
    });
  });

  it('is approved through the same decision as an invoice (admin route and CLI)', async () => {
    const partner = await newPartner(stack.pool);
    const { id, handle } = await startCreditNote(deps(), partner.partnerId, creditNote(100_000), 50_000);
    await eventually(async () => (await handle.query(getStatusQuery)).status === 'awaiting_approval');
    const outcome = await decideInvoice({ pool: stack.pool, temporal: stack.env.client }, id, {
      decision: 'approve',
      approver: 'Bob',
    });
    expect(outcome).toMatchObject({ submissionId: id, accepted: true });
    expect((await finalState(handle)).status).toBe('completed');
    expect(await findCredit(stack.pool, id)).toMatchObject({ amountMinor: 120_000, payoutAction: 'none' });
  });

  it('waits for approval above the threshold, like an invoice', async () => {
    const partner = await newPartner(stack.pool);
    const { id, handle } = await startCreditNote(deps(), partner.partnerId, creditNote(100_000), 50_000);
    await eventually(async () => (await handle.query(getStatusQuery)).status === 'awaiting_approval');
    await handle.signal(decisionSignal, { decision: 'reject', approver: 'Alice', comment: 'not agreed' });
    const state = await finalState(handle);
    await recordHistory(handle, 'credit-note-rejected');
    expect(state.status).toBe('failed');
    expect(state.error?.code).toBe('Rejected');
    expect(await findCredit(stack.pool, id)).toBeUndefined();
  });
});
