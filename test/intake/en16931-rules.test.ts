/**
 * EN 16931 / Peppol BIS Billing 3.0 documents written from the specification: valid ones of every VAT category are
 * accepted; each broken rule is refused with its code and the element; any single total off by one cent is refused, a category's tax off by a whole unit (less is rounding CEN allows).
 */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { claiming, EN16931_CORE, fixture, judge, read, swap } from './judge';
import { InvoiceSchema, type Invoice, type VatCategory } from '../../contracts/invoice';
import { checkInvoice, taxOf } from '../../domain/invoice-checks';
import type { InvoiceBuyer } from '../../contracts/partner-billing';
import { orderInvoice, type OrderInvoiceSource } from '../../domain/order-invoice';
import { invoiceCustomer } from '../../domain/partner-billing';
import { writeUbl } from '../../domain/ubl/writer';
import { checkCanonicalInvoice } from '../../api/schemas/invoice-validator';

const rich = fixture('peppol-invoice-allowances.xml');
const creditNote = fixture('peppol-credit-note.xml');

describe('a Peppol invoice with allowances, charges, a returned line, prepaid and rounding', () => {
  it('is read completely and accepted', () => {
    expect(judge(rich)).toEqual([]);
    const invoice = read(rich);
    expect(invoice).toMatchObject({
      documentType: 'invoice',
      lineExtensionMinor: 57318,
      allowanceTotalMinor: 1000,
      chargeTotalMinor: 1500,
      taxExclusiveMinor: 57818,
      taxTotalMinor: 11105,
      taxInclusiveMinor: 68923,
      prepaidMinor: 10000,
      roundingMinor: 2,
      payableMinor: 58925,
      payment: { meansCode: '30', accountId: '86011117947', accountName: 'Aurora Supplies AS' },
      invoicePeriod: { startDate: '2026-10-01', endDate: '2026-10-31' },
      orderReference: 'PO-7781',
      attachments: [{ id: 'TS-1', mimeCode: 'text/csv', filename: 'timesheet.csv' }],
    });
    expect(invoice.payeeIban).toBeUndefined();
    expect(invoice.lines[1]).toMatchObject({ quantity: -2, lineTotalMinor: -6000 });
    expect(invoice.lines[2]).toMatchObject({ unitPriceMinor: 1000, grossPriceMinor: 1200, priceDiscountMinor: 200 });
    expect(invoice.lines[3]).toMatchObject({ priceBaseQuantity: 100, lineTotalMinor: 3085 });
    expect(invoice.lines[4]).toMatchObject({ unitPrice: '0.333', unitPriceMinor: 33, lineTotalMinor: 233 });
    expect(invoice.taxBreakdown).toEqual([
      { category: 'S', rateBasisPoints: 2500, taxableMinor: 41500, taxMinor: 10375 },
      { category: 'S', rateBasisPoints: 1200, taxableMinor: 6085, taxMinor: 730 },
      { category: 'Z', rateBasisPoints: 0, taxableMinor: 233, taxMinor: 0 },
      expect.objectContaining({ category: 'E', taxableMinor: 10000, exemptionReasonCode: 'VATEX-EU-132' }),
    ]);
  });

  const LMT = '/Invoice/cac:LegalMonetaryTotal/cbc';
  const cases: [string, string, string, string][] = [
    // element text as written, rule, element the error names
    ['<cbc:LineExtensionAmount currencyID="EUR">573.18', 'BR-CO-10', `${LMT}:LineExtensionAmount`, '573.19'],
    ['<cbc:AllowanceTotalAmount currencyID="EUR">10.00', 'BR-CO-11', `${LMT}:AllowanceTotalAmount`, '10.01'],
    ['<cbc:ChargeTotalAmount currencyID="EUR">15.00', 'BR-CO-12', `${LMT}:ChargeTotalAmount`, '15.01'],
    ['<cbc:TaxExclusiveAmount currencyID="EUR">578.18', 'BR-CO-13', `${LMT}:TaxExclusiveAmount`, '578.19'],
    ['<cbc:TaxAmount currencyID="EUR">111.05', 'BR-CO-14', '/Invoice/cac:TaxTotal/cbc:TaxAmount', '111.06'],
    ['<cbc:TaxInclusiveAmount currencyID="EUR">689.23', 'BR-CO-15', `${LMT}:TaxInclusiveAmount`, '689.24'],
    ['<cbc:PrepaidAmount currencyID="EUR">100.00', 'BR-CO-16', `${LMT}:PayableAmount`, '100.01'],
    ['<cbc:PayableRoundingAmount currencyID="EUR">0.02', 'BR-CO-16', `${LMT}:PayableAmount`, '0.03'],
    ['<cbc:PayableAmount currencyID="EUR">589.25', 'BR-CO-16', `${LMT}:PayableAmount`, '589.26'],
    [
      '<cbc:TaxableAmount currencyID="EUR">415.00',
      'BR-S-08',
      '/Invoice/cac:TaxTotal/cac:TaxSubtotal[1]/cbc:TaxableAmount',
      '415.01',
    ],
    // A category's tax may be off its rounded product by less than one unit of the currency (CEN's BR-S-09).
    [
      '<cbc:TaxAmount currencyID="EUR">103.75',
      'BR-S-09',
      '/Invoice/cac:TaxTotal/cac:TaxSubtotal[1]/cbc:TaxAmount',
      '104.75',
    ],
    [
      '<cbc:TaxAmount currencyID="EUR">7.30',
      'BR-S-09',
      '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cbc:TaxAmount',
      '6.30',
    ],
    [
      '<cbc:TaxAmount currencyID="EUR">0.00',
      'BR-Z-09',
      '/Invoice/cac:TaxTotal/cac:TaxSubtotal[3]/cbc:TaxAmount',
      '0.01',
    ],
    ['<cbc:LineExtensionAmount currencyID="EUR">30.85', 'BR-CO-10', `${LMT}:LineExtensionAmount`, '30.86'],
  ];
  it.each(cases)(
    'refuses %s off by one cent (a category tax by one unit) with %s at its element',
    (original, rule, element, changed) => {
      expect(rich).toContain(original);
      const prefix = original.slice(0, original.indexOf('>') + 1);
      const errors = judge(rich.replace(original, `${prefix}${changed}`));
      expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ rule, pointer: element })]));
    },
  );

  it('accepts a supplier and a customer with the same VAT id (members of one VAT group; XRechnung case 01.07a)', () => {
    const sameVat = rich.replace(
      '<cbc:CompanyID>NL859712453B01</cbc:CompanyID>',
      '<cbc:CompanyID>NO999999999MVA</cbc:CompanyID>',
    );
    expect(sameVat).not.toBe(rich);
    expect(judge(sameVat)).toEqual([]);
  });

  it('refuses a line net amount off by more than the Peppol slack of 0.02', () => {
    const wrong = rich.replace(
      '<cbc:LineExtensionAmount currencyID="EUR">470.00',
      '<cbc:LineExtensionAmount currencyID="EUR">470.03',
    );
    expect(judge(wrong)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'PEPPOL-EN16931-R120',
          pointer: '/Invoice/cac:InvoiceLine[1]/cbc:LineExtensionAmount',
        }),
      ]),
    );
  });

  it('refuses a line allowance that is not base x percentage, and a net price that is not gross - discount', () => {
    const allowance = rich.replace('<cbc:Amount currencyID="EUR">50.00', '<cbc:Amount currencyID="EUR">49.00');
    expect(judge(allowance)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'PEPPOL-EN16931-R040',
          pointer: '/Invoice/cac:InvoiceLine[1]/cac:AllowanceCharge[1]/cbc:Amount',
        }),
      ]),
    );
    const price = rich.replace('<cbc:BaseAmount currencyID="EUR">12.00', '<cbc:BaseAmount currencyID="EUR">12.50');
    expect(judge(price)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'PEPPOL-EN16931-R046',
          pointer: '/Invoice/cac:InvoiceLine[3]/cac:Price/cbc:PriceAmount',
        }),
      ]),
    );
  });

  it('refuses an allowance without a reason (BR-CO-21) and a period ending before it starts (BR-29)', () => {
    const noReason = rich
      .replace(
        '<cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>\n    <cbc:AllowanceChargeReason>Loyalty discount</cbc:AllowanceChargeReason>',
        '',
      )
      .replace('<cbc:EndDate>2026-10-31</cbc:EndDate>', '<cbc:EndDate>2026-09-30</cbc:EndDate>');
    expect(judge(noReason)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'BR-CO-21', pointer: '/Invoice/cac:AllowanceCharge[1]' }),
        expect.objectContaining({ rule: 'BR-29', pointer: '/Invoice/cac:InvoicePeriod/cbc:EndDate' }),
      ]),
    );
  });
});

