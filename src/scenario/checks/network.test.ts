import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../../test/helpers/scenario-fixture.js';

// Semantic checks of VNets, subnets, peerings and gateways (network.ts).
describe('address spaces and subnets', () => {
  it('F1.1.4: rejects a CIDR with host bits (TOPO201), suggesting the network', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.1/16]
          subnets:
            s: { addressPrefix: 10.0.1.5/24 }
    `);
    const d = r.at('TOPO201', 4, 20);
    expect(d.message).toBe("address space of VNet 'v' '10.0.0.1/16' has host bits set");
    expect(d.hint).toBe('Azure rejects it; did you mean 10.0.0.0/16?');
    expect(r.at('TOPO201', 6, 27).hint).toContain('did you mean 10.0.1.0/24?');
  });

  it('rejects what is not an IPv4 prefix (TOPO200), leading zeros included', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/33, 10.0.0/16, 010.1.0.0/16, hub]
    `);
    expect(r.at('TOPO200', 4, 20).message).toBe("address space of VNet 'v' '10.0.0.0/33' is not an IPv4 address or CIDR prefix");
    expect(r.at('TOPO200', 4, 33).message).toContain("'10.0.0/16' is not an IPv4");
    expect(r.at('TOPO200', 4, 44).message).toContain("'010.1.0.0/16'");
    expect(r.at('TOPO200', 4, 58).message).toContain("'hub'");
  });

  it('rejects IPv6 as not modelled yet (TOPO220)', () => {
    const r = loadYaml('name: x\nvnets:\n  v:\n    addressSpace: [10.0.0.0/16, "fd00::/48"]\n');
    const d = r.at('TOPO220', 4, 33);
    expect(d.message).toBe("address space of VNet 'v' 'fd00::/48' is IPv6, which topo does not model yet");
    expect(d.hint).toContain('remove IPv6');
  });

  it('requires at least one prefix in addressSpace and in every subnet (TOPO101)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: []
          subnets:
            s: { networkSecurityGroup: null }
    `);
    expect(r.at('TOPO101', 4, 19).message).toBe('vnets.v.addressSpace is empty; it needs at least one item');
    expect(r.at('TOPO101', 6, 7).message).toBe("subnet 'v/s' has no addressPrefix");
    expect(r.with('TOPO101')).toHaveLength(2);
    // A missing addressSpace is the schema's to report, once.
    expect(loadYaml('name: x\nvnets:\n  v: {}\n').codes).toEqual(['TOPO101']);
  });

  it('F2.1: rejects a subnet prefix outside the VNet address space (TOPO202)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/16, 10.5.0.0/16]
          subnets:
            inside: { addressPrefixes: [10.0.1.0/24, 10.5.1.0/24] }
            straddles: { addressPrefix: 10.0.0.0/15 }
            outside: { addressPrefix: 10.9.0.0/24 }
    `);
    expect(r.with('TOPO202')).toHaveLength(2);
    expect(r.at('TOPO202', 7, 35).message).toContain("subnet 'v/straddles' prefix 10.0.0.0/15 is not inside the address space of VNet 'v' (10.0.0.0/16, 10.5.0.0/16)");
    expect(r.at('TOPO202', 8, 33).message).toContain("subnet 'v/outside'");
  });

  it('rejects overlapping subnets of one VNet (TOPO203) naming the other subnet', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/16]
          subnets:
            a: { addressPrefix: 10.0.0.0/24 }
            b: { addressPrefix: 10.0.1.0/24 }
            c: { addressPrefix: 10.0.0.128/25 }
    `);
    expect(r.with('TOPO203')).toHaveLength(1);
    const d = r.at('TOPO203', 8, 27);
    expect(d.message).toBe("subnet 'v/c' prefix 10.0.0.128/25 overlaps subnet 'v/a' (10.0.0.0/24)");
    expect(d.related?.[0].loc).toMatchObject({ line: 6, col: 27 });
  });

  it('rejects an address space that overlaps itself (TOPO203)', () => {
    const r = loadYaml('name: x\nvnets:\n  v:\n    addressSpace: [10.0.0.0/16, 10.0.128.0/17]\n');
    expect(r.at('TOPO203', 4, 33).message).toBe("address space 10.0.128.0/17 of VNet 'v' overlaps 10.0.0.0/16 of the same VNet");
  });

  it('rejects a subnet smaller than /29 (TOPO231)', () => {
    const r = loadYaml('name: x\nvnets:\n  v:\n    addressSpace: [10.0.0.0/16]\n    subnets:\n      tiny: { addressPrefix: 10.0.0.0/30 }\n      ok: { addressPrefix: 10.0.1.0/29 }\n');
    expect(r.with('TOPO231')).toHaveLength(1);
    expect(r.at('TOPO231', 6, 30).message).toBe("subnet 'v/tiny' prefix 10.0.0.0/30 is smaller than /29, the smallest subnet Azure allows");
  });

  it('F4.9.1: rejects an AzureFirewallSubnet smaller than /26 (TOPO231)', () => {
    const r = loadYaml('name: x\nvnets:\n  hub:\n    addressSpace: [10.0.0.0/16]\n    subnets:\n      AzureFirewallSubnet: { addressPrefix: 10.0.1.0/27 }\n      AzureFirewallManagementSubnet: { addressPrefix: 10.0.2.0/26 }\n');
    const d = r.at('TOPO231', 6, 45);
    expect(d.message).toBe("AzureFirewallSubnet prefix 10.0.1.0/27 of VNet 'hub' is smaller than /26, the size Azure requires for it (F4.9.1)");
    expect(r.with('TOPO231')).toHaveLength(1);
  });

  it('F4.7.2: rejects an AzureFirewallManagementSubnet smaller than /26 (TOPO231)', () => {
    const r = loadYaml('name: x\nvnets:\n  hub:\n    addressSpace: [10.0.0.0/16]\n    subnets:\n      AzureFirewallManagementSubnet: { addressPrefix: 10.0.2.0/28 }\n');
    expect(r.at('TOPO231', 6, 55).message).toContain('(F4.7.2)');
  });
});

describe('subnet attachments and special subnets', () => {
  it('rejects references to undefined NSGs, route tables and NAT gateways (TOPO205) with "did you mean"', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/16]
          subnets:
            s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: app-nsgg, routeTable: rt, natGateway: nat1 }
      networkSecurityGroups:
        app-nsg: {}
      natGateways:
        nat-1: {}
    `);
    const nsg = r.at('TOPO205', 6, 62);
    expect(nsg.message).toBe("subnet 'v/s' refers to NSG 'app-nsgg', which is not defined");
    expect(nsg.hint).toBe("did you mean 'app-nsg'?");
    expect(r.at('TOPO205', 6, 84).hint).toBe('no route table is defined');
    expect(r.at('TOPO205', 6, 100).hint).toBe("did you mean 'nat-1'?");
  });

  it('F1.8.2 / F4.9.2: rejects an NSG on AzureFirewallSubnet (TOPO213)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        hub:
          addressSpace: [10.0.0.0/16]
          subnets:
            AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26, networkSecurityGroup: n }
      networkSecurityGroups:
        n: {}
    `);
    const d = r.at('TOPO213', 6, 80);
    expect(d.message).toBe("AzureFirewallSubnet of VNet 'hub' has an NSG; Azure does not support NSGs there");
    expect(d.hint).toContain('F1.8.2');
  });

  it('F6.1.1: rejects a route table on AzureBastionSubnet (TOPO214)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        hub:
          addressSpace: [10.0.0.0/16]
          subnets:
            AzureBastionSubnet: { addressPrefix: 10.0.2.0/26, routeTable: rt }
      routeTables:
        rt: {}
    `);
    const d = r.at('TOPO214', 6, 69);
    expect(d.message).toBe("AzureBastionSubnet of VNet 'hub' has a route table; Azure does not support UDRs there");
    expect(d.hint).toContain('F6.1.1');
  });

  it('F2.8.1: rejects an unknown service endpoint (TOPO205) with "did you mean"', () => {
    const r = loadYaml('name: x\nvnets:\n  v:\n    addressSpace: [10.0.0.0/16]\n    subnets:\n      s: { addressPrefix: 10.0.1.0/24, serviceEndpoints: [microsoft.storage, Microsoft.KeyValt] }\n');
    expect(r.with('TOPO205')).toHaveLength(1);
    const d = r.at('TOPO205', 6, 78);
    expect(d.message).toBe("subnet 'v/s' enables service endpoint 'Microsoft.KeyValt', which Azure does not have");
    expect(d.hint).toBe("did you mean 'Microsoft.KeyVault'?");
  });

  it('F5.3.4: rejects Microsoft.Storage and Microsoft.Storage.Global on one subnet (TOPO219)', () => {
    const r = loadYaml('name: x\nvnets:\n  v:\n    addressSpace: [10.0.0.0/16]\n    subnets:\n      s: { addressPrefix: 10.0.1.0/24, serviceEndpoints: [Microsoft.Storage, Microsoft.Storage.Global] }\n');
    const d = r.at('TOPO219', 6, 78);
    expect(d.message).toContain('enables both Microsoft.Storage and Microsoft.Storage.Global; a subnet can have only one (F5.3.4)');
    expect(d.related?.[0].loc).toMatchObject({ line: 6, col: 59 });
  });

  it('F2.8: rejects a service endpoint policy without the Storage endpoint, or naming a non-storage resource (TOPO219, TOPO205)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/16]
          subnets:
            s:
              addressPrefix: 10.0.1.0/24
              serviceEndpointPolicies:
                - resources: [kv, nosuch]
      resources:
        kv: { type: Microsoft.KeyVault/vaults }
    `);
    expect(r.at('TOPO219', 9, 13).message).toBe("subnet 'v/s' has a service endpoint policy but no Microsoft.Storage service endpoint for it to apply to");
    expect(r.at('TOPO219', 9, 25).message).toBe("service endpoint policies list storage accounts; 'kv' is a Microsoft.KeyVault/vaults");
    expect(r.at('TOPO205', 9, 29).message).toContain("refers to resource 'nosuch'");
  });
});

describe('peerings', () => {
  /** Hub (with a GatewaySubnet) and spoke peered with the given peering maps; `extra` starts on line 14. */
  const twoVnets = (hubPeering: string, spokePeering: string, extra = '') =>
    yaml`
      name: x
      vnets:
        hub:
          addressSpace: [10.0.0.0/16]
          subnets:
            GatewaySubnet: { addressPrefix: 10.0.255.0/27 }
          peerings:
            to-spoke: ${hubPeering}
        spoke:
          addressSpace: [10.1.0.0/16]
          peerings:
            to-hub: ${spokePeering}
    ` + extra;

  it('F3.1.1: warns about a one-sided peering (TOPO300), which carries no traffic', () => {
    const r = loadYaml('name: x\nvnets:\n  a:\n    addressSpace: [10.0.0.0/16]\n    peerings:\n      to-b: { remoteVirtualNetwork: b }\n  b:\n    addressSpace: [10.1.0.0/16]\n');
    expect(r.scenario).toBeDefined();
    const d = r.at('TOPO300', 6, 7);
    expect(d.severity).toBe('warning');
    expect(d.message).toBe("peering 'to-b' of VNet 'a' is one-sided: VNet 'b' declares no peering back, so it carries no traffic (F3.1.1)");
    expect(d.hint).toContain('vnets.b.peerings');
  });

  it('accepts a peering declared on both sides', () => {
    expect(loadYaml(twoVnets('{ remoteVirtualNetwork: spoke }', '{ remoteVirtualNetwork: hub }')).diagnostics).toEqual([]);
  });

  it('rejects a peering to an undefined VNet (TOPO205) and to its own VNet (TOPO230)', () => {
    const r = loadYaml('name: x\nvnets:\n  a:\n    addressSpace: [10.0.0.0/16]\n    peerings:\n      p1: { remoteVirtualNetwork: bb }\n      p2: { remoteVirtualNetwork: a }\n  b:\n    addressSpace: [10.1.0.0/16]\n');
    expect(r.at('TOPO205', 6, 35).hint).toBe("did you mean 'b'?");
    expect(r.at('TOPO230', 7, 35).message).toBe("peering 'p2' of VNet 'a' points at its own VNet");
  });

  it('F3.1.2: rejects peered VNets whose address spaces overlap (TOPO204), once per pair', () => {
    const r = loadYaml('name: x\nvnets:\n  a:\n    addressSpace: [10.0.0.0/16]\n    peerings:\n      to-b: { remoteVirtualNetwork: b }\n  b:\n    addressSpace: [10.0.128.0/17]\n    peerings:\n      to-a: { remoteVirtualNetwork: a }\n');
    expect(r.with('TOPO204')).toHaveLength(1);
    const d = r.at('TOPO204', 6, 7);
    expect(d.message).toBe("VNets 'a' and 'b' are peered but their address spaces overlap (10.0.0.0/16 and 10.0.128.0/17); Azure refuses such a peering (F3.1.2)");
    expect(d.related?.[0].loc).toMatchObject({ line: 8, col: 20 });
  });

  it('accepts overlapping VNets that are not peered', () => {
    expect(loadYaml('name: x\nvnets:\n  a: { addressSpace: [10.0.0.0/16] }\n  b: { addressSpace: [10.0.0.0/16] }\n').diagnostics).toEqual([]);
  });

  it('F3.2: rejects useRemoteGateways when the peer has no gateway (TOPO226)', () => {
    const r = loadYaml(twoVnets('{ remoteVirtualNetwork: spoke, allowGatewayTransit: true }', '{ remoteVirtualNetwork: hub, useRemoteGateways: true }'));
    expect(r.codes).toEqual(['TOPO226']);
    expect(r.at('TOPO226', 12, 63).message).toBe("peering 'to-hub' of VNet 'spoke' sets useRemoteGateways but VNet 'hub' has no gateway (F3.2)");
  });

  it('F3.2: rejects useRemoteGateways without allowGatewayTransit on the way back (TOPO226)', () => {
    const gw = 'virtualNetworkGateways:\n  gw: { vnet: hub, gatewayType: Vpn }';
    const r = loadYaml(twoVnets('{ remoteVirtualNetwork: spoke }', '{ remoteVirtualNetwork: hub, useRemoteGateways: true }', gw));
    expect(r.codes).toEqual(['TOPO226']);
    const d = r.at('TOPO226', 12, 63);
    expect(d.message).toContain('the peering back from \'hub\' does not set allowGatewayTransit (F3.2)');
    expect(d.hint).toBe('set allowGatewayTransit: true on vnets.hub.peerings.to-spoke');
    expect(loadYaml(twoVnets('{ remoteVirtualNetwork: spoke, allowGatewayTransit: true }', '{ remoteVirtualNetwork: hub, useRemoteGateways: true }', gw)).diagnostics).toEqual([]);
  });

  it('F3.2: rejects useRemoteGateways in a VNet that has its own gateway, and on two peerings (TOPO226)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        a:
          addressSpace: [10.0.0.0/16]
          subnets:
            GatewaySubnet: { addressPrefix: 10.0.255.0/27 }
          peerings:
            to-b: { remoteVirtualNetwork: b, useRemoteGateways: true }
            to-c: { remoteVirtualNetwork: c, useRemoteGateways: true }
        b:
          addressSpace: [10.1.0.0/16]
          subnets:
            GatewaySubnet: { addressPrefix: 10.1.255.0/27 }
          peerings:
            to-a: { remoteVirtualNetwork: a, allowGatewayTransit: true }
        c:
          addressSpace: [10.2.0.0/16]
          subnets:
            GatewaySubnet: { addressPrefix: 10.2.255.0/27 }
          peerings:
            to-a: { remoteVirtualNetwork: a, allowGatewayTransit: true }
      virtualNetworkGateways:
        gw-a: { vnet: a, gatewayType: Vpn }
        gw-b: { vnet: b, gatewayType: Vpn }
        gw-c: { vnet: c, gatewayType: ExpressRoute }
    `);
    expect(r.at('TOPO226', 8, 59).message).toBe("peering 'to-b' of VNet 'a' sets useRemoteGateways but VNet 'a' has a gateway of its own (F3.2)");
    expect(r.with('TOPO226').map((d) => d.message).filter((m) => m.includes('more than one'))).toEqual(["VNet 'a' sets useRemoteGateways on more than one peering; Azure allows one (F3.2, §8.26)"]);
    expect(r.with('TOPO226').find((d) => d.message.includes('more than one'))?.loc).toMatchObject({ line: 9, col: 59 });
  });
});

