/**
 * The credit transfer accounts (BG-17) of an invoice's payment instructions, the first one and the others, each with
 * the canonical pointer of its fields: what the UBL writer writes as `PayeeFinancialAccount`s and what the national
 * rules check account by account.
 */
import type { Invoice } from '../contracts/invoice';

/**
 * The payment means codes (UNCL4461) that BR-61 reads as credit transfers, each of which needs the account to pay into
 * (BT-84): 30 credit transfer and 58 SEPA credit transfer, as CEN's schematron tests them.
 */
export const CREDIT_TRANSFER_CODES: ReadonlySet<string> = new Set(['30', '58']);

/** One credit transfer account: BT-84, BT-85, BT-86. */
export interface CreditTransferAccount {
  accountId: string;
  accountName?: string;
  serviceProviderId?: string;
  /** The canonical pointer of its fields: `/payment` for the first, `/payment/additionalCreditTransfers/k`. */
  pointer: string;
}

/**
 * The first payee account (BT-84), unless it is the card's or the direct debit's account: invoices stored by the
 * older UBL reader carry the card number or the debited account in `accountId` when no payee account was sent, and
 * neither is where to pay.
 */
export function firstPayeeAccount(payment: Invoice['payment']): string | undefined {
  const id = payment?.accountId;
  if (id === undefined || id === payment!.cardAccountId || id === payment!.mandate?.debitedAccountId) return undefined;
  return id;
}

/** Every credit transfer account, in document order. */
export function creditTransferAccounts(payment: Invoice['payment']): CreditTransferAccount[] {
  if (!payment) return [];
  const first = firstPayeeAccount(payment);
  const accounts: CreditTransferAccount[] = [];
  if (first !== undefined)
    accounts.push({
      accountId: first,
      ...(payment.accountName !== undefined ? { accountName: payment.accountName } : {}),
      ...(payment.serviceProviderId !== undefined ? { serviceProviderId: payment.serviceProviderId } : {}),
      pointer: '/payment',
    });
  (payment.additionalCreditTransfers ?? []).forEach((account, k) =>
    accounts.push({ ...account, pointer: `/payment/additionalCreditTransfers/${k}` }),
  );
  return accounts;
}
