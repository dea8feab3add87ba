/**
 * The approval gate's rolling daily sum (the duplicate-check activity) when invoices are stored out of the order they
 * arrived in: a batch's transaction that began first and committed last must not leave both its invoice and an
 * invoice sent meanwhile below the partner's daily limit.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createInvoiceIntakeActivities } from '../../activities/invoice-intake';
import { invoiceExample } from '../../api/schemas/examples';
import { submissionWorkflowId } from '../../contracts';
import { newId } from '../../db/ids';
import { createPool, type Queryable } from '../../db/pool';
import { insertSubmission } from '../../db/submissions';
import { testConfig } from '../support/config';
import { newPartner } from '../support/fixtures';

let pool: pg.Pool;
beforeAll(() => {
  pool = createPool(testConfig().databaseUrl, 4);
});
afterAll(async () => {
  await pool.end();
});

/** Stores an invoice of 1,200.00 EUR (below the threshold; two of them exceed a daily limit of 2,000.00). */
async function storeInvoice(db: Queryable, partnerId: string, invoiceNumber: string): Promise<string> {
  const id = newId('sub');
  await insertSubmission(db, {
    id,
    partnerId,
    type: 'invoice',
    workflowId: submissionWorkflowId('invoice', id),
    externalRef: invoiceNumber,
    payload: { ...invoiceExample, invoiceNumber, payableMinor: 120_000 },
  });
  return id;
}

describe('the daily sum of the approval gate', () => {
  // The embedded database serves one transaction at a time: the open batch would hold back the invoice sent meanwhile.
  it.skipIf(inject('embeddedDatabase'))(
    'counts an invoice that arrived first but was stored last against the invoice sent meanwhile',
    async () => {
      const { partnerId } = await newPartner(pool);
      await pool.query('UPDATE partners SET approval_daily_limit_minor = 200000 WHERE id = $1', [partnerId]);
      const { checkDuplicateInvoice } = createInvoiceIntakeActivities({ pool });

      // X arrives in a transaction that stays open (a batch of many lines); Y arrives after it and commits at once.
      const batch = await pool.connect();
      let x: string;
      try {
        await batch.query('BEGIN');
        x = await storeInvoice(batch, partnerId, 'INV-X');
        await new Promise((resolve) => setTimeout(resolve, 20));
        const y = await storeInvoice(pool, partnerId, 'INV-Y');
        // Y's check runs before X is visible.
        const yCheck = await checkDuplicateInvoice({ submissionId: y, partnerId });
        expect(yCheck).toMatchObject({ overDailyLimit: false, dailySumMinor: 120_000 });
        await batch.query('COMMIT');

        // X's check runs second: together they exceed the limit, so X needs approval.
        const xCheck = await checkDuplicateInvoice({ submissionId: x, partnerId });
        expect(xCheck).toMatchObject({ overDailyLimit: true, dailySumMinor: 240_000, dailyLimitMinor: 200_000 });

        // A retried check answers as its first attempt did, whichever of the two it is.
        expect(await checkDuplicateInvoice({ submissionId: x, partnerId })).toEqual(xCheck);
        expect(await checkDuplicateInvoice({ submissionId: y, partnerId })).toEqual(yCheck);
      } finally {
        batch.release();
      }
    },
  );

  it('does not count an invoice that failed or was cancelled', async () => {
    const { partnerId } = await newPartner(pool);
    await pool.query('UPDATE partners SET approval_daily_limit_minor = 200000 WHERE id = $1', [partnerId]);
    const { checkDuplicateInvoice } = createInvoiceIntakeActivities({ pool });
    const first = await storeInvoice(pool, partnerId, 'INV-1');
    await checkDuplicateInvoice({ submissionId: first, partnerId });
    await pool.query(`UPDATE submissions SET status = 'failed' WHERE id = $1`, [first]);
    const second = await storeInvoice(pool, partnerId, 'INV-2');
    expect(await checkDuplicateInvoice({ submissionId: second, partnerId })).toMatchObject({
      overDailyLimit: false,
      dailySumMinor: 120_000,
    });
  });

  it('orders two checks that read the same clock, or a clock set back between them', async () => {
    // The embedded database's clock ticks in milliseconds, so two checks of a partner can read the same instant, and
    // a server's clock can be set back: either way the invoice checked second must still count the first.
    const { partnerId } = await newPartner(pool);
    await pool.query('UPDATE partners SET approval_daily_limit_minor = 200000 WHERE id = $1', [partnerId]);
    const { checkDuplicateInvoice } = createInvoiceIntakeActivities({ pool });
    const x = await storeInvoice(pool, partnerId, 'INV-X');
    const y = await storeInvoice(pool, partnerId, 'INV-Y');
    expect(await checkDuplicateInvoice({ submissionId: y, partnerId })).toMatchObject({ overDailyLimit: false });
    // Y's check read a clock a second ahead of the one X's check reads.
    await pool.query(`UPDATE submissions SET daily_checked_at = daily_checked_at + interval '1 second' WHERE id = $1`, [
      y,
    ]);
    expect(await checkDuplicateInvoice({ submissionId: x, partnerId })).toMatchObject({
      overDailyLimit: true,
      dailySumMinor: 240_000,
    });
  });
});
