/**
 * The exposure lints: subnets without NSGs (TOPO-L001), public PaaS
 * endpoints (TOPO-L002), VMs with public IPs (TOPO-L003), management ports
 * reachable from the Internet (TOPO-L004), default outbound access
 * (TOPO-L011). Each: what must not be reported first, then what must.
 */
import { describe, expect, it } from 'vitest';
import { yaml } from '../../../test/helpers/scenario-fixture.js';
import { lintYaml, only } from '../../../test/helpers/lint.js';

const rule = (name: string, priority: number, direction: string, access: string, src: string, port: string, dst = '*') =>
  `{ name: ${name}, priority: ${priority}, direction: ${direction}, access: ${access}, protocol: Tcp, sourceAddressPrefix: "${src}", sourcePortRange: "*", destinationAddressPrefix: "${dst}", destinationPortRange: "${port}" }`;

/** One VM with a public IP behind the NSG `vm-nsg` with the given inbound rules. */
const vmWithPublicIp = (rules: string[], extra = '') => yaml`
  name: exposure
  region: eastus
  vnets:
    spoke:
      addressSpace: [10.1.0.0/16]
      subnets:
        app: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: vm-nsg, defaultOutboundAccess: false }
  networkSecurityGroups:
    vm-nsg:
      securityRules: [${rules.join(', ')}]
  hosts:
    jump: { subnet: spoke/app, privateIpAddress: 10.1.1.4, publicIpAddress: 192.0.2.10 }
  ${extra}
`;

describe('TOPO-L001 subnet-without-nsg (F1.4)', () => {
  it('leaves alone the subnets that take no NSG, and subnets that have one', () => {
    const l = lintYaml(
      yaml`
        name: special
        vnets:
          hub:
            addressSpace: [10.0.0.0/16]
            subnets:
              AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 }
              GatewaySubnet: { addressPrefix: 10.0.2.0/27 }
              RouteServerSubnet: { addressPrefix: 10.0.3.0/27 }
              shared: { addressPrefix: 10.0.4.0/24, networkSecurityGroup: n }
        networkSecurityGroups: { n: { securityRules: [] } }
      `,
      ['TOPO-L001'],
    );
    expect(l.findings).toEqual([]);
  });

  it('reports a workload subnet without an NSG at the subnet, naming the unfiltered VMs; AzureBastionSubnet included', () => {
    const l = lintYaml(
      yaml`
        name: bare
        vnets:
          spoke:
            addressSpace: [10.1.0.0/16]
            subnets:
              app: { addressPrefix: 10.1.1.0/24 }
              AzureBastionSubnet: { addressPrefix: 10.1.2.0/26 }
        hosts:
          vm1: { subnet: spoke/app, privateIpAddress: 10.1.1.4 }
      `,
      ['TOPO-L001'],
    );
    expect(l.ids).toEqual(['TOPO-L001 spoke/app', 'TOPO-L001 spoke/AzureBastionSubnet']);
    const f = l.findings[0];
    expect(f.message).toContain('nothing filters the traffic of vm1');
    expect(f.loc.line).toBe(6);
    expect(f.severity).toBe('warning');
  });
});

