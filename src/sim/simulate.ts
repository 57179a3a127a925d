/**
 * The packet simulator: follows ONE concrete packet through the compiled
 * network, hop by hop, the way Azure would (azure-semantics.md §0.1). It is
 * deliberately a plain interpreter of the model -- membership tests and
 * lookups, no set algebra -- so that it can serve as the oracle the symbolic
 * verifier is tested against.
 */
import { boxContains } from '../headerspace/box.js';
import { firstRuleContaining } from '../headerspace/first-match.js';
import type { Packet } from '../headerspace/packet.js';
import { hasPorts, PROTO, protocolName } from '../headerspace/packet.js';
import { formatIpv4 } from '../net/ipv4.js';
import { isPlatformAddress } from '../model/addresses.js';
import { lookupRoute } from '../model/routes.js';
import type { FirewallModel, FirewallRule, Network, Nic, NsgRule, PeeringLink, ResourceModel, SubnetModel } from '../model/types.js';
import { formatLoc } from '../scenario/source-loc.js';
import type { Delivery, Hop, Trace } from './trace.js';

const MAX_STEPS = 64;

/** Where a packet starts: an interface of the design, the Internet, or an on-premises network. */
export type Origin = { readonly kind: 'nic'; readonly nic: Nic } | { readonly kind: 'internet' } | { readonly kind: 'on-premises'; readonly gateway: string };

interface Walk {
  readonly net: Network;
  readonly hops: Hop[];
  readonly firewalls: string[];
  steps: number;
  /** The legs of the connection so far; the last is the one the packet is on. */
  readonly legs: Leg[];
}

/**
 * A leg of a connection: from where its source address was last set to the
 * next firewall that rewrites it (SNAT, F4.5; DNAT, F4.5.4) or to the
 * destination. Each leg has its own reply: from the leg's end back to the
 * leg's source, with the leg's destination as its source (F1.5.1, F4.6.1).
 */
interface Leg {
  /** Firewalls that forwarded the leg without SNAT (F4.5.1): its reply must cross them (F2.7.4, F4.6). */
  readonly noSnat: string[];
  /** Set when a firewall ended the leg: that firewall and the leg's addresses as it received them. */
  end?: { readonly firewall: FirewallModel; readonly srcIp: number; readonly dstIp: number; readonly dnat: boolean };
}

function currentLeg(w: Walk): Leg {
  return w.legs[w.legs.length - 1];
}

/** A firewall rewrote the source: the leg the packet was on ends there, a new one starts. */
function newLeg(w: Walk, firewall: FirewallModel, p: Packet, dnat: boolean): void {
  currentLeg(w).end = { firewall, srcIp: p.srcIp, dstIp: p.dstIp, dnat };
  w.legs.push({ noSnat: [] });
}

type Outcome = { verdict: 'delivered'; delivery: Delivery; packet: Packet } | { verdict: 'dropped' | 'unknown'; reason: string; packet: Packet };

export function simulate(net: Network, origin: Origin, packet: Packet): Trace {
  const walk: Walk = { net, hops: [], firewalls: [], steps: 0, legs: [{ noSnat: [] }] };
  let outcome: Outcome;
  if (origin.kind === 'nic') outcome = fromNic(walk, origin.nic, packet);
  else if (origin.kind === 'internet') outcome = onInternet(walk, packet);
  else outcome = fromOnPremises(walk, origin.gateway, packet);
  return {
    verdict: outcome.verdict,
    packet,
    hops: walk.hops,
    reason: outcome.verdict === 'delivered' ? `delivered to ${outcome.delivery.label}` : outcome.reason,
    ...(outcome.verdict === 'delivered' ? { delivery: outcome.delivery } : {}),
    firewalls: walk.firewalls,
  };
}

function hop(w: Walk, h: Hop): void {
  w.hops.push(h);
}

function drop(w: Walk, reason: string, p: Packet): Outcome {
  return { verdict: 'dropped', reason, packet: p };
}

function unknown(w: Walk, reason: string, p: Packet): Outcome {
  return { verdict: 'unknown', reason, packet: p };
}

// ---------------------------------------------------------------------------
// Leaving an interface

function fromNic(w: Walk, nic: Nic, p: Packet): Outcome {
  if (nic.kind === 'private-endpoint') {
    hop(w, { at: nic.label, node: `nic:${nic.id}`, kind: 'nsg', decision: 'deny', detail: 'a private endpoint does not start connections (F5.1.5)' });
    return drop(w, 'private endpoints do not start connections (F5.1.5)', p);
  }
  if (isPlatformAddress(p.dstIp)) return toPlatform(w, nic, p);
  const out = nsgChain(w, nic, 'Outbound', p);
  if (out) return out;
  return routeFrom(w, nic, p);
}

/** F1.6.4: DNS, DHCP, IMDS and health probes bypass NSGs unless AzurePlatform* rules are written. */
function toPlatform(w: Walk, nic: Nic, p: Packet): Outcome {
  for (const nsg of outboundNsgs(nic)) {
    const program = w.net.nsgProgram(nsg.name, 'Outbound', nic.subnet);
    const rule = program.rules.find((r) => r.platform && r.boxes.some((b) => boxContains(b, p)));
    if (rule) {
      hop(w, nsgHop(nic, nsg.name, 'Outbound', rule));
      if (rule.access === 'Deny') return drop(w, `${rule.ref.label} blocks platform traffic`, p);
    }
  }
  hop(w, { at: nic.label, node: `nic:${nic.id}`, kind: 'platform', decision: 'deliver', detail: `${formatIpv4(p.dstIp)} is an Azure platform address: NSGs do not filter it unless AzurePlatform* tags are used (F1.6.4)` });
  return { verdict: 'delivered', delivery: { kind: 'platform', label: `the Azure platform (${formatIpv4(p.dstIp)})` }, packet: p };
}

function outboundNsgs(nic: Nic): { name: string }[] {
  // F1.4.2: outbound, the NIC NSG first, then the subnet NSG.
  return [...(nic.nsg ? [nic.nsg] : []), ...(nic.subnet.nsg ? [nic.subnet.nsg] : [])];
}

function inboundNsgs(nic: Nic): { name: string }[] {
  // F1.4.1: inbound, the subnet NSG first, then the NIC NSG.
  return [...(nic.subnet.nsg ? [nic.subnet.nsg] : []), ...(nic.nsg ? [nic.nsg] : [])];
}

