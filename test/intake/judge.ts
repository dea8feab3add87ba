/** What the UBL tests share: the fixture documents, and the check chain of POST /v1/invoices in-process. */
import fs from 'node:fs';
import path from 'node:path';
import { Value } from 'typebox/value';
import { InvoiceSchema, type Invoice } from '../../contracts/invoice';
import { checkInvoice } from '../../domain/invoice-checks';
import { EN16931_SPECIFICATION } from '../../domain/specifications';
import { mapUblInvoice, sourceOf } from '../../domain/ubl/invoice';

/** A UBL document of test/fixtures/ubl. */
export const fixture = (name: string): string =>
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl', name), 'utf8');

/** Replaces text that must be there (every occurrence), so a test cannot silently test nothing. */
export function swap(xml: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? xml.includes(from) : from.test(xml);
  if (!found) throw new Error(`not in the document: ${String(from)}`);
  return typeof from === 'string' ? xml.split(from).join(to) : xml.replace(from, to);
}

/** The canonical invoice of a document the reader takes (whatever the checks say of it). */
export function read(xml: string): Invoice {
  const mapped = mapUblInvoice(xml);
  if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
  return mapped.invoice;
}

/** Maps and checks a document the way POST /v1/invoices does; problems carry the element's path. */
export function judge(xml: string): { rule?: string; pointer: string; message: string }[] {
  const mapped = mapUblInvoice(xml);
  if (!mapped.ok) return mapped.errors;
  const schema = [...Value.Errors(InvoiceSchema, mapped.invoice)].map((e) => ({
    pointer: e.instancePath,
    message: e.message,
  }));
  return [
    ...mapped.problems,
    ...[...schema, ...checkInvoice(mapped.invoice)].map((p) => ({
      ...p,
      pointer: sourceOf(mapped.sources, p.pointer),
    })),
  ];
}

/** A plain EN 16931 document claims the core specification only: no Peppol BIS, no ProfileID. */
export const EN16931_CORE = EN16931_SPECIFICATION;

/** Claims `specification` instead of what the document claimed (and drops the ProfileID with Peppol's). */
export function claiming(xml: string, specification: string): string {
  return xml
    .replace(
      /<cbc:CustomizationID>[^<]*<\/cbc:CustomizationID>/,
      `<cbc:CustomizationID>${specification}</cbc:CustomizationID>`,
    )
    .replace(/\s*<cbc:ProfileID>[^<]*<\/cbc:ProfileID>/, '');
}

/**
 * peppol-invoice-allowances.xml with a breach of each kind of rule that is Peppol's own and not EN 16931's: a line
 * net that is not quantity x price (R120), a charge indicator written 0 (R043), an empty element (R008), two
 * document notes (R002), and a Norwegian VAT number with a wrong check digit (NO-R-001).
 */
export function withPeppolOnlyBreaches(xml: string): string {
  const replaceOnce = (text: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`fixture has no ${from}`);
    return text.replace(from, to);
  };
  let out = replaceOnce(xml, '<cbc:InvoicedQuantity unitCode="HUR">10<', '<cbc:InvoicedQuantity unitCode="HUR">11<');
  out = replaceOnce(
    out,
    '<cbc:ChargeIndicator>false</cbc:ChargeIndicator>',
    '<cbc:ChargeIndicator>0</cbc:ChargeIndicator>',
  );
  out = replaceOnce(
    out,
    '<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>',
    '<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>\n  <cbc:Note>Delivered in two parts</cbc:Note>\n  <cbc:Note>Thank you</cbc:Note>',
  );
  out = replaceOnce(out, '<cbc:BuyerReference>', '<cbc:AccountingCost></cbc:AccountingCost>\n  <cbc:BuyerReference>');
  return replaceOnce(out, '<cbc:CompanyID>NO999999999MVA<', '<cbc:CompanyID>NO999999998MVA<');
}
