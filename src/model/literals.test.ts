/**
 * Literal public addresses with the shipped compact catalog, which knows
 * Azure's footprint only up to tag-membership regions (TOPO307): the
 * design's own public IPs are exact; other literals in the footprint are
 * real, routable addresses whose verdicts are unknown rather than wrong;
 * and an address only an intent names keeps its unknown to itself.
 */
import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../test/helpers/scenario-fixture.js';
import { verifyNetwork } from '../verify/verify.js';
import { compile } from './compile.js';

function run(text: string) {
  const loaded = loadYaml(text);
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const { network, diagnostics } = compile(loaded.scenario, loaded.catalog!);
  const results = new Map(verifyNetwork(network, []).intents.map((r) => [r.name, r]));
  return { network, results, approximations: [...loaded.diagnostics, ...diagnostics].filter((d) => d.code === 'TOPO307') };
}

/** A spoke forced through a hub firewall whose public IP is 51.140.10.20, an address inside Azure's footprint. */
const hub = (rules: string, intents: string) => yaml`
  name: literals
  region: uksouth
  vnets:
    hub:
      addressSpace: [10.0.0.0/16]
      subnets: { AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 } }
      peerings: { to-spoke: { remoteVirtualNetwork: spoke, allowForwardedTraffic: true } }
    spoke:
      addressSpace: [10.1.0.0/16]
      subnets: { app: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: n, routeTable: rt, defaultOutboundAccess: false } }
      peerings: { to-hub: { remoteVirtualNetwork: hub, allowForwardedTraffic: true } }
  networkSecurityGroups: { n: {} }
  routeTables: { rt: { routes: [{ name: fw, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.1.4 }] } }
  firewallPolicies:
    pol: { ruleCollectionGroups: [{ name: g, priority: 100, ruleCollections: [${rules}] }] }
  firewalls: { fw: { vnet: hub, privateIpAddress: 10.0.1.4, publicIpAddresses: [51.140.10.20], firewallPolicy: pol } }
  hosts: { vm: { subnet: spoke/app, privateIpAddress: 10.1.1.4 } }
  intents: ${intents}
`;
const dnat = `{ name: in, priority: 100, ruleCollectionType: FirewallPolicyNatRuleCollection, action: Dnat, rules: [{ name: https, ruleType: NatRule, ipProtocols: [TCP], sourceAddresses: ["*"], destinationAddresses: [51.140.10.20], destinationPorts: ["443"], translatedAddress: 10.1.1.4, translatedPort: "443" }] }`;
const partnerRule = (ip: string) => `{ name: out, priority: 200, ruleCollectionType: FirewallPolicyFilterRuleCollection, action: Allow, rules: [{ name: kms, ruleType: NetworkRule, ipProtocols: [TCP], sourceAddresses: ["10.1.0.0/16"], destinationAddresses: [${ip}], destinationPorts: ["1688"] }] }`;
/** A partner's address inside Azure's footprint, not one of Microsoft's fixed hosts. */
const PARTNER = '20.118.99.10';
const PARTNER_INT = 0x14766300 + 10;

describe('literal public addresses with the compact catalog', () => {
  it("the design's own public IP named by a DNAT rule is exact: no approximation, no unknown verdicts", () => {
    const r = run(hub(dnat, '[{ name: web-in, allow: { from: internet, to: vm, protocol: Tcp, ports: [443] } }, { name: no-exfil, deny: { from: spoke/app, to: internet } }]'));
    expect(r.approximations).toEqual([]);
    expect(r.results.get('web-in')!.status).toBe('pass');
    expect(r.results.get('no-exfil')!.status).toBe('pass');
  });

  it('a literal inside the footprint is a routable public address: an allow to it is unknown (TOPO307), never "not a public address"', () => {
    const r = run(hub(partnerRule(PARTNER), '[{ name: kms, allow: { from: vm, to: 20.118.99.10/32, protocol: Tcp, ports: [1688] } }]'));
    const kms = r.results.get('kms')!;
    expect(kms.status).toBe('unknown');
    expect(kms.reason).toContain('TOPO307');
    expect(r.approximations.map((d) => d.loc?.line).sort()).toEqual([15, 18]);
  });

  it('an address only an intent names keeps its unknown to itself: the exfiltration verdict stays exact', () => {
    const r = run(hub('', '[{ name: kms, allow: { from: vm, to: 20.118.99.10/32, protocol: Tcp, ports: [1688] } }, { name: no-exfil, deny: { from: spoke/app, to: internet } }, { name: nothing-in, deny: { from: internet, to: vm } }]'));
    expect(r.results.get('kms')!.status).toBe('unknown');
    expect(r.results.get('no-exfil')!.status).toBe('pass');
    expect(r.results.get('nothing-in')!.status).toBe('pass');
    expect(r.network.adversary.claimOnly.has(PARTNER_INT)).toBe(true);
  });

  it('an address a rule names is anonymous Internet too, not one only intents name', () => {
    const r = run(hub(partnerRule(PARTNER), '[{ name: kms, allow: { from: vm, to: 20.118.99.10/32, protocol: Tcp, ports: [1688] } }]'));
    expect(r.network.adversary.claimOnly.has(PARTNER_INT)).toBe(false);
    expect(r.network.adversary.publicSpace.has(PARTNER_INT)).toBe(true);
  });

  it("Microsoft's fixed KMS hosts are first-party: never anonymous Internet sources, never an exfiltration destination", () => {
    const r = run(hub('', '[{ name: no-exfil, deny: { from: spoke/app, to: internet } }]'));
    const kms = 0x14766300 + 0xe0; // azkms.core.windows.net, models/trusted-fqdns.json
    expect(r.network.adversary.claimOnly.has(kms)).toBe(true);
    expect(r.results.get('no-exfil')!.status).toBe('pass');
  });
});
