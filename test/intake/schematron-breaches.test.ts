/**
 * Breaches of fatal rules of CEN's and Peppol's schematrons that were once accepted, or refused under another rule or
 * none: each is the smallest change to a valid fixture that breaks the rule as its test expression reads, and the
 * refusal names that rule at that element.
 */
import { describe, expect, it } from 'vitest';
import { fixture, judge, swap } from './judge';

const base = fixture('peppol-invoice-allowances.xml');

/** The 12 % breakdown's category, the loyalty discount's and the returned brackets' line category. */
const SUBTOTAL_12 =
  /(<cbc:TaxAmount currencyID="EUR">7.30<\/cbc:TaxAmount>\s*<cac:TaxCategory>\s*<cbc:ID>)S(<\/cbc:ID>[\s\S]*?<cac:TaxScheme><cbc:ID>)VAT/;
const ALLOWANCE =
  /(<cbc:Amount currencyID="EUR">10.00<\/cbc:Amount>\s*<cac:TaxCategory>\s*<cbc:ID>)S(<\/cbc:ID>[\s\S]*?<cac:TaxScheme><cbc:ID>)VAT/;
const LINE_2 =
  /(<cbc:Name>Returned brackets<\/cbc:Name>\s*<cac:ClassifiedTaxCategory>\s*<cbc:ID>)S(<\/cbc:ID>[\s\S]*?<cac:TaxScheme><cbc:ID>)VAT/;

/** [rule, what breaks it, the document, the element the problem points at] */
const cases: [string, string, string, string][] = [
  [
    'BR-32',
    "a document allowance's category in the tax scheme GST",
    swap(base, ALLOWANCE, '$1S$2GST'),
    '/Invoice/cac:AllowanceCharge[1]/cac:TaxCategory/cac:TaxScheme/cbc:ID',
  ],
  [
    'BR-47',
    "a breakdown's category in the tax scheme GST",
    swap(base, SUBTOTAL_12, '$1S$2GST'),
    '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cac:TaxCategory/cac:TaxScheme/cbc:ID',
  ],
  [
    'BR-CO-04',
    "a line's category in the tax scheme GST",
    swap(base, LINE_2, '$1S$2GST'),
    '/Invoice/cac:InvoiceLine[2]/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID',
  ],
  [
    'BR-CL-17',
    "a breakdown's category Q",
    swap(base, SUBTOTAL_12, '$1Q$2VAT'),
    '/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cac:TaxCategory/cbc:ID',
  ],
  [
    'BR-CL-17',
    "a document allowance's category Q",
    swap(base, ALLOWANCE, '$1Q$2VAT'),
    '/Invoice/cac:AllowanceCharge[1]/cac:TaxCategory/cbc:ID',
  ],
  [
    'BR-CL-18',
    "a line's category Q",
    swap(base, LINE_2, '$1Q$2VAT'),
    '/Invoice/cac:InvoiceLine[2]/cac:Item/cac:ClassifiedTaxCategory/cbc:ID',
  ],
];

describe('fatal schematron rules once accepted or refused under no rule', () => {
  it('accepts the fixture, and a tax scheme written in lower case (the schematron upper-cases it)', () => {
    expect(judge(base)).toEqual([]);
    expect(judge(swap(base, SUBTOTAL_12, '$1S$2vat'))).toEqual([]);
  });

  it.each(cases)('%s: %s', (rule, _what, xml, pointer) => {
    expect(judge(xml)).toContainEqual(expect.objectContaining({ rule, pointer }));
  });
});
