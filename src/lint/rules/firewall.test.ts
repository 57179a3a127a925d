/**
 * The firewall and platform lints: source `*` (TOPO-L006), shadowed
 * firewall rules (TOPO-L010), wildcard FQDNs (TOPO-L013), management ports
 * published by DNAT (TOPO-L004), storage egress without a policy
 * (TOPO-L007), private endpoint subnets without policies (TOPO-L008), and
 * the rules AzureBastionSubnet needs (TOPO-L014).
 */
import { describe, expect, it } from 'vitest';
import { yaml } from '../../../test/helpers/scenario-fixture.js';
import { lintYaml, only } from '../../../test/helpers/lint.js';

const net = (src: string, dst: string, ports: string, name = 'r', protocols = 'TCP') =>
  `{ name: ${name}, ruleType: NetworkRule, ipProtocols: [${protocols}], sourceAddresses: ["${src}"], destinationAddresses: ["${dst}"], destinationPorts: ["${ports}"] }`;
const app = (src: string, fqdn: string, name = 'a') => `{ name: ${name}, ruleType: ApplicationRule, sourceAddresses: ["${src}"], protocols: [{ protocolType: Https, port: 443 }], targetFqdns: ["${fqdn}"] }`;
const collection = (name: string, priority: number, action: string, rules: string[], type = 'FirewallPolicyFilterRuleCollection') =>
  `{ name: ${name}, priority: ${priority}, ruleCollectionType: ${type}, action: ${action}, rules: [${rules.join(', ')}] }`;

/** A hub firewall with the given rule collections, and a spoke forced through it. */
const hub = (collections: string[], extra = '') => yaml`
  name: firewall
  region: eastus
  vnets:
    hub:
      addressSpace: [10.0.0.0/16]
      subnets:
        AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 }
      peerings: { to-spoke: { remoteVirtualNetwork: spoke, allowForwardedTraffic: true } }
    spoke:
      addressSpace: [10.1.0.0/16]
      subnets:
        app: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: n, routeTable: rt, defaultOutboundAccess: false }
      peerings: { to-hub: { remoteVirtualNetwork: hub, allowForwardedTraffic: true } }
  networkSecurityGroups: { n: { securityRules: [] } }
  routeTables: { rt: { routes: [{ name: to-fw, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.1.4 }] } }
  firewallPolicies:
    pol: { ruleCollectionGroups: [{ name: g, priority: 100, ruleCollections: [${collections.join(', ')}] }] }
  firewalls: { fw: { vnet: hub, privateIpAddress: 10.0.1.4, publicIpAddresses: [192.0.2.50], firewallPolicy: pol } }
  hosts: { vm: { subnet: spoke/app, privateIpAddress: 10.1.1.4 } }
  ${extra}
`;

describe('TOPO-L006 firewall-source-any', () => {
  it('leaves alone rules scoped to sources, deny rules, and DNAT rules', () => {
    const l = lintYaml(hub([collection('ok', 100, 'Allow', [net('10.1.0.0/16', '*', '443')]), collection('no', 200, 'Deny', [net('*', '*', '25')])]), ['TOPO-L006']);
    expect(l.findings).toEqual([]);
  });

  it('reports network and application allows from * or 0.0.0.0/0 at the source', () => {
    const l = lintYaml(hub([collection('wide', 100, 'Allow', [net('*', '10.1.0.0/16', '443', 'n1')]), collection('web', 110, 'Allow', [app('0.0.0.0/0', 'www.example.com', 'a1')])]), ['TOPO-L006']);
    expect(l.ids).toEqual(['TOPO-L006 pol/g/wide/n1', 'TOPO-L006 pol/g/web/a1']);
    expect(l.findings[0].message).toContain('applies to every source address (*), so every network behind fw gets the flow');
  });
});

