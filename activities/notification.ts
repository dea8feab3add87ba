/** Notification activities: email to the partner's contact and to our team, through the mailer port. */
import type pg from 'pg';
import type { Mailer } from '../adapters/email/mailer';
import { formatMoney } from '../adapters/documents/invoice-pdf';
import { getInvoiceDocument } from '../db/issued-invoices';
import { getOrderWithInvoice } from '../db/orders';
import { permanent } from './errors';
import { createInvoiceNotificationActivities } from './invoice-notification';

/** Dependencies of the notification activities. */
export interface NotificationActivityDeps {
  pool: pg.Pool;
  mailer: Mailer;
  teamAddress: string;
  /** Receives escalations; the team when unset. */
  ownerAddress?: string;
}

/** Builds the notification activities. */
export function createNotificationActivities({ pool, mailer, teamAddress, ownerAddress }: NotificationActivityDeps) {
  return {
    ...createInvoiceNotificationActivities({ pool, mailer, teamAddress, ownerAddress: ownerAddress ?? teamAddress }),

    /** Mails the order confirmation with the invoice PDF to the partner's contact (skipped when it has none). */
    async sendOrderConfirmation({
      submissionId,
      partnerId,
      invoiceNumber,
    }: {
      submissionId: string;
      partnerId: string;
      invoiceNumber: string;
    }) {
      // The order and its PDF in one round trip.
      const { order, invoice } = await getOrderWithInvoice(pool, submissionId, partnerId);
      if (!order || order.partnerId !== partnerId)
        throw permanent('NotFound', `order ${submissionId} was not persisted`);
      if (!order.partnerEmail) return { sent: false, reason: 'partner has no contact email' };
      const doc = invoice?.document ? { document: invoice.document } : undefined;
      const { messageId } = await mailer.send({
        to: order.partnerEmail,
        subject: `Order ${order.orderNumber} confirmed: invoice ${invoiceNumber}`,
        text: [
          `Hello ${order.partnerName},`,
          '',
          `your order ${order.orderNumber} (submission ${submissionId}) was charged and invoiced.`,
          `Invoice ${invoiceNumber}, total ${formatMoney(order.totalMinor, order.currency)}.`,
          '',
          'The invoice is attached.',
        ].join('\n'),
        attachments: doc
          ? [{ filename: `${invoiceNumber}.pdf`, content: doc.document, contentType: 'application/pdf' }]
          : [],
        messageId: `<${submissionId}.confirmation@partner-workflows>`,
      });
      return { sent: true, messageId };
    },

    /** Tells our own team about a submission, with our invoice PDF when one was issued. */
    async notifyTeam({
      submissionId,
      partnerId,
      subject,
      invoiceNumber,
    }: {
      submissionId: string;
      partnerId: string;
      subject: string;
      invoiceNumber?: string;
    }) {
      // The team gets our issued invoice too, when the submission has one.
      const doc = await getInvoiceDocument(pool, partnerId, submissionId);
      const { messageId } = await mailer.send({
        attachments: doc
          ? [{ filename: `${doc.invoiceNumber}.pdf`, content: doc.document, contentType: 'application/pdf' }]
          : [],
        to: teamAddress,
        subject,
        text: [`Partner: ${partnerId}`, `Submission: ${submissionId}`, invoiceNumber ? `Invoice: ${invoiceNumber}` : '']
          .filter(Boolean)
          .join('\n'),
        messageId: `<${submissionId}.${subject.length}.team@partner-workflows>`,
      });
      return { sent: true, messageId };
    },
  };
}

/** The notification activities' type, for workflows. */
export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
