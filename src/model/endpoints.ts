/**
 * Intent endpoints in the compiled network: where packets of `from:` start,
 * which packets `to:` covers, and which deliveries count as reaching it.
 * Shared by `topo trace`, the verifier and the reports, so that all of them
 * read `from`/`to` the same way.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import type { Box } from '../headerspace/box.js';
import { PacketSet } from '../headerspace/packet-set.js';
import { DIM } from '../headerspace/packet.js';
import { parsePrefix, prefixLast } from '../net/ipv4.js';
import type { EndpointRef } from '../scenario/endpoints.js';
import { ALL_NAMES, ALL_PORTS, ALL_PROTOCOLS } from './nsg.js';
import { lookupRoute } from './routes.js';
import type { Network, Nic, NameClass, PrivateEndpointModel, ResourceModel, SubnetModel } from './types.js';

/** Where a delivered packet ended up. */
export type Sink =
  | { readonly kind: 'nic'; readonly nicId: string }
  | { readonly kind: 'private-endpoint'; readonly nicId: string; readonly resource: string; readonly groupId: string }
  | { readonly kind: 'paas-public'; readonly resource: string; readonly groupId: string }
  | { readonly kind: 'internet' }
  | { readonly kind: 'external'; readonly name: string }
  | { readonly kind: 'on-premises'; readonly gateway: string }
  | { readonly kind: 'platform' };

export type Adversary = 'default' | 'strict';

export type SourceSpec =
  | { readonly kind: 'nic'; readonly nic: Nic; readonly ips: IntervalSet }
  | { readonly kind: 'internet'; readonly ips: IntervalSet }
  | { readonly kind: 'on-premises'; readonly gateway: string; readonly ips: IntervalSet };

export interface DestSpec {
  readonly label: string;
  /** The packets the destination covers, as (addresses x name classes) boxes of the dst dimensions. */
  readonly regions: readonly { readonly ips: IntervalSet; readonly names: IntervalSet }[];
  accepts(sink: Sink, dstIp: number, dstName: number, adversary: Adversary): boolean;
  /** The part of a set of packets delivered to `sink` that reaches this destination. */
  acceptedPart(sink: Sink, set: PacketSet, adversary: Adversary): PacketSet;
  /** The unknown reason, when the destination cannot be decided at all. */
  readonly unknown?: string;
  /**
   * Where packets from the Internet address the destination, when that differs
   * from `regions`: interfaces are reached at their public entry points (their
   * public IPs, firewall DNAT addresses), never at private addresses (scenario-format, F1.2.4).
   */
  readonly internetRegions?: readonly { readonly ips: IntervalSet; readonly names: IntervalSet }[];
}

export class EndpointError extends Error {}

function refSet(text: string): IntervalSet {
  const p = parsePrefix(text.trim());
  if (!p.ok) throw new EndpointError(`'${text}' is not a CIDR`);
  return IntervalSet.of(p.prefix.addr, prefixLast(p.prefix));
}

/**
 * What decides where packets leave a subnet's interfaces for, NSGs aside: its
 * VNet and route table, NAT gateway and default outbound access (F2, F11).
 * Undefined for subnets whose packets carry the subnet itself to PaaS
 * (service endpoints, F2.8.1) and for special subnets: no two of those leave
 * alike. Interfaces with the same exit and NSGs and no public IP of their own
 * behave the same given their address, which is what lets analyses of every
 * source start them together.
 */
export function exitOf(s: SubnetModel): string | undefined {
  if (s.serviceEndpoints.length > 0 || s.special) return undefined;
  return `${s.vnet}|${s.routeTable?.name ?? ''}|${s.natGateway?.name ?? ''}|${s.defaultOutboundAccess.value}`;
}

/**
 * The class of interfaces a host or subnet interface behaves like given its address: the same exit and the
 * same subnet and NIC NSGs. Undefined for other interfaces, for those with a public IP of their own and for
 * subnets without an exit of their class (exitOf).
 */
export function interfaceClass(nic: Nic): string | undefined {
  if ((nic.kind !== 'host' && nic.kind !== 'subnet') || nic.publicIp) return undefined;
  const exit = exitOf(nic.subnet);
  return exit === undefined ? undefined : `${exit}|${nic.subnet.nsg?.name ?? ''}|${nic.nsg?.name ?? ''}`;
}

