/**
 * Never a 500 from a document: thousands of deterministic mutations of valid Peppol documents (elements removed,
 * duplicated, texts replaced by odd values) are each mapped and checked without an exception escaping, and each one
 * accepted is written by our writer into a document our reader accepts again.
 */
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { InvoiceSchema } from '../../contracts/invoice';
import { checkInvoice } from '../../domain/invoice-checks';
import { mapUblInvoice } from '../../domain/ubl/invoice';
import { writeUbl } from '../../domain/ubl/writer';
import { claiming, EN16931_CORE, fixture } from './judge';

/** A small deterministic generator (mulberry32), so a failure can be reproduced from its index. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD = [
  '',
  '-',
  '0',
  '-0.00',
  '1e3',
  '0.0000001',
  '99999999999999999999',
  'NaN',
  '&amp;',
  ' 12.5 ',
  'X',
  'true',
  '-1',
];

function mutate(xml: string, next: () => number): string {
  const leaves = [...xml.matchAll(/<(cbc:\w+)([^>]*)>([^<]*)<\/\1>/g)];
  const leaf = leaves[Math.floor(next() * leaves.length)]!;
  const [whole, name, attrs = ''] = leaf;
  const choice = next();
  if (choice < 0.3) return xml.replace(whole, '');
  if (choice < 0.5) return xml.replace(whole, `${whole}${whole}`);
  if (choice < 0.6)
    return xml.replace(whole, `<${name}${attrs.replace(/currencyID="EUR"/, 'currencyID="JPY"')}>1.5</${name}>`);
  return xml.replace(whole, `<${name}${attrs}>${ODD[Math.floor(next() * ODD.length)]}</${name}>`);
}

describe('mutated documents', () => {
  it.each([
    ['peppol-invoice-allowances.xml', 'Peppol BIS'],
    ['peppol-credit-note.xml', 'Peppol BIS'],
    // Outside Peppol BIS an empty element is no refusal (R008): the reader must take it for absent.
    ['peppol-invoice-allowances.xml', EN16931_CORE],
  ])(
    '%s (claiming %s): every mutation is answered, none throws, and what is accepted is written back accepted',
    (name, specification) => {
      const original = specification === EN16931_CORE ? claiming(fixture(name), specification) : fixture(name);
      const next = random(11);
      let refused = 0;
      for (let i = 0; i < 800; i++) {
        let xml = original;
        const changes = 1 + Math.floor(next() * 3);
        for (let c = 0; c < changes; c++) xml = mutate(xml, next);
        const mapped = mapUblInvoice(xml);
        if (!mapped.ok) {
          refused++;
          expect(mapped.errors.length, `mutation ${i}`).toBeGreaterThan(0);
          continue;
        }
        // The schema check comes first at the API; the rules must not throw on what it would refuse either.
        const schemaOk = Value.Check(InvoiceSchema, mapped.invoice);
        if (schemaOk) expect(() => checkInvoice(mapped.invoice), `mutation ${i}`).not.toThrow();
        if (!schemaOk || checkInvoice(mapped.invoice).length) {
          refused++;
          continue;
        }
        const back = mapUblInvoice(writeUbl(mapped.invoice));
        expect(back.ok && checkInvoice(back.invoice), `mutation ${i}: ${JSON.stringify(back)}`).toEqual([]);
      }
      expect(refused).toBeGreaterThan(500);
    },
  );
});
