/** UBL 2.1 to canonical invoice: exact amounts, element-named errors, and the shared total checks. */
import fs from 'node:fs';
import path from 'node:path';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { InvoiceSchema } from '../../contracts/invoice';
import { checkInvoice } from '../../domain/invoice-checks';
import { decimalToMinor } from '../../domain/ubl/decimal';
import { mapUblInvoice, sourceOf } from '../../domain/ubl/invoice';

const example = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl-invoice.xml'), 'utf8');

describe('UBL invoice mapping', () => {
  it('maps the example onto a valid canonical invoice that adds up', () => {
    const mapped = mapUblInvoice(example);
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(mapped.invoice).toMatchObject({
      invoiceNumber: 'NW-2026-0417',
      issueDate: '2026-11-02',
      dueDate: '2026-12-02',
      currency: 'EUR',
      supplier: {
        name: 'Northwind Consulting GmbH',
        vatId: 'DE811907980',
        address: { country: 'DE', city: 'Hamburg' },
      },
      customer: { name: 'Partner Workflows B.V.', vatId: 'NL859712453B01' },
      taxExclusiveMinor: 168897,
      taxTotalMinor: 33273,
      payableMinor: 202170,
      payeeIban: 'DE89370400440532013000',
    });
    expect(mapped.invoice.lines[0]).toEqual({
      id: '1',
      description: 'Consulting hours',
      itemDescription: 'Integration consulting, October 2026',
      quantity: 12.5,
      unitCode: 'HUR',
      unitPriceMinor: 9600,
      lineTotalMinor: 120000,
      taxCategory: 'S',
      taxRateBasisPoints: 2000,
    });
    expect([...Value.Errors(InvoiceSchema, mapped.invoice)]).toEqual([]);
    expect(checkInvoice(mapped.invoice)).toEqual([]);
  });

  it('names the element of every problem', () => {
    const broken = example
      .replace('<cbc:IssueDate>2026-11-02</cbc:IssueDate>', '')
      .replace(
        '<cbc:LineExtensionAmount currencyID="EUR">450.00</cbc:LineExtensionAmount>',
        '<cbc:LineExtensionAmount currencyID="EUR">4.5O</cbc:LineExtensionAmount>',
      )
      .replace(
        '<cbc:PriceAmount currencyID="EUR">12.99</cbc:PriceAmount>',
        '<cbc:PriceAmount currencyID="USD">12.99</cbc:PriceAmount>',
      );
    const mapped = mapUblInvoice(broken);
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(mapped.errors).toEqual(
      expect.arrayContaining([
        { pointer: '/Invoice/cbc:IssueDate', message: 'is required', rule: 'BR-03' },
        expect.objectContaining({
          pointer: '/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount',
          message: expect.stringContaining('4.5O'),
          rule: 'BR-DEC-23',
        }),
        { pointer: '/Invoice/cac:InvoiceLine[3]/cac:Price/cbc:PriceAmount', message: expect.stringContaining('USD') },
      ]),
    );
  });

  it('refuses an embedded document without its mime code or file name, or of a type EN 16931 does not list', () => {
    const withAttachments = fs.readFileSync(
      path.join(__dirname, '..', 'fixtures', 'ubl', 'peppol-invoice-allowances.xml'),
      'utf8',
    );
    const binary = '<cbc:EmbeddedDocumentBinaryObject mimeCode="text/csv" filename="timesheet.csv">';
    expect(withAttachments).toContain(binary);
    expect(mapUblInvoice(withAttachments).ok).toBe(true);
    const pointer = '/Invoice/cac:AdditionalDocumentReference[1]/cac:Attachment/cbc:EmbeddedDocumentBinaryObject';
    const cases: [string, string[]][] = [
      ['<cbc:EmbeddedDocumentBinaryObject filename="timesheet.csv">', ['UBL-DT-06']],
      ['<cbc:EmbeddedDocumentBinaryObject mimeCode="text/csv">', ['UBL-DT-07']],
      ['<cbc:EmbeddedDocumentBinaryObject>', ['UBL-DT-06', 'UBL-DT-07']],
      ['<cbc:EmbeddedDocumentBinaryObject mimeCode="text/html" filename="timesheet.html">', ['BR-CL-24']],
      ['<cbc:EmbeddedDocumentBinaryObject mimeCode="" filename="timesheet.csv">', ['BR-CL-24']],
    ];
    for (const [element, rules] of cases) {
      const mapped = mapUblInvoice(withAttachments.replace(binary, element));
      expect(mapped.ok, element).toBe(false);
      if (mapped.ok) continue;
      expect(mapped.errors, element).toEqual(rules.map((rule) => expect.objectContaining({ rule, pointer })));
    }
    for (const mimeCode of ['application/pdf', 'image/png', 'image/jpeg'])
      expect(mapUblInvoice(withAttachments.replace(binary, binary.replace('text/csv', mimeCode))).ok, mimeCode).toBe(
        true,
      );
  });

  it('points total mismatches back to their elements', () => {
    const wrong = example.replace(
      '<cbc:PayableAmount currencyID="EUR">2021.70</cbc:PayableAmount>',
      '<cbc:PayableAmount currencyID="EUR">2021.71</cbc:PayableAmount>',
    );
    const mapped = mapUblInvoice(wrong);
    if (!mapped.ok) throw new Error('should map');
    const problems = checkInvoice(mapped.invoice);
    expect(problems.map((p) => sourceOf(mapped.sources, p.pointer))).toEqual([
      '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount',
    ]);
  });

  it('reads the tax total in the document currency when a second one states it in the tax currency', () => {
    // Peppol's R054: the VAT total without a breakdown is the one in the VAT accounting currency the document names.
    const twoTotals = example
      .replace(
        '<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>',
        '<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>',
      )
      .replace(
        '<cac:TaxTotal>',
        '<cac:TaxTotal><cbc:TaxAmount currencyID="SEK">3812.45</cbc:TaxAmount></cac:TaxTotal>\n  <cac:TaxTotal>',
      );
    const mapped = mapUblInvoice(twoTotals);
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(mapped.invoice.taxTotalMinor).toBe(33273);
    expect(mapped.sources['/taxTotalMinor']).toBe('/Invoice/cac:TaxTotal[2]/cbc:TaxAmount');
  });

  it('refuses XML that is not well formed or not an invoice', () => {
    expect(mapUblInvoice('<Invoice><cbc:ID>1</Invoice>')).toMatchObject({ ok: false, syntax: true });
    expect(mapUblInvoice('<!DOCTYPE x [<!ENTITY a "b">]><Invoice/>')).toMatchObject({ ok: false, syntax: true });
    expect(mapUblInvoice('<CreditNote xmlns="urn:x"/>')).toMatchObject({
      ok: false,
      syntax: false,
      errors: [{ pointer: '/CreditNote' }],
    });
  });

  it('converts decimal strings exactly', () => {
    expect(decimalToMinor('0.10', 2)).toEqual({ value: 10 });
    expect(decimalToMinor('1234567890123.45', 2)).toEqual({ value: 123456789012345 });
    expect(decimalToMinor('19.990', 2)).toEqual({ value: 1999 });
    expect(decimalToMinor('19.995', 2)).toHaveProperty('error');
    expect(decimalToMinor('1500', 0)).toEqual({ value: 1500 });
    expect(decimalToMinor('-1.00', 2)).toHaveProperty('error');
    expect(decimalToMinor('1e3', 2)).toHaveProperty('error');
  });
});

