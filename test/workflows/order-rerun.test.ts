/**
 * A submission runs once: a second start of a closed run is refused (id reuse policy), a run that still gets
 * started on a closed submission stops without charging, and two sweepers never start the same rows.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskQueues, submissionWorkflowId } from '../../contracts';
import { newId } from '../../db/ids';
import { chargesByKeyPrefix } from '../../db/payments';
import { insertSubmission } from '../../db/submissions';
import { startSubmissionWorkflow } from '../../services/submissions';
import { startPendingWorkflows } from '../../services/workflow-starter';
import { newPartner, sampleOrder } from '../support/fixtures';
import { startStack, type TestStack } from '../support/stack';
import { finalState, startOrder } from './support';

describe('submission workflows run once', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  const deps = () => ({ pool: stack.pool, client: stack.env.client });

  async function runCount(workflowId: string): Promise<number> {
    let n = 0;
    for await (const _ of stack.env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n++;
    return n;
  }

  it('does not start a closed submission again (a late sweep or a second API process)', async () => {
    const stop = await stack.startWorkers();
    try {
      const partner = await newPartner(stack.pool);
      const order = sampleOrder();
      const { id, handle } = await startOrder(deps(), partner.partnerId, order);
      expect((await finalState(handle)).status).toBe('completed');
      const row = { id, partnerId: partner.partnerId, type: 'order' as const, workflowId: handle.workflowId };
      await startSubmissionWorkflow(
        { pool: stack.pool, temporal: stack.env.client, config: stack.config },
        { ...row, externalRef: order.orderNumber },
      );
      expect(await runCount(handle.workflowId)).toBe(1);
    } finally {
      await stop();
    }
  });

  it('a run started on a refunded order anyway stops: no charge, the stored status stays', async () => {
    const broken = {
      async issueOrderInvoice() {
        throw ApplicationFailure.create({ type: 'ValidationError', message: 'cannot render', nonRetryable: true });
      },
    };
    let stop = await stack.startWorkers({ activityOverrides: { submissions: broken, 'invoice-processing': broken } });
    const partner = await newPartner(stack.pool);
    const { id, handle } = await startOrder(deps(), partner.partnerId, sampleOrder());
    expect((await finalState(handle)).status).toBe('failed');
    await stop();
    stop = await stack.startWorkers();
    try {
      // As after Temporal's retention: the id is free again and something starts it.
      const again = await stack.env.client.workflow.start('orderWorkflow', {
        workflowId: handle.workflowId,
        taskQueue: TaskQueues.submissions,
        args: [{ submissionId: id, partnerId: partner.partnerId }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
      expect((await finalState(again)).status).toBe('failed');
      const charges = await chargesByKeyPrefix(stack.pool, `order-charge-${id}`);
      expect(charges).toEqual([expect.objectContaining({ amountMinor: 16380, amountRefundedMinor: 16380 })]);
      const { rows } = await stack.pool.query('SELECT status FROM submissions WHERE id = $1', [id]);
      expect(rows[0].status).toBe('failed');
    } finally {
      await stop();
    }
  });

  it('two sweepers at once start each stored submission once (rows are claimed, locked ones skipped)', async () => {
    const partner = await newPartner(stack.pool);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = newId('sub');
      ids.push(id);
      await insertSubmission(stack.pool, {
        id,
        partnerId: partner.partnerId,
        type: 'order',
        workflowId: submissionWorkflowId('order', id),
        payload: sampleOrder(),
      });
    }
    const starts: string[] = [];
    const temporal = {
      workflow: {
        async start(_type: string, options: { workflowId: string }) {
          starts.push(options.workflowId);
          await new Promise((r) => setTimeout(r, 5));
        },
      },
    } as unknown as Client;
    const sweeper = { pool: stack.pool, temporal, config: stack.config };
    const started = await Promise.all(
      [1, 2].map(() => startPendingWorkflows(sweeper, { partnerId: partner.partnerId, concurrency: 4, chunk: 10 })),
    );
    expect(started[0]! + started[1]!).toBe(40);
    expect(starts).toHaveLength(40);
    expect(new Set(starts).size).toBe(40);
  });
});
