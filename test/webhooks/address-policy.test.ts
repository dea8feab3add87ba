/** Unit tests of the address classifier and the registration-time URL checks. */
import { describe, expect, it } from 'vitest';
import { AllowList, checkDialledAddress, refusalReason } from '../../adapters/http/address-policy';
import { endpointUrlProblem, normalizeEndpointUrl } from '../../services/webhooks/endpoint-url';

describe('refusalReason', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.10.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'IPv4-mapped IPv6'],
    ['::ffff:7f00:1', 'IPv4-mapped IPv6'],
    ['::ffff:169.254.169.254', 'IPv4-mapped IPv6'],
    ['::ffff:8.8.8.8', 'IPv4-mapped IPv6'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['fd12:3456::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['64:ff9b::7f00:1', 'NAT64 (embeds IPv4)'],
    ['::ffff:0:7f00:1', 'IPv4-translated IPv6 (embeds IPv4)'],
    ['::ffff:0:a9fe:a9fe', 'IPv4-translated IPv6 (embeds IPv4)'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(refusalReason(address)).toBe(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '169.255.0.1',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
  ])('lets the public address %s through', (address) => {
    expect(refusalReason(address)).toBeUndefined();
  });

  it('does not treat a host name as an address', () => {
    expect(refusalReason('localhost')).toBe('not an IP address');
  });
});

describe('allow-list', () => {
  it('allows CIDR ranges, single addresses and host names, nothing else', () => {
    const allow = new AllowList(['127.0.0.1', '10.0.0.0/8', 'dev.internal']);
    expect(checkDialledAddress(allow, 'x', '127.0.0.1')).toBeUndefined();
    expect(checkDialledAddress(allow, 'x', '10.9.9.9')).toBeUndefined();
    expect(checkDialledAddress(allow, 'DEV.internal', '192.168.0.1')).toBeUndefined();
    expect(checkDialledAddress(allow, 'x', '127.0.0.2')).toBe('loopback');
    expect(checkDialledAddress(allow, 'x', '::ffff:192.168.0.1')).toBe('IPv4-mapped IPv6');
    expect(checkDialledAddress(new AllowList([]), 'metadata', '169.254.169.254')).toBe('cloud metadata');
    expect(checkDialledAddress(new AllowList([]), 'x', '::ffff:127.0.0.1')).toBe('IPv4-mapped IPv6');
    expect(checkDialledAddress(new AllowList([]), 'x', 'fe80::1%eth0')).toBe('link-local');
  });
});

describe('endpointUrlProblem', () => {
  it('accepts public https URLs', () => {
    expect(endpointUrlProblem('https://hooks.example.com/in', [])).toBeUndefined();
    expect(endpointUrlProblem('https://localhost/in', [])).toBeUndefined(); // names are checked when dialled
    expect(endpointUrlProblem('https://hooks.example.com:443/in', [])).toBeUndefined();
  });
  it('refuses a port webhooks never dial, unless the host is allow-listed', () => {
    expect(endpointUrlProblem('https://example.com:8443/', [])).toMatch(/port 443 \(or 80\).*not 8443/);
    expect(endpointUrlProblem('https://dev.internal:8443/in', ['dev.internal'])).toBeUndefined();
  });
  it('requires https unless the host is allow-listed', () => {
    expect(endpointUrlProblem('http://hooks.example.com/in', [])).toBe('url must use https');
    expect(endpointUrlProblem('http://127.0.0.1:9000/in', ['127.0.0.1'])).toBeUndefined();
    expect(endpointUrlProblem('http://dev.internal/in', ['dev.internal'])).toBeUndefined();
  });
  it('refuses other schemes, credentials and literal private addresses', () => {
    expect(endpointUrlProblem('ftp://example.com/x', [])).toBe('url must use https, not ftp:');
    expect(endpointUrlProblem('file:///etc/passwd', [])).toBe('url must use https, not file:');
    expect(endpointUrlProblem('https://u:p@example.com/', [])).toBe('url must not contain credentials');
    expect(endpointUrlProblem('https://169.254.169.254/latest', [])).toMatch(/cloud metadata/);
    expect(endpointUrlProblem('https://[::ffff:127.0.0.1]/x', [])).toMatch(/IPv4-mapped/);
    expect(endpointUrlProblem('not a url', [])).toMatch(/absolute URL/);
    // Other spellings of 127.0.0.1 are normalised by the URL parser before the check.
    expect(endpointUrlProblem('https://2130706433/', [])).toMatch(/127\.0\.0\.1, a loopback address/);
    expect(endpointUrlProblem('https://0x7f.1/', [])).toMatch(/loopback/);
  });
});

describe('normalizeEndpointUrl', () => {
  it('gives every spelling of one endpoint the same form, so it cannot be registered twice', () => {
    for (const raw of [
      'https://hooks.example.com/a',
      'https://HOOKS.example.com/a',
      'https://hooks.example.com:443/a',
      'https://hooks.example.com./a',
      'https://hooks.example.com/a?',
    ])
      expect(normalizeEndpointUrl(raw), raw).toBe('https://hooks.example.com/a');
    expect(normalizeEndpointUrl('https://hooks.example.com/a?x=1')).toBe('https://hooks.example.com/a?x=1');
  });
});
