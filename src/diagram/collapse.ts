/**
 * Readability at size: when a design has more VNets than a threshold, spokes
 * with identical structure are drawn as one box with a count.
 *
 * A spoke is a VNet peered with exactly one other VNet, holding no firewall
 * or gateway. Two spokes have identical structure when they peer with the
 * same VNet the same way (both sides, same flags) and have the same subnets:
 * names, prefix lengths, whether an NSG, route table and NAT gateway is
 * attached, and the same kinds of interfaces (hosts, private endpoints to the
 * same resource type and sub-resource, public IPs). Names of NSGs, route
 * tables and hosts may differ. Spokes that an intent's path, blockers or
 * endpoints touch are never collapsed, so every overlay stays visible.
 *
 * The group box shows the first spoke (by name) as its representative; its
 * edges stand for the same edges of every member, with a count.
 */
import type { Network, Nic, VNetModel } from '../model/types.js';
import type { MutableEdge, MutableNode } from './build.js';
import type { ElementIndex } from './overlay.js';
import type { Badge, Detail, IntentOverlay } from './types.js';

export const DEFAULT_COLLAPSE_THRESHOLD = 20;
/** Smallest group worth a box of its own. */
const MIN_GROUP = 2;

function nicKey(n: Nic, net: Network): string {
  const pe = n.privateEndpoint;
  const res = pe ? net.resources.get(pe.resource) : undefined;
  return [n.kind, pe ? `${res?.type ?? '?'}/${pe.groupId}` : '', n.publicIp ? `pip-${n.publicIp.sku}` : '', n.nsg ? 'nic-nsg' : ''].join('|');
}

