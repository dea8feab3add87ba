/**
 * What a hostile or careless partner sends cannot take the API down: authentication before the body is read,
 * per-route body limits, validation that stops at the first errors, NDJSON limits checked while the body arrives,
 * JSON depth, strings PostgreSQL cannot store refused with a 400 naming the field (a bad batch line fails alone),
 * impossible dates refused, /metrics behind the admin token.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { apiWithPartnerPerSuite, newPartner, sampleOrder } from '../support/fixtures';
import { jsonInvoice } from './invoice-fixtures';

const ADMIN_TOKEN = 'admin-token-for-hardening-tests';

describe('hostile requests', () => {
  // Nothing here needs Temporal: accepted batches "start" their workflows on a client that only says yes.
  const suite = apiWithPartnerPerSuite({ ADMIN_TOKEN, WEBHOOK_MAX_ENDPOINTS: '3', WEBHOOK_ALLOW_LIST: '127.0.0.1' });

  const postJson = (url: string, body: string, headers: Record<string, string> = suite.auth) =>
    suite.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: body,
    });
  const postBatch = (body: string) =>
    suite.app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers: { ...suite.auth, 'content-type': 'application/x-ndjson' },
      payload: body,
    });

  it('checks the admin token before reading the decision body', async () => {
    const junk = JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])));
    const url = '/v1/admin/submissions/sub_00000000000000000000000000/decision';
    const anonymous = await postJson(url, junk, {});
    expect(anonymous.statusCode).toBe(401);
    expect((await postJson(url, junk, { authorization: 'Bearer wrong-token-of-some-length' })).statusCode).toBe(401);
    // With the token, a body over the small routes' limit is 413.
    const big = JSON.stringify({ decision: 'approve', approver: 'a', comment: 'x'.repeat(100 * 1024) });
    expect((await postJson(url, big, { authorization: `Bearer ${ADMIN_TOKEN}` })).statusCode).toBe(413);
  });

  it('checks the codec token before reading the body', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-of-some-length' }] as Record<string, string>[]) {
      const res = await postJson('/codec/decode', '{"payloads":"x"}', headers);
      expect(res.statusCode).toBe(401);
    }
    const ui = await postJson('/codec/ui/not-the-token/decode', '{"payloads":"x"}', {});
    expect(ui.statusCode).toBe(401);
    const admin = await postJson('/codec/decode', '{"payloads":"x"}', { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(admin.statusCode).toBe(400);
  });

  it('refuses codec payloads whose bytes are not base64, naming the field, instead of reading them as nothing', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const encoding = Buffer.from('json/plain').toString('base64');
    const bodies: [string, string][] = [
      [`{"payloads":[{"metadata":{"encoding":"${encoding}"},"data":"%%%"}]}`, '/payloads/0/data'],
      ['{"payloads":[{"metadata":{"encoding":"not base64!"},"data":"MQ=="}]}', '/payloads/0/metadata/encoding'],
    ];
    for (const [body, pointer] of bodies) {
      const res = await postJson('/codec/decode', body, admin);
      expect(res.statusCode, body).toBe(400);
      expect(res.json().errors, body).toEqual([expect.objectContaining({ pointer })]);
    }
    const plain = `{"payloads":[{"metadata":{"encoding":"${encoding}"},"data":"MQ"}]}`;
    expect((await postJson('/codec/decode', plain, admin)).json()).toEqual({
      payloads: [{ metadata: { encoding }, data: 'MQ==' }],
    });
  });

  it('keeps /metrics for operators', async () => {
    expect((await suite.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await suite.app.inject({ url: '/metrics', headers: suite.auth })).statusCode).toBe(401);
    const ok = await suite.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(ok.statusCode).toBe(200);
  });

  it('reads the authentication scheme case-insensitively, as HTTP defines it', async () => {
    const key = suite.auth.authorization.slice('Bearer '.length);
    for (const header of [`bearer ${key}`, `BEARER ${key}`, `Bearer  ${key}`]) {
      expect(
        (await suite.app.inject({ url: '/v1/submissions', headers: { authorization: header } })).statusCode,
        header,
      ).toBe(200);
    }
    const admin = await suite.app.inject({ url: '/metrics', headers: { authorization: `bearer ${ADMIN_TOKEN}` } });
    expect(admin.statusCode).toBe(200);
    for (const header of [`Basic ${key}`, `Bearer${key}`, `Bearer ${key} x`]) {
      expect(
        (await suite.app.inject({ url: '/v1/submissions', headers: { authorization: header } })).statusCode,
        header,
      ).toBe(401);
    }
  });

  it('stops validating at the first errors: a body of 100,000 empty lines answers a short 400', async () => {
    const body = JSON.stringify({ ...sampleOrder(), lines: Array.from({ length: 100_000 }, () => ({})) });
    const res = await postJson('/v1/orders', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.length).toBeLessThanOrEqual(20);
    expect(res.payload.length).toBeLessThan(10_000);
  });

  it('refuses JSON nested deeper than the limit before parsing it', async () => {
    const deep = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    const res = await postJson('/v1/orders', JSON.stringify({ ...sampleOrder(), customer: '@' }).replace('"@"', deep));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: expect.stringMatching(/malformed-body/), detail: /nested/ });
  });

  it('refuses NUL characters and lone surrogates with a 400 naming the field', async () => {
    const order = sampleOrder();
    const nul = await postJson(
      '/v1/orders',
      JSON.stringify({ ...order, customer: { ...order.customer, name: 'Ann\u0000' } }),
    );
    expect(nul.statusCode).toBe(400);
    expect(nul.json().errors).toEqual([expect.objectContaining({ pointer: '/customer/name' })]);
    const lone = await postJson(
      '/v1/orders',
      JSON.stringify({ ...order, orderNumber: 'PO-1' }).replace('"PO-1"', '"PO-\\ud800"'),
    );
    expect(lone.statusCode).toBe(400);
    expect(lone.json().errors).toEqual([expect.objectContaining({ pointer: '/orderNumber' })]);
    const endpoint = await postJson(
      '/v1/webhook-endpoints',
      JSON.stringify({ url: 'https://example.com/hook', description: 'x' }).replace('"x"', '"\\udc00"'),
    );
    expect(endpoint.statusCode).toBe(400);
    expect(endpoint.json().errors).toEqual([expect.objectContaining({ pointer: '/description' })]);
    // A control character would make the UBL invoice issued for the order not well-formed XML; tab and newline pass.
    const control = await postJson(
      '/v1/orders',
      JSON.stringify({ ...order, lines: [{ ...order.lines[0]!, description: 'Blue\u0001widget\u001b[31m' }] }),
    );
    expect(control.statusCode).toBe(400);
    expect(control.json().errors).toEqual([expect.objectContaining({ pointer: '/lines/0/description' })]);
    const tabbed = await postJson(
      '/v1/orders',
      JSON.stringify({ ...order, lines: [{ ...order.lines[0]!, description: 'Blue\twidget\r\nlarge' }] }),
    );
    expect(tabbed.statusCode).toBe(202);
  });

  it('refuses a member stated twice, naming it, instead of reading its last statement, and names a __proto__ member', async () => {
    const order = JSON.stringify(sampleOrder());
    const cases: [string, string, string][] = [
      ['/v1/orders', order.replace('{', '{"currency":"USD",'), '/currency'],
      ['/v1/orders', order.replace('"sku"', '"sku":"X","\\u0073ku"'), '/lines/0/sku'],
      ['/v1/orders', order.replace('"payment":{', '"payment":{"method":"pm_card_chargeDeclined",'), '/payment/method'],
      ['/v1/invoices', JSON.stringify(jsonInvoice()).replace('{', '{"payableMinor":1,'), '/payableMinor'],
      ['/v1/webhook-endpoints', '{"url":"https://a.example.com/h","url":"https://b.example.com/h"}', '/url'],
      ['/v1/orders', order.replace('{', '{"__proto__":{"currency":"USD"},'), '/__proto__'],
      // Valid JSON the parser refuses as it refuses __proto__: named, not answered "the body is not valid JSON".
      [
        '/v1/orders',
        order.replace('"customer":{', '"customer":{"constructor":{"prototype":{}},'),
        '/customer/constructor/prototype',
      ],
    ];
    for (const [url, body, pointer] of cases) {
      const res = await postJson(url, body);
      expect([res.statusCode, res.headers['content-type']], body).toEqual([
        400,
        expect.stringMatching(/problem\+json/),
      ]);
      expect(res.json().errors, body).toEqual([expect.objectContaining({ pointer })]);
    }
    // The same name in sibling objects, or escaped differently in different objects, is not a repeat.
    const siblings = sampleOrder({
      lines: [
        { sku: 'A', description: 'a', quantity: 1, unitPriceMinor: 1 },
        { sku: 'B', description: 'b', quantity: 1, unitPriceMinor: 1 },
      ],
    });
    expect((await postJson('/v1/orders', JSON.stringify(siblings).replace('"sku"', '"\\u0073ku"'))).statusCode).toBe(
      202,
    );
    // In a batch, only the line with the repeat is refused.
    const twice = JSON.stringify({ type: 'order', body: sampleOrder() }).replace('{', '{"type":"invoice",');
    const batch = await postBatch(`${twice}\n${JSON.stringify({ type: 'order', body: sampleOrder() })}\n`);
    expect(batch.statusCode).toBe(202);
    expect(batch.json().lines[0]).toMatchObject({ status: 'rejected', errors: [{ pointer: '/type' }] });
    expect(batch.json().lines[1]).toMatchObject({ status: 'accepted' });
  });

  it('refuses a character reference to a surrogate or a control character in UBL with a 400 naming the element', async () => {
    const xml = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl', 'peppol-invoice-allowances.xml'), 'utf8');
    for (const ref of ['&#xD800;', '&#55296;', '&#1;', '&#xFFFE;']) {
      const res = await suite.app.inject({
        method: 'POST',
        url: '/v1/invoices',
        headers: { ...suite.auth, 'content-type': 'application/xml' },
        body: xml.replace(/<cbc:BuyerReference>([^<]*)</, `<cbc:BuyerReference>$1${ref}<`),
      });
      expect(res.statusCode, ref).toBe(400);
      expect(res.json().errors, ref).toEqual([
        expect.objectContaining({ pointer: '/Invoice/cbc:BuyerReference', message: expect.stringContaining(ref) }),
      ]);
    }
  });

  it('fails only its own batch line for a NUL, and checks line count and length while the body arrives', async () => {
    const good = JSON.stringify({ type: 'order', body: sampleOrder() });
    const order = sampleOrder();
    const bad = JSON.stringify({ type: 'order', body: { ...order, customer: { ...order.customer, name: 'A\u0000' } } });
    const mixed = await postBatch(`${good}\n${bad}\n`);
    expect(mixed.statusCode).toBe(202);
    expect(mixed.json()).toMatchObject({ accepted: 1, rejected: 1 });

    // 12 MiB of "1\n" is refused for its line count as soon as line 20,001 arrives, not for its size at the end.
    // Streamed without a Content-Length, as a client would upload a large file.
    const chunk = '1\n'.repeat(64 * 1024);
    const lines = await suite.app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers: { ...suite.auth, 'content-type': 'application/x-ndjson' },
      payload: Readable.from(
        (function* () {
          for (let i = 0; i < 96; i++) yield Buffer.from(chunk);
        })(),
      ),
    });
    expect(lines.statusCode).toBe(413);
    expect(lines.json().type).toMatch(/batch-too-large/);
    const longLine = await postBatch(`{"type":"order","body":"${'x'.repeat(5 * 1024 * 1024)}"}\n`);
    expect(longLine.statusCode).toBe(413);
    expect(longLine.json().type).toMatch(/batch-line-too-large/);
  });

  it('takes an invoice carrying an attachment of the advertised size, and refuses a body over the invoice limit', async () => {
    const xml = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl', 'peppol-invoice-allowances.xml'), 'utf8');
    const carrying = (bytes: number, number: string) =>
      xml
        .replace('ZGF5LGhvdXJzCjEsOAoyLDIK', Buffer.alloc(bytes, 7).toString('base64'))
        .replace('<cbc:ID>AC-2026-0099</cbc:ID>', `<cbc:ID>${number}</cbc:ID>`);
    const postXml = (body: string) =>
      suite.app.inject({
        method: 'POST',
        url: '/v1/invoices',
        headers: { ...suite.auth, 'content-type': 'application/xml' },
        body,
      });
    // A 5 MiB PDF is 6.7 MiB of base64: over the 2 MiB of an order, within the invoice's 8 MiB.
    const full = await postXml(carrying(5 * 1024 * 1024, 'BIG-1'));
    expect(full.statusCode).toBe(202);
    const over = await postXml(carrying(6 * 1024 * 1024 + 512 * 1024, 'BIG-2'));
    expect(over.statusCode).toBe(413);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('leaves no embedded document behind for an invoice it refuses (a repeated number, a reused Idempotency-Key)', async () => {
    const partner = await newPartner(suite.pool);
    const stored = async () =>
      (
        await suite.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM invoice_attachments WHERE partner_id = $1',
          [partner.partnerId],
        )
      ).rows[0]!.n;
    const withDocument = (text: string, invoiceNumber = 'ATT-1') => ({
      ...jsonInvoice(),
      invoiceNumber,
      attachments: [
        { id: 'A-1', filename: 'a.csv', mimeCode: 'text/csv', contentBase64: Buffer.from(text).toString('base64') },
      ],
    });
    const post = (body: object, headers: Record<string, string> = {}) =>
      suite.app.inject({
        method: 'POST',
        url: '/v1/invoices',
        headers: { ...partner.auth, ...headers },
        payload: body,
      });
    expect((await post(withDocument('first'))).statusCode).toBe(202);
    expect(await stored()).toBe(1);
    for (let i = 0; i < 3; i++) expect((await post(withDocument(`again ${i}`))).statusCode).toBe(409);
    expect((await post(withDocument('keyed', 'ATT-2'), { 'idempotency-key': 'k-1' })).statusCode).toBe(202);
    const reused = await post(withDocument('other body', 'ATT-3'), { 'idempotency-key': 'k-1' });
    expect(reused.statusCode).toBe(422);
    expect(await stored()).toBe(2);
    // contentId and sizeBytes are the claim check's: a partner cannot point at a stored document.
    const claimed = await post({
      ...jsonInvoice(),
      attachments: [{ id: 'A-1', contentId: 'att_somebody_elses', sizeBytes: 5 }],
    });
    expect(claimed.statusCode).toBe(422);
    expect(claimed.json().errors).toEqual([
      expect.objectContaining({ pointer: '/attachments/0/contentId' }),
      expect.objectContaining({ pointer: '/attachments/0/sizeBytes' }),
    ]);
  });

  it('reads bodies as UTF-8 only: another charset or a compressed body is a 415, bytes that are not UTF-8 a 400', async () => {
    const order = sampleOrder({ customer: { ...sampleOrder().customer, name: 'Jürgen Müller' } });
    const send = (payload: Buffer | string, headers: Record<string, string>, url = '/v1/orders') =>
      suite.app.inject({ method: 'POST', url, headers: { ...suite.auth, ...headers }, payload });
    const latin1 = Buffer.from(JSON.stringify(order), 'latin1');
    const declared = await send(latin1, { 'content-type': 'application/json; charset=iso-8859-1' });
    expect([declared.statusCode, declared.json().type]).toEqual([415, expect.stringContaining('unsupported-charset')]);
    const undeclared = await send(latin1, { 'content-type': 'application/json' });
    expect([undeclared.statusCode, undeclared.json().detail]).toEqual([400, 'the JSON body is not valid UTF-8']);
    const gzipped = await send(gzipSync(JSON.stringify(order)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect([gzipped.statusCode, gzipped.json().type]).toEqual([
      415,
      expect.stringContaining('unsupported-content-encoding'),
    ]);
    const batch = await send(
      Buffer.from(`${JSON.stringify({ type: 'order', body: order })}\n`, 'latin1'),
      {
        'content-type': 'application/x-ndjson',
      },
      '/v1/batches',
    );
    expect(batch.statusCode).toBe(400);
    const xml = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ubl', 'peppol-invoice-allowances.xml'), 'utf8');
    const isoXml = await send(
      xml.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="ISO-8859-1"?>'),
      {
        'content-type': 'application/xml',
      },
      '/v1/invoices',
    );
    expect([isoXml.statusCode, isoXml.json().type]).toEqual([415, expect.stringContaining('unsupported-charset')]);
    const utf8 = await send(JSON.stringify(order), { 'content-type': 'application/json; charset=UTF-8' });
    expect(utf8.statusCode).toBe(202);
  });

  it('answers what the router and the HTTP parser refuse with problem documents that do not echo the request', async () => {
    const address = await suite.app.listen({ host: '127.0.0.1', port: 0 });
    const longId = await fetch(`${address}/v1/submissions/${'a'.repeat(300)}`, { headers: suite.auth });
    expect([longId.status, longId.headers.get('content-type')]).toEqual([
      414,
      'application/problem+json; charset=utf-8',
    ]);
    expect(await longId.text()).not.toContain('aaaa');
    const badPath = await fetch(`${address}/v1/submissions/%E0%A4%A`, { headers: suite.auth });
    expect([badPath.status, ((await badPath.json()) as { type: string }).type]).toEqual([
      400,
      expect.stringContaining('malformed-path'),
    ]);
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(new URL(address).port), '127.0.0.1', () => socket.end(request));
        let text = '';
        socket.on('data', (d) => (text += d.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
    const smuggled = await raw(
      'POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    );
    expect(smuggled).toMatch(/^HTTP\/1.1 400 /);
    expect(smuggled).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(smuggled.slice(smuggled.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400 });
    const huge = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1.1 431 /);
    expect(huge).toContain('application/problem+json');
    // Node's own refusals (an expectation other than 100-continue, an HTTP/1.1 request without Host) had no body.
    for (const [request, status] of [
      ['POST /v1/orders HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}', 417],
      ['GET /v1/submissions HTTP/1.1\r\nAuthorization: Bearer x\r\n\r\n', 400],
    ] as const) {
      const answer = await raw(request);
      expect(answer, request).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(answer, request).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)), request).toMatchObject({ status });
    }
  });

  it('answers a refused request to the public documents with a problem document too', async () => {
    // /openapi.json was registered before the error handler: its refusals were Fastify's plain JSON.
    for (const url of ['/openapi.json?x=%00', '/docs/json?x=%00', '/healthz?x=%00']) {
      const res = await suite.app.inject({ url });
      expect([res.statusCode, res.headers['content-type'], res.json().type], url).toEqual([
        400,
        expect.stringMatching(/^application\/problem\+json/),
        expect.stringContaining('invalid-string'),
      ]);
    }
  });

  it('refuses an instant JavaScript cannot hold (a leap second) instead of failing in SQL', async () => {
    const res = await suite.app.inject({
      method: 'POST',
      url: '/v1/webhook-endpoints/whe_00000000000000000000000000/redeliver-failed?since=2026-06-30T23:59:60Z',
      headers: suite.auth,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ pointer: expect.stringMatching(/since/) })]);
  });

  it('reads a number in a query string only as plain decimal digits, not as JavaScript reads a string', async () => {
    // Number() takes hex, exponents, a sign and padding: `limit=0x10` was a page of 16.
    for (const limit of ['0x10', '1e1', '%2B5', '%205', '5%20', '0b11', '1.0', 'Infinity']) {
      for (const url of [`/v1/submissions?limit=${limit}`, `/v1/webhook-deliveries?limit=${limit}`]) {
        const res = await suite.app.inject({ url, headers: suite.auth });
        expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json().errors).toEqual([expect.objectContaining({ pointer: expect.stringMatching(/limit/) })]);
      }
    }
    for (const url of ['/v1/submissions?limit=16', '/v1/webhook-deliveries?limit=16', '/v1/submissions']) {
      expect((await suite.app.inject({ url, headers: suite.auth })).statusCode, url).toBe(200);
    }
  });

  it('caps webhook endpoints per partner and refuses the same URL twice', async () => {
    const { auth: own } = await newPartner(suite.pool);
    const create = (url: string) => postJson('/v1/webhook-endpoints', JSON.stringify({ url }), own);
    expect((await create('https://hooks.example.com/a')).statusCode).toBe(201);
    const again = await create('https://hooks.example.com/a');
    expect(again.statusCode).toBe(409);
    expect(again.json().type).toMatch(/duplicate-webhook-url/);
    for (const spelling of [
      'https://HOOKS.example.com:443/a',
      'https://hooks.example.com./a',
      'https://hooks.example.com/a?',
    ])
      expect((await create(spelling)).statusCode, spelling).toBe(409);
    expect((await create('https://hooks.example.com/b')).statusCode).toBe(201);
    expect((await create('https://hooks.example.com/c')).statusCode).toBe(201);
    const fourth = await create('https://hooks.example.com/d');
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json().type).toMatch(/webhook-endpoint-limit/);
  });
});