describe('TOPO-L002 paas-public-network-access (F5.1.6)', () => {
  const resources = (body: string) => yaml`
    name: paas
    region: eastus
    resources: ${body}
  `;

  it('leaves alone resources with public network access disabled, and types topo does not model', () => {
    const l = lintYaml(resources('{ lake: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: Disabled }, thing: { type: Microsoft.Contoso/widgets } }'), ['TOPO-L002']);
    expect(l.findings).toEqual([]);
  });

  it("reports Azure's default (enabled, all networks) as a warning at the resource", () => {
    const f = only(lintYaml(resources('{ lake: { type: Microsoft.Storage/storageAccounts } }'), ['TOPO-L002']), 'TOPO-L002');
    expect(f.severity).toBe('warning');
    expect(f.message).toContain("publicNetworkAccess is not set, and Azure's default is Enabled");
    expect(f.message).toContain('any network');
  });

  it('reports a public endpoint limited to selected networks as a note, and says a private endpoint does not close it', () => {
    const l = lintYaml(
      yaml`
        name: paas
        region: eastus
        vnets:
          spoke:
            addressSpace: [10.1.0.0/16]
            subnets:
              pe: { addressPrefix: 10.1.2.0/24, networkSecurityGroup: n }
        networkSecurityGroups: { n: { securityRules: [] } }
        resources:
          lake:
            type: Microsoft.Storage/storageAccounts
            publicNetworkAccess: Enabled
            networkAcls: { defaultAction: Deny, ipRules: [198.51.100.0/24] }
        privateEndpoints:
          lake-blob: { subnet: spoke/pe, privateIpAddress: 10.1.2.5, resource: lake, groupId: blob }
      `,
      ['TOPO-L002'],
    );
    const f = only(l, 'TOPO-L002');
    expect(f.severity).toBe('note');
    expect(f.message).toContain('limited to 1 IP range');
    expect(f.message).toContain('which does not close the public one (F5.1.6)');
    expect(f.loc.line).toBe(12);
  });
});

describe('TOPO-L003 compute-public-ip (F11.1)', () => {
  it('leaves alone VMs without a public IP', () => {
    const l = lintYaml(vmWithPublicIp([]).replace(', publicIpAddress: 192.0.2.10', ''), ['TOPO-L003']);
    expect(l.findings).toEqual([]);
  });

  it('reports a VM with a public IP at the address, and says a Basic SKU is open by default', () => {
    const f = only(lintYaml(vmWithPublicIp([]), ['TOPO-L003']), 'TOPO-L003');
    expect(f.target).toBe('jump');
    expect(f.loc.line).toBe(12);
    const basic = only(lintYaml(vmWithPublicIp([]).replace('publicIpAddress: 192.0.2.10', 'publicIpAddress: 192.0.2.10, publicIpSku: Basic'), ['TOPO-L003']), 'TOPO-L003');
    expect(basic.message).toContain('Basic SKU: open to inbound traffic');
  });
});