describe('prices and amounts as written', () => {
  it('takes a gross price and price discount with more decimals than the currency (BT-148/BT-147 are prices)', () => {
    const xml = rich
      .replace(
        '<cbc:PriceAmount currencyID="EUR">10.00</cbc:PriceAmount>',
        '<cbc:PriceAmount currencyID="EUR">10.00</cbc:PriceAmount>',
      )
      .replace('<cbc:Amount currencyID="EUR">2.00</cbc:Amount>', '<cbc:Amount currencyID="EUR">2.005</cbc:Amount>')
      .replace(
        '<cbc:BaseAmount currencyID="EUR">12.00</cbc:BaseAmount>',
        '<cbc:BaseAmount currencyID="EUR">12.005</cbc:BaseAmount>',
      );
    expect(judge(xml)).toEqual([]);
    const line = read(xml).lines.find((l) => l.grossPrice !== undefined)!;
    expect([line.grossPrice, line.priceDiscount]).toEqual(['12.005', '2.005']);
    // Written back as read.
    expect(judge(writeUbl(read(xml)))).toEqual([]);
  });

  it('refuses a net price that is not exactly gross - discount, whatever its decimals (PEPPOL-EN16931-R046)', () => {
    const xml = rich.replace(
      '<cbc:PriceAmount currencyID="EUR">10.00</cbc:PriceAmount>',
      '<cbc:PriceAmount currencyID="EUR">10.001</cbc:PriceAmount>',
    );
    expect(judge(xml).map((p) => p.rule)).toContain('PEPPOL-EN16931-R046');
  });

  it('names PEPPOL-EN16931-R043 for a charge indicator written 0 or 1', () => {
    const xml = rich.replace(
      /<cbc:ChargeIndicator>false<\/cbc:ChargeIndicator>/,
      '<cbc:ChargeIndicator>0</cbc:ChargeIndicator>',
    );
    expect(judge(xml)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'PEPPOL-EN16931-R043', message: 'must be true or false' }),
      ]),
    );
  });

  it('counts the decimals of an amount as written, trailing zeros too (BR-DEC-18)', () => {
    const errors = judge(
      rich.replace(
        '<cbc:PayableAmount currencyID="EUR">589.25</cbc:PayableAmount>',
        '<cbc:PayableAmount currencyID="EUR">589.250</cbc:PayableAmount>',
      ),
    );
    expect(errors).toEqual([
      expect.objectContaining({ rule: 'BR-DEC-18', message: expect.stringContaining('589.250') }),
    ]);
  });
});

