/**
 * Claims over generated designs, their symbolic reach sets, and concrete
 * packets to test them with: random ones and boundary ones (every interval
 * endpoint of the model +-1, the first and last host of each subnet, ports
 * 0/1/65535 and the common ones).
 */
import { IntervalSet } from '../../src/headerspace/interval-set.js';
import { PacketSet } from '../../src/headerspace/packet-set.js';
import { DIM, DIM_MAX, type Packet } from '../../src/headerspace/packet.js';
import type { Box } from '../../src/headerspace/box.js';
import { destinationOf, flowBoxes, sourcesOf, type DestSpec, type SourceSpec } from '../../src/model/endpoints.js';
import { portSet } from '../../src/model/nsg.js';
import type { Network } from '../../src/model/types.js';
import { PORT_MAX } from '../../src/net/ports.js';
import { resolveEndpoint } from '../../src/scenario/endpoints.js';
import { builtinLoc } from '../../src/scenario/source-loc.js';
import type { Origin } from '../../src/sim/simulate.js';
import { claimStarts, protocolSet, type Claim } from '../../src/verify/check.js';
import type { ReachGraph } from '../../src/verify/graph.js';
import { propagate } from '../../src/verify/propagate.js';
import type { GeneratedDesign } from './arbitraries.js';

export interface ClaimSpec {
  readonly kind: 'deny' | 'allow';
  readonly from: string;
  readonly to: string;
  readonly protocol?: 'Tcp' | 'Udp' | 'Icmp' | '*';
  readonly ports?: readonly string[];
}

export function makeClaim(net: Network, spec: ClaimSpec, index = 0): Claim {
  const ref = (text: string) => {
    const r = resolveEndpoint(net.scenario, text);
    if (!r.ok) throw new Error(`claim endpoint '${text}': ${r.message}`);
    return r.ref;
  };
  return {
    name: `c${index} ${spec.kind} ${spec.from} -> ${spec.to}${spec.protocol ? ` ${spec.protocol}` : ''}${spec.ports ? `:${spec.ports.join(',')}` : ''}`,
    kind: spec.kind,
    loc: builtinLoc('property'),
    from: ref(spec.from),
    to: ref(spec.to),
    fromText: spec.from,
    toText: spec.to,
    protocols: protocolSet(spec.protocol),
    protocolText: spec.protocol ?? '*',
    ports: spec.ports ? portSet(spec.ports) : IntervalSet.of(0, PORT_MAX),
    portsText: spec.ports ? spec.ports.join(',') : '*',
    sourcePorts: IntervalSet.of(0, PORT_MAX),
    adversary: 'default',
  };
}

/** The claims a design is checked against: host->internet, subnet->subnet, host->storage, internet->host, and more. */
export function claimSpecs(d: GeneratedDesign, rnd: () => number): ClaimSpec[] {
  const out: ClaimSpec[] = [];
  const kind = (): 'deny' | 'allow' => (rnd() < 0.5 ? 'deny' : 'allow');
  const some = <T>(list: readonly T[], n: number): T[] => [...list].sort(() => rnd() - 0.5).slice(0, n);
  const proto = (): ClaimSpec['protocol'] => (['*', '*', 'Tcp', 'Udp', 'Icmp'] as const)[Math.floor(rnd() * 5)];
  const ports = (p: ClaimSpec['protocol']) => (p === 'Icmp' || p === '*' ? undefined : rnd() < 0.5 ? undefined : [(['443', '22', '1000-2000', '53'] as const)[Math.floor(rnd() * 4)]]);
  const add = (from: string, to: string) => {
    const p = proto();
    out.push({ kind: kind(), from, to, protocol: p, ports: ports(p) });
  };
  for (const h of some(d.hosts, 3)) add(h, 'internet');
  for (const s of some(d.subnets, 2)) add(s, 'internet');
  for (let i = 0; i < 3 && d.subnets.length > 1; i++) {
    const [a, b] = some(d.subnets, 2);
    add(a, b);
  }
  for (const s of some(d.subnets, 1)) add(s, s);
  if (d.hosts.length > 1) {
    const [a, b] = some(d.hosts, 2);
    add(a, b);
  }
  for (const h of some(d.publicHosts, 2)) add('internet', h);
  if (d.storage) {
    for (const h of some(d.hosts.length ? d.hosts : d.subnets, 2)) add(h, d.storage);
    for (const s of some(d.subnets, 1)) add(s, `${d.storage}/blob`);
    add('internet', d.storage);
  }
  if (d.privateEndpoint) for (const s of some(d.subnets, 1)) add(s, d.privateEndpoint);
  for (const v of some(d.vnets, 1)) add(v, 'tag:Storage');
  if (d.catalog === 'small') for (const s of some(d.subnets, 1)) add(s, '8.8.8.0/24');
  for (const e of d.externals) for (const h of some(d.hosts, 1)) add(h, e);
  if (d.firewall) for (const s of some(d.subnets, 1)) add(s, 'v0/AzureFirewallSubnet');
  // Public addresses of the design: host public IPs, the firewall's, the NAT gateway's.
  if (d.catalog === 'small' && (d.publicHosts.length || d.firewall || d.doc.natGateways)) {
    add('internet', '198.51.100.0/24');
    for (const h of some(d.hosts, 1)) add(h, '198.51.100.0/24');
  }
  return out;
}

export interface Reach {
  readonly claim: Claim;
  readonly sources: readonly SourceSpec[];
  readonly dest: DestSpec;
  readonly query: PacketSet;
  readonly queryBoxes: readonly { readonly box: Box; readonly source: SourceSpec }[];
  /** Packets of the query delivered to the destination (what check.ts calls reached). */
  readonly reached: PacketSet;
  readonly undecided: PacketSet;
}

