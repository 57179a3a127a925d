/**
 * One claim over all packets: `deny` holds when no packet of the flow
 * reaches `to`; `allow` holds when every packet does. Failing claims get a
 * witness packet re-simulated by the packet simulator (the two engines must
 * agree); failing allows also get every component that blocks them.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import { boxWith } from '../headerspace/box.js';
import { DEFAULT_PREFERENCES, PacketSet, pickPacket } from '../headerspace/packet-set.js';
import { DIM, PROTO, type Packet } from '../headerspace/packet.js';
import { parseIpv4 } from '../net/ipv4.js';
import { ALL_ADDRESSES } from '../model/addresses.js';
import { destinationOf, flowBoxes, sourcesOf, type Adversary, type DestSpec, type SourceSpec } from '../model/endpoints.js';
import type { Network } from '../model/types.js';
import type { EndpointRef } from '../scenario/endpoints.js';
import type { SourceLoc } from '../scenario/source-loc.js';
import { simulate, describePacket, type Origin } from '../sim/simulate.js';
import { propagate, type Propagation, type Start } from './propagate.js';
import type { ReachGraph } from './graph.js';
import type { Blocker, IntentResult, IntentStatus } from './results.js';
import { describeSet } from './summary.js';
import type { Delivered } from './state.js';

export interface Claim {
  readonly name: string;
  readonly kind: 'deny' | 'allow';
  readonly loc: SourceLoc;
  readonly from: EndpointRef;
  readonly to: EndpointRef;
  readonly fromText: string;
  readonly toText: string;
  readonly protocols: IntervalSet;
  readonly protocolText: string;
  readonly ports: IntervalSet;
  readonly portsText: string;
  readonly sourcePorts: IntervalSet;
  readonly adversary: Adversary;
  readonly description?: string;
  readonly flow?: IntentResult['flow'];
  /** Where the packets start, when narrower than `from` (a lint asking about part of the Internet). */
  readonly sources?: readonly SourceSpec[];
  /** Why the claim cannot be decided before any packet is looked at (a flow whose ports no source states). */
  readonly unknown?: string;
}

/** The packet simulator and the symbolic verifier disagreed: a bug in topo. */
export class EngineDisagreement extends Error {}

const EXAMPLE_INTERNET = parseIpv4('203.0.113.10')!;

function startOf(s: SourceSpec): string {
  return s.kind === 'nic' ? `out:${s.nic.id}` : s.kind === 'internet' ? 'internet' : `rt:gateway:${s.gateway}`;
}

function originOf(sources: readonly SourceSpec[], srcIp: number): Origin {
  const s = sources.find((x) => x.ips.has(srcIp))!;
  return s.kind === 'nic' ? { kind: 'nic', nic: s.nic } : s.kind === 'internet' ? { kind: 'internet' } : { kind: 'on-premises', gateway: s.gateway };
}

function base(c: Claim): Omit<IntentResult, 'status' | 'steps'> {
  return {
    name: c.name,
    kind: c.kind,
    loc: c.loc,
    from: c.fromText,
    to: c.toText,
    protocol: c.protocolText,
    ports: c.portsText,
    adversary: c.adversary,
    ...(c.description ? { description: c.description } : {}),
    ...(c.flow ? { flow: c.flow } : {}),
  };
}

/**
 * Checks one claim. `shared`, when given, supplies the propagation of the
 * claim's starts from a propagation shared with other claims (verify.ts
 * batches claims that differ only in their sources): it must hold exactly
 * the packets the claim's own propagation would.
 */
