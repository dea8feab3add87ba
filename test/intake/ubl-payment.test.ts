/**
 * Payment instructions (BG-16) as EN 16931 and Peppol BIS Billing 3.0 senders write them: every credit transfer
 * account (BG-17 is 0..n, one `cac:PaymentMeans` each), a payment card (BG-18) and a direct debit (BG-19) kept
 * apart from the payee account (BT-84), all written back in document order, and the rules on repeated means.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { fixture, judge, read, swap } from './judge';
import { InvoiceSchema } from '../../contracts/invoice';
import { checkInvoice } from '../../domain/invoice-checks';
import { mapUblInvoice } from '../../domain/ubl/invoice';
import { writeUbl } from '../../domain/ubl/writer';

const example = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl-invoice.xml'), 'utf8');
const creditNote = fixture('peppol-credit-note.xml');

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

/** A German supplier with a German and a Dutch account, each its own SEPA credit transfer means. */
const FIRST = code('58') + REMITTANCE + payee(DE_IBAN, NAME, 'COBADEFFXXX');
const SECOND = code('58') + REMITTANCE + payee(NL_IBAN, NAME, 'ABNANL2A');
const twoAccounts = withMeans(example, FIRST, SECOND);
const byCard = withMeans(example, code('48') + REMITTANCE + CARD);
const byDirectDebit = withMeans(example, code('59') + REMITTANCE + MANDATE);

