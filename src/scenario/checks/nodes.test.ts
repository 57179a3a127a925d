import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../../test/helpers/scenario-fixture.js';

// Semantic checks of hosts, private endpoints, resources and externals (nodes.ts).

/** VNet v (10.0.0.0/16) with subnets s (10.0.1.0/24) and pe (10.0.2.0/24); `rest` starts on line 10. */
const net = (rest: string) =>
  yaml`
    name: x
    vnets:
      v:
        addressSpace: [10.0.0.0/16]
        subnets:
          s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: n }
          pe: { addressPrefix: 10.0.2.0/24, networkSecurityGroup: n }
    networkSecurityGroups:
      n: {}
  ` + rest;

describe('hosts', () => {
  it('accepts a host at a usable address of its subnet', () => {
    expect(loadYaml(net('hosts:\n  vm: { subnet: v/s, privateIpAddress: 10.0.1.4, publicIpAddress: 203.0.113.7, publicIpSku: basic }\n')).diagnostics).toEqual([]);
  });

  it('rejects an undefined subnet (TOPO205) with "did you mean" vnet/subnet', () => {
    const r = loadYaml(net('hosts:\n  vm: { subnet: v/ss, privateIpAddress: 10.0.1.4 }\n'));
    const d = r.at('TOPO205', 11, 17);
    expect(d.message).toBe("host 'vm' refers to subnet 'v/ss', which is not defined");
    expect(d.hint).toBe("did you mean 'v/s'?");
  });

  it('rejects a private IP outside its subnet (TOPO210)', () => {
    const r = loadYaml(net('hosts:\n  vm: { subnet: v/s, privateIpAddress: 10.0.2.10 }\n'));
    expect(r.at('TOPO210', 11, 40).message).toBe("private IP 10.0.2.10 of host 'vm' is not inside subnet 'v/s' (10.0.1.0/24)");
  });

  it('rejects the five addresses Azure reserves in every subnet (TOPO211), with the first usable one', () => {
    for (const [ip, reserved] of [
      ['10.0.1.0', true],
      ['10.0.1.1', true],
      ['10.0.1.3', true],
      ['10.0.1.4', false],
      ['10.0.1.254', false],
      ['10.0.1.255', true],
    ] as const) {
      const r = loadYaml(net(`hosts:\n  vm: { subnet: v/s, privateIpAddress: ${ip} }\n`));
      expect(r.codes.includes('TOPO211'), ip).toBe(reserved);
      if (reserved) {
        const d = r.at('TOPO211', 11, 40);
        expect(d.message).toContain('one of the five addresses Azure reserves');
        expect(d.hint).toBe('the first usable address is 10.0.1.4');
      }
    }
  });

  it('rejects a prefix where one address is wanted (TOPO200) and host bits (TOPO201)', () => {
    const r = loadYaml(net('hosts:\n  a: { subnet: v/s, privateIpAddress: 10.0.1.0/28 }\n  b: { subnet: v/s, privateIpAddress: 10.0.1.5/24 }\n'));
    expect(r.at('TOPO200', 11, 39).message).toBe("private IP of host 'a' must be one address, not the prefix 10.0.1.0/28");
    expect(r.at('TOPO201', 12, 39).hint).toContain('did you mean 10.0.1.0/24?');
  });

  it('rejects two interfaces with one private address in a VNet (TOPO212), naming the first', () => {
    const r = loadYaml(
      net(yaml`
        hosts:
          a: { subnet: v/s, privateIpAddress: 10.0.1.4 }
          b: { subnet: v/s, privateIpAddress: 10.0.1.4 }
        resources:
          st: { type: Microsoft.Storage/storageAccounts }
        privateEndpoints:
          st-blob: { subnet: v/pe, privateIpAddress: 10.0.2.4, resource: st, groupId: blob }
          st-file: { subnet: v/pe, privateIpAddress: 10.0.2.4, resource: st, groupId: file }
      `),
    );
    const host = r.at('TOPO212', 12, 39);
    expect(host.message).toBe("private IP 10.0.1.4 of host 'b' is already used by host 'a'");
    expect(host.related).toEqual([{ message: "host 'a'", loc: expect.objectContaining({ line: 11, col: 39 }) }]);
    expect(r.at('TOPO212', 17, 46).message).toBe("private IP 10.0.2.4 of private endpoint 'st-file' is already used by private endpoint 'st-blob'");
  });

  it('rejects a host at the firewall address (TOPO212)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        hub:
          addressSpace: [10.0.0.0/16]
          subnets:
            AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 }
            s: { addressPrefix: 10.0.2.0/24, networkSecurityGroup: n }
      networkSecurityGroups:
        n: {}
      firewalls:
        fw: { vnet: hub, privateIpAddress: 10.0.1.4 }
      hosts:
        nva: { subnet: hub/AzureFirewallSubnet, privateIpAddress: 10.0.1.4 }
    `);
    expect(r.at('TOPO212', 13, 61).message).toBe("private IP 10.0.1.4 of host 'nva' is already used by firewall 'fw'");
    expect(r.at('TOPO219', 13, 18).message).toBe("host 'nva' is placed in AzureFirewallSubnet, which holds only the firewall");
  });

  it('accepts the same private address in two VNets', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        a:
          addressSpace: [10.0.0.0/16]
          subnets: { s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: n } }
        b:
          addressSpace: [10.0.0.0/16]
          subnets: { s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: n } }
      networkSecurityGroups:
        n: {}
      hosts:
        one: { subnet: a/s, privateIpAddress: 10.0.1.4 }
        two: { subnet: b/s, privateIpAddress: 10.0.1.4 }
    `);
    expect(r.diagnostics).toEqual([]);
  });

  it('rejects a host in GatewaySubnet (TOPO219)', () => {
    const r = loadYaml('name: x\nvnets:\n  v:\n    addressSpace: [10.0.0.0/16]\n    subnets:\n      GatewaySubnet: { addressPrefix: 10.0.0.0/27 }\nhosts:\n  vm: { subnet: v/GatewaySubnet, privateIpAddress: 10.0.0.4 }\n');
    expect(r.at('TOPO219', 8, 17).message).toBe("host 'vm' is placed in GatewaySubnet, which holds only the gateway");
  });

  it('F11.1: rejects a public IP that is private, a prefix or not an address (TOPO200, TOPO201)', () => {
    const r = loadYaml(
      net(yaml`
        hosts:
          a: { subnet: v/s, privateIpAddress: 10.0.1.4, publicIpAddress: 10.0.1.5 }
          b: { subnet: v/s, privateIpAddress: 10.0.1.6, publicIpAddress: 203.0.113.0/24 }
          c: { subnet: v/s, privateIpAddress: 10.0.1.7, publicIpAddress: 203.0.113.9/24 }
      `),
    );
    expect(r.at('TOPO200', 11, 66).message).toBe("public IP 10.0.1.5 of host 'a' is not a single public IPv4 address");
    expect(r.at('TOPO200', 12, 66).message).toContain('203.0.113.0/24');
    expect(r.at('TOPO201', 13, 66).message).toContain("public IP of host 'c'");
  });

  it('F1.1.7, F1.7.1: rejects an undefined NIC NSG or ASG (TOPO205)', () => {
    const r = loadYaml(net('applicationSecurityGroups: [web]\nhosts:\n  vm: { subnet: v/s, privateIpAddress: 10.0.1.4, networkSecurityGroup: m, applicationSecurityGroups: [wbe] }\n'));
    expect(r.at('TOPO205', 12, 72).message).toBe("host 'vm' refers to NSG 'm', which is not defined");
    expect(r.at('TOPO205', 12, 103).hint).toBe("did you mean 'web'?");
  });

  it('F1.7.3: rejects an ASG with members in two VNets (TOPO219), naming the first member', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        a:
          addressSpace: [10.0.0.0/16]
          subnets: { s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: n } }
        b:
          addressSpace: [10.1.0.0/16]
          subnets: { s: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: n } }
      networkSecurityGroups:
        n: {}
      applicationSecurityGroups: [web]
      hosts:
        one: { subnet: a/s, privateIpAddress: 10.0.1.4, applicationSecurityGroups: [web] }
        two: { subnet: b/s, privateIpAddress: 10.1.1.4, applicationSecurityGroups: [web] }
    `);
    const d = r.at('TOPO219', 14, 79);
    expect(d.message).toBe("ASG 'web' has members in VNets 'a' and 'b'; all members of an ASG must be in one VNet (F1.7.3)");
    expect(d.related).toEqual([{ message: "host 'one' is in 'a'", loc: expect.objectContaining({ line: 13, col: 79 }) }]);
  });
});

describe('private endpoints', () => {
  const pe = (fields: string, resource = 'Microsoft.Storage/storageAccounts') => net(`resources:\n  st: { type: ${resource} }\nprivateEndpoints:\n  e: { ${fields} }\n`);
  // The endpoint is on line 13.

  it('accepts an endpoint with a known groupId in any case (F5.1.3)', () => {
    expect(loadYaml(pe('subnet: v/pe, privateIpAddress: 10.0.2.4, resource: st, groupId: Blob')).diagnostics).toEqual([]);
  });

  it('F5.1.3: rejects a groupId the resource type does not have (TOPO205) with "did you mean"', () => {
    const r = loadYaml(pe('subnet: v/pe, privateIpAddress: 10.0.2.4, resource: st, groupId: blobs'));
    const d = r.at('TOPO205', 13, 73);
    expect(d.message).toBe("private endpoint 'e' targets groupId 'blobs', which a storage account does not have (F5.1.3)");
    expect(d.hint).toBe("did you mean 'blob'?");
    const kv = loadYaml(pe('subnet: v/pe, privateIpAddress: 10.0.2.4, resource: st, groupId: blob', 'Microsoft.KeyVault/vaults'));
    expect(kv.at('TOPO205', 13, 73).hint).toBe('groupIds: vault');
  });

  it('rejects an undefined resource (TOPO205)', () => {
    const r = loadYaml(pe('subnet: v/pe, privateIpAddress: 10.0.2.4, resource: sta, groupId: blob'));
    expect(r.at('TOPO205', 13, 60).hint).toBe("did you mean 'st'?");
  });

  it('accepts any groupId for a resource type topo has no model of', () => {
    expect(loadYaml(pe('subnet: v/pe, privateIpAddress: 10.0.2.4, resource: st, groupId: whatever', 'Contoso.Widgets/widgets')).diagnostics).toEqual([]);
  });

  it('F5.1.1: places the endpoint NIC like a host (TOPO210, TOPO211)', () => {
    expect(loadYaml(pe('subnet: v/pe, privateIpAddress: 10.0.1.4, resource: st, groupId: blob')).at('TOPO210', 13, 40).message).toContain("private endpoint 'e' is not inside subnet 'v/pe'");
    expect(loadYaml(pe('subnet: v/pe, privateIpAddress: 10.0.2.255, resource: st, groupId: blob')).codes).toEqual(['TOPO211']);
  });

  it('F6.1.1, F4.9: rejects an endpoint in AzureBastionSubnet, AzureFirewallSubnet or GatewaySubnet (TOPO219)', () => {
    const r = loadYaml('name: x\nvnets:\n  v:\n    addressSpace: [10.0.0.0/16]\n    subnets:\n      AzureBastionSubnet: { addressPrefix: 10.0.0.0/26, networkSecurityGroup: n }\nnetworkSecurityGroups:\n  n: {}\nresources:\n  st: { type: Microsoft.Storage/storageAccounts }\nprivateEndpoints:\n  e: { subnet: v/AzureBastionSubnet, privateIpAddress: 10.0.0.4, resource: st, groupId: blob }\n');
    expect(r.at('TOPO219', 12, 16).message).toBe("private endpoint 'e' is placed in AzureBastionSubnet, which takes no private endpoints");
  });
});

describe('resources', () => {
  const res = (acls: string, type = 'Microsoft.Storage/storageAccounts', serviceEndpoints = '[Microsoft.Storage]') =>
    yaml`
      name: x
      region: eastus
      vnets:
        v:
          addressSpace: [10.0.0.0/16]
          subnets:
            s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: n, serviceEndpoints: ${serviceEndpoints} }
      networkSecurityGroups:
        n: {}
      resources:
        r:
          type: ${type}
    ` + `    networkAcls: ${acls}\n`;
  // networkAcls is on line 13.

  it('accepts network rules with public IPs and subnets that have the service endpoint', () => {
    expect(loadYaml(res('{ defaultAction: Deny, bypass: [AzureServices, Logging], ipRules: [203.0.113.0/24, 198.51.100.7], virtualNetworkRules: [v/s] }')).diagnostics).toEqual([]);
    expect(loadYaml(res('{ defaultAction: Deny, bypass: "Logging, Metrics" }')).diagnostics).toEqual([]);
  });

  it('F5.3.1: rejects a bypass value that does not exist (TOPO103) with "did you mean"', () => {
    const r = loadYaml(res('{ bypass: [AzureService] }'));
    const d = r.at('TOPO103', 13, 29);
    expect(d.message).toBe("bypass value 'AzureService' of resource 'r' is not one of AzureServices, Logging, Metrics, None");
    expect(d.hint).toBe("did you mean 'AzureServices'?");
  });

  it('F5.3.5: rejects private ranges and /31, /32 prefixes in IP rules (TOPO200)', () => {
    const r = loadYaml(res('{ ipRules: [10.0.0.0/8, 192.168.1.1, 203.0.113.7/32, 203.0.113.8/31] }'));
    const priv = r.at('TOPO200', 13, 30);
    expect(priv.message).toBe("IP rule 10.0.0.0/8 of resource 'r' is a private range; IP rules take public addresses only (F5.3.5)");
    expect(priv.hint).toContain('virtual network rule or a private endpoint');
    expect(r.at('TOPO200', 13, 42).message).toContain('192.168.1.1');
    const slash32 = r.at('TOPO200', 13, 55);
    expect(slash32.message).toBe("IP rule 203.0.113.7/32 of resource 'r': Azure rejects /31 and /32 prefixes (F5.3.5)");
    expect(slash32.hint).toBe('write the bare address 203.0.113.7');
    expect(r.at('TOPO200', 13, 71).hint).toBe('write the bare addresses');
  });

  it('F5.3.4: rejects a virtual network rule for a subnet without the Storage service endpoint (TOPO219)', () => {
    const r = loadYaml(res('{ defaultAction: Deny, virtualNetworkRules: [v/s] }', 'Microsoft.Storage/storageAccounts', '[Microsoft.KeyVault]'));
    const d = r.at('TOPO219', 13, 63);
    expect(d.message).toBe("virtual network rule 'v/s' of resource 'r' names a subnet without the Microsoft.Storage or Microsoft.Storage.Global service endpoint (F5.3.4)");
    expect(d.hint).toBe("add Microsoft.Storage to serviceEndpoints of subnet 'v/s'");
    expect(loadYaml(res('{ virtualNetworkRules: [v/s] }', 'Microsoft.Storage/storageAccounts', '[microsoft.storage.global]')).diagnostics).toEqual([]);
  });

  it('F5.4.2: rejects a key vault virtual network rule for a subnet without Microsoft.KeyVault (TOPO219)', () => {
    const r = loadYaml(res('{ virtualNetworkRules: [v/s] }', 'Microsoft.KeyVault/vaults'));
    expect(r.at('TOPO219', 13, 42).message).toContain('without the Microsoft.KeyVault service endpoint (F5.4.2)');
  });

  it('rejects a virtual network rule naming an undefined subnet (TOPO205)', () => {
    const r = loadYaml(res('{ virtualNetworkRules: [v/t] }'));
    expect(r.at('TOPO205', 13, 42).message).toBe("virtual network rule of resource 'r' refers to subnet 'v/t', which is not defined");
  });
});

describe('externals', () => {
  it('requires prefixes (TOPO101) and checks them (TOPO201, TOPO220)', () => {
    const r = loadYaml('name: x\nexternals:\n  none: { addressPrefixes: [] }\n  bad: { addressPrefixes: [203.0.113.1/24, "2001:db8::/32"] }\n');
    expect(r.at('TOPO101', 3, 28).message).toBe('externals.none.addressPrefixes is empty; it needs at least one item');
    expect(r.with('TOPO101')).toHaveLength(1);
    expect(r.at('TOPO201', 4, 28).message).toContain("prefix of external 'bad'");
    expect(r.at('TOPO220', 4, 44).message).toContain('IPv6');
  });
});
