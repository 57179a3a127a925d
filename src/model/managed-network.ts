/**
 * Azure ML managed virtual networks (service-flows §2, models/azureml-managed-network.json).
 *
 * A workspace whose `managedNetwork.isolationMode` is AllowInternetOutbound or
 * AllowOnlyApprovedOutbound runs its compute in a VNet Microsoft owns. topo
 * compiles it as a clearly marked part of the network, made of the constructs
 * both engines already read, so that the simulator and the verifier need no
 * separate semantics for it:
 *   - VNet `managed:<ws>` (placeholder addresses that overlap nothing of the
 *     design: the VNet is peered with nothing), with subnets `compute`,
 *     `endpoints` and `AzureFirewallSubnet`;
 *   - host `managed:<ws>`: one interface standing for all the workspace's
 *     managed compute (instances, clusters, serverless);
 *   - a managed private endpoint per required or user PrivateEndpoint rule;
 *   - an egress program `managed:<ws>` reached by a 0.0.0.0/0 route, holding
 *     the required rules of the mode and the user's ServiceTag and FQDN rules,
 *     evaluated like Azure Firewall rules (first match, then a deny located at
 *     the isolation mode).
 * Every part is located at the `managedNetwork` YAML that made it, so every
 * verdict names the line that decided it.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import { PROTO } from '../headerspace/packet.js';
import { managedNetworkCatalog, type RequiredServiceTag, type WorkspaceAssociation } from '../catalog/azureml-managed-network.js';
import { canonicalGroupId, resourceType } from '../catalog/resource-types.js';
import type { ServiceTagCatalog } from '../catalog/service-tags.js';
import { formatIpv4, formatPrefix, parsePrefix, prefixLast, type Ipv4Prefix } from '../net/ipv4.js';
import { hasManagedNetwork } from '../scenario/endpoints.js';
import { builtinLoc, type Located, type SourceLoc } from '../scenario/source-loc.js';
import type { Host, ManagedOutboundRule, PrivateEndpoint, Resource, RouteTable, Scenario, Subnet, VNet, Firewall } from '../scenario/types.js';
import { ALL_ADDRESSES, prefixesSet, type AddressResolver } from './addresses.js';
import type { NameUniverse } from './names.js';
import { ALL_PORTS, ALL_PROTOCOLS, portSet, tupleBoxes } from './nsg.js';
import type { FirewallRule, ManagedMark, NameClass, RuleRef } from './types.js';

export type ManagedMode = 'AllowInternetOutbound' | 'AllowOnlyApprovedOutbound';

export interface ManagedEndpointPlan {
  readonly name: string;
  /** MVNET-0n for a required endpoint, else the user's rule name. */
  readonly rule: string;
  readonly resource: string;
  readonly groupId: string;
  readonly loc: SourceLoc;
}

/** One managed network as compiled parts: names, addresses, and what made each part. */
export interface ManagedNetworkPlan {
  readonly workspace: string;
  readonly mark: ManagedMark;
  readonly mode: ManagedMode;
  readonly modeLoc: SourceLoc;
  readonly region: string;
  readonly space: Ipv4Prefix;
  readonly vnet: string;
  readonly computeSubnet: string;
  readonly host: string;
  readonly firewall: string;
  readonly endpoints: readonly ManagedEndpointPlan[];
  /** The user's outbound rules the mode honours (ServiceTag and FQDN rules in approved-only mode). */
  readonly rules: readonly ManagedOutboundRule[];
}

export interface Desugared {
  /** The input with every managed network's VNet, route table, egress, host and private endpoints added. */
  readonly scenario: Scenario;
  readonly plans: ReadonlyMap<string, ManagedNetworkPlan>;
}

const located = <T>(value: T, loc: SourceLoc): Located<T> => ({ value, loc });

/** `managed:<ws>`: the names of a managed network's VNet, host and egress (no Azure name holds ':'). */
export function managedName(workspace: string): string {
  return `managed:${workspace}`;
}

