/**
 * Peppol BIS 3.0 documents through POST /v1/invoices on the real stack: a rich invoice and a credit note reach
 * `completed`; a total off by one cent is 422 naming rule and element; hostile XML is a 4xx naming the element;
 * embedded attachments land in PostgreSQL, not in the payload; an order's invoice.xml is accepted by another partner,
 * and names the buyer as it was when the invoice was issued (with its billing details when the partner has them).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerCommand } from '../../cli/commands/partner';
import { getAttachment } from '../../db/invoice-attachments';
import { getSubmissionPayload } from '../../db/submissions';
import { mapUblInvoice } from '../../domain/ubl/invoice';
import { claiming, EN16931_CORE, judge, withPeppolOnlyBreaches } from '../intake/judge';
import { ACME_BILLING, ACME_BILLING_FLAGS, newPartner, sampleOrder } from '../support/fixtures';
import { postOrder, startStack, statusWhen, type TestStack } from '../support/stack';
import { pdfText } from '../workflows/support';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl', name), 'utf8');
/** The buyer of a UBL invoice as written: its AccountingCustomerParty element. */
const customerParty = (xml: string) => /<cac:AccountingCustomerParty>.*<\/cac:AccountingCustomerParty>/s.exec(xml)?.[0];
const unique = (xml: string, id: string) =>
  xml.replace(
    /<cbc:ID>(AC-2026-0099|NW-CN-2026-0007)<\/cbc:ID>/,
    `<cbc:ID>${id}-${Math.random().toString(36).slice(2, 8)}</cbc:ID>`,
  );

