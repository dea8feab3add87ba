/** NDJSON batches as editors and scripts write them: each line is read as the JSON it holds, and nothing else. */
import { describe, expect, it } from 'vitest';
import { apiWithPartnerPerSuite, sampleOrder } from '../support/fixtures';

describe('hostile batches', () => {
  const suite = apiWithPartnerPerSuite();

  const postBatch = (body: string | Buffer) =>
    suite.app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers: { ...suite.auth, 'content-type': 'application/x-ndjson' },
      payload: body,
    });
  const line = (body: unknown) => JSON.stringify({ type: 'order', body });

  it('reads a batch saved with a byte order mark (UTF-8 with BOM) from its first line on', async () => {
    const res = await postBatch(`\uFEFF${line(sampleOrder())}\r\n${line(sampleOrder())}`);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ lineCount: 2, accepted: 2, rejected: 0 });
  });
});