describe('the invoice number (BT-1)', () => {
  const numbered = (invoiceNumber: string) => writeUbl({ ...read(rich), invoiceNumber });

  it("takes any printable text, as ERPs write it (a Greek supplier's `|`-separated number, GR-R-001)", () => {
    for (const n of ['061828591|01/10/2020|0|1.1|0|1', 'FA 2026 #17', 'Rechnung Nr. 4711 (Kopie)', '018304 / 28865']) {
      expect(judge(numbered(n)), n).toEqual([]);
      expect(checkCanonicalInvoice({ ...read(rich), invoiceNumber: n }), n).toEqual([]);
    }
  });

  it('refuses control characters and white space at either end', () => {
    for (const n of ['INV\u00071', 'INV\u00851', ' INV-1', 'INV-1\t']) {
      expect(checkCanonicalInvoice({ ...read(rich), invoiceNumber: n }), JSON.stringify(n)).toEqual([
        { pointer: '/invoiceNumber', message: expect.stringContaining('pattern') },
      ]);
    }
  });
});

describe('a Peppol credit note', () => {
  it('is read as a credit note with the invoice it corrects', () => {
    expect(judge(creditNote)).toEqual([]);
    expect(read(creditNote)).toMatchObject({
      documentType: 'credit_note',
      typeCode: '381',
      dueDate: '2026-11-30',
      billingReferences: [{ invoiceNumber: 'NW-2026-0417', issueDate: '2026-11-02' }],
      lines: [{ quantity: 2, lineTotalMinor: 19200 }],
      payableMinor: 23040,
    });
  });

  it('names CreditNote elements in its errors', () => {
    const wrong = creditNote.replace(
      '<cbc:PayableAmount currencyID="EUR">230.40',
      '<cbc:PayableAmount currencyID="EUR">230.41',
    );
    expect(judge(wrong)).toEqual([
      expect.objectContaining({ rule: 'BR-CO-16', pointer: '/CreditNote/cac:LegalMonetaryTotal/cbc:PayableAmount' }),
    ]);
  });
});

