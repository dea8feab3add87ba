/** Ledger activities on the invoice-processing queue: approval decisions, payables and payouts, each exactly once. */
import type pg from 'pg';
import { recordApprovalOnce } from '../db/approvals';
import { newId } from '../db/ids';
import {
  creditedAgainst,
  findCredit,
  insertCreditOnce,
  type LedgerCredit,
  type PayoutAction,
} from '../db/ledger-credits';
import { findPayableByInvoiceNumber, lockPayable, recordPayableOnce, type Payable } from '../db/ledger';
import { adjustScheduledPayout, lockPayoutOfPayable, schedulePayoutOnce } from '../db/payouts';
import { withTransaction } from '../db/pool';
import { payoutDueDate } from '../domain/payout-date';
import { permanent } from './errors';
import { loadInvoice } from './invoice-intake';

/** Dependencies of the ledger activities. */
export interface LedgerActivityDeps {
  pool: pg.Pool;
  /** Payment term when the invoice names no due date. */
  defaultPaymentTermDays?: number;
  now?: () => Date;
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
      const payout = await withTransaction(pool, async (tx) => {
        // Credit notes booked against the payable before its payout existed are taken off it here.
        await lockPayable(tx, payableId);
        const credited = await creditedAgainst(tx, payableId);
        const left = invoice.payableMinor - credited;
        return schedulePayoutOnce(tx, {
          id: newId('po'),
          payableId,
          partnerId,
          currency: invoice.currency,
          // A correction invoice may total less than zero: booked as such, nothing is paid out for it.
          amountMinor: Math.max(0, left),
          dueDate: payoutDueDate(invoice, today, defaultPaymentTermDays),
          status: credited !== 0 && left <= 0 ? 'cancelled' : 'scheduled',
        });
      });
      return { payoutId: payout.id, dueDate: payout.dueDate, amountMinor: payout.amountMinor };
    },

    /**
     * Books a credit note once: takes its amount off the payable of the invoice it corrects (BillingReference) by
     * reducing or cancelling that invoice's scheduled payout, or records a free-standing credit when it names no
     * invoice we booked (or the payout was already made, which leaves the credit for the next settlement).
     */
    async reverseForCreditNote({ submissionId, partnerId }: { submissionId: string; partnerId: string }) {
      const { invoice } = await loadInvoice(pool, submissionId);
      if (invoice.documentType !== 'credit_note')
        throw permanent('ValidationError', `submission ${submissionId} is not a credit note`);
      const earlier = await findCredit(pool, submissionId);
      if (earlier) return creditView(earlier);
      return withTransaction(pool, async (tx) => {
        let payable: Payable | undefined;
        for (const ref of invoice.billingReferences ?? []) {
          const found = await findPayableByInvoiceNumber(tx, partnerId, ref.invoiceNumber);
          if (found && found.currency === invoice.currency) {
            payable = found;
            break;
          }
        }
        if (payable) await lockPayable(tx, payable.id);
        const payout = payable && (await lockPayoutOfPayable(tx, payable.id));
        let action: PayoutAction = 'none';
        const remaining = (payout?.amountMinor ?? 0) - invoice.payableMinor;
        if (payout?.status === 'scheduled') action = remaining > 0 ? 'reduced' : 'cancelled';
        else if (payout?.status === 'paid') action = 'already_paid';
        else if (payable && !payout) {
          // Booked, its payout not scheduled yet: scheduling it takes this credit (and any earlier one) off.
          const left = payable.amountMinor - (await creditedAgainst(tx, payable.id)) - invoice.payableMinor;
          action = left > 0 ? 'reduced' : 'cancelled';
        }
        const credit = await insertCreditOnce(tx, {
          id: newId('crd'),
          submissionId,
          partnerId,
          creditNoteNumber: invoice.invoiceNumber,
          currency: invoice.currency,
          amountMinor: invoice.payableMinor,
          reversesPayableId: payable?.id ?? null,
          payoutAction: action,
        });
        // Recorded by a concurrent attempt: its payout change stands, ours is not made twice.
        if (!credit) return creditView((await findCredit(tx, submissionId))!);
        if (payout && action === 'reduced') await adjustScheduledPayout(tx, payout.id, { amountMinor: remaining });
        if (payout && action === 'cancelled') await adjustScheduledPayout(tx, payout.id, { cancel: true });
        return creditView(credit, payout?.id);
      });
    },
  };
}

function creditView(credit: LedgerCredit, payoutId?: string) {
  return {
    creditId: credit.id,
    amountMinor: credit.amountMinor,
    currency: credit.currency,
    reversesPayableId: credit.reversesPayableId,
    payoutAction: credit.payoutAction,
    ...(payoutId ? { payoutId } : {}),
  };
}
