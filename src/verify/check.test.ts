/**
 * How `to: <resource>` is read by allow intents: through a private endpoint
 * in reach of the source, else the public endpoint (scenario-format, "An
 * allow to a resource"; F5.1.6, F2.1.5).
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../model/compile.js';
import { loadYaml, yaml } from '../../test/helpers/scenario-fixture.js';
import { verifyNetwork } from './verify.js';

function verify(text: string) {
  const loaded = loadYaml(text);
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  const { network } = compile(loaded.scenario, loaded.catalog!);
  return new Map(verifyNetwork(network, []).intents.map((r) => [r.name, r]));
}

const design = (publicNetworkAccess: 'Enabled' | 'Disabled') => yaml`
  name: pe-reach
  region: eastus
  vnets:
    data:
      addressSpace: [10.1.0.0/16]
      subnets:
        endpoints: { addressPrefix: 10.1.2.0/24, networkSecurityGroup: open }
    island:
      addressSpace: [10.9.0.0/16]
      subnets:
        apps: { addressPrefix: 10.9.1.0/24, networkSecurityGroup: open }
  networkSecurityGroups:
    open:
      securityRules:
        - { name: https-in, priority: 100, direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "443" }
  resources:
    lake: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: ${publicNetworkAccess} }
  privateEndpoints:
    lake-blob: { subnet: data/endpoints, privateIpAddress: 10.1.2.5, resource: lake, groupId: blob }
  intents:
    - name: from-internet
      allow: { from: internet, to: lake/blob, protocol: Tcp, ports: [443] }
    - name: from-unpeered-vnet
      allow: { from: island/apps, to: lake/blob, protocol: Tcp, ports: [443] }
    - name: from-endpoint-vnet
      allow: { from: data/endpoints, to: lake/blob, protocol: Tcp, ports: [443] }
`;

describe('allow intents to a resource with a private endpoint', () => {
  it('F5.1.6: the Internet is judged at the public endpoint, which a disabled public network access closes', () => {
    const r = verify(design('Disabled'));
    expect(r.get('from-internet')!.status).toBe('fail');
    expect(r.get('from-internet')!.witness!.trace.delivery?.kind).not.toBe('private-endpoint');
    expect(verify(design('Enabled')).get('from-internet')!.status).toBe('pass');
  });

  it('F2.1.5: a VNet with no route to the endpoint (not peered) uses the public endpoint', () => {
    expect(verify(design('Enabled')).get('from-unpeered-vnet')!.status).toBe('pass');
    const closed = verify(design('Disabled')).get('from-unpeered-vnet')!;
    expect(closed.status).toBe('fail');
    expect(closed.witness!.packet.dstIp).not.toBe(0x0a010205);
  });

  it('a source in reach of the private endpoint is judged through it, whatever the public access', () => {
    expect(verify(design('Disabled')).get('from-endpoint-vnet')!.status).toBe('pass');
  });
});

describe('allow intents to the Internet (scenario-format, "internet is the adversary")', () => {
  const open = yaml`
    name: egress
    region: eastus
    vnets:
      app:
        addressSpace: [10.3.0.0/16]
        subnets:
          web: { addressPrefix: 10.3.1.0/24, networkSecurityGroup: out-80 }
    networkSecurityGroups:
      out-80:
        securityRules:
          - { name: http-out, priority: 100, direction: Outbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: Internet, destinationPortRange: "80" }
          - { name: deny-out, priority: 4000, direction: Outbound, access: Deny, protocol: "*", sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }
    hosts:
      vm: { subnet: app/web, privateIpAddress: 10.3.1.4, publicIpAddress: 203.0.113.40 }
    intents:
      - name: http-out
        allow: { from: vm, to: internet, protocol: Tcp, ports: [80] }
      - name: https-out
        allow: { from: vm, to: internet, protocol: Tcp, ports: [443] }
  `;

  it('cover the destinations the adversary counts, not first-party names it does not (login.microsoftonline.com is no part of it)', () => {
    const r = verify(open);
    expect(r.get('http-out')!.status).toBe('pass');
    const https = r.get('https-out')!;
    expect(https.status).toBe('fail');
    expect(https.blockers!.map((b) => b.ref?.id)).toEqual(['out-80/deny-out']);
  });
});

describe('routing loops through a firewall', () => {
  const loop = yaml`
    name: firewall-loop
    region: eastus
    vnets:
      hub:
        addressSpace: [10.0.0.0/16]
        subnets:
          AzureFirewallSubnet: { addressPrefix: 10.0.250.0/26, routeTable: back-to-self }
          apps: { addressPrefix: 10.0.1.0/24, routeTable: to-fw, defaultOutboundAccess: false }
          db: { addressPrefix: 10.0.2.0/24, defaultOutboundAccess: false }
    routeTables:
      to-fw: { routes: [{ name: all, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.250.4 }] }
      back-to-self: { routes: [{ name: fw-loop, addressPrefix: 10.0.0.0/8, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.250.4 }] }
    firewallPolicies:
      pol: { ruleCollectionGroups: [{ name: g, priority: 100, ruleCollections: [{ name: c, priority: 100, ruleCollectionType: FirewallPolicyFilterRuleCollection, action: Allow, rules: [{ name: any, ruleType: NetworkRule, ipProtocols: [Any], sourceAddresses: ["10.0.0.0/8"], destinationAddresses: ["10.0.0.0/8"], destinationPorts: ["*"] }] }] }] }
    firewalls: { fw: { vnet: hub, privateIpAddress: 10.0.250.4, firewallPolicy: pol } }
    intents:
      - name: apps-reach-branch
        allow: { from: hub/apps, to: 10.9.0.0/24, protocol: Tcp, ports: [1433] }
      - name: apps-never-reach-branch
        deny: { from: hub/apps, to: 10.9.0.0/24 }
      - name: apps-reach-db
        allow: { from: hub/apps, to: hub/db, protocol: Tcp, ports: [1433] }
  `;

  it('a firewall whose own subnet routes private traffic back to it loops: the verifier terminates and the packet is dropped, as in the simulator', () => {
    const results = verify(loop);
    // F2.4.1: the VNet's own /16 beats the /8 loop route, so traffic within the VNet is unaffected.
    expect(results.get('apps-reach-db')!.status).toBe('pass');
    expect(results.get('apps-never-reach-branch')!.status).toBe('pass');
    const r = results.get('apps-reach-branch')!;
    expect(r.status).toBe('fail');
    expect(r.witness!.trace.reason).toContain('routing loop');
    expect(r.blockers!.map((b) => b.reason)).toEqual([expect.stringContaining('routing loop: the packet comes back to firewall fw')]);
  });
});

/** A VM behind a DNAT rule of a hub firewall (F4.5.4-5), and intents naming it by address. */
const dnat = (intents: string) => yaml`
  name: cidr-from-internet
  region: uksouth
  vnets:
    hub:
      addressSpace: [10.0.0.0/16]
      subnets:
        AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 }
        app: { addressPrefix: 10.0.2.0/24, networkSecurityGroup: open, defaultOutboundAccess: false }
  networkSecurityGroups:
    open:
      securityRules:
        - { name: rdp-in, priority: 100, direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "3389" }
  firewallPolicies:
    pol:
      ruleCollectionGroups:
        - name: g
          priority: 100
          ruleCollections:
            - { name: in, priority: 100, ruleCollectionType: FirewallPolicyNatRuleCollection, action: Dnat, rules: [{ name: rdp, ruleType: NatRule, ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: [192.0.2.10], destinationPorts: ["3389"], translatedAddress: 10.0.2.4, translatedPort: "3389" }] }
  firewalls: { fw: { vnet: hub, privateIpAddress: 10.0.1.4, publicIpAddresses: [192.0.2.10], firewallPolicy: pol } }
  hosts: { vm: { subnet: hub/app, privateIpAddress: 10.0.2.4 } }
  intents: ${intents}
`;

