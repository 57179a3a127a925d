/** Checks of VNets, subnets, peerings and gateways (F2.1, F3, F4.9, F6.1). */
import { prefixContains, prefixesOverlap, formatPrefix, type Ipv4Prefix } from '../../net/ipv4.js';
import { serviceEndpointNames, resourceType } from '../../catalog/resource-types.js';
import { managedServiceByAlias, managedServices } from '../../catalog/managed-services.js';
import { didYouMean } from '../../net/text.js';
import type { SourceLoc } from '../source-loc.js';
import type { Subnet, VNet } from '../types.js';
import type { CheckContext } from './context.js';

/** Special subnets Azure refuses below a size: F4.9.1 (firewall), F4.7.2 (forced-tunnel management). */
const MIN_SUBNET_SIZE: Readonly<Record<string, { len: number; fact: string }>> = {
  AzureFirewallSubnet: { len: 26, fact: 'F4.9.1' },
  AzureFirewallManagementSubnet: { len: 26, fact: 'F4.7.2' },
};

export interface ParsedSpace {
  readonly vnet: VNet;
  readonly space: { prefix: Ipv4Prefix; loc: SourceLoc }[];
  readonly subnets: Map<string, { prefix: Ipv4Prefix; loc: SourceLoc }[]>;
}

export function checkVnets(c: CheckContext): Map<string, ParsedSpace> {
  const parsed = new Map<string, ParsedSpace>();
  for (const vnet of c.s.vnets.values()) {
    const space: ParsedSpace['space'] = [];
    for (const a of vnet.addressSpace) {
      const p = c.prefix(a, `address space of VNet '${vnet.name}'`);
      if (!p) continue;
      const clash = space.find((x) => prefixesOverlap(x.prefix, p));
      if (clash) c.report('TOPO203', `address space ${a.value} of VNet '${vnet.name}' overlaps ${formatPrefix(clash.prefix)} of the same VNet`, a.loc, { related: [{ message: 'the other range', loc: clash.loc }] });
      space.push({ prefix: p, loc: a.loc });
    }
    if (vnet.region) checkRegion(c, vnet.region.value, vnet.region.loc);
    const subnets = new Map<string, { prefix: Ipv4Prefix; loc: SourceLoc }[]>();
    const all: { subnet: Subnet; prefix: Ipv4Prefix; loc: SourceLoc }[] = [];
    for (const subnet of vnet.subnets.values()) {
      const list: { prefix: Ipv4Prefix; loc: SourceLoc }[] = [];
      if (subnet.addressPrefixes.length === 0) c.report('TOPO101', `subnet '${subnet.id}' has no addressPrefix`, subnet.nameLoc ?? subnet.loc);
      for (const a of subnet.addressPrefixes) {
        const p = c.prefix(a, `prefix of subnet '${subnet.id}'`);
        if (!p) continue;
        if (space.length > 0 && !space.some((s) => prefixContains(s.prefix, p))) {
          c.report('TOPO202', `subnet '${subnet.id}' prefix ${a.value} is not inside the address space of VNet '${vnet.name}' (${space.map((s) => formatPrefix(s.prefix)).join(', ')})`, a.loc);
        }
        const clash = all.find((x) => prefixesOverlap(x.prefix, p));
        if (clash) {
          c.report('TOPO203', `subnet '${subnet.id}' prefix ${a.value} overlaps subnet '${clash.subnet.id}' (${formatPrefix(clash.prefix)})`, a.loc, { related: [{ message: `subnet '${clash.subnet.id}'`, loc: clash.loc }] });
        }
        const min = MIN_SUBNET_SIZE[subnet.name];
        if (p.len > 29) c.report('TOPO231', `subnet '${subnet.id}' prefix ${a.value} is smaller than /29, the smallest subnet Azure allows`, a.loc);
        else if (min && p.len > min.len) c.report('TOPO231', `${subnet.name} prefix ${a.value} of VNet '${vnet.name}' is smaller than /${min.len}, the size Azure requires for it (${min.fact})`, a.loc);
        list.push({ prefix: p, loc: a.loc });
        all.push({ subnet, prefix: p, loc: a.loc });
      }
      subnets.set(subnet.name, list);
      checkSubnet(c, vnet, subnet);
    }
    parsed.set(vnet.name, { vnet, space, subnets });
  }
  checkPeerings(c, parsed);
  return parsed;
}