/** A one-line invoice of a category, adding up, with the parties and reasons the category needs. */
function oneLine(category: VatCategory, rate: number | undefined, amount = 10_000): Invoice {
  const tax = rate === undefined || ['Z', 'E', 'AE', 'K', 'G', 'O'].includes(category) ? 0 : taxOf(amount, rate);
  // A VATEX code of the category: E is exempt under an article (here 132), K is the intra-community supply (IC).
  const vatex: Partial<Record<VatCategory, string>> = { E: '132', AE: 'AE', K: 'IC', G: 'G', O: 'O' };
  const exemption = vatex[category]
    ? { exemptionReasonCode: `VATEX-EU-${vatex[category]}`, exemptionReason: 'as the law says' }
    : {};
  const outside = category === 'O';
  return {
    invoiceNumber: `CAT-${category}`,
    issueDate: '2026-11-02',
    dueDate: '2026-12-02',
    currency: 'EUR',
    // What Peppol BIS asks of the document besides: a buyer reference (R003) and both electronic addresses (R010, R020).
    buyerReference: 'REF-1',
    supplier: {
      name: 'Seller',
      ...(outside ? { legalRegistrationId: 'HRB 1' } : { vatId: 'DE811907980' }),
      endpointId: 'seller@example.com',
      endpointScheme: 'EM',
      address: { country: 'DE' },
    },
    customer: {
      name: 'Buyer',
      ...(outside ? {} : { vatId: 'FR40303265045' }),
      endpointId: 'buyer@example.com',
      endpointScheme: 'EM',
      address: { country: 'FR' },
    },
    ...(category === 'K' ? { delivery: { date: '2026-11-01', country: 'FR' } } : {}),
    lines: [
      {
        id: '1',
        description: 'Goods',
        quantity: 4,
        unitPriceMinor: amount / 4,
        lineTotalMinor: amount,
        taxCategory: category,
        ...(rate === undefined ? {} : { taxRateBasisPoints: rate }),
      },
    ],
    lineExtensionMinor: amount,
    taxExclusiveMinor: amount,
    taxTotalMinor: tax,
    taxInclusiveMinor: amount + tax,
    payableMinor: amount + tax,
    taxBreakdown: [
      {
        category,
        ...(rate === undefined ? {} : { rateBasisPoints: rate }),
        taxableMinor: amount,
        taxMinor: tax,
        ...exemption,
      },
    ],
  };
}

