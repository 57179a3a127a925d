/**
 * The reachability graph: the compiled network as a graphology graph whose
 * edges carry transfer functions over packet sets. Nodes:
 *   out:<nic>   a packet leaving an interface (outbound NSGs)
 *   rt:<nic>    routing from the interface's subnet (effective routes)
 *   fab:<a>><b> entering VNet b from VNet a (peering gates)
 *   in:<nic>    a packet arriving at an interface (inbound NSGs, private endpoints, replies)
 *   fw:<name>   Azure Firewall forwarding (network, application, infrastructure rules, SNAT)
 *   dnat:<name> Azure Firewall DNAT on its public addresses
 *   internet    the public Internet: entry points of the design, PaaS endpoints, externals, the adversary
 *   paas:<r>|<g> a PaaS public endpoint (networkAcls)
 *   se:<subnet>|<service> the service-endpoint path of a subnet
 *   gw:<name>   a virtual network gateway toward on-premises
 * Each edge owns a disjoint part of its source node's input, so the edges of
 * a node together decide every packet. Semantics mirror sim/simulate.ts.
 */
import graphology from 'graphology';
import { addressIndex, type AddressIndex } from '../headerspace/address-index.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import { PacketSet } from '../headerspace/packet-set.js';
import { DIM, PROTO } from '../headerspace/packet.js';
import { formatIpv4 } from '../net/ipv4.js';
import { ALL_ADDRESSES, PLATFORM_ADDRESSES } from '../model/addresses.js';
import type { FirewallModel, Network, Nic, RouteModel, RuleRef, SubnetModel } from '../model/types.js';
import type { Sink } from '../model/endpoints.js';
import { nsgChainSet, platformRules } from './nsg-eval.js';
import { natExclude, natFirstMatch, natRestrict, type Nat } from './nat.js';
import type { Blocked, Delivered, Emission, PathState, RunContext, Transfer, TransferResult, Undecided } from './state.js';

const { MultiDirectedGraph } = graphology as unknown as { MultiDirectedGraph: typeof import('graphology').MultiDirectedGraph };

export interface EdgeAttrs {
  readonly transfer: Transfer;
  readonly label: string;
}

export type ReachGraph = InstanceType<typeof MultiDirectedGraph<Record<string, unknown>, EdgeAttrs>>;

const PORT_53 = IntervalSet.point(53);
const TCP_UDP = IntervalSet.fromRanges([[PROTO.TCP, PROTO.TCP], [PROTO.UDP, PROTO.UDP]]);

const routeGroupCache = new WeakMap<SubnetModel['routes'], Map<RouteModel, IntervalSet>>();

/** Segments of a subnet's effective routes grouped by winning route (a hub's subnets have one per spoke: built once per route set). */
export function routeGroups(subnet: SubnetModel): Map<RouteModel, IntervalSet> {
  let known = routeGroupCache.get(subnet.routes);
  if (!known) routeGroupCache.set(subnet.routes, (known = groupRoutes(subnet)));
  return known;
}

const routeIndex = new WeakMap<SubnetModel['routes'], AddressIndex<[RouteModel, IntervalSet]>>();

/**
 * The route groups that can meet `addresses`, in the order routeGroups gives them: found through an address
 * index (a hub's subnets route one group per spoke; a reply meets one or two of them).
 */
export function routeGroupsMeeting(subnet: SubnetModel, addresses: IntervalSet): [RouteModel, IntervalSet][] {
  const groups = routeGroups(subnet);
  if (groups.size < 16 || addresses.isEmpty) return [...groups];
  let index = routeIndex.get(subnet.routes);
  if (!index) routeIndex.set(subnet.routes, (index = addressIndex([...groups], ([, ips]) => ips)));
  return index.meeting(addresses);
}

function groupRoutes(subnet: SubnetModel): Map<RouteModel, IntervalSet> {
  const groups = new Map<RouteModel, [number, number][]>();
  for (const seg of subnet.routes.segments) {
    const list = groups.get(seg.route) ?? [];
    list.push([seg.lo, seg.hi]);
    groups.set(seg.route, list);
  }
  return new Map([...groups].map(([r, ranges]) => [r, IntervalSet.fromRanges(ranges)]));
}

export function buildGraph(net: Network): ReachGraph {
  const g: ReachGraph = new MultiDirectedGraph();
  const node = (key: string, attrs: Record<string, unknown> = {}) => {
    if (!g.hasNode(key)) g.addNode(key, attrs);
  };
  const edge = (from: string, to: string, label: string, transfer: Transfer) => {
    node(from);
    node(to);
    g.addDirectedEdge(from, to, { label, transfer });
  };
  const terminal = 'end';
  node(terminal, { kind: 'end' });
  node('internet', { kind: 'internet' });

  for (const nic of net.nics) {
    node(`out:${nic.id}`, { kind: 'out', nic: nic.id });
    node(`rt:${nic.id}`, { kind: 'rt', nic: nic.id });
    node(`in:${nic.id}`, { kind: 'in', nic: nic.id });
  }
  // Shared nodes (VNet fabrics, service endpoint paths) are built once per graph.
  const built = new Set<string>();
  for (const nic of net.nics) {
    outEdges(net, nic, edge, terminal);
    routeEdges(net, nic, edge, terminal, node, built);
    inEdges(net, nic, edge, terminal);
  }
  for (const fw of net.firewalls.values()) {
    edge(`fw:${fw.name}`, `rt:${fw.nic.id}`, `firewall ${fw.name}`, firewallTransfer(fw.name));
    edge(`dnat:${fw.name}`, `rt:${fw.nic.id}`, `firewall ${fw.name} DNAT`, dnatTransfer(fw.name));
  }
  internetEdges(net, edge, terminal);
  for (const res of net.resources.values()) {
    for (const [groupId] of res.publicNames) edge(`paas:${res.name}|${groupId}`, terminal, `${res.name}/${groupId} public endpoint`, paasTransfer(net, res.name, groupId));
  }
  for (const gw of net.gateways.values()) edge(`gw:${gw.name}`, terminal, `gateway ${gw.name}`, gatewayTransfer(net, gw.name));
  return g;
}

type EdgeFn = (from: string, to: string, label: string, transfer: Transfer) => void;

// ---------------------------------------------------------------------------
// Leaving an interface (F1.4, F1.6.4, F5.1.5)

