/**
 * Issuing our invoice for a large order: heartbeats while the PDF renders, the PDF shows every line and the totals,
 * numbers stay gap-free per partner and year, a retried activity returns the invoice it already issued, and the
 * buyer (the partner's name and billing details) is kept with the invoice as it was when its number was taken.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createInvoiceActivities } from '../../activities/invoice-processing';
import { submissionWorkflowId } from '../../contracts';
import { findIssuedInvoice, getInvoiceDocument, insertNumberedInvoice } from '../../db/issued-invoices';
import { newId } from '../../db/ids';
import { insertOrderOnce } from '../../db/orders';
import { createPool } from '../../db/pool';
import { insertSubmission } from '../../db/submissions';
import { createPartner, updatePartnerBilling } from '../../services/partners';
import { newPartner } from '../support/fixtures';
import { pdfText } from '../workflows/support';

describe('issueOrderInvoice', () => {
  const pool = createPool(inject('databaseUrl'), 4);
  const activities = createInvoiceActivities({ pool, sellerName: 'Partner Workflows Ltd' });
  type Issued = Awaited<ReturnType<typeof activities.issueOrderInvoice>>;
  afterAll(async () => pool.end());

  /** One attempt at issuing an order's invoice, in an activity context of its own. */
  const issue = (submissionId: string, partnerId: string): Promise<Issued> =>
    new MockActivityEnvironment().run(activities.issueOrderInvoice, { submissionId, partnerId }) as Promise<Issued>;

  async function persistedOrder(partnerId: string, lineCount: number): Promise<string> {
    const id = newId('sub');
    const lines = Array.from({ length: lineCount }, (_, i) => ({
      sku: `SKU-${i + 1}`,
      description: `Item number ${i + 1}`,
      quantity: 1,
      unitPriceMinor: 100,
    }));
    await insertSubmission(pool, {
      id,
      partnerId,
      type: 'order',
      workflowId: submissionWorkflowId('order', id),
      payload: {},
    });
    const subtotal = lineCount * 100;
    await insertOrderOnce(pool, {
      submissionId: id,
      partnerId,
      orderNumber: `PO-${id}`,
      currency: 'EUR',
      customerName: 'Jane Buyer',
      customerEmail: 'jane@example.com',
      totals: { subtotalMinor: subtotal, taxMinor: subtotal / 5, totalMinor: subtotal * 1.2 },
      lines,
    });
    return id;
  }

  it('heartbeats while a 1000-line invoice renders, and the PDF shows every line and the totals', async () => {
    const { partnerId } = await newPartner(pool);
    const submissionId = await persistedOrder(partnerId, 1000);
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    // Heartbeats are sent by the event loop: count its turns to prove the render yields between slices.
    let turns = 0;
    const turnsAtBeats: number[] = [];
    const ticker = setInterval(() => turns++, 0);
    env.on('heartbeat', (d: unknown) => {
      beats.push(d);
      turnsAtBeats.push(turns);
    });
    const issued = (await env.run(activities.issueOrderInvoice, { submissionId, partnerId })) as Issued;
    clearInterval(ticker);
    expect(beats.length).toBeGreaterThanOrEqual(5);
    expect(beats.at(-1)).toMatchObject({ lines: expect.any(Number), page: expect.any(Number) });
    expect(new Set(turnsAtBeats).size).toBeGreaterThan(1);

    const doc = await getInvoiceDocument(pool, partnerId, submissionId);
    const text = await pdfText(doc!.document);
    expect(text).toContain('Item number 1 ');
    expect(text).toContain('Item number 1000');
    expect(text).toContain('1000.00 EUR'); // subtotal
    expect(text).toContain('1200.00 EUR'); // total
    expect(issued.totalMinor).toBe(120_000);

    // A retry (same submission) returns the same invoice without taking a number.
    expect(await env.run(activities.issueOrderInvoice, { submissionId, partnerId })).toEqual(issued);
  });

  it("keeps the buyer as it was when the number was taken, and the PDF shows the buyer's address and VAT id", async () => {
    const billing = {
      legalName: 'Acme Trading B.V.',
      vatId: 'NL123456789B01',
      address: { street: 'Keizersgracht 1', city: 'Amsterdam', postalCode: '1015 CJ', country: 'NL' },
      endpoint: { scheme: '0106', id: '12345678' },
    };
    const { partner } = await createPartner(pool, { name: 'Acme', billing });
    const submissionId = await persistedOrder(partner.id, 1);
    await issue(submissionId, partner.id);
    const buyer = {
      name: 'Acme Trading B.V.',
      vatId: billing.vatId,
      address: billing.address,
      endpoint: billing.endpoint,
    };
    expect((await findIssuedInvoice(pool, submissionId))?.buyer).toEqual(buyer);
    const text = await pdfText((await getInvoiceDocument(pool, partner.id, submissionId))!.document);
    expect(text).toContain('Buyer: Acme Trading B.V. for Jane Buyer');
    expect(text).toContain('Keizersgracht 1');
    expect(text).toContain('1015 CJ Amsterdam');
    expect(text).toContain('VAT ID: NL123456789B01');

    // New details and a new name: the issued invoice keeps its buyer; the partner's next invoice has the new one.
    expect(await updatePartnerBilling(pool, partner.id, { vatId: 'DE123456789' })).toBe(true);
    await pool.query(`UPDATE partners SET name = 'Acme Renamed' WHERE id = $1`, [partner.id]);
    expect((await findIssuedInvoice(pool, submissionId))?.buyer).toEqual(buyer);
    const next = await persistedOrder(partner.id, 1);
    await issue(next, partner.id);
    expect((await findIssuedInvoice(pool, next))?.buyer).toEqual({ name: 'Acme Renamed', vatId: 'DE123456789' });
    const nextText = await pdfText((await getInvoiceDocument(pool, partner.id, next))!.document);
    expect(nextText).toContain('Buyer: Acme Renamed for Jane Buyer');
    expect(nextText).toContain('VAT ID: DE123456789');
    expect(nextText).not.toContain('Keizersgracht');
  });

  it('names a partner without billing details by its name alone, on the invoice and its PDF', async () => {
    const { partnerId } = await newPartner(pool, { name: 'Plain Partner' });
    const submissionId = await persistedOrder(partnerId, 1);
    await issue(submissionId, partnerId);
    expect((await findIssuedInvoice(pool, submissionId))?.buyer).toEqual({ name: 'Plain Partner' });
    const text = await pdfText((await getInvoiceDocument(pool, partnerId, submissionId))!.document);
    expect(text).toContain('Buyer: Plain Partner for Jane Buyer <jane@example.com>');
    expect(text).not.toContain('VAT ID');
  });

  it('numbers invoices issued at the same time without gaps or duplicates', async () => {
    const { partnerId } = await newPartner(pool);
    const ids = await Promise.all([1, 2, 3, 4].map(() => persistedOrder(partnerId, 2)));
    const issued = await Promise.all(ids.map((submissionId) => issue(submissionId, partnerId)));
    const year = new Date().getUTCFullYear();
    expect(issued.map((i) => i.invoiceNumber).sort()).toEqual([1, 2, 3, 4].map((n) => `INV-${year}-00000${n}`));
  });

  it('gives two attempts at one order the same invoice, and takes no number for the one that lost', async () => {
    const { partnerId } = await newPartner(pool);
    const [first, second] = await Promise.all([persistedOrder(partnerId, 2), persistedOrder(partnerId, 2)]);
    const attempts = await Promise.all([1, 2, 3].map(() => issue(first, partnerId)));
    const year = new Date().getUTCFullYear();
    expect(attempts.map((a) => a.invoiceNumber)).toEqual([1, 2, 3].map(() => `INV-${year}-000001`));
    expect(await getInvoiceDocument(pool, partnerId, first)).toMatchObject({ invoiceNumber: `INV-${year}-000001` });
    const next = await issue(second, partnerId);
    expect(next.invoiceNumber).toBe(`INV-${year}-000002`);
  });

  it('renders the PDF of an invoice numbered by an attempt that stopped before its document', async () => {
    const { partnerId } = await newPartner(pool);
    const [stopped, later] = await Promise.all([persistedOrder(partnerId, 3), persistedOrder(partnerId, 1)]);
    const issuedAt = new Date('2025-12-31T23:59:00Z');
    await insertNumberedInvoice(pool, {
      id: newId('inv'),
      submissionId: stopped,
      partnerId,
      currency: 'EUR',
      totalMinor: 360,
      issuedAt,
      numberPrefix: 'INV-2025-',
      year: 2025,
    });
    expect(await getInvoiceDocument(pool, partnerId, stopped)).toBeUndefined();

    const issued = await issue(stopped, partnerId);
    expect(issued).toMatchObject({ invoiceNumber: 'INV-2025-000001', totalMinor: 360 });
    const text = await pdfText((await getInvoiceDocument(pool, partnerId, stopped))!.document);
    expect(text).toContain('INV-2025-000001');
    expect(text).toContain('2025-12-31');
    // The stopped attempt's number was its only one: the partner's next invoice of this year starts at 1.
    const year = new Date().getUTCFullYear();
    const next = await issue(later, partnerId);
    expect(next.invoiceNumber).toBe(`INV-${year}-000001`);
  });

  it('widens the running number past its six digits instead of cutting it', async () => {
    const { partnerId } = await newPartner(pool);
    const submissionId = await persistedOrder(partnerId, 1);
    const year = new Date().getUTCFullYear();
    await pool.query(`INSERT INTO invoice_counters (partner_id, year, last_number) VALUES ($1, $2, 999999)`, [
      partnerId,
      year,
    ]);
    const issued = await issue(submissionId, partnerId);
    expect(issued.invoiceNumber).toBe(`INV-${year}-1000000`);
  });
});