/** The reach set of a claim as check.ts computes it, kept whole for membership tests. */
export function reachOf(net: Network, graph: ReachGraph, claim: Claim): Reach | undefined {
  const sources = sourcesOf(net, claim.from);
  const sourceVnets = [...new Set(sources.flatMap((s) => (s.kind === 'nic' ? [s.nic.subnet.vnet] : [])))];
  const dest = destinationOf(net, claim.to, { forAllow: claim.kind === 'allow', sourceVnets, sources });
  if (dest.unknown) return undefined;
  const { starts, query } = claimStarts(sources, dest, claim);
  const queryBoxes: { box: Box; source: SourceSpec }[] = [];
  for (const s of sources) {
    const to = s.kind === 'internet' && dest.internetRegions ? { ...dest, regions: dest.internetRegions } : dest;
    for (const box of PacketSet.ofDisjoint(flowBoxes(s.ips, to, claim.protocols, claim.ports, claim.sourcePorts)).boxes) queryBoxes.push({ box, source: s });
  }
  const prop = propagate(graph, starts, { net });
  let reached = PacketSet.EMPTY;
  for (const d of prop.delivered) reached = reached.union(dest.acceptedPart(d.sink, d.set, claim.adversary));
  let undecided = PacketSet.EMPTY;
  for (const u of prop.undecided) undecided = undecided.union(u.set);
  return { claim, sources, dest, query, queryBoxes, reached, undecided };
}

export function originOf(source: SourceSpec): Origin {
  return source.kind === 'nic' ? { kind: 'nic', nic: source.nic } : source.kind === 'internet' ? { kind: 'internet' } : { kind: 'on-premises', gateway: source.gateway };
}

// ---------------------------------------------------------------------------
// Packets

/** A small deterministic PRNG (mulberry32), so packet choices follow the property seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Boundary values per dimension: every interval endpoint in the model, +-1. */
export function boundaryValues(net: Network): number[][] {
  const dims: Set<number>[] = [new Set([0, 1, 6, 17, 50, 51, 255]), new Set(), new Set([0, 1, 22, 53, 80, 443, 1000, 2000, 3389, 49152, 65535]), new Set(), new Set([0, 1, 22, 53, 80, 443, 1000, 2000, 3389, 49152, 65535]), new Set()];
  const addSet = (dim: number, set: IntervalSet) => {
    if (set.intervalCount > 64) return;
    for (const [lo, hi] of set.intervals()) for (const v of [lo - 1, lo, lo + 1, hi - 1, hi, hi + 1]) if (v >= 0 && v <= DIM_MAX[dim]) dims[dim].add(v);
  };
  const addBox = (b: Box) => b.forEach((set, dim) => addSet(dim, set));
  for (const subnet of net.subnets.values()) {
    addSet(DIM.srcIp, subnet.space);
    addSet(DIM.dstIp, subnet.space);
    addSet(DIM.srcIp, subnet.usable);
    addSet(DIM.dstIp, subnet.usable);
    for (const e of subnet.routes.entries) {
      addSet(DIM.dstIp, IntervalSet.of(e.lo, e.hi));
      addSet(DIM.srcIp, IntervalSet.of(e.lo, e.hi));
    }
    for (const nsg of new Set([subnet.nsg?.name, ...subnet.nics.map((n) => n.nsg?.name)])) {
      if (!nsg) continue;
      for (const dir of ['Inbound', 'Outbound'] as const) for (const r of net.nsgProgram(nsg, dir, subnet).rules) r.boxes.forEach(addBox);
    }
  }
  for (const nic of net.nics) {
    addSet(DIM.srcIp, nic.addresses);
    addSet(DIM.dstIp, nic.addresses);
    if (nic.publicIp) addSet(DIM.dstIp, IntervalSet.point(nic.publicIp.addr));
  }
  for (const fw of net.firewalls.values()) {
    for (const r of [...fw.network, ...fw.application]) r.boxes.forEach(addBox);
    addSet(DIM.dstIp, fw.snatExempt);
  }
  for (const r of net.resources.values()) addSet(DIM.srcIp, r.ipRules);
  for (const e of net.externals.values()) addSet(DIM.dstIp, e.space);
  addSet(DIM.dstIp, net.adversary.publicSpace);
  for (const c of net.names) dims[DIM.dstName].add(c.id);
  return dims.map((s) => [...s].sort((a, b) => a - b));
}

function member(set: IntervalSet, rnd: () => number): number {
  const k = Math.floor(rnd() * set.intervalCount);
  const [lo, hi] = [...set.intervals()][k];
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

/** Packets of a query box: each dimension a boundary value inside the box (mostly) or a random member. */
export function packetsOf(box: Box, boundary: readonly number[][], rnd: () => number, n: number): Packet[] {
  const inside = box.map((set, dim) => boundary[dim].filter((v) => set.has(v)));
  const out: Packet[] = [];
  for (let i = 0; i < n; i++) {
    const v = box.map((set, dim) => (inside[dim].length && rnd() < 0.75 ? inside[dim][Math.floor(rnd() * inside[dim].length)] : member(set, rnd)));
    out.push({ protocol: v[DIM.proto], srcIp: v[DIM.srcIp], srcPort: v[DIM.srcPort], dstIp: v[DIM.dstIp], dstPort: v[DIM.dstPort], dstName: v[DIM.dstName] });
  }
  return out;
}