function outEdges(net: Network, nic: Nic, edge: EdgeFn, terminal: string): void {
  edge(`out:${nic.id}`, terminal, 'platform', (set, state, ctx) => {
    const part = set.restrict(DIM.dstIp, PLATFORM_ADDRESSES);
    if (part.isEmpty || nic.kind === 'private-endpoint') return {};
    const blocked: Blocked[] = [];
    const pass = platformRules(ctx.net, nic, part, blocked);
    return { blocked, deliver: pass.isEmpty ? [] : [{ sink: { kind: 'platform' }, set: pass, state }] };
  });
  edge(`out:${nic.id}`, `rt:${nic.id}`, 'outbound NSGs', (set, state, ctx) => {
    const rest = set.exclude(DIM.dstIp, PLATFORM_ADDRESSES);
    if (rest.isEmpty) return {};
    if (nic.kind === 'private-endpoint') return { blocked: [{ set: rest, at: nic.label, kind: 'nsg', reason: 'private endpoints do not start connections (F5.1.5)' }] };
    if (ctx.outboundNsgsOpen) return { emit: [{ to: `rt:${nic.id}`, set: rest, state }] };
    const blocked: Blocked[] = [];
    const pass = nsgChainSet(ctx.net, nic, 'Outbound', rest, blocked);
    return { blocked, emit: pass.isEmpty ? [] : [{ to: `rt:${nic.id}`, set: pass, state }] };
  });
}

// ---------------------------------------------------------------------------
// Routing (F2) and crossing peerings (F3)

function routeEdges(net: Network, nic: Nic, edge: EdgeFn, terminal: string, node: (k: string, a?: Record<string, unknown>) => void, built: Set<string>): void {
  const from = `rt:${nic.id}`;
  const vnet = nic.subnet.vnet;
  for (const [route, dst] of routeGroups(nic.subnet)) {
    const nh = route.nextHop;
    const label = route.ref.label;
    const restrict = (set: PacketSet, state: PathState) => natRestrict(set, state.nat, DIM.dstIp, dst);
    switch (nh.type) {
      case 'None':
        edge(from, terminal, label, (set, state) => {
          const part = restrict(set, state);
          return part.isEmpty ? {} : { blocked: [{ set: part, at: nic.subnet.id, kind: 'route', ref: route.ref, reason: `route ${label} drops it` }] };
        });
        break;
      case 'VnetLocal':
      case 'VNetPeering':
      case 'InterfaceEndpoint': {
        const target = nh.type === 'VnetLocal' ? vnet : nh.type === 'VNetPeering' ? nh.peer : nh.vnet;
        // F3.2: what a VNet's own gateway relays into a peered VNet needs no allowForwardedTraffic.
        const relayed = nic.kind === 'gateway' && target !== vnet;
        const fab = `fab:${vnet}>${target}${relayed ? '|gateway' : ''}`;
        if (!built.has(fab)) fabricEdges(net, vnet, target, edge, terminal, node, built, relayed);
        edge(from, fab, label, (set, state) => {
          const part = restrict(set, state);
          return part.isEmpty ? {} : { emit: [{ to: fab, set: part, state }] };
        });
        break;
      }
      case 'VirtualAppliance':
        edge(from, applianceTarget(net, nic, nh.ip), label, applianceTransfer(net, nic, nh.ip, route, restrict));
        break;
      case 'Internet':
        edge(from, 'internet', label, egressTransfer(net, nic, restrict));
        break;
      case 'VirtualNetworkGateway':
        edge(from, nh.gateway ? `gw:${nh.gateway}` : terminal, label, (set, state) => {
          const part = restrict(set, state);
          if (part.isEmpty) return {};
          if (!net.gateways.has(nh.gateway)) return { blocked: [{ set: part, at: nic.subnet.id, kind: 'forwarding', ref: route.ref, reason: 'the route points at a virtual network gateway, but the VNet has none' }] };
          return { emit: [{ to: `gw:${nh.gateway}`, set: part, state }] };
        });
        break;
      case 'VirtualNetworkServiceEndpoint': {
        const se = `se:${nic.subnet.id}|${nh.service}`;
        edge(from, se, label, (set, state) => {
          const part = restrict(set, state);
          return part.isEmpty ? {} : { emit: [{ to: se, set: part, state }] };
        });
        serviceEndpointEdges(net, nic.subnet, nh.service, se, edge, terminal, built);
        break;
      }
    }
  }
}

/**
 * Entering VNet `to` from VNet `from`: the peering's forwarded-traffic gate
 * (F3.2; not for what `from`'s own gateway relays), then the interface that
 * holds the address.
 */
function fabricEdges(net: Network, from: string, to: string, edge: EdgeFn, terminal: string, node: (k: string, a?: Record<string, unknown>) => void, built: Set<string>, relayedByGateway = false): void {
  const fab = `fab:${from}>${to}${relayedByGateway ? '|gateway' : ''}`;
  built.add(fab);
  node(fab, { kind: 'fabric' });
  const origin = net.vnets.get(from)!.space;
  const back = net.vnets.get(to)!.peerings.find((l) => l.remote === from);
  const forwardedOk = from === to || relayedByGateway || (back?.allowForwardedTraffic.value ?? false);
  const gate = (set: PacketSet, nat: Nat | undefined): { pass: PacketSet; blocked: Blocked[] } => {
    if (forwardedOk) return { pass: set, blocked: [] };
    const pass = natRestrict(set, nat, DIM.srcIp, origin);
    const refused = natExclude(set, nat, DIM.srcIp, origin);
    return {
      pass,
      blocked: refused.isEmpty
        ? []
        : [{ set: refused, at: `peering ${to}/${back?.name}`, node: `peering:${to}/${back?.name}`, kind: 'peering', ref: back ? { kind: 'peering', id: `${to}/${back.name}`, label: `${to}/${back.name} (to ${from})`, loc: back.allowForwardedTraffic.loc } : undefined, reason: `peering '${back?.name}' of '${to}' refuses forwarded traffic (allowForwardedTraffic ${back?.allowForwardedTraffic.value}${back?.allowForwardedTraffic.explicit ? '' : ' (default)'}, F3.2)` }],
    };
  };
  const nics = net.vnets.get(to)!.subnets.flatMap((s) => s.nics);
  let held = IntervalSet.EMPTY;
  for (const m of nics) {
    held = held.union(m.addresses);
    edge(fab, `in:${m.id}`, `to ${m.label}`, (set, state) => {
      const part = natRestrict(set, state.nat, DIM.dstIp, m.addresses);
      if (part.isEmpty) return {};
      const { pass, blocked } = gate(part, state.nat);
      return { blocked, emit: pass.isEmpty ? [] : [{ to: `in:${m.id}`, set: pass, state }] };
    });
  }
  edge(fab, terminal, 'no interface', (set, state) => {
    const part = natExclude(set, state.nat, DIM.dstIp, held);
    if (part.isEmpty) return {};
    const { pass, blocked } = gate(part, state.nat);
    return { blocked: [...blocked, ...(pass.isEmpty ? [] : [{ set: pass, at: to, kind: 'delivery' as const, reason: `no interface in VNet '${to}' holds the address` }])] };
  });
}

function applianceNic(net: Network, sender: Nic, ip: number): Nic | undefined {
  const vnet = sender.subnet.vnet;
  for (const v of [vnet, ...net.vnets.get(vnet)!.peerings.filter((l) => l.connected).map((l) => l.remote)]) {
    const n = net.nicAt(v, ip);
    if (n) return n;
  }
  return undefined;
}