const CATEGORIES: [VatCategory, number | undefined, string][] = [
  ['S', 2000, 'BR-S'],
  ['Z', 0, 'BR-Z'],
  ['E', 0, 'BR-E'],
  ['AE', 0, 'BR-AE'],
  ['K', 0, 'BR-IC'],
  ['G', 0, 'BR-G'],
  ['O', undefined, 'BR-O'],
  ['L', 700, 'BR-AF'],
  ['M', 400, 'BR-AG'],
];

describe.each(CATEGORIES)('VAT category %s', (category, rate, family) => {
  const valid = oneLine(category, rate);
  const xml = writeUbl(valid);

  it('accepts a valid document, through UBL and as JSON', () => {
    expect(judge(xml)).toEqual([]);
    expect(checkInvoice(valid)).toEqual([]);
    expect([...Value.Errors(InvoiceSchema, valid)]).toEqual([]);
  });

  it(`refuses a wrong rate (${family}-05)`, () => {
    const bad = structuredClone(valid);
    bad.lines[0]!.taxRateBasisPoints =
      rate === undefined ? 0 : category === 'S' || category === 'L' || category === 'M' ? 0 : 1000;
    if (category === 'L' || category === 'M') delete bad.lines[0]!.taxRateBasisPoints;
    expect(checkInvoice(bad)).toEqual(expect.arrayContaining([expect.objectContaining({ rule: `${family}-05` })]));
  });

  it(`refuses a taxable amount that does not add up (${family}-08), and a tax amount that is off (${family}-09)`, () => {
    const bad = structuredClone(valid);
    bad.taxBreakdown![0]!.taxableMinor += 1;
    // A whole unit of the currency: less is the rounding CEN's schematron lets through.
    bad.taxBreakdown![0]!.taxMinor += 100;
    expect(judge(writeUbl(bad))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: `${family}-08`,
          pointer: '/Invoice/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount',
        }),
        expect.objectContaining({
          rule: `${family}-09`,
          pointer: '/Invoice/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount',
        }),
      ]),
    );
  });

  it(`refuses a missing or forbidden exemption reason (${family}-10)`, () => {
    const bad = structuredClone(valid);
    const group = bad.taxBreakdown![0]!;
    if (group.exemptionReason) {
      delete group.exemptionReason;
      delete group.exemptionReasonCode;
    } else group.exemptionReason = 'not exempt at all';
    expect(judge(writeUbl(bad))).toEqual(expect.arrayContaining([expect.objectContaining({ rule: `${family}-10` })]));
  });

  it(`refuses the wrong VAT identifiers of the parties (${family}-02)`, () => {
    const bad = structuredClone(valid);
    if (category === 'O') bad.supplier.vatId = 'DE811907980';
    else {
      delete bad.supplier.vatId;
      delete bad.customer.vatId;
    }
    expect(judge(writeUbl(bad))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: `${family}-02`,
          pointer: '/Invoice/cac:InvoiceLine[1]/cac:Item/cac:ClassifiedTaxCategory/cbc:ID',
        }),
      ]),
    );
  });

  it(`refuses items of the category without a breakdown group for it (${family}-01)`, () => {
    const bad = structuredClone(valid);
    bad.taxBreakdown = [{ category: 'S', rateBasisPoints: 1000, taxableMinor: 0, taxMinor: 0 }];
    if (category === 'S') bad.taxBreakdown[0]!.category = 'Z';
    expect(checkInvoice(bad)).toEqual(expect.arrayContaining([expect.objectContaining({ rule: `${family}-01` })]));
  });
});

