/**
 * NDJSON batches through real HTTP: a 10,000-line batch is accepted in one request, every line becomes a
 * submission and a started workflow (no workers run, so the test stays fast), bad lines are reported without
 * sinking good ones, and workflows receive ids only (claim check).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataConverterFor } from '../../adapters/temporal/connection';
import { submissionWorkflowId } from '../../contracts';
import { newId } from '../../db/ids';
import { insertSubmission } from '../../db/submissions';
import { startPendingWorkflows } from '../../services/workflow-starter';
import { newPartner, sampleOrder } from '../support/fixtures';
import { eventually, startStack, type TestStack } from '../support/stack';
import { http } from './http';
import { jsonInvoice } from './invoice-fixtures';

const ndjson = (docs: unknown[]) => docs.map((d) => (typeof d === 'string' ? d : JSON.stringify(d))).join('\n') + '\n';

describe('batches', () => {
  let stack: TestStack;
  let base: string;
  beforeAll(async () => {
    // Every batch line costs the partner one token of its rate limit: the 10,000-line batch needs a limit that
    // admits it, or the partner is rightly refused (429) until the bucket refills, status reads included.
    stack = await startStack({ env: { INTAKE_START_CONCURRENCY: '32', RATE_LIMIT_MAX: '100000' } });
    base = await stack.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => stack?.close());

  const post = (auth: Record<string, string>, body: string) =>
    http(base, '/v1/batches', { headers: auth, body, contentType: 'application/x-ndjson' });

  it('reports every bad line by number and accepts the good ones', async () => {
    const partner = await newPartner(stack.pool);
    const taken = jsonInvoice();
    expect((await http(base, '/v1/invoices', { headers: partner.auth, body: taken })).status).toBe(202);
    const twice = jsonInvoice();
    const body = ndjson([
      { type: 'order', body: sampleOrder() },
      '{"type": "order", "body": ',
      { type: 'refund', body: {} },
      { type: 'order', body: { ...sampleOrder(), currency: 'euro' } },
      { type: 'invoice', body: twice },
      { type: 'invoice', body: twice },
      { type: 'invoice', body: taken },
      { type: 'invoice', body: jsonInvoice({ payableMinor: 1 }) },
      { type: 'invoice', body: jsonInvoice() },
    ]);
    const res = await post(partner.auth, body);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ lineCount: 9, accepted: 3, rejected: 6 });
    expect(res.headers.get('location')).toBe(`/v1/batches/${res.json.id}`);
    const byLine = Object.fromEntries(res.json.lines.map((l: { line: number }) => [l.line, l]));
    expect(byLine[1]).toMatchObject({ status: 'accepted', type: 'order', id: expect.stringMatching(/^sub_/) });
    expect(byLine[2].errors[0].message).toMatch(/not valid JSON/);
    expect(byLine[3].errors[0]).toMatchObject({ pointer: '/type' });
    expect(byLine[4].errors[0]).toMatchObject({ pointer: '/body/currency' });
    expect(byLine[5]).toMatchObject({ status: 'accepted', type: 'invoice' });
    expect(byLine[6].errors[0].message).toMatch(/already on line 5/);
    expect(byLine[7]).toMatchObject({ status: 'rejected', submissionId: expect.stringMatching(/^sub_/) });
    expect(byLine[8].errors[0]).toMatchObject({ pointer: '/body/payableMinor' });
    expect(byLine[9]).toMatchObject({ status: 'accepted' });

    const status = await eventually(async () => {
      const s = await http(base, `/v1/batches/${res.json.id}`, { headers: partner.auth });
      return s.json.notYetStarted === 0 ? s : undefined;
    });
    expect(status.json).toMatchObject({
      lineCount: 9,
      accepted: 3,
      rejected: 6,
      counts: { received: 3, completed: 0 },
    });
    expect(status.json.rejectedLines.map((l: { line: number }) => l.line)).toEqual([2, 3, 4, 6, 7, 8]);
  });

  it('refuses a batch with no good line with 422, and an empty one with 400', async () => {
    const partner = await newPartner(stack.pool);
    const none = await post(partner.auth, ndjson(['nope', { type: 'order', body: {} }]));
    expect(none.status).toBe(422);
    expect(none.json.lines).toHaveLength(2);
    // Nothing accepted, nothing kept.
    const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM batches WHERE partner_id = $1', [
      partner.partnerId,
    ]);
    expect(rows[0].n).toBe(0);
    expect((await post(partner.auth, '\n\n')).status).toBe(400);
  });

  it('accepts 10,000 lines in one request; every line becomes a submission with a started workflow that carries ids only', async () => {
    const partner = await newPartner(stack.pool);
    const docs = Array.from({ length: 10_000 }, (_, i) =>
      i % 10 === 9
        ? { type: 'invoice', body: jsonInvoice() }
        : { type: 'order', body: sampleOrder({ orderNumber: `BULK-${i}` }) },
    );
    const body = ndjson(docs);
    const res = await post(partner.auth, body);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ lineCount: 10_000, accepted: 10_000, rejected: 0 });
    expect(res.json.lines).toHaveLength(10_000);

    const { rows } = await stack.pool.query<{ n: number; lines: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT batch_line)::int AS lines FROM submissions WHERE batch_id = $1 AND partner_id = $2',
      [res.json.id, partner.partnerId],
    );
    expect(rows[0]).toEqual({ n: 10_000, lines: 10_000 });

    // Workflows are started in the background, every one of them.
    await eventually(
      async () => (await http(base, `/v1/batches/${res.json.id}`, { headers: partner.auth })).json.notYetStarted === 0,
      180_000,
      1_000,
    );
    await eventually(
      async () => (await stack.env.client.workflow.count(`PartnerId = '${partner.partnerId}'`)).count === 10_000,
      60_000,
      1_000,
    );

    // Claim check: the workflow input is the submission's ids, never the payload.
    const last = res.json.lines[9_999];
    const handle = stack.env.client.workflow.getHandle(submissionWorkflowId(last.type, last.id));
    const history = await handle.fetchHistory();
    const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const size = payloads.reduce((n, p) => n + (p.data?.length ?? 0), 0);
    expect(size).toBeLessThan(512);
    // Stored encrypted: decoded with the key every client and worker of the test uses.
    const [input] = await dataConverterFor(stack.config).payloadCodecs![0]!.decode(payloads);
    expect(Buffer.from(input!.data!).toString()).toContain(last.id);
    // 10,000 workflow starts take a minute or two on 2 cores; the waits above bound it, not the default test timeout.
  }, 300_000);

  it('does not show a batch to another partner', async () => {
    const owner = await newPartner(stack.pool);
    const stranger = await newPartner(stack.pool);
    const { json } = await post(owner.auth, ndjson([{ type: 'order', body: sampleOrder() }]));
    expect((await http(base, `/v1/batches/${json.id}`, { headers: owner.auth })).status).toBe(200);
    expect((await http(base, `/v1/batches/${json.id}`, { headers: stranger.auth })).status).toBe(404);
  });

  it('starts the workflow of a submission that was stored but never started (the sweeper)', async () => {
    // As if the API had crashed (or Temporal been down) between storing and starting.
    const partner = await newPartner(stack.pool);
    const id = newId('sub');
    await insertSubmission(stack.pool, {
      id,
      partnerId: partner.partnerId,
      type: 'order',
      workflowId: submissionWorkflowId('order', id),
      externalRef: 'PO-LOST',
      payload: sampleOrder(),
    });
    const status = await http(base, `/v1/submissions/${id}`, { headers: partner.auth });
    expect(status.json.status).toBe('received');

    const started = await startPendingWorkflows(
      { pool: stack.pool, temporal: stack.env.client, config: stack.config },
      { partnerId: partner.partnerId, olderThanMs: 0, concurrency: 4 },
    );
    expect(started).toBe(1);
    const description = await stack.env.client.workflow.getHandle(submissionWorkflowId('order', id)).describe();
    expect(description.status.name).toBe('RUNNING');
    const { rows } = await stack.pool.query(
      'SELECT workflow_started_at IS NOT NULL AS started FROM submissions WHERE id = $1',
      [id],
    );
    expect(rows[0].started).toBe(true);
    // A second sweep finds nothing to do.
    expect(
      await startPendingWorkflows(
        { pool: stack.pool, temporal: stack.env.client, config: stack.config },
        { partnerId: partner.partnerId, olderThanMs: 0, concurrency: 4 },
      ),
    ).toBe(0);
  });
});
