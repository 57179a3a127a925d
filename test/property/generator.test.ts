/**
 * The generator of random designs: every design it makes loads without an
 * error (a rejected design is a generator bug, not a skipped case), and over
 * a run it reaches every construct the engine properties rely on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { designArbitrary, loadGenerated, propertyRuns, propertySeed } from './arbitraries.js';

describe('generated designs', () => {
  for (const catalog of ['small', 'shipped'] as const) {
    const runs = propertyRuns(catalog === 'small' ? 150 : 40);
    it(`${runs} designs for the ${catalog} catalog load without errors and cover the constructs`, () => {
      const seen = new Map<string, number>();
      const count = (k: string, yes: boolean) => yes && seen.set(k, (seen.get(k) ?? 0) + 1);
      fc.assert(
        fc.property(designArbitrary({ catalog }), (design) => {
          const { net } = loadGenerated(design);
          const rules = [...net.scenario.networkSecurityGroups.values()].flatMap((n) => n.securityRules);
          count('3 vnets', net.vnets.size === 3);
          count('peering both ways', [...net.vnets.values()].some((v) => v.peerings.some((l) => l.connected)));
          count('one-sided peering', [...net.vnets.values()].some((v) => v.peerings.some((l) => !l.connected)));
          count('forwarded traffic allowed', [...net.vnets.values()].some((v) => v.peerings.some((l) => l.allowForwardedTraffic.value)));
          count('4 subnets in a vnet', [...net.vnets.values()].some((v) => v.subnets.filter((s) => !s.special).length === 4));
          count('nsg with 20+ rules', [...net.scenario.networkSecurityGroups.values()].some((n) => n.securityRules.length >= 20));
          count('NIC NSG', net.nics.some((n) => n.nsg));
          count('ASG rule', rules.some((r) => r.sourceApplicationSecurityGroups.length + r.destinationApplicationSecurityGroups.length > 0));
          count('service tag rule', rules.some((r) => [...r.sourceAddressPrefixes, ...r.destinationAddressPrefixes].some((p) => /^[A-Z]/.test(p.value))));
          count('firewall', net.firewalls.size > 0);
          count('application rule', [...net.firewalls.values()].some((f) => f.application.length > 0));
          count('SNAT ranges set', [...net.scenario.firewallPolicies.values()].some((p) => p.snatPrivateRanges !== undefined));
          count('0/0 to firewall', [...net.scenario.routeTables.values()].some((t) => t.routes.some((r) => r.addressPrefix.value === '0.0.0.0/0' && r.nextHopType.value === 'VirtualAppliance')));
          count('route to None', [...net.scenario.routeTables.values()].some((t) => t.routes.some((r) => r.nextHopType.value === 'None')));
          count('private endpoint', net.privateEndpoints.size > 0);
          count('PE network policies on', [...net.subnets.values()].some((s) => s.privateEndpointNetworkPolicies.value !== 'Disabled' && s.nics.some((n) => n.kind === 'private-endpoint')));
          count('service endpoint', [...net.subnets.values()].some((s) => s.serviceEndpoints.length > 0));
          count('public IP', net.nics.some((n) => n.publicIp));
          count('no default outbound', [...net.subnets.values()].some((s) => !s.defaultOutboundAccess.value));
          count('storage deny by default', [...net.resources.values()].some((r) => r.defaultAction.value === 'Deny'));
          expect(net.catalog.exact).toBe(catalog === 'small');
          expect(net.uncertain.isEmpty, 'designs keep verdicts exact').toBe(true);
        }),
        { seed: propertySeed(catalog === "small" ? 1 : 2), numRuns: runs, endOnFailure: true },
      );
      const summary = [...seen].map(([k, v]) => `${k}: ${v}`).join(', ');
      console.log(`generator (${catalog} catalog, ${runs} designs): ${summary}`);
      // Each construct shows up in a fair share of the designs.
      for (const k of ['peering both ways', 'one-sided peering', 'nsg with 20+ rules', 'NIC NSG', 'firewall', 'application rule', '0/0 to firewall', 'private endpoint', 'service endpoint', 'public IP']) {
        expect(seen.get(k) ?? 0, k).toBeGreaterThan(runs / 20);
      }
    });
  }
});
