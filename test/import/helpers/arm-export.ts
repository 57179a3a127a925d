/**
 * A loaded scenario written back as ARM resource JSON, the way Azure prints
 * deployed resources: REST layout (properties nested), and from it the
 * Resource Graph layout (lower-case types, `data`) and the az CLI layout
 * (properties flattened). Every scenario object becomes the resources Azure
 * would hold for it (a host is a NIC plus the VM using it, a public address
 * a publicIPAddresses resource, a VPN prefix a local network gateway with a
 * connection). Test-only: it is the other half of the import round trip,
 * not a deployable template.
 */
import type * as T from '../../../src/scenario/types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const SUB = '00000000-0000-0000-0000-0000000000aa';
const RG = 'rg-export';

function id(type: string, ...names: string[]): string {
  const [ns, ...types] = type.split('/');
  return `/subscriptions/${SUB}/resourceGroups/${RG}/providers/${ns}/${types.map((t, i) => `${t}/${names[i]}`).join('/')}`;
}

const ref = (type: string, ...names: string[]): Obj => ({ id: id(type, ...names) });
const v = <X>(l: { value: X } | undefined): X | undefined => l?.value;
const list = (l: readonly { value: string }[]): string[] => l.map((x) => x.value);

function resource(type: string, name: string, properties: Obj, region: string, extra: Obj = {}): Obj {
  return { id: id(type, name), name, type, location: region, properties, ...extra };
}

/** One prefix as the singular ARM field, several as the plural one (Azure keeps the other empty). */
function pair(out: Obj, singular: string, plural: string, values: readonly string[]): void {
  out[singular] = values.length === 1 ? values[0] : '';
  out[plural] = values.length === 1 ? [] : [...values];
}

