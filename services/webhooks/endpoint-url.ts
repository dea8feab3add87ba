/**
 * Registration-time checks of an endpoint URL. They catch mistakes early; the real SSRF guard is at send time on
 * the address actually dialled (a name can resolve differently later).
 */
import net from 'node:net';
import { AllowList, checkDialledAddress } from '../../adapters/http/address-policy';

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
  if (net.isIP(hostname)) {
    const refusal = checkDialledAddress(allowList, hostname, hostname);
    if (refusal) return `url points to ${hostname}, a ${refusal} address webhooks may not dial`;
  }
  return undefined;
}
