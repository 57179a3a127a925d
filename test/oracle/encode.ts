/**
 * The SMT oracle's reading of a compiled Network: a symbolic walk of one
 * packet's hops, written from scratch from Azure's semantics (azure-semantics.md)
 * and the model's data, sharing no code with src/verify or the header-space
 * set algebra. Packet fields are bit-vectors; after a translation (SNAT,
 * a public IP's DNAT) a field is a constant. The walk enumerates the
 * branches of every decision (route by longest prefix from the subnet's route
 * ENTRIES, first-match NSG and firewall lists, peering gates, egress, PaaS
 * network rules, the reply of every leg of the connection: symmetry and
 * forwarded-traffic gates) and collects, for a claim:
 *   reach   = the query packets delivered to the claim's destination,
 *   unknown = the query packets whose fate the model leaves undecided.
 * Constructs it does not encode make the whole design skipped, with the
 * reason, never approximated.
 */
import { IntervalSet } from '../../src/headerspace/interval-set.js';
import { destinationOf, sourcesOf, type SourceSpec } from '../../src/model/endpoints.js';
import type { FirewallModel, FirewallRule, NextHop, Network, Nic, NsgRule, ResourceModel, RouteEntry, RouteModel, SubnetModel } from '../../src/model/types.js';
import type { Claim } from '../../src/verify/check.js';
import { FormulaBuilder, type Field, type Node, type NodeId, type Term } from './formula.js';

const HOST_IP = 0xa83f8110; // 168.63.129.16
const IMDS_IP = 0xa9fea9fe; // 169.254.169.254
const TCP = 6;
const UDP = 17;
/** Longest acyclic walk in a generated design is far shorter; deeper means a routing loop (the simulator drops those). */
const MAX_DEPTH = 12;

type Packet = Record<Field, Term>;

interface PathCtx {
  readonly firewalls: readonly string[];
  /** Firewalls that forwarded the current leg without SNAT (F4.5.1). */
  readonly noSnat: readonly string[];
  /**
   * Finished legs: each ended at a firewall that SNATed (F4.5.1, F4.5.3), which
   * relays the leg's reply back to the leg's source with the leg's
   * destination as source (F4.6.1).
   */
  readonly legs: readonly { readonly firewall: FirewallModel; readonly src: Term; readonly dst: Term; readonly noSnat: readonly string[] }[];
  readonly depth: number;
  /** Firewall passes so far, with the source they saw: a repeat is a routing loop. */
  readonly passes?: readonly string[];
}

type Sink =
  | { readonly kind: 'nic'; readonly nic: Nic }
  | { readonly kind: 'paas-public'; readonly resource: string; readonly groupId: string }
  | { readonly kind: 'internet'; readonly name: Term }
  | { readonly kind: 'external'; readonly name: string };

export interface Encoded {
  /** The formula DAG; more nodes can be added to it (the verifier's sets, for comparison). */
  readonly f: FormulaBuilder;
  readonly nodes: readonly Node[];
  readonly query: NodeId;
  readonly reach: NodeId;
  readonly unknown: NodeId;
}

export type Encoding = { readonly ok: true; readonly enc: Encoded } | { readonly ok: false; readonly skip: string };

/** Why a design is outside what the oracle encodes, or undefined. */
export function unsupported(net: Network): string | undefined {
  if (net.gateways.size > 0) return 'virtual network gateways (BGP routes, on-premises)';
  if (net.managedNetworks.size > 0) return 'managed virtual networks';
  if (!net.catalog.exact) return 'the compact service-tag catalog (tags of thousands of ranges)';
  for (const fw of net.firewalls.values()) {
    if (fw.dnat.length > 0) return 'firewall DNAT rules';
    if (fw.forcedTunneling) return 'forced tunnelling';
  }
  for (const s of net.subnets.values()) for (const e of s.routes.entries) if (e.route.source === 'bgp') return 'BGP routes';
  for (const e of net.externals.values()) if (e.onPremises) return 'on-premises externals';
  return undefined;
}