function usedSpace(s: Scenario): IntervalSet {
  let used = IntervalSet.EMPTY;
  const add = (text: string) => {
    const p = parsePrefix(text.trim());
    if (p.ok) used = used.union(IntervalSet.of(p.prefix.addr, prefixLast(p.prefix)));
  };
  for (const v of s.vnets.values()) for (const a of v.addressSpace) add(a.value);
  for (const g of s.virtualNetworkGateways.values()) for (const a of g.remoteAddressPrefixes) add(a.value);
  for (const e of s.externals.values()) for (const a of e.addressPrefixes) add(a.value);
  return used;
}

/**
 * A private /16 the design does not use. The managed VNet's addresses are
 * Microsoft's and never meet the design's (no peering), so any free range
 * stands for them; a free one keeps CIDR intents and witnesses unambiguous.
 */
function freeSpace(used: IntervalSet): Ipv4Prefix {
  const candidates: string[] = [];
  for (let i = 255; i >= 0; i--) candidates.push(`10.${i}.0.0/16`);
  for (let i = 31; i >= 16; i--) if (i !== 17) candidates.push(`172.${i}.0.0/16`); // 172.17/16 is the Docker bridge (S4, S9)
  candidates.push('192.168.0.0/16');
  for (const c of candidates) {
    const p = parsePrefix(c);
    if (p.ok && !used.intersects(IntervalSet.of(p.prefix.addr, prefixLast(p.prefix)))) return p.prefix;
  }
  throw new Error('topo: the design uses every private /16; no placeholder range is left for a managed network');
}

/** A private endpoint the managed network creates, and the rule that asks for it. */
type EndpointRule = Omit<ManagedEndpointPlan, 'name'>;

function associated(r: Resource, target: WorkspaceAssociation): Located<string> | undefined {
  return target === 'workspace' ? located(r.name, r.loc) : r[target];
}

/** Required private endpoints (MVNET-01..05): always in approved-only mode; in Internet mode only to resources with public access Disabled (S6 §2.1). */
function requiredEndpoints(s: Scenario, ws: Resource, mode: ManagedMode, modeLoc: SourceLoc): EndpointRule[] {
  const out: EndpointRule[] = [];
  for (const req of managedNetworkCatalog().requiredPrivateEndpoints) {
    const target = associated(ws, req.target);
    const res = target ? s.resources.get(target.value) : undefined;
    if (!target || !res) continue;
    if (mode === 'AllowInternetOutbound' && res.publicNetworkAccess?.value !== 'Disabled') continue;
    out.push({ rule: req.id, resource: res.name, groupId: req.groupId, loc: req.target === 'workspace' ? modeLoc : target.loc });
  }
  return out;
}

function userEndpoints(s: Scenario, rules: Iterable<ManagedOutboundRule>): EndpointRule[] {
  const out: EndpointRule[] = [];
  for (const r of rules) {
    if (r.type.value !== 'PrivateEndpoint') continue;
    const res = s.resources.get(r.destination.value);
    const info = res ? resourceType(res.type.value) : undefined;
    if (!res || !r.subresourceTarget) continue;
    const groupId = info ? canonicalGroupId(info, r.subresourceTarget.value) ?? r.subresourceTarget.value : r.subresourceTarget.value;
    out.push({ rule: r.name, resource: res.name, groupId, loc: r.loc });
  }
  return out;
}

