/** Checks of NSGs, ASGs, route tables and attachments (F1.1, F1.7, F2.3). */
import { notAllowedInRoutes, pseudoTag } from '../../catalog/pseudo-tags.js';
import { addressToken } from '../address-token.js';
import type { SourceLoc } from '../source-loc.js';
import type { SecurityRule } from '../types.js';
import { SPECIAL_SUBNETS, type CheckContext } from './context.js';

export function checkNsgs(c: CheckContext): void {
  for (const nsg of c.s.networkSecurityGroups.values()) {
    c.uniqueNames(nsg.securityRules.map((r) => ({ name: r.name, loc: r.nameLoc })), 'rule', `NSG '${nsg.name}'`);
    const seen = new Map<string, SecurityRule>();
    for (const rule of nsg.securityRules) {
      checkRule(c, rule);
      if (rule.incomplete) continue;
      const key = `${rule.direction.value}|${rule.priority.value}`;
      const first = seen.get(key);
      if (first) {
        c.report('TOPO208', `rules '${first.name}' and '${rule.name}' of NSG '${nsg.name}' share priority ${rule.priority.value} (${rule.direction.value}); priorities are unique per direction`, rule.priority.loc, {
          related: [{ message: `rule '${first.name}'`, loc: first.priority.loc }],
        });
      } else seen.set(key, rule);
    }
  }
}

function checkRule(c: CheckContext, rule: SecurityRule): void {
  const where = `rule '${rule.name}' of NSG '${rule.nsg}'`;
  for (const side of ['source', 'destination'] as const) {
    const prefixes = side === 'source' ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
    const asgs = side === 'source' ? rule.sourceApplicationSecurityGroups : rule.destinationApplicationSecurityGroups;
    const ports = side === 'source' ? rule.sourcePortRanges : rule.destinationPortRanges;
    if (prefixes.length === 0 && asgs.length === 0) {
      c.report('TOPO101', `${where} has no ${side}`, rule.loc, { hint: `set ${side}AddressPrefix (a CIDR, a service tag or "*") or ${side}ApplicationSecurityGroups` });
    }
    if (prefixes.length > 0 && asgs.length > 0) {
      c.report('TOPO219', `${where} gives both ${side} addresses and ${side} ASGs; Azure takes one or the other`, asgs[0].loc);
    }
    const plural = prefixes.length > 1;
    for (const p of prefixes) {
      const t = c.address(p, `${side} of ${where}`, { ranges: false });
      if (plural && (t.kind === 'tag' || t.kind === 'any')) {
        c.report('TOPO219', `${where} lists '${p.value}' among several ${side} prefixes; Azure accepts a service tag or "*" only as the single ${side}AddressPrefix (F1.1.4)`, p.loc, { hint: 'split the rule, one per tag' });
      }
    }
    for (const a of asgs) c.ref(a, c.s.applicationSecurityGroups, 'application security group', where);
    if (asgs.length > 1) c.report('TOPO219', `${where} names several ${side} ASGs; an NSG rule takes one (F1.1.4)`, asgs[1].loc);
    if (ports.length === 0) {
      c.report('TOPO101', `${where} has no ${side} port range`, rule.loc, { hint: `write ${side}PortRange: "*" for any port` });
    }
    for (const p of ports) c.port(p, `${side} port of ${where}`);
  }
}

export function checkAttachments(c: CheckContext): void {
  const attachedNsgs = new Set<string>();
  const attachedTables = new Set<string>();
  for (const vnet of c.s.vnets.values()) {
    for (const subnet of vnet.subnets.values()) {
      if (subnet.networkSecurityGroup) attachedNsgs.add(subnet.networkSecurityGroup.value);
      if (subnet.routeTable) attachedTables.add(subnet.routeTable.value);
      const special = (SPECIAL_SUBNETS as readonly string[]).includes(subnet.name) && subnet.name !== 'AzureBastionSubnet';
      if (!subnet.networkSecurityGroup && !special) {
        c.report('TOPO302', `subnet '${subnet.id}' has no NSG: nothing filters its traffic`, subnet.nameLoc ?? subnet.loc, { hint: 'attach an NSG (networkSecurityGroup:) to the subnet' });
      }
    }
  }
  const asgMembers = new Set<string>();
  for (const h of c.s.hosts.values()) {
    if (h.networkSecurityGroup) attachedNsgs.add(h.networkSecurityGroup.value);
    for (const a of h.applicationSecurityGroups) asgMembers.add(a.value);
  }
  for (const pe of c.s.privateEndpoints.values()) for (const a of pe.applicationSecurityGroups) asgMembers.add(a.value);
  for (const nsg of c.s.networkSecurityGroups.values()) {
    if (!attachedNsgs.has(nsg.name)) c.report('TOPO301', `NSG '${nsg.name}' is attached to no subnet and no host`, nsg.nameLoc ?? nsg.loc, { hint: 'attach it, or delete it if it is left over' });
  }
  for (const table of c.s.routeTables.values()) {
    if (!attachedTables.has(table.name)) c.report('TOPO303', `route table '${table.name}' is attached to no subnet`, table.nameLoc ?? table.loc);
  }
  for (const asg of c.s.applicationSecurityGroups.values()) {
    if (!asgMembers.has(asg.name)) c.report('TOPO305', `application security group '${asg.name}' has no member`, asg.loc);
  }
}