export function encodeClaim(net: Network, claim: Claim): Encoding {
  const why = unsupported(net);
  if (why) return { ok: false, skip: why };
  if (claim.from.kind === 'resource') return { ok: false, skip: 'PaaS sources' };
  const sources = sourcesOf(net, claim.from);
  const sourceVnets = [...new Set(sources.flatMap((s) => (s.kind === 'nic' ? [s.nic.subnet.vnet] : [])))];
  const dest = destinationOf(net, claim.to, { forAllow: claim.kind === 'allow', sourceVnets, sources });
  if (dest.unknown) return { ok: false, skip: 'destinations the model cannot decide' };
  if (sources.some((s) => s.kind === 'on-premises')) return { ok: false, skip: 'on-premises sources' };
  const w = new Walker(net, claim);
  const P0: Packet = { proto: { field: 'proto' }, srcIp: { field: 'srcIp' }, srcPort: { field: 'srcPort' }, dstIp: { field: 'dstIp' }, dstPort: { field: 'dstPort' }, dstName: { field: 'dstName' } };
  const f = w.f;
  const queries: NodeId[] = [];
  for (const s of sources) {
    const regions = s.kind === 'internet' && dest.internetRegions ? dest.internetRegions : dest.regions;
    const q = w.query(s, regions);
    if (q === f.FALSE) continue;
    queries.push(q);
    if (s.kind === 'nic') w.fromNic(s.nic, P0, q, { firewalls: [], noSnat: [], legs: [], depth: 0 });
    else w.onInternet(P0, q, { firewalls: [], noSnat: [], legs: [], depth: 0 }, undefined);
  }
  if (w.truncated) return { ok: false, skip: 'a routing loop deeper than the encoded path length' };
  return { ok: true, enc: { f, nodes: f.nodes, query: f.or(...queries), reach: f.or(...w.reached), unknown: f.or(...w.unknowns) } };
}

const flat = (s: IntervalSet): readonly number[] => s.data;

class Walker {
  readonly f = new FormulaBuilder();
  readonly reached: NodeId[] = [];
  readonly unknowns: NodeId[] = [];
  truncated = false;
  private readonly accept: (sink: Sink, p0: Packet) => NodeId;

  constructor(
    private readonly net: Network,
    private readonly claim: Claim,
  ) {
    this.accept = acceptance(net, claim, this.f);
  }

  // ---- the claim's packets ------------------------------------------------------------------------

  query(s: SourceSpec, regions: readonly { readonly ips: IntervalSet; readonly names: IntervalSet }[]): NodeId {
    const f = this.f;
    const P = (field: Field): Term => ({ field });
    const ported = f.or(f.eq(P('proto'), TCP), f.eq(P('proto'), UDP));
    const protocols = f.member(P('proto'), flat(this.claim.protocols));
    const ports = f.ite(ported, f.and(f.member(P('srcPort'), flat(this.claim.sourcePorts)), f.member(P('dstPort'), flat(this.claim.ports))), f.and(f.eq(P('srcPort'), 0), f.eq(P('dstPort'), 0)));
    const where = f.or(...regions.map((r) => f.and(f.member(P('dstIp'), flat(r.ips)), f.member(P('dstName'), flat(r.names)))));
    return f.and(f.member(P('srcIp'), flat(s.ips)), protocols, ports, where);
  }

  private deliver(sink: Sink, cond: NodeId): void {
    const P0: Packet = { proto: { field: 'proto' }, srcIp: { field: 'srcIp' }, srcPort: { field: 'srcPort' }, dstIp: { field: 'dstIp' }, dstPort: { field: 'dstPort' }, dstName: { field: 'dstName' } };
    const c = this.f.and(cond, this.accept(sink, P0));
    if (c !== this.f.FALSE) this.reached.push(c);
  }

  private unknown(cond: NodeId): void {
    if (cond !== this.f.FALSE) this.unknowns.push(cond);
  }

  // ---- rule lists -----------------------------------------------------------------------------------

  /** The packet lies in one of a rule's boxes. */
  private matches(rule: { readonly boxes: readonly (readonly IntervalSet[])[] }, p: Packet): NodeId {
    const f = this.f;
    const dims: Field[] = ['proto', 'srcIp', 'srcPort', 'dstIp', 'dstPort', 'dstName'];
    return f.or(...rule.boxes.map((box) => f.and(...dims.map((d, i) => f.member(p[d], flat(box[i]))))));
  }

  /** First match (F1.2.2) as a nested if-then-else, built from the last rule up: true when the deciding rule allows. */
  private nsgAllows(rules: readonly NsgRule[], p: Packet): NodeId {
    const f = this.f;
    let acc = f.FALSE;
    for (let i = rules.length - 1; i >= 0; i--) acc = f.ite(this.matches(rules[i], p), f.bool(rules[i].access === 'Allow'), acc);
    return acc;
  }