describe('EN 16931 documents at the API', () => {
  let stack: TestStack;
  let app: FastifyInstance;
  let stopWorkers: () => Promise<void>;
  beforeAll(async () => {
    stack = await startStack();
    app = stack.app;
    stopWorkers = await stack.startWorkers();
  });
  afterAll(async () => {
    await stopWorkers?.();
    await stack?.close();
  });

  const postXml = (auth: { authorization: string }, body: string) =>
    app.inject({ method: 'POST', url: '/v1/invoices', headers: { ...auth, 'content-type': 'application/xml' }, body });

  it('takes an invoice with allowances, charges, a returned line, prepaid and rounding to completed', async () => {
    const partner = await newPartner(stack.pool);
    const res = await postXml(partner.auth, unique(fixture('peppol-invoice-allowances.xml'), 'AC'));
    expect(res.statusCode).toBe(202);
    const { id, type } = res.json<{ id: string; type: string }>();
    expect(type).toBe('invoice');
    const done = await statusWhen(app, partner.auth, id, (b) => b.status === 'completed' || b.status === 'failed');
    expect(done).toMatchObject({ status: 'completed', result: { currency: 'EUR', totalMinor: 58925 } });

    // The embedded timesheet is stored apart; the payload keeps only its id.
    const payload = (await getSubmissionPayload(stack.pool, id)) as { attachments: Record<string, unknown>[] };
    expect(payload.attachments[0]).toMatchObject({ id: 'TS-1', sizeBytes: 18, mimeCode: 'text/csv' });
    expect(payload.attachments[0]!.contentBase64).toBeUndefined();
    expect(JSON.stringify(payload)).not.toContain('ZGF5LGhvdXJz');
    const stored = await getAttachment(stack.pool, partner.partnerId, payload.attachments[0]!.contentId as string);
    expect(stored?.content.toString()).toBe('day,hours\n1,8\n2,2\n');
  });

  it("holds a plain EN 16931 invoice to EN 16931 only, at intake and in the workflow's own check", async () => {
    const partner = await newPartner(stack.pool);
    const broken = withPeppolOnlyBreaches(unique(fixture('peppol-invoice-allowances.xml'), 'CORE'));
    const asPeppol = await postXml(partner.auth, broken);
    expect(asPeppol.statusCode).toBe(422);
    expect(asPeppol.json<{ errors: { rule?: string }[] }>().errors.map((e) => e.rule)).toContain('PEPPOL-EN16931-R043');

    const res = await postXml(partner.auth, claiming(broken, EN16931_CORE));
    expect(res.statusCode).toBe(202);
    const { id } = res.json<{ id: string }>();
    // The workflow checks the stored invoice again (validateInvoice): it must judge it by the same specification.
    const done = await statusWhen(app, partner.auth, id, (b) => b.status === 'completed' || b.status === 'failed');
    expect(done).toMatchObject({ status: 'completed', result: { currency: 'EUR', totalMinor: 58925 } });
    expect(await getSubmissionPayload(stack.pool, id)).toMatchObject({ specification: EN16931_CORE });
  });

  it('takes a credit note as a submission of its own type to completed', async () => {
    const partner = await newPartner(stack.pool);
    const res = await postXml(partner.auth, unique(fixture('peppol-credit-note.xml'), 'CN'));
    expect(res.statusCode).toBe(202);
    const { id, type } = res.json<{ id: string; type: string }>();
    expect(type).toBe('credit_note');
    const done = await statusWhen(app, partner.auth, id, (b) => b.status === 'completed' || b.status === 'failed');
    expect(done.status).toBe('completed');
    expect(done.steps.map((s) => s.name)).toContain('reverse');
    const list = await app.inject({ url: '/v1/submissions?type=credit_note', headers: partner.auth });
    expect(list.json<{ items: { id: string }[] }>().items.map((s) => s.id)).toEqual([id]);
  });

  it('takes the same credit note as JSON, with an embedded attachment moved to PostgreSQL', async () => {
    const partner = await newPartner(stack.pool);
    const mapped = mapUblInvoice(unique(fixture('peppol-credit-note.xml'), 'CNJ'));
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    const body = {
      ...mapped.invoice,
      attachments: [{ id: 'A-1', filename: 'note.csv', mimeCode: 'text/csv', contentBase64: 'aGVsbG8=' }],
    };
    // Embedded content needs a mime code from EN 16931's list (BR-CL-24) and a file name (BT-125-2, UBL-DT-07).
    const refused = await app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: partner.auth,
      payload: { ...body, attachments: [{ id: 'A-1', mimeCode: 'text/html', contentBase64: 'aGVsbG8=' }] },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ rule: 'BR-CL-24', pointer: '/attachments/0/mimeCode' }),
      expect.objectContaining({ rule: 'UBL-DT-07', pointer: '/attachments/0/filename' }),
    ]);
    const res = await app.inject({ method: 'POST', url: '/v1/invoices', headers: partner.auth, payload: body });
    expect(res.statusCode).toBe(202);
    const { id, type } = res.json<{ id: string; type: string }>();
    expect(type).toBe('credit_note');
    const payload = (await getSubmissionPayload(stack.pool, id)) as { attachments: Record<string, unknown>[] };
    expect(payload.attachments[0]).toMatchObject({ id: 'A-1', sizeBytes: 5 });
    expect(payload.attachments[0]!.contentBase64).toBeUndefined();
    const stored = await getAttachment(stack.pool, partner.partnerId, payload.attachments[0]!.contentId as string);
    expect(stored?.content.toString()).toBe('hello');
    const wrong = await app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: partner.auth,
      payload: { ...body, invoiceNumber: `${body.invoiceNumber}-2`, payableMinor: body.payableMinor + 1 },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors).toEqual([expect.objectContaining({ rule: 'BR-CO-16', pointer: '/payableMinor' })]);
  });

  it('refuses a total off by one cent with 422 naming the rule and the element', async () => {
    const partner = await newPartner(stack.pool);
    const wrong = fixture('peppol-invoice-allowances.xml').replace(
      '<cbc:TaxInclusiveAmount currencyID="EUR">689.23',
      '<cbc:TaxInclusiveAmount currencyID="EUR">689.24',
    );
    const res = await postXml(partner.auth, wrong);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        {
          rule: 'BR-CO-15',
          pointer: '/Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount',
          message: expect.stringContaining('68923'),
        },
      ]),
    );
  });

  it('answers hostile XML with a 4xx naming the element, never a 500', async () => {
    const partner = await newPartner(stack.pool);
    const base = fixture('peppol-credit-note.xml');
    const proto = await postXml(
      partner.auth,
      base.replace('<cbc:BuyerReference>', '<cbc:__proto__>x</cbc:__proto__><cbc:BuyerReference>'),
    );
    expect(proto.statusCode).toBe(202);
    const deep = await postXml(
      partner.auth,
      base.replace('<cbc:BuyerReference>', `${'<a>'.repeat(100)}${'</a>'.repeat(100)}<cbc:BuyerReference>`),
    );
    expect(deep.statusCode).toBe(400);
    expect(deep.json().errors[0].pointer).toMatch(/^\/CreditNote(\/a){40}$/);
    const entity = await postXml(partner.auth, base.replace('PW-PROC-88', '&xxe;'));
    expect(entity.statusCode).toBe(400);
    expect(entity.json().errors[0]).toMatchObject({ pointer: '/CreditNote/cbc:BuyerReference' });
  });

  it("serves an order's invoice as UBL that another partner's POST /v1/invoices accepts", async () => {
    const seller = await newPartner(stack.pool);
    // A postal address and nothing else: no legal name, VAT id or electronic address.
    await partnerCommand(stack.pool, 'billing', {
      partner: seller.partnerId,
      street: 'Keizersgracht 1',
      city: 'Amsterdam',
      'postal-code': '1015 CJ',
      country: 'NL',
    });
    const orderId = await postOrder(app, seller.auth, sampleOrder());
    await statusWhen(app, seller.auth, orderId, (b) => b.status === 'completed');
    const xml = await app.inject({ url: `/v1/submissions/${orderId}/invoice.xml`, headers: seller.auth });
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toMatch(/application\/xml/);
    const mapped = mapUblInvoice(xml.body);
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    // Without the buyer's electronic address it cannot go over Peppol (R010): it claims EN 16931 alone, and names
    // our own electronic address (R020).
    expect(mapped.problems).toEqual([]);
    expect(judge(xml.body)).toEqual([]);
    expect(mapped.invoice.specification).toBe('urn:cen.eu:en16931:2017');
    expect(xml.body).not.toContain('<cbc:ProfileID>');
    expect(xml.body).toContain('<cbc:EndpointID schemeID="9944">NL859712453B01</cbc:EndpointID>');
    expect(mapped.invoice).toMatchObject({
      taxExclusiveMinor: 13_650,
      taxTotalMinor: 2_730,
      prepaidMinor: 16_380,
      payableMinor: 0,
    });

    const other = await newPartner(stack.pool);
    expect((await app.inject({ url: `/v1/submissions/${orderId}/invoice.xml`, headers: other.auth })).statusCode).toBe(
      404,
    );
    const posted = await postXml(other.auth, xml.body);
    expect(posted.statusCode).toBe(202);
    const done = await statusWhen(app, other.auth, posted.json<{ id: string }>().id, (b) =>
      ['completed', 'failed'].includes(b.status),
    );
    expect(done.status).toBe('completed');

    // The buyer as it was at issue: renamed later, the invoice keeps the name it was issued to.
    expect(mapped.invoice.customer).toEqual({
      name: 'Test Partner',
      address: { street: 'Keizersgracht 1', city: 'Amsterdam', postalCode: '1015 CJ', country: 'NL' },
    });
    await stack.pool.query(`UPDATE partners SET name = 'Test Partner Renamed' WHERE id = $1`, [seller.partnerId]);
    const renamed = await app.inject({ url: `/v1/submissions/${orderId}/invoice.xml`, headers: seller.auth });
    expect(renamed.body).toBe(xml.body);
  });

  it('has no UBL form of an invoice issued to a partner without a postal address (BR-10), and says why', async () => {
    const seller = await newPartner(stack.pool);
    const orderId = await postOrder(app, seller.auth, sampleOrder());
    await statusWhen(app, seller.auth, orderId, (b) => b.status === 'completed');
    const refused = async () => {
      const res = await app.inject({ url: `/v1/submissions/${orderId}/invoice.xml`, headers: seller.auth });
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({
        status: 409,
        type: expect.stringMatching(/buyer-address-missing$/),
        rule: 'BR-10',
      });
    };
    await refused();
    // Billing details set after issue do not change the issued invoice, nor does one issued before buyers were kept
    // (no snapshot, named by the partner's name) gain an address.
    await partnerCommand(stack.pool, 'billing', { partner: seller.partnerId, ...ACME_BILLING_FLAGS });
    await refused();
    await stack.pool.query(`UPDATE issued_invoices SET buyer = NULL WHERE submission_id = $1`, [orderId]);
    await refused();
    // The PDF is there all along.
    const pdf = await app.inject({ url: `/v1/submissions/${orderId}/invoice.pdf`, headers: seller.auth });
    expect(pdf.statusCode).toBe(200);
  });

  it('names a partner with billing details by its address, endpoint and VAT id, as they were at issue', async () => {
    // Set up as operators do: cli partner create with the billing flags.
    const created = (await partnerCommand(stack.pool, 'create', {
      name: 'Acme',
      ...ACME_BILLING_FLAGS,
    })) as { partnerId: string; apiKey: string };
    const buyer = { authorization: `Bearer ${created.apiKey}` };
    const orderId = await postOrder(app, buyer, sampleOrder());
    const completed = await statusWhen(app, buyer, orderId, (b) => ['completed', 'failed'].includes(b.status));
    expect(completed.status).toBe('completed');
    const xml = await app.inject({ url: `/v1/submissions/${orderId}/invoice.xml`, headers: buyer });
    expect(xml.statusCode).toBe(200);
    // With both electronic addresses it is a Peppol BIS invoice, whose own document rules it passes.
    expect(xml.body).toContain(
      '<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>',
    );
    const read = mapUblInvoice(xml.body);
    expect(read.ok && read.problems).toEqual([]);
    expect(customerParty(xml.body)).toBe(
      '<cac:AccountingCustomerParty><cac:Party>' +
        '<cbc:EndpointID schemeID="0106">12345678</cbc:EndpointID>' +
        '<cac:PostalAddress><cbc:StreetName>Keizersgracht 1</cbc:StreetName>' +
        '<cbc:AdditionalStreetName>Unit 4</cbc:AdditionalStreetName><cbc:CityName>Amsterdam</cbc:CityName>' +
        '<cbc:PostalZone>1015 CJ</cbc:PostalZone><cbc:CountrySubentity>Noord-Holland</cbc:CountrySubentity>' +
        '<cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>' +
        '<cac:PartyTaxScheme><cbc:CompanyID>NL123456789B01</cbc:CompanyID>' +
        '<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>' +
        '<cac:PartyLegalEntity><cbc:RegistrationName>Acme Trading B.V.</cbc:RegistrationName></cac:PartyLegalEntity>' +
        '</cac:Party></cac:AccountingCustomerParty>',
    );
    const mapped = mapUblInvoice(xml.body);
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(mapped.invoice.customer).toEqual({
      name: 'Acme Trading B.V.',
      vatId: 'NL123456789B01',
      endpointId: '12345678',
      endpointScheme: '0106',
      address: ACME_BILLING.address,
    });
    // Our own checks, EN 16931 and Peppol's national rules (a Dutch seller and buyer: NL-R-004, NL-R-008), pass.
    expect(judge(xml.body)).toEqual([]);
    const pdf = await app.inject({ url: `/v1/submissions/${orderId}/invoice.pdf`, headers: buyer });
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('Buyer: Acme Trading B.V. for');
    expect(text).toContain('1015 CJ Amsterdam');
    expect(text).toContain('VAT ID: NL123456789B01');

    // Another partner's ERP (our intake) takes it to completed.
    const other = await newPartner(stack.pool);
    const posted = await postXml(other.auth, xml.body);
    expect(posted.statusCode).toBe(202);
    const done = await statusWhen(app, other.auth, posted.json<{ id: string }>().id, (b) =>
      ['completed', 'failed'].includes(b.status),
    );
    expect(done.status).toBe('completed');

    // New details and a new name after issue: the issued invoice does not change.
    await partnerCommand(stack.pool, 'billing', {
      partner: created.partnerId,
      'vat-id': 'DE123456789',
      street: 'Hauptstraße 5',
      city: 'Berlin',
      'postal-code': '10115',
      country: 'DE',
    });
    await stack.pool.query(`UPDATE partners SET name = 'Acme Renamed' WHERE id = $1`, [created.partnerId]);
    const again = await app.inject({ url: `/v1/submissions/${orderId}/invoice.xml`, headers: buyer });
    expect(again.body).toBe(xml.body);
    const samePdf = await app.inject({ url: `/v1/submissions/${orderId}/invoice.pdf`, headers: buyer });
    expect(samePdf.rawPayload.equals(pdf.rawPayload)).toBe(true);
  });
});
