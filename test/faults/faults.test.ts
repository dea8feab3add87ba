/**
 * The fault suite, with real processes: a worker killed mid-order, the Temporal server killed and restarted on
 * its own SQLite file, the database cut off from the workers. Every order still completes, charged once.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { build } from '../../api/app';
import { loadConfig } from '../../config';
import { getStatusQuery, submissionWorkflowId } from '../../contracts';
import { chargesByKeyPrefix } from '../../db/payments';
import { createPool } from '../../db/pool';
import type { Managed } from '../../scripts/stack/processes';
import { newPartner, sampleOrder } from '../support/fixtures';
import { eventually, postOrder } from '../support/stack';
import { crash, cuttableProxy, restartableTemporal, stopProcess, workerProcess } from './support';

describe('faults', () => {
  let temporal: Awaited<ReturnType<typeof restartableTemporal>>;
  let client: Client;
  let pool: pg.Pool;
  let app: FastifyInstance;
  let partner: Awaited<ReturnType<typeof newPartner>>;
  const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-faults-outbox-'));
  const processes: Managed[] = [];
  const databaseUrl = inject('databaseUrl');

  const worker = (queues?: string[], url = databaseUrl): Managed => {
    const p = workerProcess({ temporalAddress: temporal.address, databaseUrl: url, queues, outboxDir });
    processes.push(p);
    return p;
  };

  const submitOrder = (): Promise<string> => postOrder(app, partner.auth, sampleOrder());

  async function stepStatus(id: string, step: string): Promise<string | undefined> {
    const state = await client.workflow.getHandle(submissionWorkflowId('order', id)).query(getStatusQuery);
    return state.steps.find((s) => s.name === step)?.status;
  }

  async function completed(id: string): Promise<void> {
    await eventually(
      async () => {
        const { rows } = await pool.query('SELECT status FROM submissions WHERE id = $1', [id]);
        return rows[0]?.status === 'completed';
      },
      120_000,
      250,
    );
  }

  beforeAll(async () => {
    temporal = await restartableTemporal();
    await temporal.start();
    client = await temporal.client();
    pool = createPool(databaseUrl);
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      OUTBOX_DIR: outboxDir,
      LOG_LEVEL: 'error',
    });
    app = await build({ config, pool, temporal: client });
    partner = await newPartner(pool);
  });

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => stopProcess(p, 5_000)));
  });

  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await temporal?.kill();
  });

  it('a worker killed with SIGKILL after the charge: a new worker finishes the order, charged exactly once', async () => {
    const first = worker(['submissions', 'billing', 'callbacks']);
    const id = await submitOrder();
    // No notifications worker yet: the run waits at notify, after the charge and the invoice.
    await eventually(async () => (await stepStatus(id, 'notify')) === 'running', 60_000);
    expect(await chargesByKeyPrefix(pool, `order-charge-${id}`)).toHaveLength(1);
    await crash(first);
    worker();
    await completed(id);
    const charges = await chargesByKeyPrefix(pool, `order-charge-${id}`);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ status: 'succeeded', amountRefundedMinor: 0 });
  });

  it('the Temporal server killed and restarted: running and new orders complete', async () => {
    worker(['submissions', 'billing', 'invoice-processing', 'callbacks']);
    const id = await submitOrder();
    await eventually(async () => (await stepStatus(id, 'notify')) === 'running', 60_000);
    await temporal.kill();
    await temporal.start();
    worker(['notifications']);
    await completed(id);
    const next = await submitOrder();
    await completed(next);
    expect(await chargesByKeyPrefix(pool, `order-charge-${id}`)).toHaveLength(1);
  });

  it('the database cut off from the workers: activities retry and the order completes once it is back', async () => {
    const url = new URL(databaseUrl);
    const proxy = await cuttableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    try {
      proxy.cut();
      const viaProxy = new URL(databaseUrl);
      viaProxy.port = String(proxy.port);
      viaProxy.hostname = '127.0.0.1';
      worker(undefined, viaProxy.toString());
      const id = await submitOrder();
      // The first bookkeeping step (a local activity of the workflow's worker) fails for want of a database and is
      // retried: each retry knocks on the cut proxy again.
      await eventually(async () => proxy.refused() >= 3, 90_000, 500);
      expect((await pool.query('SELECT status FROM submissions WHERE id = $1', [id])).rows[0]?.status).toBe('received');
      proxy.restore();
      await completed(id);
      expect(await chargesByKeyPrefix(pool, `order-charge-${id}`)).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
