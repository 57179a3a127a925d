/**
 * buildDiagram(network, results): the compiled network as nested boxes in
 * the Azure convention (VNet > subnet > hosts, private endpoints, the
 * firewall and gateways), PaaS resources, externals and the Internet at the
 * edge, peerings and private links as edges, and one overlay per intent.
 * The output is sorted by id everywhere, so equal inputs give equal pictures.
 */
import { formatIpv4, formatPrefix } from '../net/ipv4.js';
import type { FirewallModel, Network, Nic, PeeringLink, ResourceModel, SubnetModel, VNetModel } from '../model/types.js';
import type { SourceLoc } from '../scenario/source-loc.js';
import type { VerifyResults } from '../verify/results.js';
import { collapseSpokes, DEFAULT_COLLAPSE_THRESHOLD } from './collapse.js';
import { buildOverlays, type ElementIndex } from './overlay.js';
import type { Badge, Detail, Diagram, DiagramEdge, DiagramNode, NodeKind } from './types.js';

export interface DiagramOptions {
  /** Only these intents get overlays (default: all). */
  readonly intents?: readonly string[];
  /** Collapse identical spokes when the design has more VNets than this (default 20); Infinity never collapses. */
  readonly collapseAbove?: number;
  /** Simulate one representative packet for passing intents (default true). */
  readonly representativePaths?: boolean;
}

/** Mutable while building; handed out as DiagramNode. */
export interface MutableNode {
  id: string;
  kind: NodeKind;
  label: string;
  sublabel?: string;
  loc?: SourceLoc;
  parent?: string;
  children: MutableNode[];
  badges: Badge[];
  details: Detail[];
  aliases: string[];
  collapsed?: { count: number; members: string[] };
}

export interface MutableEdge {
  id: string;
  kind: DiagramEdge['kind'];
  source: string;
  target: string;
  label?: string;
  loc?: SourceLoc;
  details: Detail[];
  aliases: string[];
}

/** Hover lists stay readable: at most this many rule lines per element. */
const MAX_DETAIL_LINES = 40;

export const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function capped(lines: Detail[]): Detail[] {
  if (lines.length <= MAX_DETAIL_LINES) return lines;
  return [...lines.slice(0, MAX_DETAIL_LINES - 1), { text: `... and ${lines.length - MAX_DETAIL_LINES + 1} more` }];
}

function node(id: string, kind: NodeKind, label: string, extra: Partial<MutableNode> = {}): MutableNode {
  return { id, kind, label, children: [], badges: [], details: [], aliases: [], ...extra };
}

function prefixesText(list: readonly { addr: number; len: number }[]): string {
  return list.map(formatPrefix).join(', ');
}

// ---------------------------------------------------------------------------
// Hover text

