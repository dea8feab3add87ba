/**
 * The integration tier on the production Temporal server on PostgreSQL (the cluster of global-setup.ts), with
 * the API in this process and two worker processes running every queue: an order, an invoice through approval, a
 * webhook delivery whose first attempt is refused, and a billing run complete; a worker process killed in the
 * middle of an order leaves the order to the other one, charged once.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectClient } from '../../adapters/temporal/connection';
import { build } from '../../api/app';
import { invoiceExample } from '../../api/schemas/examples';
import { submissionWorkflowId } from '../../contracts';
import { chargesByKeyPrefix } from '../../db/payments';
import { createPool } from '../../db/pool';
import { runBillingRun } from '../../services/billing/start-run';
import type { Managed } from '../../scripts/stack/processes';
import { bundleWorkflows } from '../../worker/bundle';
import { newSubscription } from '../billing/helpers';
import { crash, stopProcess, workerProcess } from '../faults/support';
import { testConfig } from '../support/config';
import { newPartner, sampleOrder } from '../support/fixtures';
import { eventually, postOrder, statusWhen } from '../support/stack';
import { startReceiver, type Receiver } from '../webhooks/receiver';

const ADMIN_TOKEN = 'cluster-test-admin-token-0123456789';
const WORKER_ENV = { WEBHOOK_ALLOW_LIST: '127.0.0.1', WEBHOOK_RETRY_SCHEDULE: '500ms,500ms,500ms' };

describe('on the production Temporal server', () => {
  const address = inject('clusterAddress');
  const databaseUrl = inject('databaseUrl');
  const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-cluster-outbox-'));
  const bundleFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pw-cluster-bundle-')), 'workflows.js');
  const workers: Managed[] = [];
  let client: Client;
  let pool: pg.Pool;
  let app: FastifyInstance;
  let receiver: Receiver;

  const startWorker = (): Managed => {
    const p = workerProcess({
      temporalAddress: address,
      databaseUrl,
      outboxDir,
      env: { ...WORKER_ENV, WORKFLOW_BUNDLE: bundleFile },
    });
    workers.push(p);
    return p;
  };

  beforeAll(async () => {
    fs.writeFileSync(bundleFile, (await bundleWorkflows('ERROR')).code);
    const config = testConfig({ TEMPORAL_ADDRESS: address, ADMIN_TOKEN, ...WORKER_ENV });
    client = await connectClient(config);
    pool = createPool(databaseUrl);
    app = await build({ config, pool, temporal: client });
    receiver = await startReceiver();
    startWorker();
    startWorker();
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcess(w, 12_000)));
    await app?.close();
    await pool?.end();
    await client?.connection.close();
    await receiver?.close();
  });

  it('completes an order, charged once', async () => {
    const partner = await newPartner(pool);
    const id = await postOrder(app, partner.auth, sampleOrder());
    const done = await statusWhen(app, partner.auth, id, (b) => b.status === 'completed');
    expect(done.result).toMatchObject({ invoiceNumber: expect.stringMatching(/^INV-/) });
    expect(await chargesByKeyPrefix(pool, `order-charge-${id}`)).toHaveLength(1);
    // Search attributes registered by the setup step are indexed by the server's PostgreSQL visibility store.
    await eventually(async () => (await client.workflow.count(`PartnerId = '${partner.partnerId}'`)).count === 1);
  });

  it('takes an invoice through approval by an operator', async () => {
    const partner = await newPartner(pool, { approvalThresholdMinor: 100 });
    const res = await app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: partner.auth,
      payload: { ...invoiceExample, invoiceNumber: `NW-${Date.now()}` },
    });
    expect(res.statusCode).toBe(202);
    const id = res.json<{ id: string }>().id;
    await statusWhen(app, partner.auth, id, (b) => b.status === 'awaiting_approval');
    const decision = await app.inject({
      method: 'POST',
      url: `/v1/admin/submissions/${id}/decision`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { decision: 'approve', approver: 'Ada' },
    });
    expect(decision.statusCode).toBe(200);
    await statusWhen(app, partner.auth, id, (b) => b.status === 'completed');
  });

  it('delivers a webhook whose first attempt is refused', async () => {
    receiver.script = (n) => ({ status: n === 0 ? 500 : 204 });
    const partner = await newPartner(pool);
    const endpoint = await app.inject({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      headers: partner.auth,
      payload: { url: `${receiver.url}/hooks`, eventTypes: ['submission.completed'] },
    });
    expect(endpoint.statusCode).toBe(201);
    const id = await postOrder(app, partner.auth, sampleOrder());
    await statusWhen(app, partner.auth, id, (b) => b.status === 'completed');
    const delivery = await eventually(async () => {
      const res = await app.inject({ url: `/v1/webhook-deliveries?submissionId=${id}`, headers: partner.auth });
      return res
        .json<{ data: { status: string; attemptCount: number }[] }>()
        .data.find((d) => d.status === 'succeeded');
    });
    expect(delivery.attemptCount).toBe(2);
    expect(receiver.received.filter((r) => r.body.includes(id))).toHaveLength(2);
  });

  it('runs the billing run: the due subscription charged and reported', async () => {
    const partner = await newPartner(pool);
    const date = '2031-05-31';
    await newSubscription(pool, partner.partnerId, date, { amountMinor: 1900 });
    const result = await runBillingRun(client, { date });
    expect(result).toMatchObject({ due: 1, charged: 1, failed: 0, totalMinor: 1900 });
  });

  it('finishes an order whose worker process is killed in the middle, charged once', async () => {
    const partner = await newPartner(pool);
    // The provider is down for three attempts: the order sits in its charge step while a worker is killed.
    const id = await postOrder(app, partner.auth, sampleOrder({ payment: { method: 'pm_card_outage_3' } }));
    const handle = client.workflow.getHandle(submissionWorkflowId('order', id));
    await eventually(async () => {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      return pending.some((a) => (a.attempt ?? 0) >= 2);
    }, 60_000);
    await crash(workers[0]!);
    const done = await statusWhen(app, partner.auth, id, (b) => b.status === 'completed');
    // On failure, what the status document was built from: the steps' times and the attempts the workers recorded.
    const recorded = await pool.query(
      'SELECT activity_type, attempt, outcome, scheduled_at, finished_at FROM activity_attempts WHERE submission_id = $1',
      [id],
    );
    expect(
      done.steps.find((s) => s.name === 'charge')?.attempts,
      JSON.stringify({ steps: done.steps, recorded: recorded.rows }),
    ).toBeGreaterThanOrEqual(3);
    const charges = await chargesByKeyPrefix(pool, `order-charge-${id}`);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ status: 'succeeded', amountRefundedMinor: 0 });
    startWorker();
  });
});
