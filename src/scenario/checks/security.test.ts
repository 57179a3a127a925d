import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../../test/helpers/scenario-fixture.js';

// Semantic checks of NSGs, ASGs, route tables, IP groups and attachments (security.ts).

/** An NSG `n` attached to subnet v/s, with the given rules (flow maps, one per line). */
const nsg = (...rules: string[]) =>
  yaml`
    name: x
    vnets:
      v:
        addressSpace: [10.0.0.0/16]
        subnets:
          s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: n }
    applicationSecurityGroups: [web, db]
    hosts:
      vm: { subnet: v/s, privateIpAddress: 10.0.1.4, applicationSecurityGroups: [web, db] }
    networkSecurityGroups:
      n:
        securityRules:
  ` + rules.map((r) => `      - ${r}\n`).join('');
// Rules start on line 13 of that fixture.
const base = 'priority: 100, direction: Inbound, access: Allow, protocol: Tcp';

describe('NSG rules', () => {
  it('accepts a complete rule', () => {
    expect(loadYaml(nsg(`{ name: r, ${base}, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: VirtualNetwork, destinationPortRange: "22" }`)).diagnostics).toEqual([]);
  });

  it('F1.1.4, F1.1.5: requires a source, a destination and both port ranges (TOPO101), at the rule', () => {
    const r = loadYaml(nsg(`{ name: r, ${base} }`));
    expect(r.with('TOPO101').map((d) => d.message)).toEqual([
      "rule 'r' of NSG 'n' has no source",
      "rule 'r' of NSG 'n' has no source port range",
      "rule 'r' of NSG 'n' has no destination",
      "rule 'r' of NSG 'n' has no destination port range",
    ]);
    expect(r.with('TOPO101').every((d) => d.loc?.line === 13 && d.loc.col === 9)).toBe(true);
    expect(r.with('TOPO101')[1].hint).toBe('write sourcePortRange: "*" for any port');
  });

  it('F1.1.4: rejects addresses and ASGs on the same side (TOPO219)', () => {
    const r = loadYaml(nsg(`{ name: r, ${base}, sourceAddressPrefix: "*", sourceApplicationSecurityGroups: [web], sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }`));
    expect(r.at('TOPO219', 13, 145).message).toBe("rule 'r' of NSG 'n' gives both source addresses and source ASGs; Azure takes one or the other");
  });

  it('F1.1.4: rejects a service tag or "*" among several prefixes (TOPO219)', () => {
    const r = loadYaml(nsg(`{ name: r, ${base}, sourceAddressPrefixes: [10.1.0.0/16, Storage], sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }`));
    const d = r.at('TOPO219', 13, 122);
    expect(d.message).toBe("rule 'r' of NSG 'n' lists 'Storage' among several source prefixes; Azure accepts a service tag or \"*\" only as the single sourceAddressPrefix (F1.1.4)");
    expect(d.hint).toBe('split the rule, one per tag');
  });

  it('F1.1.4: rejects several ASGs on one side (TOPO219)', () => {
    const r = loadYaml(nsg(`{ name: r, ${base}, sourceAddressPrefix: "*", sourcePortRange: "*", destinationApplicationSecurityGroups: [web, db], destinationPortRange: "*" }`));
    expect(r.at('TOPO219', 13, 177).message).toBe("rule 'r' of NSG 'n' names several destination ASGs; an NSG rule takes one (F1.1.4)");
  });

  it('F1.1.4: rejects address ranges a-b, valid only in Azure Firewall (TOPO200)', () => {
    const r = loadYaml(nsg(`{ name: r, ${base}, sourceAddressPrefix: 10.0.0.1-10.0.0.9, sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }`));
    const d = r.at('TOPO200', 13, 106);
    expect(d.message).toBe("source of rule 'r' of NSG 'n' '10.0.0.1-10.0.0.9' is an address range, which only Azure Firewall rules and IP groups accept");
    expect(d.hint).toBe('write it as CIDR prefixes (F1.1.4, F4.3.3)');
  });

  it('F1.1.4: rejects a prefix with host bits (TOPO201) and an unknown service tag (TOPO206) with "did you mean"', () => {
    const r = loadYaml(nsg(`{ name: r, ${base}, sourceAddressPrefix: 10.0.0.1/8, sourcePortRange: "*", destinationAddressPrefix: Storrage.EastUS, destinationPortRange: "*" }`));
    expect(r.at('TOPO201', 13, 106).hint).toBe('did you mean 10.0.0.0/8?');
    const d = r.at('TOPO206', 13, 166);
    expect(d.message).toBe("destination of rule 'r' of NSG 'n' 'Storrage.EastUS' is not a known service tag (shipped catalog, change 375 of 2025-10-28)");
    expect(d.hint).toBe("did you mean 'Storage.EastUS'?");
  });

  it('F1.6: accepts the NSG-only tags in any spelling Azure knows, and "*" / "Any"', () => {
    const rule = (src: string, dst: string) => `{ name: r, ${base}, sourceAddressPrefix: ${src}, sourcePortRange: "*", destinationAddressPrefix: ${dst}, destinationPortRange: "*" }`;
    for (const [src, dst] of [
      ['Internet', 'VirtualNetwork'],
      ['AzureLoadBalancer', 'virtual_network'],
      ['INTERNET', 'AzurePlatformDNS'],
      ['"*"', 'Any'],
      ['AzureCloud.germanywc', '0.0.0.0/0'],
    ]) {
      expect(loadYaml(nsg(rule(src, dst))).diagnostics, `${src} -> ${dst}`).toEqual([]);
    }
  });

  it('F1.7.2: rejects a reference to an undefined ASG (TOPO205)', () => {
    const r = loadYaml(nsg(`{ name: r, ${base}, sourceApplicationSecurityGroups: [webb], sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }`));
    const d = r.at('TOPO205', 13, 119);
    expect(d.message).toBe("rule 'r' of NSG 'n' refers to application security group 'webb', which is not defined");
    expect(d.hint).toBe("did you mean 'web'?");
  });

  it('F1.1.5: rejects malformed ports (TOPO209)', () => {
    const r = loadYaml(nsg(`{ name: r, ${base}, sourceAddressPrefix: "*", sourcePortRange: "70000", destinationAddressPrefix: "*", destinationPortRanges: ["80,443", "90-80", http, 22] }`));
    expect(r.at('TOPO209', 13, 128).message).toBe("source port of rule 'r' of NSG 'n': '70000' is outside 0-65535");
    expect(r.at('TOPO209', 13, 192).message).toBe("destination port of rule 'r' of NSG 'n': '80,443' lists several ports in one value; write each as its own list item");
    expect(r.at('TOPO209', 13, 202).message).toContain("'90-80' has its low end above its high end");
    expect(r.at('TOPO209', 13, 211).message).toContain("'http' is not a port, a range 'lo-hi' or '*'");
    expect(r.with('TOPO209')).toHaveLength(4);
  });

  it('F1.1.1: rejects two rules with one priority in the same direction (TOPO208), not across directions', () => {
    const rest = 'sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*"';
    const r = loadYaml(
      nsg(
        `{ name: a, priority: 200, direction: Inbound, access: Allow, protocol: Tcp, ${rest} }`,
        `{ name: b, priority: 200, direction: Outbound, access: Allow, protocol: Tcp, ${rest} }`,
        `{ name: c, priority: 200, direction: inbound, access: Deny, protocol: Udp, ${rest} }`,
      ),
    );
    expect(r.with('TOPO208')).toHaveLength(1);
    const d = r.at('TOPO208', 15, 30);
    expect(d.message).toBe("rules 'a' and 'c' of NSG 'n' share priority 200 (Inbound); priorities are unique per direction");
    expect(d.related?.[0].loc).toMatchObject({ line: 13, col: 30 });
  });

  it('rejects two rules with one name in an NSG (TOPO229), at the second name', () => {
    const rest = 'direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*"';
    const r = loadYaml(nsg(`{ name: a, priority: 100, ${rest} }`, `{ name: a, priority: 110, ${rest} }`));
    const d = r.at('TOPO229', 14, 17);
    expect(d.message).toBe("rule 'a' is defined twice in NSG 'n'");
    expect(d.related?.[0].loc).toMatchObject({ line: 13, col: 17 });
  });

  it('does not report a priority clash for a rule the schema already rejected', () => {
    const rest = 'sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*"';
    const r = loadYaml(nsg(`{ name: a, priority: 200, direction: Inbound, access: Allow, protocol: Tcp, ${rest} }`, `{ name: b, priority: 200, direction: Inbound, access: Alow, protocol: Tcp, ${rest} }`));
    expect(r.codes).toEqual(['TOPO103']);
  });
});

