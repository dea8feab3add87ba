/**
 * While Temporal cannot be reached, the API still answers: a submission's status comes from what PostgreSQL stored, and
 * a request that needs the engine (an approval decision) is a 503 problem with Retry-After, not a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { lazyClient } from '../../adapters/temporal/connection';
import { build } from '../../api/app';
import { submissionWorkflowId } from '../../contracts';
import { newId } from '../../db/ids';
import { createPool } from '../../db/pool';
import { insertSubmission } from '../../db/submissions';
import { freePort } from '../../scripts/stack/cluster';
import { newPartner } from '../support/fixtures';
import { testConfig } from '../support/config';

const ADMIN_TOKEN = 'admin-token-for-outage-tests';

describe('Temporal out of reach', () => {
  let app: FastifyInstance;
  let pool: pg.Pool;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // Nothing listens on this port: every call to Temporal fails to connect.
    const config = testConfig({ ADMIN_TOKEN, TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    pool = createPool(config.databaseUrl, 4);
    const temporal = lazyClient(config);
    app = await build({ config, pool, temporal });
    close = async () => {
      await app.close();
      await temporal.connection.close();
      await pool.end();
    };
  });
  afterAll(async () => close());

  async function stored(type: 'order' | 'invoice', partnerId: string): Promise<string> {
    const id = newId('sub');
    await insertSubmission(pool, {
      id,
      partnerId,
      type,
      workflowId: submissionWorkflowId(type, id),
      externalRef: `REF-${id}`,
      payload: {},
    });
    return id;
  }

  it('answers a status from the stored submission', async () => {
    const partner = await newPartner(pool);
    const id = await stored('order', partner.partnerId);
    const res = await app.inject({ url: `/v1/submissions/${id}`, headers: partner.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, type: 'order', status: 'received' });
  });

  it('answers a decision that needs the engine with 503 and Retry-After', async () => {
    const partner = await newPartner(pool);
    const id = await stored('invoice', partner.partnerId);
    const res = await app.inject({
      method: 'POST',
      url: `/v1/admin/submissions/${id}/decision`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: { decision: 'approve', approver: 'ops@example.com' },
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^[0-9]+$/);
    expect(res.json()).toMatchObject({ status: 503, type: expect.stringContaining('temporal-unavailable') });
  });
});