function checkSubnet(c: CheckContext, vnet: VNet, subnet: Subnet): void {
  const where = `subnet '${subnet.id}'`;
  c.ref(subnet.networkSecurityGroup, c.s.networkSecurityGroups, 'NSG', where);
  c.ref(subnet.routeTable, c.s.routeTables, 'route table', where);
  c.ref(subnet.natGateway, c.s.natGateways, 'NAT gateway', where);
  if (subnet.name === 'AzureFirewallSubnet' && subnet.networkSecurityGroup) {
    c.report('TOPO213', `AzureFirewallSubnet of VNet '${vnet.name}' has an NSG; Azure does not support NSGs there`, subnet.networkSecurityGroup.loc, { hint: 'remove the NSG; filter with firewall rules instead (F1.8.2, F4.9.2)' });
  }
  if (subnet.name === 'AzureBastionSubnet' && subnet.routeTable) {
    c.report('TOPO214', `AzureBastionSubnet of VNet '${vnet.name}' has a route table; Azure does not support UDRs there`, subnet.routeTable.loc, { hint: 'remove the route table (F6.1.1)' });
  }
  const known = serviceEndpointNames();
  const enabled: string[] = [];
  const enabledAt = new Map<string, SourceLoc>();
  for (const se of subnet.serviceEndpoints) {
    const hit = known.find((k) => k.toLowerCase() === se.value.toLowerCase());
    if (!hit) {
      const guess = didYouMean(se.value, known);
      c.report('TOPO205', `${where} enables service endpoint '${se.value}', which Azure does not have`, se.loc, { hint: guess ? `did you mean '${guess}'?` : `known: ${known.join(', ')}` });
    } else {
      enabled.push(hit);
      if (!enabledAt.has(hit)) enabledAt.set(hit, se.loc);
    }
  }
  if (enabledAt.has('Microsoft.Storage') && enabledAt.has('Microsoft.Storage.Global')) {
    c.report('TOPO219', `${where} enables both Microsoft.Storage and Microsoft.Storage.Global; a subnet can have only one (F5.3.4)`, enabledAt.get('Microsoft.Storage.Global'), {
      related: [{ message: 'Microsoft.Storage', loc: enabledAt.get('Microsoft.Storage')! }],
    });
  }
  for (const policy of subnet.serviceEndpointPolicies) {
    if (!enabled.some((e) => e.startsWith('Microsoft.Storage'))) {
      c.report('TOPO219', `${where} has a service endpoint policy but no Microsoft.Storage service endpoint for it to apply to`, policy.loc, { hint: 'add Microsoft.Storage to serviceEndpoints' });
    }
    if (policy.resources.length === 0 && policy.aliases.length === 0) c.report('TOPO101', `the service endpoint policy of ${where} lists no storage account and no alias`, policy.loc);
    for (const a of policy.aliases) {
      if (!managedServiceByAlias(a.value)) {
        const known = managedServices().map((m) => m.alias);
        c.report('TOPO205', `service endpoint policy alias '${a.value}' of ${where} is not one topo knows`, a.loc, { hint: `known aliases: ${known.join(', ')}` });
      }
    }
    for (const r of policy.resources) {
      if (!c.ref(r, c.s.resources, 'resource', `service endpoint policy of ${where}`)) continue;
      const type = c.s.resources.get(r.value)!.type.value;
      if (resourceType(type)?.serviceTag !== 'Storage') c.report('TOPO219', `service endpoint policies list storage accounts; '${r.value}' is a ${type}`, r.loc);
    }
  }
}