describe('attachments', () => {
  it('F1.1.7: warns about an NSG attached to nothing (TOPO301), a route table attached to nothing (TOPO303) and an ASG without members (TOPO305)', () => {
    const r = loadYaml(yaml`
      name: x
      networkSecurityGroups:
        lonely: {}
      routeTables:
        unused: {}
      applicationSecurityGroups: [nobody]
    `);
    expect(r.scenario).toBeDefined();
    expect(r.at('TOPO301', 3, 3).message).toBe("NSG 'lonely' is attached to no subnet and no host");
    expect(r.at('TOPO303', 5, 3).message).toBe("route table 'unused' is attached to no subnet");
    expect(r.at('TOPO305', 6, 29).message).toBe("application security group 'nobody' has no member");
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('counts a NIC-level NSG and private endpoint ASG membership as use', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/16]
          subnets:
            s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: subnet-nsg }
      networkSecurityGroups:
        subnet-nsg: {}
        nic-nsg: {}
      applicationSecurityGroups: [pes]
      hosts:
        vm: { subnet: v/s, privateIpAddress: 10.0.1.4, networkSecurityGroup: nic-nsg }
      resources:
        st: { type: Microsoft.Storage/storageAccounts }
      privateEndpoints:
        pe: { subnet: v/s, privateIpAddress: 10.0.1.5, resource: st, groupId: blob, applicationSecurityGroups: [pes] }
    `);
    expect(r.diagnostics).toEqual([]);
  });

  it('F1.4.4, F1.8.2: warns about a subnet without an NSG (TOPO302), except the special subnets that take none', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        hub:
          addressSpace: [10.0.0.0/16]
          subnets:
            AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 }
            GatewaySubnet: { addressPrefix: 10.0.2.0/27 }
            AzureBastionSubnet: { addressPrefix: 10.0.3.0/26 }
            workload: { addressPrefix: 10.0.4.0/24 }
    `);
    expect(r.with('TOPO302').map((d) => d.message)).toEqual([
      "subnet 'hub/AzureBastionSubnet' has no NSG: nothing filters its traffic",
      "subnet 'hub/workload' has no NSG: nothing filters its traffic",
    ]);
    expect(r.at('TOPO302', 9, 7).hint).toContain('attach an NSG');
  });
});

