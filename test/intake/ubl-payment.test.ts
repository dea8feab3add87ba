/**
 * Payment instructions (BG-16) as EN 16931 and Peppol BIS Billing 3.0 senders write them: a payment card (BG-18) and
 * a direct debit (BG-19) kept apart from the payee account (BT-84), and all of it written back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { fixture, judge } from './judge';
import { InvoiceSchema, type Invoice } from '../../contracts/invoice';
import { mapUblInvoice } from '../../domain/ubl/invoice';
import { writeUbl } from '../../domain/ubl/writer';

const example = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl-invoice.xml'), 'utf8');
const creditNote = fixture('peppol-credit-note.xml');

/** Replaces text that must be there, so a test cannot silently test nothing. */
function swap(xml: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? xml.includes(from) : from.test(xml);
  if (!found) throw new Error(`not in the document: ${String(from)}`);
  return typeof from === 'string' ? xml.split(from).join(to) : xml.replace(from, to);
}

function read(xml: string): Invoice {
  const mapped = mapUblInvoice(xml);
  if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
  return mapped.invoice;
}

/** The document with these payment means (their content) in place of its own. */
const withMeans = (xml: string, ...means: string[]) =>
  swap(
    xml,
    /<cac:PaymentMeans>[\s\S]*<\/cac:PaymentMeans>/,
    means.map((m) => `<cac:PaymentMeans>${m}</cac:PaymentMeans>`).join('\n  '),
  );

/** The content of every `cac:PaymentMeans` of a document, in order. */
const paymentMeans = (xml: string) =>
  [...xml.matchAll(/<cac:PaymentMeans>([\s\S]*?)<\/cac:PaymentMeans>/g)].map((m) => m[1]);

const code = (c: string) => `<cbc:PaymentMeansCode>${c}</cbc:PaymentMeansCode>`;
const REMITTANCE = '<cbc:PaymentID>NW-2026-0417</cbc:PaymentID>';
const payee = (id: string, name?: string, bic?: string) =>
  `<cac:PayeeFinancialAccount><cbc:ID>${id}</cbc:ID>${name ? `<cbc:Name>${name}</cbc:Name>` : ''}` +
  (bic ? `<cac:FinancialInstitutionBranch><cbc:ID>${bic}</cbc:ID></cac:FinancialInstitutionBranch>` : '') +
  '</cac:PayeeFinancialAccount>';
const DE_IBAN = 'DE89370400440532013000';
const NL_IBAN = 'NL91ABNA0417164300';
const NAME = 'Northwind Consulting GmbH';
const CARD =
  '<cac:CardAccount><cbc:PrimaryAccountNumberID>1234</cbc:PrimaryAccountNumberID><cbc:NetworkID>VISA</cbc:NetworkID>' +
  '<cbc:HolderName>Jane Doe</cbc:HolderName></cac:CardAccount>';
const MANDATE =
  '<cac:PaymentMandate><cbc:ID>M-1</cbc:ID>' +
  `<cac:PayerFinancialAccount><cbc:ID>${NL_IBAN}</cbc:ID></cac:PayerFinancialAccount></cac:PaymentMandate>`;

const FIRST = code('58') + REMITTANCE + payee(DE_IBAN, NAME, 'COBADEFFXXX');
const byCard = withMeans(example, code('48') + REMITTANCE + CARD);
const byDirectDebit = withMeans(example, code('59') + REMITTANCE + MANDATE);

describe('a payment card (BG-18) or a direct debit (BG-19) is not the payee account (BT-84)', () => {
  it('keeps the card number out of accountId and writes the card back as CardAccount, never as a payee account', () => {
    expect(judge(byCard)).toEqual([]);
    const invoice = read(byCard);
    expect(invoice.payment).toEqual({
      meansCode: '48',
      paymentId: 'NW-2026-0417',
      cardAccountId: '1234',
      cardNetworkId: 'VISA',
      cardHolderName: 'Jane Doe',
    });
    expect(invoice.payeeIban).toBeUndefined();
    const xml = writeUbl(invoice);
    expect(paymentMeans(xml)).toEqual([code('48') + REMITTANCE + CARD]);
    expect(xml).not.toContain('PayeeFinancialAccount');
  });

  it("keeps the buyer's debited account out of accountId and payeeIban, and writes it back in the mandate", () => {
    expect(judge(byDirectDebit)).toEqual([]);
    const invoice = read(byDirectDebit);
    expect(invoice.payment).toEqual({
      meansCode: '59',
      paymentId: 'NW-2026-0417',
      mandate: { id: 'M-1', debitedAccountId: NL_IBAN },
    });
    expect(invoice.payeeIban).toBeUndefined();
    const xml = writeUbl(invoice);
    expect(paymentMeans(xml)).toEqual([code('59') + REMITTANCE + MANDATE]);
    expect(xml).not.toContain('PayeeFinancialAccount');
  });

  it('writes an invoice stored by the older reader (card or debited account copied into accountId) without a payee account', () => {
    const stored = read(example);
    delete stored.payeeIban;
    stored.payment = { meansCode: '48', paymentId: 'X', accountId: '1234', cardAccountId: '1234' };
    expect([...Value.Errors(InvoiceSchema, stored)]).toEqual([]);
    // UBL requires a NetworkID, which is no business term: Peppol writes NA when there is none, read back as none.
    const card =
      '<cac:CardAccount><cbc:PrimaryAccountNumberID>1234</cbc:PrimaryAccountNumberID><cbc:NetworkID>NA</cbc:NetworkID></cac:CardAccount>';
    expect(paymentMeans(writeUbl(stored))).toEqual([`${code('48')}<cbc:PaymentID>X</cbc:PaymentID>${card}`]);
    expect(read(writeUbl(stored)).payment).toEqual({ meansCode: '48', paymentId: 'X', cardAccountId: '1234' });
    stored.payment = { meansCode: '59', accountId: NL_IBAN, mandate: { id: 'M-1', debitedAccountId: NL_IBAN } };
    expect([...Value.Errors(InvoiceSchema, stored)]).toEqual([]);
    expect(paymentMeans(writeUbl(stored))).toEqual([code('59') + MANDATE]);
  });
});

describe('payment instructions through our reader and writer', () => {
  it('reads back exactly what it read (reader -> writer -> reader)', () => {
    const documents = [
      withMeans(example, FIRST),
      byCard,
      byDirectDebit,
      withMeans(example, code('58') + REMITTANCE + CARD + payee(DE_IBAN, NAME, 'COBADEFFXXX')),
      example,
      creditNote,
    ];
    for (const xml of documents) {
      const original = read(xml);
      const again = read(writeUbl(original));
      expect(again.payment).toEqual(original.payment);
      expect(again.payeeIban).toEqual(original.payeeIban);
      expect(again.dueDate).toEqual(original.dueDate);
      expect(again).toEqual(original);
    }
  });
});