/** The graph node a route to the appliance at `ip` leads to: a firewall's `fw:` node, or `end` (an appliance topo does not model, or nothing). */
export function applianceTarget(net: Network, sender: Nic, ip: number): string {
  const target = applianceNic(net, sender, ip);
  return target?.kind === 'firewall' ? `fw:${target.firewall}` : 'end';
}

function applianceTransfer(net: Network, sender: Nic, ip: number, route: RouteModel, restrict: (s: PacketSet, st: PathState) => PacketSet): Transfer {
  const target = applianceNic(net, sender, ip);
  return (set, state) => {
    const part = restrict(set, state);
    if (part.isEmpty) return {};
    if (!target) return { blocked: [{ set: part, at: sender.subnet.id, kind: 'forwarding', ref: route.ref, reason: `next hop ${formatIpv4(ip)} is no interface of the design (F2.3.2)` }] };
    const from = sender.subnet.vnet;
    const to = target.subnet.vnet;
    let pass = part;
    const blocked: Blocked[] = [];
    if (from !== to) {
      const back = net.vnets.get(to)!.peerings.find((l) => l.remote === from);
      if (!back?.allowForwardedTraffic.value) {
        const refused = natExclude(part, state.nat, DIM.srcIp, net.vnets.get(from)!.space);
        pass = natRestrict(part, state.nat, DIM.srcIp, net.vnets.get(from)!.space);
        if (!refused.isEmpty) blocked.push({ set: refused, at: `peering ${to}/${back?.name}`, node: `peering:${to}/${back?.name}`, kind: 'peering', ref: back ? { kind: 'peering', id: `${to}/${back.name}`, label: `${to}/${back.name} (to ${from})`, loc: back.allowForwardedTraffic.loc } : undefined, reason: `peering '${back?.name}' of '${to}' refuses forwarded traffic (F3.2)` });
      }
    }
    if (pass.isEmpty) return { blocked };
    if (target.kind === 'firewall') return { blocked, emit: [{ to: `fw:${target.firewall}`, set: pass, state }] };
    if (target.ipForwarding) return { blocked, undecided: [{ set: pass, at: target.label, reason: `the next hop ${target.label} is a network virtual appliance, whose rules topo does not model` }] };
    return { blocked: [...blocked, { set: pass, at: target.label, kind: 'forwarding', reason: `${target.label} is not an appliance (IP forwarding off)` }] };
  };
}

/**
 * Every source address a translation on the way can give a packet: the
 * egress addresses of egressTransfer (F11.2-F11.4; 0 stands for an address
 * topo does not know) and the firewall's SNAT and DNAT sources (snatSplit,
 * dnatTransfer; F4.5). A packet that arrives with a source outside this set
 * was sent with that source.
 */
export function translatedSources(net: Network): IntervalSet {
  const ranges: [number, number][] = [[0, 0]];
  for (const fw of net.firewalls.values()) ranges.push([fw.privateIp, fw.privateIp]);
  for (const nic of net.nics) {
    const addr = egressAddress(net, nic);
    if (addr !== undefined) ranges.push([addr, addr]);
  }
  return IntervalSet.fromRanges(ranges);
}

/**
 * F11.2-F11.4: the source a packet from `sender` gets on its way to the Internet: the firewall's (F4.5), else
 * the NAT gateway's, the NIC's public IP, 0 under default outbound access (an address topo does not know);
 * undefined: it has no way out.
 */
function egressAddress(net: Network, sender: Nic): number | undefined {
  if (sender.kind === 'firewall') {
    const fw = net.firewalls.get(sender.firewall!)!;
    return fw.publicIps.isEmpty ? 0 : fw.publicIps.min;
  }
  if (sender.subnet.natGateway) return sender.subnet.natGateway.publicIps.isEmpty ? 0 : sender.subnet.natGateway.publicIps.min;
  if (sender.publicIp) return sender.publicIp.addr;
  if (sender.subnet.defaultOutboundAccess.value && sender.kind !== 'gateway') return 0;
  return undefined;
}

/** F11.2-F11.4: NAT gateway, then the NIC's public IP, then default outbound access. */
function egressTransfer(net: Network, sender: Nic, restrict: (s: PacketSet, st: PathState) => PacketSet): Transfer {
  const addr = egressAddress(net, sender);
  const region = net.vnets.get(sender.subnet.vnet)!.region;
  return (set, state) => {
    const part = restrict(set, state);
    if (part.isEmpty) return {};
    const publicPart = natRestrict(part, state.nat, DIM.dstIp, net.adversary.publicSpace);
    const blocked: Blocked[] = [];
    const nonPublic = natExclude(part, state.nat, DIM.dstIp, net.adversary.publicSpace);
    if (!nonPublic.isEmpty) blocked.push({ set: nonPublic, at: sender.subnet.id, node: `subnet:${sender.subnet.id}`, kind: 'egress', reason: 'not a public address: the Internet does not route it' });
    if (publicPart.isEmpty) return { blocked };
    if (sender.kind === 'firewall' && state.noSnat.includes(sender.firewall!)) {
      // F4.5.2: a destination inside the SNAT private ranges keeps its private source, so the firewall cannot send it to the Internet.
      blocked.push({ set: publicPart, at: sender.subnet.id, node: `subnet:${sender.subnet.id}`, kind: 'egress', reason: `${sender.firewall} does not SNAT the destination (it is in the SNAT private ranges), so it cannot send it to the Internet (F4.5.2)` });
      return { blocked };
    }
    if (addr === undefined) {
      const dflt = sender.subnet.defaultOutboundAccess;
      blocked.push({ set: publicPart, at: sender.subnet.id, node: `subnet:${sender.subnet.id}`, kind: 'egress', ref: { kind: 'setting', id: `${sender.subnet.id}/defaultOutboundAccess`, label: `${sender.subnet.id} defaultOutboundAccess false`, loc: dflt.loc }, reason: `${sender.label} has no outbound path to the Internet: no NAT gateway, public IP or default outbound access (F11.2)` });
      return { blocked };
    }
    return { blocked, emit: [{ to: 'internet', set: publicPart, state: { ...state, region, nat: { ...state.nat, srcIp: addr } } }] };
  };
}

// ---------------------------------------------------------------------------
// Arriving at an interface (F1.4, F1.9, F5.1, F4.6 replies)