export function checkClaim(net: Network, graph: ReachGraph, c: Claim, shared?: (starts: readonly Start[]) => Propagation): IntentResult {
  const result = (status: IntentStatus, extra: Partial<IntentResult> = {}, steps = 0): IntentResult => ({ ...base(c), status, steps, ...extra });
  if (c.unknown) return result('unknown', { reason: c.unknown });
  if (c.from.kind === 'resource') return result('unknown', { reason: `connections that a PaaS resource starts are not modelled (from: ${c.fromText})` });
  const sources = c.sources ?? sourcesOf(net, c.from);
  if (sources.length === 0) {
    const why = c.from.kind === 'privateEndpoint' ? 'a private endpoint starts no connections (F5.1.5)' : `${c.fromText} has no address that can send`;
    return c.kind === 'deny' ? result('pass', { reason: why }) : result('fail', { reason: why });
  }
  const { dest, starts, query } = prepared(net, c, sources);
  if (dest.unknown) return result('unknown', { reason: dest.unknown });

  if (query.isEmpty) return c.kind === 'deny' ? result('pass', { reason: `no packet of this flow exists (${c.toText} has no address for it)` }) : result('fail', { reason: `no packet of this flow exists: ${c.toText} has no address ${c.fromText} can address` });
  const prop = shared ? shared(starts) : propagate(graph, starts, { net });
  let reached = PacketSet.EMPTY;
  for (const d of prop.delivered) reached = reached.union(accepted(dest, d, c.adversary));
  const uncertain = net.uncertain;
  const certain = (s: PacketSet) => s.exclude(DIM.srcIp, uncertain).exclude(DIM.dstIp, uncertain);
  let undecided = PacketSet.EMPTY;
  for (const u of prop.undecided) undecided = undecided.union(u.set);
  const undecidedReasons = [...new Set(prop.undecided.map((u) => u.reason))];
  // Some packet of the query has an address the catalog cannot place (the query minus its certain part is not empty).
  const approximate = query.boxes.some((b) => b[DIM.srcIp].intersects(uncertain) || b[DIM.dstIp].intersects(uncertain));
  const approximateReason = `the verdict depends on packets to or from addresses whose relation to service tags the shipped catalog cannot decide (see TOPO307); pass the official service tags file (--service-tags) for an exact answer`;

  if (c.kind === 'deny') {
    const definite = certain(reached);
    if (!definite.isEmpty) {
      const witness = witnessOf(net, sources, dest, c, definite, true);
      return result('fail', { witness, counterexamples: describeSet(net, reached) }, prop.steps);
    }
    if (!reached.isEmpty) return result('unknown', { reason: approximateReason, counterexamples: describeSet(net, reached) }, prop.steps);
    if (!undecided.isEmpty) return result('unknown', { reason: undecidedReasons.join('; '), counterexamples: describeSet(net, undecided) }, prop.steps);
    if (approximate) return result('unknown', { reason: approximateReason }, prop.steps);
    const vacuous = unreachableFromInternet(net, c, dest);
    return result('pass', vacuous ? { reason: vacuous } : {}, prop.steps);
  }

  const notReached = query.subtract(reached);
  const definite = certain(notReached.subtract(undecided));
  if (!definite.isEmpty) {
    const witness = witnessOf(net, sources, dest, c, definite, false);
    return result('fail', { witness, blockers: blockersOf(net, prop, dest, definite, c.adversary), counterexamples: describeSet(net, definite) }, prop.steps);
  }
  if (!notReached.isEmpty) {
    const reason = !undecided.isEmpty ? undecidedReasons.join('; ') : approximateReason;
    return result('unknown', { reason, counterexamples: describeSet(net, notReached) }, prop.steps);
  }
  if (approximate) return result('unknown', { reason: approximateReason }, prop.steps);
  return result('pass', {}, prop.steps);
}

/**
 * A deny from the Internet to addresses no Internet packet can be sent to
 * holds without any rule deciding it: said, so that the pass is not read as
 * a proof about the rules (format: `internet` starts connections only
 * towards public entry points).
 */
function unreachableFromInternet(net: Network, c: Claim, dest: DestSpec): string | undefined {
  if (c.from.kind !== 'internet' || c.to.kind !== 'cidr' || dest.internetRegions) return undefined;
  if (dest.regions.some((r) => r.ips.intersects(net.adversary.publicSpace))) return undefined;
  return `holds whatever the rules: ${c.toText} holds no public address and no interface of the design that a public IP or DNAT rule leads to, so no packet from the Internet can be sent to it`;
}

/** Where the claim's packets start, and all of them together. */
export function claimStarts(sources: readonly SourceSpec[], dest: DestSpec, c: Claim): { starts: Start[]; query: PacketSet } {
  const starts: Start[] = [];
  let query = PacketSet.EMPTY;
  for (const s of sources) {
    const to = s.kind === 'internet' && dest.internetRegions ? { ...dest, regions: dest.internetRegions } : dest;
    // One box per destination region; regions that differ only in their names share a box.
    const set = flowTemplate(to, c).mapBoxes((b) => boxWith(b, DIM.srcIp, s.ips), true);
    if (set.isEmpty) continue;
    starts.push({ node: startOf(s), set });
    query = query.union(set);
  }
  return { starts, query };
}