describe('TOPO-L010 firewall-rule-shadowed (F4.2, §8.15)', () => {
  it('leaves alone rules that still match something', () => {
    expect(lintYaml(hub([collection('c', 100, 'Allow', [net('10.1.1.0/24', '*', '443', 'one'), net('10.1.0.0/16', '*', '443', 'two')])]), ['TOPO-L010']).findings).toEqual([]);
  });

  it('§8.15: a broad network allow decides before an application deny, whatever the priorities: a warning', () => {
    const l = lintYaml(hub([collection('deny-web', 100, 'Deny', [app('10.1.0.0/16', 'www.example.com', 'no-example')]), collection('allow-all', 300, 'Allow', [net('10.1.0.0/16', '*', '443', 'https')])]), ['TOPO-L010']);
    const f = only(l, 'TOPO-L010');
    expect(f.target).toBe('pol/g/deny-web/no-example');
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('decides all its traffic first');
    expect(f.message).toContain('network rule pol/g/allow-all/https');
  });

  it('F4.2.3: a later collection covered by an earlier one of the same action is a note', () => {
    const l = lintYaml(hub([collection('first', 100, 'Allow', [net('10.0.0.0/8', '*', '*', 'wide', 'Any')]), collection('second', 200, 'Allow', [net('10.1.1.0/24', '*', '443', 'narrow')])]), ['TOPO-L010']);
    const f = only(l, 'TOPO-L010');
    expect(f.target).toBe('pol/g/second/narrow');
    expect(f.severity).toBe('note');
  });

  it('F4.3.5: a network rule with FQDNs and no DNS proxy is undecided, so it neither shadows nor is reported', () => {
    const fqdnRule = `{ name: f, ruleType: NetworkRule, ipProtocols: [TCP], sourceAddresses: ["10.1.0.0/16"], destinationFqdns: [www.example.com], destinationPorts: ["443"] }`;
    const l = lintYaml(hub([collection('a', 100, 'Allow', [fqdnRule]), collection('b', 200, 'Deny', [app('10.1.0.0/16', 'www.example.com')])]), ['TOPO-L010']);
    expect(l.findings).toEqual([]);
  });
});

describe('TOPO-L013 firewall-wildcard-paas-fqdn (F4.4, §8.16)', () => {
  it("leaves alone the design's own FQDNs and denies", () => {
    const own = 'resources: { mydata: { type: Microsoft.Storage/storageAccounts } }';
    const l = lintYaml(hub([collection('c', 100, 'Allow', [app('10.1.0.0/16', 'mydata.blob.core.windows.net')]), collection('d', 200, 'Deny', [app('10.1.0.0/16', '*.blob.core.windows.net', 'x')])], own), ['TOPO-L013']);
    expect(l.findings).toEqual([]);
  });

  it("reports *.blob.core.windows.net, which matches every tenant's storage, at the pattern", () => {
    const f = only(lintYaml(hub([collection('c', 100, 'Allow', [app('10.1.0.0/16', '*.blob.core.windows.net')])]), ['TOPO-L013']), 'TOPO-L013');
    expect(f.message).toContain("allows *.blob.core.windows.net, which also matches another tenant's *.blob.core.windows.net");
    expect(f.loc.col).toBeGreaterThan(100);
  });

  it('reports a bare * target, which matches every name', () => {
    expect(only(lintYaml(hub([collection('c', 100, 'Allow', [app('10.1.0.0/16', '*')])]), ['TOPO-L013']), 'TOPO-L013').message).toContain('any other Internet name');
  });
});

describe('TOPO-L004 management-port-from-internet through DNAT (F4.5.5)', () => {
  const dnat = (src: string) =>
    collection('in', 100, 'Dnat', [`{ name: rdp, ruleType: NatRule, ipProtocols: [TCP], sourceAddresses: ["${src}"], destinationAddresses: [192.0.2.50], destinationPorts: ["3389"], translatedAddress: 10.1.1.4, translatedPort: "3389" }`], 'FirewallPolicyNatRuleCollection');

  it('reports RDP published by a DNAT rule from *, at the DNAT rule', () => {
    const f = only(lintYaml(hub([dnat('*')]), ['TOPO-L004']), 'TOPO-L004');
    expect(f.message).toMatch(/^RDP \(TCP 3389\) of vm \(10\.1\.1\.4\) is reachable from the Internet: Tcp 203\.0\.113\.10:\d+ -> 192\.0\.2\.50:3389/);
    expect(f.message).toContain('let in by pol/g/in/rdp');
    expect(f.witness?.trace.hops.some((h) => h.kind === 'firewall' && h.decision === 'translate')).toBe(true);
  });

  it('leaves alone a DNAT rule whose NSG behind it denies', () => {
    const closed = hub([dnat('*')]).replace('n: { securityRules: [] }', 'n: { securityRules: [{ name: no-rdp, priority: 100, direction: Inbound, access: Deny, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "3389" }] }');
    expect(lintYaml(closed, ['TOPO-L004']).findings).toEqual([]);
  });
});

