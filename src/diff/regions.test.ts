/**
 * The regions of an inbound NSG edit: packets addressed to the NSG's
 * interfaces, from the sources the edited rules name unless a translation on
 * the way can give an arrival that source (firewall SNAT and DNAT, F4.5,
 * F4.5.4), and from anywhere to the public entries that lead there: the
 * interfaces' public IPs (F1.2.4) and the DNAT rules whose target can lead
 * there. The diff over these regions equals the diff over every packet.
 */
import { describe, expect, it } from 'vitest';
import { expectSameChanges, flipRule, flowSets } from '../../test/helpers/edits.js';
import { writeFixture, yaml } from '../../test/helpers/scenario-fixture.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import { DIM } from '../headerspace/packet.js';
import { parseIpv4 } from '../net/ipv4.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { routedByInternet, translatedSources } from '../verify/graph.js';
import { analyze, deriveAnalysis, type Analysis } from './analysis.js';
import { diffAnalyses } from './engine.js';
import { affectedRegions } from './regions.js';
import { sourceClasses } from './sources.js';

const DESIGN = yaml`
  name: dnat-regions
  region: westeurope
  vnets:
    hub:
      addressSpace: [10.0.0.0/16]
      subnets:
        AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26, routeTable: fw-rt }
      peerings:
        hub-to-spoke1: { remoteVirtualNetwork: spoke1, allowForwardedTraffic: true }
        hub-to-spoke2: { remoteVirtualNetwork: spoke2, allowForwardedTraffic: true }
    spoke1:
      addressSpace: [10.1.0.0/16]
      subnets:
        app: { addressPrefix: 10.1.1.0/24, routeTable: spoke-rt, defaultOutboundAccess: false }
      peerings:
        spoke1-to-hub: { remoteVirtualNetwork: hub, allowForwardedTraffic: true }
    spoke2:
      addressSpace: [10.2.0.0/16]
      subnets:
        db: { addressPrefix: 10.2.1.0/24, routeTable: spoke-rt, defaultOutboundAccess: false }
      peerings:
        spoke2-to-hub: { remoteVirtualNetwork: hub, allowForwardedTraffic: true }
  hosts:
    a1: { subnet: spoke1/app, privateIpAddress: 10.1.1.4, networkSecurityGroup: a1-nsg }
    a2: { subnet: spoke1/app, privateIpAddress: 10.1.1.5 }
    b1: { subnet: spoke2/db, privateIpAddress: 10.2.1.4 }
  networkSecurityGroups:
    a1-nsg:
      securityRules:
        - { name: ssh-from-firewall, priority: 100, direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: 10.0.1.4, sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "22" }
        - { name: https-from-db, priority: 110, direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: 10.2.1.0/24, sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "443" }
  routeTables:
    spoke-rt:
      disableBgpRoutePropagation: true
      routes:
        - { name: default-fw, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.1.4 }
    fw-rt:
      routes:
        - { name: internet, addressPrefix: 0.0.0.0/0, nextHopType: Internet }
  firewallPolicies:
    policy:
      ruleCollectionGroups:
        - name: rcg
          priority: 100
          ruleCollections:
            - name: inbound-dnat
              priority: 100
              ruleCollectionType: FirewallPolicyNatRuleCollection
              action: Dnat
              rules:
                - { name: ssh-to-a1, ruleType: NatRule, ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: [52.0.0.20], destinationPorts: ["2222"], translatedAddress: 10.1.1.4, translatedPort: "22" }
                - { name: web-to-b1, ruleType: NatRule, ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: [52.0.0.20], destinationPorts: ["8080"], translatedAddress: 10.2.1.4, translatedPort: "80" }
            - name: east-west
              priority: 200
              ruleCollectionType: FirewallPolicyFilterRuleCollection
              action: Allow
              rules:
                - { name: spokes, ruleType: NetworkRule, ipProtocols: [Any], sourceAddresses: [10.0.0.0/8], destinationAddresses: [10.0.0.0/8], destinationPorts: ["*"] }
  firewalls:
    fw: { vnet: hub, privateIpAddress: 10.0.1.4, publicIpAddresses: [52.0.0.20], firewallPolicy: policy }
`;

