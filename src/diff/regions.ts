/**
 * Where a change can matter: the packets, per source class, whose fate may
 * differ between two versions. Everything outside these regions provably
 * behaves the same, so only they are propagated (algorithms.md §3):
 *  - an NSG rule edit: the rule-list diff lemma -- only packets matched by
 *    an edited rule in either version can change decision; evaluate both
 *    lists on them and keep those whose decision differs. Outbound, scoped
 *    to the interfaces the NSG is attached to; inbound, to packets
 *    addressed to them, from the sources the rules name unless a
 *    translation on the way can give an arrival that source (then from
 *    any), and through the public IPs and DNAT rules that lead there;
 *  - a firewall policy edit: the same lemma over the firewall's whole
 *    first-match program (network, application, infrastructure, deny);
 *  - a route table edit: the destinations whose winning route changed, from
 *    the subnets that use it, plus everything addressed to those subnets
 *    (their replies and their VirtualNetwork tag change too).
 * Any other change gets the whole packet space.
 */
import { boxIntersect, sameBoxes, type Box } from '../headerspace/box.js';
import { firstMatch, type MatchRule } from '../headerspace/first-match.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import { PacketSet } from '../headerspace/packet-set.js';
import { DIM } from '../headerspace/packet.js';
import { ALL_ADDRESSES } from '../model/addresses.js';
import { flowBoxes } from '../model/endpoints.js';
import { ALL_PORTS, ALL_PROTOCOLS } from '../model/nsg.js';
import type { FirewallModel, Network, Nic, NsgProgram, SubnetModel } from '../model/types.js';
import type { Analysis } from './analysis.js';
import { translatedSources } from '../verify/graph.js';
import type { SourceClass } from './sources.js';
import type { ChangeSet } from './structure.js';


export interface Region {
  /** Source classes it concerns (undefined: every class). */
  readonly classes?: ReadonlySet<string>;
  /** Packets in the coordinates they were sent with. */
  readonly set: PacketSet;
}

type DestRegion = { ips: IntervalSet; names: IntervalSet };

// Rule edits share the name classes and resources with the version they derive from, so the split is made once.
const allDestinations = new WeakMap<Network['names'], { readonly resources: Network['resources']; readonly regions: DestRegion[] }>();

/**
 * Every destination a packet can have: the name classes grouped by the addresses they resolve to, in order
 * of first appearance, as `regionsFor(net, ALL_ADDRESSES)` groups them (but by set equality rather than by printing
 * each set, which for the public address space of the shipped catalog is thousands of ranges per class),
 * then the private endpoints reached by their resource's name.
 */
function everyDestination(net: Network): DestRegion[] {
  const known = allDestinations.get(net.names);
  if (known && known.resources === net.resources) return known.regions;
  const groups: { ips: IntervalSet; names: number[] }[] = [];
  const byHash = new Map<number, { ips: IntervalSet; names: number[] }[]>();
  for (const c of net.names) {
    const ips = c.ipRegion;
    if (ips.isEmpty) continue;
    const bucket = byHash.get(ips.hash) ?? [];
    if (bucket.length === 0) byHash.set(ips.hash, bucket);
    const hit = bucket.find((g) => g.ips === ips || g.ips.equals(ips));
    if (hit) hit.names.push(c.id);
    else {
      const g = { ips, names: [c.id] };
      bucket.push(g);
      groups.push(g);
    }
  }
  const out = groups.map((g): DestRegion => ({ ips: g.ips, names: IntervalSet.fromRanges(g.names.map((n) => [n, n] as [number, number])) }));
  // Clients reach a private endpoint by the resource's own name (F5.2.1), at an address that name's class
  // does not otherwise resolve to.
  for (const res of net.resources.values()) {
    for (const pe of [...res.privateEndpoints, ...res.managedPrivateEndpoints]) {
      const name = res.publicNames.get(pe.groupId);
      if (name !== undefined && !net.names[name].ipRegion.has(pe.ip)) out.push({ ips: IntervalSet.point(pe.ip), names: IntervalSet.point(name) });
    }
  }
  allDestinations.set(net.names, { resources: net.resources, regions: out });
  return out;
}

// Per source set (a source class's addresses, or all of them), for the same split of the destinations.
const universes = new WeakMap<IntervalSet, { readonly regions: DestRegion[]; readonly set: PacketSet }>();

