/**
 * Which IP addresses an outgoing webhook may dial. Anything that reaches our own network, the cloud metadata
 * service or a special-purpose range is refused unless an explicit allow-list entry (host name or CIDR) says
 * otherwise, which is how local development and tests reach 127.0.0.1.
 */
import net from 'node:net';

const REFUSED: { range: string; reason: string }[] = [
  { range: '0.0.0.0/8', reason: 'unspecified' },
  { range: '10.0.0.0/8', reason: 'private' },
  { range: '100.64.0.0/10', reason: 'carrier-grade NAT' },
  { range: '127.0.0.0/8', reason: 'loopback' },
  { range: '169.254.169.254/32', reason: 'cloud metadata' },
  { range: '169.254.0.0/16', reason: 'link-local' },
  { range: '172.16.0.0/12', reason: 'private' },
  { range: '192.0.0.0/24', reason: 'IETF protocol assignments' },
  { range: '192.0.2.0/24', reason: 'documentation' },
  { range: '192.88.99.0/24', reason: '6to4 relay' },
  { range: '192.168.0.0/16', reason: 'private' },
  { range: '198.18.0.0/15', reason: 'benchmarking' },
  { range: '198.51.100.0/24', reason: 'documentation' },
  { range: '203.0.113.0/24', reason: 'documentation' },
  { range: '224.0.0.0/4', reason: 'multicast' },
  { range: '240.0.0.0/4', reason: 'reserved' },
  { range: '::/128', reason: 'unspecified' },
  { range: '::1/128', reason: 'loopback' },
  // Addresses that embed an IPv4 address could smuggle 127.0.0.1 or 10/8 past the IPv4 rules
  // (IPv4-mapped ::ffff:0:0/96 is checked by isIPv4Mapped: BlockList matches it against IPv4 rules both ways).
  { range: '::/96', reason: 'IPv4-compatible IPv6' },
  { range: '::ffff:0:0:0/96', reason: 'IPv4-translated IPv6 (embeds IPv4)' },
  { range: '64:ff9b::/96', reason: 'NAT64 (embeds IPv4)' },
  { range: '64:ff9b:1::/48', reason: 'NAT64 (embeds IPv4)' },
  // 6to4 and Teredo tunnel to an embedded IPv4 address (Teredo's obfuscated): refused whole, whatever it embeds.
  { range: '2002::/16', reason: '6to4 (embeds IPv4)' },
  { range: '2001::/32', reason: 'Teredo (embeds IPv4)' },
  { range: '100::/64', reason: 'discard' },
  { range: '2001:db8::/32', reason: 'documentation' },
  { range: 'fd00:ec2::254/128', reason: 'cloud metadata' },
  { range: 'fc00::/7', reason: 'unique-local' },
  { range: 'fe80::/10', reason: 'link-local' },
  { range: 'ff00::/8', reason: 'multicast' },
];

function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, bits] = cidr.split('/');
  const version = net.isIP(address ?? '');
  if (!address || version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return net.isIPv4(address) ? 'ipv4' : 'ipv6';
}

const refusedLists = REFUSED.map(({ range, reason }) => {
  const cidr = parseCidr(range)!;
  const list = new net.BlockList();
  list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  return { list, reason };
});

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad is folded into the last two). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
}

/** True for ::ffff:a.b.c.d in any spelling (dotted or hex). */
export function isIPv4Mapped(address: string): boolean {
  if (!net.isIPv6(address)) return false;
  const groups = ipv6Groups(address);
  return groups.length === 8 && groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}

/** Why an address may not be dialled, or undefined when it is a public unicast address. */
export function refusalReason(scoped: string): string | undefined {
  // A zone (fe80::1%eth0) names an interface, not a different address.
  const address = scoped.replace(/%.*$/, '');
  if (net.isIP(address) === 0) return 'not an IP address';
  if (isIPv4Mapped(address)) return 'IPv4-mapped IPv6';
  const family = familyOf(address);
  return refusedLists.find(({ list }) => list.check(address, family))?.reason;
}

/** The allow-list from configuration: host names (exact, case-insensitive) and IP addresses or CIDR ranges. */
export class AllowList {
  private readonly hosts = new Set<string>();
  private readonly ranges = new net.BlockList();

  constructor(entries: string[]) {
    for (const entry of entries) {
      const cidr = parseCidr(entry);
      if (cidr) this.ranges.addSubnet(cidr.address, cidr.prefix, cidr.family);
      else this.hosts.add(entry.toLowerCase());
    }
  }

  /** True when the host name (as written in the URL) is allow-listed. */
  allowsHost(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase());
  }

  /** True when the IP address falls in an allow-listed range. */
  allowsAddress(address: string): boolean {
    return net.isIP(address) !== 0 && this.ranges.check(address, familyOf(address));
  }
}

/** Checks an address about to be dialled for `hostname`; returns why it is refused (e.g. `loopback`), if it is. */
export function checkDialledAddress(allowList: AllowList, hostname: string, address: string): string | undefined {
  if (allowList.allowsHost(hostname) || allowList.allowsAddress(address)) return undefined;
  return refusalReason(address);
}