export function exportArm(s: T.Scenario): Obj[] {
  const region = s.region?.value ?? 'eastus';
  const out: Obj[] = [];
  const pips = new Map<string, string>();
  const pip = (addr: string, owner: string, sku?: 'Standard' | 'Basic'): Obj => {
    let name = pips.get(addr);
    if (!name) {
      name = `pip-${owner}-${pips.size}`;
      pips.set(addr, name);
      out.push(resource('Microsoft.Network/publicIPAddresses', name, { ipAddress: addr, publicIPAllocationMethod: 'Static' }, region, { sku: { name: sku ?? 'Standard' } }));
    }
    return ref('Microsoft.Network/publicIPAddresses', name);
  };
  const subnetRef = (subnet: string): Obj => ref('Microsoft.Network/virtualNetworks/subnets', ...subnet.split('/'));

  // ---- Service endpoint policies, one per subnet policy ------------------------------------------
  const sepRefs = new Map<string, Obj[]>();
  for (const vnet of s.vnets.values()) {
    for (const sub of vnet.subnets.values()) {
      sepRefs.set(
        sub.id,
        sub.serviceEndpointPolicies.map((p, i) => {
          const name = p.name ?? `sep-${vnet.name}-${sub.name}-${i}`;
          out.push(resource('Microsoft.Network/serviceEndpointPolicies', name, { serviceEndpointPolicyDefinitions: [{ name: 'storage', properties: { service: 'Microsoft.Storage', serviceResources: p.resources.map((r) => id('Microsoft.Storage/storageAccounts', r.value)) } }] }, region));
          return ref('Microsoft.Network/serviceEndpointPolicies', name);
        }),
      );
    }
  }

  for (const vnet of s.vnets.values()) {
    const subnets = [...vnet.subnets.values()].map((sub) => {
      const p: Obj = {};
      if (sub.addressPrefixes.length === 1) p.addressPrefix = sub.addressPrefixes[0].value;
      else p.addressPrefixes = list(sub.addressPrefixes);
      if (sub.networkSecurityGroup) p.networkSecurityGroup = ref('Microsoft.Network/networkSecurityGroups', sub.networkSecurityGroup.value);
      if (sub.routeTable) p.routeTable = ref('Microsoft.Network/routeTables', sub.routeTable.value);
      if (sub.natGateway) p.natGateway = ref('Microsoft.Network/natGateways', sub.natGateway.value);
      if (sub.defaultOutboundAccess) p.defaultOutboundAccess = sub.defaultOutboundAccess.value;
      p.serviceEndpoints = sub.serviceEndpoints.map((e) => ({ service: e.value, locations: [region] }));
      const seps = sepRefs.get(sub.id) ?? [];
      if (seps.length) p.serviceEndpointPolicies = seps;
      p.privateEndpointNetworkPolicies = sub.privateEndpointNetworkPolicies?.value ?? 'Disabled';
      return { id: id('Microsoft.Network/virtualNetworks/subnets', vnet.name, sub.name), name: sub.name, type: 'Microsoft.Network/virtualNetworks/subnets', properties: p };
    });
    const peerings = [...vnet.peerings.values()].map((p) => {
      const remote = s.vnets.get(p.remoteVirtualNetwork.value);
      return {
        id: id('Microsoft.Network/virtualNetworks/virtualNetworkPeerings', vnet.name, p.name),
        name: p.name,
        type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
        properties: {
          remoteVirtualNetwork: ref('Microsoft.Network/virtualNetworks', p.remoteVirtualNetwork.value),
          allowVirtualNetworkAccess: v(p.allowVirtualNetworkAccess) ?? true,
          allowForwardedTraffic: v(p.allowForwardedTraffic) ?? false,
          allowGatewayTransit: v(p.allowGatewayTransit) ?? false,
          useRemoteGateways: v(p.useRemoteGateways) ?? false,
          peeringState: remote && [...remote.peerings.values()].some((b) => b.remoteVirtualNetwork.value === vnet.name) ? 'Connected' : 'Initiated',
          remoteAddressSpace: { addressPrefixes: remote ? list(remote.addressSpace) : [] },
        },
      };
    });
    const props: Obj = { addressSpace: { addressPrefixes: list(vnet.addressSpace) }, subnets, virtualNetworkPeerings: peerings };
    if (vnet.dnsServers.length) props.dhcpOptions = { dnsServers: list(vnet.dnsServers) };
    out.push(resource('Microsoft.Network/virtualNetworks', vnet.name, props, vnet.region?.value ?? region));
  }

  for (const asg of s.applicationSecurityGroups.values()) out.push(resource('Microsoft.Network/applicationSecurityGroups', asg.name, {}, region));
  const asgRefs = (l: readonly { value: string }[]): Obj[] => l.map((a) => ref('Microsoft.Network/applicationSecurityGroups', a.value));

  for (const nsg of s.networkSecurityGroups.values()) {
    const rules = nsg.securityRules.map((r) => {
      const p: Obj = { priority: r.priority.value, direction: r.direction.value, access: r.access.value, protocol: r.protocol.value };
      pair(p, 'sourceAddressPrefix', 'sourceAddressPrefixes', list(r.sourceAddressPrefixes));
      pair(p, 'sourcePortRange', 'sourcePortRanges', list(r.sourcePortRanges));
      pair(p, 'destinationAddressPrefix', 'destinationAddressPrefixes', list(r.destinationAddressPrefixes));
      pair(p, 'destinationPortRange', 'destinationPortRanges', list(r.destinationPortRanges));
      if (r.sourceApplicationSecurityGroups.length) p.sourceApplicationSecurityGroups = asgRefs(r.sourceApplicationSecurityGroups);
      if (r.destinationApplicationSecurityGroups.length) p.destinationApplicationSecurityGroups = asgRefs(r.destinationApplicationSecurityGroups);
      return { id: id('Microsoft.Network/networkSecurityGroups/securityRules', nsg.name, r.name), name: r.name, properties: p };
    });
    // Azure lists its default rules separately; an export must not turn them into custom rules.
    const defaults = ['AllowVnetInBound', 'AllowAzureLoadBalancerInBound', 'DenyAllInBound'].map((n, i) => ({ name: n, properties: { priority: [65000, 65001, 65500][i], direction: 'Inbound' } }));
    out.push(resource('Microsoft.Network/networkSecurityGroups', nsg.name, { securityRules: rules, defaultSecurityRules: defaults }, region));
  }

  for (const t of s.routeTables.values()) {
    const routes = t.routes.map((r) => ({ id: id('Microsoft.Network/routeTables/routes', t.name, r.name), name: r.name, properties: { addressPrefix: r.addressPrefix.value, nextHopType: r.nextHopType.value, ...(r.nextHopIpAddress ? { nextHopIpAddress: r.nextHopIpAddress.value } : {}) } }));
    out.push(resource('Microsoft.Network/routeTables', t.name, { disableBgpRoutePropagation: v(t.disableBgpRoutePropagation) ?? false, routes }, region));
  }

  for (const n of s.natGateways.values()) out.push(resource('Microsoft.Network/natGateways', n.name, { publicIpAddresses: n.publicIpAddresses.map((a) => pip(a.value, n.name)) }, region, { sku: { name: 'Standard' } }));
  for (const g of s.ipGroups.values()) out.push(resource('Microsoft.Network/ipGroups', g.name, { ipAddresses: list(g.addresses) }, region));

  for (const policy of s.firewallPolicies.values()) {
    const p: Obj = { ruleCollectionGroups: policy.ruleCollectionGroups.map((g) => ref('Microsoft.Network/firewallPolicies/ruleCollectionGroups', policy.name, g.name)) };
    if (policy.basePolicy) p.basePolicy = ref('Microsoft.Network/firewallPolicies', policy.basePolicy.value);
    if (policy.sku) p.sku = { tier: policy.sku.value };
    if (policy.threatIntelMode) p.threatIntelMode = policy.threatIntelMode.value;
    if (policy.dnsProxy) p.dnsSettings = { enableProxy: policy.dnsProxy.value };
    if (policy.snatPrivateRanges) p.snat = { privateRanges: list(policy.snatPrivateRanges) };
    out.push(resource('Microsoft.Network/firewallPolicies', policy.name, p, region));
    for (const g of policy.ruleCollectionGroups) {
      const collections = g.ruleCollections.map((c) => ({
        name: c.name,
        priority: c.priority.value,
        ruleCollectionType: c.ruleCollectionType.value,
        action: { type: c.action.value === 'Dnat' ? 'DNAT' : c.action.value },
        rules: c.rules.map((r) => firewallRule(r, (n) => id('Microsoft.Network/ipGroups', n))),
      }));
      out.push({ id: id('Microsoft.Network/firewallPolicies/ruleCollectionGroups', policy.name, g.name), name: g.name, type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: { priority: g.priority.value, ruleCollections: collections } });
    }
  }

  for (const fw of s.firewalls.values()) {
    const addresses = list(fw.publicIpAddresses);
    const configs: Obj[] = [{ name: 'ipconfig0', properties: { privateIPAddress: fw.privateIpAddress.value, subnet: subnetRef(`${fw.vnet.value}/AzureFirewallSubnet`), ...(addresses[0] ? { publicIPAddress: pip(addresses[0], fw.name) } : {}) } }];
    for (const [i, a] of addresses.slice(1).entries()) configs.push({ name: `ipconfig${i + 1}`, properties: { publicIPAddress: pip(a, fw.name) } });
    const p: Obj = { ipConfigurations: configs, sku: { name: 'AZFW_VNet', tier: 'Standard' } };
    if (fw.firewallPolicy) p.firewallPolicy = ref('Microsoft.Network/firewallPolicies', fw.firewallPolicy.value);
    if (fw.forcedTunneling?.value) p.managementIpConfiguration = { name: 'mgmt', properties: { subnet: subnetRef(`${fw.vnet.value}/AzureFirewallManagementSubnet`) } };
    out.push(resource('Microsoft.Network/azureFirewalls', fw.name, p, region));
  }

  for (const g of s.virtualNetworkGateways.values()) {
    out.push(resource('Microsoft.Network/virtualNetworkGateways', g.name, { gatewayType: g.gatewayType.value, enableBgp: v(g.bgp) ?? false, ipConfigurations: [{ name: 'gwconfig', properties: { subnet: subnetRef(`${g.vnet.value}/GatewaySubnet`) } }] }, region));
    if (g.remoteAddressPrefixes.length) {
      out.push(resource('Microsoft.Network/localNetworkGateways', `lng-${g.name}`, { localNetworkAddressSpace: { addressPrefixes: list(g.remoteAddressPrefixes) } }, region));
      out.push(resource('Microsoft.Network/connections', `conn-${g.name}`, { virtualNetworkGateway1: ref('Microsoft.Network/virtualNetworkGateways', g.name), localNetworkGateway2: ref('Microsoft.Network/localNetworkGateways', `lng-${g.name}`), connectionType: 'IPsec' }, region));
    }
  }

  for (const h of s.hosts.values()) {
    const config: Obj = { privateIPAddress: h.privateIpAddress.value, privateIPAllocationMethod: 'Static', subnet: subnetRef(h.subnet.value), primary: true };
    if (h.publicIpAddress) config.publicIPAddress = pip(h.publicIpAddress.value, h.name, h.publicIpSku?.value);
    if (h.applicationSecurityGroups.length) config.applicationSecurityGroups = asgRefs(h.applicationSecurityGroups);
    const nic: Obj = { ipConfigurations: [{ name: 'ipconfig1', properties: config }], enableIPForwarding: v(h.enableIpForwarding) ?? false, virtualMachine: ref('Microsoft.Compute/virtualMachines', h.name) };
    if (h.networkSecurityGroup) nic.networkSecurityGroup = ref('Microsoft.Network/networkSecurityGroups', h.networkSecurityGroup.value);
    out.push(resource('Microsoft.Network/networkInterfaces', `${h.name}-nic`, nic, region));
    const image = h.role?.value === 'dsvm' ? { publisher: 'microsoft-dsvm', offer: 'ubuntu-2004', sku: '2004' } : { publisher: 'Canonical', offer: 'ubuntu', sku: '22_04-lts' };
    out.push(resource('Microsoft.Compute/virtualMachines', h.name, { networkProfile: { networkInterfaces: [ref('Microsoft.Network/networkInterfaces', `${h.name}-nic`)] }, storageProfile: { imageReference: image } }, region));
  }

  for (const r of s.resources.values()) {
    const p: Obj = {};
    if (r.publicNetworkAccess) p.publicNetworkAccess = r.publicNetworkAccess.value;
    const acls = r.networkAcls;
    if (acls) {
      const a: Obj = {};
      if (acls.defaultAction) a.defaultAction = acls.defaultAction.value;
      if (acls.bypass.length) a.bypass = acls.bypass.map((b) => b.value).join(', ');
      a.ipRules = acls.ipRules.map((ip) => ({ value: ip.value, action: 'Allow' }));
      a.virtualNetworkRules = acls.virtualNetworkRules.map((sub) => ({ id: subnetRef(sub.value).id, action: 'Allow' }));
      if (r.type.value.toLowerCase() === 'microsoft.containerregistry/registries') p.networkRuleSet = a;
      else p.networkAcls = a;
    }
    out.push(resource(r.type.value, r.name, p, r.region?.value ?? region, r.sku ? { sku: { name: r.sku.value } } : {}));
  }

  for (const pe of s.privateEndpoints.values()) {
    const target = s.resources.get(pe.resource.value);
    const nicName = `${pe.name}.nic.0`;
    out.push(resource('Microsoft.Network/networkInterfaces', nicName, { ipConfigurations: [{ name: 'privateEndpointIpConfig', properties: { privateIPAddress: pe.privateIpAddress.value, privateIPAllocationMethod: 'Dynamic', subnet: subnetRef(pe.subnet.value) } }], privateEndpoint: ref('Microsoft.Network/privateEndpoints', pe.name) }, region));
    out.push(
      resource(
        'Microsoft.Network/privateEndpoints',
        pe.name,
        {
          subnet: subnetRef(pe.subnet.value),
          networkInterfaces: [ref('Microsoft.Network/networkInterfaces', nicName)],
          privateLinkServiceConnections: [
            {
              name: pe.name,
              properties: { privateLinkServiceId: id(target?.type.value ?? 'Microsoft.Storage/storageAccounts', pe.resource.value), groupIds: [pe.groupId.value], privateLinkServiceConnectionState: { status: pe.connectionState?.value ?? 'Approved' } },
            },
          ],
        },
        region,
      ),
    );
  }
  return out;
}