interface Prepared {
  readonly dest: DestSpec;
  readonly starts: Start[];
  readonly query: PacketSet;
}

const preparedClaims = new WeakMap<Claim, { net: Network; value: Prepared }>();

/** The claim's destination and packets on the network from `sources` (its own when given), worked out once for its own (a batch asks before the claim is checked). */
function prepared(net: Network, c: Claim, sources: readonly SourceSpec[], own = true): Prepared {
  const known = own ? preparedClaims.get(c) : undefined;
  if (known?.net === net) return known.value;
  const sourceVnets = [...new Set(sources.flatMap((s) => (s.kind === 'nic' ? [s.nic.subnet.vnet] : [])))];
  const dest = destinationOf(net, c.to, { forAllow: c.kind === 'allow', sourceVnets, sources, adversary: c.adversary });
  const value = dest.unknown ? { dest, starts: [], query: PacketSet.EMPTY } : { dest, ...claimStarts(sources, dest, c) };
  if (own) preparedClaims.set(c, { net, value });
  return value;
}

const templates = new WeakMap<DestSpec['regions'], { protocols: IntervalSet; ports: IntervalSet; sourcePorts: IntervalSet; set: PacketSet }[]>();

/**
 * A claim's packets from every source, coalesced: the same boxes, in the same order, as from any one
 * source but for the source address (coalescing never merges along a dimension all boxes share). Claims
 * about one destination and ports (an exfiltration intent per subnet) share it.
 */
function flowTemplate(to: DestSpec, c: Claim): PacketSet {
  let list = templates.get(to.regions);
  if (!list) templates.set(to.regions, (list = []));
  const hit = list.find((t) => t.protocols.equals(c.protocols) && t.ports.equals(c.ports) && t.sourcePorts.equals(c.sourcePorts));
  if (hit) return hit.set;
  const set = PacketSet.ofDisjoint(flowBoxes(ALL_ADDRESSES, to, c.protocols, c.ports, c.sourcePorts)).coalesce();
  list.push({ protocols: c.protocols, ports: c.ports, sourcePorts: c.sourcePorts, set });
  return set;
}

/** Where a claim's packets start (none when it has no source or destination). */
export function claimQueryStarts(net: Network, c: Claim): Start[] {
  if (c.from.kind === 'resource') return [];
  return prepared(net, c, c.sources ?? sourcesOf(net, c.from)).starts;
}

/** The packets a claim is about (empty when it has no source or destination). */
export function claimQuery(net: Network, c: Claim): PacketSet {
  if (c.from.kind === 'resource') return PacketSet.EMPTY;
  return prepared(net, c, sourcesOf(net, c.from), !c.sources).query;
}

/**
 * The delivered packets that count as reaching the destination. A destination
 * is judged on the packet as its source sent it (the address it was sent to,
 * before a public IP's or DNAT's translation), as the simulator judges witnesses.
 */
function accepted(dest: DestSpec, d: Delivered, adversary: Adversary): PacketSet {
  return dest.acceptedPart(d.sink, d.set, adversary);
}

