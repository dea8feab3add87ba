/** The intake's INSERTs in batches: rows that wait share a statement, and each row gets the answer of its own INSERT. */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { submissionWorkflowId, type SubmissionType } from '../../contracts';
import { newId } from '../../db/ids';
import { createPool, isUniqueViolation } from '../../db/pool';
import type { NewSubmissionRow } from '../../db/submission-intake';
import { createSubmissionInserts } from '../../services/submission-inserts';
import { newPartner, sampleOrder } from '../support/fixtures';

describe('submission inserts', () => {
  const pool = createPool(inject('databaseUrl'), 4);
  afterAll(() => pool.end());

  function row(partnerId: string, type: SubmissionType = 'order', externalRef?: string): NewSubmissionRow {
    const id = newId('sub');
    const order = sampleOrder();
    return {
      id,
      partnerId,
      type,
      workflowId: submissionWorkflowId(type, id),
      externalRef: externalRef ?? order.orderNumber,
      payload: order,
    };
  }

  /** A pool that counts the statements it is given. */
  function counting(): { db: typeof pool; statements: () => number } {
    let statements = 0;
    const db = { query: (...args: Parameters<typeof pool.query>) => (statements++, pool.query(...args)) };
    return { db: db as unknown as typeof pool, statements: () => statements };
  }

  const storedIds = async (partnerId: string): Promise<string[]> =>
    (await pool.query<{ id: string }>('SELECT id FROM submissions WHERE partner_id = $1', [partnerId])).rows
      .map((r) => r.id)
      .sort();

  it('sends the first row at once and the rows that arrive meanwhile in one statement', async () => {
    const { partnerId } = await newPartner(pool);
    const { db, statements } = counting();
    const inserts = createSubmissionInserts(db);
    const rows = Array.from({ length: 6 }, () => row(partnerId));
    await Promise.all(rows.map((r) => inserts.insert(r)));
    expect(statements()).toBe(2);
    expect(await storedIds(partnerId)).toEqual(rows.map((r) => r.id).sort());
    const { rows: stored } = await pool.query<{ payload: unknown; external_ref: string }>(
      'SELECT payload, external_ref FROM submissions WHERE id = $1',
      [rows[3]!.id],
    );
    expect(stored[0]).toEqual({ payload: rows[3]!.payload, external_ref: rows[3]!.externalRef });
  });

  it('refuses a repeated invoice number in a batch as its own INSERT would, and stores the rest', async () => {
    const { partnerId } = await newPartner(pool);
    const inserts = createSubmissionInserts(pool);
    const first = row(partnerId);
    const invoice = row(partnerId, 'invoice', 'INV-1');
    const again = row(partnerId, 'invoice', 'INV-1');
    const other = row(partnerId);
    const results = await Promise.allSettled([first, invoice, again, other].map((r) => inserts.insert(r)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const refused = results[2] as PromiseRejectedResult;
    expect(isUniqueViolation(refused.reason, 'submissions_invoice_number')).toBe(true);
    expect(await storedIds(partnerId)).toEqual([first.id, invoice.id, other.id].sort());
  });

  it('fails only the row that breaks the statement', async () => {
    const { partnerId } = await newPartner(pool);
    const inserts = createSubmissionInserts(pool);
    const rows = [row(partnerId), row(partnerId), row('prt_nobody'), row(partnerId)];
    const results = await Promise.allSettled(rows.map((r) => inserts.insert(r)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/foreign key/);
    expect(await storedIds(partnerId)).toEqual([rows[0]!.id, rows[1]!.id, rows[3]!.id].sort());
  });

  it('keeps large documents out of a batch beyond its size cap', async () => {
    const { partnerId } = await newPartner(pool);
    const { db, statements } = counting();
    const size = JSON.stringify(row(partnerId).payload).length;
    const inserts = createSubmissionInserts(db, { maxBatchSize: 2 * size + 10 });
    const rows = Array.from({ length: 5 }, () => row(partnerId));
    await Promise.all(rows.map((r) => inserts.insert(r)));
    // The first alone, then 2 + 2 of the four that waited: a third would pass the cap.
    expect(statements()).toBe(3);
    expect(await storedIds(partnerId)).toHaveLength(5);
  });

  it('caps the rows of one statement', async () => {
    const { partnerId } = await newPartner(pool);
    const { db, statements } = counting();
    const inserts = createSubmissionInserts(db, { maxBatch: 2 });
    const rows = Array.from({ length: 5 }, () => row(partnerId));
    await Promise.all(rows.map((r) => inserts.insert(r)));
    // The first alone, then 2 + 2 of the four that waited.
    expect(statements()).toBe(3);
    expect(await storedIds(partnerId)).toHaveLength(5);
  });
});