export function checkRouteTables(c: CheckContext): void {
  const gatewaySubnetTables = new Map<string, SourceLoc>();
  for (const vnet of c.s.vnets.values()) {
    const gw = vnet.subnets.get('GatewaySubnet');
    if (gw?.routeTable) gatewaySubnetTables.set(gw.routeTable.value, gw.routeTable.loc);
  }
  for (const table of c.s.routeTables.values()) {
    c.uniqueNames(table.routes.map((r) => ({ name: r.name, loc: r.loc })), 'route', `route table '${table.name}'`);
    const onGateway = gatewaySubnetTables.get(table.name);
    if (onGateway && table.disableBgpRoutePropagation?.value) {
      c.report('TOPO304', `route table '${table.name}' disables gateway route propagation and is attached to a GatewaySubnet; that breaks the gateway (F2.3.5)`, table.disableBgpRoutePropagation.loc);
    }
    for (const route of table.routes) {
      const where = `route '${route.name}' of table '${table.name}'`;
      const t = c.address(route.addressPrefix, `prefix of ${where}`, { ranges: false });
      if (t.kind === 'any' && isWildcard(route.addressPrefix.value)) {
        // F2.3: a route names a CIDR or a service tag; "*" would silently read as 0.0.0.0/0.
        c.report('TOPO200', `prefix '${route.addressPrefix.value}' of ${where} is not a CIDR prefix or a service tag`, route.addressPrefix.loc, { hint: 'write 0.0.0.0/0 for a default route' });
      }
      if (t.kind === 'tag' && notAllowedInRoutes(t.name)) {
        c.report('TOPO217', `${where} uses the tag '${route.addressPrefix.value}', which user-defined routes cannot use (F2.3.4)`, route.addressPrefix.loc);
      }
      if (onGateway && t.kind === 'any') {
        c.report('TOPO304', `${where} sends 0.0.0.0/0 from a GatewaySubnet; that breaks the gateway (F2.3.5)`, route.addressPrefix.loc);
      }
      const needsIp = route.nextHopType.value === 'VirtualAppliance';
      if (needsIp && !route.nextHopIpAddress) {
        c.report('TOPO216', `${where} has next hop VirtualAppliance but no nextHopIpAddress`, route.nextHopType.loc, { hint: 'set nextHopIpAddress to the private IP of the firewall or appliance' });
      } else if (!needsIp && route.nextHopIpAddress) {
        c.report('TOPO216', `${where} has a nextHopIpAddress but next hop ${route.nextHopType.value}; only VirtualAppliance takes one`, route.nextHopIpAddress.loc);
      } else if (route.nextHopIpAddress) {
        const p = c.prefix(route.nextHopIpAddress, `next hop of ${where}`);
        if (p && p.len !== 32) c.report('TOPO200', `next hop of ${where} must be one address, not the prefix ${route.nextHopIpAddress.value}`, route.nextHopIpAddress.loc);
      }
    }
  }
}

export function checkIpGroups(c: CheckContext): void {
  for (const group of c.s.ipGroups.values()) {
    if (group.addresses.length === 0) c.report('TOPO306', `IP group '${group.name}' is empty: Azure Firewall skips every rule that uses it (F4.3.3)`, group.loc);
    for (const a of group.addresses) {
      // F4.3.3: addresses, CIDRs and ranges only. A known tag gets its own code; other words are not addresses.
      const t = addressToken(a.value, true);
      if (t.kind === 'tag' && c.knownTag(t.name)) c.report('TOPO217', `IP group '${group.name}' holds the service tag '${a.value}'; IP groups hold addresses, CIDRs and ranges only (F4.3.3)`, a.loc);
      else if (t.kind === 'tag' || (t.kind === 'any' && isWildcard(a.value))) c.report('TOPO200', `'${a.value}' in IP group '${group.name}' is not an IPv4 address, CIDR prefix or range (F4.3.3)`, a.loc);
      else c.address(a, `address of IP group '${group.name}'`, { ranges: true });
    }
  }
}

/** `*` or `Any`: "every address" in rules, but not an address a route or an IP group can hold. */
function isWildcard(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  return v === '*' || v === 'any';
}

export function isPseudo(name: string): boolean {
  return pseudoTag(name) !== undefined;
}