function firewallRule(r: T.FirewallRule, ipGroupId: (name: string) => string): Obj {
  const o: Obj = { name: r.name, ruleType: r.ruleType.value };
  const set = (k: string, values: readonly { value: string }[]) => {
    if (values.length) o[k] = list(values);
  };
  if (r.ruleType.value !== 'ApplicationRule') o.ipProtocols = list(r.ipProtocols);
  set('sourceAddresses', r.sourceAddresses);
  if (r.sourceIpGroups.length) o.sourceIpGroups = r.sourceIpGroups.map((g) => ipGroupId(g.value));
  set('destinationAddresses', r.destinationAddresses);
  if (r.destinationIpGroups.length) o.destinationIpGroups = r.destinationIpGroups.map((g) => ipGroupId(g.value));
  set('destinationFqdns', r.destinationFqdns);
  set('destinationPorts', r.destinationPorts);
  if (r.protocols.length) o.protocols = r.protocols.map((p) => ({ protocolType: p.value.protocolType, ...(p.value.port !== undefined ? { port: p.value.port } : {}) }));
  set('targetFqdns', r.targetFqdns);
  set('fqdnTags', r.fqdnTags);
  set('targetUrls', r.targetUrls);
  set('webCategories', r.webCategories);
  if (r.terminateTLS) o.terminateTLS = r.terminateTLS.value;
  if (r.translatedAddress) o.translatedAddress = r.translatedAddress.value;
  if (r.translatedFqdn) o.translatedFqdn = r.translatedFqdn.value;
  if (r.translatedPort) o.translatedPort = r.translatedPort.value;
  return o;
}

/** Resource Graph layout: lower-case types, resource group and subscription on each row. */
export function asResourceGraph(resources: readonly Obj[]): Obj {
  return { count: resources.length, data: resources.map((r) => ({ ...r, type: String(r.type).toLowerCase(), resourceGroup: RG, subscriptionId: SUB, tags: {}, kind: '' })), skip_token: null, total_records: resources.length };
}

/** az CLI layout: every `properties` merged into its object, at every depth. */
export function asAzCli(resources: readonly Obj[]): Json {
  const flatten = (x: Json): Json => {
    if (Array.isArray(x)) return x.map(flatten);
    if (x === null || typeof x !== 'object') return x;
    const out: Obj = {};
    for (const [k, val] of Object.entries(x)) if (k !== 'properties') out[k] = flatten(val);
    if (x.properties && typeof x.properties === 'object' && !Array.isArray(x.properties)) for (const [k, val] of Object.entries(x.properties)) out[k] = flatten(val);
    return out;
  };
  return resources.map((r) => ({ ...(flatten(r) as Obj), resourceGroup: RG }));
}
