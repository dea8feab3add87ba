/** Activities on the submissions queue for a partner's invoice: validation and the duplicate check. */
import type pg from 'pg';
import { Value } from 'typebox/value';
import { InvoiceSchema, type Invoice } from '../contracts/invoice';
import { invoiceDailySum } from '../db/invoice-daily-sum';
import { findEarlierInvoiceSubmission } from '../db/invoice-duplicates';
import { findPayableByInvoiceNumber } from '../db/ledger';
import { getSubmission, getSubmissionPayload } from '../db/submissions';
import { checkInvoice } from '../domain/invoice-checks';
import { permanent } from './errors';

/** Loads and schema-checks a stored invoice submission. */
export async function loadInvoice(
  pool: pg.Pool,
  submissionId: string,
): Promise<{ invoice: Invoice; partnerId: string }> {
  const row = await getSubmission(pool, submissionId);
  if (!row || (row.type !== 'invoice' && row.type !== 'credit_note'))
    throw permanent('NotFound', `invoice submission ${submissionId} does not exist`);
  const payload = await getSubmissionPayload(pool, submissionId);
  if (!Value.Check(InvoiceSchema, payload)) {
    const first = [...Value.Errors(InvoiceSchema, payload)][0];
    throw permanent('ValidationError', `stored invoice is invalid at ${first?.instancePath || '/'}: ${first?.message}`);
  }
  return { invoice: payload, partnerId: row.partnerId };
}

/** Builds the invoice intake activities. */
export function createInvoiceIntakeActivities({ pool }: { pool: pg.Pool }) {
  return {
    /** Checks that the invoice adds up; returns what the workflow needs to know of it. */
    async validateInvoice({ submissionId }: { submissionId: string }) {
      const { invoice } = await loadInvoice(pool, submissionId);
      // The same checks as at intake: an invoice stored before a rule changed is judged by today's rules.
      const errors = checkInvoice(invoice);
      if (errors.length) {
        throw permanent('ValidationError', errors.map((e) => `${e.pointer}: ${e.message}`).join('; '), { errors });
      }
      return {
        invoiceNumber: invoice.invoiceNumber,
        supplierName: invoice.supplier.name,
        currency: invoice.currency,
        payableMinor: invoice.payableMinor,
        lineCount: invoice.lines.length,
        dueDate: invoice.dueDate ?? null,
        documentType: invoice.documentType ?? 'invoice',
        correctsInvoiceNumbers: (invoice.billingReferences ?? []).map((r) => r.invoiceNumber),
      };
    },

    /**
     * Refuses an invoice number the partner already sent (live, completed or booked), and says whether the invoice
     * takes the partner's rolling 24-hour sum over its daily limit (then it needs approval whatever its own amount).
     */
    async checkDuplicateInvoice({ submissionId, partnerId }: { submissionId: string; partnerId: string }) {
      const { invoice } = await loadInvoice(pool, submissionId);
      // Credit notes are not payables: only invoices are looked up in the ledger.
      const booked =
        invoice.documentType === 'credit_note'
          ? undefined
          : await findPayableByInvoiceNumber(pool, partnerId, invoice.invoiceNumber);
      if (booked && booked.submissionId !== submissionId) {
        throw permanent(
          'DuplicateInvoice',
          `invoice ${invoice.invoiceNumber} is already booked (submission ${booked.submissionId})`,
        );
      }
      const earlier = await findEarlierInvoiceSubmission(pool, {
        partnerId,
        submissionId,
        invoiceNumber: invoice.invoiceNumber,
      });
      if (earlier) {
        throw permanent(
          'DuplicateInvoice',
          `invoice ${invoice.invoiceNumber} was already sent as submission ${earlier.id} (${earlier.status})`,
        );
      }
      // The daily limit is judged here, in the activity that already runs before the gate: the workflow reads the
      // answer, so splitting an invoice into several below the threshold still meets the approval gate. A credit
      // note counts only when it totals less than zero: then it raises what we pay, as an invoice does.
      if (invoice.documentType === 'credit_note' && invoice.payableMinor >= 0)
        return { duplicate: false, overDailyLimit: false };
      const daily = await invoiceDailySum(pool, submissionId);
      return {
        duplicate: false,
        overDailyLimit: daily.earlierMinor + daily.ownMinor > daily.limitMinor,
        dailySumMinor: daily.earlierMinor + daily.ownMinor,
        dailyLimitMinor: daily.limitMinor,
      };
    },
  };
}
