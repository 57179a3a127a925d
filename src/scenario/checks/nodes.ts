/** Checks of hosts, private endpoints, resources and externals (F1.7, F5, F11). */
import { canonicalGroupId, resourceType } from '../../catalog/resource-types.js';
import { formatIpv4, isAzureReserved, isPrivateAddress, isPublicAddress, parsePrefix, prefixHas, RFC1918, prefixesOverlap } from '../../net/ipv4.js';
import { didYouMean } from '../../net/text.js';
import type { Located, SourceLoc } from '../source-loc.js';
import type { CheckContext } from './context.js';
import { checkRegion } from './network.js';

interface Nic {
  readonly what: string;
  readonly vnet: string;
  readonly addr: number;
  readonly loc: SourceLoc;
}

/** An address inside its subnet and not one of the five Azure keeps (F-subnet: first four and last). */
function placeNic(c: CheckContext, subnetRef: Located<string>, ip: Located<string>, what: string, nics: Nic[]): void {
  if (!c.ref(subnetRef, c.subnetIds(), 'subnet', what)) return;
  const subnet = c.subnet(subnetRef.value)!;
  const p = c.prefix(ip, `private IP of ${what}`);
  if (!p) return;
  if (p.len !== 32) {
    c.report('TOPO200', `private IP of ${what} must be one address, not the prefix ${ip.value}`, ip.loc);
    return;
  }
  const prefixes = subnet.addressPrefixes.map((x) => parsePrefix(x.value)).flatMap((x) => (x.ok ? [x.prefix] : []));
  const home = prefixes.find((x) => prefixHas(x, p.addr));
  if (!home) {
    if (prefixes.length) c.report('TOPO210', `private IP ${ip.value} of ${what} is not inside subnet '${subnet.id}' (${subnet.addressPrefixes.map((x) => x.value).join(', ')})`, ip.loc);
    return;
  }
  if (isAzureReserved(home, p.addr)) {
    c.report('TOPO211', `private IP ${ip.value} of ${what} is one of the five addresses Azure reserves in subnet '${subnet.id}' (the first four and the last)`, ip.loc, { hint: `the first usable address is ${formatIpv4(home.addr + 4)}` });
  }
  const clash = nics.find((n) => n.vnet === subnet.vnet && n.addr === p.addr);
  if (clash) c.report('TOPO212', `private IP ${ip.value} of ${what} is already used by ${clash.what}`, ip.loc, { related: [{ message: clash.what, loc: clash.loc }] });
  nics.push({ what, vnet: subnet.vnet, addr: p.addr, loc: ip.loc });
}

export function checkNodes(c: CheckContext): void {
  const nics: Nic[] = [];
  for (const fw of c.s.firewalls.values()) {
    const p = parsePrefix(fw.privateIpAddress.value);
    if (p.ok) nics.push({ what: `firewall '${fw.name}'`, vnet: fw.vnet.value, addr: p.prefix.addr, loc: fw.privateIpAddress.loc });
  }
  const asgVnets = new Map<string, { vnet: string; loc: SourceLoc; who: string }>();
  const memberOf = (asg: Located<string>, vnet: string | undefined, who: string) => {
    if (!vnet) return;
    const first = asgVnets.get(asg.value);
    if (!first) asgVnets.set(asg.value, { vnet, loc: asg.loc, who });
    else if (first.vnet !== vnet) {
      c.report('TOPO219', `ASG '${asg.value}' has members in VNets '${first.vnet}' and '${vnet}'; all members of an ASG must be in one VNet (F1.7.3)`, asg.loc, { related: [{ message: `${first.who} is in '${first.vnet}'`, loc: first.loc }] });
    }
  };
  for (const h of c.s.hosts.values()) {
    const what = `host '${h.name}'`;
    placeNic(c, h.subnet, h.privateIpAddress, what, nics);
    c.ref(h.networkSecurityGroup, c.s.networkSecurityGroups, 'NSG', what);
    const vnet = c.subnet(h.subnet.value)?.vnet;
    for (const a of h.applicationSecurityGroups) if (c.ref(a, c.s.applicationSecurityGroups, 'application security group', what)) memberOf(a, vnet, what);
    const subnetName = c.subnet(h.subnet.value)?.name;
    if (subnetName === 'AzureFirewallSubnet' || subnetName === 'GatewaySubnet') {
      c.report('TOPO219', `${what} is placed in ${subnetName}, which holds only the ${subnetName === 'GatewaySubnet' ? 'gateway' : 'firewall'}`, h.subnet.loc);
    }
    if (h.publicIpAddress) {
      const p = c.prefix(h.publicIpAddress, `public IP of ${what}`);
      if (p && (p.len !== 32 || !isPublicAddress(p.addr))) c.report('TOPO200', `public IP ${h.publicIpAddress.value} of ${what} is not a single public IPv4 address`, h.publicIpAddress.loc);
    }
  }
  for (const pe of c.s.privateEndpoints.values()) {
    const what = `private endpoint '${pe.name}'`;
    placeNic(c, pe.subnet, pe.privateIpAddress, what, nics);
    const vnet = c.subnet(pe.subnet.value)?.vnet;
    for (const a of pe.applicationSecurityGroups) if (c.ref(a, c.s.applicationSecurityGroups, 'application security group', what)) memberOf(a, vnet, what);
    const subnetName = c.subnet(pe.subnet.value)?.name;
    if (subnetName === 'AzureFirewallSubnet' || subnetName === 'GatewaySubnet' || subnetName === 'AzureBastionSubnet') {
      c.report('TOPO219', `${what} is placed in ${subnetName}, which takes no private endpoints`, pe.subnet.loc);
    }
    if (!c.ref(pe.resource, c.s.resources, 'resource', what)) continue;
    const info = resourceType(c.s.resources.get(pe.resource.value)!.type.value);
    if (info && !canonicalGroupId(info, pe.groupId.value)) {
      const groups = Object.keys(info.groups);
      const guess = didYouMean(pe.groupId.value, groups);
      c.report('TOPO205', `${what} targets groupId '${pe.groupId.value}', which a ${info.label} does not have (F5.1.3)`, pe.groupId.loc, { hint: guess ? `did you mean '${guess}'?` : `groupIds: ${groups.join(', ')}` });
    }
  }
  for (const r of c.s.resources.values()) checkResource(c, r.name);
  for (const e of c.s.externals.values()) {
    for (const a of e.addressPrefixes) c.prefix(a, `prefix of external '${e.name}'`);
  }
}