function loaded(): { scenario: Scenario; catalog: NonNullable<ReturnType<typeof loadScenario>['catalog']> } {
  const dir = writeFixture({ 'main.yaml': DESIGN });
  const l = loadScenario(`${dir}/main.yaml`);
  if (!l.scenario) throw new Error(l.diagnostics.map((d) => d.message).join('; '));
  return { scenario: l.scenario, catalog: l.catalog! };
}

function edit(base: Analysis, scenario: Scenario, index: number, catalog: Analysis['catalog']) {
  const derived = deriveAnalysis(base, flipRule(scenario, 'a1-nsg', index), catalog);
  return {
    derived,
    regions: affectedRegions(base, derived.analysis, derived.changes, sourceClasses(derived.analysis.net)),
    some: diffAnalyses(base, derived.analysis, derived.changes),
    every: diffAnalyses(base, derived.analysis, { ...derived.changes, structural: ['forced: the whole packet space'] }),
  };
}

const ip = (text: string) => parseIpv4(text)!;

describe('regions of inbound NSG edits', () => {
  it('knows every source a translation can give: firewall SNAT and DNAT, egress addresses (F4.5, F11.2-F11.4)', () => {
    const { scenario, catalog } = loaded();
    const t = translatedSources(analyze(scenario, catalog).net);
    expect(t.has(ip('10.0.1.4'))).toBe(true);
    expect(t.has(ip('52.0.0.20'))).toBe(true);
    expect(t.has(0)).toBe(true);
    expect(t.has(ip('10.2.1.4'))).toBe(false);
  });

  it('knows where the Internet carries packets: the public space and the design\'s public addresses, nothing private', () => {
    const { scenario, catalog } = loaded();
    const net = analyze(scenario, catalog).net;
    const routed = routedByInternet(net);
    expect(routed.has(ip('52.0.0.20'))).toBe(true);
    expect(routed.has(ip('10.1.1.4'))).toBe(false);
    expect(routed.has(ip('192.168.1.1'))).toBe(false);
    expect(net.adversary.publicSpace.subtract(routed).isEmpty).toBe(true);
  });

  it('keeps the sources of a rule no translation can give: only the db subnet, no public entry', () => {
    const { scenario, catalog } = loaded();
    const base = analyze(scenario, catalog);
    const { regions, some, every } = edit(base, scenario, 1, catalog);
    let sources = IntervalSet.EMPTY;
    for (const r of regions.regions) sources = sources.union(r.set.project(DIM.srcIp));
    expect([...sources.intervals()]).toEqual([[ip("10.2.1.0"), ip("10.2.1.255")]]);
    expect(regions.regions.some((r) => r.set.project(DIM.dstIp).has(ip('52.0.0.20')))).toBe(false);
    expectSameChanges(some, every, 'the region against every packet');
    expect([...flowSets(some).keys()]).toEqual(['newly-blocked spoke2/db -> a1']);
  });

  it('widens a rule whose source the firewall writes, and enters through the DNAT rule to the edited interface only', () => {
    const { scenario, catalog } = loaded();
    const base = analyze(scenario, catalog);
    const { regions, some, every } = edit(base, scenario, 0, catalog);
    const entry = regions.regions.filter((r) => r.set.project(DIM.dstIp).has(ip('52.0.0.20')));
    expect(entry).toHaveLength(1);
    // Only port 2222 (ssh-to-a1) enters there; web-to-b1 ends at b1, which the edit does not read.
    expect(entry[0].set.project(DIM.dstPort).equals(IntervalSet.point(2222))).toBe(true);
    expectSameChanges(some, every, 'the region against every packet');
    // The Internet's SSH through DNAT arrives from the firewall's address (F4.5.4): the edit blocks it.
    expect([...flowSets(some).keys()]).toContain('newly-blocked internet -> a1');
  });
});
