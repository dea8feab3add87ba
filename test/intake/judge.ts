/** What the UBL tests share: the fixture documents, and the check chain of POST /v1/invoices in-process. */
import fs from 'node:fs';
import path from 'node:path';
import { Value } from 'typebox/value';
import { InvoiceSchema } from '../../contracts/invoice';
import { checkInvoice } from '../../domain/invoice-checks';
import { mapUblInvoice, sourceOf } from '../../domain/ubl/invoice';

/** A UBL document of test/fixtures/ubl. */
export const fixture = (name: string): string =>
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl', name), 'utf8');

/** Maps and checks a document the way POST /v1/invoices does; problems carry the element's path. */
export function judge(xml: string): { rule?: string; pointer: string; message: string }[] {
  const mapped = mapUblInvoice(xml);
  if (!mapped.ok) return mapped.errors;
  const schema = [...Value.Errors(InvoiceSchema, mapped.invoice)].map((e) => ({
    pointer: e.instancePath,
    message: e.message,
  }));
  return [...schema, ...checkInvoice(mapped.invoice)].map((p) => ({
    ...p,
    pointer: sourceOf(mapped.sources, p.pointer),
  }));
}