describe('checkInvoice', () => {
  const mapped = mapUblInvoice(example);
  const invoice = mapped.ok ? mapped.invoice : (undefined as never);

  it('lists every inconsistency with its pointer', () => {
    const bad = structuredClone(invoice);
    bad.lines[0]!.lineTotalMinor += 3;
    bad.lines[2]!.id = '1';
    bad.dueDate = '2026-10-01';
    expect(checkInvoice(bad).map((p) => `${p.rule} ${p.pointer}`)).toEqual([
      'PEPPOL-EN16931-R120 /lines/0/lineTotalMinor',
      'PW-LINE-ID /lines/2/id',
      'BR-CO-10 /lineExtensionMinor',
      'BR-S-08 /taxBreakdown/0/taxableMinor',
      'PW-DUE-DATE /dueDate',
    ]);
  });

  it('rounds line totals half up without floats', () => {
    const inv = structuredClone(invoice);
    inv.lines = [
      { id: 'a', description: 'x', quantity: 0.333, unitPriceMinor: 1500, lineTotalMinor: 500, taxRateBasisPoints: 0 },
    ];
    inv.taxExclusiveMinor = 500;
    inv.taxTotalMinor = 0;
    inv.payableMinor = 500;
    delete inv.lineExtensionMinor;
    delete inv.taxInclusiveMinor;
    delete inv.taxBreakdown;
    expect(checkInvoice(inv)).toEqual([]);
  });
});
