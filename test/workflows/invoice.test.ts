/**
 * The invoice workflow on a real dev server, PostgreSQL and SMTP server: below the threshold straight through;
 * above it the approval gate: approve (admin route and CLI, both the validated update), reject (signal),
 * reminder, escalation and auto-reject, and cancel while waiting.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelSignal, decideUpdate, decisionSignal, getStatusQuery } from '../../contracts';
import { findApproval } from '../../db/approvals';
import { listSubmissionEvents } from '../../db/events';
import { findPayable } from '../../db/ledger';
import { listPartnerPayouts } from '../../db/payouts';
import { build } from '../../api/app';
import { TEST_PAYLOAD_KEYS, testConfig } from '../support/config';
import { newPartner } from '../support/fixtures';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { eventually, startStack, type TestStack } from '../support/stack';
import { finalState, recordHistory, sampleInvoice, startInvoice } from './support';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const THRESHOLD = 50_000; // the sample invoice (1200.00 EUR) is above it

describe('invoice workflow', () => {
  let stack: TestStack;
  let smtp: TestSmtp;
  let stopWorkers: () => Promise<void>;
  beforeAll(async () => {
    smtp = await startSmtp();
    stack = await startStack({
      env: { SMTP_URL: smtp.url, TEAM_EMAIL: 'team@example.test', OWNER_EMAIL: 'owner@example.test', ADMIN_TOKEN },
    });
    stopWorkers = await stack.startWorkers();
  });
  afterAll(async () => {
    await stopWorkers?.();
    await stack?.close();
    await smtp?.close();
  });
  const deps = () => ({ pool: stack.pool, client: stack.env.client });

  async function awaitingApproval(partnerEmail?: string) {
    const partner = await newPartner(stack.pool, { contactEmail: partnerEmail });
    const invoice = sampleInvoice();
    const run = await startInvoice(deps(), partner.partnerId, invoice, { approvalThresholdMinor: THRESHOLD });
    await eventually(async () => (await run.handle.query(getStatusQuery)).status === 'awaiting_approval');
    return { partner, invoice, ...run };
  }

  it('books an invoice below the threshold without approval and schedules its payout', async () => {
    const partner = await newPartner(stack.pool, { contactEmail: 'ap@supplier.test' });
    const invoice = sampleInvoice();
    const { id, handle } = await startInvoice(deps(), partner.partnerId, invoice, {
      approvalThresholdMinor: 1_000_000,
    });
    const state = await finalState(handle);
    await recordHistory(handle, 'invoice-completed');
    expect(state.status).toBe('completed');
    expect(state.steps.map((s) => [s.name, s.status])).toEqual([
      ['validate', 'completed'],
      ['duplicate_check', 'completed'],
      ['approval', 'skipped'],
      ['record_payable', 'completed'],
      ['schedule_payout', 'completed'],
      ['notify', 'completed'],
      ['callback', 'completed'],
    ]);
    expect(await findPayable(stack.pool, id)).toMatchObject({
      amountMinor: 120_000,
      partnerInvoiceNumber: invoice.invoiceNumber,
    });
    expect(await listPartnerPayouts(stack.pool, partner.partnerId)).toEqual([
      expect.objectContaining({ amountMinor: 120_000, dueDate: '2099-12-31', status: 'scheduled' }),
    ]);
    const mail = await smtp.waitFor((m) => m.subject === `Invoice ${invoice.invoiceNumber} accepted`);
    expect(mail.text).toContain('2099-12-31');
    const attrs = (await handle.describe()).typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]);
    expect(attrs).toEqual(
      expect.arrayContaining([
        ['InvoiceNumber', invoice.invoiceNumber],
        ['SubmissionStatus', 'completed'],
      ]),
    );
  });

  it('fails an invoice number the partner already sent, without booking it twice', async () => {
    const partner = await newPartner(stack.pool);
    const invoice = sampleInvoice();
    const first = await startInvoice(deps(), partner.partnerId, invoice, { approvalThresholdMinor: 1_000_000 });
    expect((await finalState(first.handle)).status).toBe('completed');
    // The intake refuses the same number; a second path (e.g. a UBL file with another reference) is caught here.
    const again = await startInvoice(deps(), partner.partnerId, invoice, {
      approvalThresholdMinor: 1_000_000,
      externalRef: `${invoice.invoiceNumber}-resent`,
    });
    const state = await finalState(again.handle);
    expect(state.status).toBe('failed');
    expect(state.error?.code).toBe('DuplicateInvoice');
    expect(state.steps.find((s) => s.name === 'duplicate_check')?.status).toBe('failed');
    expect(await findPayable(stack.pool, again.id)).toBeUndefined();
  });

  it("sends an invoice below the threshold to approval once the partner's rolling daily sum exceeds its limit", async () => {
    const partner = await newPartner(stack.pool);
    // Each 1,200.00 EUR invoice is below the threshold (10,000.00); two of them exceed the daily 2,000.00.
    await stack.pool.query('UPDATE partners SET approval_daily_limit_minor = 200000 WHERE id = $1', [
      partner.partnerId,
    ]);
    const options = { approvalThresholdMinor: 1_000_000 };
    const first = await startInvoice(deps(), partner.partnerId, sampleInvoice(), options);
    expect((await finalState(first.handle)).status).toBe('completed');
    const second = await startInvoice(deps(), partner.partnerId, sampleInvoice(), options);
    const settled = await eventually(async () => {
      const { status } = await second.handle.query(getStatusQuery);
      return ['awaiting_approval', 'completed', 'failed'].includes(status) && status;
    });
    expect(settled).toBe('awaiting_approval');
    await second.handle.signal(decisionSignal, { decision: 'approve', approver: 'Ada' });
    const state = await finalState(second.handle);
    await recordHistory(second.handle, 'invoice-daily-sum-approved');
    expect(state.status).toBe('completed');
    expect(state.steps.find((s) => s.name === 'approval')?.status).toBe('completed');
    expect(state.result?.approval).toMatchObject({ decision: 'approved', by: 'Ada' });
    expect(await findPayable(stack.pool, second.id)).toMatchObject({ amountMinor: 120_000 });
  });

  it('waits for approval and completes once an operator approves through the admin route', async () => {
    const { id, handle, invoice, partner } = await awaitingApproval('ap@approved.test');
    await eventually(async () =>
      (await listSubmissionEvents(stack.pool, id)).some((e) => e.type === 'submission.awaiting_approval'),
    );
    const request = await smtp.waitFor(
      (m) => m.subject?.startsWith('Approval needed') === true && m.text?.includes(id) === true,
    );
    expect(request.to).toMatchObject({ text: 'team@example.test' });
    const attrs = (await handle.describe()).typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]);
    expect(attrs).toEqual(expect.arrayContaining([['SubmissionStatus', 'awaiting_approval']]));

    const url = `/v1/admin/submissions/${id}/decision`;
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect(
      (await stack.app.inject({ method: 'POST', url, payload: { decision: 'approve', approver: 'Ada' } })).statusCode,
    ).toBe(401);
    const partnerKey = await stack.app.inject({
      method: 'POST',
      url,
      headers: partner.auth,
      payload: { decision: 'approve', approver: 'Ada' },
    });
    expect(partnerKey.statusCode).toBe(401);
    // A malformed approver is refused by the route with the workflow's own rule (400 naming the field), and nothing
    // changes.
    const invalid = await stack.app.inject({
      method: 'POST',
      url,
      headers: admin,
      payload: { decision: 'approve', approver: '!!' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors).toEqual([expect.objectContaining({ pointer: '/approver' })]);
    expect((await handle.query(getStatusQuery)).status).toBe('awaiting_approval');

    const ok = await stack.app.inject({
      method: 'POST',
      url,
      headers: admin,
      payload: { decision: 'approve', approver: 'Ada Admin', comment: 'fine' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ submissionId: id, accepted: true, status: 'processing' });
    const state = await finalState(handle);
    await recordHistory(handle, 'invoice-approved');
    expect(state.status).toBe('completed');
    expect(state.result?.approval).toMatchObject({ decision: 'approved', by: 'Ada Admin', comment: 'fine' });
    expect(await findApproval(stack.pool, id)).toMatchObject({ decision: 'approved', approver: 'Ada Admin' });
    expect(await findPayable(stack.pool, id)).toMatchObject({ amountMinor: 120_000 });
    await smtp.waitFor((m) => m.subject === `Invoice ${invoice.invoiceNumber} accepted`);
    // Too late for a second decision.
    const again = await stack.app.inject({
      method: 'POST',
      url,
      headers: admin,
      payload: { decision: 'reject', approver: 'Eve' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('keeps the admin route closed when no ADMIN_TOKEN is configured', async () => {
    const app = await build({ config: testConfig(), pool: stack.pool, temporal: stack.env.client });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/admin/submissions/sub_0000000000000000000000000a/decision',
        headers: { authorization: 'Bearer anything-at-all-really' },
        payload: { decision: 'approve', approver: 'Ada' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    } finally {
      await app.close();
    }
  });

  it('takes an approval from the admin CLI, answered by the update', async () => {
    const { id, handle } = await awaitingApproval();
    const cli = path.join(__dirname, '..', '..', 'cli', 'main.ts');
    const tsx = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const env = {
      ...process.env,
      DATABASE_URL: stack.config.databaseUrl,
      TEMPORAL_ADDRESS: stack.config.temporal.address,
      // The CLI encrypts its update with the same payload key as the test's workers.
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    };
    const { stdout } = await promisify(execFile)(
      tsx,
      [cli, 'invoice', 'approve', '--submission', id, '--approver', 'Grace Ops'],
      { env },
    );
    expect(JSON.parse(stdout)).toEqual({ submissionId: id, accepted: true, status: 'processing' });
    expect((await finalState(handle)).result?.approval).toMatchObject({ decision: 'approved', by: 'Grace Ops' });
  });

  it('fails a rejected invoice (signal, as from the Temporal UI) without booking it, and tells the partner', async () => {
    const { id, handle, invoice } = await awaitingApproval('ap@rejected.test');
    await handle.signal(decisionSignal, { decision: 'reject', approver: 'Bob', comment: 'wrong day rate' });
    const state = await finalState(handle);
    await recordHistory(handle, 'invoice-rejected');
    expect(state.status).toBe('failed');
    expect(state.error).toEqual({ code: 'Rejected', message: 'rejected by Bob: wrong day rate' });
    expect(state.result?.approval).toMatchObject({ decision: 'rejected', by: 'Bob' });
    expect(await findPayable(stack.pool, id)).toBeUndefined();
    const mail = await smtp.waitFor((m) => m.subject === `Invoice ${invoice.invoiceNumber} rejected`);
    expect(mail.text).toContain('wrong day rate');
    expect((await listSubmissionEvents(stack.pool, id)).map((e) => e.type)).toContain('submission.failed');
  });

  it('reminds, escalates to the owner, then rejects on its own when nobody decides', async () => {
    const partner = await newPartner(stack.pool);
    const { id, handle } = await startInvoice(deps(), partner.partnerId, sampleInvoice(), {
      approvalThresholdMinor: THRESHOLD,
      approval: { reminderAfterMs: 1000, escalateAfterMs: 2000, autoRejectAfterMs: 3000 },
    });
    const reminder = await smtp.waitFor(
      (m) => m.subject?.startsWith('Reminder: approval needed') === true && m.text?.includes(id) === true,
    );
    expect(reminder.to).toMatchObject({ text: 'team@example.test' });
    const escalation = await smtp.waitFor(
      (m) => m.subject?.startsWith('Escalation') === true && m.text?.includes(id) === true,
    );
    expect(escalation.to).toMatchObject({ text: 'team@example.test, owner@example.test' });
    const state = await finalState(handle);
    await recordHistory(handle, 'invoice-auto-rejected');
    expect(state.status).toBe('failed');
    expect(state.error?.code).toBe('ApprovalTimedOut');
    expect(state.result?.approval).toMatchObject({ decision: 'rejected', by: 'system' });
    expect(await findPayable(stack.pool, id)).toBeUndefined();
  });

  it('cancels an invoice waiting for approval; a decision afterwards is refused', async () => {
    const { id, handle } = await awaitingApproval();
    await handle.signal(cancelSignal, { reason: 'sent by mistake', requestedBy: 'partner' });
    const state = await finalState(handle);
    await recordHistory(handle, 'invoice-cancelled');
    expect(state.status).toBe('cancelled');
    expect(state.error).toEqual({ code: 'Cancelled', message: 'cancelled by partner: sent by mistake' });
    expect(await findPayable(stack.pool, id)).toBeUndefined();
    expect((await listSubmissionEvents(stack.pool, id)).map((e) => e.type)).toContain('submission.cancelled');
    await expect(
      handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', approver: 'Late Larry' }] }),
    ).rejects.toThrow();
  });

  it('keeps a cancel racing an approval consistent: cancelled with nothing booked, or booked and completed', async () => {
    // The run decides when the signal arrives: before booking it stops, after it the invoice completes; a 409 (the
    // status said it was too late) never leaves a cancelled run.
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    for (let i = 0; i < 6; i++) {
      const { id, handle, partner } = await awaitingApproval();
      const [, cancel] = await Promise.all([
        stack.app.inject({
          method: 'POST',
          url: `/v1/admin/submissions/${id}/decision`,
          headers: admin,
          payload: { decision: 'approve', approver: 'Ada' },
        }),
        stack.app.inject({ method: 'POST', url: `/v1/submissions/${id}/cancel`, headers: partner.auth }),
      ]);
      expect([202, 409], id).toContain(cancel.statusCode);
      const state = await finalState(handle);
      expect(['cancelled', 'completed'], id).toContain(state.status);
      if (cancel.statusCode === 409) expect(state.status, id).toBe('completed');
      expect(await findPayable(stack.pool, id), id)[state.status === 'completed' ? 'toBeDefined' : 'toBeUndefined']();
    }
  });

  it('refuses a malformed decision update in its validator, then answers a rejection with the final status', async () => {
    const { id, handle } = await awaitingApproval();
    await expect(
      handle.executeUpdate(decideUpdate, { args: [{ decision: 'maybe' as 'approve', approver: 'Ada' }] }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await handle.query(getStatusQuery)).status).toBe('awaiting_approval');
    const outcome = await handle.executeUpdate(decideUpdate, {
      args: [{ decision: 'reject', approver: 'Ada', comment: 'duplicate of last month' }],
    });
    expect(outcome).toEqual({ accepted: true, status: 'failed' });
    expect((await finalState(handle)).error?.code).toBe('Rejected');
    await recordHistory(handle, 'invoice-rejected-update');
    expect(await findApproval(stack.pool, id)).toMatchObject({
      decision: 'rejected',
      comment: 'duplicate of last month',
    });
  });
});