describe('category rules across the document', () => {
  it('refuses an intra-community supply without delivery date or country (BR-IC-11, BR-IC-12)', () => {
    const bad = oneLine('K', 0);
    delete bad.delivery;
    expect(checkInvoice(bad).map((p) => p.rule)).toEqual(['BR-IC-11', 'BR-IC-12']);
  });

  it('refuses category O mixed with another category (BR-O-11, BR-O-12)', () => {
    const mixed = oneLine('O', undefined);
    const s = oneLine('S', 2000);
    mixed.lines.push({ ...s.lines[0]!, id: '2' });
    mixed.taxBreakdown!.push(s.taxBreakdown![0]!);
    const rules = checkInvoice(mixed).map((p) => p.rule);
    expect(rules).toEqual(expect.arrayContaining(['BR-O-11', 'BR-O-12']));
  });

  it('refuses a VAT point date together with a VAT point date code (BR-CO-03), and reads both back', () => {
    const inv = oneLine('S', 2000);
    inv.invoicePeriod = { descriptionCode: '35' };
    expect(checkInvoice(inv)).toEqual([]);
    expect(read(writeUbl(inv)).invoicePeriod).toEqual({ descriptionCode: '35' });
    inv.taxPointDate = '2026-11-01';
    expect(checkInvoice(inv).map((p) => p.rule)).toEqual(['BR-CO-03']);
    expect(judge(writeUbl(inv))).toEqual([
      expect.objectContaining({ rule: 'BR-CO-03', pointer: '/Invoice/cbc:TaxPointDate' }),
    ]);
  });

  it('refuses a seller without any identifier (BR-CO-26), and takes a party identifier as one', () => {
    const inv = oneLine('O', undefined);
    delete inv.supplier.legalRegistrationId;
    expect(judge(writeUbl(inv))).toEqual([
      expect.objectContaining({ rule: 'BR-CO-26', pointer: '/Invoice/cac:AccountingSupplierParty/cac:Party' }),
    ]);
    inv.supplier.identifier = '4050000000018';
    expect(judge(writeUbl(inv))).toEqual([]);
    expect(read(writeUbl(inv)).supplier.identifier).toBe('4050000000018');
  });

  it('refuses an amount due without a due date or payment terms (BR-CO-25)', () => {
    const bad = oneLine('S', 2000);
    delete bad.dueDate;
    expect(checkInvoice(bad).map((p) => p.rule)).toEqual(['BR-CO-25']);
    // Under Peppol BIS only: CEN's schematron has dropped it, and EN 16931 asks for neither.
    expect(checkInvoice({ ...bad, specification: EN16931_CORE })).toEqual([]);
  });

  it('holds only invoices to BR-CO-25: a credit note with an amount due needs neither a due date nor terms', () => {
    const note = read(creditNote);
    delete note.dueDate;
    delete note.paymentTerms;
    expect(note.payableMinor).toBeGreaterThan(0);
    expect(judge(writeUbl(note))).toEqual([]);
  });

  it('accepts per-line rounded tax and a cent of rounding, and refuses a whole unit off (BR-S-09 and BR-CO-17)', () => {
    const inv = oneLine('S', 700, 0);
    inv.lines = [1, 2, 3].map((n) => ({
      id: String(n),
      description: 'x',
      quantity: 1,
      unitPriceMinor: 1299,
      lineTotalMinor: 1299,
      taxCategory: 'S' as const,
      taxRateBasisPoints: 700,
    }));
    // 3 x 12.99 = 38.97; 7 % of it is 2.7279 -> 2.73; per line 0.9093 -> 0.91 x 3 = 2.73 too; make them differ:
    inv.lines[2]!.unitPriceMinor = 1307;
    inv.lines[2]!.lineTotalMinor = 1307; // 0.9149 -> 0.91; sum 39.05 -> 2.7335 -> 2.73; per line 2.73 (same)
    inv.lineExtensionMinor = inv.taxExclusiveMinor = 3905;
    inv.taxBreakdown = [{ category: 'S', rateBasisPoints: 700, taxableMinor: 3905, taxMinor: 273 }];
    inv.taxTotalMinor = 273;
    inv.taxInclusiveMinor = inv.payableMinor = 4178;
    expect(checkInvoice(inv)).toEqual([]);
    inv.taxBreakdown[0]!.taxMinor = inv.taxTotalMinor = 274;
    inv.taxInclusiveMinor = inv.payableMinor = 4179;
    expect(checkInvoice(inv)).toEqual([]);
    inv.taxBreakdown[0]!.taxMinor = inv.taxTotalMinor = 373;
    inv.taxInclusiveMinor = inv.payableMinor = 4278;
    expect(checkInvoice(inv).map((p) => p.rule)).toEqual(['BR-S-09', 'BR-CO-17']);
    inv.taxBreakdown[0]!.taxMinor = inv.taxTotalMinor = 173;
    inv.taxInclusiveMinor = inv.payableMinor = 4078;
    expect(checkInvoice(inv).map((p) => p.rule)).toEqual(['BR-S-09', 'BR-CO-17']);
  });
});