describe('several credit transfer accounts (BG-17, 0..n)', () => {
  it('keeps both accounts of a supplier in document order and writes each back as its own PaymentMeans', () => {
    expect(judge(twoAccounts)).toEqual([]);
    const mapped = mapUblInvoice(twoAccounts);
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(mapped.invoice.payment).toEqual({
      meansCode: '58',
      paymentId: 'NW-2026-0417',
      accountId: DE_IBAN,
      accountName: NAME,
      serviceProviderId: 'COBADEFFXXX',
      additionalCreditTransfers: [{ accountId: NL_IBAN, accountName: NAME, serviceProviderId: 'ABNANL2A' }],
    });
    expect(mapped.invoice.payeeIban).toBe(DE_IBAN);
    expect(mapped.sources['/payment/additionalCreditTransfers/0/accountId']).toBe(
      '/Invoice/cac:PaymentMeans[2]/cac:PayeeFinancialAccount/cbc:ID',
    );
    // The remittance information (BT-83) goes with every account: the payer may pay into either.
    expect(paymentMeans(writeUbl(mapped.invoice))).toEqual([FIRST, SECOND]);
  });

  it('reads the remittance information and a credit note due date from whichever means carries them', () => {
    const onlySecond = withMeans(example, code('58') + payee(DE_IBAN), code('58') + REMITTANCE + payee(NL_IBAN));
    expect(read(onlySecond).payment).toMatchObject({ paymentId: 'NW-2026-0417', accountId: DE_IBAN });
    const credit = withMeans(
      creditNote,
      code('30') + payee(NL_IBAN),
      code('30') + '<cbc:PaymentDueDate>2026-11-30</cbc:PaymentDueDate>' + payee(DE_IBAN),
    );
    expect(judge(credit)).toEqual([]);
    const note = read(credit);
    expect(note.dueDate).toBe('2026-11-30');
    expect(paymentMeans(writeUbl(note))).toEqual([
      code('30') + '<cbc:PaymentDueDate>2026-11-30</cbc:PaymentDueDate>' + payee(NL_IBAN),
      code('30') + payee(DE_IBAN),
    ]);
  });

  it('refuses what several means cannot say in EN 16931, naming the rule and the element', () => {
    const means2 = '/Invoice/cac:PaymentMeans[2]';
    const cases: [string, string, string][] = [
      // UBL-SR-47: several means, one payment means code (BT-81 is 1..1 in BG-16).
      [withMeans(example, FIRST, swap(SECOND, code('58'), code('30'))), 'UBL-SR-47', `${means2}/cbc:PaymentMeansCode`],
      // UBL-SR-44: one remittance information (BT-83), repeated or not.
      [withMeans(example, FIRST, swap(SECOND, 'NW-2026-0417', 'OTHER')), 'UBL-SR-44', `${means2}/cbc:PaymentID`],
      // UBL-SR-54 / UBL-SR-55 (EN 16931's BR-66 / BR-67): at most one card and one mandate.
      [withMeans(example, code('48') + CARD, code('48') + CARD), 'UBL-SR-54', `${means2}/cac:CardAccount`],
      [withMeans(example, code('59') + MANDATE, code('59') + MANDATE), 'UBL-SR-55', `${means2}/cac:PaymentMandate`],
      // BR-50: a credit transfer account needs its identifier.
      [
        withMeans(
          example,
          FIRST,
          code('58') + '<cac:PayeeFinancialAccount><cbc:Name>x</cbc:Name></cac:PayeeFinancialAccount>',
        ),
        'BR-50',
        `${means2}/cac:PayeeFinancialAccount/cbc:ID`,
      ],
      // UBL-SR-45: one due date.
      [
        withMeans(
          creditNote,
          code('30') + '<cbc:PaymentDueDate>2026-11-30</cbc:PaymentDueDate>' + payee(NL_IBAN),
          code('30') + '<cbc:PaymentDueDate>2026-12-15</cbc:PaymentDueDate>' + payee(DE_IBAN),
        ),
        'UBL-SR-45',
        '/CreditNote/cac:PaymentMeans[2]/cbc:PaymentDueDate',
      ],
    ];
    for (const [xml, rule, pointer] of cases)
      expect(judge(xml), rule).toEqual(expect.arrayContaining([expect.objectContaining({ rule, pointer })]));
  });

  it('refuses a credit transfer means without the account to pay into (BR-61), each means on its own', () => {
    const means1 = '/Invoice/cac:PaymentMeans[1]/cac:PayeeFinancialAccount';
    const means2 = '/Invoice/cac:PaymentMeans[2]/cac:PayeeFinancialAccount';
    // Codes 30 and 58 are credit transfers; a card (48) or a direct debit (59) has no payee account to give.
    for (const c of ['30', '58'])
      expect(judge(withMeans(example, code(c) + REMITTANCE)), c).toEqual([
        expect.objectContaining({ rule: 'BR-61', pointer: '/Invoice/cac:PaymentMeans/cac:PayeeFinancialAccount' }),
      ]);
    // An account on one means does not stand for another means that has none, in either order.
    expect(judge(withMeans(example, FIRST, code('58') + REMITTANCE))).toEqual([
      expect.objectContaining({ rule: 'BR-61', pointer: means2 }),
    ]);
    expect(judge(withMeans(example, code('58') + REMITTANCE, SECOND))).toEqual([
      expect.objectContaining({ rule: 'BR-61', pointer: means1 }),
    ]);
    expect(judge(withMeans(example, code('31') + REMITTANCE))).toEqual([]);
    // JSON clients: a credit transfer code with no account at all.
    const invoice = read(example);
    delete invoice.payeeIban;
    for (const c of ['30', '58'])
      expect(checkInvoice({ ...invoice, payment: { meansCode: c, paymentId: 'X' } }), c).toEqual([
        expect.objectContaining({ rule: 'BR-61', pointer: '/payment/accountId' }),
      ]);
    expect(checkInvoice({ ...invoice, payment: { meansCode: '58', accountId: DE_IBAN } })).toEqual([]);
    // The code as the schematron reads it (normalize-space), as the UBL reader does.
    expect(checkInvoice({ ...invoice, payment: { meansCode: ' 30 ' } })).toEqual([
      expect.objectContaining({ rule: 'BR-61', pointer: '/payment/accountId' }),
    ]);
  });

  it('takes the extra accounts from JSON clients only beside the first one', () => {
    const invoice = read(twoAccounts);
    expect(checkInvoice(invoice)).toEqual([]);
    const { accountId: _first, ...withoutFirst } = invoice.payment!;
    expect(checkInvoice({ ...invoice, payment: withoutFirst })).toEqual([
      expect.objectContaining({ rule: 'PW-PAYMENT-ACCOUNT', pointer: '/payment/accountId' }),
    ]);
  });
});

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
      twoAccounts,
      withMeans(example, FIRST, SECOND, code('58') + REMITTANCE + payee('NO9386011117947')),
      byCard,
      byDirectDebit,
      withMeans(example, code('58') + REMITTANCE + CARD + payee(DE_IBAN, NAME, 'COBADEFFXXX'), SECOND),
      withMeans(
        creditNote,
        code('30') + '<cbc:PaymentDueDate>2026-11-30</cbc:PaymentDueDate>' + payee(NL_IBAN, NAME),
        code('30') + payee(DE_IBAN),
      ),
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