function inEdges(net: Network, nic: Nic, edge: EdgeFn, terminal: string): void {
  edge(`in:${nic.id}`, terminal, `arrive at ${nic.label}`, (set, state, ctx) => {
    const blocked: Blocked[] = [];
    if (nic.kind === 'firewall') {
      const fw = ctx.net.firewalls.get(nic.firewall!)!;
      const dns = fw.dnsProxy ? natRestrict(set.restrict(DIM.proto, TCP_UDP), state.nat, DIM.dstPort, PORT_53) : PacketSet.EMPTY;
      const rest = set.subtract(dns);
      if (!rest.isEmpty) blocked.push({ set: rest, at: nic.label, node: `nic:${nic.id}`, kind: 'delivery', reason: `${nic.label} accepts no connections on its private address` });
      return { blocked, deliver: dns.isEmpty ? [] : [{ sink: { kind: 'nic', nicId: nic.id }, set: dns, state }] };
    }
    if (nic.kind === 'gateway') return { blocked: [{ set, at: nic.label, node: `nic:${nic.id}`, kind: 'delivery', reason: `${nic.label} accepts no connections` }] };
    let pass = set;
    let sink: Sink = { kind: 'nic', nicId: nic.id };
    if (nic.kind === 'private-endpoint') {
      const pe = nic.privateEndpoint!;
      const policies = nic.subnet.privateEndpointNetworkPolicies.value;
      if ((policies === 'Enabled' || policies === 'NetworkSecurityGroupEnabled') && !ctx.inboundNsgsOpen) pass = nsgChainSet(ctx.net, nic, 'Inbound', pass, blocked, true, state.nat);
      if (!pe.approved) return { blocked: [...blocked, { set: pass, at: nic.label, kind: 'paas', ref: { kind: 'paas', id: `${pe.name}/connectionState`, label: `${pe.name} connectionState ${pe.state}`, loc: pe.loc }, reason: `private endpoint ${pe.name} is ${pe.state} (F5.1.4)` }] };
      sink = { kind: 'private-endpoint', nicId: nic.id, resource: pe.resource, groupId: pe.groupId };
    } else if (!ctx.inboundNsgsOpen) {
      pass = nsgChainSet(ctx.net, nic, 'Inbound', pass, blocked, false, state.nat);
    }
    if (pass.isEmpty) return { blocked };
    const undecided: Undecided[] = [];
    const ok = replyLegs(net, pass, state, nic, blocked, undecided);
    return { blocked, undecided, deliver: ok.isEmpty ? [] : [{ sink, set: ok, state }] };
  });
}

/** A peering the reply enters without allowForwardedTraffic: it passes only if its source originated in the VNet it leaves (F3.2, §8.4). */
interface ReplyGate {
  readonly space: IntervalSet;
  readonly ref: RuleRef;
  readonly reason: string;
}

interface ReplyOutcome {
  /** The client addresses (the reply's destination) this outcome is for. */
  readonly src: IntervalSet;
  readonly firewalls: readonly string[];
  /** Forwarded-traffic gates on the way, in the order the reply meets them. */
  readonly gates: readonly ReplyGate[];
  readonly drop?: { readonly reason: string; readonly ref?: RuleRef };
  readonly unknown?: { readonly reason: string; readonly ref: RuleRef };
  /** The route the reply takes first (it names an asymmetry). */
  readonly firstRoute?: RuleRef;
}

interface Replies {
  readonly outcomes: ReplyOutcome[];
  /** The outcomes by client address: a hub routes one group per spoke, and a reply meets one or two. */
  readonly index: AddressIndex<ReplyOutcome>;
}

/**
 * Replies read the subnet they leave only through its effective routes and its VNet, and subnets with the same
 * route table in a VNet share one set of routes (model/compile.ts): their outcomes are worked out once. From a
 * gateway's interface they differ (the first crossing is relayed).
 */
const replyCache = new WeakMap<SubnetModel['routes'], { direct?: Replies; viaGateway?: Replies }>();

function repliesOf(net: Network, nic: Nic): Replies {
  let bySubnet = replyCache.get(nic.subnet.routes);
  if (!bySubnet) replyCache.set(nic.subnet.routes, (bySubnet = {}));
  const key = nic.kind === 'gateway' ? 'viaGateway' : 'direct';
  let hit = bySubnet[key];
  if (!hit) {
    const outcomes = replyWalk(net, nic);
    bySubnet[key] = hit = { outcomes, index: addressIndex(outcomes, (o) => o.src) };
  }
  return hit;
}

/**
 * Where replies leaving `nic` go, for each possible client address
 * (route-only: NSGs let replies through, F1.5.1): the firewalls they cross,
 * the forwarded-traffic gates they meet, or why they cannot return. From a
 * gateway's interface the reply comes in from on premises: its first
 * peering crossing is relayed by the gateway (F3.2). Mirrors replyPath in
 * sim/simulate.ts.
 */
export function replyOutcomes(net: Network, nic: Nic): ReplyOutcome[] {
  return repliesOf(net, nic).outcomes;
}

function replyWalk(net: Network, nic: Nic): ReplyOutcome[] {
  const out: ReplyOutcome[] = [];
  const viaGateway = nic.kind === 'gateway';
  const walk = (at: Nic, clients: IntervalSet, firewalls: string[], gates: readonly ReplyGate[], first: RuleRef | undefined, depth: number): void => {
    if (clients.isEmpty) return;
    if (depth > 16) {
      out.push({ src: clients, firewalls, gates, drop: { reason: 'routing loop' }, firstRoute: first });
      return;
    }
    for (const [route, dst] of routeGroupsMeeting(at.subnet, clients)) {
      const part = clients.intersect(dst);
      if (part.isEmpty) continue;
      const firstRoute = first ?? route.ref;
      const nh = route.nextHop;
      const cross = (target: string, relayed: boolean): { drop?: string; gate?: ReplyGate } => {
        if (target === at.subnet.vnet) return {};
        const link = net.vnets.get(at.subnet.vnet)!.peerings.find((l) => l.remote === target && l.connected);
        const back = net.vnets.get(target)!.peerings.find((l) => l.remote === at.subnet.vnet);
        if (!link || !back) return { drop: `'${at.subnet.vnet}' and '${target}' are not peered` };
        if (relayed || back.allowForwardedTraffic.value) return {};
        return {
          gate: {
            space: net.vnets.get(at.subnet.vnet)!.space,
            ref: { kind: 'peering', id: `${back.local}/${back.name}`, label: `${back.local}/${back.name} (to ${back.remote})`, loc: back.allowForwardedTraffic.loc },
            reason: `peering '${back.name}' of '${target}' refuses forwarded traffic (allowForwardedTraffic ${back.allowForwardedTraffic.value}${back.allowForwardedTraffic.explicit ? '' : ' (default)'}, §8.4)`,
          },
        };
      };
      const withGate = (c: { gate?: ReplyGate }) => (c.gate ? [...gates, c.gate] : gates);
      switch (nh.type) {
        case 'VnetLocal':
        case 'VNetPeering':
        case 'InterfaceEndpoint': {
          const target = nh.type === 'VnetLocal' ? at.subnet.vnet : nh.type === 'VNetPeering' ? nh.peer : nh.vnet;
          const c = cross(target, viaGateway && depth === 0);
          out.push({ src: part, firewalls, gates: withGate(c), firstRoute, ...(c.drop ? { drop: { reason: c.drop } } : {}) });
          break;
        }
        case 'VirtualAppliance': {
          const target = applianceNic(net, at, nh.ip);
          if (!target) {
            out.push({ src: part, firewalls, gates, firstRoute, drop: { reason: `next hop ${formatIpv4(nh.ip)} is no interface (F2.3.2)`, ref: route.ref } });
            break;
          }
          const c = cross(target.subnet.vnet, false);
          if (c.drop) {
            out.push({ src: part, firewalls, gates, firstRoute, drop: { reason: c.drop } });
            break;
          }
          const g = withGate(c);
          // A reply addressed to the next hop itself (a firewall's SNAT address) arrives there.
          const arrived = part.intersect(target.addresses);
          if (!arrived.isEmpty) out.push({ src: arrived, firewalls, gates: g, firstRoute });
          const rest = part.subtract(target.addresses);
          if (rest.isEmpty) break;
          if (target.kind === 'firewall') walk(target, rest, [...firewalls, target.firewall!], g, firstRoute, depth + 1);
          else if (target.ipForwarding) out.push({ src: rest, firewalls, gates: g, firstRoute, unknown: { reason: `it is routed to ${target.label}, a network virtual appliance whose forwarding topo does not model`, ref: route.ref } });
          else out.push({ src: rest, firewalls, gates: g, firstRoute, drop: { reason: `it is routed to ${target.label}, which does not have IP forwarding enabled (F2.3.2)`, ref: route.ref } });
          break;
        }
        case 'None':
          out.push({ src: part, firewalls, gates, firstRoute, drop: { reason: `route ${route.ref.label} drops the reply`, ref: route.ref } });
          break;
        default:
          out.push({ src: part, firewalls, gates, firstRoute });
      }
    }
  };
  walk(nic, ALL_ADDRESSES, [], [], undefined, 0);
  return out;
}