describe('our UBL output', () => {
  it('reads back to the same invoice (round trip)', () => {
    const original = read(rich);
    delete original.attachments;
    const again = read(writeUbl(original));
    expect(again).toEqual(original);
    const credit = read(creditNote);
    expect(read(writeUbl(credit))).toEqual(credit);
  });

  it("issues order invoices that pass every rule, our own country's (NL) national rules too", () => {
    const source: OrderInvoiceSource = {
      invoiceNumber: 'PW-2026-000001',
      issuedAt: new Date('2026-12-06T10:00:00Z'),
      taxRateBasisPoints: 2100,
      order: {
        orderNumber: 'PO-1',
        currency: 'EUR',
        partnerName: 'Acme GmbH',
        lines: [{ sku: 'A', description: 'Widget', quantity: 3, unitPriceMinor: 1250 }],
        subtotalMinor: 3750,
        taxMinor: 788,
        totalMinor: 4538,
      },
    };
    // Without the buyer's postal address the document breaks EN 16931 (BR-10): the API serves no UBL form of it.
    expect(judge(writeUbl(orderInvoice(source))).map((p) => p.rule)).toEqual(['BR-10']);

    // A buyer with billing details: Dutch (NL-R-004 wants its street, city and post code), German, Greek (EL).
    const address = { street: 'Keizersgracht 1', city: 'Amsterdam', postalCode: '1015 CJ', country: 'NL' };
    const buyers: InvoiceBuyer[] = [
      { name: 'Acme B.V.', vatId: 'NL123456789B01', address, endpoint: { scheme: '0106', id: '12345678' } },
      {
        name: 'Acme GmbH',
        vatId: 'DE123456789',
        address: {
          street: 'Hauptstraße 5',
          additionalStreet: 'Hof 2',
          city: 'Berlin',
          postalCode: '10115',
          countrySubdivision: 'Berlin',
          country: 'DE',
        },
        endpoint: { scheme: '9930', id: 'DE123456789' },
      },
      {
        name: 'Acme AE',
        vatId: 'EL123456789',
        address: { street: 'Ermou 10', city: 'Athens', postalCode: '105 63', country: 'GR' },
        endpoint: { scheme: 'EM', id: 'invoices@acme.example' },
      },
      { name: 'Acme Ltd', address: { ...address, country: 'GB' } },
    ];
    for (const buyer of buyers) {
      const xml = writeUbl(orderInvoice({ ...source, buyer }));
      expect(judge(xml)).toEqual([]);
      expect(read(xml).customer).toEqual(invoiceCustomer(buyer));
    }
    // Were a Dutch buyer's address written without its post code, NL-R-004 would refuse it.
    const partial = orderInvoice({ ...source, buyer: buyers[0]! });
    delete partial.customer.address!.postalCode;
    expect(judge(writeUbl(partial)).map((p) => p.rule)).toEqual(['NL-R-004']);
  });
});

