/**
 * The rules follow the specification a document claims (BT-24): a Peppol BIS invoice answers to EN 16931 and to
 * Peppol's own rules, an XRechnung to EN 16931 and XRechnung's own (xrechnung-rules.test.ts), a plain EN 16931 invoice
 * to EN 16931's only. Peppol's rules are not EN 16931's requirements: CEN's own published examples break several.
 */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { claiming, EN16931_CORE, fixture, judge, read, withPeppolOnlyBreaches } from './judge';
import { InvoiceSchema } from '../../contracts/invoice';
import { checkInvoice } from '../../domain/invoice-checks';
import { PEPPOL_SPECIFICATION, peppolRulesApply } from '../../domain/specifications';
import { writeUbl } from '../../domain/ubl/writer';

const rich = fixture('peppol-invoice-allowances.xml');
const XRECHNUNG = 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0';

const rules = (problems: { rule?: string }[]) => problems.map((p) => p.rule ?? '').sort();

describe('which specification claims Peppol BIS', () => {
  it.each([
    [undefined, true],
    [PEPPOL_SPECIFICATION, true],
    [`${PEPPOL_SPECIFICATION}#conformant#urn:fdc:example.eu:2026:extension`, true],
    [EN16931_CORE, false],
    [XRECHNUNG, false],
    // Named only in passing, or a later version: not Peppol BIS Billing 3.0.
    ['urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0x', false],
    ['urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0', false],
  ])('%s: %s', (specification, peppol) => {
    expect(peppolRulesApply(specification)).toBe(peppol);
  });
});

describe("a document that breaks only Peppol's own rules", () => {
  const broken = withPeppolOnlyBreaches(rich);

  it('is refused when it claims Peppol BIS, naming each rule', () => {
    // The reader refuses its syntax first; the model's rules (R002, R120, NO-R-001) are below, with JSON.
    expect(rules(judge(broken))).toEqual(['PEPPOL-EN16931-R008', 'PEPPOL-EN16931-R043']);
  });

  it("is refused under none of Peppol's rules when it claims XRechnung, only under XRechnung's own", () => {
    const problems = rules(judge(claiming(broken, XRECHNUNG)));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.filter((rule) => !rule.startsWith('BR-DE-'))).toEqual([]);
  });

  it.each([EN16931_CORE])('is accepted when it claims %s, and keeps what it claims', (specification) => {
    const xml = claiming(broken, specification);
    expect(judge(xml)).toEqual([]);
    const invoice = read(xml);
    expect(invoice.specification).toBe(specification);
    expect(invoice.notes?.map((n) => n.text)).toEqual(['Delivered in two parts', 'Thank you']);
    // The charge indicator 0 is an allowance, as XML Schema reads it.
    expect(invoice.allowanceCharges?.[0]).toMatchObject({ charge: false, amountMinor: 1000 });
  });

  it('is still held to EN 16931: a total off by one cent is refused under the core specification too', () => {
    const xml = claiming(broken, EN16931_CORE).replace(
      '<cbc:PayableAmount currencyID="EUR">589.25<',
      '<cbc:PayableAmount currencyID="EUR">589.26<',
    );
    expect(judge(xml)).toEqual([
      expect.objectContaining({ rule: 'BR-CO-16', pointer: '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount' }),
    ]);
  });

  it('refuses an indicator that is no boolean at all under either', () => {
    const xml = broken.replace('<cbc:ChargeIndicator>0<', '<cbc:ChargeIndicator>no<');
    expect(judge(claiming(xml, EN16931_CORE))).toEqual([
      expect.objectContaining({ message: 'must be true, false, 1 or 0' }),
    ]);
  });
});

describe('empty elements outside Peppol BIS', () => {
  it.each([
    ['empty', '<cbc:InvoiceTypeCode></cbc:InvoiceTypeCode>'],
    ['absent', ''],
  ])('refuse an %s type code (BR-04), which our writer would have written back as 380', (_, typeCode) => {
    const xml = claiming(rich, EN16931_CORE).replace('<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>', typeCode);
    expect(judge(xml)).toEqual([expect.objectContaining({ rule: 'BR-04', pointer: '/Invoice/cbc:InvoiceTypeCode' })]);
  });
});

