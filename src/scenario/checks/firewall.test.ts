import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../../test/helpers/scenario-fixture.js';
import { fqdnProblem } from './firewall.js';

// Semantic checks of firewall policies and firewalls (firewall.ts).

/** Policy p, group g, one collection c (line 10) of the given type and action; rules (flow maps) start on line 15, column 15. */
const policy = (type: string, action: string, ...rules: string[]) =>
  yaml`
    name: x
    ipGroups:
      research: [10.1.0.0/16]
    firewallPolicies:
      p:
        ruleCollectionGroups:
          - name: g
            priority: 200
            ruleCollections:
              - name: c
                priority: 100
                ruleCollectionType: ${type}
                action: ${action}
                rules:
  ` + rules.map((r) => `            - ${r}\n`).join('');
const filter = (...rules: string[]) => policy('FirewallPolicyFilterRuleCollection', 'Allow', ...rules);
const nat = (...rules: string[]) => policy('FirewallPolicyNatRuleCollection', 'Dnat', ...rules);
const net = (fields: string) => `{ name: r, ruleType: NetworkRule, ${fields} }`;
const app = (fields: string) => `{ name: r, ruleType: ApplicationRule, ${fields} }`;

describe('fqdnProblem (F4.4.3)', () => {
  it('accepts host names, a leading *. or * wildcard, and "*"', () => {
    for (const ok of ['pypi.org', 'files.pythonhosted.org', '*.blob.core.windows.net', '*contoso.com', '*', 'a_b.example.com', 'example.com.']) expect(fqdnProblem(ok), ok).toBeUndefined();
  });

  it('rejects wildcards elsewhere than the far left, and what is not a host name', () => {
    expect(fqdnProblem('www.contoso.*')).toContain('not at the far left');
    expect(fqdnProblem('*.contoso.*')).toContain('not at the far left');
    expect(fqdnProblem('a*.contoso.com')).toContain('not at the far left');
    for (const bad of ['', 'has space.com', 'https://pypi.org', 'pypi.org/simple', '-dash.com', `${'a'.repeat(64)}.com`, `${'a.'.repeat(127)}com`]) expect(fqdnProblem(bad), bad).toBe('is not a host name');
  });
});