  /** F1.4: every NSG of the chain must allow. */
  private nsgChain(nic: Nic, direction: 'Inbound' | 'Outbound', p: Packet, ignoreSourcePorts = false): NodeId {
    const names = direction === 'Outbound' ? [nic.nsg?.name, nic.subnet.nsg?.name] : [nic.subnet.nsg?.name, nic.nsg?.name];
    return this.f.and(...names.filter((n): n is string => !!n).map((n) => this.nsgAllows(this.net.nsgProgram(n, direction, nic.subnet, ignoreSourcePorts).rules, p)));
  }

  /** Which rule of an ordered list decides, as one condition per rule plus "none matched". */
  private firstMatch<R extends { readonly boxes: readonly (readonly IntervalSet[])[] }>(rules: readonly R[], p: Packet): { fires: { rule: R; cond: NodeId }[]; none: NodeId } {
    const f = this.f;
    let none = f.TRUE;
    const fires: { rule: R; cond: NodeId }[] = [];
    for (const rule of rules) {
      const m = this.matches(rule, p);
      fires.push({ rule, cond: f.and(none, m) });
      none = f.and(none, f.not(m));
    }
    return { fires, none };
  }

  // ---- routes (F2.4) -----------------------------------------------------------------------------------

  /** The winning route for `addr`, one branch per next hop: longest prefix, then the F2.4 tie-breaks. */
  private routes(subnet: SubnetModel, addr: Term): { cond: NodeId; hop: NextHop; route: RouteModel }[] {
    const f = this.f;
    const valid = subnet.routes.entries.filter((e) => !this.peInvalidated(e, subnet.routes.entries));
    const order = valid.map((e, i) => ({ e, i })).sort((a, b) => b.e.len - a.e.len || rank(a.e.route) - rank(b.e.route) || a.i - b.i);
    const byHop = new Map<string, { conds: NodeId[]; hop: NextHop; route: RouteModel }>();
    let none = f.TRUE;
    for (const { e } of order) {
      const m = f.member(addr, [e.lo, e.hi]);
      const cond = f.and(none, m);
      none = f.and(none, f.not(m));
      if (cond === f.FALSE) continue;
      const key = JSON.stringify(e.route.nextHop);
      const g = byHop.get(key) ?? { conds: [], hop: e.route.nextHop, route: e.route };
      g.conds.push(cond);
      byHop.set(key, g);
      if (none === f.FALSE) break;
    }
    return [...byHop.values()].map((g) => ({ cond: f.or(...g.conds), hop: g.hop, route: g.route }));
  }

  /** F2.7.2: a PE /32 yields to a UDR at least as long as the PE VNet's prefix when the PE subnet enables route-table policies. */
  private peInvalidated(e: RouteEntry, all: readonly RouteEntry[]): boolean {
    if (e.route.nextHop.type !== 'InterfaceEndpoint') return false;
    const pe = this.net.privateEndpoints.get(e.route.nextHop.privateEndpoint)!;
    const peSubnet = this.net.nicById.get(pe.nicId)!.subnet;
    const policy = peSubnet.privateEndpointNetworkPolicies.value;
    if (policy !== 'Enabled' && policy !== 'RouteTableEnabled') return false;
    const space = this.net.vnets.get(peSubnet.vnet)!.prefixes.find((p) => p.addr <= pe.ip && pe.ip <= p.addr + 2 ** (32 - p.len) - 1);
    if (!space) return false;
    return all.some((u) => u.route.source === 'user' && u.len >= space.len && u.lo <= pe.ip && pe.ip <= u.hi);
  }

  // ---- leaving an interface -----------------------------------------------------------------------------

  fromNic(nic: Nic, p: Packet, cond: NodeId, ctx: PathCtx): void {
    const f = this.f;
    if (nic.kind === 'private-endpoint') return; // F5.1.5
    // F1.6.4: platform addresses are delivered to the platform, which no claim's destination is.
    const platform = f.or(f.eq(p.dstIp, HOST_IP), f.eq(p.dstIp, IMDS_IP));
    const c = f.and(cond, f.not(platform), this.nsgChain(nic, 'Outbound', p));
    this.routeFrom(nic, p, c, ctx);
  }

