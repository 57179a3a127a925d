/** Compact, readable summaries of packet sets: prefixes x protocols x port ranges (x names). */
import type { Box } from '../headerspace/box.js';
import type { IntervalSet } from '../headerspace/interval-set.js';
import type { PacketSet } from '../headerspace/packet-set.js';
import { DIM, PROTO, protocolName } from '../headerspace/packet.js';
import { formatPrefix, rangeToPrefixes } from '../net/ipv4.js';
import { formatPortRange } from '../net/ports.js';
import type { Network } from '../model/types.js';

function listOf(items: string[], max: number): string {
  return items.length <= max ? items.join(',') : `${items.slice(0, max).join(',')},…(+${items.length - max})`;
}

export function addressesText(set: IntervalSet, max = 3, net?: Network): string {
  if (set.min === 0 && set.max === 0xffffffff && set.intervalCount === 1) return '*';
  if (net) {
    // Whole subnets read better than their usable address ranges.
    const covered: string[] = [];
    let rest = set;
    for (const sub of net.subnets.values()) {
      if (!sub.usable.isEmpty && sub.usable.subsetOf(rest)) {
        covered.push(`${sub.id} (${sub.prefixes.map(formatPrefix).join(',')})`);
        rest = rest.subtract(sub.usable);
      }
    }
    if (covered.length > 0) return rest.isEmpty ? listOf(covered, max) : `${listOf(covered, max)},${addressesText(rest, max)}`;
  }
  const prefixes: string[] = [];
  for (const [lo, hi] of set.intervals()) {
    for (const p of rangeToPrefixes(lo, hi)) {
      prefixes.push(formatPrefix(p).replace(/\/32$/, ''));
      if (prefixes.length > max + 20) break;
    }
  }
  return listOf(prefixes, max);
}

export function portsText(set: IntervalSet): string {
  return listOf([...set.intervals()].map(([lo, hi]) => formatPortRange(lo, hi)), 4);
}

export function protocolsText(set: IntervalSet): string {
  if (set.min === 0 && set.max === 255 && set.intervalCount === 1) return '*';
  if (set.size > 8) {
    const named = [PROTO.TCP, PROTO.UDP, PROTO.ICMP].filter((p) => set.has(p)).map(protocolName);
    const rest = set.size - named.length;
    return `${named.join(',')}${named.length ? ' and ' : ''}${rest} other IP protocols`;
  }
  const out: string[] = [];
  for (const [lo, hi] of set.intervals()) {
    if (hi - lo > 8) out.push(`${lo}-${hi}`);
    else for (let p = lo; p <= hi; p++) out.push(protocolName(p));
  }
  return listOf(out, 4);
}

export function boxText(net: Network, b: Box): string {
  const protos = b[DIM.proto];
  const ported = protos.has(PROTO.TCP) || protos.has(PROTO.UDP);
  const names: string[] = [];
  for (const [lo, hi] of b[DIM.dstName].intervals()) for (let n = lo; n <= hi && names.length < 6; n++) if (net.names[n]?.kind !== 'none') names.push(net.names[n].label);
  // A name sent to a private address (a resource's name that private DNS resolves to its endpoint, F5.2.1) keeps the address beside it.
  const privately = names.length > 0 && !b[DIM.dstIp].intersects(net.adversary.publicSpace);
  const dst = names.length === 0 ? addressesText(b[DIM.dstIp], 3, net) : privately ? `${listOf(names, 2)} (${addressesText(b[DIM.dstIp], 3, net)})` : listOf(names, 2);
  return `${protocolsText(protos)} ${addressesText(b[DIM.srcIp], 3, net)} -> ${dst}${ported ? ` port ${portsText(b[DIM.dstPort])}` : ''}`;
}

/** Merges boxes that differ in one dimension only, for display. */
function mergeForDisplay(boxes: readonly Box[]): Box[] {
  let list = [...boxes];
  for (let changed = true; changed; ) {
    changed = false;
    outer: for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const diff = [0, 1, 2, 3, 4, 5].filter((d) => !list[i][d].equals(list[j][d]));
        if (diff.length === 1) {
          const merged = list[i].slice();
          merged[diff[0]] = list[i][diff[0]].union(list[j][diff[0]]);
          list = [...list.slice(0, i), merged, ...list.slice(i + 1, j), ...list.slice(j + 1)];
          changed = true;
          break outer;
        }
      }
    }
  }
  return list;
}

/** At most `max` lines describing a set, largest boxes first. */
export function describeSet(net: Network, set: PacketSet, max = 4): string[] {
  const merged = set.boxes.length <= 64 ? mergeForDisplay(set.boxes) : [...set.boxes];
  const boxes = merged.sort((a, b) => b[DIM.srcIp].size * b[DIM.dstPort].size - a[DIM.srcIp].size * a[DIM.dstPort].size);
  const lines = boxes.slice(0, max).map((b) => boxText(net, b));
  if (boxes.length > max) lines.push(`… and ${boxes.length - max} more header regions`);
  return lines;
}