describe('route tables', () => {
  const table = (...routes: string[]) =>
    yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/16]
          subnets:
            s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: n, routeTable: t }
      networkSecurityGroups:
        n: {}
      routeTables:
        t:
          routes:
    ` + routes.map((r) => `      - ${r}\n`).join('');
  // Routes start on line 12.

  it('F2.3.2, F2.3.4: accepts explicit prefixes and service tags with every next hop type', () => {
    const r = loadYaml(
      table(
        '{ name: a, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.1.4 }',
        '{ name: b, addressPrefix: Storage.EastUS, nextHopType: Internet }',
        '{ name: c, addressPrefix: 10.0.1.0/24, nextHopType: VnetLocal }',
        '{ name: d, addressPrefix: 192.168.0.0/16, nextHopType: VirtualNetworkGateway }',
        '{ name: e, addressPrefix: 10.9.0.0/16, nextHopType: None }',
      ),
    );
    expect(r.diagnostics).toEqual([]);
  });

  it('F2.3.2: requires nextHopIpAddress for VirtualAppliance (TOPO216), at the next hop type', () => {
    const r = loadYaml(table('{ name: a, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance }'));
    const d = r.at('TOPO216', 12, 59);
    expect(d.message).toBe("route 'a' of table 't' has next hop VirtualAppliance but no nextHopIpAddress");
    expect(d.hint).toContain('private IP of the firewall');
  });

  it('F2.3.2: rejects nextHopIpAddress with any other next hop type (TOPO216), at the address', () => {
    const r = loadYaml(table('{ name: a, addressPrefix: 0.0.0.0/0, nextHopType: Internet, nextHopIpAddress: 10.0.1.4 }'));
    expect(r.at('TOPO216', 12, 87).message).toBe("route 'a' of table 't' has a nextHopIpAddress but next hop Internet; only VirtualAppliance takes one");
  });

  it('F2.3.2: rejects a next hop that is a prefix rather than one address (TOPO200)', () => {
    const r = loadYaml(table('{ name: a, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.1.0/24 }'));
    expect(r.at('TOPO200', 12, 95).message).toBe("next hop of route 'a' of table 't' must be one address, not the prefix 10.0.1.0/24");
  });

  it('F2.3.4: rejects VirtualNetwork, Internet, AzureLoadBalancer and AzurePlatform* as route prefixes (TOPO217)', () => {
    const r = loadYaml(
      table(
        '{ name: a, addressPrefix: VirtualNetwork, nextHopType: None }',
        '{ name: b, addressPrefix: internet, nextHopType: None }',
        '{ name: c, addressPrefix: AzurePlatformDNS, nextHopType: None }',
      ),
    );
    expect(r.with('TOPO217')).toHaveLength(3);
    expect(r.at('TOPO217', 12, 35).message).toBe("route 'a' of table 't' uses the tag 'VirtualNetwork', which user-defined routes cannot use (F2.3.4)");
    expect(r.at('TOPO217', 13, 35).message).toContain("'internet'");
  });

  it('F2.3: rejects "*" as a route prefix (TOPO200) rather than reading it as 0.0.0.0/0', () => {
    const r = loadYaml(table('{ name: a, addressPrefix: "*", nextHopType: None }'));
    const d = r.at('TOPO200', 12, 35);
    expect(d.message).toBe("prefix '*' of route 'a' of table 't' is not a CIDR prefix or a service tag");
    expect(d.hint).toBe('write 0.0.0.0/0 for a default route');
  });

  it('rejects an unknown tag, a host-bits prefix and a range as route prefixes (TOPO206, TOPO201, TOPO200)', () => {
    const r = loadYaml(
      table(
        '{ name: a, addressPrefix: Storag, nextHopType: None }',
        '{ name: b, addressPrefix: 10.1.0.1/16, nextHopType: None }',
        '{ name: c, addressPrefix: 10.1.0.1-10.1.0.5, nextHopType: None }',
      ),
    );
    expect(r.at('TOPO206', 12, 35).hint).toBe("did you mean 'Storage'?");
    expect(r.at('TOPO201', 13, 35).hint).toBe('did you mean 10.1.0.0/16?');
    expect(r.at('TOPO200', 14, 35).message).toContain('is an address range');
  });

  it('rejects two routes with one name (TOPO229)', () => {
    const r = loadYaml(table('{ name: a, addressPrefix: 10.1.0.0/16, nextHopType: None }', '{ name: a, addressPrefix: 10.2.0.0/16, nextHopType: None }'));
    expect(r.at('TOPO229', 13, 9).message).toBe("route 'a' is defined twice in route table 't'");
  });

  it('F2.3.5: warns about a 0.0.0.0/0 route or disabled propagation on GatewaySubnet (TOPO304)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        hub:
          addressSpace: [10.0.0.0/16]
          subnets:
            GatewaySubnet: { addressPrefix: 10.0.255.0/27, routeTable: gw-rt }
      routeTables:
        gw-rt:
          disableBgpRoutePropagation: true
          routes:
            - { name: spoke, addressPrefix: 10.1.0.0/16, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.1.4 }
            - { name: default, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.1.4 }
    `);
    expect(r.scenario).toBeDefined();
    expect(r.with('TOPO304')).toHaveLength(2);
    expect(r.at('TOPO304', 9, 33).message).toBe("route table 'gw-rt' disables gateway route propagation and is attached to a GatewaySubnet; that breaks the gateway (F2.3.5)");
    expect(r.at('TOPO304', 12, 41).message).toBe("route 'default' of table 'gw-rt' sends 0.0.0.0/0 from a GatewaySubnet; that breaks the gateway (F2.3.5)");
  });

  it('does not warn about the same route table on an ordinary subnet', () => {
    const r = loadYaml(
      yaml`
        name: x
        vnets:
          v:
            addressSpace: [10.0.0.0/16]
            subnets:
              s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: n, routeTable: t }
        networkSecurityGroups:
          n: {}
        routeTables:
          t:
            disableBgpRoutePropagation: true
            routes:
              - { name: default, addressPrefix: 0.0.0.0/0, nextHopType: None }
      `,
    );
    expect(r.diagnostics).toEqual([]);
  });
});