  private routeFrom(sender: Nic, p: Packet, cond: NodeId, ctx: PathCtx, before?: (hop: NextHop, p: Packet) => { p: Packet; ctx: PathCtx }): void {
    if (cond === this.f.FALSE) return;
    if (ctx.depth >= MAX_DEPTH) {
      this.truncated = true;
      return;
    }
    const next = { ...ctx, depth: ctx.depth + 1 };
    for (const b of this.routes(sender.subnet, p.dstIp)) {
      const c = this.f.and(cond, b.cond);
      if (c === this.f.FALSE) continue;
      const step = before ? before(b.hop, p) : { p, ctx: next };
      this.nextHop(sender, b.hop, step.p, c, { ...step.ctx, depth: next.depth });
    }
  }

  private nextHop(sender: Nic, nh: NextHop, p: Packet, cond: NodeId, ctx: PathCtx): void {
    const vnet = sender.subnet.vnet;
    switch (nh.type) {
      case 'None':
        return;
      case 'VnetLocal':
        return this.deliverIn(vnet, vnet, p, cond, ctx);
      case 'VNetPeering':
        return this.deliverIn(vnet, nh.peer, p, cond, ctx);
      case 'InterfaceEndpoint':
        return this.deliverIn(vnet, nh.vnet, p, cond, ctx);
      case 'VirtualAppliance':
        return this.toAppliance(sender, nh.ip, p, cond, ctx);
      case 'Internet':
        return this.egress(sender, p, cond, ctx);
      case 'VirtualNetworkGateway':
        return; // no gateway in encoded designs: the route leads nowhere
      case 'VirtualNetworkServiceEndpoint':
        return this.serviceEndpoint(sender, nh.service, p, cond, ctx);
    }
  }

  /** F3.1, F3.2: a connected peering both ways; traffic not from the peer's own space needs allowForwardedTraffic on the receiving link. */
  private peeringGate(from: string, to: string, src: Term): NodeId {
    const f = this.f;
    if (from === to) return f.TRUE;
    const out = this.net.vnets.get(from)!.peerings.find((l) => l.remote === to && l.connected);
    const back = this.net.vnets.get(to)!.peerings.find((l) => l.remote === from);
    if (!out || !back) return f.FALSE;
    return f.or(f.member(src, flat(this.net.vnets.get(from)!.space)), f.bool(back.allowForwardedTraffic.value));
  }

  private nicsOf(vnet: string): Nic[] {
    return this.net.nics.filter((n) => n.subnet.vnet === vnet);
  }

  private deliverIn(from: string, vnet: string, p: Packet, cond: NodeId, ctx: PathCtx): void {
    const c = this.f.and(cond, this.peeringGate(from, vnet, p.srcIp));
    for (const nic of this.nicsOf(vnet)) this.arrive(nic, p, this.f.and(c, this.f.member(p.dstIp, flat(nic.addresses))), ctx);
  }

  private toAppliance(sender: Nic, ip: number, p: Packet, cond: NodeId, ctx: PathCtx): void {
    const vnet = sender.subnet.vnet;
    const candidates = [vnet, ...this.net.vnets.get(vnet)!.peerings.filter((l) => l.connected).map((l) => l.remote)];
    let target: Nic | undefined;
    for (const v of candidates) {
      target = this.nicsOf(v).find((n) => flat(n.addresses).some((x, i) => i % 2 === 0 && x <= ip && ip <= flat(n.addresses)[i + 1]));
      if (target) break;
    }
    if (!target) return;
    const c = this.f.and(cond, this.peeringGate(vnet, target.subnet.vnet, p.srcIp));
    if (target.kind === 'firewall') return this.firewall(this.net.firewalls.get(target.firewall!)!, p, c, ctx);
    if (target.ipForwarding) return this.unknown(c); // an NVA topo does not model
  }

  // ---- Azure Firewall (F4.2, F4.5) ----------------------------------------------------------------------

  private firewall(fw: FirewallModel, p: Packet, cond: NodeId, ctx0: PathCtx): void {
    const f = this.f;
    // Routes from the firewall depend on the destination only, which no hop here rewrites: meeting the
    // same firewall again with the same source repeats the same hops forever, and the packet never arrives.
    const pass = `${fw.name}|${JSON.stringify(p.srcIp)}`;
    if (ctx0.passes?.includes(pass)) return;
    const ctx = { ...ctx0, firewalls: [...ctx0.firewalls, fw.name], passes: [...(ctx0.passes ?? []), pass] };
    const tcp = f.eq(p.proto, TCP);
    const net = this.firstMatch(fw.network, p);
    const decide = (fires: { rule: FirewallRule; cond: NodeId }[], mode: 'network' | 'application') => {
      for (const { rule, cond: c } of fires) {
        const at = f.and(cond, c, mode === 'application' ? tcp : f.TRUE);
        if (rule.action === 'Unknown') this.unknown(at);
        else if (rule.action === 'Allow') this.afterFirewall(fw, p, at, ctx, mode);
      }
    };
    decide(net.fires, 'network');
    const app = this.firstMatch(fw.application, p);
    decide(app.fires.map((x) => ({ rule: x.rule, cond: f.and(net.none, x.cond) })), 'application');
    // F4.2.7: the infrastructure collection after the application rules, then deny.
    const infra = f.and(net.none, app.none, this.matches(fw.infrastructure, p));
    this.afterFirewall(fw, p, f.and(cond, tcp, infra), ctx, 'application');
  }