/** Every component that stops some of the failing packets (not only the first). */
function blockersOf(net: Network, prop: Propagation, dest: DestSpec, failing: PacketSet, adversary: Adversary): Blocker[] {
  const groups = new Map<string, { at: string; node?: string; kind: Blocker['kind']; ref?: Blocker['ref']; reason: string; set: PacketSet }>();
  const add = (key: string, entry: { at: string; node?: string; kind: Blocker['kind']; ref?: Blocker['ref']; reason: string }, set: PacketSet) => {
    const g = groups.get(key);
    if (g) g.set = g.set.union(set);
    else groups.set(key, { ...entry, set });
  };
  for (const b of prop.blocked) {
    const part = b.set.intersect(failing);
    if (part.isEmpty) continue;
    add(b.ref?.id ?? `${b.at}|${b.reason}`, b, part);
  }
  for (const d of prop.delivered) {
    const elsewhere = d.set.subtract(accepted(dest, d, adversary)).intersect(failing);
    if (elsewhere.isEmpty) continue;
    const where = d.sink.kind === 'nic' || d.sink.kind === 'private-endpoint' ? net.nicById.get(d.sink.nicId)?.label ?? d.sink.nicId : d.sink.kind;
    const node = d.sink.kind === 'nic' || d.sink.kind === 'private-endpoint' ? `nic:${d.sink.nicId}` : d.sink.kind === 'paas-public' ? `resource:${d.sink.resource}` : d.sink.kind === 'internet' ? 'internet' : undefined;
    add(`elsewhere|${JSON.stringify(d.sink)}`, { at: where, ...(node ? { node } : {}), kind: 'delivery', reason: `delivered to ${where} instead` }, elsewhere);
  }
  return [...groups.values()].map((g) => ({ at: g.at, ...(g.node ? { node: g.node } : {}), kind: g.kind, ...(g.ref ? { ref: g.ref } : {}), reason: g.reason, packets: describeSet(net, g.set, 2) }));
}

function witnessOf(net: Network, sources: readonly SourceSpec[], dest: DestSpec, c: Claim, set: PacketSet, expectReached: boolean) {
  const packet = pickPacket(set, { ...DEFAULT_PREFERENCES, srcIps: [EXAMPLE_INTERNET], dstIps: [EXAMPLE_INTERNET], dstNames: namePreference(net, c.kind) })!;
  const trace = simulate(net, originOf(sources, packet.srcIp), packet);
  const reached = trace.verdict === 'delivered' && trace.delivery !== undefined && dest.accepts(trace.delivery, trace.packet.dstIp, trace.packet.dstName, c.adversary);
  if (trace.verdict === 'unknown' || reached !== expectReached) {
    throw new EngineDisagreement(
      `intent '${c.name}': the symbolic verifier says ${describePacket(net, packet)} ${expectReached ? 'reaches' : 'does not reach'} ${c.toText}, but the packet simulator says: ${trace.verdict} (${trace.reason})`,
    );
  }
  return { packet, trace };
}

/**
 * Witness names. A forbidden path reads best to the plain Internet, then to
 * names written in rules, then to the broadest foreign suffix; a blocked
 * requirement reads best with the service's own names.
 */
const namePreferences = new WeakMap<Network, Map<'deny' | 'allow', number[]>>();

function namePreference(net: Network, kind: 'deny' | 'allow'): number[] {
  let known = namePreferences.get(net);
  if (!known) namePreferences.set(net, (known = new Map()));
  let order = known.get(kind);
  if (!order) known.set(kind, (order = rankNames(net, kind)));
  return order;
}

function rankNames(net: Network, kind: 'deny' | 'allow'): number[] {
  const denyRank = (c: Network['names'][number]) => (c.kind === 'other' ? 0 : c.kind === 'literal' ? 1 : c.kind === 'foreign' ? 2 + (c.suffix?.length ?? 0) / 1000 : c.kind === 'none' ? 3 : 4);
  const allowRank = (c: Network['names'][number]) => (c.kind === 'trusted' && c.literal ? 0 : c.kind === 'trusted' ? 1 : c.kind === 'none' ? 2 : c.kind === 'own' ? 3 : 4 + denyRank(c));
  const rank = kind === 'deny' ? denyRank : allowRank;
  return [...net.names].sort((a, b) => rank(a) - rank(b) || a.id - b.id).map((c) => c.id);
}

export function protocolSet(p: string | undefined): IntervalSet {
  switch ((p ?? '*').toLowerCase()) {
    case 'tcp':
      return IntervalSet.point(PROTO.TCP);
    case 'udp':
      return IntervalSet.point(PROTO.UDP);
    case 'icmp':
      return IntervalSet.point(PROTO.ICMP);
    default:
      // scenario-format: "*" in an intent means Tcp, Udp and Icmp.
      return IntervalSet.fromRanges([
        [PROTO.ICMP, PROTO.ICMP],
        [PROTO.TCP, PROTO.TCP],
        [PROTO.UDP, PROTO.UDP],
      ]);
  }
}

export type { Packet };