describe('network rules', () => {
  it('accepts a complete network rule with tags, IP groups, ranges and FQDNs', () => {
    const r = loadYaml(filter(net('ipProtocols: [TCP, udp], sourceIpGroups: [research], sourceAddresses: [10.2.0.1-10.2.0.9], destinationAddresses: [AzureMachineLearning, storage.eastus, 20.0.0.0/8], destinationFqdns: [pypi.org], destinationPorts: ["443", 8000-8100]')));
    expect(r.diagnostics).toEqual([]);
  });

  it('F4.3.1: requires a source, ipProtocols, a destination and destinationPorts (TOPO101), at the rule', () => {
    const r = loadYaml(filter(net('description: empty')));
    expect(r.with('TOPO101').map((d) => d.message)).toEqual([
      "NetworkRule 'r' (collection 'c') has no source",
      "NetworkRule 'r' (collection 'c') has no ipProtocols",
      "NetworkRule 'r' (collection 'c') has no destination",
      "NetworkRule 'r' (collection 'c') has no destinationPorts",
    ]);
    expect(r.with('TOPO101').every((d) => d.loc?.line === 15 && d.loc.col === 15)).toBe(true);
    expect(r.with('TOPO101')[3].hint).toBe('write ["*"] for any port');
  });

  it('F4.3.4: rejects a service tag as a source (TOPO217)', () => {
    const r = loadYaml(filter(net('ipProtocols: [TCP], sourceAddresses: [AzureCloud], destinationAddresses: ["*"], destinationPorts: ["*"]')));
    expect(r.at('TOPO217', 15, 87).message).toBe("NetworkRule 'r' (collection 'c') uses the service tag 'AzureCloud' as a source; Azure Firewall takes tags only as destinations (F4.3.4)");
  });

  it('F7.1: rejects VirtualNetwork, Internet and AzureLoadBalancer as destinations (TOPO217)', () => {
    const r = loadYaml(filter(net('ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: [VirtualNetwork, Internet, AzureLoadBalancer], destinationPorts: ["*"]')));
    expect(r.with('TOPO217')).toHaveLength(3);
    const d = r.at('TOPO217', 15, 116);
    expect(d.message).toContain("uses 'VirtualNetwork', which Azure Firewall does not accept (F7.1");
    expect(d.hint).toBe('write the prefixes, or "*"');
  });

  it('rejects an unknown destination tag (TOPO206), bad addresses (TOPO200, TOPO201) and bad ports (TOPO209)', () => {
    const r = loadYaml(filter(net('ipProtocols: [TCP], sourceAddresses: [10.0.0.1/8], destinationAddresses: [AzureMachineLerning, 10.0.0.9-10.0.0.1], destinationPorts: ["0-70000"]')));
    expect(r.at('TOPO201', 15, 87).hint).toBe('did you mean 10.0.0.0/8?');
    expect(r.at('TOPO206', 15, 123).hint).toBe("did you mean 'AzureMachineLearning'?");
    expect(r.at('TOPO200', 15, 144).message).toContain("'10.0.0.9-10.0.0.1' is not an IPv4 address");
    expect(r.at('TOPO209', 15, 183).message).toContain("'0-70000' is outside 0-65535");
  });

  it('rejects an undefined IP group (TOPO205) with "did you mean"', () => {
    const r = loadYaml(filter(net('ipProtocols: [TCP], sourceIpGroups: [reserch], destinationIpGroups: [research], destinationPorts: ["*"]')));
    const d = r.at('TOPO205', 15, 86);
    expect(d.message).toBe("NetworkRule 'r' (collection 'c') refers to IP group 'reserch', which is not defined");
    expect(d.hint).toBe("did you mean 'research'?");
  });

  it('F4.4.3: rejects a destination FQDN with a wildcard not at the far left (TOPO218)', () => {
    const r = loadYaml(filter(net('ipProtocols: [TCP], sourceAddresses: ["*"], destinationFqdns: [www.contoso.*], destinationPorts: ["443"]')));
    expect(r.at('TOPO218', 15, 112).message).toBe("destination FQDN 'www.contoso.*' of NetworkRule 'r' (collection 'c') has a wildcard that is not at the far left (Azure Firewall accepts *.contoso.com or *contoso.com only)");
  });

  it('F4.3.1: rejects application rule fields on a network rule (TOPO219), at the field value', () => {
    const r = loadYaml(filter(net('ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["*"], targetFqdns: [pypi.org]')));
    expect(r.at('TOPO219', 15, 161).message).toBe("NetworkRule 'r' (collection 'c') sets 'targetFqdns', which a NetworkRule does not take");
  });
});