  private afterFirewall(fw: FirewallModel, p: Packet, cond: NodeId, ctx: PathCtx, mode: 'network' | 'application'): void {
    const f = this.f;
    if (mode === 'network') {
      // F4.5.1-2: network rules keep the source for destinations in the SNAT private ranges.
      const exempt = f.member(p.dstIp, flat(fw.snatExempt));
      this.routeFrom(fw.nic, p, f.and(cond, exempt), { ...ctx, noSnat: [...ctx.noSnat, fw.name] });
      cond = f.and(cond, f.not(exempt));
    }
    // F4.5.1, F4.5.3: SNAT to the public IP toward the Internet, else to the private IP; the leg ends here.
    const relayed: PathCtx = { ...ctx, noSnat: [], legs: [...ctx.legs, { firewall: fw, src: p.srcIp, dst: p.dstIp, noSnat: ctx.noSnat }] };
    this.routeFrom(fw.nic, p, cond, relayed, (hop, q) => {
      const addr = hop.type === 'Internet' ? (fw.publicIps.isEmpty ? 0 : flat(fw.publicIps)[0]) : fw.privateIp;
      return { p: { ...q, srcIp: { value: addr } }, ctx: { ...relayed, depth: ctx.depth + 1 } };
    });
  }

  // ---- the Internet (F11) -----------------------------------------------------------------------------------

  private egress(sender: Nic, p: Packet, cond: NodeId, ctx: PathCtx): void {
    const f = this.f;
    const c = f.and(cond, f.member(p.dstIp, flat(this.net.adversary.publicSpace)));
    let addr: number | undefined;
    if (sender.kind === 'firewall') {
      const fw = this.net.firewalls.get(sender.firewall!)!;
      if (ctx.noSnat.includes(fw.name)) return; // F4.5.2: no SNAT, no Internet
      addr = fw.publicIps.isEmpty ? 0 : flat(fw.publicIps)[0];
    } else if (sender.subnet.natGateway) addr = sender.subnet.natGateway.publicIps.isEmpty ? 0 : flat(sender.subnet.natGateway.publicIps)[0];
    else if (sender.publicIp) addr = sender.publicIp.addr;
    else if (sender.subnet.defaultOutboundAccess.value && sender.kind !== 'gateway') addr = 0;
    if (addr === undefined) return;
    this.onInternet({ ...p, srcIp: { value: addr } }, c, ctx, this.net.vnets.get(sender.subnet.vnet)!.region);
  }

  onInternet(p: Packet, cond: NodeId, ctx: PathCtx, fromRegion: string | undefined): void {
    const f = this.f;
    let rest = cond;
    const take = (c: NodeId) => {
      const here = f.and(rest, c);
      rest = f.and(rest, f.not(c));
      return here;
    };
    for (const nic of this.net.nics) if (nic.publicIp) this.toPublicIp(nic, p, take(f.eq(p.dstIp, nic.publicIp.addr)), ctx);
    for (const fw of this.net.firewalls.values()) take(f.member(p.dstIp, flat(fw.publicIps))); // no DNAT rule: dropped
    for (const s of this.net.subnets.values()) if (s.natGateway) take(f.member(p.dstIp, flat(s.natGateway.publicIps))); // F11.4: no inbound
    rest = f.and(rest, f.member(p.dstIp, flat(this.net.adversary.publicSpace)));
    for (const c of this.net.names) {
      if (c.kind !== 'own' || !c.resource) continue;
      const res = this.net.resources.get(c.resource.name);
      if (res) this.paas(res, c.resource.groupId, p, take(f.eq(p.dstName, c.id)), { via: 'internet', region: fromRegion }, ctx);
    }
    for (const ext of this.net.externals.values()) if (!ext.onPremises) this.deliverReplied({ kind: 'external', name: ext.name }, take(f.member(p.dstIp, flat(ext.space))), p, ctx, undefined);
    this.deliverReplied({ kind: 'internet', name: p.dstName }, rest, p, ctx, undefined);
  }