/** Every real packet from `srcIps`: every protocol and port, destinations paired with the names they can carry. */
export function universe(net: Network, srcIps: IntervalSet): PacketSet {
  const regions = everyDestination(net);
  const known = universes.get(srcIps);
  if (known && known.regions === regions) return known.set;
  const set = PacketSet.ofDisjoint(flowBoxes(srcIps, { regions } as never, ALL_PROTOCOLS, ALL_PORTS, ALL_PORTS));
  universes.set(srcIps, { regions, set });
  return set;
}

/**
 * `set.intersect(universe(net, srcIps))`, the same boxes in the same order. Most pairs of a box of `set` and
 * a box of the universe are told apart by their destinations or names alone, which is tested without
 * computing the intersection of the other dimensions first.
 */
export function withinUniverse(set: PacketSet, net: Network, srcIps: IntervalSet): PacketSet {
  const u = universe(net, srcIps);
  if (u.boxes.length < 2) return set.intersect(u);
  const out: Box[] = [];
  for (const a of set.boxes) {
    for (const b of u.boxes) {
      if (!a[DIM.dstIp].intersects(b[DIM.dstIp]) || !a[DIM.dstName].intersects(b[DIM.dstName]) || !a[DIM.proto].intersects(b[DIM.proto])) continue;
      const i = boxIntersect(a, b);
      if (i) out.push(i);
    }
  }
  return PacketSet.ofDisjoint(out);
}

type Keyed = MatchRule & { ref: { id: string }; priority?: number; access?: string; action?: string };

/** Rules are the same when they have the same identity, priority and decision and match the same boxes. */
function headerOf(r: Keyed): string {
  return `${r.ref.id}|${r.priority ?? ''}|${r.access ?? r.action ?? ''}`;
}

/** The rules of `a` that `b` does not have. Comparing sets, not printing them: rule prefixes can hold thousands of ranges. */
function missingFrom(a: readonly Keyed[], b: readonly Keyed[]): Keyed[] {
  const byHeader = new Map<string, Keyed[]>();
  for (const r of b) {
    const h = headerOf(r);
    const list = byHeader.get(h);
    if (list) list.push(r);
    else byHeader.set(h, [r]);
  }
  return a.filter((r) => !(byHeader.get(headerOf(r)) ?? []).some((o) => o === r || sameBoxes(o.boxes, r.boxes)));
}

/** Packets whose first-match decision differs between two lists (the rule-list diff lemma). */
export function decisionDelta<R extends MatchRule & { ref: { id: string } }>(a: readonly R[], b: readonly R[], decision: (r: R) => string): PacketSet {
  const touched: Box[] = [];
  for (const r of missingFrom(a, b)) touched.push(...r.boxes);
  for (const r of missingFrom(b, a)) touched.push(...r.boxes);
  if (touched.length === 0) return PacketSet.EMPTY;
  const h = PacketSet.ofBoxes(touched);
  const byDecision = (list: readonly R[]) => {
    const out = new Map<string, PacketSet>();
    const r = firstMatch(h, list);
    for (const hit of r.hits) out.set(decision(hit.rule), (out.get(decision(hit.rule)) ?? PacketSet.EMPTY).union(hit.packets));
    if (!r.rest.isEmpty) out.set('(none)', (out.get('(none)') ?? PacketSet.EMPTY).union(r.rest));
    return out;
  };
  const da = byDecision(a);
  const db = byDecision(b);
  let delta = PacketSet.EMPTY;
  for (const k of new Set([...da.keys(), ...db.keys()])) {
    const x = da.get(k) ?? PacketSet.EMPTY;
    const y = db.get(k) ?? PacketSet.EMPTY;
    delta = delta.union(x.subtract(y)).union(y.subtract(x));
  }
  return delta;
}

function nicAddresses(nics: readonly Nic[]): IntervalSet {
  let acc = IntervalSet.EMPTY;
  for (const n of nics) acc = acc.union(n.addresses);
  return acc;
}

function publicIpsOf(nics: readonly Nic[]): IntervalSet {
  let acc = IntervalSet.EMPTY;
  for (const n of nics) if (n.publicIp) acc = acc.union(IntervalSet.point(n.publicIp.addr));
  return acc;
}

function firewallPublicIps(net: Network): IntervalSet {
  let acc = IntervalSet.EMPTY;
  for (const fw of net.firewalls.values()) acc = acc.union(fw.publicIps);
  return acc;
}

// The class each interface starts in, per list of classes.
const classOfNic = new WeakMap<readonly SourceClass[], Map<string, string>>();

