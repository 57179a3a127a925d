/**
 * IPv4 addresses, prefixes and ranges as plain numbers in [0, 2^32).
 *
 * Parsing is strict on purpose: Azure rejects CIDRs with host bits set
 * (F1.1.4) and octets with leading zeros are ambiguous (octal in some tools),
 * so both are reported rather than silently normalised.
 */

export const IPV4_MAX = 0xffffffff;

export interface Ipv4Prefix {
  readonly addr: number;
  readonly len: number;
}

export type PrefixParse =
  | { readonly ok: true; readonly prefix: Ipv4Prefix }
  | { readonly ok: false; readonly reason: 'syntax' | 'host-bits' | 'ipv6'; readonly canonical?: string };

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return `${(value >>> 24) & 255}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

export function looksLikeIpv6(text: string): boolean {
  return /^[0-9a-fA-F:]+(\/\d+)?$/.test(text) && text.includes(':');
}

/** Size of a prefix of the given length, as a number (2^(32-len)). */
export function prefixSize(len: number): number {
  return 2 ** (32 - len);
}

export function prefixLast(prefix: Ipv4Prefix): number {
  return prefix.addr + prefixSize(prefix.len) - 1;
}

/** Parses `a.b.c.d/len` or a bare address (taken as /32). */
export function parsePrefix(text: string): PrefixParse {
  if (looksLikeIpv6(text)) return { ok: false, reason: 'ipv6' };
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const lenText = slash < 0 ? '32' : text.slice(slash + 1);
  const addr = parseIpv4(addrText);
  if (addr === null || !/^(0|[1-9][0-9]?)$/.test(lenText)) return { ok: false, reason: 'syntax' };
  const len = Number(lenText);
  if (len > 32) return { ok: false, reason: 'syntax' };
  const size = prefixSize(len);
  const network = addr - (addr % size);
  if (network !== addr) {
    return { ok: false, reason: 'host-bits', canonical: `${formatIpv4(network)}/${len}` };
  }
  return { ok: true, prefix: { addr, len } };
}

export function formatPrefix(prefix: Ipv4Prefix): string {
  return `${formatIpv4(prefix.addr)}/${prefix.len}`;
}

/** `a.b.c.d-e.f.g.h` as accepted by Azure Firewall and IP Groups (F4.3.3). */
export function parseIpv4Range(text: string): { lo: number; hi: number } | null {
  const dash = text.indexOf('-');
  if (dash < 0) return null;
  const lo = parseIpv4(text.slice(0, dash).trim());
  const hi = parseIpv4(text.slice(dash + 1).trim());
  if (lo === null || hi === null || lo > hi) return null;
  return { lo, hi };
}

export function prefixContains(outer: Ipv4Prefix, inner: Ipv4Prefix): boolean {
  return outer.len <= inner.len && inner.addr >= outer.addr && prefixLast(inner) <= prefixLast(outer);
}

export function prefixesOverlap(a: Ipv4Prefix, b: Ipv4Prefix): boolean {
  return a.addr <= prefixLast(b) && b.addr <= prefixLast(a);
}

export function prefixHas(prefix: Ipv4Prefix, addr: number): boolean {
  return addr >= prefix.addr && addr <= prefixLast(prefix);
}

/** The minimal list of CIDR prefixes covering exactly [lo, hi]. */
export function rangeToPrefixes(lo: number, hi: number): Ipv4Prefix[] {
  const out: Ipv4Prefix[] = [];
  let cur = lo;
  while (cur <= hi) {
    let len = 32;
    while (len > 0) {
      const size = prefixSize(len - 1);
      if (cur % size !== 0 || cur + size - 1 > hi) break;
      len -= 1;
    }
    out.push({ addr: cur, len });
    cur += prefixSize(len);
  }
  return out;
}

/** Azure keeps the first four and the last address of every subnet (F1, subnet limits). */
export function isAzureReserved(subnet: Ipv4Prefix, addr: number): boolean {
  if (!prefixHas(subnet, addr)) return false;
  const offset = addr - subnet.addr;
  return offset < 4 || addr === prefixLast(subnet);
}

/** First address Azure hands out in a subnet: the network address + 4. */
export function firstUsable(subnet: Ipv4Prefix): number {
  return subnet.len >= 30 ? subnet.addr : subnet.addr + 4;
}

export const RFC1918: readonly Ipv4Prefix[] = [
  { addr: parseIpv4('10.0.0.0')!, len: 8 },
  { addr: parseIpv4('172.16.0.0')!, len: 12 },
  { addr: parseIpv4('192.168.0.0')!, len: 16 },
];
export const SHARED_ADDRESS_SPACE: Ipv4Prefix = { addr: parseIpv4('100.64.0.0')!, len: 10 };
export const AZURE_HOST_IP = parseIpv4('168.63.129.16')!;
export const AZURE_IMDS_IP = parseIpv4('169.254.169.254')!;

/**
 * Address space that is never "the Internet": RFC 1918, RFC 6598, loopback,
 * link-local, multicast, reserved, 0/8 and the broadcast address.
 */
export const NON_PUBLIC: readonly Ipv4Prefix[] = [
  { addr: 0, len: 8 },
  ...RFC1918,
  SHARED_ADDRESS_SPACE,
  { addr: parseIpv4('127.0.0.0')!, len: 8 },
  { addr: parseIpv4('169.254.0.0')!, len: 16 },
  { addr: parseIpv4('224.0.0.0')!, len: 4 },
  { addr: parseIpv4('240.0.0.0')!, len: 4 },
];

export function isPrivateAddress(addr: number): boolean {
  return RFC1918.some((p) => prefixHas(p, addr)) || prefixHas(SHARED_ADDRESS_SPACE, addr);
}

export function isPublicAddress(addr: number): boolean {
  return !NON_PUBLIC.some((p) => prefixHas(p, addr));
}