describe('application rules', () => {
  it('accepts FQDNs with wildcards and FQDN tags over https', () => {
    const r = loadYaml(filter(app('sourceAddresses: [10.1.0.0/16], protocols: [{ protocolType: https, port: 443 }], targetFqdns: ["*.pythonhosted.org", pypi.org], fqdnTags: [windowsupdate]')));
    expect(r.diagnostics).toEqual([]);
  });

  it('F4.4.1: requires protocols and a target (TOPO101)', () => {
    const r = loadYaml(filter(app('sourceAddresses: ["*"]')));
    expect(r.with('TOPO101').map((d) => d.message)).toEqual(["ApplicationRule 'r' (collection 'c') has no protocols", "ApplicationRule 'r' (collection 'c') has no targetFqdns or fqdnTags"]);
    expect(r.with('TOPO101')[0].hint).toBe('e.g. protocols: [{ protocolType: Https, port: 443 }]');
  });

  it('F4.4.3: rejects an invalid target FQDN (TOPO218)', () => {
    const r = loadYaml(filter(app('sourceAddresses: ["*"], protocols: [{ protocolType: Https }], targetFqdns: ["*.contoso.*", "https://pypi.org"]')));
    expect(r.at('TOPO218', 15, 129).message).toContain("target FQDN '*.contoso.*'");
    expect(r.at('TOPO218', 15, 144).message).toBe("target FQDN 'https://pypi.org' of ApplicationRule 'r' (collection 'c') is not a host name");
  });

  it('F4.4.4: rejects an FQDN tag Azure Firewall does not have (TOPO205) with "did you mean"', () => {
    const r = loadYaml(filter(app('sourceAddresses: ["*"], protocols: [{ protocolType: Https }], fqdnTags: [WindowsUpdates]')));
    const d = r.at('TOPO205', 15, 126);
    expect(d.message).toBe("ApplicationRule 'r' (collection 'c') uses FQDN tag 'WindowsUpdates', which Azure Firewall does not have");
    expect(d.hint).toBe("did you mean 'WindowsUpdate'?");
  });

  it('F4.4.4: rejects FQDN tags with a protocol other than https (TOPO219)', () => {
    const r = loadYaml(filter(app('sourceAddresses: ["*"], protocols: [{ protocolType: Http, port: 80 }], fqdnTags: [WindowsUpdate]')));
    expect(r.at('TOPO219', 15, 89).message).toBe("ApplicationRule 'r' (collection 'c') uses FQDN tags, which require the https protocol only (F4.4.4)");
  });

  it('F4.4.1: rejects an application protocol port above 64000 (TOPO105)', () => {
    const r = loadYaml(filter(app('sourceAddresses: ["*"], protocols: [{ protocolType: Https, port: 65000 }], targetFqdns: [pypi.org]')));
    expect(r.at('TOPO105', 15, 118).message).toBe('firewallPolicies.p.ruleCollectionGroups[0].ruleCollections[0].rules[0].protocols[0].port must be at most 64000');
  });

  it('F4.4.1: rejects network rule fields on an application rule (TOPO219)', () => {
    const r = loadYaml(filter(app('sourceAddresses: ["*"], protocols: [{ protocolType: Https }], targetFqdns: [pypi.org], destinationPorts: ["443"]')));
    expect(r.at('TOPO219', 15, 159).message).toBe("ApplicationRule 'r' (collection 'c') sets 'destinationPorts', which an ApplicationRule does not take");
  });
});

describe('NAT rules', () => {
  const dnat = (fields: string) => `{ name: r, ruleType: NatRule, ${fields} }`;

  it('accepts a complete DNAT rule', () => {
    expect(loadYaml(nat(dnat('ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: [203.0.113.10], destinationPorts: ["443"], translatedAddress: 10.1.1.4, translatedPort: 8443'))).diagnostics).toEqual([]);
  });

  it('F4.5.4: requires exactly one destination address, ports, a translated address and protocols (TOPO219, TOPO101)', () => {
    const r = loadYaml(nat(dnat('sourceAddresses: ["*"], destinationAddresses: [203.0.113.10, 203.0.113.11]')));
    expect(r.at('TOPO219', 15, 15).message).toBe("NatRule 'r' (collection 'c') needs exactly one destination address: the firewall public IP it translates");
    expect(r.with('TOPO101').map((d) => d.message)).toEqual([
      "NatRule 'r' (collection 'c') has no destinationPorts",
      "NatRule 'r' (collection 'c') has no translatedAddress",
      "NatRule 'r' (collection 'c') has no ipProtocols",
    ]);
  });

  it('rejects a malformed translated address and port (TOPO200, TOPO209)', () => {
    const r = loadYaml(nat(dnat('ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: [203.0.113.10], destinationPorts: ["443"], translatedAddress: vm1, translatedPort: "99999"')));
    expect(r.at('TOPO200', 15, 173).message).toBe("translated address of NatRule 'r' (collection 'c') 'vm1' is not an IPv4 address or CIDR prefix");
    expect(r.at('TOPO209', 15, 194).message).toContain("'99999' is outside 0-65535");
  });
});

