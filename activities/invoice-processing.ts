/** Invoice-processing activities: gap-free invoice numbers and PDF documents stored in PostgreSQL. */
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import type { InvoiceBuyer } from '../contracts/partner-billing';
import { renderInvoicePdf } from '../adapters/documents/invoice-pdf';
import { newId } from '../db/ids';
import { attachInvoiceDocument, insertNumberedInvoice } from '../db/issued-invoices';
import { getOrderWithInvoice, type StoredOrder } from '../db/orders';
import { isUniqueViolation } from '../db/pool';
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
  /** Takes the order's invoice number with its row; when another attempt got there first, that attempt's row. */
  async function numberInvoice(order: StoredOrder) {
    const issuedAt = now();
    const year = issuedAt.getUTCFullYear();
    const invoice = { id: newId('inv'), partnerId: order.partnerId, totalMinor: order.totalMinor, issuedAt };
    try {
      const { invoiceNumber, buyer } = await insertNumberedInvoice(pool, {
        ...invoice,
        submissionId: order.submissionId,
        currency: order.currency,
        numberPrefix: `INV-${year}-`,
        year,
      });
      return { ...invoice, invoiceNumber, buyer };
    } catch (err) {
      if (!isUniqueViolation(err, 'issued_invoices_submission_id_key')) throw err;
      const { invoice: winner } = await getOrderWithInvoice(pool, order.submissionId);
      if (!winner) throw err;
      return winner;
    }
  }

  return {
    ...createLedgerActivities({ pool, now }),

    /**
     * Issues the invoice of an order once: the next number of the partner's year with the invoice row and its buyer
     * (the partner's name and billing details then; one statement), then its PDF. A retry finds the row and renders a missing PDF for the number already taken; an
     * attempt that loses a race for the same submission returns the winner's invoice.
     */
    async issueOrderInvoice({ submissionId, partnerId }: { submissionId: string; partnerId: string }) {
      const documentUrl = `/v1/submissions/${submissionId}/invoice.pdf`;
      const { order, invoice: existing } = await getOrderWithInvoice(pool, submissionId);
      if (!order || order.partnerId !== partnerId)
        throw permanent('NotFound', `order ${submissionId} was not persisted`);
      if (existing?.hasDocument)
        return { invoiceNumber: existing.invoiceNumber, totalMinor: existing.totalMinor, documentUrl };
      const invoice = existing ?? (await numberInvoice(order));
      // The buyer as it was when the number was taken; an invoice numbered before there were snapshots (migration
      // 064) names the partner by its name, as it always did.
      const buyer: InvoiceBuyer = invoice.buyer ?? { name: order.partnerName };
      // The PDF is drawn outside any transaction: no lock is held while it renders.
      const document = await renderInvoicePdf(
        {
          invoiceNumber: invoice.invoiceNumber,
          issueDate: invoice.issuedAt.toISOString().slice(0, 10),
          seller: { name: sellerName },
          buyer: {
            name: `${buyer.name} for ${order.customerName}`,
            email: order.customerEmail,
            address: buyer.address,
            vatId: buyer.vatId,
          },
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
      await attachInvoiceDocument(pool, invoice.id, document);
      return { invoiceNumber: invoice.invoiceNumber, totalMinor: invoice.totalMinor, documentUrl };
    },
  };
}

/** The invoice activities' type, for workflows. */
export type InvoiceActivities = ReturnType<typeof createInvoiceActivities>;
