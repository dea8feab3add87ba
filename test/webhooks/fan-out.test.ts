/**
 * The fan-out of one event to several endpoints, through the real emitEvent activity, PostgreSQL and Temporal dev
 * server: endpoints are served in parallel and one whose delivery cannot start does not hold back the others; the
 * activity's retry starts only what is missing.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallbackActivities, FanOutIncompleteError } from '../../activities/callbacks';
import { webhookDeliveryWorkflowId } from '../../contracts';
import { newPartner } from '../support/fixtures';
import { startStack, type TestStack } from '../support/stack';
import { emit, newSubmission, registerEndpoint } from './helpers';

describe('webhook fan-out', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.close());

  /** Whether a workflow with this id was started (no worker runs here, so it stays open). */
  async function started(workflowId: string): Promise<boolean> {
    try {
      await stack.env.client.workflow.getHandle(workflowId).describe();
      return true;
    } catch {
      return false;
    }
  }

  it("starts every other endpoint's delivery when one fails to start, and only the failed one on the retry", async () => {
    const partner = await newPartner(stack.pool);
    const endpoints = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      endpoints.push(await registerEndpoint(stack, partner.auth, `https://hooks.example.com/${name}`));
    }
    const failing = endpoints[1]!.id;

    // The real client, except that starting the failing endpoint's delivery fails once (Temporal unreachable).
    const calls: { attempt: number; workflowId: string; outcome: 'started' | 'already started' | 'failed' }[] = [];
    let attempt = 1;
    let failedOnce = false;
    const client = stack.env.client;
    async function start(...args: Parameters<Client['workflow']['start']>) {
      const workflowId = args[1].workflowId;
      const { rows } = await stack.pool.query<{ id: string }>(
        'SELECT id FROM webhook_deliveries WHERE endpoint_id = $1',
        [failing],
      );
      if (!failedOnce && rows.some((d) => webhookDeliveryWorkflowId(d.id) === workflowId)) {
        failedOnce = true;
        calls.push({ attempt, workflowId, outcome: 'failed' });
        throw new Error('14 UNAVAILABLE: connection refused');
      }
      try {
        const handle = await client.workflow.start(...args);
        calls.push({ attempt, workflowId, outcome: 'started' });
        return handle;
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError)
          calls.push({ attempt, workflowId, outcome: 'already started' });
        throw err;
      }
    }
    const workflow = new Proxy(client.workflow, {
      get: (target, prop, receiver) => (prop === 'start' ? start : Reflect.get(target, prop, receiver)),
    });
    const temporal = new Proxy(client, {
      get: (target, prop, receiver) => (prop === 'workflow' ? workflow : Reflect.get(target, prop, receiver)),
    });
    const { emitEvent } = createCallbackActivities({
      pool: stack.pool,
      publicBaseUrl: stack.config.api.publicBaseUrl,
      temporal,
      webhooks: stack.config.webhooks,
    });
    const submissionId = await newSubmission(stack, partner.partnerId);
    const event = { partnerId: partner.partnerId, submissionId, eventType: 'submission.completed' as const };

    const firstTry = emitEvent(event);
    await expect(firstTry).rejects.toBeInstanceOf(FanOutIncompleteError);
    await expect(firstTry).rejects.toThrow(failing);
    const { rows: deliveries } = await stack.pool.query<{ id: string; endpointId: string }>(
      `SELECT id, endpoint_id AS "endpointId" FROM webhook_deliveries WHERE submission_id = $1`,
      [submissionId],
    );
    const byEndpoint = new Map(deliveries.map((d) => [d.endpointId, webhookDeliveryWorkflowId(d.id)]));
    // The first attempt inserted every delivery and started every run but the failing one's.
    expect(deliveries).toHaveLength(4);
    for (const e of endpoints) expect(await started(byEndpoint.get(e.id)!), e.id).toBe(e.id !== failing);
    expect(
      calls
        .filter((c) => c.outcome === 'started')
        .map((c) => c.workflowId)
        .sort(),
    ).toEqual(
      endpoints
        .filter((e) => e.id !== failing)
        .map((e) => byEndpoint.get(e.id)!)
        .sort(),
    );

    // The activity's retry: the same deliveries, and the only run actually started is the failing endpoint's.
    attempt = 2;
    const retried = await emitEvent(event);
    expect(retried.deliveryIds.map((id) => webhookDeliveryWorkflowId(id))).toEqual(
      endpoints.map((e) => byEndpoint.get(e.id)!),
    );
    expect(calls.filter((c) => c.attempt === 2 && c.outcome === 'started').map((c) => c.workflowId)).toEqual([
      byEndpoint.get(failing)!,
    ]);
    for (const e of endpoints) expect(await started(byEndpoint.get(e.id)!), e.id).toBe(true);
    const { rows: after } = await stack.pool.query('SELECT id FROM webhook_deliveries WHERE submission_id = $1', [
      submissionId,
    ]);
    expect(after).toHaveLength(4);
  });

  it('records each event once with its status, and delivers to the endpoints that take its type and no others', async () => {
    const partner = await newPartner(stack.pool);
    const submissionId = await newSubmission(stack, partner.partnerId);
    await stack.pool.query(`UPDATE submissions SET status = 'processing' WHERE id = $1`, [submissionId]);
    const stored = async () =>
      (
        await stack.pool.query<{ type: string; data: unknown }>(
          'SELECT type, data FROM events WHERE submission_id = $1 ORDER BY type',
          [submissionId],
        )
      ).rows;

    // No endpoint yet: the event is stored and nobody is called.
    const first = await emit(stack, partner.partnerId, submissionId, 'billing.charge_succeeded');
    expect(first.deliveryIds).toEqual([]);
    // An endpoint for other events only, one disabled, and one for this type.
    await registerEndpoint(stack, partner.auth, 'https://hooks.example.com/other', ['submission.failed']);
    const disabled = await registerEndpoint(stack, partner.auth, 'https://hooks.example.com/off');
    await stack.pool.query('UPDATE webhook_endpoints SET enabled = false WHERE id = $1', [disabled.id]);
    expect((await emit(stack, partner.partnerId, submissionId, 'billing.charge_succeeded')).deliveryIds).toEqual([]);
    const taker = await registerEndpoint(stack, partner.auth, 'https://hooks.example.com/billing', [
      'billing.charge_succeeded',
      'submission.completed',
    ]);
    // A retry of the same event finds it (same id, same status) and now serves the new endpoint.
    const again = await emit(stack, partner.partnerId, submissionId, 'billing.charge_succeeded');
    expect(again.eventId).toBe(first.eventId);
    expect(again.deliveryIds).toHaveLength(1);
    const completed = await emit(stack, partner.partnerId, submissionId, 'submission.completed');
    const { rows: deliveries } = await stack.pool.query<{ endpointId: string; payload: string }>(
      `SELECT endpoint_id AS "endpointId", payload FROM webhook_deliveries WHERE submission_id = $1 ORDER BY id`,
      [submissionId],
    );
    expect(deliveries.map((d) => d.endpointId)).toEqual([taker.id, taker.id]);
    expect(completed.deliveryIds).toHaveLength(1);
    // The billing event reports the submission's status when it was raised; a submission event names its own.
    expect(await stored()).toEqual([
      { type: 'billing.charge_succeeded', data: { submissionId, status: 'processing' } },
      { type: 'submission.completed', data: { submissionId, status: 'completed' } },
    ]);
    expect(deliveries.map((d) => (JSON.parse(d.payload) as { data: { status: string } }).data.status).sort()).toEqual([
      'completed',
      'processing',
    ]);
  });
});