function checkResource(c: CheckContext, name: string): void {
  const r = c.s.resources.get(name)!;
  const what = `resource '${name}'`;
  if (r.region) checkRegion(c, r.region.value, r.region.loc);
  const acls = r.networkAcls;
  if (!acls) return;
  const bypassValues = ['AzureServices', 'Logging', 'Metrics', 'None'];
  for (const b of acls.bypass) {
    if (!bypassValues.some((v) => v.toLowerCase() === b.value.toLowerCase())) {
      const guess = didYouMean(b.value, bypassValues);
      c.report('TOPO103', `bypass value '${b.value}' of ${what} is not one of ${bypassValues.join(', ')}`, b.loc, guess ? { hint: `did you mean '${guess}'?` } : {});
    }
  }
  for (const ip of acls.ipRules) {
    const p = c.prefix(ip, `IP rule of ${what}`);
    if (!p) continue;
    // F5.3.5: public IPv4 only; no RFC 1918; no /31 or /32 (use the bare address).
    if (RFC1918.some((x) => prefixesOverlap(x, p)) || (p.len === 32 && isPrivateAddress(p.addr))) {
      c.report('TOPO200', `IP rule ${ip.value} of ${what} is a private range; IP rules take public addresses only (F5.3.5)`, ip.loc, { hint: 'admit private clients with a virtual network rule or a private endpoint' });
    } else if ((p.len === 31 || p.len === 32) && ip.value.includes('/')) {
      c.report('TOPO200', `IP rule ${ip.value} of ${what}: Azure rejects /31 and /32 prefixes (F5.3.5)`, ip.loc, { hint: `write the bare address${p.len === 32 ? ` ${formatIpv4(p.addr)}` : 'es'}` });
    }
  }
  const info = resourceType(r.type.value);
  for (const v of acls.virtualNetworkRules) {
    if (!c.ref(v, c.subnetIds(), 'subnet', `virtual network rule of ${what}`) || !info || info.serviceEndpoints.length === 0) continue;
    // F5.3.4 / F5.4.2: a virtual network rule admits a subnet only through the service's endpoint on it; Azure refuses the rule otherwise.
    const wanted = info.serviceEndpoints.map((x) => x.toLowerCase());
    if (!c.subnet(v.value)!.serviceEndpoints.some((se) => wanted.includes(se.value.toLowerCase()))) {
      const fact = info.aclModel === 'keyvault' ? 'F5.4.2' : info.aclModel === 'storage' ? 'F5.3.4' : 'F2.8.1';
      c.report('TOPO219', `virtual network rule '${v.value}' of ${what} names a subnet without the ${info.serviceEndpoints.join(' or ')} service endpoint (${fact})`, v.loc, {
        hint: `add ${info.serviceEndpoints[0]} to serviceEndpoints of subnet '${v.value}'`,
      });
    }
  }
}