describe('regions and gateways', () => {
  it('rejects a region the catalog does not know (TOPO228) with "did you mean"', () => {
    const r = loadYaml('name: x\nregion: East US\nvnets:\n  v: { addressSpace: [10.0.0.0/16], region: westeurop }\nresources:\n  st: { type: Microsoft.Storage/storageAccounts, region: mars }\n');
    const top = r.at('TOPO228', 2, 9);
    expect(top.message).toBe("'East US' is not an Azure region the service tag catalog knows");
    expect(top.hint).toBe("did you mean 'eastus'?");
    expect(r.at('TOPO228', 4, 45).hint).toBe("did you mean 'westeurope'?");
    expect(r.at('TOPO228', 6, 58).hint).toContain('use the ARM location name');
  });

  it('accepts region names in any case', () => {
    expect(loadYaml('name: x\nregion: GermanyWestCentral\n').diagnostics).toEqual([]);
  });

  it('F2.2: rejects a gateway whose VNet has no GatewaySubnet (TOPO215) or that names no VNet (TOPO205)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        hub: { addressSpace: [10.0.0.0/16] }
      virtualNetworkGateways:
        gw: { vnet: hub, gatewayType: Vpn, remoteAddressPrefixes: [192.168.0.0/16, 192.168.1.1/16] }
        gw2: { vnet: hubb, gatewayType: ExpressRoute }
    `);
    const d = r.at('TOPO215', 5, 15);
    expect(d.message).toBe("gateway 'gw' lives in VNet 'hub', which has no GatewaySubnet");
    expect(d.hint).toBe('add a GatewaySubnet to vnets.hub.subnets');
    expect(r.at('TOPO201', 5, 78).message).toContain("remote prefix of gateway 'gw'");
    expect(r.at('TOPO205', 6, 16).hint).toBe("did you mean 'hub'?");
  });
});
