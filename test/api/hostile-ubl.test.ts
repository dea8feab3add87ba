/**
 * UBL documents written to be read one way by us and another by any conforming reader: every such document is
 * refused with a problem document, or read exactly as a namespace-aware XML processor reads it.
 */
import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../contracts';
import { apiWithPartnerPerSuite } from '../support/fixtures';
import { invoiceNumber, ublInvoice } from './invoice-fixtures';

const CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';

describe('hostile UBL documents', () => {
  const suite = apiWithPartnerPerSuite();

  const postXml = (xml: string) =>
    suite.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: { ...suite.auth, 'content-type': 'application/xml' },
      payload: xml,
    });
  async function stored(id: string): Promise<Invoice> {
    const { rows } = await suite.pool.query<{ payload: Invoice }>('SELECT payload FROM submissions WHERE id = $1', [
      id,
    ]);
    return rows[0]!.payload;
  }
  function expectProblem(res: Awaited<ReturnType<typeof postXml>>, status: number) {
    expect([res.statusCode, res.headers['content-type']]).toEqual([status, expect.stringMatching(/problem\+json/)]);
    return res.json() as { errors: { pointer: string; message: string; rule?: string }[] };
  }

  it('reads elements by namespace: a foreign element with a UBL local name is not UBL, whatever its prefix', async () => {
    const number = invoiceNumber();
    const foreign = ublInvoice(number).replace(
      `<cbc:ID>${number}</cbc:ID>`,
      `<x:ID xmlns:x="urn:example:other">EVIL-1</x:ID><cbc:ID>${number}</cbc:ID>`,
    );
    const res = await postXml(foreign);
    expect(res.statusCode).toBe(202);
    expect((await stored(res.json().id)).invoiceNumber).toBe(number);

    // The prefix cbc bound to another namespace on the element itself: the document has no invoice number.
    const rebound = ublInvoice().replace(
      /<cbc:ID>(INV-\w+)<\/cbc:ID>/,
      '<cbc:ID xmlns:cbc="urn:example:other">$1</cbc:ID>',
    );
    expect(expectProblem(await postXml(rebound), 422).errors).toEqual([
      { pointer: '/Invoice/cbc:ID', message: 'is required', rule: 'BR-02' },
    ]);
  });

  it('reads a document that binds other prefixes to the UBL namespaces like one with the usual ones', async () => {
    const number = invoiceNumber();
    const renamed = ublInvoice(number)
      .replace(/(<\/?)cbc:/g, '$1b:')
      .replace(/(<\/?)cac:/g, '$1a:')
      .replace(`xmlns:cac="${CAC}"`, `xmlns:a="${CAC}"`)
      .replace(`xmlns:cbc="${CBC}"`, `xmlns:b="${CBC}"`)
      .replace(/<Invoice xmlns="([^"]+)"/, '<ubl:Invoice xmlns:ubl="$1"')
      .replace('</Invoice>', '</ubl:Invoice>');
    const res = await postXml(renamed);
    expect(res.statusCode).toBe(202);
    expect(await stored(res.json().id)).toMatchObject({ invoiceNumber: number, payableMinor: 202170, currency: 'EUR' });
  });

  it('refuses an element whose prefix is not declared, and declarations XML forbids, as not well-formed', async () => {
    const undeclared = ublInvoice().replace(/<cbc:ID>(INV-\w+)<\/cbc:ID>/, '<zz:ID>$1</zz:ID><cbc:ID>$1</cbc:ID>');
    expect(expectProblem(await postXml(undeclared), 400).errors).toEqual([
      { pointer: '/Invoice/zz:ID', message: expect.stringMatching(/prefix "zz" is not declared/) },
    ]);
    const emptied = ublInvoice().replace('<cbc:BuyerReference>', '<cbc:BuyerReference xmlns:cbc="">');
    expectProblem(await postXml(emptied), 400);
  });

  it("reads attributes by namespace: a prefixed attribute is not UBL's, an undeclared or twice-declared prefix is not well-formed", async () => {
    // currencyID in a foreign namespace is not the amount's currencyID: the amount has none.
    const foreign = ublInvoice().replace(
      /<cbc:PayableAmount currencyID="EUR">/,
      '<cbc:PayableAmount x:currencyID="EUR" xmlns:x="urn:example:other">',
    );
    expect(expectProblem(await postXml(foreign), 422).errors).toEqual([
      expect.objectContaining({ pointer: '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount' }),
    ]);
    // Beside the unqualified one it is another attribute, as XML Namespaces reads it.
    const beside = ublInvoice().replace(
      /<cbc:PayableAmount currencyID="EUR">/,
      '<cbc:PayableAmount currencyID="EUR" x:currencyID="USD" xmlns:x="urn:example:other">',
    );
    expect((await postXml(beside)).statusCode).toBe(202);
    const undeclared = ublInvoice().replace(/<cbc:ID>/, '<cbc:ID zz:a="1">');
    expect(expectProblem(await postXml(undeclared), 400).errors).toEqual([
      { pointer: '/Invoice/cbc:ID', message: expect.stringMatching(/prefix "zz" is not declared/) },
    ]);
    const twice = ublInvoice().replace(/<cbc:ID>/, '<cbc:ID xmlns:q="urn:a" xmlns:q="urn:b">');
    expect(expectProblem(await postXml(twice), 400).errors).toEqual([
      { pointer: '/Invoice/cbc:ID', message: expect.stringMatching(/xmlns:q appears twice/) },
    ]);
    const sameName = ublInvoice().replace(/<cbc:ID>/, '<cbc:ID xmlns:p="urn:a" xmlns:q="urn:a" p:n="1" q:n="2">');
    expect(expectProblem(await postXml(sameName), 400).errors).toEqual([
      { pointer: '/Invoice/cbc:ID', message: expect.stringMatching(/q:n appears twice/) },
    ]);
  });

  it('takes an XML declaration only at the very start: elsewhere, or spelled otherwise, it is not well-formed', async () => {
    const declaration = /^<\?xml[^>]*\?>/;
    const placed: [string, string][] = [
      ['after white space', `  ${ublInvoice()}`],
      ['twice', ublInvoice().replace(declaration, '$&<?xml version="1.0"?>')],
      ['in upper case', ublInvoice().replace(declaration, '<?XML version="1.0" encoding="ISO-8859-1"?>')],
      ['inside the root', ublInvoice().replace('<cbc:BuyerReference>', '<?xml version="1.0"?><cbc:BuyerReference>')],
      ['without a target', ublInvoice().replace('<cbc:BuyerReference>', '<? x?><cbc:BuyerReference>')],
    ];
    for (const [what, xml] of placed) {
      const res = await postXml(xml);
      expect([res.statusCode, res.headers['content-type']], what).toEqual([
        400,
        expect.stringMatching(/problem\+json/),
      ]);
    }
    // A processing instruction of another target is allowed anywhere, and the declaration after a byte order mark.
    expect((await postXml(ublInvoice().replace(declaration, '$&<?xml-stylesheet href="a.xsl"?>'))).statusCode).toBe(
      202,
    );
    expect((await postXml(`\uFEFF${ublInvoice()}`)).statusCode).toBe(202);
  });

  it('refuses a single-valued element stated twice, naming the repeat, instead of reading the first', async () => {
    const repeats: [string, (xml: string) => string, string][] = [
      [
        'invoice number',
        (xml) => xml.replace(/(<cbc:ID>INV-\w+<\/cbc:ID>)/, '$1<cbc:ID>OTHER-1</cbc:ID>'),
        '/Invoice/cbc:ID[2]',
      ],
      [
        'currency',
        (xml) =>
          xml.replace(
            '</cbc:DocumentCurrencyCode>',
            '</cbc:DocumentCurrencyCode><cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>',
          ),
        '/Invoice/cbc:DocumentCurrencyCode[2]',
      ],
      [
        'amount due',
        (xml) =>
          xml.replace(
            /(<cbc:PayableAmount currencyID="EUR">[^<]*<\/cbc:PayableAmount>)/,
            '$1<cbc:PayableAmount currencyID="EUR">1.00</cbc:PayableAmount>',
          ),
        '/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount[2]',
      ],
      [
        'legal monetary total',
        (xml) => xml.replace(/(<cac:LegalMonetaryTotal>[\s\S]*<\/cac:LegalMonetaryTotal>)/, '$1$1'),
        '/Invoice/cac:LegalMonetaryTotal[2]',
      ],
    ];
    for (const [what, repeat, pointer] of repeats) {
      const xml = repeat(ublInvoice());
      expect(xml, what).not.toBe(ublInvoice());
      const errors = expectProblem(await postXml(xml), 422).errors;
      expect(errors, what).toContainEqual({ pointer, message: expect.stringMatching(/only once/) });
    }
  });

  it('reads text as XML does: line breaks are LF, and an element does not mix text with child elements', async () => {
    const number = invoiceNumber();
    const crlf = ublInvoice(number).replace('PW-PROC-88', 'PW-PROC\r\n88\rB&#13;C');
    const res = await postXml(crlf);
    expect(res.statusCode).toBe(202);
    expect((await stored(res.json().id)).buyerReference).toBe('PW-PROC\n88\nB\rC');

    // XPath reads "PW-zzzPROC-88"; the child's text was dropped and "PW-PROC-88" stored.
    const mixed = ublInvoice().replace('PW-PROC-88', 'PW-<cbc:Note>zzz</cbc:Note>PROC-88');
    expect(expectProblem(await postXml(mixed), 400).errors).toEqual([
      { pointer: '/Invoice/cbc:BuyerReference', message: expect.stringMatching(/must not have text of its own/) },
    ]);
  });

  it('quotes at most a few characters of what was sent: a refusal is never larger than a page', async () => {
    const big = 'X'.repeat(1_000_000);
    const documents = [
      // Quoted once for every amount: 1 MB of currency code was a 15 MB answer.
      ublInvoice().replace(/(<cbc:DocumentCurrencyCode>)[^<]*/, `$1${big}`),
      ublInvoice().replace(/(<cbc:PayableAmount currencyID="EUR">)[^<]*/, `$1${big}`),
      ublInvoice().replace(/(<cbc:PriceAmount currencyID="EUR">)[^<]*/, `$1${big}`),
      ublInvoice().replace(/(<cac:ClassifiedTaxCategory>\s*<cbc:ID>)[^<]*/, `$1${big}`),
      ublInvoice().replace(/(<cbc:IssueDate>)[^<]*/, `$1${big}`),
    ];
    for (const xml of documents) {
      const res = await postXml(xml);
      expectProblem(res, 422);
      expect(res.payload.length).toBeLessThan(5_000);
    }
  });
});