describe('rule collections and policies', () => {
  it('F4.1.1: requires Dnat for NAT collections and Allow/Deny for filter collections (TOPO219)', () => {
    const dnatRule = '{ name: d, ruleType: NatRule, ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: [203.0.113.10], destinationPorts: ["443"], translatedAddress: 10.1.1.4 }';
    const natAllow = loadYaml(policy('FirewallPolicyNatRuleCollection', 'Allow', dnatRule));
    expect(natAllow.codes).toEqual(['TOPO219']);
    expect(natAllow.at('TOPO219', 13, 21).message).toBe("rule collection 'c' (group 'g', policy 'p') is a NAT collection; its action must be Dnat");
    const filterDnat = loadYaml(policy('FirewallPolicyFilterRuleCollection', 'dnat', net('ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["*"]')));
    expect(filterDnat.codes).toEqual(['TOPO219']);
    expect(filterDnat.at('TOPO219', 13, 21).message).toBe("rule collection 'c' (group 'g', policy 'p') is a filter collection; its action must be Allow or Deny");
  });

  it('F4.1.2: rejects a collection mixing network and application rules (TOPO219), at the collection', () => {
    const r = loadYaml(
      filter(
        '{ name: n, ruleType: NetworkRule, ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["*"] }',
        '{ name: a, ruleType: ApplicationRule, sourceAddresses: ["*"], protocols: [{ protocolType: Https }], targetFqdns: [pypi.org] }',
      ),
    );
    expect(r.at('TOPO219', 10, 13).message).toBe("rule collection 'c' (group 'g', policy 'p') mixes NetworkRule and ApplicationRules; a collection holds rules of one type (F4.1.2)");
  });

  it('F4.1.1: rejects a NAT rule in a filter collection and a network rule in a NAT collection (TOPO219)', () => {
    const r = loadYaml(filter('{ name: d, ruleType: NatRule, sourceAddresses: ["*"] }'));
    expect(r.at('TOPO219', 15, 36).message).toBe("NatRule 'd' cannot sit in a filter collection");
    const s = loadYaml(nat(net('ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["*"]')));
    expect(s.at('TOPO219', 15, 36).message).toBe("NetworkRule 'r' cannot sit in a NAT collection");
  });

  it('rejects duplicate names of groups, collections and rules (TOPO229)', () => {
    const r = loadYaml(yaml`
      name: x
      firewallPolicies:
        p:
          ruleCollectionGroups:
            - name: g
              priority: 200
              ruleCollections:
                - { name: c, priority: 100, ruleCollectionType: FirewallPolicyFilterRuleCollection, action: Deny }
                - { name: c, priority: 110, ruleCollectionType: FirewallPolicyFilterRuleCollection, action: Deny }
            - { name: g, priority: 300 }
    `);
    expect(r.at('TOPO229', 10, 9).message).toBe("rule collection group 'g' is defined twice in firewall policy 'p'");
    expect(r.at('TOPO229', 10, 9).related?.[0].loc).toMatchObject({ line: 5, col: 9 });
    expect(r.at('TOPO229', 9, 13).message).toBe("rule collection 'c' is defined twice in group 'g' of firewall policy 'p'");
    const rules = loadYaml(filter(net('ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["*"]'), net('ipProtocols: [UDP], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["*"]')));
    expect(rules.at('TOPO229', 16, 15).message).toBe("rule 'r' is defined twice in rule collection 'c' (group 'g', policy 'p')");
  });

  it('F4.2.3: rejects an undefined basePolicy (TOPO205) and a basePolicy cycle (TOPO232) at each member', () => {
    const r = loadYaml(yaml`
      name: x
      firewallPolicies:
        a: { basePolicy: b }
        b: { basePolicy: a }
        c: { basePolicy: a }
        d: { basePolicy: parent }
        e: { basePolicy: null }
    `);
    expect(r.at('TOPO205', 6, 20).message).toBe("basePolicy of firewall policy 'd' refers to firewall policy 'parent', which is not defined");
    expect(r.with('TOPO232').map((d) => [d.loc?.line, d.loc?.col, d.message])).toEqual([
      [3, 20, "firewall policy 'a' inherits from itself through basePolicy (a -> b -> a)"],
      [4, 20, "firewall policy 'b' inherits from itself through basePolicy (b -> a -> b)"],
    ]);
    expect(r.with('TOPO232')[0].hint).toContain('must end in a policy without basePolicy');
  });

  it('F4.5.2: accepts IANAPrivateRanges and prefixes as SNAT private ranges, rejects tags (TOPO200)', () => {
    const r = loadYaml('name: x\nfirewallPolicies:\n  p:\n    snat: { privateRanges: [IANAPrivateRanges, ianaprivateranges, 255.255.255.255/32, 20.0.0.0/8, Storage, 20.0.0.1/8] }\n');
    expect(r.codes).toEqual(['TOPO200', 'TOPO201']);
    expect(r.at('TOPO200', 4, 99).message).toBe("SNAT private range 'Storage' of firewall policy 'p' is not an address, CIDR prefix or range");
    expect(r.at('TOPO200', 4, 99).hint).toContain('IANAPrivateRanges');
  });
});

