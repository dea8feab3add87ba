/**
 * The order workflow on a real dev server, PostgreSQL and SMTP server: happy path with invoice PDF and emails,
 * decline, failure after the charge (refund), and a worker restart in the middle of a run.
 */
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingActivities } from '../../activities/billing';
import { createDefaultPaymentProvider } from '../../adapters/payments/default-provider';
import { chargesByKeyPrefix } from '../../db/payments';
import { listSubmissionEvents } from '../../db/events';
import { ORDER_STEPS } from '../../workflows/order';
import { newPartner, sampleOrder } from '../support/fixtures';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { eventually, startStack, type TestStack } from '../support/stack';
import { finalState, pdfText, recordHistory, startOrder } from './support';

describe('order workflow', () => {
  let stack: TestStack;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtp();
    stack = await startStack({ env: { SMTP_URL: smtp.url, TEAM_EMAIL: 'team@example.test' } });
  });
  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });
  const client = () => ({ pool: stack.pool, client: stack.env.client });

  it('charges, issues a numbered invoice PDF, mails partner and team with it, and calls back', async () => {
    const stop = await stack.startWorkers();
    try {
      const partner = await newPartner(stack.pool, { contactEmail: 'orders@partner.test' });
      const first = await startOrder(client(), partner.partnerId, sampleOrder());
      const state = await finalState(first.handle);
      await recordHistory(first.handle, 'order-completed');
      expect(state.status).toBe('completed');
      expect(state.steps.map((s) => [s.name, s.status])).toEqual(ORDER_STEPS.map((name) => [name, 'completed']));
      const year = new Date().getUTCFullYear();
      expect(state.result).toMatchObject({ totalMinor: 16380, currency: 'EUR', invoiceNumber: `INV-${year}-000001` });

      // Exactly one charge, under the key derived from the submission.
      const charges = await chargesByKeyPrefix(stack.pool, `order-charge-${first.id}`);
      expect(charges).toEqual([
        expect.objectContaining({ status: 'succeeded', amountMinor: 16380, amountRefundedMinor: 0 }),
      ]);
      const events = (await listSubmissionEvents(stack.pool, first.id)).map((e) => e.type);
      expect(events).toEqual(expect.arrayContaining(['billing.charge_succeeded', 'submission.completed']));

      // The partner downloads the PDF; it parses and shows the lines and totals.
      const res = await stack.app.inject({ url: `/v1/submissions/${first.id}/invoice.pdf`, headers: partner.auth });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const text = await pdfText(res.rawPayload);
      for (const shown of [
        `Invoice INV-${year}-000001`,
        'Blue widget',
        'Red gadget',
        'Subtotal',
        '136.50 EUR',
        'Tax',
        '27.30 EUR',
        'Total',
        '163.80 EUR',
      ]) {
        expect(text).toContain(shown);
      }
      const other = await newPartner(stack.pool);
      expect(
        (await stack.app.inject({ url: `/v1/submissions/${first.id}/invoice.pdf`, headers: other.auth })).statusCode,
      ).toBe(404);

      // Both mails arrive on the SMTP server with the same PDF attached.
      const toPartner = await smtp.waitFor(
        (m) => m.subject?.includes(`invoice INV-${year}-000001`) === true && m.text?.includes(first.id) === true,
      );
      expect(toPartner.to).toMatchObject({ text: 'orders@partner.test' });
      const toTeam = await smtp.waitFor((m) => m.text?.includes(`Submission: ${first.id}`) === true);
      expect(toTeam.to).toMatchObject({ text: 'team@example.test' });
      for (const mail of [toPartner, toTeam]) {
        expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
          [`INV-${year}-000001.pdf`, 'application/pdf'],
        ]);
        expect(await pdfText(mail.attachments[0]!.content)).toContain('163.80 EUR');
      }

      // The next order of the partner takes the next number: no gaps.
      const second = await startOrder(client(), partner.partnerId, sampleOrder());
      expect((await finalState(second.handle)).result?.invoiceNumber).toBe(`INV-${year}-000002`);
      const attrs = (await second.handle.describe()).typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]);
      expect(attrs).toEqual(
        expect.arrayContaining([
          ['InvoiceNumber', `INV-${year}-000002`],
          ['SubmissionStatus', 'completed'],
        ]),
      );
    } finally {
      await stop();
    }
  });

  it('fails a declined card without charging or invoicing anything', async () => {
    const stop = await stack.startWorkers();
    try {
      const partner = await newPartner(stack.pool, { contactEmail: 'declined@partner.test' });
      const { id, handle } = await startOrder(
        client(),
        partner.partnerId,
        sampleOrder({ payment: { method: 'pm_card_chargeDeclined' } }),
      );
      const state = await finalState(handle);
      await recordHistory(handle, 'order-declined');
      expect(state.status).toBe('failed');
      expect(state.error).toMatchObject({ code: 'CardDeclined' });
      expect(state.steps.map((s) => [s.name, s.status])).toEqual([
        ['validate', 'completed'],
        ['persist', 'completed'],
        ['charge', 'failed'],
        ['issue_invoice', 'skipped'],
        ['notify', 'skipped'],
        ['callback', 'skipped'],
      ]);
      expect(
        (await chargesByKeyPrefix(stack.pool, `order-charge-${id}`)).filter((c) => c.status === 'succeeded'),
      ).toEqual([]);
      expect(
        (await stack.app.inject({ url: `/v1/submissions/${id}/invoice.pdf`, headers: partner.auth })).statusCode,
      ).toBe(404);
      const events = (await listSubmissionEvents(stack.pool, id)).map((e) => e.type);
      expect(events).toEqual(expect.arrayContaining(['billing.charge_failed', 'submission.failed']));
      expect(events).not.toContain('billing.charge_succeeded');
      expect(smtp.mails.some((m) => m.text?.includes(id))).toBe(false);
    } finally {
      await stop();
    }
  });

  it('refunds a charge that went through though its step failed, and fails the order', async () => {
    // The provider takes the money, its answer is lost, and every retry after that finds the provider out of reach:
    // the step fails (here in one attempt) with the money taken under the order's key.
    const real = createBillingActivities({ payments: createDefaultPaymentProvider(stack.pool) });
    const lostAnswer = {
      ...real,
      async chargePayment(input: Parameters<typeof real.chargePayment>[0]) {
        await real.chargePayment(input);
        throw ApplicationFailure.create({
          type: 'ProviderUnavailable',
          message: 'no answer from the payment provider after every retry',
          nonRetryable: true,
        });
      },
    };
    const stop = await stack.startWorkers({ activityOverrides: { billing: lostAnswer } });
    try {
      const partner = await newPartner(stack.pool);
      const { id, handle } = await startOrder(client(), partner.partnerId, sampleOrder());
      const state = await finalState(handle);
      await recordHistory(handle, 'order-charge-lost-refunded');
      expect(state.status).toBe('failed');
      expect(state.steps.find((s) => s.name === 'charge')).toMatchObject({ status: 'compensated' });
      expect(state.result).toMatchObject({ refunded: true });
      const charges = await chargesByKeyPrefix(stack.pool, `order-charge-${id}`);
      expect(charges).toEqual([expect.objectContaining({ status: 'succeeded', amountRefundedMinor: 16380 })]);
      expect(
        (await stack.app.inject({ url: `/v1/submissions/${id}/invoice.pdf`, headers: partner.auth })).statusCode,
      ).toBe(404);
    } finally {
      await stop();
    }
  });

  it('refunds the charge when invoicing fails for good after it, and says so in the status', async () => {
    const broken = {
      async issueOrderInvoice() {
        throw ApplicationFailure.create({
          type: 'ValidationError',
          message: 'the invoice cannot be rendered',
          nonRetryable: true,
        });
      },
    };
    const stop = await stack.startWorkers({ activityOverrides: { submissions: broken, 'invoice-processing': broken } });
    try {
      const partner = await newPartner(stack.pool);
      const { id, handle } = await startOrder(client(), partner.partnerId, sampleOrder());
      const state = await finalState(handle);
      await recordHistory(handle, 'order-refunded');
      expect(state.status).toBe('failed');
      expect(state.error).toEqual({ code: 'ValidationError', message: 'the invoice cannot be rendered' });
      expect(state.result).toMatchObject({ refunded: true, totalMinor: 16380 });
      expect(state.steps.find((s) => s.name === 'charge')?.status).toBe('compensated');
      expect(state.steps.find((s) => s.name === 'issue_invoice')?.status).toBe('failed');
      expect(await chargesByKeyPrefix(stack.pool, `order-charge-${id}`)).toEqual([
        expect.objectContaining({ status: 'succeeded', amountMinor: 16380, amountRefundedMinor: 16380 }),
      ]);
      // The partner's status document says the same once the run is closed.
      const doc = (await stack.app.inject({ url: `/v1/submissions/${id}`, headers: partner.auth })).json();
      expect(doc).toMatchObject({ status: 'failed', result: { refunded: true } });
    } finally {
      await stop();
    }
  });

  it('completes with exactly one charge when the workers are replaced in the middle of a run', async () => {
    // The provider is down for the first attempt; the workers go away while the charge waits for its retry.
    let stop = await stack.startWorkers();
    const partner = await newPartner(stack.pool);
    const { id, handle } = await startOrder(
      client(),
      partner.partnerId,
      sampleOrder({ payment: { method: 'pm_card_outage_1' } }),
    );
    await eventually(async () => {
      const { rows } = await stack.pool.query(
        'SELECT attempts FROM payment_fault_attempts WHERE idempotency_key = $1',
        [`order-charge-${id}`],
      );
      return rows[0]?.attempts >= 1;
    });
    await stop();
    expect((await handle.describe()).status.name).toBe('RUNNING');
    stop = await stack.startWorkers();
    try {
      const state = await finalState(handle);
      await recordHistory(handle, 'order-worker-restart');
      expect(state.status).toBe('completed');
      expect(state.steps.find((s) => s.name === 'charge')).toMatchObject({ status: 'completed' });
      const charges = await chargesByKeyPrefix(stack.pool, `order-charge-${id}`);
      expect(charges).toEqual([expect.objectContaining({ status: 'succeeded', amountMinor: 16380 })]);
    } finally {
      await stop();
    }
  });
});