/**
 * One leg's reply (F4.6, F2.7.4, F3.2, §8.4): from `from` back to the leg's
 * source, with the leg's destination as its source; `at` gives both, as
 * constants where they were translated. Keeps the packets whose reply
 * returns through exactly the firewalls that forwarded the leg without SNAT.
 */
function replyLeg(net: Network, set: PacketSet, from: Nic, at: Nat | undefined, expect: readonly string[], relay: string | undefined, blocked: Blocked[], undecided: Undecided[]): PacketSet {
  let ok = PacketSet.EMPTY;
  const where = { at: from.subnet.id, node: `subnet:${from.subnet.id}`, kind: 'symmetry' as const };
  const reply = relay ? `the reply relayed back by firewall ${relay}` : 'the reply';
  const clients = at?.srcIp !== undefined ? IntervalSet.point(at.srcIp) : set.project(DIM.srcIp);
  for (const o of repliesOf(net, from).index.meeting(clients)) {
    let part = natRestrict(set, at, DIM.srcIp, o.src);
    if (part.isEmpty) continue;
    for (const g of o.gates) {
      // The reply's source is the leg's destination.
      const refused = natExclude(part, at, DIM.dstIp, g.space);
      if (!refused.isEmpty) blocked.push({ set: refused, ...where, ref: g.ref, reason: `${reply} cannot return: ${g.reason}` });
      part = natRestrict(part, at, DIM.dstIp, g.space);
      if (part.isEmpty) break;
    }
    if (part.isEmpty) continue;
    if (o.drop) {
      blocked.push({ set: part, ...where, ...(o.drop.ref ? { ref: o.drop.ref } : {}), reason: `${reply} cannot return: ${o.drop.reason}` });
      continue;
    }
    if (o.unknown) {
      undecided.push({ set: part, at: from.subnet.id, reason: `whether ${reply} returns is unknown: ${o.unknown.reason}` });
      continue;
    }
    const missing = expect.filter((f) => !o.firewalls.includes(f));
    const extra = o.firewalls.filter((f) => !expect.includes(f));
    if (missing.length > 0 || extra.length > 0) {
      blocked.push({ set: part, ...where, ...(o.firstRoute ? { ref: o.firstRoute } : {}), reason: missing.length > 0 ? `asymmetric: the request crossed firewall ${missing.join(', ')} without SNAT but ${reply} does not return through it (F2.7.4, F4.6)` : `asymmetric: ${reply} crosses firewall ${extra.join(', ')}, which never saw the request (F4.6)` });
      continue;
    }
    ok = ok.union(part);
  }
  return ok;
}

/**
 * Every leg's reply must return (sim/simulate.ts, "Replies"): the last leg's
 * from `last` (the interface reached, or the gateway for on premises; none for
 * the Internet and PaaS public endpoints, whose replies go straight back to the
 * public address they came from), then each earlier leg's from the firewall
 * that ended it, unless DNAT did (F4.5.4). Returns the packets all of whose
 * replies return; the rest are blocked or undecided.
 */
function replyLegs(net: Network, set: PacketSet, state: PathState, last: Nic | undefined, blocked: Blocked[], undecided: Undecided[]): PacketSet {
  let ok = set;
  if (last) ok = replyLeg(net, ok, last, state.nat, state.noSnat, undefined, blocked, undecided);
  const legs = state.legs ?? [];
  for (let k = legs.length - 1; k >= 0 && !ok.isEmpty; k--) {
    const leg = legs[k];
    if (leg.dnat) continue;
    const fw = net.firewalls.get(leg.firewall)!;
    ok = replyLeg(net, ok, fw.nic, { srcIp: leg.srcIp, dstIp: leg.dstIp }, leg.noSnat, leg.firewall, blocked, undecided);
  }
  return ok;
}

/** Packets delivered where replies must come back: the part whose replies do, with what stops the rest. */
function deliverWithReplies(net: Network, sink: Sink, set: PacketSet, state: PathState, last: Nic | undefined): TransferResult {
  const blocked: Blocked[] = [];
  const undecided: Undecided[] = [];
  const ok = replyLegs(net, set, state, last, blocked, undecided);
  return { blocked, undecided, deliver: ok.isEmpty ? [] : [{ sink, set: ok, state }] };
}

// ---------------------------------------------------------------------------
// Azure Firewall (F4.2-F4.5)

function snatSplit(fw: FirewallModel, set: PacketSet, state: PathState, mode: 'network' | 'application'): Emission[] {
  const to = `rt:${fw.nic.id}`;
  const crossed = { ...state, firewalls: [...state.firewalls, fw.name] };
  const out: Emission[] = [];
  let rest = set;
  if (mode === 'network') {
    const exempt = natRestrict(set, state.nat, DIM.dstIp, fw.snatExempt);
    if (!exempt.isEmpty) out.push({ to, set: exempt, state: { ...crossed, noSnat: [...state.noSnat, fw.name] } });
    rest = natExclude(set, state.nat, DIM.dstIp, fw.snatExempt);
  }
  if (rest.isEmpty) return out;
  // The leg the packet was on ends here; the firewall relays its reply back (F4.6.1).
  const relayed = { ...crossed, noSnat: [], legs: [...(state.legs ?? []), { firewall: fw.name, srcIp: state.nat?.srcIp, dstIp: state.nat?.dstIp, noSnat: state.noSnat, dnat: false }] };
  let internetBound = IntervalSet.EMPTY;
  for (const seg of fw.nic.subnet.routes.segments) if (seg.route.nextHop.type === 'Internet') internetBound = internetBound.union(IntervalSet.of(seg.lo, seg.hi));
  const pub = natRestrict(rest, state.nat, DIM.dstIp, internetBound);
  const priv = natExclude(rest, state.nat, DIM.dstIp, internetBound);
  if (!pub.isEmpty) out.push({ to, set: pub, state: { ...relayed, nat: { ...state.nat, srcIp: fw.publicIps.isEmpty ? 0 : fw.publicIps.min } } });
  if (!priv.isEmpty) out.push({ to, set: priv, state: { ...relayed, nat: { ...state.nat, srcIp: fw.privateIp } } });
  return out;
}

