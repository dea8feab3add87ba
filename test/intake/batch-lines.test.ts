/** Reading NDJSON batches line by line: numbering, envelopes, per-line errors. */
import { describe, expect, it } from 'vitest';
import { batchReadLineCount, readBatch } from '../../domain/batch-lines';
import { decodeCursor, encodeCursor } from '../../api/schemas/submission-list';
import { jsonInvoice } from '../api/invoice-fixtures';
import { sampleOrder } from '../support/fixtures';

describe('readBatch', () => {
  it('numbers lines as in the file, skipping blank ones, and keeps good lines next to bad ones', () => {
    const text = [
      JSON.stringify({ type: 'order', body: sampleOrder() }),
      '',
      '[1]',
      JSON.stringify({ type: 'order', body: sampleOrder(), extra: 1 }),
    ].join('\n');
    const { good, bad, lineCount } = readBatch(`${text}\n`);
    expect(lineCount).toBe(4);
    expect(good.map((g) => g.line)).toEqual([1]);
    expect(bad).toEqual([
      { line: 3, errors: [{ pointer: '/type', message: 'must be "order" or "invoice"' }] },
      { line: 4, errors: [{ pointer: '/extra', message: 'is not allowed' }] },
    ]);
  });

  it('refuses credit notes, which reverse bookings and come one at a time', () => {
    const note = { ...jsonInvoice(), documentType: 'credit_note' };
    const { good, bad } = readBatch(JSON.stringify({ type: 'invoice', body: note }));
    expect(good).toEqual([]);
    expect(bad).toEqual([{ line: 1, errors: [expect.objectContaining({ pointer: '/body/documentType' })] }]);
  });

  it('refuses an order or invoice line the workflow would refuse: a SKU twice, a made-up currency', () => {
    const twice = sampleOrder({
      lines: [
        { sku: 'A', description: 'a', quantity: 1, unitPriceMinor: 100 },
        { sku: 'A', description: 'a', quantity: 1, unitPriceMinor: 100 },
      ],
    });
    const text = [
      JSON.stringify({ type: 'order', body: twice }),
      JSON.stringify({ type: 'invoice', body: { ...jsonInvoice(), currency: 'QQA' } }),
      JSON.stringify({ type: 'order', body: sampleOrder() }),
    ].join('\n');
    const { good, bad } = readBatch(text);
    expect(good.map((g) => g.line)).toEqual([3]);
    expect(bad).toEqual([
      { line: 1, errors: [{ pointer: '/body/lines/1/sku', message: 'A appears twice' }] },
      { line: 2, errors: [expect.objectContaining({ pointer: '/body/currency' })] },
    ]);
  });

  it('refuses embedded documents in a batch line (only POST /v1/invoices stores them apart) and service-owned fields', () => {
    const embedded = { ...jsonInvoice(), attachments: [{ id: 'A', contentBase64: '!!!not base64 at all!!!' }] };
    const claimed = { ...jsonInvoice(), attachments: [{ id: 'B', contentId: 'att_somebody_elses', sizeBytes: 5 }] };
    const { good, bad } = readBatch(
      [embedded, claimed].map((body) => JSON.stringify({ type: 'invoice', body })).join('\n'),
    );
    expect(good).toEqual([]);
    expect(bad).toEqual([
      { line: 1, errors: [expect.objectContaining({ pointer: '/body/attachments/0/contentBase64' })] },
      {
        line: 2,
        errors: [
          { pointer: '/body/attachments/0/contentId', message: 'is set by the service' },
          { pointer: '/body/attachments/0/sizeBytes', message: 'is set by the service' },
        ],
      },
    ]);
  });

  it('accepts CRLF line endings', () => {
    const line = JSON.stringify({ type: 'order', body: sampleOrder() });
    expect(readBatch(`${line}\r\n${line}\r\n`).good).toHaveLength(2);
  });
});

describe('batchReadLineCount', () => {
  it('counts the lines readBatch reads, not the blank ones it skips', () => {
    const line = JSON.stringify({ type: 'order', body: sampleOrder() });
    for (const text of [
      '',
      '\n\n\n',
      ` \t\r\n\u00a0\n\u2028\n\ufeff\n${line}`,
      `${line}\r\n\r\n{}\n x \n`,
      `\n\n${line}\n\n[1]`,
    ]) {
      const { good, bad } = readBatch(text);
      expect(batchReadLineCount(text)).toBe(good.length + bad.length);
    }
  });

  it('takes one pass however the blank lines are spread', () => {
    const text = `${'\n'.repeat(19_998)}x\n${' '.repeat(5_000_000)}y`;
    const started = performance.now();
    expect(batchReadLineCount(text)).toBe(2);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('three-decimal quantities', () => {
  it('accepts every quantity with up to three decimals (no floating-point multipleOf surprises)', () => {
    const lines = [43, 51, 1_005, 2_675, 999_999].map((thousandths) => {
      const quantity = thousandths / 1000;
      const lineTotalMinor = Math.floor((thousandths * 1000 + 500) / 1000);
      const tax = Math.floor((lineTotalMinor * 2000 + 5000) / 10_000);
      return JSON.stringify({
        type: 'invoice',
        body: {
          invoiceNumber: `Q-${thousandths}`,
          issueDate: '2026-11-02',
          currency: 'EUR',
          supplier: { name: 'S' },
          customer: { name: 'C' },
          lines: [
            { id: '1', description: 'x', quantity, unitPriceMinor: 1000, lineTotalMinor, taxRateBasisPoints: 2000 },
          ],
          taxExclusiveMinor: lineTotalMinor,
          taxTotalMinor: tax,
          payableMinor: lineTotalMinor + tax,
        },
      });
    });
    const { good, bad } = readBatch(lines.join('\n'));
    expect(bad).toEqual([]);
    expect(good).toHaveLength(5);
  });
});

describe('list cursors', () => {
  it('round-trip and refuse anything else', () => {
    const id = 'sub_06gzs9x4kb9w42m3qh79fr91w4';
    expect(decodeCursor(encodeCursor(id))).toBe(id);
    expect(decodeCursor('bm9wZQ')).toBeUndefined();
    expect(decodeCursor(Buffer.from(JSON.stringify({ after: "x' OR 1=1" })).toString('base64url'))).toBeUndefined();
  });
});

describe('batch lines PostgreSQL could not store', () => {
  it('reports a line of non-JSON text with a storable message (the parser quotes half a surrogate pair)', () => {
    const { bad } = readBatch('\u{3ff75}\u{2e0c8}\n');
    expect(bad).toHaveLength(1);
    const message = bad[0]!.errors[0]!.message;
    expect((message as string & { isWellFormed(): boolean }).isWellFormed()).toBe(true);
  });
});
