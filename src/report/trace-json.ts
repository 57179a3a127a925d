/** `topo trace --format json`: { verdict, packet, hops: [{ at, kind, decision, rule, source }], reason }. */
import { formatIpv4 } from '../net/ipv4.js';
import { protocolName, hasPorts } from '../headerspace/packet.js';
import { formatLoc, isBuiltin } from '../scenario/source-loc.js';
import type { Network } from '../model/types.js';
import type { Hop, Trace } from '../sim/trace.js';
import type { Packet } from '../headerspace/packet.js';

export function packetJson(net: Network, p: Packet): Record<string, unknown> {
  const name = net.names[p.dstName];
  return {
    protocol: protocolName(p.protocol),
    srcIp: formatIpv4(p.srcIp),
    ...(hasPorts(p.protocol) ? { srcPort: p.srcPort } : {}),
    dstIp: formatIpv4(p.dstIp),
    ...(hasPorts(p.protocol) ? { dstPort: p.dstPort } : {}),
    ...(name && name.kind !== 'none' ? { dstName: name.label } : {}),
  };
}

export function hopJson(h: Hop): Record<string, unknown> {
  return {
    at: h.at,
    ...(h.node ? { node: h.node } : {}),
    kind: h.kind,
    decision: h.decision,
    ...(h.rule ? { rule: h.rule } : {}),
    ...(h.loc && !isBuiltin(h.loc) ? { source: formatLoc(h.loc) } : {}),
    ...(h.detail ? { detail: h.detail } : {}),
  };
}

export function traceJson(net: Network, trace: Trace, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    verdict: trace.verdict,
    packet: packetJson(net, trace.packet),
    hops: trace.hops.map(hopJson),
    reason: trace.reason,
    ...(trace.delivery ? { delivery: trace.delivery.label } : {}),
    ...extra,
  };
}
