/** Invoice-processing activities: gap-free invoice numbers and PDF documents stored in PostgreSQL. */
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { renderInvoicePdf } from '../adapters/documents/invoice-pdf';
import { newId } from '../db/ids';
import { insertIssuedInvoice, nextInvoiceNumber } from '../db/issued-invoices';
import { getOrderWithInvoice } from '../db/orders';
import { withTransaction } from '../db/pool';
import { permanent } from './errors';
import { createLedgerActivities } from './ledger';

/** Dependencies of the invoice activities. */
export interface InvoiceActivityDeps {
  pool: pg.Pool;
  /** Name printed as the seller on our invoices. */
  sellerName: string;
  /** Clock, injectable for tests. */
  now?: () => Date;
}

/** Builds the invoice-processing activities. */
export function createInvoiceActivities({ pool, sellerName, now = () => new Date() }: InvoiceActivityDeps) {
  return {
    ...createLedgerActivities({ pool, now }),

    /** Issues the invoice of an order once: next number of the partner's year, PDF stored with it. */
    async issueOrderInvoice({ submissionId, partnerId }: { submissionId: string; partnerId: string }) {
      const documentUrl = `/v1/submissions/${submissionId}/invoice.pdf`;
      const { order, invoice: existing } = await getOrderWithInvoice(pool, submissionId);
      if (existing) return { invoiceNumber: existing.invoiceNumber, totalMinor: existing.totalMinor, documentUrl };
      if (!order || order.partnerId !== partnerId)
        throw permanent('NotFound', `order ${submissionId} was not persisted`);
      const issuedAt = now();
      const year = issuedAt.getUTCFullYear();
      return withTransaction(pool, async (tx) => {
        const n = await nextInvoiceNumber(tx, partnerId, year);
        const invoiceNumber = `INV-${year}-${String(n).padStart(6, '0')}`;
        const document = await renderInvoicePdf(
          {
            invoiceNumber,
            issueDate: issuedAt.toISOString().slice(0, 10),
            seller: { name: sellerName },
            buyer: { name: `${order.partnerName} for ${order.customerName}`, email: order.customerEmail },
            reference: `Order ${order.orderNumber}`,
            currency: order.currency,
            lines: order.lines,
            subtotalMinor: order.subtotalMinor,
            taxMinor: order.taxMinor,
            totalMinor: order.totalMinor,
          },
          // A local activity (the order workflow's) has no heartbeat; a remote one heartbeats long documents.
          (progress) => {
            const ctx = Context.current();
            if (!ctx.info.isLocal) ctx.heartbeat(progress);
          },
        );
        await insertIssuedInvoice(tx, {
          id: newId('inv'),
          submissionId,
          partnerId,
          invoiceNumber,
          currency: order.currency,
          totalMinor: order.totalMinor,
          document,
        });
        return { invoiceNumber, totalMinor: order.totalMinor, documentUrl };
      });
    },
  };
}

/** The invoice activities' type, for workflows. */
export type InvoiceActivities = ReturnType<typeof createInvoiceActivities>;