describe('the VAT accounting currency', () => {
  const sameCurrency = rich.replace(
    '<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>',
    '<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>\n  <cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>',
  );

  it("may be the document's own in EN 16931, whose VAT total is then in it (BR-53 holds)", () => {
    expect(judge(claiming(sameCurrency, EN16931_CORE))).toEqual([]);
  });

  it('must differ from it under Peppol (R005), whose VAT total in it is then missing (R054); nothing else is refused', () => {
    expect(rules(judge(sameCurrency))).toEqual(['PEPPOL-EN16931-R005', 'PEPPOL-EN16931-R054']);
  });

  it('is stated once in the document currency (BR-CO-15): a second total there is no BT-111 but a contradiction', () => {
    const twice = sameCurrency.replace(
      '<cac:LegalMonetaryTotal>',
      '<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">999.05</cbc:TaxAmount></cac:TaxTotal>\n  <cac:LegalMonetaryTotal>',
    );
    expect(judge(claiming(twice, EN16931_CORE))).toEqual([
      expect.objectContaining({ rule: 'BR-CO-15', pointer: '/Invoice/cac:TaxTotal[2]/cbc:TaxAmount' }),
    ]);
  });

  it('in JSON, in the document currency, is the VAT total itself; written once, it reads back accepted', () => {
    const invoice = read(claiming(sameCurrency, EN16931_CORE));
    delete invoice.attachments;
    expect(rules(checkInvoice({ ...invoice, taxTotalInTaxCurrencyMinor: 99905 }))).toEqual(['BR-CO-15']);
    const same = { ...invoice, taxTotalInTaxCurrencyMinor: invoice.taxTotalMinor };
    expect(checkInvoice(same)).toEqual([]);
    const xml = writeUbl(same);
    expect(xml.match(/<cac:TaxTotal>/g)).toHaveLength(1);
    expect(judge(xml)).toEqual([]);
  });

  it('in another currency still needs the VAT total in that currency (BR-53)', () => {
    const other = claiming(
      sameCurrency.replace('<cbc:TaxCurrencyCode>EUR<', '<cbc:TaxCurrencyCode>NOK<'),
      EN16931_CORE,
    );
    expect(rules(judge(other))).toEqual(['BR-53']);
  });
});

describe('JSON and the writer', () => {
  it('a JSON invoice that names no specification is held to Peppol; naming the core one, to EN 16931 only', () => {
    const invoice = read(claiming(withPeppolOnlyBreaches(rich), EN16931_CORE));
    delete invoice.specification;
    expect(rules(checkInvoice(invoice))).toEqual(['NO-R-001', 'PEPPOL-EN16931-R002', 'PEPPOL-EN16931-R120']);
    const core = { ...invoice, specification: EN16931_CORE };
    expect(Value.Check(InvoiceSchema, core)).toBe(true);
    expect(checkInvoice(core)).toEqual([]);
  });

  it('writes the specification an invoice claims, with no Peppol ProfileID, and reads it back', () => {
    const invoice = read(claiming(rich, EN16931_CORE));
    // Embedded documents are stored apart and not written back.
    delete invoice.attachments;
    const xml = writeUbl(invoice);
    expect(xml).toContain(`<cbc:CustomizationID>${EN16931_CORE}</cbc:CustomizationID>`);
    expect(xml).not.toContain('<cbc:ProfileID>');
    expect(read(xml)).toEqual(invoice);
  });

  it('writes Peppol BIS with its ProfileID for an invoice that names none, and reads it back as naming none', () => {
    const invoice = read(rich);
    const xml = writeUbl(invoice);
    expect(xml).toContain(`<cbc:CustomizationID>${PEPPOL_SPECIFICATION}</cbc:CustomizationID>`);
    expect(xml).toContain('<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>');
    expect(read(xml).specification).toBeUndefined();
  });

  it('refuses a specification with white space or a control character inside', () => {
    for (const specification of ['urn:cen.eu:en16931:2017 extra', 'urn:cen.eu:en16931:2017\u0001'])
      expect(Value.Check(InvoiceSchema, { ...read(rich), specification })).toBe(false);
  });
});
