/** One log line per request, with the submission it touched (JSON logs follow a request into Temporal). */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { build } from '../../api/app';
import { newPartner } from '../support/fixtures';
import { testConfig } from '../support/config';
import { jsonLine } from '../../adapters/temporal/sdk-logger';

describe('request log', () => {
  const lines: Record<string, unknown>[] = [];
  let app: FastifyInstance;
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    app = await build({ config: testConfig(), logger: { level: 'info', stream } });
  });
  afterAll(() => app?.close());

  it('writes one line per request: method, route, status, time, and the submission id', async () => {
    const partner = await newPartner(app.pool);
    const id = 'sub_06h0000000000000000000000a';
    lines.length = 0;
    const res = await app.inject({ url: `/v1/submissions/${id}`, headers: partner.auth });
    expect(res.statusCode).toBe(404);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: expect.stringMatching(/^GET \/v1\/submissions\/:id 404 \d+ms$/),
      method: 'GET',
      route: '/v1/submissions/:id',
      statusCode: 404,
      partnerId: partner.partnerId,
      submissionId: id,
    });
    lines.length = 0;
    await app.inject({ url: '/healthz' });
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/^GET \/healthz 200 \d+ms$/)]);
  });
});

describe('worker JSON log', () => {
  it('carries the workflow id and the submission id of the run', () => {
    const line = JSON.parse(
      jsonLine({
        level: 'WARN',
        message: 'Activity failed',
        timestampNanos: 1_795_000_000_000_000_000n,
        meta: {
          workflowId: 'order-sub_06h0000000000000000000000a',
          activityType: 'chargePayment',
          error: new Error('x'),
        },
      }),
    );
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'Activity failed',
      workflowId: 'order-sub_06h0000000000000000000000a',
      submissionId: 'sub_06h0000000000000000000000a',
      error: { message: 'x' },
    });
  });
});