function classesOf(classes: readonly SourceClass[], nics: readonly Nic[]): Set<string> {
  let byNic = classOfNic.get(classes);
  if (!byNic) {
    byNic = new Map();
    for (const c of classes) for (const n of c.nics) byNic.set(n.id, c.start);
    classOfNic.set(classes, byNic);
  }
  const out = new Set<string>();
  for (const n of nics) {
    const c = byNic.get(n.id);
    if (c !== undefined) out.add(c);
  }
  return out;
}

export interface Regions {
  readonly regions: readonly Region[];
  readonly full: boolean;
  readonly reasons: readonly string[];
  /**
   * Per interface an edited NSG is attached to: the packets, as the interface sees them on arrival (after any
   * translation on the way), whose inbound decision the edit changes. Only these arrivals can change fate
   * there (F1.4): concerned.ts settles the classes none of whose arrivals are among them.
   */
  readonly inbound: ReadonlyMap<string, PacketSet>;
}

export function affectedRegions(base: Analysis, head: Analysis, changes: ChangeSet, classes: readonly SourceClass[]): Regions {
  if (changes.structural.length > 0) return { regions: [{ set: universe(head.net, ALL_ADDRESSES) }], full: true, reasons: [...changes.structural], inbound: new Map() };
  const regions: Region[] = [];
  const reasons: string[] = [];
  const inbound = new Map<string, PacketSet>();
  for (const name of changes.nsgs.keys()) regions.push(...nsgRegions(base.net, head.net, name, classes, inbound));
  for (const fw of head.net.firewalls.values()) {
    const before = base.net.firewalls.get(fw.name);
    if (before && before !== fw) regions.push(...firewallRegions(head.net, before, fw));
  }
  if (changes.routeTables.size > 0) regions.push(...routeRegions(base.net, head.net, changes, classes));
  return { regions, full: false, reasons, inbound };
}

/** The interfaces of a subnet an NSG is attached to: all of them when it is the subnet's, else those whose own NSG it is (F1.4). */
export function attachedTo(subnet: SubnetModel, nsg: string): readonly Nic[] {
  return subnet.nsg?.name === nsg ? subnet.nics : subnet.nics.filter((n) => n.nsg?.name === nsg);
}

// Rule edits keep every attachment: the subnets an NSG is attached to, by NSG, per version's subnets.
const attachments = new WeakMap<Network['subnets'], Map<string, SubnetModel[]>>();

/** The subnets with an interface `nsg` is attached to, in the network's order of subnets. */
export function subnetsOf(net: Network, nsg: string): readonly SubnetModel[] {
  let byNsg = attachments.get(net.subnets);
  if (!byNsg) {
    byNsg = new Map();
    for (const s of net.subnets.values()) {
      const names = new Set<string>();
      if (s.nsg) names.add(s.nsg.name);
      for (const n of s.nics) if (n.nsg) names.add(n.nsg.name);
      for (const name of names) byNsg.set(name, [...(byNsg.get(name) ?? []), s]);
    }
    attachments.set(net.subnets, byNsg);
  }
  return byNsg.get(nsg) ?? [];
}

/** A subnet's interfaces an inbound edit reads, their addresses, and the sources of the packets whose decision it changes. */
interface Edited {
  readonly nics: readonly Nic[];
  readonly addresses: IntervalSet;
  readonly sources: IntervalSet;
}