describe('what EN 16931 asks of every line, breakdown and price', () => {
  it("refuses an invoice without the seller's postal address (BR-08) or the buyer's (BR-10)", () => {
    const noSellerAddress = rich.replace(
      /(<cac:AccountingSupplierParty>[\s\S]*?)<cac:PostalAddress>[\s\S]*?<\/cac:PostalAddress>/,
      '$1',
    );
    expect(noSellerAddress).not.toContain('<cbc:CityName>Oslo');
    expect(judge(noSellerAddress).map((p) => p.rule)).toEqual(['BR-08']);
    const noBuyerAddress = rich.replace(
      /(<cac:AccountingCustomerParty>[\s\S]*?)<cac:PostalAddress>[\s\S]*?<\/cac:PostalAddress>/,
      '$1',
    );
    expect(noBuyerAddress).not.toContain('<cbc:CityName>Amsterdam');
    expect(judge(noBuyerAddress)).toEqual([
      expect.objectContaining({ rule: 'BR-10', pointer: '/Invoice/cac:AccountingCustomerParty/cac:Party' }),
    ]);
  });

  it('refuses an electronic address without its scheme (BR-62, BR-63), naming the element', () => {
    const xml = rich
      .replace('<cbc:EndpointID schemeID="0088">7300010000001', '<cbc:EndpointID>7300010000001')
      .replace('<cbc:EndpointID schemeID="0088">5790000436101', '<cbc:EndpointID>5790000436101');
    expect(judge(xml)).toEqual([
      expect.objectContaining({
        rule: 'BR-62',
        pointer: '/Invoice/cac:AccountingSupplierParty/cac:Party/cbc:EndpointID',
      }),
      expect.objectContaining({
        rule: 'BR-63',
        pointer: '/Invoice/cac:AccountingCustomerParty/cac:Party/cbc:EndpointID',
      }),
    ]);
  });

  it('refuses a quantity without its unit (BR-23), naming the element', () => {
    const xml = swap(rich, '<cbc:InvoicedQuantity unitCode="HUR">10<', '<cbc:InvoicedQuantity>10<');
    expect(judge(xml)).toEqual([
      expect.objectContaining({ rule: 'BR-23', pointer: '/Invoice/cac:InvoiceLine[1]/cbc:InvoicedQuantity' }),
    ]);
  });

  it('refuses a breakdown of a zero-rated or exempt category without its rate 0 (BR-48)', () => {
    const xml = swap(rich, '<cbc:ID>E</cbc:ID>\n        <cbc:Percent>0</cbc:Percent>', '<cbc:ID>E</cbc:ID>');
    expect(judge(xml)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'BR-48', pointer: '/Invoice/cac:TaxTotal/cac:TaxSubtotal[4]' }),
      ]),
    );
  });

  it('refuses a charge at price level, which EN 16931 does not have and which is no discount (R044)', () => {
    const charge = swap(
      rich,
      '<cbc:ChargeIndicator>false</cbc:ChargeIndicator>\n        <cbc:Amount currencyID="EUR">2.00</cbc:Amount>',
      '<cbc:ChargeIndicator>true</cbc:ChargeIndicator>\n        <cbc:Amount currencyID="EUR">2.00</cbc:Amount>',
    );
    const pointer = '/Invoice/cac:InvoiceLine[3]/cac:Price/cac:AllowanceCharge/cbc:ChargeIndicator';
    expect(judge(charge)).toEqual([expect.objectContaining({ rule: 'PEPPOL-EN16931-R044', pointer })]);
    expect(judge(claiming(charge, EN16931_CORE))).toEqual([expect.objectContaining({ pointer })]);
  });
});
