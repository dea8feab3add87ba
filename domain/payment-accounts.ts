/**
 * The payee account (BG-17) of an invoice's payment instructions: what the UBL writer writes as
 * `PayeeFinancialAccount` and what the national rules check.
 */
import type { Invoice } from '../contracts/invoice';

/**
 * The payee account (BT-84), unless it is the card's or the direct debit's account: invoices stored by the
 * older UBL reader carry the card number or the debited account in `accountId` when no payee account was sent, and
 * neither is where to pay.
 */
export function firstPayeeAccount(payment: Invoice['payment']): string | undefined {
  const id = payment?.accountId;
  if (id === undefined || id === payment!.cardAccountId || id === payment!.mandate?.debitedAccountId) return undefined;
  return id;
}