  private toPublicIp(nic: Nic, p: Packet, cond: NodeId, ctx: PathCtx): void {
    const f = this.f;
    if (cond === f.FALSE) return;
    if (nic.publicIp!.sku === 'Standard' && !nic.nsg && !nic.subnet.nsg) return; // F11.1
    // F2.5.2: the reply must leave through the Internet route, i.e. the public IP.
    const back = f.or(...this.routes(nic.subnet, p.srcIp).filter((b) => b.hop.type === 'Internet').map((b) => b.cond));
    // F1.2.4: NSGs see the private address.
    this.arrive(nic, { ...p, dstIp: { value: flat(nic.addresses)[0] }, dstName: { value: 0 } }, f.and(cond, back), ctx);
  }

  // ---- PaaS (F5.3) and service endpoints (F2.8) ------------------------------------------------------------

  private paas(res: ResourceModel, groupId: string, p: Packet, cond: NodeId, src: { via: 'internet' | 'service-endpoint'; subnet?: SubnetModel; region?: string }, ctx: PathCtx): void {
    const f = this.f;
    if (cond === f.FALSE) return;
    const sink: Sink = { kind: 'paas-public', resource: res.name, groupId };
    // The last leg's reply goes back to the public address it came from; earlier legs are relayed back.
    const deliver = (c: NodeId) => this.deliverReplied(sink, c, p, ctx, undefined);
    if (!res.info) return this.unknown(cond);
    if (!res.publicNetworkAccess.enabled) return;
    if (res.info.aclModel === 'publicAccessOnly') return res.defaultAction.explicit ? this.unknown(cond) : deliver(cond);
    if (res.defaultAction.value === 'Allow') return deliver(cond);
    if (src.via === 'service-endpoint' && src.subnet && res.virtualNetworkRules.has(src.subnet.id)) return deliver(cond);
    if (src.via !== 'internet') return;
    let rest = cond;
    if (!res.ipRules.isEmpty) {
      const zero = f.eq(p.srcIp, 0);
      this.unknown(f.and(rest, zero));
      rest = f.and(rest, f.not(zero));
    }
    const admitted = f.and(rest, f.member(p.srcIp, flat(res.ipRules)));
    // F5.3.6: storage IP rules do not apply to callers from the account's own region.
    if (!(res.info.aclModel === 'storage' && src.region !== undefined && src.region === res.region)) deliver(admitted);
  }

  private serviceEndpoint(sender: Nic, service: string, p: Packet, cond: NodeId, ctx: PathCtx): void {
    const f = this.f;
    const policy = sender.subnet.serviceEndpointPolicy;
    let rest = cond;
    if (policy && service.startsWith('Microsoft.Storage')) {
      const allowed = this.net.names.filter((c) => c.kind === 'own' && c.resource && policy.resources.includes(c.resource.name)).map((c) => f.eq(p.dstName, c.id));
      rest = f.and(rest, f.or(...allowed));
    }
    for (const c of this.net.names) {
      if (c.kind !== 'own' || !c.resource) continue;
      const res = this.net.resources.get(c.resource.name);
      if (!res) continue;
      const here = f.eq(p.dstName, c.id);
      this.paas(res, c.resource.groupId, p, f.and(rest, here), { via: 'service-endpoint', subnet: sender.subnet }, ctx);
      rest = f.and(rest, f.not(here));
    }
    this.deliverReplied({ kind: 'internet', name: p.dstName }, rest, p, ctx, undefined);
  }

  // ---- arriving (F1.4, F1.9, F5.1, F4.6) ---------------------------------------------------------------------

  private arrive(nic: Nic, p: Packet, cond: NodeId, ctx: PathCtx): void {
    const f = this.f;
    if (cond === f.FALSE) return;
    if (nic.kind === 'firewall') {
      const fw = this.net.firewalls.get(nic.firewall!)!;
      if (fw.dnsProxy) this.deliver({ kind: 'nic', nic }, f.and(cond, f.eq(p.dstPort, 53), f.or(f.eq(p.proto, TCP), f.eq(p.proto, UDP))));
      return;
    }
    if (nic.kind === 'gateway') return;
    let c = cond;
    if (nic.kind === 'private-endpoint') {
      const policy = nic.subnet.privateEndpointNetworkPolicies.value;
      // F1.9.2-3: NSGs apply to PE traffic only with NSG policies on, and then ignore source ports.
      if (policy === 'Enabled' || policy === 'NetworkSecurityGroupEnabled') c = f.and(c, this.nsgChain(nic, 'Inbound', p, true));
      if (!nic.privateEndpoint!.approved) return; // F5.1.4
    } else c = f.and(c, this.nsgChain(nic, 'Inbound', p));
    this.deliverReplied({ kind: 'nic', nic }, c, p, ctx, nic);
  }