describe('TOPO-L007 storage-egress-without-policy (F2.8, F5.3.6)', () => {
  const spoke = (subnet: string, rules: string[] = []) => yaml`
    name: storage
    region: eastus
    vnets:
      spoke:
        addressSpace: [10.1.0.0/16]
        subnets:
          app: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: n, defaultOutboundAccess: false${subnet} }
    networkSecurityGroups: { n: { securityRules: [${rules.join(', ')}] } }
    resources: { mydata: { type: Microsoft.Storage/storageAccounts } }
  `;
  const toTag = (tag: string) => `{ name: to-${tag.replace(/\./g, '-').toLowerCase()}, priority: 100, direction: Outbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: ${tag}, destinationPortRange: "443" }`;

  it('leaves alone a service endpoint with a policy, and an allow to Storage through a subnet that has one', () => {
    const sep = ', serviceEndpoints: [Microsoft.Storage], serviceEndpointPolicies: [{ name: p, resources: [mydata] }]';
    expect(lintYaml(spoke(sep, [toTag('Storage.EastUS')]), ['TOPO-L007']).findings).toEqual([]);
  });

  it('reports a Microsoft.Storage service endpoint without a policy at the endpoint', () => {
    const f = only(lintYaml(spoke(', serviceEndpoints: [Microsoft.Storage]'), ['TOPO-L007']), 'TOPO-L007');
    expect(f.target).toBe('spoke/app');
    expect(f.message).toContain('can reach every storage account in Azure over the endpoint');
  });

  it('an NSG that denies Storage closes the service endpoint', () => {
    const deny = '{ name: no-storage, priority: 100, direction: Outbound, access: Deny, protocol: "*", sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: Storage, destinationPortRange: "*" }';
    expect(lintYaml(spoke(', serviceEndpoints: [Microsoft.Storage]', [deny]), ['TOPO-L007']).findings).toEqual([]);
  });

  it('reports NSG allows to Storage.<region> and AzureFrontDoor.Frontend on a direct route, at the prefix', () => {
    const l = lintYaml(spoke('', [toTag('Storage.EastUS'), toTag('AzureFrontDoor.Frontend').replace('priority: 100', 'priority: 110')]), ['TOPO-L007']);
    expect(l.ids).toEqual(['TOPO-L007 n/to-storage-eastus', 'TOPO-L007 n/to-azurefrontdoor-frontend']);
    expect(l.findings[1].message).toContain('no policy can narrow Front Door');
  });

  it('an allow to Storage from a subnet forced through a firewall is the firewall rule\'s business', () => {
    const text = hub([collection('c', 100, 'Allow', [net('10.1.0.0/16', 'Storage', '443', 'storage')])]).replace('n: { securityRules: [] }', `n: { securityRules: [${toTag('Storage')}] }`);
    const l = lintYaml(text, ['TOPO-L007']);
    expect(l.ids).toEqual(['TOPO-L007 pol/g/c/storage']);
    expect(l.findings[0].message).toContain('AzureFirewallSubnet has no service endpoint policy');
  });
});

