/**
 * `POST /v1/webhook-endpoints/{id}/redeliver-failed` at volume: one request starts at most `limit` delivery runs,
 * pays a token for each, and says whether more failed deliveries remain (the next request takes them).
 */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../api/app';
import { newId } from '../../db/ids';
import { createPool } from '../../db/pool';
import { insertEndpoint } from '../../db/webhook-endpoints';
import { testConfig } from '../support/config';
import { newPartner } from '../support/fixtures';

let pool: pg.Pool;
let app: Awaited<ReturnType<typeof build>>;
let starts = 0;
/** Deliveries whose run Temporal still holds (a run given up but not yet closed): starting one again is refused. */
const running = new Set<string>();

beforeAll(async () => {
  const config = testConfig({ RATE_LIMIT_MAX: '300' });
  pool = createPool(config.databaseUrl, 4);
  // Counts the delivery runs started; the runs themselves are not what this test is about.
  const temporal = {
    workflow: {
      start: async (_type: string, { args }: { args: [{ deliveryId: string }] }) => {
        const { deliveryId } = args[0];
        if (running.has(deliveryId))
          throw new WorkflowExecutionAlreadyStartedError('already running', deliveryId, 'webhookDeliveryWorkflow');
        starts++;
      },
    },
  } as unknown as Client;
  app = await build({ config, pool, temporal });
});
afterAll(async () => {
  await app.close();
  await pool.end();
});

/** A partner with an endpoint and `count` deliveries to it that were given up (exhausted), oldest first. */
async function failedDeliveries(count: number) {
  const partner = await newPartner(pool);
  const endpoint = await insertEndpoint(pool, {
    id: newId('whe'),
    partnerId: partner.partnerId,
    url: 'https://hooks.example.test/in',
    eventTypes: ['submission.completed'],
    secret: 'whsec_test',
  });
  const ids = Array.from({ length: count }, () => newId('msg'));
  const eventIds = ids.map(() => newId('evt'));
  // A millisecond apart, so the order they are taken in is the order of `ids`.
  await pool.query(
    `WITH d AS (SELECT * FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS d(id, event_id, n)),
          e AS (INSERT INTO events (id, partner_id, type, data)
                SELECT event_id, $1, 'submission.completed', '{}' FROM d RETURNING id)
     INSERT INTO webhook_deliveries (id, partner_id, endpoint_id, event_id, event_type, payload, status, created_at)
     SELECT d.id, $1, $2, e.id, 'submission.completed', '{}', 'exhausted', now() + d.n * interval '1 millisecond'
       FROM d JOIN e ON e.id = d.event_id`,
    [partner.partnerId, endpoint.id, ids, eventIds],
  );
  return { auth: partner.auth, endpointId: endpoint.id, ids };
}

/** Asks for the endpoint's failed deliveries since the start of 2026 to be sent again; `query` adds parameters. */
function redeliverFailed(endpointId: string, auth: Record<string, string>, query = '') {
  return app.inject({
    method: 'POST',
    url: `/v1/webhook-endpoints/${endpointId}/redeliver-failed?since=2026-01-01T00:00:00Z${query}`,
    headers: auth,
  });
}

describe('redeliver-failed', () => {
  it('starts at most limit runs a request, a token each, and says when more remain', async () => {
    const { auth, endpointId } = await failedDeliveries(400);
    const redeliver = (query = '') => redeliverFailed(endpointId, auth, query);

    starts = 0;
    const first = await redeliver();
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ more: true, skipped: [] });
    expect(first.json<{ redelivered: string[] }>().redelivered).toHaveLength(100);
    expect(starts).toBe(100);

    const second = await redeliver('&limit=150');
    expect(second.json<{ redelivered: string[] }>().redelivered).toHaveLength(150);
    expect(second.json()).toMatchObject({ more: true });

    // 300 tokens a minute: 100 and 150 are spent, so a request for 100 more is refused before it starts any.
    const refused = await redeliver();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().detail).toContain('this request costs 100 tokens (one per delivery)');
    expect(starts).toBe(250);

    // What is left (less the tokens this process holds for single requests) takes a smaller one.
    const fewer = await redeliver('&limit=15');
    expect(fewer.statusCode).toBe(202);
    expect(fewer.json<{ redelivered: string[] }>().redelivered).toHaveLength(15);
    expect(fewer.json()).toMatchObject({ more: true });
    expect(starts).toBe(265);
  });

  it('says no more remain when the request took the last of them', async () => {
    const { auth, endpointId } = await failedDeliveries(5);
    const res = await redeliverFailed(endpointId, auth, '&limit=5');
    expect(res.statusCode).toBe(202);
    expect(res.json<{ redelivered: string[] }>().redelivered).toHaveLength(5);
    expect(res.json()).toMatchObject({ more: false, skipped: [] });
  });

  it('refuses a limit above 500', async () => {
    const { auth, endpointId } = await failedDeliveries(1);
    const res = await redeliverFailed(endpointId, auth, '&limit=501');
    expect(res.statusCode).toBe(400);
  });

  it('goes on past deliveries it had to skip: the next request starts after the last one taken', async () => {
    const { auth, endpointId, ids } = await failedDeliveries(5);
    // The two oldest cannot be started again yet.
    running.add(ids[0]!).add(ids[1]!);
    const redelivered: string[] = [];
    let after: string | undefined;
    for (let request = 0; request < 5; request++) {
      const res = await redeliverFailed(endpointId, auth, `&limit=2${after ? `&after=${after}` : ''}`);
      expect(res.statusCode).toBe(202);
      const body = res.json<{ redelivered: string[]; more: boolean; next?: string }>();
      redelivered.push(...body.redelivered);
      if (!body.more) break;
      after = body.next;
    }
    expect(redelivered).toEqual(ids.slice(2));
  });

  it('refuses to go on after a delivery of another endpoint', async () => {
    const { auth, endpointId } = await failedDeliveries(1);
    const res = await redeliverFailed(endpointId, auth, `&after=${newId('msg')}`);
    expect(res.statusCode).toBe(400);
  });
});