function nsgHop(nic: Nic, nsg: string, direction: string, rule: NsgRule): Hop {
  return {
    at: `${nic.label} ${direction.toLowerCase()}`, node: `nic:${nic.id}`,
    kind: 'nsg',
    decision: rule.access === 'Allow' ? 'allow' : 'deny',
    rule: rule.ref.label,
    ruleId: rule.ref.id,
    loc: rule.ref.loc,
  };
}

/** F1.4: every NSG that applies must allow; the first deny stops the chain. Returns an outcome only when the packet stops. */
function nsgChain(w: Walk, nic: Nic, direction: 'Inbound' | 'Outbound', p: Packet, ignoreSourcePorts = false): Outcome | undefined {
  const nsgs = direction === 'Inbound' ? inboundNsgs(nic) : outboundNsgs(nic);
  if (nsgs.length === 0) {
    const detail = nic.managed
      ? `the managed network of ${nic.managed.workspace} is Microsoft's: no NSG of the design applies; its outbound rules are its egress program`
      : `no NSG on the interface or its subnet: nothing filters (F1.4.4)`;
    hop(w, { at: `${nic.label} ${direction.toLowerCase()}`, node: `nic:${nic.id}`, kind: 'nsg', decision: 'allow', detail });
    return undefined;
  }
  for (const nsg of nsgs) {
    const program = w.net.nsgProgram(nsg.name, direction, nic.subnet, ignoreSourcePorts);
    const rule = firstRuleContaining(program.rules, p);
    if (!rule) throw new Error(`topo: NSG ${nsg.name} has no matching default rule (impossible by F1.3)`);
    hop(w, nsgHop(nic, nsg.name, direction, rule));
    if (rule.access === 'Deny') return drop(w, `denied by ${rule.ref.label}`, p);
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Routing

function routeFrom(w: Walk, sender: Nic, p: Packet): Outcome {
  if (++w.steps > MAX_STEPS) return drop(w, 'routing loop: the packet went around more than 64 hops', p);
  const subnet = sender.subnet;
  const seg = lookupRoute(subnet.routes, p.dstIp);
  if (!seg) throw new Error(`topo: subnet ${subnet.id} has no route for ${formatIpv4(p.dstIp)} (impossible: 0.0.0.0/0 always exists)`);
  const route = seg.route;
  const hopName = route.nextHop.type;
  hop(w, { at: subnet.id, node: `subnet:${subnet.id}`, kind: 'route', decision: hopName === 'None' ? 'drop' : 'forward', rule: route.ref.label, ruleId: route.ref.id, loc: route.ref.loc, detail: `longest matching prefix for ${formatIpv4(p.dstIp)}: /${seg.len} (${route.source} route)` });
  const nh = route.nextHop;
  switch (nh.type) {
    case 'None':
      return drop(w, `route ${route.ref.label} drops it`, p);
    case 'VnetLocal':
      return deliverIn(w, subnet.vnet, subnet.vnet, p);
    case 'VNetPeering':
      return deliverIn(w, subnet.vnet, nh.peer, p, sender.kind === 'gateway');
    case 'InterfaceEndpoint':
      return deliverIn(w, subnet.vnet, nh.vnet, p, sender.kind === 'gateway');
    case 'VirtualAppliance':
      return toAppliance(w, sender, nh.ip, p);
    case 'Internet':
      return egress(w, sender, p);
    case 'VirtualNetworkGateway':
      return toGateway(w, subnet, nh.gateway, p);
    case 'VirtualNetworkServiceEndpoint':
      return toServiceEndpoint(w, sender, nh.service, p);
  }
}

/**
 * Crossing into another VNet over a peering (F3): connected, and forwarded
 * traffic gated on the receiving link, except when the relay is the VNet's
 * own virtual network gateway (F3.2: the flag is not needed for a VPN gateway).
 */
function crossPeering(w: Walk, fromVnet: string, toVnet: string, p: Packet, relayedByGateway = false): Outcome | undefined {
  if (fromVnet === toVnet) return undefined;
  const out = w.net.vnets.get(fromVnet)!.peerings.find((l) => l.remote === toVnet && l.connected);
  const back = w.net.vnets.get(toVnet)!.peerings.find((l) => l.remote === fromVnet);
  if (!out || !back) {
    hop(w, { at: `${fromVnet} -> ${toVnet}`, node: `vnet:${toVnet}`, kind: 'peering', decision: 'drop', detail: 'no connected peering between the VNets (F3.1.1)' });
    return drop(w, `VNets '${fromVnet}' and '${toVnet}' are not peered both ways`, p);
  }
  const origin = w.net.vnets.get(fromVnet)!.space.has(p.srcIp);
  if (!origin && relayedByGateway) {
    hop(w, peeringHop(back, 'allow', `relayed by the virtual network gateway of '${fromVnet}': allowForwardedTraffic is not needed (F3.2)`));
    return undefined;
  }
  if (!origin && !back.allowForwardedTraffic.value) {
    hop(w, peeringHop(back, 'drop', `${formatIpv4(p.srcIp)} did not originate in '${fromVnet}', and '${toVnet}' does not accept forwarded traffic on this link: allowForwardedTraffic ${flagText(back.allowForwardedTraffic)} (F3.2, §8.4)`));
    return drop(w, `peering '${back.name}' of '${toVnet}' refuses forwarded traffic`, p);
  }
  hop(w, peeringHop(back, 'allow', origin ? `traffic from '${fromVnet}' itself` : `forwarded traffic accepted: allowForwardedTraffic true`));
  return undefined;
}

function peeringHop(link: PeeringLink, decision: Hop['decision'], detail: string): Hop {
  return { at: `peering ${link.local}/${link.name}`, node: `peering:${link.local}/${link.name}`, kind: 'peering', decision, rule: `${link.local}/${link.name} (to ${link.remote})`, ruleId: `${link.local}/${link.name}`, loc: link.allowForwardedTraffic.loc, detail };
}

function flagText(f: { value: boolean; explicit: boolean }): string {
  return `${f.value}${f.explicit ? '' : ' (default)'}`;
}

function deliverIn(w: Walk, fromVnet: string, vnet: string, p: Packet, relayedByGateway = false): Outcome {
  const crossed = crossPeering(w, fromVnet, vnet, p, relayedByGateway);
  if (crossed) return crossed;
  const nic = w.net.nicAt(vnet, p.dstIp);
  if (!nic) {
    hop(w, { at: vnet, node: `vnet:${vnet}`, kind: 'delivery', decision: 'drop', detail: `no interface in VNet '${vnet}' holds ${formatIpv4(p.dstIp)}` });
    return drop(w, `no interface holds ${formatIpv4(p.dstIp)} in VNet '${vnet}'`, p);
  }
  return arrive(w, nic, p);
}

/** A packet arriving at an interface it is addressed to. */
function arrive(w: Walk, nic: Nic, p: Packet): Outcome {
  if (nic.kind === 'firewall') {
    const fw = w.net.firewalls.get(nic.firewall!)!;
    const dnsProxy = fw.dnsProxy && p.dstPort === 53 && hasPorts(p.protocol);
    hop(w, { at: nic.label, node: `nic:${nic.id}`, kind: 'delivery', decision: dnsProxy ? 'deliver' : 'drop', detail: dnsProxy ? 'the firewall DNS proxy listens on port 53 (F4.3.6)' : 'Azure Firewall accepts no connections on its private address except its DNS proxy' });
    return dnsProxy ? { verdict: 'delivered', delivery: { kind: 'nic', nicId: nic.id, label: nic.label }, packet: p } : drop(w, `${nic.label} accepts no connections on its private address`, p);
  }
  if (nic.kind === 'gateway') {
    hop(w, { at: nic.label, node: `nic:${nic.id}`, kind: 'delivery', decision: 'drop', detail: 'a gateway accepts no connections on its private addresses' });
    return drop(w, `${nic.label} accepts no connections`, p);
  }
  if (nic.kind === 'private-endpoint') {
    const pe = nic.privateEndpoint!;
    const policies = nic.subnet.privateEndpointNetworkPolicies;
    if (policies.value === 'Enabled' || policies.value === 'NetworkSecurityGroupEnabled') {
      const stop = nsgChain(w, nic, 'Inbound', p, true);
      if (stop) return stop;
    } else {
      hop(w, { at: nic.label, node: `nic:${nic.id}`, kind: 'nsg', decision: 'allow', rule: `${nic.subnet.id} privateEndpointNetworkPolicies ${policies.value}${policies.explicit ? '' : ' (default)'}`, loc: policies.loc, detail: 'private endpoint traffic bypasses NSGs unless network policies are enabled (F1.9.2, §8.7)' });
    }
    if (!pe.approved) {
      hop(w, { at: nic.label, node: `nic:${nic.id}`, kind: 'paas', decision: 'drop', rule: `${pe.name} connectionState ${pe.state}`, loc: pe.loc, detail: 'only an Approved connection carries traffic (F5.1.4)' });
      return drop(w, `private endpoint ${pe.name} is ${pe.state}`, p);
    }
    const symmetric = repliesReturn(w, { from: nic }, p);
    if (symmetric) return symmetric;
    hop(w, { at: nic.label, node: `nic:${nic.id}`, kind: 'paas', decision: 'deliver', rule: `private endpoint ${pe.name} -> ${pe.resource}/${pe.groupId}`, loc: pe.loc, detail: 'private endpoint traffic needs no resource firewall rule (F5.3.3)' });
    return { verdict: 'delivered', delivery: { kind: 'private-endpoint', nicId: nic.id, resource: pe.resource, groupId: pe.groupId, label: `${pe.resource}/${pe.groupId} through private endpoint ${pe.name}` }, packet: p };
  }
  const stop = nsgChain(w, nic, 'Inbound', p);
  if (stop) return stop;
  const symmetric = repliesReturn(w, { from: nic }, p);
  if (symmetric) return symmetric;
  return { verdict: 'delivered', delivery: { kind: 'nic', nicId: nic.id, label: nic.label }, packet: p };
}

// ---------------------------------------------------------------------------
// Appliances and Azure Firewall

function toAppliance(w: Walk, sender: Nic, ip: number, p: Packet): Outcome {
  const vnet = sender.subnet.vnet;
  const candidates = [vnet, ...w.net.vnets.get(vnet)!.peerings.filter((l) => l.connected).map((l) => l.remote)];
  let target: Nic | undefined;
  for (const v of candidates) {
    target = w.net.nicAt(v, ip);
    if (target) break;
  }
  if (!target) {
    hop(w, { at: sender.subnet.id, node: `subnet:${sender.subnet.id}`, kind: 'forwarding', decision: 'drop', detail: `no interface in '${vnet}' or a peered VNet holds the next hop ${formatIpv4(ip)} (F2.3.2)` });
    return drop(w, `next hop ${formatIpv4(ip)} is no interface of the design`, p);
  }
  const crossed = crossPeering(w, vnet, target.subnet.vnet, p);
  if (crossed) return crossed;
  if (target.kind === 'firewall') return firewallForward(w, w.net.firewalls.get(target.firewall!)!, p);
  if (target.ipForwarding) {
    hop(w, { at: target.label, node: `nic:${target.id}`, kind: 'forwarding', decision: 'unknown', detail: 'a network virtual appliance: topo does not model its forwarding rules' });
    return unknown(w, `the next hop ${target.label} is a network virtual appliance, whose rules topo does not model`, p);
  }
  hop(w, { at: target.label, node: `nic:${target.id}`, kind: 'forwarding', decision: 'drop', detail: 'the next-hop interface does not have IP forwarding enabled, so Azure drops packets not addressed to it (F2.3.2)' });
  return drop(w, `${target.label} is not an appliance (IP forwarding off)`, p);
}

function fwHop(fw: FirewallModel, decision: Hop['decision'], rule: FirewallRule | undefined, detail?: string): Hop {
  return { at: fw.nic.label, node: `firewall:${fw.name}`, kind: 'firewall', decision, rule: rule?.ref.label ?? fw.defaultDeny.label, ruleId: rule?.ref.id ?? fw.defaultDeny.id, loc: rule?.ref.loc ?? fw.defaultDeny.loc, ...(detail ? { detail } : {}) };
}

/** F4.2: network rules, then application rules (HTTP/HTTPS/MSSQL only), then the infrastructure collection, then deny. */
function firewallForward(w: Walk, fw: FirewallModel, p: Packet): Outcome {
  w.firewalls.push(fw.name);
  if (fw.threatIntelMode !== 'Off') hop(w, { at: fw.nic.label, node: `firewall:${fw.name}`, kind: 'firewall', decision: 'info', detail: `threat intelligence in ${fw.threatIntelMode} mode runs first (F4.8); its feed is not modelled` });
  const net = firstRuleContaining(fw.network, p);
  if (net) {
    if (net.action === 'Unknown') {
      hop(w, fwHop(fw, 'unknown', net, net.unknownReason));
      return unknown(w, net.unknownReason ?? 'undecidable firewall rule', p);
    }
    if (net.action === 'Deny') {
      hop(w, fwHop(fw, 'deny', net));
      return drop(w, `denied by ${net.ref.label}`, p);
    }
    hop(w, fwHop(fw, 'allow', net, 'network rule: processing stops here (F4.2.5)'));
    return afterFirewall(w, fw, p, fw.snatExempt.has(p.dstIp) ? 'none' : 'network');
  }
  const app = p.protocol === 6 ? firstRuleContaining(fw.application, p) : undefined;
  if (app) {
    if (app.action === 'Unknown') {
      hop(w, fwHop(fw, 'unknown', app, app.unknownReason));
      return unknown(w, app.unknownReason ?? 'undecidable firewall rule', p);
    }
    if (app.action === 'Deny') {
      hop(w, fwHop(fw, 'deny', app));
      return drop(w, `denied by ${app.ref.label}`, p);
    }
    hop(w, fwHop(fw, 'allow', app, `application rule matched the name ${w.net.names[p.dstName]?.label ?? '?'} (F4.4.2)`));
    return afterFirewall(w, fw, p, 'application');
  }
  // A managed network's egress has no infrastructure collection: its rule has no boxes.
  if (p.protocol === 6 && fw.infrastructure.boxes.some((b) => boxContains(b, p))) {
    hop(w, fwHop(fw, 'allow', fw.infrastructure, 'built-in infrastructure rule collection (F4.2.7)'));
    return afterFirewall(w, fw, p, 'application');
  }
  hop(w, fwHop(fw, 'deny', undefined));
  return drop(w, `no rule of firewall ${fw.name} allows it (default deny, F4.2.8)`, p);
}

/** SNAT per F4.5 then route from AzureFirewallSubnet. */
function afterFirewall(w: Walk, fw: FirewallModel, p: Packet, snat: 'none' | 'network' | 'application'): Outcome {
  let out = p;
  if (snat !== 'none') {
    const seg = lookupRoute(fw.nic.subnet.routes, p.dstIp);
    const toInternet = seg?.route.nextHop.type === 'Internet' && !fw.forcedTunneling;
    const addr = toInternet ? firstOr(fw.publicIps, 0) : fw.privateIp;
    out = { ...p, srcIp: addr };
    const why = snat === 'application' ? 'application rules always SNAT, F4.5.3' : 'network rules SNAT destinations outside the private ranges, F4.5.1';
    const forced = fw.forcedTunneling && snat === 'network' ? '; in forced-tunnel mode to a private address of the firewall, F4.7.5' : '';
    const unnamed = fw.managed ? "a public address of Microsoft's managed network (not in the scenario)" : 'the firewall public IP (not given in the scenario)';
    hop(w, { at: fw.nic.label, node: `firewall:${fw.name}`, kind: 'nat', decision: 'translate', detail: `SNAT ${formatIpv4(p.srcIp)} -> ${addr === 0 ? unnamed : formatIpv4(addr)} (${why}${forced})` });
    newLeg(w, fw, p, false);
  } else {
    currentLeg(w).noSnat.push(fw.name);
    hop(w, { at: fw.nic.label, node: `firewall:${fw.name}`, kind: 'nat', decision: 'info', detail: `no SNAT: ${formatIpv4(p.dstIp)} is in the firewall's private ranges, the source stays ${formatIpv4(p.srcIp)} (F4.5.1)` });
  }
  return routeFrom(w, fw.nic, out);
}

function firstOr(set: { isEmpty: boolean; min: number }, dflt: number): number {
  return set.isEmpty ? dflt : set.min;
}

/** F4.5.4: DNAT on the firewall's public address, then SNAT to the firewall's private address for private targets. */
function firewallDnat(w: Walk, fw: FirewallModel, p: Packet): Outcome {
  w.firewalls.push(fw.name);
  if (fw.threatIntelMode !== 'Off') hop(w, { at: fw.nic.label, node: `firewall:${fw.name}`, kind: 'firewall', decision: 'info', detail: `threat intelligence in ${fw.threatIntelMode} mode runs first, before DNAT (F4.2.1, F4.8); its feed is not modelled` });
  const rule = firstRuleContaining(fw.dnat, p);
  if (!rule) {
    hop(w, { at: fw.nic.label, node: `firewall:${fw.name}`, kind: 'firewall', decision: 'deny', rule: fw.defaultDeny.label, ruleId: fw.defaultDeny.id, loc: fw.defaultDeny.loc, detail: 'no DNAT rule matches traffic to the firewall public address' });
    return drop(w, `no DNAT rule of firewall ${fw.name} matches`, p);
  }
  if (rule.action === 'Unknown') {
    hop(w, fwHop(fw, 'unknown', rule, rule.unknownReason));
    return unknown(w, rule.unknownReason ?? 'undecidable DNAT rule', p);
  }
  const t = rule.translate!;
  const translated: Packet = { ...p, dstIp: t.addr, dstPort: t.port ?? p.dstPort, dstName: 0, srcIp: fw.privateIp };
  newLeg(w, fw, p, true);
  hop(w, fwHop(fw, 'translate', rule, `DNAT ${formatIpv4(p.dstIp)}:${p.dstPort} -> ${formatIpv4(translated.dstIp)}:${translated.dstPort}, SNAT source -> ${formatIpv4(fw.privateIp)}; a DNAT match is an allow (F4.5.4-5)`));
  return routeFrom(w, fw.nic, translated);
}

// ---------------------------------------------------------------------------
// The Internet

/** F11.2-F11.4: a VM reaches the Internet through a NAT gateway, its public IP, or default outbound access. */
function egress(w: Walk, sender: Nic, p: Packet): Outcome {
  if (!w.net.adversary.publicSpace.has(p.dstIp)) {
    hop(w, { at: sender.subnet.id, node: `subnet:${sender.subnet.id}`, kind: 'egress', decision: 'drop', detail: `${formatIpv4(p.dstIp)} is not a public address: the Internet does not route it` });
    return drop(w, `${formatIpv4(p.dstIp)} is not routable on the Internet`, p);
  }
  let addr: number;
  let how: string;
  if (sender.kind === 'firewall') {
    const fw = w.net.firewalls.get(sender.firewall!)!;
    if (currentLeg(w).noSnat.includes(fw.name)) {
      hop(w, { at: sender.subnet.id, node: `subnet:${sender.subnet.id}`, kind: 'egress', decision: 'drop', detail: `${fw.name} does not SNAT ${formatIpv4(p.dstIp)} (it is in the SNAT private ranges), so the packet would reach the Internet with the private source ${formatIpv4(p.srcIp)}: the firewall cannot reach the Internet directly (F4.5.2)` });
      return drop(w, `${fw.name} does not SNAT ${formatIpv4(p.dstIp)}, so it cannot send it to the Internet (F4.5.2)`, p);
    }
    addr = firstOr(fw.publicIps, 0);
    how = fw.managed ? `${fw.name} egress (the managed network's way out to the Internet)` : `${fw.name} egress through its public IP`;
  } else if (sender.subnet.natGateway) {
    addr = firstOr(sender.subnet.natGateway.publicIps, 0);
    how = `NAT gateway ${sender.subnet.natGateway.name} (takes precedence over other outbound methods, F11.4)`;
  } else if (sender.publicIp) {
    addr = sender.publicIp.addr;
    how = `public IP ${formatIpv4(addr)} of ${sender.name}`;
  } else if (sender.subnet.defaultOutboundAccess.value && sender.kind !== 'gateway') {
    addr = 0;
    how = `default outbound access: defaultOutboundAccess ${flagText(sender.subnet.defaultOutboundAccess)} on ${sender.subnet.id} (F11.3)`;
  } else {
    hop(w, { at: sender.subnet.id, node: `subnet:${sender.subnet.id}`, kind: 'egress', decision: 'drop', rule: `${sender.subnet.id} defaultOutboundAccess false`, loc: sender.subnet.defaultOutboundAccess.loc, detail: 'no NAT gateway, no public IP, no default outbound access: no way to the Internet (F11.2)' });
    return drop(w, `${sender.label} has no outbound path to the Internet (F11.2)`, p);
  }
  const out = { ...p, srcIp: addr };
  if (p.protocol === PROTO.TCP && p.dstPort === 25) {
    hop(w, { at: sender.subnet.id, node: `subnet:${sender.subnet.id}`, kind: 'egress', decision: 'info', detail: 'Azure blocks outbound TCP 25 to the Internet for most subscription types whatever the NSGs say (F1.6.6, F11.5); the scenario does not give the subscription type, so topo does not block it' });
  }
  hop(w, { at: sender.subnet.id, node: `subnet:${sender.subnet.id}`, kind: 'egress', decision: 'forward', rule: how, loc: sender.kind === 'firewall' ? sender.loc : sender.subnet.natGateway?.loc ?? sender.publicIp?.loc ?? sender.subnet.defaultOutboundAccess.loc, detail: addr === p.srcIp ? undefined : `SNAT ${formatIpv4(p.srcIp)} -> ${addr === 0 ? 'a public IP the scenario does not give' : formatIpv4(addr)}` });
  return onInternet(w, out, sender.subnet.vnet);
}

/** A packet on the public Internet: to the design's public entry points, its PaaS endpoints, externals, or the adversary. */
function onInternet(w: Walk, p: Packet, fromVnet?: string): Outcome {
  if (++w.steps > MAX_STEPS) return drop(w, 'routing loop', p);
  const net = w.net;
  const host = net.nics.find((n) => n.publicIp?.addr === p.dstIp);
  if (host) return toPublicIp(w, host, p);
  for (const fw of net.firewalls.values()) if (fw.publicIps.has(p.dstIp)) return firewallDnat(w, fw, p);
  const nat = [...net.subnets.values()].find((s) => s.natGateway?.publicIps.has(p.dstIp))?.natGateway;
  if (nat) {
    hop(w, { at: `NAT gateway ${nat.name}`, node: 'internet', kind: 'ingress', decision: 'drop', rule: `natGateway ${nat.name}`, loc: nat.loc, detail: `${formatIpv4(p.dstIp)} is a public IP of NAT gateway ${nat.name}, which accepts no inbound connections from the Internet (F11.4)` });
    return drop(w, `NAT gateway ${nat.name} accepts no inbound connections (F11.4)`, p);
  }
  if (!net.adversary.publicSpace.has(p.dstIp)) {
    hop(w, { at: 'Internet', node: 'internet', kind: 'delivery', decision: 'drop', detail: `${formatIpv4(p.dstIp)} is not a public address: nothing on the Internet routes to it` });
    return drop(w, `${formatIpv4(p.dstIp)} is not reachable from the Internet`, p);
  }
  const name = net.names[p.dstName];
  if (name?.kind === 'own' && name.resource) {
    const res = net.resources.get(name.resource.name);
    if (res) return paasPublic(w, res, name.resource.groupId, p, { via: 'internet', sourceRegion: fromVnet ? net.vnets.get(fromVnet)!.region : undefined });
  }
  const stop = repliesReturn(w, undefined, p);
  if (stop) return stop;
  for (const ext of net.externals.values()) {
    if (!ext.onPremises && ext.space.has(p.dstIp)) {
      hop(w, { at: 'Internet', node: 'internet', kind: 'delivery', decision: 'deliver', rule: `external ${ext.name}`, loc: ext.loc });
      return { verdict: 'delivered', delivery: { kind: 'external', name: ext.name, label: `external '${ext.name}' (${formatIpv4(p.dstIp)})` }, packet: p };
    }
  }
  const adversarial = name?.adversarial ?? true;
  const what = name && name.kind !== 'none' ? `${name.label}: ${name.reason}` : net.adversary.describe(p.dstIp);
  hop(w, { at: 'Internet', node: 'internet', kind: 'delivery', decision: 'deliver', detail: `${formatIpv4(p.dstIp)} (${what})` });
  return { verdict: 'delivered', delivery: { kind: 'internet', adversarial, adversarialStrict: name?.adversarialStrict ?? true, label: `the Internet: ${formatIpv4(p.dstIp)}, ${what}` }, packet: p };
}

/** F11.1, F1.2.4, F2.5.2: inbound to a VM's public IP. */
function toPublicIp(w: Walk, nic: Nic, p: Packet): Outcome {
  const pip = nic.publicIp!;
  const translated = { ...p, dstIp: nic.addresses.min, dstName: 0 };
  hop(w, { at: `public IP ${formatIpv4(pip.addr)}`, node: `nic:${nic.id}`, kind: 'ingress', decision: 'translate', rule: `${nic.name} publicIpAddress (${pip.sku})`, loc: pip.loc, detail: `to the private address ${formatIpv4(translated.dstIp)}: NSGs see the private address (F1.2.4)` });
  if (pip.sku === 'Standard' && !nic.nsg && !nic.subnet.nsg) {
    hop(w, { at: nic.label, node: `nic:${nic.id}`, kind: 'ingress', decision: 'drop', rule: `${nic.name} publicIpSku Standard`, loc: pip.loc, detail: 'a Standard public IP is closed to inbound traffic unless an NSG allows it; there is no NSG (F11.1)' });
    return drop(w, 'a Standard public IP with no NSG admits nothing (F11.1)', p);
  }
  const reply = lookupRoute(nic.subnet.routes, p.srcIp);
  if (reply && reply.route.nextHop.type !== 'Internet') {
    hop(w, { at: nic.subnet.id, node: `subnet:${nic.subnet.id}`, kind: 'symmetry', decision: 'drop', rule: reply.route.ref.label, loc: reply.route.ref.loc, detail: `the reply to ${formatIpv4(p.srcIp)} would leave through ${reply.route.nextHop.type}, not the public IP: the connection fails (F2.5.2)` });
    return drop(w, 'asymmetric: replies do not return through the public IP (F2.5.2)', p);
  }
  return arrive(w, nic, translated);
}

// ---------------------------------------------------------------------------
// PaaS public endpoints (F5.3-F5.5)

interface PaasSource {
  readonly via: 'internet' | 'service-endpoint';
  readonly subnet?: SubnetModel;
  readonly sourceRegion?: string;
}

function paasPublic(w: Walk, res: ResourceModel, groupId: string, p: Packet, src: PaasSource): Outcome {
  const at = `${res.name} public endpoint (${groupId})`;
  const delivered = (why: string, rule?: string, loc = res.loc): Outcome => {
    hop(w, { at, node: `resource:${res.name}`, kind: 'paas', decision: 'allow', rule: rule ?? why, loc, detail: why });
    // The last leg's reply goes back to the public address it was sent from; earlier legs are relayed back (F4.6.1, F3.2).
    const stop = repliesReturn(w, undefined, p);
    if (stop) return stop;
    return { verdict: 'delivered', delivery: { kind: 'paas-public', resource: res.name, groupId, via: src.via, label: `${res.name}/${groupId} public endpoint` }, packet: p };
  };
  const denied = (why: string, rule: string, loc = res.loc): Outcome => {
    hop(w, { at, node: `resource:${res.name}`, kind: 'paas', decision: 'deny', rule, loc, detail: why });
    return drop(w, `${res.name}: ${why}`, p);
  };
  if (!res.info) {
    hop(w, { at, node: `resource:${res.name}`, kind: 'paas', decision: 'unknown', detail: `topo has no model of ${res.type}` });
    return unknown(w, `${res.name} is a ${res.type}, which topo does not model`, p);
  }
  if (!res.publicNetworkAccess.enabled) return denied('publicNetworkAccess is Disabled: only private endpoints reach it (F5.3.2)', `${res.name} publicNetworkAccess Disabled`, res.publicNetworkAccess.loc);
  if (res.info.aclModel === 'publicAccessOnly') {
    if (res.defaultAction.explicit) {
      hop(w, { at, node: `resource:${res.name}`, kind: 'paas', decision: 'unknown', detail: `topo does not model the network rules of ${res.info.label}s` });
      return unknown(w, `the network rules of ${res.name} (${res.info.label}) are not modelled`, p);
    }
    return delivered(`public network access Enabled${res.publicNetworkAccess.explicit ? '' : ' (default)'}`, `${res.name} publicNetworkAccess Enabled`, res.publicNetworkAccess.loc);
  }
  if (res.defaultAction.value === 'Allow') return delivered(`networkAcls defaultAction Allow${res.defaultAction.explicit ? '' : ' (default)'}: every network may connect (F5.3.2)`, `${res.name} networkAcls.defaultAction Allow`, res.defaultAction.loc);
  if (src.via === 'service-endpoint' && src.subnet) {
    const loc = res.virtualNetworkRules.get(src.subnet.id);
    if (loc) return delivered(`virtual network rule for ${src.subnet.id}, reached through its service endpoint (F5.3.4)`, `${res.name} virtualNetworkRules ${src.subnet.id}`, loc);
  }
  if (src.via === 'internet') {
    if (p.srcIp === 0 && !res.ipRules.isEmpty) {
      hop(w, { at, node: `resource:${res.name}`, kind: 'paas', decision: 'unknown', detail: 'the source public IP is not given in the scenario, so the IP rules cannot be checked' });
      return unknown(w, `whether ${res.name}'s IP rules admit the source depends on a public IP the scenario does not give`, p);
    }
    if (res.ipRules.has(p.srcIp)) {
      if (res.info.aclModel === 'storage' && src.sourceRegion && src.sourceRegion === res.region) {
        return denied(`IP rules do not apply to requests from the account's own region (${res.region}) (F5.3.6, §8.11)`, `${res.name} networkAcls.ipRules`, res.ipRulesLoc ?? res.loc);
      }
      return delivered(`IP rule admits ${formatIpv4(p.srcIp)} (F5.3.5)`, `${res.name} networkAcls.ipRules`, res.ipRulesLoc ?? res.loc);
    }
  }
  return denied(`networkAcls defaultAction Deny and no rule admits ${src.via === 'service-endpoint' ? `subnet ${src.subnet?.id}` : formatIpv4(p.srcIp)} (F5.3.2)`, `${res.name} networkAcls.defaultAction Deny`, res.defaultAction.loc);
}

/** F2.8: service endpoint routes carry the subnet's identity (private source) to the service. */
function toServiceEndpoint(w: Walk, sender: Nic, service: string, p: Packet): Outcome {
  const name = w.net.names[p.dstName];
  const subnet = sender.subnet;
  const policy = subnet.serviceEndpointPolicy;
  if (policy && service.startsWith('Microsoft.Storage')) {
    const allowed = (name?.kind === 'own' && name.resource && policy.resources.includes(name.resource.name)) || (name?.managed !== undefined && policy.aliases.includes(name.managed));
    if (!allowed) {
      hop(w, { at: `${subnet.id} service endpoint ${service}`, node: `subnet:${subnet.id}`, kind: 'paas', decision: 'deny', rule: `${subnet.id} serviceEndpointPolicies (${[...policy.resources, ...policy.aliases].join(', ')})`, loc: policy.loc, detail: `the service endpoint policy admits only these storage accounts; ${name?.label ?? 'this name'} is not one` });
      return drop(w, 'the service endpoint policy does not list this storage account', p);
    }
  }
  hop(w, { at: `${subnet.id} service endpoint ${service}`, node: `subnet:${subnet.id}`, kind: 'egress', decision: 'forward', detail: `to the service with source ${formatIpv4(p.srcIp)} and the identity of ${subnet.id} (F2.8.1)` });
  if (name?.kind === 'own' && name.resource) {
    const res = w.net.resources.get(name.resource.name);
    if (res) return paasPublic(w, res, name.resource.groupId, p, { via: 'service-endpoint', subnet });
  }
  const adversarial = name?.adversarial ?? true;
  const what = name ? `${name.label}: ${name.reason}` : w.net.adversary.describe(p.dstIp);
  const stop = repliesReturn(w, undefined, p);
  if (stop) return stop;
  hop(w, { at: `service ${service}`, node: 'internet', kind: 'delivery', decision: 'deliver', detail: what });
  return { verdict: 'delivered', delivery: { kind: 'internet', adversarial, adversarialStrict: name?.adversarialStrict ?? true, label: `${what} (through the ${service} service endpoint)` }, packet: p };
}

// ---------------------------------------------------------------------------
// Gateways and on-premises

function toGateway(w: Walk, subnet: SubnetModel, gatewayName: string, p: Packet): Outcome {
  const gw = w.net.gateways.get(gatewayName);
  if (!gw) {
    hop(w, { at: subnet.id, node: `subnet:${subnet.id}`, kind: 'forwarding', decision: 'drop', detail: 'the route points at a virtual network gateway, but the VNet has none' });
    return drop(w, 'no virtual network gateway', p);
  }
  if (!gw.remote.has(p.dstIp)) {
    hop(w, { at: gw.name, node: `gateway:${gw.name}`, kind: 'forwarding', decision: 'drop', detail: `${formatIpv4(p.dstIp)} is not among the on-premises prefixes behind ${gw.name}` });
    return drop(w, `the gateway ${gw.name} has no route to ${formatIpv4(p.dstIp)}`, p);
  }
  // The reply comes back from on premises through the gateway and is routed from its GatewaySubnet.
  const gwNic = w.net.nicById.get(`gateway:${gw.name}`);
  const stop = repliesReturn(w, gwNic ? { from: gwNic, gateway: true } : undefined, p);
  if (stop) return stop;
  for (const ext of w.net.externals.values()) {
    if (ext.onPremises && ext.space.has(p.dstIp)) {
      hop(w, { at: gw.name, node: `gateway:${gw.name}`, kind: 'delivery', decision: 'deliver', rule: `external ${ext.name}`, loc: ext.loc });
      return { verdict: 'delivered', delivery: { kind: 'external', name: ext.name, label: `external '${ext.name}' on premises (${formatIpv4(p.dstIp)})` }, packet: p };
    }
  }
  hop(w, { at: gw.name, node: `gateway:${gw.name}`, kind: 'delivery', decision: 'deliver', rule: `gateway ${gw.name}`, loc: gw.loc, detail: 'on-premises network' });
  return { verdict: 'delivered', delivery: { kind: 'on-premises', gateway: gw.name, label: `on premises behind ${gw.name} (${formatIpv4(p.dstIp)})` }, packet: p };
}

function fromOnPremises(w: Walk, gatewayName: string, p: Packet): Outcome {
  const gw = w.net.gateways.get(gatewayName)!;
  const nic = w.net.nics.find((n) => n.id === `gateway:${gw.name}`);
  if (!nic) return drop(w, `gateway ${gw.name} has no GatewaySubnet`, p);
  hop(w, { at: gw.name, node: `gateway:${gw.name}`, kind: 'ingress', decision: 'forward', rule: `gateway ${gw.name}`, loc: gw.loc, detail: 'from on premises; routed from the GatewaySubnet' });
  return routeFrom(w, nic, p);
}

// ---------------------------------------------------------------------------
// Replies (F1.5.1, F4.6, F2.7.4, F3.2, §8.4): every leg's reply must come back.
//
// A connection's legs are separated by the firewalls that rewrote its source
// (F4.5: a network rule to a destination outside the SNAT private ranges,
// every application rule, DNAT). Replies travel the legs backwards:
//  - the last leg's reply starts where the packet was delivered: at the
//    interface it reached, at the gateway for on-premises destinations, and
//    for the Internet, a PaaS public endpoint or a service endpoint at the
//    public address the leg's start sent it from (a firewall's or the
//    source's own: F11.2), which hands it straight back to that start;
//  - every earlier leg's reply starts at the firewall that ended it, which
//    translates the reply's destination back to the leg's source (F4.6.1) and
//    routes it from AzureFirewallSubnet, with the far end's address still as
//    its source.
// Each reply follows routes only (NSGs let replies through, F1.5.1), must
// cross exactly the firewalls that forwarded its leg without SNAT (F2.7.4,
// F4.6), and enters a peered VNet only if it originated in the VNet it leaves
// or the receiving link allows forwarded traffic (F3.2, §8.4): a reply the hub
// firewall relays from the Internet or on premises to a spoke needs the
// spoke's allowForwardedTraffic. A leg that DNAT ended is answered by the
// firewall from the public address the client reached (F4.5.4), not walked.

/** Where the last leg's reply starts, when it is routed at all. */
interface LastLeg {
  readonly from: Nic;
  /** The reply comes from on premises through this gateway: its first peering crossing is relayed by the gateway (F3.2). */
  readonly gateway?: boolean;
}

/** Checks the replies of every leg, the last first; returns an outcome when one cannot return. */
function repliesReturn(w: Walk, last: LastLeg | undefined, p: Packet): Outcome | undefined {
  const legs = w.legs;
  if (last) {
    const stop = replyCheck(w, last.from, p.srcIp, p.dstIp, currentLeg(w).noSnat, last.gateway ?? false, undefined, p);
    if (stop) return stop;
  }
  for (let k = legs.length - 2; k >= 0; k--) {
    const end = legs[k].end!;
    if (end.dnat) continue;
    const stop = replyCheck(w, end.firewall.nic, end.srcIp, end.dstIp, legs[k].noSnat, false, end.firewall.name, p);
    if (stop) return stop;
  }
  return undefined;
}

/** The reply from `from` (source `replySrc`) to `client` must return, through exactly the firewalls in `expect`. */
function replyCheck(w: Walk, from: Nic, client: number, replySrc: number, expect: readonly string[], viaGateway: boolean, relay: string | undefined, p: Packet): Outcome | undefined {
  const reply = replyPath(w.net, from, replySrc, client, viaGateway);
  const what = `the reply to ${formatIpv4(client)}${relay ? ` (relayed back by firewall ${relay} with source ${formatIpv4(replySrc)})` : ''}`;
  const at = { at: from.subnet.id, node: `subnet:${from.subnet.id}`, kind: 'symmetry' as const };
  if (reply.unknown) {
    hop(w, { ...at, decision: 'unknown', ...(reply.stopRule ? { rule: reply.stopRule.label, ruleId: reply.stopRule.id, loc: reply.stopRule.loc } : {}), detail: `${what}: ${reply.unknown}` });
    return unknown(w, `${what}: ${reply.unknown}`, p);
  }
  if (reply.drop) {
    hop(w, { ...at, decision: 'drop', ...(reply.dropRule ? { rule: reply.dropRule.label, ruleId: reply.dropRule.id, loc: reply.dropRule.loc } : {}), detail: `${what} cannot return: ${reply.drop}` });
    return drop(w, `the reply cannot return: ${reply.drop}`, p);
  }
  const back = new Set(reply.firewalls);
  const missing = expect.filter((f) => !back.has(f));
  const extra = reply.firewalls.filter((f) => !expect.includes(f));
  if (missing.length > 0 || extra.length > 0) {
    const detail = missing.length > 0
      ? `the request crossed firewall ${missing.join(', ')} without SNAT, but ${what} returns ${reply.firewalls.length ? `through ${reply.firewalls.join(', ')}` : 'directly'}: the firewall sees one direction only and drops the connection (F2.7.4, F4.6)`
      : `${what} goes through firewall ${extra.join(', ')}, which never saw the request and drops it (F4.6)`;
    hop(w, { ...at, decision: 'drop', ...(reply.firstRoute ? { rule: reply.firstRoute.label, ruleId: reply.firstRoute.id, loc: reply.firstRoute.loc } : {}), detail });
    return drop(w, 'asymmetric path through a stateful firewall', p);
  }
  return undefined;
}

type Ref = { readonly id: string; readonly label: string; readonly loc: import('../scenario/source-loc.js').SourceLoc };

export interface ReplyPath {
  readonly firewalls: string[];
  readonly drop?: string;
  /** What stops the reply, when a peering link or a route does. */
  readonly dropRule?: Ref;
  /** Why topo cannot tell whether the reply returns (an appliance it does not model on the way). */
  readonly unknown?: string;
  readonly stopRule?: Ref;
  /** The route the reply takes first. */
  readonly firstRoute?: Ref;
}

/**
 * The route-only path of a reply from `from` (with source `replySrc`) back to
 * `to`: NSGs are stateful and let replies through (F1.5.1); what matters is
 * which firewalls it crosses and whether peerings accept it. `viaGateway`:
 * the reply comes in from on premises through `from`, a virtual network
 * gateway, so its first peering crossing needs no allowForwardedTraffic (F3.2).
 */
export function replyPath(net: Network, from: Nic, replySrc: number, to: number, viaGateway = false): ReplyPath {
  const firewalls: string[] = [];
  let at: Nic = from;
  let first: Ref | undefined;
  for (let i = 0; i < MAX_STEPS; i++) {
    const seg = lookupRoute(at.subnet.routes, to);
    if (!seg) return { firewalls, drop: 'no route' };
    const ref = { id: seg.route.ref.id, label: seg.route.ref.label, loc: seg.route.ref.loc };
    if (i === 0) first = ref;
    const nh = seg.route.nextHop;
    const done = (extra: Partial<ReplyPath> = {}): ReplyPath => ({ firewalls, firstRoute: first, ...extra });
    const cross = (target: string, relayed: boolean): Pick<ReplyPath, 'drop' | 'dropRule'> | undefined => {
      if (target === at.subnet.vnet) return undefined;
      const link = net.vnets.get(at.subnet.vnet)!.peerings.find((l) => l.remote === target && l.connected);
      const back = net.vnets.get(target)!.peerings.find((l) => l.remote === at.subnet.vnet);
      if (!link || !back) return { drop: `'${at.subnet.vnet}' and '${target}' are not peered` };
      if (!relayed && !net.vnets.get(at.subnet.vnet)!.space.has(replySrc) && !back.allowForwardedTraffic.value) {
        return {
          drop: `peering '${back.name}' of '${target}' refuses forwarded traffic (allowForwardedTraffic ${flagText(back.allowForwardedTraffic)}, §8.4)`,
          dropRule: { id: `${back.local}/${back.name}`, label: `${back.local}/${back.name} (to ${back.remote})`, loc: back.allowForwardedTraffic.loc },
        };
      }
      return undefined;
    };
    switch (nh.type) {
      case 'VnetLocal':
      case 'VNetPeering':
      case 'InterfaceEndpoint': {
        const target = nh.type === 'VnetLocal' ? at.subnet.vnet : nh.type === 'VNetPeering' ? nh.peer : nh.vnet;
        // As on the way out: a gateway relays into a peered VNet without the forwarded-traffic flag (F3.2).
        const problem = cross(target, viaGateway && i === 0);
        return done(problem ?? {});
      }
      case 'VirtualAppliance': {
        const vnets = [at.subnet.vnet, ...net.vnets.get(at.subnet.vnet)!.peerings.filter((l) => l.connected).map((l) => l.remote)];
        let target: Nic | undefined;
        for (const v of vnets) if ((target = net.nicAt(v, nh.ip))) break;
        if (!target) return done({ drop: `next hop ${formatIpv4(nh.ip)} is no interface (F2.3.2)`, dropRule: ref });
        const problem = cross(target.subnet.vnet, false);
        if (problem) return done(problem);
        // The reply is addressed to the next hop itself (a firewall's SNAT address): it arrives there.
        if (target.addresses.has(to)) return done();
        if (target.kind !== 'firewall') {
          if (target.ipForwarding) return done({ unknown: `it is routed to ${target.label}, a network virtual appliance whose forwarding topo does not model`, stopRule: ref });
          return done({ drop: `it is routed to ${target.label}, which does not have IP forwarding enabled (F2.3.2)`, dropRule: ref });
        }
        firewalls.push(target.firewall!);
        at = target;
        continue;
      }
      case 'Internet':
      case 'VirtualNetworkGateway':
      case 'VirtualNetworkServiceEndpoint':
        return done();
      case 'None':
        return done({ drop: `route ${seg.route.ref.label} drops the reply`, dropRule: ref });
    }
  }
  return { firewalls, drop: 'routing loop', firstRoute: first };
}

export function describePacket(net: Network, p: Packet): string {
  const name = net.names[p.dstName];
  const ports = hasPorts(p.protocol) ? `:${p.dstPort}` : '';
  const src = hasPorts(p.protocol) ? `:${p.srcPort}` : '';
  return `${protocolName(p.protocol)} ${formatIpv4(p.srcIp)}${src} -> ${formatIpv4(p.dstIp)}${ports}${name && name.kind !== 'none' ? ` (${name.label})` : ''}`;
}

export { formatLoc };
