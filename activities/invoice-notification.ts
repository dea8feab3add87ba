/** Emails about partners' invoices: approval requests, reminders, escalations, and the outcome to the partner. */
import type pg from 'pg';
import type { Mailer } from '../adapters/email/mailer';
import { formatMoney } from '../adapters/documents/invoice-pdf';
import { findPartner } from '../db/partners';
import { permanent } from './errors';

/** Dependencies of the invoice emails. */
export interface InvoiceNotificationDeps {
  pool: pg.Pool;
  mailer: Mailer;
  teamAddress: string;
  ownerAddress: string;
}

/** What every approval email names. */
export interface ApprovalMailInput {
  submissionId: string;
  partnerId: string;
  invoiceNumber: string;
  payableMinor: number;
  currency: string;
}

function howToDecide(submissionId: string): string[] {
  return [
    'Decide in the Temporal UI (signal "decision"), or with the admin CLI:',
    `  npm run cli -- invoice approve --submission ${submissionId} --approver YOUR_NAME`,
    `  npm run cli -- invoice reject --submission ${submissionId} --approver YOUR_NAME --comment WHY`,
    `or POST /v1/admin/submissions/${submissionId}/decision with the admin token.`,
  ];
}

/** Builds the invoice email activities. */
export function createInvoiceNotificationActivities({
  pool,
  mailer,
  teamAddress,
  ownerAddress,
}: InvoiceNotificationDeps) {
  async function approvalMail(kind: 'request' | 'reminder' | 'escalation', input: ApprovalMailInput, to: string[]) {
    const partner = await findPartner(pool, input.partnerId);
    const what = `invoice ${input.invoiceNumber} from ${partner?.name ?? input.partnerId} (${formatMoney(input.payableMinor, input.currency)})`;
    const subject = {
      request: 'Approval needed',
      reminder: 'Reminder: approval needed',
      escalation: 'Escalation: still no decision',
    }[kind];
    const { messageId } = await mailer.send({
      to,
      subject: `${subject}: ${what}`,
      text: [`${subject} on ${what}, submission ${input.submissionId}.`, '', ...howToDecide(input.submissionId)].join(
        '\n',
      ),
      messageId: `<${input.submissionId}.approval-${kind}@partner-workflows>`,
    });
    return { sent: true, messageId };
  }

  return {
    /** Asks our team to approve an invoice above the partner's threshold. */
    requestApproval: (input: ApprovalMailInput) => approvalMail('request', input, [teamAddress]),
    /** Reminds our team that an invoice still waits. */
    sendApprovalReminder: (input: ApprovalMailInput) => approvalMail('reminder', input, [teamAddress]),
    /** Escalates a long wait to the team and the owner. */
    escalateApproval: (input: ApprovalMailInput) => approvalMail('escalation', input, [teamAddress, ownerAddress]),

    /** Tells the partner's contact whether its invoice was accepted (and when it is paid) or rejected. */
    async sendInvoiceOutcome(input: {
      submissionId: string;
      partnerId: string;
      invoiceNumber: string;
      outcome: 'accepted' | 'rejected';
      payoutDueDate?: string;
      reason?: string;
      /** A credit note says so, and what it did instead of a payout date. */
      document?: 'invoice' | 'credit note';
      detail?: string;
    }) {
      const partner = await findPartner(pool, input.partnerId);
      if (!partner) throw permanent('NotFound', `partner ${input.partnerId} does not exist`);
      if (!partner.contactEmail) return { sent: false, reason: 'partner has no contact email' };
      const accepted = input.outcome === 'accepted';
      const document = input.document ?? 'invoice';
      const Document = document[0]!.toUpperCase() + document.slice(1);
      const { messageId } = await mailer.send({
        to: partner.contactEmail,
        subject: `${Document} ${input.invoiceNumber} ${accepted ? 'accepted' : 'rejected'}`,
        text: [
          `Hello ${partner.name},`,
          '',
          accepted
            ? `your ${document} ${input.invoiceNumber} (submission ${input.submissionId}) was accepted; ${input.detail ?? `the payout is scheduled for ${input.payoutDueDate}`}.`
            : `your ${document} ${input.invoiceNumber} (submission ${input.submissionId}) was rejected: ${input.reason ?? 'no reason given'}.`,
        ].join('\n'),
        messageId: `<${input.submissionId}.outcome@partner-workflows>`,
      });
      return { sent: true, messageId };
    },
  };
}