describe('a CIDR destination from the Internet (F4.5.5)', () => {
  it('counts a packet a DNAT rule delivers to an interface the CIDR holds, whatever address it was sent to', () => {
    const r = verify(dnat('[{ name: by-address, deny: { from: internet, to: 10.0.2.4/32 } }, { name: by-host, deny: { from: internet, to: vm } }]'));
    expect(r.get('by-host')!.status).toBe('fail');
    const byAddress = r.get('by-address')!;
    expect(byAddress.status).toBe('fail');
    expect(byAddress.witness!.trace.hops.some((h) => h.kind === 'firewall' && h.decision === 'translate')).toBe(true);
  });

  it('says why a deny to private addresses nothing leads to holds, and adds nothing where rules decide', () => {
    const r = verify(dnat('[{ name: on-prem, deny: { from: internet, to: 192.168.0.0/16 } }, { name: vm-ssh, deny: { from: internet, to: 10.0.2.4/32, protocol: Tcp, ports: [22] } }]'));
    expect(r.get('on-prem')).toMatchObject({ status: 'pass', reason: expect.stringContaining('no packet from the Internet can be sent to it') });
    expect(r.get('vm-ssh')!.status).toBe('pass');
    expect(r.get('vm-ssh')!.reason).toBeUndefined();
  });
});

