/**
 * A compiled network as plain, ordered data: what decides reachability and
 * nothing else (no source locations, no object identity). Two networks with
 * equal projections behave the same: same VNets and peerings, subnets with
 * the same effective routes and attachments, interfaces, NSG programs, firewall
 * rule programs, PaaS settings and private endpoints.
 */
import type { Box } from '../../../src/headerspace/box.js';
import type { IntervalSet } from '../../../src/headerspace/interval-set.js';
import type * as M from '../../../src/model/types.js';

const set = (s: IntervalSet): string => s.toString();
const boxes = (bs: readonly Box[]): string[] => bs.map((b) => b.map(set).join(' ; ')).sort();
const byKey = <X>(xs: readonly X[], key: (x: X) => string): X[] => [...xs].sort((a, b) => key(a).localeCompare(key(b)));

function hop(h: M.NextHop): string {
  switch (h.type) {
    case 'VirtualAppliance':
      return `VirtualAppliance ${h.ip}`;
    case 'VNetPeering':
      return `VNetPeering ${h.peer}`;
    case 'VirtualNetworkGateway':
      return `VirtualNetworkGateway ${h.gateway}`;
    case 'VirtualNetworkServiceEndpoint':
      return `ServiceEndpoint ${h.service}`;
    case 'InterfaceEndpoint':
      return `InterfaceEndpoint ${h.privateEndpoint}`;
    default:
      return h.type;
  }
}

function fwRules(rules: readonly M.FirewallRule[]) {
  return rules.map((r) => ({ kind: r.kind, action: r.action, id: r.ref.id, boxes: boxes(r.boxes), translate: r.translate ?? null, unknown: r.unknownReason ?? null }));
}

export function projectNetwork(net: M.Network): unknown {
  const subnets = byKey([...net.subnets.values()], (s) => s.id);
  const programs: Record<string, unknown> = {};
  for (const s of subnets) {
    const nsgs = [s.nsg?.name, ...s.nics.map((n) => n.nsg?.name)].filter((x): x is string => x !== undefined);
    for (const nsg of new Set(nsgs)) {
      for (const dir of ['Inbound', 'Outbound'] as const) {
        const p = net.nsgProgram(nsg, dir, s);
        programs[`${nsg}|${dir}|${s.id}`] = p.rules.map((r) => ({ access: r.access, priority: r.priority, id: r.ref.id, boxes: boxes(r.boxes) }));
      }
    }
  }
  return {
    region: net.region,
    vnets: byKey([...net.vnets.values()], (v) => v.name).map((v) => ({
      name: v.name,
      region: v.region,
      space: set(v.space),
      peerings: byKey(v.peerings, (p) => p.name).map((p) => ({ name: p.name, remote: p.remote, connected: p.connected, access: p.allowVirtualNetworkAccess.value, forwarded: p.allowForwardedTraffic.value, transit: p.allowGatewayTransit.value, remoteGateways: p.useRemoteGateways.value })),
      gateways: v.gateways.map((g) => g.name).sort(),
    })),
    subnets: subnets.map((s) => ({
      id: s.id,
      space: set(s.space),
      nsg: s.nsg?.name ?? null,
      routeTable: s.routeTable?.name ?? null,
      nat: s.natGateway ? { name: s.natGateway.name, ips: set(s.natGateway.publicIps) } : null,
      defaultOutboundAccess: s.defaultOutboundAccess.value,
      serviceEndpoints: s.serviceEndpoints.map((e) => e.service).sort(),
      serviceEndpointPolicy: s.serviceEndpointPolicy ? [...s.serviceEndpointPolicy.resources].sort() : null,
      peNetworkPolicies: s.privateEndpointNetworkPolicies.value,
      virtualNetworkTag: set(s.virtualNetworkTag),
      routes: s.routes.segments.map((seg) => `${seg.lo}-${seg.hi} ${seg.route.source} ${hop(seg.route.nextHop)}`),
    })),
    nics: byKey(net.nics, (n) => n.id).map((n) => ({
      id: n.id,
      kind: n.kind,
      subnet: n.subnet.id,
      addresses: set(n.addresses),
      nsg: n.nsg?.name ?? null,
      asgs: [...n.asgs].sort(),
      publicIp: n.publicIp ? `${n.publicIp.addr} ${n.publicIp.sku}` : null,
      ipForwarding: n.ipForwarding,
      role: n.role ?? null,
    })),
    nsgPrograms: programs,
    firewalls: byKey([...net.firewalls.values()], (f) => f.name).map((f) => ({
      name: f.name,
      privateIp: f.privateIp,
      publicIps: set(f.publicIps),
      policy: f.policy ?? null,
      dnat: fwRules(f.dnat),
      network: fwRules(f.network),
      application: fwRules(f.application),
      snatExempt: set(f.snatExempt),
      threatIntelMode: f.threatIntelMode,
      forcedTunneling: f.forcedTunneling,
      dnsProxy: f.dnsProxy,
    })),
    gateways: byKey([...net.gateways.values()], (g) => g.name).map((g) => ({ name: g.name, vnet: g.vnet, type: g.type, remote: set(g.remote), bgp: g.bgp })),
    resources: byKey([...net.resources.values()], (r) => r.name).map((r) => ({
      name: r.name,
      type: r.type,
      region: r.region,
      publicNetworkAccess: r.publicNetworkAccess.enabled,
      defaultAction: r.defaultAction.value,
      bypass: [...r.bypass].sort(),
      ipRules: set(r.ipRules),
      virtualNetworkRules: [...r.virtualNetworkRules.keys()].sort(),
      privateEndpoints: r.privateEndpoints.map((p) => p.name).sort(),
    })),
    privateEndpoints: byKey([...net.privateEndpoints.values()], (p) => p.name).map((p) => ({ name: p.name, resource: p.resource, groupId: p.groupId, ip: p.ip, approved: p.approved, state: p.state })),
  };
}