function checkPeerings(c: CheckContext, parsed: Map<string, ParsedSpace>): void {
  for (const vnet of c.s.vnets.values()) {
    let remoteGatewayUsers = 0;
    for (const p of vnet.peerings.values()) {
      const where = `peering '${p.name}' of VNet '${vnet.name}'`;
      if (!c.ref(p.remoteVirtualNetwork, c.s.vnets, 'VNet', where)) continue;
      const remote = c.s.vnets.get(p.remoteVirtualNetwork.value)!;
      if (remote.name === vnet.name) {
        c.report('TOPO230', `${where} points at its own VNet`, p.remoteVirtualNetwork.loc);
        continue;
      }
      const back = [...remote.peerings.values()].find((r) => r.remoteVirtualNetwork.value === vnet.name);
      if (!back) {
        c.report('TOPO300', `${where} is one-sided: VNet '${remote.name}' declares no peering back, so it carries no traffic (F3.1.1)`, p.loc, { hint: `add a peering to '${vnet.name}' under vnets.${remote.name}.peerings` });
      }
      if (vnet.name < remote.name || !back) {
        for (const a of parsed.get(vnet.name)?.space ?? []) {
          for (const b of parsed.get(remote.name)?.space ?? []) {
            if (prefixesOverlap(a.prefix, b.prefix)) {
              c.report('TOPO204', `VNets '${vnet.name}' and '${remote.name}' are peered but their address spaces overlap (${formatPrefix(a.prefix)} and ${formatPrefix(b.prefix)}); Azure refuses such a peering (F3.1.2)`, p.loc, { related: [{ message: `'${remote.name}' range`, loc: b.loc }] });
            }
          }
        }
      }
      if (p.useRemoteGateways?.value) {
        remoteGatewayUsers += 1;
        const ownGateway = [...c.s.virtualNetworkGateways.values()].some((g) => g.vnet.value === vnet.name);
        const remoteGateway = [...c.s.virtualNetworkGateways.values()].some((g) => g.vnet.value === remote.name);
        if (ownGateway) c.report('TOPO226', `${where} sets useRemoteGateways but VNet '${vnet.name}' has a gateway of its own (F3.2)`, p.useRemoteGateways.loc);
        if (!remoteGateway) c.report('TOPO226', `${where} sets useRemoteGateways but VNet '${remote.name}' has no gateway (F3.2)`, p.useRemoteGateways.loc);
        if (back && !back.allowGatewayTransit?.value) c.report('TOPO226', `${where} sets useRemoteGateways but the peering back from '${remote.name}' does not set allowGatewayTransit (F3.2)`, p.useRemoteGateways.loc, { hint: `set allowGatewayTransit: true on vnets.${remote.name}.peerings.${back.name}` });
        if (remoteGatewayUsers > 1) c.report('TOPO226', `VNet '${vnet.name}' sets useRemoteGateways on more than one peering; Azure allows one (F3.2, §8.26)`, p.useRemoteGateways.loc);
      }
    }
  }
}

export function checkRegion(c: CheckContext, region: string, loc: SourceLoc): void {
  const regions = c.catalog.regions();
  if (regions.has(region.toLowerCase())) return;
  const guess = didYouMean(region, regions);
  c.report('TOPO228', `'${region}' is not an Azure region the service tag catalog knows`, loc, { hint: guess ? `did you mean '${guess}'?` : 'use the ARM location name, e.g. eastus or westeurope' });
}

export function checkGateways(c: CheckContext): void {
  for (const g of c.s.virtualNetworkGateways.values()) {
    const where = `gateway '${g.name}'`;
    if (c.ref(g.vnet, c.s.vnets, 'VNet', where) && !c.s.vnets.get(g.vnet.value)!.subnets.has('GatewaySubnet')) {
      c.report('TOPO215', `${where} lives in VNet '${g.vnet.value}', which has no GatewaySubnet`, g.vnet.loc, { hint: `add a GatewaySubnet to vnets.${g.vnet.value}.subnets` });
    }
    for (const p of g.remoteAddressPrefixes) c.prefix(p, `remote prefix of ${where}`);
  }
}
