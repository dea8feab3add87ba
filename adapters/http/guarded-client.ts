/**
 * The HTTP client for calls to partner-controlled URLs. It refuses what an attacker could aim at us: the address
 * is checked in the socket's own DNS lookup, so the address actually dialled is the one checked (no gap for DNS
 * rebinding between check and connect). Redirects are never followed, the whole exchange has one timeout and the
 * response body read is capped.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { AllowList, checkDialledAddress } from './address-policy';

/** A resolved address. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address the socket may dial; injectable so tests can play DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** Options of the guarded client. */
export interface GuardedHttpOptions {
  allowList: string[];
  timeoutMs: number;
  maxResponseBytes: number;
  resolve?: Resolver;
}

/** One outgoing POST. */
export interface GuardedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** An HTTP answer (any status: 3xx are returned, not followed). */
export interface GuardedResponse {
  ok: true;
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, cut at `maxResponseBytes`. */
  body: string;
  latencyMs: number;
}

/** Why no HTTP answer came back: `refused` is our own guard and will not change on retry by itself. */
export interface GuardedFailure {
  ok: false;
  kind: 'refused' | 'timeout' | 'network';
  error: string;
  latencyMs: number;
}

/** Error raised inside the lookup when the guard refuses an address. */
class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
}

const defaultResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** A POST-only client with the SSRF guard, timeout and body cap. */
export function createGuardedHttpClient(options: GuardedHttpOptions) {
  const allowList = new AllowList(options.allowList);
  const resolve = options.resolve ?? defaultResolver;

  // Ports other than 80 and 443 only for allow-listed hosts or addresses (local development and tests).
  const portAllowed = (url: URL, hostname: string, addresses: string[]): boolean =>
    url.port === '' ||
    url.port === '80' ||
    url.port === '443' ||
    allowList.allowsHost(hostname) ||
    (addresses.length > 0 && addresses.every((a) => allowList.allowsAddress(a)));

  // The socket calls this to turn the host name into addresses; refusing here refuses the connection itself. The
  // refusal names neither the address nor its kind: the partner must not learn what our internal names resolve to.
  const lookupFor =
    (url: URL): net.LookupFunction =>
    (hostname, lookupOptions, callback) => {
      resolve(hostname)
        .then((addresses) => {
          if (addresses.length === 0) throw new Error(`${hostname} did not resolve to any address`);
          for (const { address } of addresses) {
            if (checkDialledAddress(allowList, hostname, address))
              throw new RefusedAddressError(`${hostname} resolves to an address webhooks may not dial`);
          }
          if (
            !portAllowed(
              url,
              hostname,
              addresses.map((a) => a.address),
            )
          )
            throw new RefusedAddressError(`port ${url.port} is not allowed: webhooks dial ports 80 and 443 only`);
          if (lookupOptions.all) callback(null, addresses);
          else callback(null, addresses[0]!.address, addresses[0]!.family);
        })
        .catch((err: NodeJS.ErrnoException) => callback(err, '', 0));
    };

  return {
    /** POSTs the body; never throws, answers with a response or a classified failure. */
    async post(request: GuardedRequest): Promise<GuardedResponse | GuardedFailure> {
      const started = Date.now();
      const fail = (kind: GuardedFailure['kind'], error: string): GuardedFailure => ({
        ok: false,
        kind,
        error,
        latencyMs: Date.now() - started,
      });
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return fail('refused', `"${request.url}" is not a URL`);
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return fail('refused', `scheme ${url.protocol} is not allowed`);
      if (url.username || url.password) return fail('refused', 'credentials in the URL are not allowed');
      const hostname = url.hostname.replace(/^\[|\]$/g, '');
      // A literal IP never goes through `lookup`, so it is checked here.
      if (net.isIP(hostname)) {
        // The partner wrote this address: naming its kind tells them nothing they did not know.
        const refusal = checkDialledAddress(allowList, hostname, hostname);
        if (refusal) return fail('refused', `${hostname} (${refusal}) may not be dialled by webhooks`);
        if (!portAllowed(url, hostname, [hostname]))
          return fail('refused', `port ${url.port} is not allowed: webhooks dial ports 80 and 443 only`);
      }
      return send(url, request, options, lookupFor(url), started, fail);
    },
  };
}

/** The guarded client's type. */
export type GuardedHttpClient = ReturnType<typeof createGuardedHttpClient>;

function send(
  url: URL,
  request: GuardedRequest,
  options: GuardedHttpOptions,
  lookup: net.LookupFunction,
  started: number,
  fail: (kind: GuardedFailure['kind'], error: string) => GuardedFailure,
): Promise<GuardedResponse | GuardedFailure> {
  return new Promise((resolve) => {
    const transport = url.protocol === 'https:' ? https : http;
    const body = Buffer.from(request.body);
    let settled = false;
    const finish = (result: GuardedResponse | GuardedFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    // A fresh agent per call: no pooled socket dialled for another name is ever reused.
    const req = transport.request(url, {
      method: 'POST',
      agent: false,
      lookup,
      headers: { ...request.headers, 'content-length': String(body.length) },
    });
    const timer = setTimeout(() => {
      finish(fail('timeout', `no complete answer within ${options.timeoutMs} ms`));
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (err) => {
      const refused = err instanceof RefusedAddressError || err.name === 'RefusedAddressError';
      finish(fail(refused ? 'refused' : 'network', err.message || String(err)));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void => {
        finish({
          ok: true,
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          latencyMs: Date.now() - started,
        });
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        const room = options.maxResponseBytes - size;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += chunk.length;
        // The status is what matters; we stop reading rather than buffer whatever the receiver streams.
        if (size >= options.maxResponseBytes) done();
      });
      res.on('end', done);
      res.on('error', (err) => finish(fail('network', err.message)));
    });
    req.end(body);
  });
}
