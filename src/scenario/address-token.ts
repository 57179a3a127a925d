/**
 * What an address field holds: any, a prefix, a range (firewall only), a
 * service tag, or something invalid. Shared by the checks and the model so
 * that both read a value the same way.
 */
import { parseIpv4Range, parsePrefix, type Ipv4Prefix } from '../net/ipv4.js';

export type AddressToken =
  | { readonly kind: 'any' }
  | { readonly kind: 'prefix'; readonly prefix: Ipv4Prefix }
  | { readonly kind: 'range'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'tag'; readonly name: string }
  | { readonly kind: 'invalid'; readonly reason: 'syntax' | 'host-bits' | 'ipv6' | 'range-not-allowed'; readonly canonical?: string };

export function addressToken(raw: string, allowRanges: boolean): AddressToken {
  const text = raw.trim();
  if (text === '*' || text.toLowerCase() === 'any' || text === '0.0.0.0/0') return { kind: 'any' };
  if (/^[0-9]/.test(text) || text.includes(':')) {
    if (text.includes('-') && !text.includes(':')) {
      const range = parseIpv4Range(text);
      if (!range) return { kind: 'invalid', reason: 'syntax' };
      return allowRanges ? { kind: 'range', lo: range.lo, hi: range.hi } : { kind: 'invalid', reason: 'range-not-allowed' };
    }
    const p = parsePrefix(text);
    if (p.ok) return { kind: 'prefix', prefix: p.prefix };
    return { kind: 'invalid', reason: p.reason, canonical: p.canonical };
  }
  return { kind: 'tag', name: text };
}
