/** Deployed resources as Azure prints them (Resource Graph, az CLI, REST), mapped into the scenario format. */
import { describe, expect, it } from 'vitest';
import { importNetwork } from '../../src/import/import.js';
import { writeFixture } from '../helpers/scenario-fixture.js';
import { graph, importFiles, rid, row } from './helpers/azure.js';

type Obj = { [key: string]: unknown };
const ref = (rg: string, type: string, ...names: string[]) => ({ id: rid(rg, type, ...names) });
const subnet = (vnet: string, name: string) => ref('rg-net', 'Microsoft.Network/virtualNetworks/subnets', vnet, name);

function hubSpoke(): Obj[] {
  return [
    row('rg-net', 'Microsoft.Network/virtualNetworks', 'hub', {
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: [
        { id: subnet('hub', 'AzureFirewallSubnet').id, name: 'AzureFirewallSubnet', properties: { addressPrefix: '10.0.1.0/26' } },
        { id: subnet('hub', 'shared').id, name: 'shared', properties: { addressPrefix: '10.0.2.0/24', networkSecurityGroup: ref('rg-net', 'Microsoft.Network/networkSecurityGroups', 'shared-nsg') } },
        { id: subnet('hub', 'GatewaySubnet').id, name: 'GatewaySubnet', properties: { addressPrefix: '10.0.3.0/27' } },
      ],
      virtualNetworkPeerings: [{ name: 'hub-to-spoke', properties: { remoteVirtualNetwork: ref('rg-net', 'Microsoft.Network/virtualNetworks', 'spoke'), allowVirtualNetworkAccess: true, allowForwardedTraffic: false, allowGatewayTransit: true, useRemoteGateways: false, peeringState: 'Connected', remoteAddressSpace: { addressPrefixes: ['10.1.0.0/16'] } } }],
    }),
    row('rg-net', 'Microsoft.Network/virtualNetworks', 'spoke', {
      addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
      subnets: [
        {
          name: 'app',
          properties: { addressPrefix: '10.1.1.0/24', networkSecurityGroup: ref('rg-net', 'Microsoft.Network/networkSecurityGroups', 'app-nsg'), routeTable: ref('rg-net', 'Microsoft.Network/routeTables', 'spoke-rt'), serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['westeurope'] }], defaultOutboundAccess: false },
        },
        { name: 'pe', properties: { addressPrefix: '10.1.2.0/24', privateEndpointNetworkPolicies: 'Disabled' } },
      ],
      virtualNetworkPeerings: [{ name: 'spoke-to-hub', properties: { remoteVirtualNetwork: ref('rg-net', 'Microsoft.Network/virtualNetworks', 'hub'), allowVirtualNetworkAccess: true, allowForwardedTraffic: true, allowGatewayTransit: false, useRemoteGateways: true, peeringState: 'Connected' } }],
    }),
    row('rg-net', 'Microsoft.Network/networkSecurityGroups', 'app-nsg', {
      securityRules: [
        { name: 'allow-https-in', properties: { priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'VirtualNetwork', sourceAddressPrefixes: [], sourcePortRange: '*', sourcePortRanges: [], destinationAddressPrefix: '', destinationAddressPrefixes: ['10.1.1.0/25', '10.1.1.128/25'], destinationPortRange: '', destinationPortRanges: ['443', '8443'] } },
        { name: 'AllowVnetInBound', properties: { priority: 65000, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefix: 'VirtualNetwork', sourcePortRange: '*', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '*' } },
      ],
      defaultSecurityRules: [{ name: 'DenyAllInBound', properties: { priority: 65500, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '*' } }],
    }),
    row('rg-net', 'Microsoft.Network/networkSecurityGroups', 'shared-nsg', {
      securityRules: [{ name: 'web-to-web', properties: { priority: 200, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceApplicationSecurityGroups: [ref('rg-net', 'Microsoft.Network/applicationSecurityGroups', 'web')], sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '80' } }],
    }),
    row('rg-net', 'Microsoft.Network/applicationSecurityGroups', 'web', {}),
    row('rg-net', 'Microsoft.Network/routeTables', 'spoke-rt', { disableBgpRoutePropagation: false, routes: [{ name: 'to-fw', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4' } }] }),
    row('rg-net', 'Microsoft.Network/publicIPAddresses', 'fw-pip', { ipAddress: '20.1.2.3', publicIPAllocationMethod: 'Static' }, { sku: { name: 'Standard' } }),
    row('rg-net', 'Microsoft.Network/publicIPAddresses', 'vm-pip', { ipAddress: '20.1.2.4', publicIPAllocationMethod: 'Dynamic' }, { sku: { name: 'Basic' } }),
    row('rg-net', 'Microsoft.Network/azureFirewalls', 'fw', {
      sku: { name: 'AZFW_VNet', tier: 'Standard' },
      ipConfigurations: [{ name: 'c', properties: { privateIPAddress: '10.0.1.4', subnet: subnet('hub', 'AzureFirewallSubnet'), publicIPAddress: ref('rg-net', 'Microsoft.Network/publicIPAddresses', 'fw-pip') } }],
      firewallPolicy: ref('rg-net', 'Microsoft.Network/firewallPolicies', 'pol'),
    }),
    row('rg-net', 'Microsoft.Network/firewallPolicies', 'pol', { sku: { tier: 'Standard' }, threatIntelMode: 'Deny', dnsSettings: { enableProxy: true }, ruleCollectionGroups: [ref('rg-net', 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', 'pol', 'rcg')] }),
    row('rg-app', 'Microsoft.Network/networkInterfaces', 'vm1-nic', {
      ipConfigurations: [
        { name: 'ipconfig1', properties: { primary: true, privateIPAddress: '10.1.1.4', privateIPAllocationMethod: 'Dynamic', subnet: subnet('spoke', 'app'), publicIPAddress: ref('rg-net', 'Microsoft.Network/publicIPAddresses', 'vm-pip'), applicationSecurityGroups: [ref('rg-net', 'Microsoft.Network/applicationSecurityGroups', 'web')] } },
        { name: 'ipconfig2', properties: { privateIPAddress: '10.1.1.5', subnet: subnet('spoke', 'app') } },
      ],
      virtualMachine: ref('rg-app', 'Microsoft.Compute/virtualMachines', 'vm1'),
      enableIPForwarding: false,
    }),
    row('rg-app', 'Microsoft.Network/networkInterfaces', 'orphan-nic', { ipConfigurations: [{ name: 'c', properties: { privateIPAddress: '10.1.1.9', subnet: subnet('spoke', 'app') } }] }),
    row('rg-app', 'Microsoft.Compute/virtualMachines', 'vm1', { storageProfile: { imageReference: { publisher: 'microsoft-dsvm', offer: 'ubuntu-2004', sku: '2004-gen2' } }, networkProfile: { networkInterfaces: [ref('rg-app', 'Microsoft.Network/networkInterfaces', 'vm1-nic')] } }),
    row('rg-data', 'Microsoft.Storage/storageAccounts', 'stdata', { publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices, Logging', ipRules: [{ value: '203.0.113.0/24', action: 'Allow' }], virtualNetworkRules: [{ id: subnet('spoke', 'app').id, action: 'Allow' }] } }, { sku: { name: 'Standard_LRS' } }),
    row('rg-data', 'Microsoft.Network/privateEndpoints', 'pe-blob', {
      subnet: subnet('spoke', 'pe'),
      networkInterfaces: [ref('rg-data', 'Microsoft.Network/networkInterfaces', 'pe-blob.nic')],
      privateLinkServiceConnections: [{ name: 'c', properties: { privateLinkServiceId: rid('rg-data', 'Microsoft.Storage/storageAccounts', 'stdata'), groupIds: ['blob'], privateLinkServiceConnectionState: { status: 'Approved' } } }],
      customDnsConfigs: [],
    }),
    row('rg-data', 'Microsoft.Network/networkInterfaces', 'pe-blob.nic', { ipConfigurations: [{ name: 'p', properties: { privateIPAddress: '10.1.2.4', subnet: subnet('spoke', 'pe') } }], privateEndpoint: ref('rg-data', 'Microsoft.Network/privateEndpoints', 'pe-blob') }),
    row('rg-net', 'Microsoft.Network/virtualNetworkGateways', 'vpn', { gatewayType: 'Vpn', enableBgp: false, ipConfigurations: [{ name: 'g', properties: { subnet: subnet('hub', 'GatewaySubnet') } }] }),
    row('rg-net', 'Microsoft.Network/localNetworkGateways', 'onprem', { localNetworkAddressSpace: { addressPrefixes: ['192.168.0.0/16'] } }),
    row('rg-net', 'Microsoft.Network/connections', 'to-onprem', { connectionType: 'IPsec', virtualNetworkGateway1: ref('rg-net', 'Microsoft.Network/virtualNetworkGateways', 'vpn'), localNetworkGateway2: ref('rg-net', 'Microsoft.Network/localNetworkGateways', 'onprem') }),
    row('rg-app', 'Microsoft.Compute/disks', 'osdisk', { diskSizeGB: 30 }),
    row('rg-app', 'Microsoft.Compute/disks', 'datadisk', { diskSizeGB: 30 }),
  ];
}

/** `az network firewall policy rule-collection-group list`: the az CLI layout, properties at the top. */
const rcgCli = [
  {
    id: rid('rg-net', 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', 'pol', 'rcg'),
    name: 'rcg',
    priority: 200,
    provisioningState: 'Succeeded',
    resourceGroup: 'rg-net',
    ruleCollections: [
      { name: 'inbound', priority: 100, ruleCollectionType: 'FirewallPolicyNatRuleCollection', action: { type: 'DNAT' }, rules: [{ name: 'ssh', ruleType: 'NatRule', ipProtocols: ['TCP'], sourceAddresses: ['*'], destinationAddresses: ['20.1.2.3'], destinationPorts: ['2222'], translatedAddress: '10.1.1.4', translatedPort: '22' }] },
      { name: 'east-west', priority: 200, ruleCollectionType: 'FirewallPolicyFilterRuleCollection', action: { type: 'Allow' }, rules: [{ name: 'spokes', ruleType: 'NetworkRule', ipProtocols: ['Any'], sourceAddresses: ['10.0.0.0/8'], destinationAddresses: ['10.0.0.0/8'], destinationPorts: ['*'], sourceIpGroups: [], destinationIpGroups: [], destinationFqdns: [] }] },
      { name: 'web', priority: 300, ruleCollectionType: 'FirewallPolicyFilterRuleCollection', action: { type: 'Allow' }, rules: [{ name: 'pypi', ruleType: 'ApplicationRule', protocols: [{ protocolType: 'Https', port: 443 }], sourceAddresses: ['10.1.0.0/16'], targetFqdns: ['pypi.org'], fqdnTags: [], targetUrls: [], webCategories: [], terminateTLS: false }] },
    ],
    type: 'Microsoft.Network/FirewallPolicies/RuleCollectionGroups',
  },
];

describe('import: Resource Graph and az CLI output', () => {
  const r = importFiles({ 'resources.json': graph(...(hubSpoke() as never[])), 'rcg.json': rcgCli as never });
  const s = r.loaded.scenario!;

  it('writes a scenario that validates', () => {
    expect(r.errors).toEqual([]);
    expect(r.result.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('starts with the schema modeline and says where it came from', () => {
    expect(r.yaml.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/scenario\.schema\.json$/);
    expect(r.yaml).toContain('# imported by topo import from resources.json, rcg.json');
    expect(r.yaml).toContain(`  # ${rid('rg-net', 'Microsoft.Network/virtualNetworks', 'hub')}\n  hub:`);
  });

  it('keeps the format’s key order', () => {
    const keys = r.yaml.split('\n').filter((l) => /^[a-zA-Z]/.test(l)).map((l) => l.split(':')[0]);
    expect(keys).toEqual(['name', 'region', 'vnets', 'networkSecurityGroups', 'applicationSecurityGroups', 'routeTables', 'firewallPolicies', 'firewalls', 'virtualNetworkGateways', 'hosts', 'resources', 'privateEndpoints']);
  });

  it('maps VNets, subnets and peerings', () => {
    expect(s.region?.value).toBe('westeurope');
    const app = s.vnets.get('spoke')!.subnets.get('app')!;
    expect({ prefix: app.addressPrefixes.map((p) => p.value), nsg: app.networkSecurityGroup?.value, rt: app.routeTable?.value, se: app.serviceEndpoints.map((e) => e.value), doa: app.defaultOutboundAccess?.value }).toEqual({ prefix: ['10.1.1.0/24'], nsg: 'app-nsg', rt: 'spoke-rt', se: ['Microsoft.Storage'], doa: false });
    expect(s.vnets.get('spoke')!.subnets.get('pe')!.privateEndpointNetworkPolicies).toBeUndefined();
    const hub = s.vnets.get('hub')!.peerings.get('hub-to-spoke')!;
    expect({ remote: hub.remoteVirtualNetwork.value, transit: hub.allowGatewayTransit?.value, fwd: hub.allowForwardedTraffic }).toEqual({ remote: 'spoke', transit: true, fwd: undefined });
    expect(s.vnets.get('spoke')!.peerings.get('spoke-to-hub')!.useRemoteGateways?.value).toBe(true);
  });

  it('writes custom NSG rules only, singular or plural as Azure has them, ASGs by name', () => {
    const rules = s.networkSecurityGroups.get('app-nsg')!.securityRules;
    expect(rules.map((x) => x.name)).toEqual(['allow-https-in']);
    expect(rules[0].destinationAddressPrefixes.map((p) => p.value)).toEqual(['10.1.1.0/25', '10.1.1.128/25']);
    expect(rules[0].destinationPortRanges.map((p) => p.value)).toEqual(['443', '8443']);
    expect(r.yaml).toContain('destinationPortRanges: ["443", "8443"]');
    expect(s.networkSecurityGroups.get('shared-nsg')!.securityRules[0].sourceApplicationSecurityGroups.map((a) => a.value)).toEqual(['web']);
    expect(r.result.issues.some((i) => /1 Azure default NSG rules in the input were recognised/.test(i.message))).toBe(true);
  });

  it('maps the firewall, its policy and the rule collection group from the az CLI file', () => {
    expect(s.firewalls.get('fw')).toMatchObject({ vnet: { value: 'hub' }, privateIpAddress: { value: '10.0.1.4' }, firewallPolicy: { value: 'pol' } });
    expect(s.firewalls.get('fw')!.publicIpAddresses.map((a) => a.value)).toEqual(['20.1.2.3']);
    const pol = s.firewallPolicies.get('pol')!;
    expect({ ti: pol.threatIntelMode?.value, dns: pol.dnsProxy?.value, sku: pol.sku?.value }).toEqual({ ti: 'Deny', dns: true, sku: 'Standard' });
    const collections = pol.ruleCollectionGroups[0].ruleCollections;
    expect(collections.map((c) => `${c.name} ${c.ruleCollectionType.value} ${c.action.value}`)).toEqual(['inbound FirewallPolicyNatRuleCollection Dnat', 'east-west FirewallPolicyFilterRuleCollection Allow', 'web FirewallPolicyFilterRuleCollection Allow']);
    expect(collections[0].rules[0]).toMatchObject({ translatedAddress: { value: '10.1.1.4' }, translatedPort: { value: '22' } });
  });

  it('maps NICs to hosts named after their VM, one per IP configuration, with role, public IP SKU and ASGs; a NIC attached to nothing is left out', () => {
    expect([...s.hosts.keys()].sort()).toEqual(['vm1', 'vm1-ipconfig2']);
    const vm = s.hosts.get('vm1')!;
    expect({ subnet: vm.subnet.value, ip: vm.privateIpAddress.value, pip: vm.publicIpAddress?.value, sku: vm.publicIpSku?.value, asgs: vm.applicationSecurityGroups.map((a) => a.value), role: vm.role?.value }).toEqual({ subnet: 'spoke/app', ip: '10.1.1.4', pip: '20.1.2.4', sku: 'Basic', asgs: ['web'], role: 'dsvm' });
    expect(s.hosts.get('vm1-ipconfig2')!.privateIpAddress.value).toBe('10.1.1.5');
    expect(r.result.issues.some((i) => /1 network interface is attached to no VM/.test(i.message))).toBe(true);
  });

  it('maps PaaS network rules and private endpoints (address from the endpoint NIC)', () => {
    const st = s.resources.get('stdata')!;
    expect({ type: st.type.value, pna: st.publicNetworkAccess?.value, da: st.networkAcls?.defaultAction?.value, bypass: st.networkAcls?.bypass.map((b) => b.value), ip: st.networkAcls?.ipRules.map((x) => x.value), vnet: st.networkAcls?.virtualNetworkRules.map((x) => x.value) }).toEqual({
      type: 'Microsoft.Storage/storageAccounts',
      pna: 'Enabled',
      da: 'Deny',
      bypass: ['AzureServices', 'Logging'],
      ip: ['203.0.113.0/24'],
      vnet: ['spoke/app'],
    });
    expect(s.privateEndpoints.get('pe-blob')).toMatchObject({ subnet: { value: 'spoke/pe' }, privateIpAddress: { value: '10.1.2.4' }, resource: { value: 'stdata' }, groupId: { value: 'blob' } });
    expect(s.privateEndpoints.get('pe-blob')!.connectionState).toBeUndefined();
  });

  it('maps VPN gateways with the prefixes of their connections', () => {
    expect(s.virtualNetworkGateways.get('vpn')).toMatchObject({ vnet: { value: 'hub' }, gatewayType: { value: 'Vpn' } });
    expect(s.virtualNetworkGateways.get('vpn')!.remoteAddressPrefixes.map((p) => p.value)).toEqual(['192.168.0.0/16']);
  });

  it('counts the other resource types in one warning', () => {
    expect(r.result.issues.filter((i) => i.message.includes('not part of the network model')).map((i) => i.message)).toEqual(['2 resources of 1 other type are not part of the network model and not imported: microsoft.compute/disks (2)']);
  });

  it('reads the same network from az CLI output, where properties sit at the top level', () => {
    const flat = (o: unknown): unknown => {
      if (Array.isArray(o)) return o.map(flat);
      if (o === null || typeof o !== 'object') return o;
      const x = o as Obj;
      const out: Obj = {};
      for (const [k, v] of Object.entries(x)) if (k !== 'properties') out[k] = flat(v);
      if (x.properties && typeof x.properties === 'object') Object.assign(out, flat(x.properties) as Obj);
      return out;
    };
    const cli = importFiles({ 'vnets.json': hubSpoke().map((x) => ({ ...(flat(x) as Obj), type: String(x.type).replace(/^microsoft\.network/, 'Microsoft.Network') })) as never, 'rcg.json': rcgCli as never });
    expect(cli.errors).toEqual([]);
    expect(cli.yaml.replace(/^# imported by .*$/m, '')).toBe(r.yaml.replace(/^# imported by .*$/m, ''));
  });
});

describe('import: names, peerings, references', () => {
  it('makes names unique where two resource groups reuse one, with the mapping in comments', () => {
    const vnet = (rg: string, space: string) => row(rg, 'Microsoft.Network/virtualNetworks', 'hub', { addressSpace: { addressPrefixes: [space] }, subnets: [{ name: 'a', properties: { addressPrefix: space.replace('/16', '/24'), networkSecurityGroup: ref(rg, 'Microsoft.Network/networkSecurityGroups', 'nsg') } }] });
    const nsg = (rg: string) => row(rg, 'Microsoft.Network/networkSecurityGroups', 'nsg', { securityRules: [] });
    const r = importFiles({ 'a.json': graph(vnet('rg-prod', '10.0.0.0/16'), vnet('rg-dev', '10.1.0.0/16'), nsg('rg-prod'), nsg('rg-dev')) as never });
    expect(r.errors).toEqual([]);
    const s = r.loaded.scenario!;
    expect([...s.vnets.keys()].sort()).toEqual(['hub-rg-dev', 'hub-rg-prod']);
    expect(s.vnets.get('hub-rg-dev')!.subnets.get('a')!.networkSecurityGroup?.value).toBe('nsg-rg-dev');
    expect(r.yaml).toContain(`# ${rid('rg-dev', 'Microsoft.Network/virtualNetworks', 'hub')} (named hub-rg-dev: 'hub' is also used in rg-prod)`);
  });

  it('keeps a one-sided peering one-sided; a missing remote VNet becomes a stub when the peering tells its space, else the peering stays out', () => {
    const a = row('rg', 'Microsoft.Network/virtualNetworks', 'a', {
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      virtualNetworkPeerings: [
        { name: 'a-to-b', properties: { remoteVirtualNetwork: ref('rg', 'Microsoft.Network/virtualNetworks', 'b'), peeringState: 'Initiated' } },
        { name: 'a-to-far', properties: { remoteVirtualNetwork: ref('other', 'Microsoft.Network/virtualNetworks', 'far'), peeringState: 'Connected', remoteAddressSpace: { addressPrefixes: ['10.9.0.0/16'] } } },
        { name: 'a-to-unknown', properties: { remoteVirtualNetwork: ref('other', 'Microsoft.Network/virtualNetworks', 'gone'), peeringState: 'Disconnected' } },
      ],
    });
    const b = row('rg', 'Microsoft.Network/virtualNetworks', 'b', { addressSpace: { addressPrefixes: ['10.1.0.0/16'] } });
    const r = importFiles({ 'x.json': graph(a, b) as never });
    expect(r.errors).toEqual([]);
    const s = r.loaded.scenario!;
    expect([...s.vnets.get('a')!.peerings.keys()]).toEqual(['a-to-b', 'a-to-far']);
    expect(s.vnets.get('far')!.addressSpace.map((p) => p.value)).toEqual(['10.9.0.0/16']);
    expect(r.warnings.filter((w) => w.startsWith('TOPO300'))).toHaveLength(2);
    expect(r.yaml).toContain('# not imported: peering a-to-unknown of VNet a');
    expect(r.result.issues.some((i) => i.severity === 'warning' && i.message.includes("peering 'a-to-unknown'"))).toBe(true);
  });

  it('keeps a reference to an object the input lacks, so topo validate reports it instead of the scenario dropping it', () => {
    const v = row('rg', 'Microsoft.Network/virtualNetworks', 'v', { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 's', properties: { addressPrefix: '10.0.1.0/24', networkSecurityGroup: ref('rg', 'Microsoft.Network/networkSecurityGroups', 'missing-nsg') } }] });
    const r = importFiles({ 'x.json': graph(v) as never });
    expect(r.errors).toEqual(["TOPO205 subnet 'v/s' refers to NSG 'missing-nsg', which is not defined"]);
    expect(r.result.issues.some((i) => i.message.includes('missing-nsg') && i.message.includes('is not in the input'))).toBe(true);
  });

  it('marks a firewall policy rule collection group the input lacks (Resource Graph lists them by id only)', () => {
    const pol = row('rg', 'Microsoft.Network/firewallPolicies', 'pol', { ruleCollectionGroups: [ref('rg', 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', 'pol', 'rules')] });
    const v = row('rg', 'Microsoft.Network/virtualNetworks', 'v', { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } });
    const r = importFiles({ 'x.json': graph(v, pol) as never });
    expect(r.yaml).toContain('priority: "[rule collection group rules is not in the input]"');
    expect(r.errors.join('\n')).toMatch(/TOPO102/);
  });

  it('turns classic firewall rule collections into a policy of the firewall’s own', () => {
    const v = row('rg', 'Microsoft.Network/virtualNetworks', 'hub', { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'AzureFirewallSubnet', properties: { addressPrefix: '10.0.1.0/26' } }] });
    const fw = row('rg', 'Microsoft.Network/azureFirewalls', 'fw', {
      threatIntelMode: 'Alert',
      additionalProperties: { 'Network.DNS.EnableProxy': 'true' },
      ipConfigurations: [{ name: 'c', properties: { privateIPAddress: '10.0.1.4', subnet: subnet('hub', 'AzureFirewallSubnet').id ? { id: rid('rg', 'Microsoft.Network/virtualNetworks/subnets', 'hub', 'AzureFirewallSubnet') } : null } }],
      networkRuleCollections: [{ name: 'web', properties: { priority: 200, action: { type: 'Allow' }, rules: [{ name: 'dns', protocols: ['UDP'], sourceAddresses: ['10.0.0.0/8'], destinationAddresses: ['8.8.8.8'], destinationPorts: ['53'] }] } }],
      applicationRuleCollections: [{ name: 'web', properties: { priority: 200, action: { type: 'Allow' }, rules: [{ name: 'pypi', protocols: [{ protocolType: 'Https', port: 443 }], sourceAddresses: ['10.0.0.0/8'], targetFqdns: ['pypi.org'] }] } }],
      natRuleCollections: [],
    });
    const r = importFiles({ 'x.json': graph(v, fw) as never });
    expect(r.errors).toEqual([]);
    const s = r.loaded.scenario!;
    expect(s.firewalls.get('fw')!.firewallPolicy?.value).toBe('fw-classic');
    const p = s.firewallPolicies.get('fw-classic')!;
    expect({ dns: p.dnsProxy?.value, ti: p.threatIntelMode?.value }).toEqual({ dns: true, ti: 'Alert' });
    expect(p.ruleCollectionGroups[0].ruleCollections.map((c) => `${c.name} ${c.rules[0].ruleType.value} ${c.rules[0].ipProtocols.map((x) => x.value).join()}`)).toEqual(['web NetworkRule UDP', 'web-application ApplicationRule ']);
  });

  it('stays unresolved rather than guessing: a template value it cannot evaluate is written as its expression, and validate rejects it there', () => {
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [
        { type: 'Microsoft.Network/virtualNetworks', apiVersion: '2023-01-01', name: 'v', location: 'eastus', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 's', properties: { addressPrefix: '10.0.1.0/24', routeTable: { id: "[resourceId('Microsoft.Network/routeTables', 'rt')]" } } }] } },
        { type: 'Microsoft.Network/routeTables', apiVersion: '2023-01-01', name: 'rt', location: 'eastus', properties: { routes: [{ name: 'nva', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: "[reference(resourceId('Microsoft.Network/loadBalancers', 'lb')).frontendIPConfigurations[0].properties.privateIPAddress]" } }] } },
      ],
    };
    const r = importFiles({ 'template.json': template as never });
    expect(r.yaml).toContain(`nextHopIpAddress: "[reference(resourceId('Microsoft.Network/loadBalancers', 'lb')).frontendIPConfigurations[0].properties.privateIPAddress]"`);
    expect(r.yaml).toMatch(/# nextHopIpAddress of route nva: unresolved \(template\.json:\d+\): reference\(\) reads the deployed state of loadBalancers lb/);
    expect(r.errors).toEqual([expect.stringMatching(/^TOPO200 next hop of .* is not an IPv4 address/)]);
    expect(r.result.issues.filter((i) => i.message.startsWith('unresolved:'))).toHaveLength(1);
    expect(r.result.stats.unresolved).toBe(1);
  });

  it('gives dynamic addresses of a template the stand-in Azure would assign, unless a rule tells the subnet’s addresses apart', () => {
    const nic = (name: string) => ({ type: 'Microsoft.Network/networkInterfaces', apiVersion: '2023-01-01', name, location: 'eastus', properties: { ipConfigurations: [{ name: 'c', properties: { privateIPAllocationMethod: 'Dynamic', subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]" } } }] } });
    const vm = (name: string) => ({ type: 'Microsoft.Compute/virtualMachines', apiVersion: '2023-01-01', name, location: 'eastus', properties: { networkProfile: { networkInterfaces: [{ id: `[resourceId('Microsoft.Network/networkInterfaces', '${name}-nic')]` }] } } });
    const base = (rules: unknown[]) => ({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [
        { type: 'Microsoft.Network/virtualNetworks', apiVersion: '2023-01-01', name: 'v', location: 'eastus', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 's', properties: { addressPrefix: '10.0.1.0/24', networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'n')]" } } }] } },
        { type: 'Microsoft.Network/networkSecurityGroups', apiVersion: '2023-01-01', name: 'n', location: 'eastus', properties: { securityRules: rules } },
        nic('a-nic'),
        vm('a'),
        nic('b-nic'),
        vm('b'),
      ],
    });
    const open = importFiles({ 't.json': base([]) as never });
    expect(open.errors).toEqual([]);
    expect([...open.loaded.scenario!.hosts.values()].map((h) => `${h.name} ${h.privateIpAddress.value}`)).toEqual(['a 10.0.1.4', 'b 10.0.1.5']);
    expect(open.yaml).toContain('# privateIpAddress: 10.0.1.4 is a stand-in: Azure assigns this address at deploy time (Dynamic)');
    const split = importFiles({ 't.json': base([{ name: 'one', properties: { priority: 100, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: '10.0.1.4', destinationPortRange: '*' } }]) as never });
    expect(split.yaml).toContain('privateIpAddress: "[dynamic: allocated by Azure at deploy time]"');
    expect(split.errors.filter((e) => e.startsWith('TOPO200'))).toHaveLength(2);
  });
});

describe('import: inputs', () => {
  it('reads a single ARM REST resource and a REST list', () => {
    const v = { id: rid('rg', 'Microsoft.Network/virtualNetworks', 'v'), name: 'v', type: 'Microsoft.Network/virtualNetworks', location: 'eastus', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } };
    const n = { id: rid('rg', 'Microsoft.Network/networkSecurityGroups', 'n'), name: 'n', type: 'Microsoft.Network/networkSecurityGroups', location: 'eastus', properties: { securityRules: [] } };
    const r = importFiles({ 'one.json': v as never, 'list.json': { value: [n], nextLink: null } as never });
    expect(r.errors).toEqual([]);
    expect([...r.loaded.scenario!.vnets.keys(), ...r.loaded.scenario!.networkSecurityGroups.keys()]).toEqual(['v', 'n']);
  });

  it('reads a directory: a template takes the <name>.parameters.json next to it; other files are skipped with a note', () => {
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: { space: { type: 'string' } },
      resources: [{ type: 'Microsoft.Network/virtualNetworks', apiVersion: '2023-01-01', name: 'v', location: 'eastus', properties: { addressSpace: { addressPrefixes: ["[parameters('space')]"] } } }],
    };
    const params = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: { space: { value: '10.7.0.0/16' } } };
    const r = importFiles({ 'dir/main.json': template as never, 'dir/main.parameters.json': params as never, 'dir/metadata.json': { itemDisplayName: 'x' } as never }, { inputs: ['dir'] });
    expect(r.errors).toEqual([]);
    expect(r.loaded.scenario!.vnets.get('v')!.addressSpace.map((p) => p.value)).toEqual(['10.7.0.0/16']);
    expect(r.result.issues.map((i) => i.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^skipped dir\/metadata\.json: it is neither a template/), 'dir/main.json: parameters from dir/main.parameters.json']));
  });

  it('reads a UTF-16 file (what PowerShell redirection writes)', () => {
    const v = row('rg', 'Microsoft.Network/virtualNetworks', 'v', { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } });
    const dir = writeFixture({ 'x.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(graph(v)), 'utf16le')]) });
    expect(importNetwork({ inputs: ['x.json'], output: 'n.yaml', cwd: dir }).yaml).toContain('\n  v:\n    addressSpace: [10.0.0.0/16]\n');
  });

  it('says so when child resources come without their parent (az network vnet subnet list alone)', () => {
    const subnetOnly = { id: rid('rg', 'Microsoft.Network/virtualNetworks/subnets', 'v', 's'), name: 's', type: 'Microsoft.Network/virtualNetworks/subnets', addressPrefix: '10.0.1.0/24' };
    const nsg = row('rg', 'Microsoft.Network/networkSecurityGroups', 'n', { securityRules: [] });
    const r = importFiles({ 'subnets.json': [subnetOnly] as never, 'nsg.json': graph(nsg) as never });
    expect(r.result.issues.map((i) => i.message)).toContain(`'s' belongs to ${rid('rg', 'Microsoft.Network/virtualNetworks', 'v')}, which is not in the input; not imported`);
  });

  it('warns when a Resource Graph result or an ARM list is one page of more', () => {
    const v = row('rg', 'Microsoft.Network/virtualNetworks', 'v', { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } });
    const paged = importFiles({ 'g.json': { count: 1, data: [v], skip_token: 'ew0KICAiJGlkIjogIjEiLA0K', total_records: 250 } as never, 'r.json': { value: [], nextLink: 'https://management.azure.com/x?$skiptoken=y' } as never });
    expect(paged.result.issues.filter((i) => i.severity === 'warning').map((i) => i.message)).toEqual([
      'g.json is one page of a Resource Graph result (1 of 250 rows): resources on the other pages are missing',
      'r.json is one page of an ARM list (it has a nextLink): resources on the other pages are missing',
    ]);
  });
});