/**
 * A packet that comes back to a firewall it has crossed more often than
 * there are firewalls has entered a routing loop: every translation on the
 * way is idempotent (SNAT to a fixed address, DNAT only from the Internet),
 * so from here its header and its path repeat until the TTL runs out. The
 * simulator drops such a packet too (after its hop limit).
 */
function routingLoop(fw: FirewallModel, set: PacketSet, state: PathState, ctx: RunContext): Blocked | undefined {
  const crossings = state.firewalls.filter((f) => f === fw.name).length;
  if (crossings <= ctx.net.firewalls.size) return undefined;
  return { set, at: fw.nic.label, node: `firewall:${fw.name}`, kind: 'route', reason: `routing loop: the packet comes back to firewall ${fw.name} again and again until its TTL runs out` };
}

function firewallTransfer(name: string): Transfer {
  return (set, state, ctx) => {
    const fw = ctx.net.firewalls.get(name)!;
    const loop = routingLoop(fw, set, state, ctx);
    if (loop) return { blocked: [loop] };
    const emit: Emission[] = [];
    const blocked: Blocked[] = [];
    const undecided: Undecided[] = [];
    const net1 = natFirstMatch(set, state.nat, fw.network);
    for (const h of net1.hits) {
      if (h.rule.action === 'Allow') emit.push(...snatSplit(fw, h.packets, state, 'network'));
      else if (h.rule.action === 'Deny') blocked.push({ set: h.packets, at: fw.nic.label, node: `firewall:${fw.name}`, kind: 'firewall', ref: h.rule.ref, reason: `denied by ${h.rule.ref.label}` });
      else undecided.push({ set: h.packets, at: fw.nic.label, reason: h.rule.unknownReason ?? 'undecidable firewall rule' });
    }
    const app = natFirstMatch(net1.rest, state.nat, fw.application);
    for (const h of app.hits) {
      if (h.rule.action === 'Allow') emit.push(...snatSplit(fw, h.packets, state, 'application'));
      else if (h.rule.action === 'Deny') blocked.push({ set: h.packets, at: fw.nic.label, node: `firewall:${fw.name}`, kind: 'firewall', ref: h.rule.ref, reason: `denied by ${h.rule.ref.label}` });
      else undecided.push({ set: h.packets, at: fw.nic.label, reason: h.rule.unknownReason ?? 'undecidable firewall rule' });
    }
    const infra = natFirstMatch(app.rest, state.nat, [fw.infrastructure]);
    for (const h of infra.hits) emit.push(...snatSplit(fw, h.packets, state, 'application'));
    if (!infra.rest.isEmpty) blocked.push({ set: infra.rest, at: fw.nic.label, node: `firewall:${fw.name}`, kind: 'firewall', ref: fw.defaultDeny, reason: `no rule of firewall ${fw.name} allows it (default deny, F4.2.8)` });
    return { emit, blocked, undecided };
  };
}

function dnatTransfer(name: string): Transfer {
  return (set, state, ctx) => {
    const fw = ctx.net.firewalls.get(name)!;
    const loop = routingLoop(fw, set, state, ctx);
    if (loop) return { blocked: [loop] };
    const emit: Emission[] = [];
    const blocked: Blocked[] = [];
    const undecided: Undecided[] = [];
    const { hits, rest } = natFirstMatch(set, state.nat, fw.dnat);
    for (const h of hits) {
      if (h.rule.action === 'Unknown') {
        undecided.push({ set: h.packets, at: fw.nic.label, reason: h.rule.unknownReason ?? 'undecidable DNAT rule' });
        continue;
      }
      const t = h.rule.translate!;
      // F4.5.4: DNAT to the target, SNAT to the firewall's private address.
      const nat: Nat = { ...state.nat, dstIp: t.addr, dstName: 0, srcIp: fw.privateIp, ...(t.port !== undefined ? { dstPort: t.port } : {}) };
      const legs = [...(state.legs ?? []), { firewall: fw.name, srcIp: state.nat?.srcIp, dstIp: state.nat?.dstIp, noSnat: state.noSnat, dnat: true }];
      emit.push({ to: `rt:${fw.nic.id}`, set: h.packets, state: { ...state, firewalls: [...state.firewalls, fw.name], noSnat: [], legs, nat } });
    }
    if (!rest.isEmpty) blocked.push({ set: rest, at: fw.nic.label, node: `firewall:${fw.name}`, kind: 'firewall', ref: fw.defaultDeny, reason: `no DNAT rule of firewall ${fw.name} matches` });
    return { emit, blocked, undecided };
  };
}

// ---------------------------------------------------------------------------
// The Internet, PaaS public endpoints, service endpoints, gateways

/**
 * The destinations the Internet carries a packet to: the public address space and the design's own public
 * addresses (interfaces, firewalls, NAT gateways). Anything else it drops as not public, whatever the design.
 */
export function routedByInternet(net: Network): IntervalSet {
  const known = routed.get(net.nics);
  if (known && known.firewalls === net.firewalls && known.subnets === net.subnets && known.publicSpace === net.adversary.publicSpace) return known.set;
  const ranges: [number, number][] = [...net.adversary.publicSpace.intervals()];
  for (const nic of net.nics) if (nic.publicIp) ranges.push([nic.publicIp.addr, nic.publicIp.addr]);
  for (const fw of net.firewalls.values()) ranges.push(...fw.publicIps.intervals());
  for (const s of net.subnets.values()) if (s.natGateway) ranges.push(...s.natGateway.publicIps.intervals());
  const set = IntervalSet.fromRanges(ranges);
  routed.set(net.nics, { firewalls: net.firewalls, subnets: net.subnets, publicSpace: net.adversary.publicSpace, set });
  return set;
}

// Versions derived by rule edits share all of these.
const routed = new WeakMap<Network['nics'], { firewalls: Network['firewalls']; subnets: Network['subnets']; publicSpace: IntervalSet; set: IntervalSet }>();