describe('IP groups', () => {
  it('F4.3.3: warns that an empty IP group makes Azure Firewall skip its rules (TOPO306)', () => {
    const r = loadYaml('name: x\nipGroups:\n  empty: []\n');
    expect(r.scenario).toBeDefined();
    expect(r.at('TOPO306', 3, 3).message).toBe("IP group 'empty' is empty: Azure Firewall skips every rule that uses it (F4.3.3)");
  });

  it('F4.3.3: accepts addresses, CIDRs and ranges', () => {
    expect(loadYaml('name: x\nipGroups:\n  g: [10.0.0.1, 10.1.0.0/16, 10.2.0.0-10.2.0.31, 0.0.0.0/0]\n').diagnostics).toEqual([]);
  });

  it('F4.3.3: rejects a service tag (TOPO217), "*" and other words (TOPO200), bad ranges and host bits', () => {
    const r = loadYaml('name: x\nipGroups:\n  g: [Storage, "*", everything, 10.0.0.9-10.0.0.1, 10.0.0.1/8]\n');
    expect(r.at('TOPO217', 3, 7).message).toBe("IP group 'g' holds the service tag 'Storage'; IP groups hold addresses, CIDRs and ranges only (F4.3.3)");
    expect(r.at('TOPO200', 3, 16).message).toBe("'*' in IP group 'g' is not an IPv4 address, CIDR prefix or range (F4.3.3)");
    expect(r.at('TOPO200', 3, 21).message).toBe("'everything' in IP group 'g' is not an IPv4 address, CIDR prefix or range (F4.3.3)");
    expect(r.at('TOPO200', 3, 33).message).toContain("'10.0.0.9-10.0.0.1' is not an IPv4 address, CIDR prefix or service tag");
    expect(r.at('TOPO201', 3, 52).hint).toBe('did you mean 10.0.0.0/8?');
    expect(r.codes).not.toContain('TOPO206');
  });
});
