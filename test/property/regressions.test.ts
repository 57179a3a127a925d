/**
 * Minimal designs for the disagreements the engine cross-checks found: each
 * one failed before its fix, in the engine named in the test title.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/model/compile.js';
import type { Network } from '../../src/model/types.js';
import { verifyNetwork } from '../../src/verify/verify.js';
import { loadYaml, yaml } from '../helpers/scenario-fixture.js';

function network(text: string): Network {
  const loaded = loadYaml(text);
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return compile(loaded.scenario, loaded.catalog!).network;
}

function verdicts(net: Network): Record<string, string> {
  return Object.fromEntries(verifyNetwork(net, []).intents.map((r) => [r.name, r.status]));
}

describe('engine cross-check regressions', () => {
  it('verify: the Internet reaches a host at its public IP, so "deny internet -> host" fails when the host is open (scenario-format, F1.2.4, F11.1)', () => {
    const net = network(yaml`
      name: open-host
      region: eastus
      vnets:
        v0: { addressSpace: [10.0.0.0/16], subnets: { s1: { addressPrefix: 10.0.1.0/24 } } }
      hosts:
        web: { subnet: v0/s1, privateIpAddress: 10.0.1.4, publicIpAddress: 198.51.100.10, publicIpSku: Basic }
      intents:
        - name: web-closed
          deny: { from: internet, to: web }
        - name: web-open
          allow: { from: internet, to: web, protocol: Tcp, ports: [443] }
    `);
    const results = verifyNetwork(net, []).intents;
    expect(results.map((r) => r.status)).toEqual(['fail', 'pass']);
    expect(results[0].witness?.packet.dstIp).toBe(((198 * 256 + 51) * 256 + 100) * 256 + 10);
  });

  it('verify: a firewall that never SNATs (snat privateRanges 0.0.0.0/0) cannot send to the Internet (F4.5.2)', () => {
    const net = network(yaml`
      name: never-snat
      region: eastus
      vnets:
        hub:
          addressSpace: [10.0.0.0/16]
          subnets: { AzureFirewallSubnet: { addressPrefix: 10.0.250.0/26 } }
          peerings: { hub-to-spoke: { remoteVirtualNetwork: spoke, allowForwardedTraffic: true } }
        spoke:
          addressSpace: [10.1.0.0/16]
          subnets: { s1: { addressPrefix: 10.1.1.0/24, routeTable: via-fw } }
          peerings: { spoke-to-hub: { remoteVirtualNetwork: hub, allowForwardedTraffic: true } }
      routeTables:
        via-fw:
          routes: [{ name: default, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.250.4 }]
      firewallPolicies:
        pol:
          snat: { privateRanges: [0.0.0.0/0] }
          ruleCollectionGroups:
            - name: g
              priority: 200
              ruleCollections:
                - name: c
                  priority: 100
                  ruleCollectionType: FirewallPolicyFilterRuleCollection
                  action: Allow
                  rules: [{ name: any, ruleType: NetworkRule, ipProtocols: [Any], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["*"] }]
      firewalls:
        fw: { vnet: hub, privateIpAddress: 10.0.250.4, publicIpAddresses: [198.51.100.250], firewallPolicy: pol }
      intents:
        - name: no-egress
          deny: { from: spoke/s1, to: internet }
    `);
    // Before the fix the verifier found a path, and re-simulating its witness threw EngineDisagreement.
    expect(verdicts(net)).toEqual({ 'no-egress': 'pass' });
  });

  const egress = yaml`
    name: public-addresses
    region: eastus
    vnets:
      v0:
        addressSpace: [10.0.0.0/16]
        subnets:
          s1: { addressPrefix: 10.0.1.0/24, natGateway: nat1 }
          s2: { addressPrefix: 10.0.2.0/24 }
    natGateways: { nat1: { publicIpAddresses: [198.51.100.200] } }
    hosts:
      web: { subnet: v0/s2, privateIpAddress: 10.0.2.4, publicIpAddress: 198.51.100.10, publicIpSku: Basic }
      app: { subnet: v0/s1, privateIpAddress: 10.0.1.4 }
    intents:
      - name: web-public-ip-open
        allow: { from: internet, to: 198.51.100.10/32, protocol: Tcp, ports: [443] }
      - name: nat-ip-closed
        deny: { from: web, to: 198.51.100.200/32 }
  `;

  it('verify: a CIDR destination is judged on the address the packet was sent to, before the public IP translates it (F1.2.4)', () => {
    // Before the fix the verifier judged the translated address (10.0.2.4), and the allow's witness threw EngineDisagreement.
    expect(verdicts(network(egress))['web-public-ip-open']).toBe('pass');
  });

  it('verify: a NAT gateway public IP accepts no inbound connections (F11.4)', () => {
    // Before the fix the verifier delivered packets to the NAT gateway's address to the Internet at large.
    expect(verdicts(network(egress))['nat-ip-closed']).toBe('pass');
  });
});
