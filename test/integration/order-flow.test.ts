/** An order from POST to `completed` on a real Temporal dev server and PostgreSQL, then read with no worker. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionWorkflowId } from '../../contracts';
import { ORDER_STEPS } from '../../workflows/order';
import { newPartner, sampleOrder } from '../support/fixtures';
import { postOrder, startStack, statusWhen, stepIs, type TestStack } from '../support/stack';

describe('order end to end', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.close());

  it('takes an order from POST to completed, and answers its status with every worker stopped', async () => {
    const stopWorkers = await stack.startWorkers();
    const partner = await newPartner(stack.pool);
    const post = await stack.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: partner.auth,
      payload: sampleOrder(),
    });
    expect(post.statusCode).toBe(202);
    const { id } = post.json<{ id: string }>();
    expect(post.headers.location).toBe(`/v1/submissions/${id}`);

    const done = await statusWhen(stack.app, partner.auth, id, (body) => body.status === 'completed');
    expect(done).toMatchObject({
      id,
      type: 'order',
      status: 'completed',
      result: { currency: 'EUR', totalMinor: 16380, invoiceNumber: expect.stringMatching(/^INV-\d{4}-000001$/) },
    });
    expect(done.steps.map((s) => [s.name, s.status])).toEqual(ORDER_STEPS.map((name) => [name, 'completed']));

    // The run carries the operator's search attributes. The status document can say completed (from the query, or
    // from the state the run records) a moment before the run's last workflow task, with its final upsert, is
    // committed: the run is waited for first.
    const handle = stack.env.client.workflow.getHandle(submissionWorkflowId('order', id));
    await handle.result();
    const description = await handle.describe();
    expect(description.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toEqual(
      expect.arrayContaining([
        ['PartnerId', partner.partnerId],
        ['SubmissionType', 'order'],
        ['SubmissionStatus', 'completed'],
      ]),
    );

    await stopWorkers();
    const closed = await stack.app.inject({ url: `/v1/submissions/${id}`, headers: partner.auth });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'completed', result: { totalMinor: 16380 } });

    // Another partner cannot see it.
    const other = await newPartner(stack.pool);
    const hidden = await stack.app.inject({ url: `/v1/submissions/${id}`, headers: other.auth });
    expect(hidden.statusCode).toBe(404);
  });

  it('answers a running submission from the workflow itself', async () => {
    // Only the workflow worker runs: the order waits at its first activity, status comes from the query.
    const stopWorkers = await stack.startWorkers({ queues: ['submissions'] });
    const partner = await newPartner(stack.pool);
    const id = await postOrder(stack.app, partner.auth, sampleOrder());
    const status = await statusWhen(stack.app, partner.auth, id, stepIs('charge', 'running'));
    expect(status.status).toBe('processing');
    expect(status.steps.slice(0, 2).map((s) => s.status)).toEqual(['completed', 'completed']);
    expect(status.links.cancel).toBe(`/v1/submissions/${id}/cancel`);
    await stopWorkers();
    await stack.env.client.workflow.getHandle(submissionWorkflowId('order', id)).terminate('test over');
  });

  it('refuses a cancel once the order is invoiced: 409, no cancel link, and the order completes', async () => {
    // No notification worker: the run waits at notify, after the invoice was issued.
    const stopWorkers = await stack.startWorkers({
      queues: ['submissions', 'billing', 'invoice-processing', 'callbacks'],
    });
    const partner = await newPartner(stack.pool);
    const id = await postOrder(stack.app, partner.auth, sampleOrder());
    const waiting = await statusWhen(stack.app, partner.auth, id, stepIs('notify', 'running'));
    expect(waiting.links.cancel).toBeUndefined();
    const cancel = await stack.app.inject({
      method: 'POST',
      url: `/v1/submissions/${id}/cancel`,
      headers: partner.auth,
    });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({ detail: expect.stringMatching(/past the point/) });
    const stopNotifications = await stack.startWorkers({ queues: ['notifications'] });
    await statusWhen(stack.app, partner.auth, id, (body) => body.status === 'completed');
    await stopNotifications();
    await stopWorkers();
  });
});
