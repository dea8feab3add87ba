/** NDJSON batches as editors and scripts write them: each line is read as the JSON it holds, and nothing else. */
import { describe, expect, it } from 'vitest';
import { apiWithPartnerPerSuite, sampleOrder } from '../support/fixtures';
import { jsonInvoice } from './invoice-fixtures';

describe('hostile batches', () => {
  const suite = apiWithPartnerPerSuite();

  const postBatch = (body: string | Buffer, headers: Record<string, string> = {}) =>
    suite.app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers: { ...suite.auth, 'content-type': 'application/x-ndjson', ...headers },
      payload: body,
    });
  const line = (body: unknown) => JSON.stringify({ type: 'order', body });

  it('reads a batch saved with a byte order mark (UTF-8 with BOM) from its first line on', async () => {
    const res = await postBatch(`\uFEFF${line(sampleOrder())}\r\n${line(sampleOrder())}`);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ lineCount: 2, accepted: 2, rejected: 0 });
  });

  it('answers an Idempotency-Key reused with another batch 422 with a problem document, not a 500', async () => {
    const key = { 'idempotency-key': `batch-${Math.random().toString(36).slice(2)}` };
    const body = `${line(sampleOrder())}\n`;
    const first = await postBatch(body, key);
    expect(first.statusCode).toBe(202);
    const other = await postBatch(`${line(sampleOrder())}\n`, key);
    expect([other.statusCode, other.headers['content-type']]).toEqual([422, expect.stringMatching(/problem\+json/)]);
    expect(other.json()).toMatchObject({ status: 422, type: expect.stringContaining('idempotency-key-reused') });
    // The first body still gets its first answer.
    const again = await postBatch(body, key);
    expect([again.statusCode, again.json().id]).toEqual([202, first.json().id]);
  });

  it('answers the repeat of an answered Idempotency-Key without reading its lines again', async () => {
    const key = { 'idempotency-key': `batch-${Math.random().toString(36).slice(2)}` };
    const body = `${line(sampleOrder())}\n`;
    const first = await postBatch(body, key);
    expect(first.statusCode).toBe(202);
    // Another body under that key costs one token whatever its size: 20,000 invoices (8.5 MiB) were each read and
    // checked, two seconds of the API's time, before the key's answer was looked at.
    const heavy = `${Array.from({ length: 20_000 }, () => JSON.stringify({ type: 'invoice', body: jsonInvoice() })).join('\n')}\n`;
    const started = performance.now();
    const other = await postBatch(heavy, key);
    const ms = performance.now() - started;
    expect([other.statusCode, other.json().type]).toEqual([422, expect.stringContaining('idempotency-key-reused')]);
    expect(ms).toBeLessThan(600);
    // A body of blank lines is that other body too, not an empty batch.
    expect((await postBatch('\n\n', key)).json()).toMatchObject({
      status: 422,
      type: expect.stringContaining('reused'),
    });
    const again = await postBatch(body, key);
    expect([again.statusCode, again.json().id, again.headers.location]).toEqual([
      202,
      first.json().id,
      first.headers.location,
    ]);
  });

  it('lists at most 20 errors per rejected line, in the answer and in the stored batch, and counts the rest', async () => {
    // One line id for 500 invoice lines: 499 repeats, each an error of its own.
    const invoice = jsonInvoice();
    const lines = Array.from({ length: 500 }, () => ({ ...invoice.lines[0]!, id: '1' }));
    const repeated = JSON.stringify({ type: 'invoice', body: { ...invoice, lines } });
    const res = await postBatch(`${repeated}\n${line(sampleOrder())}\n`);
    expect(res.statusCode).toBe(202);
    const rejected = res.json().lines[0];
    expect(rejected.errors).toHaveLength(20);
    expect(rejected.errorsOmitted).toBeGreaterThan(470);
    expect(res.payload.length).toBeLessThan(10_000);
    const stored = await suite.app.inject({ url: `/v1/batches/${res.json().id}`, headers: suite.auth });
    expect(stored.json().rejectedLines[0]).toMatchObject({
      errors: rejected.errors,
      errorsOmitted: rejected.errorsOmitted,
    });
  });
});