function internetEdges(net: Network, edge: EdgeFn, terminal: string): void {
  let pips = IntervalSet.EMPTY;
  for (const nic of net.nics) {
    if (!nic.publicIp) continue;
    const pip = IntervalSet.point(nic.publicIp.addr);
    pips = pips.union(pip);
    edge('internet', `in:${nic.id}`, `public IP of ${nic.name}`, (set, state) => {
      const part = natRestrict(set, state.nat, DIM.dstIp, pip);
      if (part.isEmpty) return {};
      const loc = nic.publicIp!.loc;
      if (nic.publicIp!.sku === 'Standard' && !nic.nsg && !nic.subnet.nsg) {
        return { blocked: [{ set: part, at: nic.label, kind: 'ingress', ref: { kind: 'setting', id: `${nic.name}/publicIpSku`, label: `${nic.name} publicIpSku Standard`, loc }, reason: 'a Standard public IP with no NSG admits nothing (F11.1)' }] };
      }
      const blocked: Blocked[] = [];
      let ok = PacketSet.EMPTY;
      for (const [route, dst] of routeGroups(nic.subnet)) {
        const p = natRestrict(part, state.nat, DIM.srcIp, dst);
        if (p.isEmpty) continue;
        if (route.nextHop.type === 'Internet') ok = ok.union(p);
        else blocked.push({ set: p, at: nic.subnet.id, node: `subnet:${nic.subnet.id}`, kind: 'symmetry', ref: route.ref, reason: `asymmetric: replies leave through ${route.nextHop.type}, not the public IP (F2.5.2)` });
      }
      // F1.2.4: the public IP is translated to the private address before the NSGs.
      return { blocked, emit: ok.isEmpty ? [] : [{ to: `in:${nic.id}`, set: ok, state: { ...state, nat: { ...state.nat, dstIp: nic.addresses.min, dstName: 0 } } }] };
    });
  }
  let fwIps = IntervalSet.EMPTY;
  for (const fw of net.firewalls.values()) {
    const mine = fw.publicIps.subtract(pips);
    fwIps = fwIps.union(mine);
    edge('internet', `dnat:${fw.name}`, `public IP of firewall ${fw.name}`, (set, state) => {
      const part = natRestrict(set, state.nat, DIM.dstIp, mine);
      return part.isEmpty ? {} : { emit: [{ to: `dnat:${fw.name}`, set: part, state }] };
    });
  }
  // F11.4: a NAT gateway's public IPs accept no inbound connections.
  let natIps = IntervalSet.EMPTY;
  const natRefs = new Map<string, NonNullable<SubnetModel['natGateway']>>();
  for (const s of net.subnets.values()) {
    if (!s.natGateway) continue;
    natIps = natIps.union(s.natGateway.publicIps.subtract(pips).subtract(fwIps));
    natRefs.set(s.natGateway.name, s.natGateway);
  }
  if (!natIps.isEmpty) {
    const nat = [...natRefs.values()][0];
    edge('internet', terminal, 'NAT gateway public IP', (set, state) => {
      const part = natRestrict(set, state.nat, DIM.dstIp, natIps);
      return part.isEmpty ? {} : { blocked: [{ set: part, at: `NAT gateway ${nat.name}`, kind: 'ingress', ref: { kind: 'setting', id: `natGateway/${nat.name}`, label: `natGateway ${nat.name}`, loc: nat.loc }, reason: 'a NAT gateway accepts no inbound connections from the Internet (F11.4)' }] };
    });
  }
  const entry = pips.union(fwIps).union(natIps);
  const rest = (set: PacketSet, nat: Nat | undefined) => natExclude(set, nat, DIM.dstIp, entry);
  const routed = routedByInternet(net);
  edge('internet', terminal, 'not public', (set, state) => {
    const part = natExclude(set, state.nat, DIM.dstIp, routed);
    return part.isEmpty ? {} : { blocked: [{ set: part, at: 'Internet', kind: 'delivery', reason: 'not a public address: nothing on the Internet routes to it' }] };
  });
  const publicRest = (set: PacketSet, nat: Nat | undefined) => natRestrict(rest(set, nat), nat, DIM.dstIp, net.adversary.publicSpace);
  let ownNames = IntervalSet.EMPTY;
  for (const res of net.resources.values()) {
    for (const [groupId, cls] of res.publicNames) {
      ownNames = ownNames.union(IntervalSet.point(cls));
      // Every public name of the group (an ACR registry has two) reaches the same endpoint.
      const classes = ownClasses(net, res.name, groupId);
      ownNames = ownNames.union(classes);
      const to = `paas:${res.name}|${groupId}`;
      edge('internet', to, `${res.name}/${groupId} public endpoint`, (set, state) => {
        // Names first: most packets carry no name of this resource, and the address checks are the costly ones.
        const named = natRestrict(set, state.nat, DIM.dstName, classes);
        if (named.isEmpty) return {};
        const part = publicRest(named, state.nat);
        return part.isEmpty ? {} : { emit: [{ to, set: part, state }] };
      });
    }
  }
  const unnamed = (set: PacketSet, nat: Nat | undefined) => natExclude(publicRest(set, nat), nat, DIM.dstName, ownNames);
  let externalSpace = IntervalSet.EMPTY;
  for (const ext of net.externals.values()) {
    if (ext.onPremises) continue;
    const space = ext.space.subtract(externalSpace);
    externalSpace = externalSpace.union(space);
    edge('internet', terminal, `external ${ext.name}`, (set, state) => {
      const part = natRestrict(unnamed(set, state.nat), state.nat, DIM.dstIp, space);
      return part.isEmpty ? {} : deliverWithReplies(net, { kind: 'external', name: ext.name }, part, state, undefined);
    });
  }
  edge('internet', terminal, 'the Internet', (set, state) => {
    const part = natExclude(unnamed(set, state.nat), state.nat, DIM.dstIp, externalSpace);
    return part.isEmpty ? {} : deliverWithReplies(net, { kind: 'internet' }, part, state, undefined);
  });
}

const ownClassIndex = new WeakMap<Network, Map<string, IntervalSet>>();

/** The name classes of a resource's public names for one group; indexed once per network (a design has a resource per spoke). */
function ownClasses(net: Network, resource: string, groupId: string): IntervalSet {
  let index = ownClassIndex.get(net);
  if (!index) {
    const ids = new Map<string, [number, number][]>();
    for (const c of net.names) {
      if (c.kind !== 'own' || !c.resource) continue;
      const key = `${c.resource.name}\u0000${c.resource.groupId}`;
      const list = ids.get(key) ?? [];
      list.push([c.id, c.id]);
      ids.set(key, list);
    }
    index = new Map([...ids].map(([k, v]) => [k, IntervalSet.fromRanges(v)]));
    ownClassIndex.set(net, index);
  }
  return index.get(`${resource}\u0000${groupId}`) ?? IntervalSet.EMPTY;
}