/** The regions of one edited NSG; the inbound decision deltas of its interfaces are added to `inboundOf`. */
function nsgRegions(base: Network, head: Network, nsg: string, classes: readonly SourceClass[], inboundOf: Map<string, PacketSet>): Region[] {
  const out: Region[] = [];
  const translated = translatedSources(head);
  let arrivals = IntervalSet.EMPTY;
  let arriving = PacketSet.EMPTY;
  const edited: Edited[] = [];
  // The subnets of a VNet with equal VirtualNetwork contents share their programs (F1.6.1): one delta per pair.
  const deltas = new Map<NsgProgram['rules'], Map<NsgProgram['rules'], PacketSet>>();
  for (const subnet of subnetsOf(head, nsg)) {
    const attachedNics = attachedTo(subnet, nsg);
    if (attachedNics.length === 0) continue;
    const delta = (direction: 'Inbound' | 'Outbound', ignoreSourcePorts = false) => {
      const a: NsgProgram = base.nsgProgram(nsg, direction, base.subnets.get(subnet.id) ?? subnet, ignoreSourcePorts);
      const b: NsgProgram = head.nsgProgram(nsg, direction, subnet, ignoreSourcePorts);
      let byHead = deltas.get(a.rules);
      if (!byHead) deltas.set(a.rules, (byHead = new Map()));
      let d = byHead.get(b.rules);
      if (!d) byHead.set(b.rules, (d = decisionDelta(a.rules, b.rules, (r) => r.access)));
      return d;
    };
    const out1 = delta('Outbound').restrict(DIM.srcIp, nicAddresses(attachedNics));
    if (!out1.isEmpty) out.push({ classes: classesOf(classes, attachedNics), set: out1 });
    let inbound = delta('Inbound');
    if (attachedNics.some((n) => n.kind === 'private-endpoint')) inbound = inbound.union(delta('Inbound', true));
    if (!inbound.isEmpty) {
      // An arrival was sent with the source it has, unless a translation on the way gave it that source (then it
      // may have been sent from anywhere).
      const addresses = nicAddresses(attachedNics);
      const widened = inbound.restrict(DIM.srcIp, translated).rewrite(DIM.srcIp, ALL_ADDRESSES);
      const part = inbound.union(widened).restrict(DIM.dstIp, addresses);
      // One region for every subnet: apart by their destinations, unless VNets that are not peered overlap.
      arriving = addresses.intersects(arrivals) ? arriving.union(part) : arriving.unionDisjoint(part);
      arrivals = arrivals.union(addresses);
      edited.push({ nics: attachedNics, addresses, sources: inbound.project(DIM.srcIp) });
      for (const nic of attachedNics) {
        const mine = inbound.restrict(DIM.dstIp, nic.addresses);
        if (mine.isEmpty) continue;
        const prev = inboundOf.get(nic.id);
        inboundOf.set(nic.id, prev ? prev.union(mine) : mine);
      }
    }
  }
  if (!arriving.isEmpty) out.push({ set: arriving });
  // Arrivals whose destination was translated on the way, from any source: to a public IP of an interface, or
  // to a firewall's public address by a DNAT rule that can lead to them.
  if (edited.length > 0) {
    const entry = translatedEntries(head, edited);
    if (!entry.isEmpty) out.push({ set: universe(head, ALL_ADDRESSES).intersect(entry) });
  }
  return out;
}

// The addresses held by interfaces where packets end (hosts, subnets, private endpoints), per version's interfaces.
const endpointAddresses = new WeakMap<Network['nics'], IntervalSet>();

function endsAt(net: Network): IntervalSet {
  let known = endpointAddresses.get(net.nics);
  if (!known) {
    const ranges: [number, number][] = [];
    for (const n of net.nics) if (n.kind === 'host' || n.kind === 'subnet' || n.kind === 'private-endpoint') ranges.push(...n.addresses.intervals());
    endpointAddresses.set(net.nics, (known = IntervalSet.fromRanges(ranges)));
  }
  return known;
}

/**
 * Packets that arrive at the edited interfaces with a destination translated on the way, where the edit
 * changes the decision of some source they can arrive with: sent to a public IP of an interface there
 * (F1.2.4: the source stays, a public one or an egress address of Azure), or matched by a firewall DNAT rule
 * (F4.5.4: the source becomes the firewall's private address) whose target is there or held by no endpoint
 * (whatever that forwards to). A DNAT to another endpoint ends there.
 */
function translatedEntries(net: Network, edited: readonly Edited[]): PacketSet {
  const boxes: Box[] = [];
  const held = endsAt(net);
  const fromOutside = net.adversary.publicSpace.union(translatedSources(net));
  for (const e of edited) {
    if (!e.sources.intersects(fromOutside)) continue;
    for (const nic of e.nics) if (nic.publicIp) boxes.push(...universe(net, ALL_ADDRESSES).restrict(DIM.dstIp, IntervalSet.point(nic.publicIp.addr)).boxes);
  }
  for (const fw of net.firewalls.values()) {
    const relayed = IntervalSet.point(fw.privateIp);
    boxes.push(...dnatInto(fw, held, (target) => edited.some((e) => e.addresses.has(target) && e.sources.intersects(relayed))));
  }
  return PacketSet.ofBoxes(boxes);
}

