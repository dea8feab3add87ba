/**
 * The status document through real HTTP against the real stack: a UBL invoice to `completed`, answered again with
 * every worker stopped; real attempts and last errors of a retried step; a running submission answered by its
 * workflow within the request, and cancelled by signal.
 */
import { Context } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingActivities } from '../../activities';
import { newPartner, sampleOrder } from '../support/fixtures';
import { eventually, startStack, type TestStack } from '../support/stack';
import { http } from './http';
import { ublInvoice } from './invoice-fixtures';
import { GENERIC_FAILURE } from '../../domain/partner-errors';

describe('submission status and cancel', () => {
  let stack: TestStack;
  let base: string;
  beforeAll(async () => {
    stack = await startStack();
    base = await stack.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => stack?.close());

  const call = (path: string, options?: Parameters<typeof http>[2]) => http(base, path, options);

  it('takes a UBL invoice to completed, then answers its status with every worker stopped', async () => {
    const stop = await stack.startWorkers();
    let stopped = false;
    try {
      const partner = await newPartner(stack.pool);
      const posted = await call('/v1/invoices', {
        headers: partner.auth,
        body: ublInvoice(),
        contentType: 'application/xml',
      });
      expect(posted.status).toBe(202);
      expect(posted.json).toMatchObject({ type: 'invoice', status: 'received' });
      const id = posted.json.id as string;
      const done = await eventually(async () => {
        const res = await call(`/v1/submissions/${id}`, { headers: partner.auth });
        return res.json.status === 'completed' ? res.json : undefined;
      }, 60_000);
      expect(done.result).toMatchObject({ currency: 'EUR', totalMinor: 202170 });
      await stop();
      stopped = true;
      const closed = await call(`/v1/submissions/${id}`, { headers: partner.auth });
      expect(closed.status).toBe(200);
      expect(closed.json).toMatchObject({ id, status: 'completed', result: { totalMinor: 202170 } });
      expect(closed.json.links.cancel).toBeUndefined();
      const cancel = await call(`/v1/submissions/${id}/cancel`, { method: 'POST', headers: partner.auth });
      expect(cancel.status).toBe(409);
    } finally {
      if (!stopped) await stop();
    }
  });

  it('shows real attempts and the last error of a retried step, also once the run has closed', async () => {
    const real = createBillingActivities({ payments: stack.deps.payments });
    const flaky = {
      async chargePayment(input: Parameters<typeof real.chargePayment>[0]) {
        if (Context.current().info.attempt === 1) throw new Error('card network timed out');
        return real.chargePayment(input);
      },
    };
    const stop = await stack.startWorkers({ activityOverrides: { billing: flaky } });
    let stopped = false;
    try {
      const partner = await newPartner(stack.pool);
      const id = (await call('/v1/orders', { headers: partner.auth, body: sampleOrder() })).json.id;
      await eventually(
        async () => (await call(`/v1/submissions/${id}`, { headers: partner.auth })).json.status === 'completed',
        60_000,
      );
      await stop();
      stopped = true;
      const closed = await call(`/v1/submissions/${id}`, { headers: partner.auth });
      const charge = closed.json.steps.find((s: { name: string }) => s.name === 'charge');
      // The raw error text stays with us; the partner reads a stable, generic one.
      expect(charge).toMatchObject({ status: 'completed', attempts: 2, lastError: GENERIC_FAILURE });
      const validate = closed.json.steps.find((s: { name: string }) => s.name === 'validate');
      expect(validate).toMatchObject({ attempts: 1, lastError: null });
    } finally {
      if (!stopped) await stop();
    }
  });

  it('answers a running submission from its workflow within the request, and cancels it by signal', async () => {
    // Only the workflow worker: the order waits at its charge step.
    const stop = await stack.startWorkers({ queues: ['submissions'] });
    try {
      const partner = await newPartner(stack.pool);
      const posted = await call('/v1/orders', { headers: partner.auth, body: sampleOrder() });
      const id = posted.json.id as string;
      const running = await eventually(async () => {
        const res = await call(`/v1/submissions/${id}`, { headers: partner.auth });
        return res.json.steps.some(
          (s: { name: string; status: string }) => s.name === 'charge' && s.status === 'running',
        )
          ? res.json
          : undefined;
      });
      expect(running.status).toBe('processing');
      expect(running.links.cancel).toBe(`/v1/submissions/${id}/cancel`);
      const cancel = await call(`/v1/submissions/${id}/cancel`, { method: 'POST', headers: partner.auth });
      expect(cancel.status).toBe(202);
      // A charge already asked for is never abandoned: it finishes once the billing worker is back, then is refunded.
      const stopBilling = await stack.startWorkers({ queues: ['billing'] });
      try {
        const cancelled = await eventually(async () => {
          const res = await call(`/v1/submissions/${id}`, { headers: partner.auth });
          return res.json.status === 'cancelled' ? res.json : undefined;
        });
        expect(cancelled.status).toBe('cancelled');
        expect(cancelled.result).toMatchObject({ refunded: true });
      } finally {
        await stopBilling();
      }
      expect((await call(`/v1/submissions/${id}/cancel`, { method: 'POST', headers: partner.auth })).status).toBe(409);
    } finally {
      await stop();
    }
  });
});