function subnetBadges(net: Network, s: SubnetModel): Badge[] {
  const badges: Badge[] = [];
  if (s.nsg) {
    const rules: Detail[] = [];
    for (const direction of ['Inbound', 'Outbound'] as const) {
      const program = net.nsgProgram(s.nsg.name, direction, s);
      for (const r of program.rules) if (r.ref.kind === 'nsg-rule') rules.push({ text: `${direction.toLowerCase()} ${r.access.toLowerCase()}: ${r.ref.label}`, loc: r.ref.loc });
    }
    rules.push({ text: 'then the default rules (AllowVnet*, AllowAzureLoadBalancerInBound, AllowInternetOutBound, Deny*)' });
    badges.push({ kind: 'nsg', label: s.nsg.name, loc: s.nsg.loc, details: capped(rules) });
  }
  if (s.routeTable) {
    const seen = new Set<string>();
    const routes: Detail[] = [];
    for (const e of s.routes.entries) {
      if (e.route.source !== 'user' || seen.has(e.route.ref.id)) continue;
      seen.add(e.route.ref.id);
      routes.push({ text: e.route.ref.label, loc: e.route.ref.loc });
    }
    routes.sort((a, b) => (a.loc && b.loc ? a.loc.line - b.loc.line : 0) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    if (routes.length === 0) routes.push({ text: 'no user routes' });
    badges.push({ kind: 'route-table', label: s.routeTable.name, loc: s.routeTable.loc, details: capped(routes) });
  }
  if (s.natGateway) badges.push({ kind: 'nat-gateway', label: s.natGateway.name, loc: s.natGateway.loc, details: [{ text: `NAT gateway ${s.natGateway.name}: outbound Internet traffic leaves through its public IPs`, loc: s.natGateway.loc }] });
  return badges;
}

function subnetDetails(s: SubnetModel): Detail[] {
  const d: Detail[] = [{ text: `subnet ${s.id} ${prefixesText(s.prefixes)}`, loc: s.loc }];
  if (s.special) d.push({ text: `${s.special}: reserved for the Azure service of that name` });
  if (s.nsg) d.push({ text: `network security group ${s.nsg.name}`, loc: s.nsg.loc });
  else d.push({ text: 'no network security group' });
  if (s.routeTable) d.push({ text: `route table ${s.routeTable.name}`, loc: s.routeTable.loc });
  if (s.natGateway) d.push({ text: `NAT gateway ${s.natGateway.name}`, loc: s.natGateway.loc });
  d.push({ text: `defaultOutboundAccess ${s.defaultOutboundAccess.value}${s.defaultOutboundAccess.explicit ? '' : ' (default)'}`, loc: s.defaultOutboundAccess.loc });
  for (const se of s.serviceEndpoints) d.push({ text: `service endpoint ${se.service}`, loc: se.loc });
  if (s.serviceEndpointPolicy) d.push({ text: `service endpoint policy: ${s.serviceEndpointPolicy.resources.join(', ')}`, loc: s.serviceEndpointPolicy.loc });
  return d;
}

function nicDetails(net: Network, n: Nic): Detail[] {
  const d: Detail[] = [{ text: n.label, loc: n.loc }];
  if (n.nsg) {
    d.push({ text: `NIC network security group ${n.nsg.name}`, loc: n.nsg.loc });
    for (const direction of ['Inbound', 'Outbound'] as const) {
      for (const r of net.nsgProgram(n.nsg.name, direction, n.subnet).rules) if (r.ref.kind === 'nsg-rule') d.push({ text: `${direction.toLowerCase()} ${r.access.toLowerCase()}: ${r.ref.label}`, loc: r.ref.loc });
    }
  }
  if (n.asgs.length) d.push({ text: `application security groups: ${n.asgs.join(', ')}` });
  if (n.publicIp) d.push({ text: `public IP ${formatIpv4(n.publicIp.addr)} (${n.publicIp.sku})`, loc: n.publicIp.loc });
  if (n.ipForwarding && n.kind === 'host') d.push({ text: 'IP forwarding enabled' });
  if (n.role) d.push({ text: `role ${n.role}` });
  if (n.privateEndpoint) {
    const pe = n.privateEndpoint;
    d.push({ text: `-> ${pe.resource}/${pe.groupId}, connection ${pe.state}`, loc: pe.loc });
  }
  return capped(d);
}

function firewallDetails(fw: FirewallModel): Detail[] {
  const d: Detail[] = [{ text: `Azure Firewall ${fw.name}, private IP ${formatIpv4(fw.privateIp)}`, loc: fw.loc }];
  if (!fw.publicIps.isEmpty) d.push({ text: `public IPs ${[...fw.publicIps.intervals()].map(([lo, hi]) => (lo === hi ? formatIpv4(lo) : `${formatIpv4(lo)}-${formatIpv4(hi)}`)).join(', ')}` });
  if (fw.policy) d.push({ text: `policy ${fw.policy}` });
  for (const r of [...fw.dnat, ...fw.network, ...fw.application]) d.push({ text: `${r.kind} ${r.action.toLowerCase()}: ${r.ref.label}`, loc: r.ref.loc });
  d.push({ text: fw.defaultDeny.label, loc: fw.defaultDeny.loc });
  return capped(d);
}

function resourceDetails(r: ResourceModel): Detail[] {
  const d: Detail[] = [{ text: `${r.info?.label ?? r.type} ${r.name} (${r.type})`, loc: r.loc }];
  d.push({ text: `publicNetworkAccess ${r.publicNetworkAccess.enabled ? 'Enabled' : 'Disabled'}${r.publicNetworkAccess.explicit ? '' : ' (default)'}`, loc: r.publicNetworkAccess.loc });
  if (r.publicNetworkAccess.enabled) d.push({ text: `networkAcls.defaultAction ${r.defaultAction.value}${r.defaultAction.explicit ? '' : ' (default)'}`, loc: r.defaultAction.loc });
  if (r.bypass.length) d.push({ text: `bypass ${r.bypass.join(', ')}` });
  if (!r.ipRules.isEmpty) d.push({ text: 'IP rules', loc: r.ipRulesLoc });
  for (const [subnet, loc] of [...r.virtualNetworkRules].sort(([a], [b]) => (a < b ? -1 : 1))) d.push({ text: `virtual network rule ${subnet}`, loc });
  for (const pe of [...r.privateEndpoints].sort((a, b) => (a.name < b.name ? -1 : 1))) d.push({ text: `private endpoint ${pe.name} (${pe.groupId}, ${pe.state})`, loc: pe.loc });
  return capped(d);
}

function peeringDetails(link: PeeringLink): Detail[] {
  const flag = (name: string, f: { value: boolean; explicit: boolean; loc: SourceLoc }): Detail => ({ text: `  ${name} ${f.value}${f.explicit ? '' : ' (default)'}`, loc: f.explicit ? f.loc : undefined });
  return [
    { text: `peering ${link.local}/${link.name} -> ${link.remote}${link.connected ? '' : ' (one-sided: the remote VNet does not peer back, so it carries no traffic)'}`, loc: link.loc },
    flag('allowVirtualNetworkAccess', link.allowVirtualNetworkAccess),
    flag('allowForwardedTraffic', link.allowForwardedTraffic),
    flag('allowGatewayTransit', link.allowGatewayTransit),
    flag('useRemoteGateways', link.useRemoteGateways),
  ];
}

// ---------------------------------------------------------------------------
// Nodes

function nicNode(net: Network, n: Nic, parent: string): MutableNode | undefined {
  const ip = n.addresses.isEmpty ? undefined : formatIpv4(n.addresses.min);
  switch (n.kind) {
    case 'host':
      return node(`nic:${n.id}`, 'host', n.name, { sublabel: ip, loc: n.loc, parent, details: nicDetails(net, n), badges: n.nsg ? [{ kind: 'nsg', label: n.nsg.name, loc: n.nsg.loc, details: [] }] : [] });
    case 'private-endpoint': {
      const pe = n.privateEndpoint!;
      return node(`nic:${n.id}`, 'private-endpoint', n.name, { sublabel: `${ip} -> ${pe.groupId}`, loc: n.loc, parent, details: nicDetails(net, n) });
    }
    case 'firewall': {
      const fw = net.firewalls.get(n.firewall ?? n.name);
      return node(`firewall:${n.name}`, 'firewall', n.name, { sublabel: `Azure Firewall ${ip ?? ''}`.trim(), loc: n.loc, parent, aliases: [`nic:${n.id}`], details: fw ? firewallDetails(fw) : [{ text: n.label, loc: n.loc }] });
    }
    case 'gateway': {
      const gw = net.gateways.get(n.name);
      const details: Detail[] = [{ text: n.label, loc: n.loc }];
      if (gw?.remotePrefixes.length) details.push({ text: `on-premises prefixes ${prefixesText(gw.remotePrefixes)}` });
      if (gw?.bgp) details.push({ text: 'BGP enabled' });
      return node(`gateway:${n.name}`, 'gateway', n.name, { sublabel: `${gw?.type ?? ''} gateway`.trim(), loc: n.loc, parent, aliases: [`nic:${n.id}`], details });
    }
    case 'subnet':
      return undefined;
  }
}

function subnetNode(net: Network, s: SubnetModel): MutableNode {
  const id = `subnet:${s.id}`;
  const n = node(id, 'subnet', s.name, { sublabel: prefixesText(s.prefixes), loc: s.loc, parent: `vnet:${s.vnet}`, badges: subnetBadges(net, s), details: subnetDetails(s) });
  for (const nic of s.nics) {
    if (nic.kind === 'subnet') n.aliases.push(`nic:${nic.id}`);
    else {
      const child = nicNode(net, nic, id);
      if (child) n.children.push(child);
    }
  }
  // Gateways serve the whole GatewaySubnet: compile gives them no NIC when the subnet is missing, nothing to draw then.
  n.children.sort(byId);
  return n;
}

function vnetNode(net: Network, v: VNetModel): MutableNode {
  const id = `vnet:${v.name}`;
  const details: Detail[] = [{ text: `virtual network ${v.name} ${prefixesText(v.prefixes)} (${v.region})`, loc: v.loc }];
  for (const p of [...v.peerings].sort((a, b) => (a.name < b.name ? -1 : 1))) details.push({ text: `peering ${p.name} -> ${p.remote}${p.connected ? '' : ' (one-sided)'}`, loc: p.loc });
  const n = node(id, 'vnet', v.name, { sublabel: prefixesText(v.prefixes), loc: v.loc, details });
  for (const s of [...v.subnets].sort((a, b) => (a.id < b.id ? -1 : 1))) n.children.push(subnetNode(net, s));
  n.children.sort(byId);
  return n;
}

// ---------------------------------------------------------------------------
// Edges

function peeringEdges(net: Network): MutableEdge[] {
  const pairs = new Map<string, PeeringLink[]>();
  for (const v of net.vnets.values()) {
    for (const link of v.peerings) {
      const [a, b] = [link.local, link.remote].sort();
      const key = `${a}~${b}`;
      pairs.set(key, [...(pairs.get(key) ?? []), link]);
    }
  }
  const degree = new Map<string, number>();
  for (const key of pairs.keys()) for (const v of key.split('~')) degree.set(v, (degree.get(v) ?? 0) + 1);
  const edges: MutableEdge[] = [];
  for (const [key, links] of pairs) {
    links.sort((x, y) => (`${x.local}/${x.name}` < `${y.local}/${y.name}` ? -1 : 1));
    const connected = links.some((l) => l.connected) && new Set(links.map((l) => l.local)).size === 2;
    let [a, b] = key.split('~');
    if (!net.vnets.has(a) || !net.vnets.has(b)) continue;
    const details = links.flatMap(peeringDetails);
    const aliases = links.map((l) => `peering:${l.local}/${l.name}`);
    if (connected) {
      // Drawn from the spoke to the hub (more peerings), the way traffic leaves a spoke.
      if ((degree.get(a) ?? 0) > (degree.get(b) ?? 0)) [a, b] = [b, a];
      edges.push({ id: `peering:${key}`, kind: 'peering', source: `vnet:${a}`, target: `vnet:${b}`, loc: links[0].loc, details, aliases });
    } else {
      const link = links[0];
      edges.push({ id: `peering:${key}`, kind: 'peering-one-sided', source: `vnet:${link.local}`, target: `vnet:${link.remote}`, label: `one-sided: ${link.name}`, loc: link.loc, details, aliases });
    }
  }
  return edges;
}

function privateLinkEdges(net: Network, nodes: ReadonlySet<string>): MutableEdge[] {
  const edges: MutableEdge[] = [];
  for (const pe of net.privateEndpoints.values()) {
    const source = `nic:${pe.nicId}`;
    const target = `resource:${pe.resource}`;
    if (!nodes.has(source) || !nodes.has(target)) continue;
    edges.push({
      id: `private-link:${pe.name}`,
      kind: 'private-link',
      source,
      target,
      label: pe.groupId,
      loc: pe.loc,
      details: [{ text: `private endpoint ${pe.name} -> ${pe.resource}/${pe.groupId} (${pe.state})`, loc: pe.loc }],
      aliases: [],
    });
  }
  return edges;
}

function gatewayEdges(net: Network, nodes: ReadonlySet<string>): MutableEdge[] {
  const edges: MutableEdge[] = [];
  for (const ext of net.externals.values()) {
    if (!ext.onPremises) continue;
    for (const gw of net.gateways.values()) {
      if (!gw.remote.intersects(ext.space) || !nodes.has(`gateway:${gw.name}`)) continue;
      edges.push({
        id: `gateway-link:${gw.name}~${ext.name}`,
        kind: 'gateway-link',
        source: `gateway:${gw.name}`,
        target: `external:${ext.name}`,
        label: gw.type === 'ExpressRoute' ? 'ExpressRoute' : 'VPN',
        loc: gw.loc,
        details: [{ text: `${ext.name} is on premises behind ${gw.type} gateway ${gw.name}`, loc: gw.loc }],
        aliases: [],
      });
    }
  }
  return edges;
}

// ---------------------------------------------------------------------------

function indexNodes(roots: readonly MutableNode[]): ElementIndex {
  const nodes = new Map<string, MutableNode>();
  const alias = new Map<string, string>();
  const visit = (n: MutableNode) => {
    nodes.set(n.id, n);
    for (const a of n.aliases) alias.set(a, n.id);
    n.children.forEach(visit);
  };
  roots.forEach(visit);
  return {
    has: (id) => nodes.has(id),
    resolve: (id) => (nodes.has(id) ? id : alias.get(id)),
    parentOf: (id) => nodes.get(id)?.parent,
    kindOf: (id) => nodes.get(id)?.kind,
    edgeFor: () => undefined,
  };
}

export function buildDiagram(net: Network, results: VerifyResults | undefined, options: DiagramOptions = {}): Diagram {
  const roots: MutableNode[] = [];
  for (const v of net.vnets.values()) roots.push(vnetNode(net, v));
  for (const r of net.resources.values()) roots.push(node(`resource:${r.name}`, 'resource', r.name, { sublabel: r.info?.label ?? r.type.split('/').pop(), loc: r.loc, details: resourceDetails(r) }));
  for (const e of net.externals.values()) {
    const written = net.scenario.externals.get(e.name);
    const prefixes = written ? written.addressPrefixes.map((p) => p.value).join(', ') : '';
    roots.push(node(`external:${e.name}`, 'external', e.name, { sublabel: prefixes, loc: e.loc, details: [{ text: `external ${e.name} ${prefixes}${e.onPremises ? ' (on premises)' : ' (public)'}`, loc: e.loc }] }));
  }
  roots.push(node('internet', 'internet', 'Internet', { sublabel: 'public addresses outside the design', details: [{ text: 'the Internet: every public address the design does not own, and foreign tenants of multi-tenant Azure services (the adversary)' }] }));
  roots.sort(byId);

  const index = indexNodes(roots);
  const nodeIds = new Set<string>();
  const collect = (n: MutableNode) => {
    nodeIds.add(n.id);
    n.children.forEach(collect);
  };
  roots.forEach(collect);

  const edges: MutableEdge[] = [...peeringEdges(net), ...privateLinkEdges(net, nodeIds), ...gatewayEdges(net, nodeIds)];
  const edgeAlias = new Map<string, string>();
  for (const e of edges) for (const a of e.aliases) edgeAlias.set(a, e.id);
  const elements: ElementIndex = { ...index, edgeFor: (id) => edgeAlias.get(id) };

  const wanted = options.intents;
  // `require:` intents verify as several claims named `<intent> <flow>`.
  const intentResults = (results?.intents ?? []).filter((r) => !wanted || wanted.some((w) => r.name === w || r.name.startsWith(`${w} `)));
  const { overlays, pathEdges } = buildOverlays(net, intentResults, elements, { representativePaths: options.representativePaths ?? true });
  edges.push(...pathEdges);

  const threshold = options.collapseAbove ?? DEFAULT_COLLAPSE_THRESHOLD;
  const collapsed = collapseSpokes(net, roots, edges, overlays, elements, threshold);

  collapsed.roots.sort(byId);
  collapsed.edges.sort(byId);
  return {
    title: net.scenario.name,
    scenario: net.scenario.name,
    ...(net.scenario.description ? { description: net.scenario.description } : {}),
    files: net.scenario.files,
    region: net.region,
    roots: collapsed.roots,
    edges: collapsed.edges,
    intents: overlays,
    collapse: { groups: collapsed.groups, vnets: collapsed.vnets, threshold },
  };
}

/** Every node of the tree, depth first in id order. */
export function allNodes(roots: readonly DiagramNode[]): DiagramNode[] {
  const out: DiagramNode[] = [];
  const visit = (n: DiagramNode) => {
    out.push(n);
    n.children.forEach(visit);
  };
  roots.forEach(visit);
  return out;
}