/** Packets of the design's own interfaces start at each NIC; private endpoints start nothing (F5.1.5). */
export function sourcesOf(net: Network, ref: EndpointRef): SourceSpec[] {
  const nicSources = (nics: readonly Nic[]) => nics.filter((n) => n.kind !== 'private-endpoint' && n.kind !== 'gateway').map((nic): SourceSpec => ({ kind: 'nic', nic, ips: nic.addresses }));
  switch (ref.kind) {
    case 'host':
      return nicSources(net.nics.filter((n) => n.id === `host:${ref.name}`));
    case 'subnet':
      return nicSources(net.subnets.get(`${ref.vnet}/${ref.subnet}`)!.nics);
    case 'vnet':
      return nicSources(net.vnets.get(ref.name)!.subnets.flatMap((s) => s.nics));
    case 'privateEndpoint':
      return [];
    case 'internet':
      // Addresses only intents name, and Microsoft's fixed hosts, are not anonymous Internet sources: their uncertainty stays with the claims about them.
      return [{ kind: 'internet', ips: net.adversary.publicSpace.subtract(net.adversary.ownPublic).subtract(net.adversary.claimOnly) }];
    case 'tag': {
      const ips = tagAddresses(net, ref.tag);
      return [{ kind: 'internet', ips: ips.intersect(net.adversary.publicSpace) }];
    }
    case 'external': {
      const ext = net.externals.get(ref.name)!;
      if (!ext.onPremises) return [{ kind: 'internet', ips: ext.space.intersect(net.adversary.publicSpace) }];
      return [...net.gateways.values()].filter((g) => g.remote.intersects(ext.space)).map((g): SourceSpec => ({ kind: 'on-premises', gateway: g.name, ips: ext.space.intersect(g.remote) }));
    }
    case 'managed':
      return nicSources([net.managedNetworks.get(ref.workspace)!.compute]);
    case 'cidr': {
      const ips = refSet(ref.text);
      const out: SourceSpec[] = [];
      for (const nic of net.nics) {
        // A managed network's placeholder addresses are no addresses of the design (managed-network.ts).
        if (nic.kind === 'private-endpoint' || nic.kind === 'gateway' || nic.managed) continue;
        const mine = nic.addresses.intersect(ips);
        if (!mine.isEmpty) out.push({ kind: 'nic', nic, ips: mine });
      }
      const pub = ips.intersect(net.adversary.publicSpace).subtract(net.adversary.ownPublic);
      if (!pub.isEmpty) out.push({ kind: 'internet', ips: pub });
      for (const g of net.gateways.values()) {
        const onPrem = g.remote.intersect(ips);
        if (!onPrem.isEmpty) out.push({ kind: 'on-premises', gateway: g.name, ips: onPrem });
      }
      return out;
    }
    case 'resource':
    case 'fqdn':
    case 'service':
      return [];
  }
}

export function tagAddresses(net: Network, tag: string): IntervalSet {
  const entry = net.catalog.lookup(tag);
  if (!entry) return IntervalSet.EMPTY;
  return IntervalSet.fromRanges(net.catalog.ranges(entry).map((r) => [r[0], r[1]] as [number, number]));
}

/** Splits an address set by the name classes that can be addressed there (a public packet always carries a name). */
export function regionsFor(net: Network, ips: IntervalSet): { ips: IntervalSet; names: IntervalSet }[] {
  const out: { ips: IntervalSet; names: IntervalSet }[] = [];
  const byRegion = new Map<string, { ips: IntervalSet; names: number[] }>();
  for (const c of net.names) {
    const part = ips.intersect(c.ipRegion);
    if (part.isEmpty) continue;
    const key = part.data.join(',');
    const hit = byRegion.get(key);
    if (hit) hit.names.push(c.id);
    else byRegion.set(key, { ips: part, names: [c.id] });
  }
  for (const { ips: part, names } of byRegion.values()) out.push({ ips: part, names: IntervalSet.fromRanges(names.map((n) => [n, n] as [number, number])) });
  return out;
}

export function isAdversarial(c: NameClass | undefined, adversary: Adversary): boolean {
  if (!c) return true;
  return adversary === 'strict' ? c.adversarialStrict : c.adversarial;
}

/** The workspace whose managed network holds all the sources, if they are its compute. */
export function managedSource(sources: readonly SourceSpec[] | undefined): string | undefined {
  const first = sources?.[0];
  return first?.kind === 'nic' ? first.nic.managed?.workspace : undefined;
}

/**
 * The private endpoints a source can use: the design's own, or for the
 * compute of a managed network that network's managed endpoints (and only
 * those: the managed VNet is peered with nothing).
 */
export function endpointsFor(res: ResourceModel, workspace: string | undefined): PrivateEndpointModel[] {
  return workspace === undefined ? res.privateEndpoints : res.managedPrivateEndpoints.filter((p) => p.managed?.workspace === workspace);
}