describe('firewalls', () => {
  const fw = (subnets: string, firewall: string) =>
    yaml`
      name: x
      vnets:
        hub:
          addressSpace: [10.0.0.0/16]
          subnets:
    ` +
    `      ${subnets}\nfirewallPolicies:\n  p: {}\nfirewalls:\n  fw: ${firewall}\n`;
  // The firewall is on line 10.

  it('F4.9.1: accepts a firewall at a usable address of its AzureFirewallSubnet', () => {
    expect(loadYaml(fw('AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 }', '{ vnet: hub, privateIpAddress: 10.0.1.4, firewallPolicy: p, publicIpAddresses: [203.0.113.10] }')).diagnostics).toEqual([]);
  });

  it('F4.9.1: requires an AzureFirewallSubnet in the firewall VNet (TOPO215)', () => {
    const r = loadYaml(fw('other: { addressPrefix: 10.0.1.0/26, networkSecurityGroup: null }', '{ vnet: hub, privateIpAddress: 10.0.1.4 }'));
    const d = r.at('TOPO215', 10, 15);
    expect(d.message).toBe("firewall 'fw' lives in VNet 'hub', which has no AzureFirewallSubnet");
    expect(d.hint).toBe('add AzureFirewallSubnet (a /26) to vnets.hub.subnets (F4.9.1)');
  });

  it('F4.9.1: rejects a firewall address outside AzureFirewallSubnet (TOPO210) or reserved by Azure (TOPO211)', () => {
    const outside = loadYaml(fw('AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 }', '{ vnet: hub, privateIpAddress: 10.0.2.4 }'));
    expect(outside.at('TOPO210', 10, 38).message).toBe("private IP 10.0.2.4 of firewall 'fw' is not inside its AzureFirewallSubnet (10.0.1.0/26)");
    const reserved = loadYaml(fw('AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 }', '{ vnet: hub, privateIpAddress: 10.0.1.63 }'));
    expect(reserved.at('TOPO211', 10, 38).message).toContain('one of the five addresses Azure reserves');
  });

  it('rejects references to an undefined VNet or policy (TOPO205), and a malformed public IP (TOPO200)', () => {
    const r = loadYaml(fw('AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 }', '{ vnet: hbu, privateIpAddress: 10.0.1.4, firewallPolicy: q, publicIpAddresses: [pip-1] }'));
    expect(r.at('TOPO205', 10, 15).hint).toBe("did you mean 'hub'?");
    expect(r.at('TOPO205', 10, 64).message).toBe("firewall 'fw' refers to firewall policy 'q', which is not defined");
    expect(r.at('TOPO200', 10, 87).message).toBe("public IP of firewall 'fw' 'pip-1' is not an IPv4 address or CIDR prefix");
  });
});