/** The packets of a firewall's DNAT rules that can lead to `leadsTo` targets, or to an address no endpoint holds (whatever that forwards to). */
function dnatInto(fw: FirewallModel, held: IntervalSet, leadsTo: (target: number) => boolean): Box[] {
  const boxes: Box[] = [];
  for (const r of fw.dnat) {
    if (r.action !== 'Dnat' || !r.translate) continue;
    if (!held.has(r.translate.addr) || leadsTo(r.translate.addr)) boxes.push(...r.boxes);
  }
  return boxes;
}

function firewallRegions(net: Network, before: FirewallModel, after: FirewallModel): Region[] {
  const decision = (r: { action: string; kind: string }) => `${r.kind}:${r.action}`;
  const program = (fw: FirewallModel) => [...fw.network, ...fw.application.map((r) => ({ ...r })), fw.infrastructure];
  const delta = decisionDelta(program(before), program(after), decision);
  const dnat = decisionDelta(before.dnat, after.dnat, (r) => `${r.action}:${r.translate?.addr ?? ''}:${r.translate?.port ?? ''}`);
  const out: Region[] = [];
  if (!delta.isEmpty) out.push({ set: delta });
  if (!dnat.isEmpty) out.push({ set: universe(net, ALL_ADDRESSES).restrict(DIM.dstIp, after.publicIps.union(before.publicIps)) });
  return out;
}

function changedDestinations(a: SubnetModel, b: SubnetModel): IntervalSet {
  const key = (seg: { route: { ref: { id: string }; nextHop: unknown } }) => `${seg.route.ref.id}|${JSON.stringify(seg.route.nextHop)}`;
  const points = new Set<number>();
  for (const s of [...a.routes.segments, ...b.routes.segments]) {
    points.add(s.lo);
    if (s.hi < 0xffffffff) points.add(s.hi + 1);
  }
  const sorted = [...points].sort((x, y) => x - y);
  const ranges: [number, number][] = [];
  let i = 0;
  let j = 0;
  for (let k = 0; k < sorted.length; k++) {
    const lo = sorted[k];
    const hi = k + 1 < sorted.length ? sorted[k + 1] - 1 : 0xffffffff;
    while (a.routes.segments[i].hi < lo) i++;
    while (b.routes.segments[j].hi < lo) j++;
    if (key(a.routes.segments[i]) !== key(b.routes.segments[j])) ranges.push([lo, hi]);
  }
  return IntervalSet.fromRanges(ranges);
}

function routeRegions(base: Network, head: Network, changes: ChangeSet, classes: readonly SourceClass[]): Region[] {
  const out: Region[] = [];
  for (const subnet of head.subnets.values()) {
    const before = base.subnets.get(subnet.id);
    if (!before) continue;
    const touched = changes.routeTables.has(`subnet:${subnet.id}`) || (subnet.routeTable && changes.routeTables.has(subnet.routeTable.name)) || (before.routeTable && changes.routeTables.has(before.routeTable.name));
    if (!touched) continue;
    const dst = changedDestinations(before, subnet);
    const tag = before.virtualNetworkTag.subtract(subnet.virtualNetworkTag).union(subnet.virtualNetworkTag.subtract(before.virtualNetworkTag));
    if (dst.isEmpty && tag.isEmpty) continue;
    const everything = universe(head, ALL_ADDRESSES);
    const from = dst.union(tag);
    if (subnet.special === 'AzureFirewallSubnet' || subnet.special === 'GatewaySubnet') {
      out.push({ set: everything.restrict(DIM.dstIp, from.union(firewallPublicIps(head))) });
    } else {
      out.push({ classes: classesOf(classes, subnet.nics), set: everything.restrict(DIM.dstIp, from).restrict(DIM.srcIp, nicAddresses(subnet.nics)) });
    }
    // Replies to the subnet and its inbound NSG (VirtualNetwork tag) change too, for arrivals through DNAT as well (F4.5.4).
    const addresses = nicAddresses(subnet.nics);
    out.push({ set: everything.restrict(DIM.dstIp, addresses.union(publicIpsOf(subnet.nics))) });
    const held = endsAt(head);
    const dnat = [...head.firewalls.values()].flatMap((fw) => dnatInto(fw, held, (target) => addresses.has(target)));
    if (dnat.length > 0) out.push({ set: everything.intersect(PacketSet.ofBoxes(dnat)) });
    if (!tag.isEmpty) out.push({ set: everything.restrict(DIM.srcIp, tag).restrict(DIM.dstIp, nicAddresses(subnet.nics)) });
  }
  return out;
}