describe('TOPO-L008 private-endpoint-subnet-without-policies (F1.9, F2.7.2)', () => {
  const withPe = (policies: string, forced: boolean) =>
    hub([])
      .replace('app: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: n, routeTable: rt,', `app: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: n,${forced ? ' routeTable: rt,' : ''}`)
      .replace(/\n( *)peerings: \{ to-hub:/, `\n$1  pe: { addressPrefix: 10.1.2.0/24, networkSecurityGroup: n${policies} }\n$1peerings: { to-hub:`)
      .replace('hosts:', 'resources: { lake: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: Disabled } }\nprivateEndpoints: { lake-blob: { subnet: spoke/pe, privateIpAddress: 10.1.2.5, resource: lake, groupId: blob } }\nhosts:');

  it('leaves alone PE subnets with policies on, and designs that force nothing through a firewall', () => {
    expect(lintYaml(withPe(', privateEndpointNetworkPolicies: Enabled', true), ['TOPO-L008']).findings).toEqual([]);
    expect(lintYaml(withPe('', false), ['TOPO-L008']).findings).toEqual([]);
  });

  it("reports Azure's default (Disabled) where a subnet sends 0.0.0.0/0 to the firewall, naming the route", () => {
    const f = only(lintYaml(withPe('', true), ['TOPO-L008']), 'TOPO-L008');
    expect(f.target).toBe('spoke/pe');
    expect(f.message).toContain("privateEndpointNetworkPolicies is not set, and Azure's default is Disabled");
    expect(f.message).toContain('spoke/app sends 0.0.0.0/0 to rt/to-fw');
    expect(f.related[0].message).toContain('0.0.0.0/0 forced through an appliance');
  });
});

describe('TOPO-L014 bastion-subnet-rules (F6.1.2)', () => {
  const bastion = (rules: string[]) => yaml`
    name: bastion
    region: eastus
    vnets:
      hub:
        addressSpace: [10.0.0.0/16]
        subnets:
          AzureBastionSubnet: { addressPrefix: 10.0.2.0/26, networkSecurityGroup: bastion-nsg }
          vms: { addressPrefix: 10.0.3.0/24, networkSecurityGroup: bastion-nsg, defaultOutboundAccess: false }
    networkSecurityGroups: { bastion-nsg: { securityRules: [${rules.join(', ')}] } }
  `;
  const allow = (name: string, priority: number, direction: string, src: string, dst: string, port: string) =>
    `{ name: ${name}, priority: ${priority}, direction: ${direction}, access: Allow, protocol: Tcp, sourceAddressPrefix: "${src}", sourcePortRange: "*", destinationAddressPrefix: "${dst}", destinationPortRange: "${port}" }`;
  const full = [allow('https-in', 100, 'Inbound', 'Internet', '*', '443'), allow('gwm', 110, 'Inbound', 'GatewayManager', '*', '443')];

  it('leaves alone an NSG that lets through everything Bastion needs (the default rules cover the data plane and AzureLoadBalancer)', () => {
    expect(lintYaml(bastion(full), ['TOPO-L014']).findings).toEqual([]);
  });

  it('reports each missing requirement as an error; a deny that removes one is named', () => {
    const l = lintYaml(bastion([full[0], `{ name: no-internet, priority: 200, direction: Outbound, access: Deny, protocol: "*", sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: Internet, destinationPortRange: "*" }`]), ['TOPO-L014']);
    expect(l.findings.map((f) => f.severity)).toEqual(['error', 'error']);
    expect(l.findings.map((f) => f.message)).toEqual([
      expect.stringContaining('does not allow outbound TCP 443 to AzureCloud (diagnostics and metering): bastion-nsg/no-internet (priority 200) denies it'),
      expect.stringContaining('does not allow outbound TCP 80 to the Internet'),
    ]);
  });

  it('GatewayManager is part of the Internet tag, so an Internet allow covers it; users restricted to a partner range do not', () => {
    const f = only(lintYaml(bastion([allow('partner-in', 100, 'Inbound', '198.51.100.0/24', '*', '443')]), ['TOPO-L014']), 'TOPO-L014');
    expect(f.message).toContain('does not allow inbound TCP 443 from GatewayManager (control plane)');
    expect(f.loc.line).toBe(7);
  });
});

describe('TOPO-L008 and an Azure ML managed network (service-flows §2, MVNET-14)', () => {
  it('leaves alone the managed endpoints subnet, although its compute sends 0.0.0.0/0 to the managed egress', () => {
    const l = lintYaml(
      yaml`
        name: managed
        region: westeurope
        resources:
          mlw:
            type: Microsoft.MachineLearningServices/workspaces
            storageAccount: lake
            managedNetwork: { isolationMode: AllowOnlyApprovedOutbound }
          lake: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: Disabled }
      `,
      ['TOPO-L008'],
    );
    expect(l.net.subnets.get('managed:mlw/compute')!.routes.entries.some((e) => e.len === 0 && e.route.nextHop.type === 'VirtualAppliance')).toBe(true);
    expect(l.findings).toEqual([]);
  });
});