/** A spoke whose route to the hub's endpoint subnet goes through the firewall (F2.7.4: inspect PE traffic). */
const inspected = (fqdn: string) => yaml`
  name: pe-through-firewall
  region: uksouth
  vnets:
    hub:
      addressSpace: [10.0.0.0/16]
      subnets:
        AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 }
        endpoints: { addressPrefix: 10.0.2.0/24, privateEndpointNetworkPolicies: Enabled, networkSecurityGroup: open }
      peerings: { hub-to-spoke: { remoteVirtualNetwork: spoke, allowForwardedTraffic: true } }
    spoke:
      addressSpace: [10.1.0.0/16]
      subnets:
        training: { addressPrefix: 10.1.1.0/24, routeTable: rt, networkSecurityGroup: open, defaultOutboundAccess: false }
      peerings: { spoke-to-hub: { remoteVirtualNetwork: hub, allowForwardedTraffic: true } }
  networkSecurityGroups: { open: {} }
  routeTables:
    rt: { routes: [{ name: endpoints-via-firewall, addressPrefix: 10.0.2.0/24, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.1.4 }] }
  firewallPolicies:
    pol:
      ruleCollectionGroups:
        - name: g
          priority: 200
          ruleCollections:
            - { name: app, priority: 200, ruleCollectionType: FirewallPolicyFilterRuleCollection, action: Allow, rules: [{ name: data, ruleType: ApplicationRule, sourceAddresses: [10.1.1.0/24], protocols: [{ protocolType: Https, port: 443 }], targetFqdns: ["${fqdn}"] }] }
  firewalls: { fw: { vnet: hub, privateIpAddress: 10.0.1.4, publicIpAddresses: [20.50.10.4], firewallPolicy: pol } }
  resources: { mldata: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: Disabled } }
  privateEndpoints: { pe-mldata-blob: { subnet: hub/endpoints, privateIpAddress: 10.0.2.4, resource: mldata, groupId: blob } }
  hosts: { trainer: { subnet: spoke/training, privateIpAddress: 10.1.1.4 } }
  intents:
    - name: reads-data
      allow: { from: spoke/training, to: mldata/blob, protocol: Tcp, ports: [443] }
    - name: nothing-else-to-data
      deny: { from: spoke/training, to: mldata, protocol: Tcp, ports: [445] }
`;

describe('a private endpoint behind a firewall application rule (F5.2.1, F4.4.2, F2.7.4)', () => {
  it("the client connects by the account's name, which private DNS resolves to the endpoint: the rule naming it matches", () => {
    const r = verify(inspected('mldata.blob.core.windows.net'));
    expect(r.get('reads-data')!.status).toBe('pass');
    expect(r.get('nothing-else-to-data')!.status).toBe('pass');
  });

  it('a rule naming another account does not, and the firewall default deny is the blocker', () => {
    const fail = verify(inspected('other.blob.core.windows.net')).get('reads-data')!;
    expect(fail.status).toBe('fail');
    expect(fail.blockers).toMatchObject([{ kind: 'firewall', reason: 'no rule of firewall fw allows it (default deny, F4.2.8)', packets: ['Tcp spoke/training (10.1.1.0/24) -> mldata.blob.core.windows.net (10.0.2.4) port 443'] }]);
  });
});
