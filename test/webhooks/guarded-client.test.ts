/** The guarded HTTP client against real listeners on 127.0.0.1, with DNS injected where a test needs a name. */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedHttpClient, type Resolver } from '../../adapters/http/guarded-client';
import { loadConfig } from '../../config';

/** A raw TCP listener that only counts connections: proof that nothing reached it. */
async function tcpCounter(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('guarded HTTP client', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
      if (req.url === '/big') return void res.writeHead(200).end('x'.repeat(100_000));
      if (req.url === '/slow') return; // never answers
      // Answers after a minute, as a partner endpoint stuck behind a slow database might.
      if (req.url === '/sixty-seconds') return void setTimeout(() => res.writeHead(200).end(), 60_000).unref();
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const opts = { allowList: ['127.0.0.1'], timeoutMs: 5_000, maxResponseBytes: 1024 };

  it('posts to an allow-listed address and returns the status', async () => {
    const res = await createGuardedHttpClient(opts).post({ url: `${base}/ok`, headers: {}, body: '{}' });
    expect(res).toMatchObject({ ok: true, status: 204 });
  });

  it('returns a redirect instead of following it', async () => {
    const res = await createGuardedHttpClient(opts).post({ url: `${base}/redirect`, headers: {}, body: '{}' });
    expect(res).toMatchObject({ ok: true, status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } });
  });

  it('caps the body it reads', async () => {
    const res = await createGuardedHttpClient(opts).post({ url: `${base}/big`, headers: {}, body: '{}' });
    expect(res.ok && res.body.length).toBe(1024);
  });

  it('gives up at the timeout', async () => {
    const res = await createGuardedHttpClient({ ...opts, timeoutMs: 300 }).post({
      url: `${base}/slow`,
      headers: {},
      body: '{}',
    });
    expect(res).toMatchObject({ ok: false, kind: 'timeout', error: 'no complete answer within 300 ms' });
  });

  it('with the shipped default, stops waiting for a 60 s receiver at 15 s', { timeout: 45_000 }, async () => {
    const { timeoutMs } = loadConfig({}).webhooks;
    expect(timeoutMs).toBe(15_000);
    const res = await createGuardedHttpClient({ ...opts, timeoutMs }).post({
      url: `${base}/sixty-seconds`,
      headers: {},
      body: '{}',
    });
    expect(res).toMatchObject({ ok: false, kind: 'timeout', error: 'no complete answer within 15000 ms' });
  });

  it('refuses localhost with the allow-list off, before any connection', async () => {
    const counter = await tcpCounter();
    const res = await createGuardedHttpClient({ ...opts, allowList: [] }).post({
      url: `http://localhost:${counter.port}/`,
      headers: {},
      body: '{}',
    });
    expect(res).toMatchObject({ ok: false, kind: 'refused' });
    expect((res as { error: string }).error).toMatch(/^localhost resolves to an address webhooks may not dial$/);
    expect(counter.connections()).toBe(0);
    await counter.close();
  });

  it('refuses a name that resolves to the metadata address, checked in the socket lookup', async () => {
    const counter = await tcpCounter();
    const asked: string[] = [];
    const resolve: Resolver = async (hostname) => {
      asked.push(hostname);
      return [{ address: '169.254.169.254', family: 4 }];
    };
    const res = await createGuardedHttpClient({ ...opts, allowList: [], resolve }).post({
      url: `http://metadata.test:${counter.port}/latest`,
      headers: {},
      body: '',
    });
    expect(res).toMatchObject({
      ok: false,
      kind: 'refused',
      // Nothing about what the name resolves to reaches the partner.
      error: 'metadata.test resolves to an address webhooks may not dial',
    });
    expect(asked).toEqual(['metadata.test']);
    expect(counter.connections()).toBe(0);
    await counter.close();
  });

  it('dials the address its own lookup checked (a public-looking name that rebinds to loopback is refused)', async () => {
    const counter = await tcpCounter();
    const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const res = await createGuardedHttpClient({ ...opts, allowList: [], resolve }).post({
      url: `http://hooks.example.com:${counter.port}/`,
      headers: {},
      body: '',
    });
    expect(res).toMatchObject({ ok: false, kind: 'refused' });
    expect(counter.connections()).toBe(0);
    // The same name allowed through the lookup reaches the listener: the lookup is what the socket used.
    const allowed = await createGuardedHttpClient({ ...opts, allowList: ['127.0.0.1'], resolve }).post({
      url: `http://hooks.example.com:${counter.port}/`,
      headers: {},
      body: '',
    });
    expect(allowed.ok).toBe(false); // the counter hangs up without HTTP
    expect(counter.connections()).toBe(1);
    await counter.close();
  });

  it('refuses literal private and mapped addresses and other schemes', async () => {
    const client = createGuardedHttpClient({ ...opts, allowList: [] });
    expect(await client.post({ url: `${base}/ok`, headers: {}, body: '' })).toMatchObject({
      ok: false,
      kind: 'refused',
    });
    expect(await client.post({ url: 'http://[::ffff:127.0.0.1]:1/', headers: {}, body: '' })).toMatchObject({
      ok: false,
      kind: 'refused',
      error: expect.stringMatching(/IPv4-mapped/),
    });
    expect(await client.post({ url: 'ftp://example.com/', headers: {}, body: '' })).toMatchObject({
      ok: false,
      kind: 'refused',
      error: 'scheme ftp: is not allowed',
    });
  });
});