describe('TOPO-L004 management-port-from-internet (F1.2.4, F11.1, F4.5.5)', () => {
  it('F11.1: a Standard public IP with no NSG rule admitting SSH is closed', () => {
    expect(lintYaml(vmWithPublicIp([rule('https', 100, 'Inbound', 'Allow', 'Internet', '443')]), ['TOPO-L004']).findings).toEqual([]);
  });

  it('F1.2.4: a rule written against the public IP does not open the port', () => {
    expect(lintYaml(vmWithPublicIp([rule('ssh-pip', 100, 'Inbound', 'Allow', '*', '22', '192.0.2.10')]), ['TOPO-L004']).findings).toEqual([]);
  });

  it('reports SSH open to the Internet as an error at the allowing rule, with a witness the simulator confirms', () => {
    const l = lintYaml(vmWithPublicIp([rule('ssh', 100, 'Inbound', 'Allow', 'Internet', '22')]), ['TOPO-L004']);
    const f = only(l, 'TOPO-L004');
    expect(f.severity).toBe('error');
    expect(f.loc.line).toBe(10);
    expect(f.message).toMatch(/^SSH \(TCP 22\) of jump \(10\.1\.1\.4\) is reachable from the Internet: Tcp 203\.0\.113\.10:\d+ -> 192\.0\.2\.10:22/);
    expect(f.message).toContain('let in by vm-nsg/ssh (priority 100)');
    expect(f.witness?.trace.verdict).toBe('delivered');
    expect(f.witness?.trace.delivery?.kind).toBe('nic');
  });

  it('a deny above the allow closes it; a port range that covers 3389 opens RDP', () => {
    expect(lintYaml(vmWithPublicIp([rule('no', 100, 'Inbound', 'Deny', '*', '22'), rule('ssh', 200, 'Inbound', 'Allow', 'Internet', '22')]), ['TOPO-L004']).findings).toEqual([]);
    const f = only(lintYaml(vmWithPublicIp([rule('range', 100, 'Inbound', 'Allow', '*', '3000-4000')]), ['TOPO-L004']), 'TOPO-L004');
    expect(f.message).toMatch(/^RDP \(TCP 3389\)/);
  });

  it('F1.6.1: a VirtualNetwork source admits the Internet when a 0.0.0.0/0 route widens the tag', () => {
    const text = vmWithPublicIp([rule('vnet-ssh', 100, 'Inbound', 'Allow', 'VirtualNetwork', '22')])
      .replace('defaultOutboundAccess: false }', 'defaultOutboundAccess: false, routeTable: rt }')
      .replace('hosts:', 'routeTables: { rt: { routes: [{ name: all, addressPrefix: 0.0.0.0/0, nextHopType: Internet }] } }\nhosts:');
    expect(only(lintYaml(text, ['TOPO-L004']), 'TOPO-L004').message).toContain('let in by vm-nsg/vnet-ssh');
    expect(lintYaml(vmWithPublicIp([rule('vnet-ssh', 100, 'Inbound', 'Allow', 'VirtualNetwork', '22')]), ['TOPO-L004']).findings).toEqual([]);
  });

  it("a port open only to a named external party is a note naming it", () => {
    const text = vmWithPublicIp([rule('partner-ssh', 100, 'Inbound', 'Allow', '198.51.100.0/24', '22')], 'externals: { partner: { addressPrefixes: [198.51.100.0/24] } }');
    const f = only(lintYaml(text, ['TOPO-L004']), 'TOPO-L004');
    expect(f.severity).toBe('note');
    expect(f.message).toContain("reachable from external 'partner' only");
    const unnamed = only(lintYaml(vmWithPublicIp([rule('partner-ssh', 100, 'Inbound', 'Allow', '198.51.100.0/24', '22')]), ['TOPO-L004']), 'TOPO-L004');
    expect(unnamed.severity).toBe('error');
  });
});

describe('TOPO-L011 default-outbound-access (F11.3)', () => {
  const subnet = (settings: string, extra = '') => yaml`
    name: egress
    vnets:
      spoke:
        addressSpace: [10.1.0.0/16]
        subnets:
          app: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: n${settings} }
    networkSecurityGroups: { n: { securityRules: [] } }
    ${extra}
  `;

  it('leaves alone private subnets, subnets with a NAT gateway, and subnets forced through an appliance', () => {
    expect(lintYaml(subnet(', defaultOutboundAccess: false'), ['TOPO-L011']).findings).toEqual([]);
    expect(lintYaml(subnet(', natGateway: nat', 'natGateways: { nat: { publicIpAddresses: [192.0.2.99] } }'), ['TOPO-L011']).findings).toEqual([]);
    const forced = subnet(', routeTable: rt', 'routeTables: { rt: { routes: [{ name: fw, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.1.1.100 }] } }');
    expect(lintYaml(forced, ['TOPO-L011']).findings).toEqual([]);
  });

  it("reports Azure's default at the subnet, and an explicit true at the setting", () => {
    const f = only(lintYaml(subnet(''), ['TOPO-L011']), 'TOPO-L011');
    expect(f.message).toContain("VMs deployed into subnet 'spoke/app' reach the Internet through Azure's default outbound access (defaultOutboundAccess is not set");
    expect(f.loc.line).toBe(6);
    const explicit = only(lintYaml(subnet(', defaultOutboundAccess: true'), ['TOPO-L011']), 'TOPO-L011');
    expect(explicit.loc.col).toBeGreaterThan(f.loc.col);
  });
});

describe('TOPO-L001 and an Azure ML managed network (service-flows §2)', () => {
  it('leaves alone the managed network\'s subnets: they are Microsoft\'s, and its outbound rules are their filter', () => {
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
      ['TOPO-L001'],
    );
    expect(l.net.subnets.has('managed:mlw/compute')).toBe(true);
    expect(l.findings).toEqual([]);
  });
});
