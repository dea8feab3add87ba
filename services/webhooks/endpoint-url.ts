/**
 * Registration-time checks of an endpoint URL. They catch mistakes early; the real SSRF guard is at send time on
 * the address actually dialled (a name can resolve differently later).
 */
import net from 'node:net';
import { AllowList, checkDialledAddress } from '../../adapters/http/address-policy';

/**
 * The URL as stored and compared: the WHATWG form (host lower-cased, default port dropped) without a trailing dot on
 * the host or an empty query, so `https://HOOKS.example.com:443/a?` is the same endpoint as `https://hooks.example.com/a`.
 */
export function normalizeEndpointUrl(raw: string): string {
  const url = new URL(raw);
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.replace(/\.+$/, '');
  if (url.search === '') url.search = '';
  return url.href;
}

/** Why the URL cannot be registered, or undefined when it can. */
export function endpointUrlProblem(raw: string, allowListEntries: string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute URL such as https://example.com/webhooks';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `url must use https, not ${url.protocol}`;
  if (url.username || url.password) return 'url must not contain credentials';
  if (url.hash) return 'url must not contain a fragment';
  const allowList = new AllowList(allowListEntries);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const allowListed = allowList.allowsHost(hostname) || (net.isIP(hostname) !== 0 && allowList.allowsAddress(hostname));
  if (url.protocol === 'http:' && !allowListed) return 'url must use https';
  // The send-time guard dials 80 and 443 only (other ports for allow-listed hosts): refused now, not at every send.
  if (url.port !== '' && url.port !== '80' && url.port !== '443' && !allowListed)
    return `url must use port 443 (or 80): webhooks dial no other port, not ${url.port}`;
  if (net.isIP(hostname)) {
    const refusal = checkDialledAddress(allowList, hostname, hostname);
    if (refusal) return `url points to ${hostname}, a ${refusal} address webhooks may not dial`;
  }
  return undefined;
}
