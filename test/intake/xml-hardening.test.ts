/** The XML reader refuses hostile documents with an error naming the element, and never throws past the mapping. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapUblInvoice } from '../../domain/ubl/invoice';

const example = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl-invoice.xml'), 'utf8');
const firstLine = /<cac:InvoiceLine>[\s\S]*?<\/cac:InvoiceLine>/.exec(example)![0];

function refused(xml: string) {
  const mapped = mapUblInvoice(xml);
  expect(mapped.ok).toBe(false);
  return mapped.ok ? [] : mapped.errors;
}

describe('XML reader limits', () => {
  it('reads elements named like Object prototype members as plain elements', () => {
    const xml = example.replace(
      '<cbc:BuyerReference>',
      '<cbc:__proto__><cbc:polluted>yes</cbc:polluted></cbc:__proto__><cbc:constructor>x</cbc:constructor>' +
        '<cbc:toString>y</cbc:toString><cbc:hasOwnProperty a="1">z</cbc:hasOwnProperty><cbc:BuyerReference>',
    );
    const mapped = mapUblInvoice(xml);
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(mapped.invoice.buyerReference).toBe('PW-PROC-88');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not take a missing child from the prototype (toString, constructor)', () => {
    const xml = example.replace('<cbc:ID>NW-2026-0417</cbc:ID>', '<cbc:toString>NW</cbc:toString>');
    expect(refused(xml)).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/Invoice/cbc:ID' })]));
  });

  it('refuses nesting deeper than the limit, naming where', () => {
    const deep = '<x>'.repeat(5000) + '</x>'.repeat(5000);
    const errors = refused(example.replace('<cbc:BuyerReference>', `${deep}<cbc:BuyerReference>`));
    expect(errors[0]!.message).toMatch(/nested deeper than 40/);
    expect(errors[0]!.pointer).toMatch(/^\/Invoice(\/x){40}$/);
  });

  it('refuses an element with too many attributes', () => {
    const attrs = Array.from({ length: 5000 }, (_, i) => ` a${i}="1"`).join('');
    const errors = refused(example.replace('<cbc:BuyerReference>', `<cbc:BuyerReference${attrs}>`));
    expect(errors[0]).toMatchObject({
      pointer: '/Invoice/cbc:BuyerReference',
      message: expect.stringMatching(/32 attributes/),
    });
  });

  it('expands no entities: a DOCTYPE and unknown entities are refused, the five of XML are read', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>${example.slice(example.indexOf('<Invoice'))}`;
    expect(refused(bomb)[0]!.message).toMatch(/DOCTYPE/);
    const unknown = example.replace('PW-PROC-88', 'PW-&ext;');
    expect(refused(unknown)[0]).toMatchObject({
      pointer: '/Invoice/cbc:BuyerReference',
      message: expect.stringMatching(/&ext;/),
    });
    const known = mapUblInvoice(example.replace('PW-PROC-88', 'A&amp;B &lt;&#67;&#x44;&gt;'));
    expect(known.ok && known.invoice.buyerReference).toBe('A&B <CD>');
  });

  it('caps repeated elements before reading any line', () => {
    const many = Array.from({ length: 10_001 }, () => firstLine).join('');
    const errors = refused(example.replace(firstLine, many));
    expect(errors).toEqual([
      {
        pointer: '/Invoice/cac:InvoiceLine[10001]',
        message: expect.stringContaining('more than 10000 InvoiceLine elements in one parent'),
      },
    ]);
  });

  it('caps the elements of the whole document, however they are spread', () => {
    // 300,000 empty elements in 100 parents: no parent over the repeat cap, no nesting, a 1.5 MiB body.
    const flat = Array.from({ length: 100 }, () => `<cac:Note>${'<b/>'.repeat(3_000)}</cac:Note>`).join('');
    const errors = refused(example.replace(firstLine, `${firstLine}${flat}`));
    expect(errors).toEqual([
      { pointer: expect.stringMatching(/^\/Invoice\//), message: expect.stringContaining('more than 250000 elements') },
    ]);
  });

  it('keeps its messages short whatever the names sent: a name over 200 characters is refused', () => {
    const long = 'a'.repeat(500_000);
    for (const xml of [`<Invoice><${long}></b></Invoice>`, `<Invoice><b></${long}></Invoice>`]) {
      const errors = refused(xml);
      expect(JSON.stringify(errors).length).toBeLessThan(400);
    }
  });

  it('reads runs of white space in time linear in their length, wherever they are', () => {
    // A trimming pattern anchored at the end retried a run of spaces from each of its positions: 64 KiB of spaces
    // followed by a letter took seconds, and the 8 MiB an invoice may have would have held the API for hours.
    const run = ' '.repeat(64 * 1024);
    const cases = {
      'before the root': `x${run}y`,
      'in a text': example.replace('<cbc:Note>Consulting', `<cbc:Note>a${run}Consulting`),
      'between attributes': example.replace('<cbc:ID>NW-2026-0417', `<cbc:ID schemeID="x"${run}a="b">NW-2026-0417`),
      'in an end tag': example.replace('NW-2026-0417</cbc:ID>', `NW-2026-0417</cbc:ID${run}x>`),
    };
    for (const [where, xml] of Object.entries(cases)) {
      const started = performance.now();
      mapUblInvoice(xml);
      expect(performance.now() - started, where).toBeLessThan(250);
    }
  });

  it('costs a namespace declaration its own prefix, not a copy of every prefix already in scope', () => {
    // 38 nested elements declaring 32 prefixes each, then 50,000 elements declaring one: each of those copied the
    // 1,216 bindings above it (a 0.9 MiB body took six seconds; 250,000 such elements fit in the invoice limit).
    let open = '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">';
    let close = '</Invoice>';
    for (let depth = 0; depth < 38; depth++) {
      open += `<e${depth}${Array.from({ length: 32 }, (_, k) => ` xmlns:p${depth}_${k}="urn:x"`).join('')}>`;
      close = `</e${depth}>${close}`;
    }
    const declaring = Array.from({ length: 50_000 }, (_, i) => `<a${i % 24} xmlns:z="urn:z"/>`).join('');
    const started = performance.now();
    refused(`${open}${declaring}${close}`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses broken markup with the element it is in', () => {
    expect(refused('<Invoice><cbc:ID>1</cbc:IDX></Invoice>')[0]).toMatchObject({ pointer: '/Invoice/cbc:ID' });
    expect(refused('<Invoice a="1" a="2"/>')[0]!.message).toMatch(/twice/);
    expect(refused('<Invoice/><Invoice/>')[0]!.message).toMatch(/exactly one root/);
    expect(refused('<Invoice>')[0]!.message).toMatch(/not closed/);
  });
});

describe('what the XML reader reads as UBL', () => {
  const INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';

  it('takes the root namespace from the root element, not from the URI appearing elsewhere in the text', () => {
    const otherRoot = example.replace(
      `<Invoice xmlns="${INVOICE_NS}"`,
      `<Invoice xmlns="urn:example:other" xmlns:z="${INVOICE_NS}"`,
    );
    expect(refused(otherRoot)[0]!.message).toMatch(/root element must be Invoice/);
    const inComment = example.replace(
      `<Invoice xmlns="${INVOICE_NS}"`,
      `<!-- ${INVOICE_NS} --><Invoice xmlns="urn:example:other"`,
    );
    expect(refused(inComment)[0]!.message).toMatch(/root element must be Invoice/);
    // A prefixed root in the right namespace is the same document.
    const prefixed = example
      .replace(`<Invoice xmlns="${INVOICE_NS}"`, `<inv:Invoice xmlns:inv="${INVOICE_NS}"`)
      .replace('</Invoice>', '</inv:Invoice>');
    expect(mapUblInvoice(prefixed).ok).toBe(true);
  });

  it('reads an end tag as XML does: white space after its name only, and only XML white space', () => {
    const spaced = mapUblInvoice(example.replace('<cbc:ID>NW-2026-0417</cbc:ID>', '<cbc:ID>NW-2026-0417</cbc:ID \n>'));
    if (!spaced.ok) throw new Error(JSON.stringify(spaced.errors));
    expect(spaced.invoice.invoiceNumber).toBe('NW-2026-0417');
    for (const end of ['</ cbc:ID>', '</cbc:ID\u00a0>'])
      expect(
        refused(example.replace('<cbc:ID>NW-2026-0417</cbc:ID>', `<cbc:ID>NW-2026-0417${end}`))[0]!.message,
      ).toMatch(/does not match/);
  });

  it('trims only XML white space: a no-break space around a value is part of it', () => {
    const mapped = mapUblInvoice(
      example.replace('<cbc:ID>NW-2026-0417</cbc:ID>', '<cbc:ID> \n\tNW-2026-0417\r\n </cbc:ID>'),
    );
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(mapped.invoice.invoiceNumber).toBe('NW-2026-0417');
    for (const space of ['\u00a0', '\u3000', '\ufeff']) {
      const amount = example.replace('2021.70</cbc:PayableAmount>', `2021.70${space}</cbc:PayableAmount>`);
      expect(refused(amount)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ pointer: '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount' }),
        ]),
      );
      const number = mapUblInvoice(example.replace('<cbc:ID>NW-2026-0417', `<cbc:ID>${space}NW-2026-0417`));
      if (!number.ok) throw new Error(JSON.stringify(number.errors));
      expect(number.invoice.invoiceNumber).toBe(`${space}NW-2026-0417`);
    }
  });
});
