/**
 * Turns `--from A --to B` and packet options into one concrete packet and
 * where it starts, preferring readable values: the first usable address of
 * a subnet (.4), TCP 443, source port 49152.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import { PROTO, type Packet } from '../headerspace/packet.js';
import { formatIpv4, parseIpv4 } from '../net/ipv4.js';
import { destinationOf, sourcesOf, type DestSpec, type SourceSpec } from '../model/endpoints.js';
import type { Network } from '../model/types.js';
import { resolveEndpoint } from '../scenario/endpoints.js';
import type { Origin } from './simulate.js';

export interface TraceOptions {
  readonly from: string;
  readonly to: string;
  readonly protocol?: string;
  readonly port?: number;
  readonly srcPort?: number;
  readonly srcIp?: string;
  readonly name?: string;
}

export interface TraceRequest {
  readonly origin: Origin;
  readonly packet: Packet;
  readonly dest: DestSpec;
  readonly fromLabel: string;
}

export class TraceRequestError extends Error {}

/** Example Internet address for `--to internet` (TEST-NET-3, RFC 5737). */
const EXAMPLE_INTERNET = parseIpv4('203.0.113.10')!;

const PROTOCOLS: Record<string, number> = { tcp: PROTO.TCP, udp: PROTO.UDP, icmp: PROTO.ICMP, esp: PROTO.ESP, ah: PROTO.AH };

export function buildTraceRequest(net: Network, opts: TraceOptions): TraceRequest {
  const from = resolveEndpoint(net.scenario, opts.from);
  if (!from.ok) throw new TraceRequestError(`--from ${opts.from}: ${from.message}${from.hint ? ` (${from.hint})` : ''}`);
  let toRef = resolveEndpoint(net.scenario, opts.to);
  if (!toRef.ok) throw new TraceRequestError(`--to ${opts.to}: ${toRef.message}${toRef.hint ? ` (${toRef.hint})` : ''}`);
  const protocol = PROTOCOLS[(opts.protocol ?? 'tcp').toLowerCase()];
  if (protocol === undefined) throw new TraceRequestError(`--protocol must be one of Tcp, Udp, Icmp, Esp, Ah, not '${opts.protocol}'`);
  for (const [flag, v] of [['--port', opts.port], ['--src-port', opts.srcPort]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 65535)) throw new TraceRequestError(`${flag} must be a port number 0-65535`);
  }

  const sources = sourcesOf(net, from.ref);
  if (sources.length === 0) throw new TraceRequestError(`--from ${opts.from}: ${from.ref.kind === 'privateEndpoint' ? 'a private endpoint does not start connections (F5.1.5)' : 'it has no address that can send'}`);
  let source: SourceSpec | undefined;
  let srcIp: number;
  if (opts.srcIp !== undefined) {
    const ip = parseIpv4(opts.srcIp);
    if (ip === null) throw new TraceRequestError(`--src-ip '${opts.srcIp}' is not an IPv4 address`);
    source = sources.find((s) => s.ips.has(ip));
    if (!source) throw new TraceRequestError(`--src-ip ${opts.srcIp} is not an address of ${opts.from}`);
    srcIp = ip;
  } else {
    source = [...sources].sort((a, b) => a.ips.min - b.ips.min)[0];
    srcIp = source.kind === 'internet' && source.ips.has(EXAMPLE_INTERNET) ? EXAMPLE_INTERNET : source.ips.min;
  }
  const origin: Origin = source.kind === 'nic' ? { kind: 'nic', nic: source.nic } : source.kind === 'internet' ? { kind: 'internet' } : { kind: 'on-premises', gateway: source.gateway };
  const sourceVnets = source.kind === 'nic' ? [source.nic.subnet.vnet] : [];
  const fromInternet = source.kind === 'internet';
  const dest = destinationOf(net, toRef.ref, { forAllow: true, sourceVnets, sources: [source] });
  if (dest.unknown) throw new TraceRequestError(`--to ${opts.to}: ${dest.unknown}`);

  let wantedName: number | undefined;
  if (opts.name !== undefined) {
    const cls = net.names.find((c) => c.literal === opts.name!.toLowerCase());
    wantedName = cls?.id ?? net.names.find((c) => c.suffix !== undefined && opts.name!.toLowerCase().endsWith(c.suffix))?.id ?? net.names.find((c) => c.kind === 'other')?.id;
  }
  const named = dest.regions.filter((r) => wantedName === undefined || r.names.has(wantedName));
  const reachable = fromInternet && toRef.ref.kind === 'resource' ? named.filter((r) => r.ips.intersects(net.adversary.publicSpace)) : named;
  const regions = reachable.length > 0 ? reachable : named;
  if (regions.length === 0) throw new TraceRequestError(`--to ${opts.to}: no address of it ${wantedName !== undefined ? `can be reached under the name ${opts.name}` : 'exists'}`);
  const prefer = (r: { ips: IntervalSet; names: IntervalSet }) => {
    const other = net.names.find((c) => c.kind === 'other')!.id;
    return (r.names.has(other) && r.ips.has(EXAMPLE_INTERNET) ? 0 : 1) + (net.names[r.names.min].kind === 'other' ? 0 : 1);
  };
  const region = [...regions].sort((a, b) => prefer(a) - prefer(b))[0];
  let dstIp = region.ips.has(EXAMPLE_INTERNET) ? EXAMPLE_INTERNET : region.ips.min;
  if (source.kind === 'internet' && !net.adversary.publicSpace.has(dstIp)) {
    // The Internet reaches an interface only at its public IP (scenario-format, F1.2.4).
    const target = net.nics.find((n) => n.publicIp && n.addresses.has(dstIp));
    if (target) dstIp = target.publicIp!.addr;
    else {
      const withPublicIp = net.nics.find((n) => n.publicIp && region.ips.intersects(n.addresses));
      if (withPublicIp) dstIp = withPublicIp.publicIp!.addr;
    }
  }
  const dstName = wantedName ?? region.names.min;
  const ported = protocol === PROTO.TCP || protocol === PROTO.UDP;
  const packet: Packet = {
    protocol,
    srcIp,
    srcPort: ported ? opts.srcPort ?? 49152 : 0,
    dstIp,
    dstPort: ported ? opts.port ?? 443 : 0,
    dstName,
  };
  const fromLabel = source.kind === 'nic' ? source.nic.label : source.kind === 'internet' ? `the Internet (${formatIpv4(srcIp)})` : `on premises via ${source.gateway} (${formatIpv4(srcIp)})`;
  return { origin, packet, dest, fromLabel };
}