/** F5.3: the public endpoint's network rules, per source. */
function paasTransfer(net: Network, resource: string, groupId: string): Transfer {
  const res = net.resources.get(resource)!;
  const at = `${res.name} public endpoint (${groupId})`;
  const sink: Sink = { kind: 'paas-public', resource, groupId };
  return (set, state) => {
    // The last leg's reply goes back to the public address it came from; earlier legs' replies are relayed back (F4.6.1, F3.2).
    const deliver = (s: PacketSet): TransferResult => (s.isEmpty ? {} : deliverWithReplies(net, sink, s, state, undefined));
    const deny = (s: PacketSet, reason: string, loc = res.loc, label = reason): Blocked => ({ set: s, at, node: `resource:${res.name}`, kind: 'paas', ref: { kind: 'paas', id: `${res.name}/networkAcls`, label, loc }, reason });
    if (!res.info) return { undecided: [{ set, at, reason: `${res.name} is a ${res.type}, which topo does not model` }] };
    if (!res.publicNetworkAccess.enabled) return { blocked: [deny(set, `${res.name}: publicNetworkAccess is Disabled (F5.3.2)`, res.publicNetworkAccess.loc, `${res.name} publicNetworkAccess Disabled`)] };
    if (res.info.aclModel === 'publicAccessOnly') {
      if (res.defaultAction.explicit) return { undecided: [{ set, at, reason: `the network rules of ${res.name} (${res.info.label}) are not modelled` }] };
      return deliver(set);
    }
    if (res.defaultAction.value === 'Allow') return deliver(set);
    if (state.seSubnet !== undefined) {
      if (res.virtualNetworkRules.has(state.seSubnet)) return deliver(set);
      return { blocked: [deny(set, `${res.name}: defaultAction Deny and no virtual network rule for ${state.seSubnet} (F5.3.4)`, res.defaultAction.loc, `${res.name} networkAcls.defaultAction Deny`)] };
    }
    const blocked: Blocked[] = [];
    const undecided: Undecided[] = [];
    let ok = PacketSet.EMPTY;
    let rest = set;
    if (!res.ipRules.isEmpty) {
      const zero = IntervalSet.point(0);
      const unspecified = natRestrict(rest, state.nat, DIM.srcIp, zero);
      if (!unspecified.isEmpty) undecided.push({ set: unspecified, at, reason: `whether ${res.name}'s IP rules admit the source depends on a public IP the scenario does not give` });
      rest = natExclude(rest, state.nat, DIM.srcIp, zero);
      const admitted = natRestrict(rest, state.nat, DIM.srcIp, res.ipRules);
      rest = natExclude(rest, state.nat, DIM.srcIp, res.ipRules);
      if (!admitted.isEmpty) {
        if (res.info.aclModel === 'storage' && state.region !== undefined && state.region === res.region) blocked.push(deny(admitted, `${res.name}: IP rules do not apply to requests from its own region ${res.region} (F5.3.6)`, res.ipRulesLoc ?? res.loc, `${res.name} networkAcls.ipRules`));
        else ok = admitted;
      }
    }
    if (!rest.isEmpty) blocked.push(deny(rest, `${res.name}: defaultAction Deny and no rule admits the source (F5.3.2)`, res.defaultAction.loc, `${res.name} networkAcls.defaultAction Deny`));
    const returned = replyLegs(net, ok, state, undefined, blocked, undecided);
    return { blocked, undecided, deliver: returned.isEmpty ? [] : [{ sink, set: returned, state }] };
  };
}

/** F2.8: the subnet's identity reaches the service; a storage service endpoint policy pins the accounts. */
function serviceEndpointEdges(net: Network, subnet: SubnetModel, service: string, node: string, edge: EdgeFn, terminal: string, built: Set<string>): void {
  if (built.has(node)) return;
  built.add(node);
  const policy = service.startsWith('Microsoft.Storage') ? subnet.serviceEndpointPolicy : undefined;
  let allowedOwn = IntervalSet.EMPTY;
  let ownNames = IntervalSet.EMPTY;
  for (const c of net.names) {
    if (c.managed !== undefined && (!policy || policy.aliases.includes(c.managed))) allowedOwn = allowedOwn.union(IntervalSet.point(c.id));
    if (c.kind !== 'own' || !c.resource) continue;
    ownNames = ownNames.union(IntervalSet.point(c.id));
    if (!policy || policy.resources.includes(c.resource.name)) allowedOwn = allowedOwn.union(IntervalSet.point(c.id));
  }
  const admitted = (set: PacketSet, nat: Nat | undefined): { pass: PacketSet; blocked: Blocked[] } => {
    if (!policy) return { pass: set, blocked: [] };
    const pass = natRestrict(set, nat, DIM.dstName, allowedOwn);
    const refused = natExclude(set, nat, DIM.dstName, allowedOwn);
    return { pass, blocked: refused.isEmpty ? [] : [{ set: refused, at: `${subnet.id} service endpoint ${service}`, kind: 'paas', ref: { kind: 'paas', id: `${subnet.id}/serviceEndpointPolicies`, label: `${subnet.id} serviceEndpointPolicies (${[...policy.resources, ...policy.aliases].join(', ')})`, loc: policy.loc }, reason: 'the service endpoint policy does not list this storage account' }] };
  };
  for (const res of net.resources.values()) {
    for (const [groupId] of res.publicNames) {
      const classes = ownClasses(net, res.name, groupId);
      const to = `paas:${res.name}|${groupId}`;
      edge(node, to, `${res.name}/${groupId} through the service endpoint`, (set, state) => {
        const { pass, blocked } = admitted(natRestrict(set, state.nat, DIM.dstName, classes), state.nat);
        return { blocked, emit: pass.isEmpty ? [] : [{ to, set: pass, state: { ...state, seSubnet: subnet.id } }] };
      });
    }
  }
  edge(node, terminal, `service ${service}`, (set, state) => {
    const { pass, blocked } = admitted(natExclude(set, state.nat, DIM.dstName, ownNames), state.nat);
    const undecided: Undecided[] = [];
    const returned = replyLegs(net, pass, state, undefined, blocked, undecided);
    return { blocked, undecided, deliver: returned.isEmpty ? [] : [{ sink: { kind: 'internet' }, set: returned, state }] };
  });
}

function gatewayTransfer(net: Network, name: string): Transfer {
  const gw = net.gateways.get(name)!;
  // Replies come back from on premises through the gateway and are routed from its GatewaySubnet.
  const gwNic = net.nicById.get(`gateway:${gw.name}`);
  return (set, state) => {
    const remote = natRestrict(set, state.nat, DIM.dstIp, gw.remote);
    const blocked: Blocked[] = [];
    const undecided: Undecided[] = [];
    const outside = natExclude(set, state.nat, DIM.dstIp, gw.remote);
    if (!outside.isEmpty) blocked.push({ set: outside, at: gw.name, node: `gateway:${gw.name}`, kind: 'forwarding', reason: `not among the on-premises prefixes behind ${gw.name}` });
    const deliver: Delivered[] = [];
    let rest = remote.isEmpty ? remote : replyLegs(net, remote, state, gwNic, blocked, undecided);
    for (const ext of net.externals.values()) {
      if (!ext.onPremises) continue;
      const part = natRestrict(rest, state.nat, DIM.dstIp, ext.space);
      if (!part.isEmpty) deliver.push({ sink: { kind: 'external', name: ext.name }, set: part, state });
      rest = natExclude(rest, state.nat, DIM.dstIp, ext.space);
    }
    if (!rest.isEmpty) deliver.push({ sink: { kind: 'on-premises', gateway: gw.name }, set: rest, state });
    return { blocked, undecided, deliver };
  };
}