/** Private endpoints of a resource for the intent's group(s); the one "in reach" of a source VNet first. */
export function resourceGroups(net: Network, name: string, groupId?: string, workspace?: string): string[] {
  const res = net.resources.get(name)!;
  if (groupId) return [res.info ? Object.keys(res.info.groups).find((g) => g.toLowerCase() === groupId.toLowerCase()) ?? groupId : groupId];
  const used = [...new Set(endpointsFor(res, workspace).map((p) => p.groupId))];
  if (used.length > 0) return used;
  return res.info ? [...res.info.publicGroups] : [];
}

/**
 * Whether a source can address a private endpoint at all: the Internet never
 * can (F5.1.6: its clients resolve the public name); a VNet source can when
 * its subnet has a route for the endpoint's address that leads somewhere
 * (not None, not the Internet: an unpeered VNet's private range is None,
 * F2.1.5); on-premises clients are taken to reach it through their gateway.
 */
export function privateEndpointInReach(s: SourceSpec, pe: { readonly ip: number; readonly managed?: { readonly workspace: string } }): boolean {
  if (s.kind === 'internet') return false;
  if (s.kind === 'on-premises') return pe.managed === undefined;
  if (s.nic.managed?.workspace !== pe.managed?.workspace) return false;
  const hop = lookupRoute(s.nic.subnet.routes, pe.ip)?.route.nextHop.type;
  return hop !== undefined && hop !== 'None' && hop !== 'Internet';
}

export interface DestinationOptions {
  readonly forAllow: boolean;
  readonly sourceVnets: readonly string[];
  /** The sources of the claim: an allow uses only private endpoints in reach of one of them. */
  readonly sources?: readonly SourceSpec[];
  /** The claim's adversary (default `default`): an allow to `internet` covers only the names it counts. */
  readonly adversary?: Adversary;
}

const internetDests = new WeakMap<Network, Map<Adversary, DestSpec>>();

/**
 * The destination. For allow intents to a resource (`forAllow`), packets go
 * the way the resource's clients go: through a private endpoint in reach of
 * the source (in the source's VNet or a peered one first), else its public
 * endpoint (scenario-format, "An allow to a resource").
 */