export function desugarManagedNetworks(s: Scenario): Desugared {
  const plans = new Map<string, ManagedNetworkPlan>();
  const workspaces = [...s.resources.values()].filter(hasManagedNetwork);
  if (workspaces.length === 0) return { scenario: s, plans };
  const vnets = new Map(s.vnets);
  const routeTables = new Map(s.routeTables);
  const firewalls = new Map(s.firewalls);
  const hosts = new Map(s.hosts);
  const privateEndpoints = new Map(s.privateEndpoints);
  let used = usedSpace(s);
  for (const ws of workspaces) {
    const mn = ws.managedNetwork!;
    const mode = mn.isolationMode!.value as ManagedMode;
    const modeLoc = mn.isolationMode!.loc;
    const mark: ManagedMark = { workspace: ws.name, loc: mn.loc };
    const space = freeSpace(used);
    used = used.union(IntervalSet.of(space.addr, prefixLast(space)));
    const name = managedName(ws.name);
    const region = (ws.region?.value ?? s.region?.value ?? '').toLowerCase();
    const at = (offset: number) => formatIpv4(space.addr + offset);
    const subnet = (sub: string, prefix: string, extra: Partial<Subnet> = {}): Subnet => ({
      name: sub,
      vnet: name,
      id: `${name}/${sub}`,
      loc: mn.loc,
      addressPrefixes: [located(prefix, mn.loc)],
      // Explicitly off: the only way out is the egress program.
      defaultOutboundAccess: located(false, mn.loc),
      serviceEndpoints: [],
      serviceEndpointPolicies: [],
      ...extra,
    });
    const fwIp = at(2 * 256 + 4);
    const compute = subnet('compute', `${at(0)}/24`, { routeTable: located(name, modeLoc) });
    const endpointsSubnet = subnet('endpoints', `${at(256)}/24`);
    const fwSubnet = subnet('AzureFirewallSubnet', `${at(2 * 256)}/26`);
    const vnet: VNet = {
      name,
      loc: mn.loc,
      addressSpace: [located(formatPrefix(space), mn.loc)],
      region: located(region, mn.loc),
      dnsServers: [],
      subnets: new Map([compute, endpointsSubnet, fwSubnet].map((x) => [x.name, x])),
      peerings: new Map(),
    };
    vnets.set(name, vnet);
    const table: RouteTable = {
      name,
      loc: modeLoc,
      disableBgpRoutePropagation: located(true, modeLoc),
      routes: [{ table: name, name: 'egress', loc: modeLoc, addressPrefix: located('0.0.0.0/0', modeLoc), nextHopType: located('VirtualAppliance', modeLoc), nextHopIpAddress: located(fwIp, modeLoc) }],
    };
    routeTables.set(name, table);
    const fw: Firewall = { name, loc: modeLoc, vnet: located(name, modeLoc), privateIpAddress: located(fwIp, modeLoc), publicIpAddresses: [] };
    firewalls.set(name, fw);
    const host: Host = { name, loc: mn.loc, subnet: located(compute.id, mn.loc), privateIpAddress: located(at(4), mn.loc), applicationSecurityGroups: [], role: located('amlManagedCompute', mn.loc) };
    hosts.set(name, host);
    const endpoints: ManagedEndpointPlan[] = [];
    const seen = new Set<string>();
    const honoured = mode === 'AllowOnlyApprovedOutbound' ? [...mn.outboundRules.values()] : [...mn.outboundRules.values()].filter((r) => r.type.value === 'PrivateEndpoint');
    for (const e of [...requiredEndpoints(s, ws, mode, modeLoc), ...userEndpoints(s, honoured)]) {
      // One endpoint per sub-resource: a user rule repeating a required one adds nothing (F5.2.5: one record per resource).
      const key = `${e.resource}|${e.groupId.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const peName = `${name}/${e.rule}`;
      const pe: PrivateEndpoint = {
        name: peName,
        loc: e.loc,
        subnet: located(endpointsSubnet.id, e.loc),
        privateIpAddress: located(at(256 + 4 + endpoints.length), e.loc),
        resource: located(e.resource, e.loc),
        groupId: located(e.groupId, e.loc),
        applicationSecurityGroups: [],
      };
      privateEndpoints.set(peName, pe);
      endpoints.push({ name: peName, ...e });
    }
    plans.set(ws.name, {
      workspace: ws.name,
      mark,
      mode,
      modeLoc,
      region,
      space,
      vnet: name,
      computeSubnet: compute.id,
      host: name,
      firewall: name,
      endpoints,
      rules: honoured.filter((r) => r.type.value !== 'PrivateEndpoint'),
    });
  }
  return { scenario: { ...s, vnets, routeTables, firewalls, hosts, privateEndpoints }, plans };
}

// ---------------------------------------------------------------------------
// The egress program

export interface ManagedEgress {
  readonly network: FirewallRule[];
  readonly application: FirewallRule[];
  readonly defaultDeny: RuleRef;
  /** A managed network has no built-in infrastructure collection: outbound is only through its rules (S6 §2.1). */
  readonly infrastructure: FirewallRule;
  /** What stays undecided, for reports. */
  readonly unknowns: string[];
}

const TCP = IntervalSet.point(PROTO.TCP);

function protocolsOf(p: string): IntervalSet {
  switch (p.trim().toLowerCase()) {
    case 'tcp':
      return TCP;
    case 'udp':
      return IntervalSet.point(PROTO.UDP);
    case 'icmp':
      return IntervalSet.point(PROTO.ICMP);
    default:
      return ALL_PROTOCOLS;
  }
}

/** `80, 8080-8089` (one ARM string) as a port set; `*` or nothing is every port. */
export function managedPortRanges(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return ['*'];
  return text.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

/** Storage name classes: FQDN rules cannot reach Azure Storage in approved-only mode (S6). */
function storageClasses(names: NameUniverse): IntervalSet {
  const info = resourceType('Microsoft.Storage/storageAccounts')!;
  const suffixes = Object.values(info.groups).flatMap((g) => g.fqdns.map((t) => t.slice(t.indexOf('.'))));
  const isStorage = (c: NameClass) => {
    const text = c.literal ?? c.suffix;
    return text !== undefined && suffixes.some((x) => text.endsWith(x));
  };
  return IntervalSet.fromRanges(names.classes.filter(isStorage).map((c) => [c.id, c.id] as [number, number]));
}

export function managedEgress(plan: ManagedNetworkPlan, resolver: AddressResolver, names: NameUniverse, catalog: ServiceTagCatalog): ManagedEgress {
  const ws = plan.workspace;
  const src = prefixesSet([plan.space]);
  const network: FirewallRule[] = [];
  const application: FirewallRule[] = [];
  // Undecided parts go last: a packet another rule allows is allowed whatever the undecided rule would say.
  const undecidedTcp: FirewallRule[] = [];
  const undecidedOther: FirewallRule[] = [];
  const unknowns: string[] = [
    `MVNET-15: inbound to the managed compute is Microsoft-managed (S6 lists an inbound AzureMachineLearning rule without a port): intents to managed:${ws} are unknown`,
    `the managed network's public egress addresses are Microsoft's and not in the scenario: IP rules of resources reached over the Internet cannot be checked against them`,
  ];
  // Labels start with the id, as firewall rule labels do: `<ws>/managedNetwork/<collection>/<name> (what it admits)`.
  const ref = (collection: string, name: string, what: string, loc: SourceLoc): RuleRef => ({ kind: 'firewall-rule', id: `${ws}/managedNetwork/${collection}/${name}`, label: `${ws}/managedNetwork/${collection}/${name} (${what})`, loc });
  const defaultDeny: RuleRef = { kind: 'firewall-default', id: `${ws}/managedNetwork/isolationMode/${plan.mode}`, label: `${ws}/managedNetwork/isolationMode/${plan.mode} (no outbound rule admits it, S6)`, loc: plan.modeLoc };
  const infrastructure: FirewallRule = { kind: 'application', action: 'Allow', ref: { kind: 'firewall-infrastructure', id: 'infrastructure', label: 'none: a managed network has no built-in infrastructure rules (S6)', loc: builtinLoc('managed-network') }, boxes: [] };

  if (plan.mode === 'AllowInternetOutbound') {
    network.push({
      kind: 'network',
      action: 'Allow',
      ref: ref('isolationMode', plan.mode, 'all outbound to the Internet is allowed, S6', plan.modeLoc),
      boxes: tupleBoxes(ALL_PROTOCOLS, src, ALL_PORTS, ALL_ADDRESSES, ALL_PORTS),
    });
    return { network, application, defaultDeny, infrastructure, unknowns };
  }

  for (const t of managedNetworkCatalog().requiredServiceTags) requiredTagRule(t);
  const storage = storageClasses(names);
  for (const r of plan.rules) {
    if (r.type.value === 'ServiceTag') {
      const ports = managedPortRanges(r.portRanges?.value);
      const protocol = r.protocol?.value ?? '*';
      const dst = resolver.address(r.destination, undefined, false);
      network.push({ kind: 'network', action: 'Allow', ref: ref('outboundRules', r.name, `ServiceTag ${r.destination.value} ${protocol} ${ports.join(',')}`, r.loc), boxes: tupleBoxes(protocolsOf(protocol), src, ALL_PORTS, dst, portSet(ports)) });
    } else if (r.type.value === 'FQDN') {
      // FQDN rules are Azure Firewall application rules on 80 and 443 only (S6).
      const allowedPorts = IntervalSet.fromRanges(managedNetworkCatalog().fqdnRules.ports.map((p) => [p, p] as [number, number]));
      const ports = r.portRanges ? portSet(managedPortRanges(r.portRanges.value)).intersect(allowedPorts) : allowedPorts;
      const classes = names.matchPattern(r.destination.value);
      const id = ref('outboundRules', r.name, `FQDN ${r.destination.value}`, r.loc);
      application.push({ kind: 'application', action: 'Allow', ref: id, boxes: tupleBoxes(TCP, src, ALL_PORTS, ALL_ADDRESSES, ports, classes.subtract(storage)) });
      const toStorage = classes.intersect(storage);
      if (!toStorage.isEmpty) {
        const reason = `${id.id} names Azure Storage (${r.destination.value}): ${managedNetworkCatalog().fqdnRules.storageUnsupported}`;
        undecidedTcp.push({ kind: 'application', action: 'Unknown', ref: id, boxes: tupleBoxes(TCP, src, ALL_PORTS, ALL_ADDRESSES, ports, toStorage), unknownReason: reason });
        unknowns.push(reason);
      }
    }
  }
  return { network: [...network, ...undecidedOther], application: [...application, ...undecidedTcp], defaultDeny, infrastructure, unknowns };

  function requiredTagRule(t: RequiredServiceTag): void {
    const protocols = t.protocol === '*' ? ALL_PROTOCOLS : t.protocol === 'Tcp' ? TCP : IntervalSet.point(PROTO.UDP);
    const ports = portSet(t.ports);
    const regional = t.regionOnly && plan.region ? catalog.regional(t.tag, plan.region) : undefined;
    const whole = resolver.catalogTag(t.tag);
    const allowed = t.regionOnly ? (regional ? resolver.catalogTag(regional.name) : IntervalSet.EMPTY) : whole;
    const what = `${t.regionOnly ? regional?.name ?? `${t.tag} (no region known)` : t.tag} ${t.protocol === '*' ? 'any protocol' : t.protocol.toUpperCase()} ${t.ports.join(',')}`;
    const id = ref('required', t.id, `${what}, created by isolationMode AllowOnlyApprovedOutbound, S6`, plan.modeLoc);
    network.push({ kind: 'network', action: 'Allow', ref: id, boxes: tupleBoxes(protocols, src, ALL_PORTS, allowed, ports) });
    if (t.regionOnly) {
      const rest = whole.subtract(allowed);
      const reason = `${id.id}: ${t.regionOnly}`;
      const rule: FirewallRule = { kind: protocols.equals(TCP) ? 'application' : 'network', action: 'Unknown', ref: id, boxes: tupleBoxes(protocols, src, ALL_PORTS, rest, ports), unknownReason: reason };
      // Application rules see TCP only, after every network rule: a TCP-only undecided part waits there.
      (protocols.equals(TCP) ? undecidedTcp : undecidedOther).push(rule);
      unknowns.push(reason);
    }
  }
}
