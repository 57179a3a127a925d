/**
 * TOPO-L007: egress to every tenant's storage (the Storage tag) or Front
 * Door (AzureFrontDoor.Frontend) that no policy narrows. Reported where it
 * is opened: a Microsoft.Storage service endpoint without a service
 * endpoint policy (F2.8, F5.3.6), an NSG allow to the tag from a subnet
 * whose route to it is direct, or a firewall network rule to the tag (F4.3.4).
 */
import { IntervalSet } from '../../headerspace/interval-set.js';
import { PacketSet } from '../../headerspace/packet-set.js';
import { ALL_NAMES, ALL_PORTS, ALL_PROTOCOLS } from '../../model/nsg.js';
import { tagAddresses } from '../../model/endpoints.js';
import type { Network, SubnetModel } from '../../model/types.js';
import { nsgChainSet } from '../../verify/nsg-eval.js';
import { nsgUses, startsConnections } from '../nsg-uses.js';
import type { FindingDraft, LintCheck } from '../types.js';
import { writtenFirewallRule } from '../written.js';

type Channel = 'storage' | 'frontdoor';

export function channelOfTag(tag: string): Channel | undefined {
  const t = tag.trim().toLowerCase();
  if (t === 'storage' || t.startsWith('storage.')) return 'storage';
  if (t === 'azurefrontdoor.frontend') return 'frontdoor';
  return undefined;
}

function pinned(s: SubnetModel, channel: Channel): boolean {
  return channel === 'storage' && s.serviceEndpointPolicy !== undefined;
}

/** Whether the subnet's routes send some of these addresses out directly (Internet or a service endpoint), not to an appliance. */
function directTo(s: SubnetModel, addrs: IntervalSet): boolean {
  return s.routes.segments.some((g) => (g.route.nextHop.type === 'Internet' || g.route.nextHop.type === 'VirtualNetworkServiceEndpoint') && addrs.intersects(IntervalSet.of(g.lo, g.hi)));
}

function storageEndpointWithoutPolicy(net: Network, storage: IntervalSet): { findings: FindingDraft[]; subnets: Set<string> } {
  const findings: FindingDraft[] = [];
  const subnets = new Set<string>();
  for (const s of net.subnets.values()) {
    const se = s.serviceEndpoints.find((e) => e.service === 'Microsoft.Storage' || e.service === 'Microsoft.Storage.Global');
    if (!se || s.serviceEndpointPolicy) continue;
    const senders = s.nics.filter((n) => n.kind === 'host' || n.kind === 'subnet');
    const open = senders.some((n) => !nsgChainSet(net, n, 'Outbound', PacketSet.ofBox([ALL_PROTOCOLS, n.addresses, ALL_PORTS, storage, ALL_PORTS, ALL_NAMES]), []).isEmpty);
    if (!open) continue;
    subnets.add(s.id);
    findings.push({
      target: s.id,
      message: `subnet '${s.id}' has a ${se.service} service endpoint and no service endpoint policy, and its NSGs let traffic out to the Storage tag: it can reach every storage account in Azure over the endpoint, another tenant's included`,
      loc: se.loc,
    });
  }
  return { findings, subnets };
}

export const storageEgress: LintCheck = {
  id: 'TOPO-L007',
  run({ net }) {
    const tagCache = new Map<string, IntervalSet>();
    const addressesOf = (tag: string) => {
      let a = tagCache.get(tag);
      if (!a) tagCache.set(tag, (a = tagAddresses(net, tag)));
      return a;
    };
    const { findings: out, subnets: viaEndpoint } = storageEndpointWithoutPolicy(net, addressesOf('Storage'));

    for (const use of nsgUses(net).values()) {
      const nsg = net.scenario.networkSecurityGroups.get(use.nsg);
      for (const rule of nsg?.securityRules ?? []) {
        if (rule.direction.value !== 'Outbound' || rule.access.value !== 'Allow') continue;
        for (const prefix of rule.destinationAddressPrefixes) {
          const channel = channelOfTag(prefix.value);
          if (!channel) continue;
          const addrs = addressesOf(prefix.value);
          const open = use.subnets.filter((s) => startsConnections(s) && !pinned(s, channel) && !(channel === 'storage' && viaEndpoint.has(s.id)) && directTo(s, addrs));
          if (open.length === 0) continue;
          const where = open.map((s) => s.id);
          const fix = channel === 'storage' ? 'no service endpoint policy pins the accounts' : 'no policy can narrow Front Door; route it through the firewall with FQDN rules';
          out.push({
            target: `${use.nsg}/${rule.name}`,
            key: prefix.value,
            message: `${use.nsg}/${rule.name} allows outbound to ${prefix.value}, which covers ${channel === 'storage' ? "every tenant's storage accounts" : "every tenant's Front Door endpoints"}, and ${where.slice(0, 3).join(', ')}${where.length > 3 ? ` and ${where.length - 3} more` : ''} send${where.length === 1 ? 's' : ''} it out directly: ${fix}`,
            loc: prefix.loc,
            related: [{ message: 'the rule', loc: rule.loc }, ...open.slice(0, 3).map((s) => ({ message: `subnet ${s.id}`, loc: s.loc }))],
          });
        }
      }
    }

    const seen = new Set<string>();
    for (const fw of net.firewalls.values()) {
      for (const rule of fw.network) {
        if (rule.action !== 'Allow' || seen.has(rule.ref.id)) continue;
        seen.add(rule.ref.id);
        const written = writtenFirewallRule(net, rule.ref.id);
        for (const prefix of written?.destinationAddresses ?? []) {
          const channel = channelOfTag(prefix.value);
          if (!channel || pinned(fw.nic.subnet, channel)) continue;
          out.push({
            target: rule.ref.id,
            key: prefix.value,
            message: `firewall network rule ${rule.ref.label} allows ${prefix.value}, which covers ${channel === 'storage' ? "every tenant's storage accounts (AzureFirewallSubnet has no service endpoint policy)" : "every tenant's Front Door endpoints"}: name the FQDNs with an application rule instead`,
            loc: prefix.loc,
            related: [{ message: 'the rule', loc: rule.ref.loc }],
          });
        }
      }
    }
    return out;
  },
};