/** The sorted drawable NICs of a subnet, with their structural keys. */
function drawnNics(net: Network, nics: readonly Nic[]): { nic: Nic; key: string }[] {
  return nics
    .filter((n) => n.kind === 'host' || n.kind === 'private-endpoint')
    .map((nic) => ({ nic, key: nicKey(nic, net) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.nic.id < b.nic.id ? -1 : 1));
}

function peersOf(net: Network, v: VNetModel): Set<string> {
  const peers = new Set(v.peerings.map((l) => l.remote));
  for (const other of net.vnets.values()) if (other.peerings.some((l) => l.remote === v.name)) peers.add(other.name);
  return peers;
}

/** The structure of a spoke, or undefined when the VNet is not a collapsible spoke. */
export function spokeSignature(net: Network, v: VNetModel): string | undefined {
  const peers = peersOf(net, v);
  if (peers.size !== 1) return undefined;
  if (v.subnets.some((s) => s.nics.some((n) => n.kind === 'firewall' || n.kind === 'gateway'))) return undefined;
  const [peer] = peers;
  const flags = (l: VNetModel['peerings'][number]) => [l.connected, l.allowVirtualNetworkAccess.value, l.allowForwardedTraffic.value, l.allowGatewayTransit.value, l.useRemoteGateways.value].map(String).join(',');
  const links = [...v.peerings.map((l) => `out:${flags(l)}`), ...(net.vnets.get(peer)?.peerings.filter((l) => l.remote === v.name).map((l) => `in:${flags(l)}`) ?? [])].sort();
  const subnets = [...v.subnets]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((s) => ({
      name: s.name,
      lens: s.prefixes.map((p) => p.len),
      nsg: !!s.nsg,
      rt: !!s.routeTable,
      nat: !!s.natGateway,
      out: s.defaultOutboundAccess.value,
      se: s.serviceEndpoints.map((e) => e.service).sort(),
      nics: drawnNics(net, s.nics).map((n) => n.key),
    }));
  return JSON.stringify({ peer, links, space: v.prefixes.map((p) => p.len), subnets });
}

function vnetOf(id: string, elements: ElementIndex): string | undefined {
  for (let cur: string | undefined = elements.resolve(id) ?? id; cur !== undefined; cur = elements.parentOf(cur)) if (cur.startsWith('vnet:')) return cur.slice('vnet:'.length);
  return undefined;
}

/** VNets an overlay touches. */
function pinnedVnets(net: Network, overlays: readonly IntentOverlay[], elements: ElementIndex): Set<string> {
  const pinned = new Set<string>();
  const pinElement = (id: string) => {
    if (id.startsWith('peering:')) {
      for (const v of id.slice('peering:'.length).split('~')) pinned.add(v);
      return;
    }
    if (id.startsWith('path:')) {
      const [a, b] = id.slice('path:'.length).split('~');
      pinElement(a);
      pinElement(b);
      return;
    }
    const v = vnetOf(id, elements);
    if (v !== undefined) pinned.add(v);
  };
  const pinEndpoint = (text: string) => {
    const head = text.split('/')[0];
    if (net.vnets.has(head)) pinned.add(head);
    const nic = net.nics.find((n) => (n.kind === 'host' || n.kind === 'private-endpoint') && n.name === text);
    if (nic) pinned.add(nic.subnet.vnet);
  };
  for (const o of overlays) {
    for (const id of [...o.nodes, ...o.edges, ...o.blocking]) pinElement(id);
    for (const h of o.hops) if (h.element !== undefined) pinElement(h.element);
    for (const b of o.blockers) if (b.element !== undefined) pinElement(b.element);
    for (const id of [o.endpoints.from, o.endpoints.to]) if (id !== undefined) pinElement(id);
    pinEndpoint(o.from);
    pinEndpoint(o.to);
  }
  return pinned;
}

function relabelBadges(rep: MutableNode, members: readonly MutableNode[]): void {
  const kinds: Badge['kind'][] = ['nsg', 'route-table', 'nat-gateway'];
  rep.badges = rep.badges.map((b) => {
    if (!kinds.includes(b.kind)) return b;
    const names = new Set(members.map((m) => m.badges.find((x) => x.kind === b.kind)?.label ?? ''));
    return names.size > 1 ? { ...b, label: `${b.label} +${names.size - 1}` } : b;
  });
}

export interface CollapseResult {
  roots: MutableNode[];
  edges: MutableEdge[];
  groups: number;
  vnets: number;
}

export function collapseSpokes(net: Network, roots: MutableNode[], edges: MutableEdge[], overlays: readonly IntentOverlay[], elements: ElementIndex, threshold: number): CollapseResult {
  if (net.vnets.size <= threshold) return { roots, edges, groups: 0, vnets: 0 };
  const pinned = pinnedVnets(net, overlays, elements);
  const bySignature = new Map<string, VNetModel[]>();
  for (const v of [...net.vnets.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (pinned.has(v.name)) continue;
    const sig = spokeSignature(net, v);
    if (sig === undefined) continue;
    bySignature.set(sig, [...(bySignature.get(sig) ?? []), v]);
  }
  const groups = [...bySignature.values()].filter((g) => g.length >= MIN_GROUP);
  if (groups.length === 0) return { roots, edges, groups: 0, vnets: 0 };

  const rootById = new Map(roots.map((r) => [r.id, r]));
  /** Element id of a member -> the element drawing it. */
  const remap = new Map<string, string>();
  const removed = new Set<string>();
  const groupNodes: MutableNode[] = [];
  let collapsedVnets = 0;

  for (const members of groups) {
    const rep = members[0];
    const last = members[members.length - 1];
    const groupId = `vnets:${rep.name}+${members.length - 1}`;
    const repNode = rootById.get(`vnet:${rep.name}`)!;
    const memberNodes = members.map((m) => rootById.get(`vnet:${m.name}`)!);
    collapsedVnets += members.length;

    const details: Detail[] = [
      { text: `${members.length} spoke VNets with identical structure, drawn once (the subnets and interfaces shown are ${rep.name}'s):` },
      ...members.map((m) => ({ text: `virtual network ${m.name}`, loc: m.loc })),
    ];
    const group: MutableNode = {
      ...repNode,
      id: groupId,
      kind: 'vnet-group',
      label: `${rep.name} ... ${last.name}`,
      sublabel: `${members.length} VNets like ${rep.name}`,
      details: details.length > 41 ? [...details.slice(0, 40), { text: `... and ${details.length - 40} more` }] : details,
      aliases: members.map((m) => `vnet:${m.name}`),
      collapsed: { count: members.length, members: members.map((m) => m.name) },
      children: repNode.children.map((s) => ({ ...s, parent: groupId })),
    };
    for (const s of group.children) {
      const same = memberNodes.map((m) => m.children.find((x) => x.label === s.label)).filter((x): x is MutableNode => x !== undefined);
      relabelBadges(s, same);
    }
    groupNodes.push(group);

    for (const m of members) {
      removed.add(`vnet:${m.name}`);
      remap.set(`vnet:${m.name}`, groupId);
      if (m === rep) continue;
      const repSubnets = new Map(rep.subnets.map((s) => [s.name, s]));
      for (const s of m.subnets) {
        const rs = repSubnets.get(s.name)!;
        remap.set(`subnet:${s.id}`, `subnet:${rs.id}`);
        const mine = drawnNics(net, s.nics);
        const theirs = drawnNics(net, rs.nics);
        mine.forEach((n, i) => remap.set(`nic:${n.nic.id}`, `nic:${theirs[i].nic.id}`));
      }
    }
  }

  // PaaS resources reached only through one group's private endpoints collapse with it.
  const pinnedResources = new Set(overlays.flatMap((o) => [...o.nodes, ...o.blocking, o.endpoints.from, o.endpoints.to]).filter((id): id is string => id?.startsWith('resource:') === true));
  for (const members of groups) {
    const names = new Set(members.map((m) => m.name));
    const byType = new Map<string, string[]>();
    for (const r of [...net.resources.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (r.privateEndpoints.length === 0 || pinnedResources.has(`resource:${r.name}`)) continue;
      const vnets = r.privateEndpoints.map((pe) => net.nicById.get(pe.nicId)?.subnet.vnet);
      if (!vnets.every((v) => v !== undefined && names.has(v))) continue;
      byType.set(r.type, [...(byType.get(r.type) ?? []), r.name]);
    }
    for (const list of byType.values()) {
      if (list.length < MIN_GROUP) continue;
      const first = rootById.get(`resource:${list[0]}`);
      if (!first) continue;
      const id = `resources:${list[0]}+${list.length - 1}`;
      const details: Detail[] = [
        { text: `${list.length} resources (${first.sublabel ?? 'PaaS'}) reached only from the spokes of this group:` },
        ...list.map((name) => ({ text: name, loc: net.resources.get(name)!.loc })),
      ];
      groupNodes.push({
        ...first,
        id,
        label: `${list[0]} ... ${list[list.length - 1]}`,
        sublabel: first.sublabel,
        details: details.length > 41 ? [...details.slice(0, 40), { text: `... and ${details.length - 40} more` }] : details,
        aliases: list.map((name) => `resource:${name}`),
        collapsed: { count: list.length, members: list },
      });
      for (const name of list) {
        removed.add(`resource:${name}`);
        remap.set(`resource:${name}`, id);
      }
    }
  }

  const newRoots = [...roots.filter((r) => !removed.has(r.id)), ...groupNodes];
  const merged = new Map<string, { edge: MutableEdge; count: number }>();
  for (const e of [...edges].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const source = remap.get(e.source) ?? e.source;
    const target = remap.get(e.target) ?? e.target;
    const key = `${e.kind}|${source}|${target}`;
    const seen = merged.get(key);
    if (seen) {
      seen.count++;
      seen.edge.aliases.push(...e.aliases);
      continue;
    }
    merged.set(key, { edge: { ...e, source, target, aliases: [...e.aliases], details: [...e.details] }, count: 1 });
  }
  const newEdges = [...merged.values()].map(({ edge, count }) => {
    if (count === 1) return edge;
    return { ...edge, label: `${edge.label ?? (edge.kind === 'peering' ? 'peerings' : edge.kind)} x${count}`, details: [...edge.details, { text: `... and ${count - 1} more like it, one per spoke of the group` }] };
  });
  return { roots: newRoots, edges: newEdges, groups: groups.length, vnets: collapsedVnets };
}