  /**
   * Delivered, if every leg's reply comes back (F1.5.1, F4.6, F2.7.4, F3.2, §8.4):
   * the last leg's from `last` (the interface reached; none for the Internet
   * and PaaS public endpoints, whose replies return to the public address they
   * were sent from), then each earlier leg's from the firewall that ended it.
   * The first leg whose reply cannot be followed makes the packet undecided.
   */
  private deliverReplied(sink: Sink, cond: NodeId, p: Packet, ctx: PathCtx, last: Nic | undefined): void {
    const f = this.f;
    if (cond === f.FALSE) return;
    const legs: { from: Nic; client: Term; replySrc: Term; expect: readonly string[] }[] = [];
    if (last) legs.push({ from: last, client: p.srcIp, replySrc: p.dstIp, expect: ctx.noSnat });
    for (let k = ctx.legs.length - 1; k >= 0; k--) {
      const leg = ctx.legs[k];
      legs.push({ from: leg.firewall.nic, client: leg.src, replySrc: leg.dst, expect: leg.noSnat });
    }
    let pass = cond;
    for (const l of legs) {
      const r = this.reply(l.from, l.client, l.replySrc, l.expect);
      this.unknown(f.and(pass, r.unknown));
      pass = f.and(pass, r.ok);
    }
    this.deliver(sink, pass);
  }

  /**
   * A reply's route-only path from `from` to `client`, with source `replySrc`
   * (NSGs let replies through, F1.5.1): it must cross exactly the firewalls in
   * `expect` (F4.6, F2.7.4) and enter a peered VNet only if it originated in
   * the VNet it leaves or the receiving link allows forwarded traffic (F3.2).
   * A reply addressed to the next hop itself arrives there; one routed to a
   * network virtual appliance cannot be followed.
   */
  private reply(from: Nic, client: Term, replySrc: Term, expect: readonly string[]): { ok: NodeId; unknown: NodeId } {
    const f = this.f;
    const ok: NodeId[] = [];
    const unknown: NodeId[] = [];
    const walk = (at: Nic, cond: NodeId, firewalls: string[], depth: number): void => {
      if (cond === f.FALSE) return;
      if (depth > MAX_DEPTH) {
        this.truncated = true;
        return;
      }
      const symmetric = () => expect.every((x) => firewalls.includes(x)) && firewalls.every((x) => expect.includes(x));
      for (const b of this.routes(at.subnet, client)) {
        const c = f.and(cond, b.cond);
        const gate = (to: string) => this.peeringGate(at.subnet.vnet, to, replySrc);
        switch (b.hop.type) {
          case 'VnetLocal':
          case 'VNetPeering':
          case 'InterfaceEndpoint': {
            const to = b.hop.type === 'VnetLocal' ? at.subnet.vnet : b.hop.type === 'VNetPeering' ? b.hop.peer : b.hop.vnet;
            if (symmetric()) ok.push(f.and(c, gate(to)));
            break;
          }
          case 'VirtualAppliance': {
            const ip = b.hop.ip;
            const vnets = [at.subnet.vnet, ...this.net.vnets.get(at.subnet.vnet)!.peerings.filter((l) => l.connected).map((l) => l.remote)];
            let target: Nic | undefined;
            for (const v of vnets) if ((target = this.nicsOf(v).find((n) => flat(n.addresses).some((x, i) => i % 2 === 0 && x <= ip && ip <= flat(n.addresses)[i + 1])))) break;
            if (!target) break;
            const entered = f.and(c, gate(target.subnet.vnet));
            const addressed = f.member(client, flat(target.addresses));
            if (symmetric()) ok.push(f.and(entered, addressed));
            const onward = f.and(entered, f.not(addressed));
            if (target.kind !== 'firewall') {
              if (target.ipForwarding) unknown.push(onward); // an NVA topo does not model
              break;
            }
            // A reply that meets a firewall twice loops: the reply's route depends on the client address only.
            if (firewalls.includes(target.firewall!)) break;
            walk(target, onward, [...firewalls, target.firewall!], depth + 1);
            break;
          }
          case 'None':
            break;
          default:
            if (symmetric()) ok.push(c);
        }
      }
    };
    walk(from, f.TRUE, [], 0);
    return { ok: f.or(...ok), unknown: f.or(...unknown) };
  }
}

