/** Ledger activities on the invoice-processing queue: approval decisions, payables and payouts, each exactly once. */
import type pg from 'pg';
import { recordApprovalOnce } from '../db/approvals';
import { newId } from '../db/ids';
import { recordPayableOnce } from '../db/ledger';
import { schedulePayoutOnce } from '../db/payouts';
import { permanent } from './errors';
import { loadInvoice } from './invoice-intake';

/** Dependencies of the ledger activities. */
export interface LedgerActivityDeps {
  pool: pg.Pool;
  /** Payment term when the invoice names no due date. */
  defaultPaymentTermDays?: number;
  now?: () => Date;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Builds the ledger activities. */
export function createLedgerActivities({
  pool,
  defaultPaymentTermDays = 30,
  now = () => new Date(),
}: LedgerActivityDeps) {
  return {
    /** Stores an approver's decision (the first one wins). */
    async recordApproval(input: {
      submissionId: string;
      decision: 'approved' | 'rejected';
      approver: string;
      comment?: string;
    }) {
      const row = await recordApprovalOnce(pool, input);
      return { decision: row.decision, approver: row.approver, decidedAt: row.decidedAt.toISOString() };
    },

    /** Books the invoice's payable amount in the ledger once; a second invoice with the same number is refused. */
    async recordPayable({ submissionId, partnerId }: { submissionId: string; partnerId: string }) {
      const { invoice } = await loadInvoice(pool, submissionId);
      const payable = await recordPayableOnce(pool, {
        id: newId('pay'),
        submissionId,
        partnerId,
        partnerInvoiceNumber: invoice.invoiceNumber,
        currency: invoice.currency,
        amountMinor: invoice.payableMinor,
      });
      if (!payable) throw permanent('DuplicateInvoice', `invoice ${invoice.invoiceNumber} is already booked`);
      return { payableId: payable.id, amountMinor: payable.amountMinor, currency: payable.currency };
    },

    /** Schedules the payout of a payable on the invoice's due date (never in the past). */
    async schedulePayout({
      submissionId,
      partnerId,
      payableId,
    }: {
      submissionId: string;
      partnerId: string;
      payableId: string;
    }) {
      const { invoice } = await loadInvoice(pool, submissionId);
      const today = now().toISOString().slice(0, 10);
      const due = invoice.dueDate ?? addDays(invoice.issueDate, defaultPaymentTermDays);
      const payout = await schedulePayoutOnce(pool, {
        id: newId('po'),
        payableId,
        partnerId,
        currency: invoice.currency,
        amountMinor: invoice.payableMinor,
        dueDate: due < today ? today : due,
      });
      return { payoutId: payout.id, dueDate: payout.dueDate, amountMinor: payout.amountMinor };
    },
  };
}