export function destinationOf(net: Network, ref: EndpointRef, opts: DestinationOptions): DestSpec {
  const nicDest = (label: string, nics: readonly Nic[]): DestSpec => {
    let ips = IntervalSet.EMPTY;
    for (const n of nics) ips = ips.union(n.addresses);
    const ids = new Set(nics.map((n) => n.id));
    const accepts = (sink: Sink) => (sink.kind === 'nic' || sink.kind === 'private-endpoint') && ids.has(sink.nicId);
    let entry = IntervalSet.EMPTY;
    for (const n of nics) if (n.publicIp) entry = entry.union(IntervalSet.point(n.publicIp.addr));
    for (const fw of net.firewalls.values()) if (fw.dnat.some((r) => r.translate && ips.has(r.translate.addr))) entry = entry.union(fw.publicIps);
    const internetRegions = entry.isEmpty ? undefined : [{ ips: entry, names: IntervalSet.point(0) }];
    return { label, regions: [{ ips, names: IntervalSet.point(0) }], accepts, acceptedPart: (sink, set) => (accepts(sink) ? set : PacketSet.EMPTY), ...(internetRegions ? { internetRegions } : {}) };
  };
  const ipDest = (label: string, ips: IntervalSet): DestSpec => ({
    label,
    regions: regionsFor(net, ips),
    accepts: (sink, dstIp) => sink.kind !== 'platform' && ips.has(dstIp),
    acceptedPart: (sink, set) => (sink.kind === 'platform' ? PacketSet.EMPTY : set.restrict(DIM.dstIp, ips)),
  });
  switch (ref.kind) {
    case 'host':
      return nicDest(ref.name, net.nics.filter((n) => n.id === `host:${ref.name}`));
    case 'subnet':
      return nicDest(`${ref.vnet}/${ref.subnet}`, net.subnets.get(`${ref.vnet}/${ref.subnet}`)!.nics);
    case 'vnet':
      return nicDest(ref.name, net.vnets.get(ref.name)!.subnets.flatMap((s) => s.nics));
    case 'privateEndpoint':
      return nicDest(ref.name, net.nics.filter((n) => n.id === `pe:${ref.name}`));
    case 'managed': {
      // MVNET-15 (S6): Microsoft manages what reaches the compute; the port of its one inbound rule is not stated.
      const mn = net.managedNetworks.get(ref.workspace)!;
      return { ...nicDest(`managed:${ref.workspace}`, [mn.compute]), unknown: `inbound to the managed compute of ${ref.workspace} is Microsoft-managed: S6 lists an inbound AzureMachineLearning rule (MVNET-15) without its port, and clients reach compute instances through the workspace, not the network` };
    }
    case 'external': {
      const ext = net.externals.get(ref.name)!;
      const accepts = (sink: Sink) => sink.kind === 'external' && sink.name === ref.name;
      return { label: `external ${ref.name}`, regions: regionsFor(net, ext.space), accepts, acceptedPart: (sink, set) => (accepts(sink) ? set : PacketSet.EMPTY) };
    }
    case 'tag': {
      // A tag names a service: the design's own resources behind it are `to: <resource>` claims, reached their own way.
      const ips = tagAddresses(net, ref.tag).intersect(net.adversary.publicSpace);
      const own = IntervalSet.fromRanges(net.names.filter((c) => c.kind === 'own').map((c) => [c.id, c.id] as [number, number]));
      const d = ipDest(`tag:${ref.tag}`, ips);
      return { ...d, regions: d.regions.map((r) => ({ ips: r.ips, names: r.names.subtract(own) })).filter((r) => !r.names.isEmpty) };
    }
    case 'service': {
      const ids = net.names.filter((c) => c.managed === ref.id);
      const names = IntervalSet.fromRanges(ids.map((c) => [c.id, c.id] as [number, number]));
      return {
        label: `service:${ref.id}`,
        regions: ids.map((c) => ({ ips: c.ipRegion.intersect(net.adversary.publicSpace), names: IntervalSet.point(c.id) })),
        accepts: (sink, _ip, name) => sink.kind === 'internet' && names.has(name),
        acceptedPart: (sink, set) => (sink.kind === 'internet' ? set.restrict(DIM.dstName, names) : PacketSet.EMPTY),
      };
    }
    case 'fqdn': {
      // Packets addressed to the name: its class, at the addresses names of that class resolve to.
      const cls = net.classOfName(ref.name);
      const c = net.names[cls];
      const names = IntervalSet.point(cls);
      const accepts = (sink: Sink) => sink.kind === 'internet' || sink.kind === 'paas-public' || sink.kind === 'external';
      return {
        label: `fqdn:${ref.name}`,
        regions: [{ ips: c.ipRegion.intersect(net.adversary.publicSpace), names }],
        accepts: (sink, _ip, name) => accepts(sink) && name === cls,
        acceptedPart: (sink, set) => (accepts(sink) ? set.restrict(DIM.dstName, names) : PacketSet.EMPTY),
      };
    }
    case 'cidr': {
      const ips = refSet(ref.text);
      const d = ipDest(ref.text, ips);
      // The Internet reaches a private address only through the design's entry points (a public IP, a
      // DNAT rule, F4.5.5): a packet counts when it ends at an interface whose address the CIDR holds,
      // whatever it was sent to, so `deny: {from: internet, to: 10.0.1.4/32}` sees a DNAT rule to it.
      const inside = net.nics.filter((n) => !n.addresses.isEmpty && n.addresses.subtract(ips).isEmpty);
      const entry = inside.length ? nicDest(ref.text, inside) : undefined;
      if (!entry?.internetRegions) return d;
      return {
        ...d,
        internetRegions: [...d.regions, ...entry.internetRegions],
        accepts: (sink, dstIp, name, adversary) => entry.accepts(sink, dstIp, name, adversary) || d.accepts(sink, dstIp, name, adversary),
        acceptedPart: (sink, set, adversary) => (entry.accepts(sink, 0, 0, adversary) ? set : d.acceptedPart(sink, set, adversary)),
      };
    }
    case 'internet': {
      // The same for every claim with this adversary, and a design has a claim per subnet: built once per network.
      const adversaryOf = opts.adversary ?? 'default';
      let known = internetDests.get(net);
      if (!known) internetDests.set(net, (known = new Map()));
      const hit = known.get(adversaryOf);
      if (hit) return hit;
      const publicExternals = new Set([...net.externals.values()].filter((e) => !e.onPremises).map((e) => e.name));
      const regions: { ips: IntervalSet; names: IntervalSet }[] = [];
      for (const c of net.names) {
        if (c.kind === 'none' || c.kind === 'own') continue;
        // The Internet is every destination the adversary counts; a first-party name it does not count is no part of it.
        if (!isAdversarial(c, adversaryOf)) continue;
        const ips = c.ipRegion.intersect(net.adversary.publicSpace);
        if (!ips.isEmpty) regions.push({ ips, names: IntervalSet.point(c.id) });
      }
      const adversarialNames = (adversary: Adversary) => IntervalSet.fromRanges(net.names.filter((c) => isAdversarial(c, adversary)).map((c) => [c.id, c.id] as [number, number]));
      const byMode = { default: adversarialNames('default'), strict: adversarialNames('strict') };
      const dest: DestSpec = {
        label: 'internet',
        regions,
        accepts: (sink, _ip, name, adversary) => (sink.kind === 'internet' && isAdversarial(net.names[name], adversary)) || (sink.kind === 'external' && publicExternals.has(sink.name)),
        acceptedPart: (sink, set, adversary) => (sink.kind === 'internet' ? set.restrict(DIM.dstName, byMode[adversary]) : sink.kind === 'external' && publicExternals.has(sink.name) ? set : PacketSet.EMPTY),
      };
      known.set(adversaryOf, dest);
      return dest;
    }
    case 'resource': {
      const res = net.resources.get(ref.name)!;
      const workspace = managedSource(opts.sources);
      const groups = resourceGroups(net, ref.name, ref.groupId, workspace);
      if (!res.info) return { label: ref.name, regions: [], accepts: () => false, acceptedPart: () => PacketSet.EMPTY, unknown: `${ref.name} is a ${res.type}, which topo does not model` };
      const regions: { ips: IntervalSet; names: IntervalSet }[] = [];
      const accepted = new Set<string>();
      for (const g of groups) {
        const pes = endpointsFor(res, workspace).filter((p) => p.groupId === g);
        let chosen = pes;
        if (opts.forAllow) {
          const inReach = opts.sources ? pes.filter((p) => opts.sources!.some((s) => privateEndpointInReach(s, p))) : pes;
          const near = inReach.filter((p) => opts.sourceVnets.includes(net.nicById.get(p.nicId)!.subnet.vnet));
          const peered = inReach.filter((p) => opts.sourceVnets.some((v) => net.vnets.get(v)!.peerings.some((l) => l.connected && l.remote === net.nicById.get(p.nicId)!.subnet.vnet)));
          chosen = near.length ? near.slice(0, 1) : peered.length ? peered.slice(0, 1) : inReach.slice(0, 1);
        }
        const publicName = res.publicNames.get(g);
        // Clients connect by the resource's own name, which private DNS resolves to the endpoint (F5.2.1); TLS
        // carries it, so a firewall on the way matches it with application rules (F4.4.2, F2.7.4). A deny also
        // covers packets sent to the bare address.
        const viaEndpoint = publicName === undefined ? IntervalSet.point(0) : opts.forAllow ? IntervalSet.point(publicName) : IntervalSet.of(0, 0).union(IntervalSet.point(publicName));
        for (const pe of chosen) {
          regions.push({ ips: IntervalSet.point(pe.ip), names: viaEndpoint });
          accepted.add(`pe:${pe.nicId}`);
        }
        if (publicName !== undefined && (!opts.forAllow || chosen.length === 0)) {
          regions.push({ ips: net.names[publicName].ipRegion, names: IntervalSet.point(publicName) });
          accepted.add(`paas:${g}`);
        }
      }
      const accepts = (sink: Sink) => (sink.kind === 'private-endpoint' && accepted.has(`pe:${sink.nicId}`)) || (sink.kind === 'paas-public' && sink.resource === ref.name && accepted.has(`paas:${sink.groupId}`));
      return { label: ref.groupId ? `${ref.name}/${ref.groupId}` : ref.name, regions, accepts, acceptedPart: (sink, set) => (accepts(sink) ? set : PacketSet.EMPTY) };
    }
  }
}

/** The header boxes of a flow: protocols x source addresses x ports x destination regions. */
export function flowBoxes(src: IntervalSet, dest: DestSpec, protocols: IntervalSet, dstPorts: IntervalSet, srcPorts: IntervalSet): Box[] {
  const out: Box[] = [];
  const ported = protocols.intersect(IntervalSet.fromRanges([[6, 6], [17, 17]]));
  const portless = protocols.subtract(ported);
  for (const r of dest.regions) {
    if (!ported.isEmpty) out.push([ported, src, srcPorts, r.ips, dstPorts, r.names]);
    if (!portless.isEmpty) out.push([portless, src, IntervalSet.point(0), r.ips, IntervalSet.point(0), r.names]);
  }
  return out;
}

export { ALL_NAMES, ALL_PORTS, ALL_PROTOCOLS };