/** User > BGP > system on equal prefixes; explicit-prefix UDRs before tag UDRs, regional tags first (F2.4.2, F2.4.4). */
function rank(route: RouteModel): number {
  if (route.source === 'user') {
    if (!route.tag) return 0;
    const t = route.tag.toLowerCase();
    const regional = t.includes('.');
    return t.startsWith('azurecloud') ? (regional ? 3 : 4) : regional ? 1 : 2;
  }
  return route.source === 'bgp' ? 5 : 6;
}

/** Which deliveries count as reaching the claim's destination, as a condition on the packet as sent. */
function acceptance(net: Network, claim: Claim, f: FormulaBuilder): (sink: Sink, p0: Packet) => NodeId {
  const to = claim.to;
  const nicSet = (nics: readonly Nic[]) => {
    const ids = new Set(nics.map((n) => n.id));
    return (sink: Sink) => f.bool(sink.kind === 'nic' && ids.has(sink.nic.id));
  };
  const adversarial = net.names.filter((c) => (claim.adversary === 'strict' ? c.adversarialStrict : c.adversarial)).map((c) => c.id);
  switch (to.kind) {
    case 'host':
      return nicSet(net.nics.filter((n) => n.id === `host:${to.name}`));
    case 'subnet':
      return nicSet(net.subnets.get(`${to.vnet}/${to.subnet}`)!.nics);
    case 'vnet':
      return nicSet(net.vnets.get(to.name)!.subnets.flatMap((s) => s.nics));
    case 'privateEndpoint':
      return nicSet(net.nics.filter((n) => n.id === `pe:${to.name}`));
    case 'external':
      return (sink) => f.bool(sink.kind === 'external' && sink.name === to.name);
    case 'internet': {
      const publicExternals = new Set([...net.externals.values()].filter((e) => !e.onPremises).map((e) => e.name));
      return (sink) => (sink.kind === 'internet' ? f.or(...adversarial.map((id) => f.eq(sink.name, id))) : f.bool(sink.kind === 'external' && publicExternals.has(sink.name)));
    }
    case 'cidr':
    case 'tag': {
      const range = (() => {
        if (to.kind === 'tag') {
          const e = net.catalog.lookup(to.tag);
          const ranges = e ? net.catalog.ranges(e) : [];
          const pub = flat(net.adversary.publicSpace);
          const out: number[] = [];
          for (const [lo, hi] of ranges) for (let i = 0; i < pub.length; i += 2) {
            const a = Math.max(lo, pub[i]);
            const b = Math.min(hi, pub[i + 1]);
            if (a <= b) out.push(a, b);
          }
          return out.sort((x, y) => x - y);
        }
        const [ip, len] = to.text.split('/');
        const base = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
        const size = 2 ** (32 - Number(len ?? 32));
        return [base, base + size - 1];
      })();
      return (sink, p0) => f.member(p0.dstIp, range);
    }
    case 'resource': {
      // The same endpoint reading as the scenario format's: private endpoints in reach for allows, else the public names.
      const res = net.resources.get(to.name)!;
      const sources = sourcesOf(net, claim.from);
      const dest = destinationOf(net, to, { forAllow: claim.kind === 'allow', sourceVnets: [...new Set(sources.flatMap((s) => (s.kind === 'nic' ? [s.nic.subnet.vnet] : [])))], sources });
      // An endpoint's region is its one address (carrying the resource's name, F5.2.1); a public endpoint's is the name's public addresses.
      const atEndpoint = (ips: IntervalSet) => res.privateEndpoints.some((pe) => ips.equals(IntervalSet.point(pe.ip)));
      const pes = new Set(res.privateEndpoints.filter((pe) => dest.regions.some((r) => r.ips.has(pe.ip))).map((pe) => pe.nicId));
      const groups = new Set([...res.publicNames].filter(([, id]) => dest.regions.some((r) => r.names.has(id) && !atEndpoint(r.ips))).map(([g]) => g));
      return (sink) => f.bool((sink.kind === 'nic' && pes.has(sink.nic.id)) || (sink.kind === 'paas-public' && sink.resource === res.name && groups.has(sink.groupId)));
    }
    default:
      return () => f.FALSE;
  }
}
