/** NDJSON batches as editors and scripts write them: each line is read as the JSON it holds, and nothing else. */
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiWithoutTemporal, newPartner, sampleOrder } from '../support/fixtures';

describe('hostile batches', () => {
  let api: Awaited<ReturnType<typeof apiWithoutTemporal>>;
  let pool: pg.Pool;
  let app: FastifyInstance;
  let auth: { authorization: string };
  beforeAll(async () => {
    api = await apiWithoutTemporal();
    ({ pool, app } = api);
    auth = (await newPartner(pool)).auth;
  });
  afterAll(async () => {
    await api?.close();
  });

  const postBatch = (body: string | Buffer) =>
    app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      payload: body,
    });
  const line = (body: unknown) => JSON.stringify({ type: 'order', body });

  it('reads a batch saved with a byte order mark (UTF-8 with BOM) from its first line on', async () => {
    const res = await postBatch(`\uFEFF${line(sampleOrder())}\r\n${line(sampleOrder())}`);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ lineCount: 2, accepted: 2, rejected: 0 });
  });
});
