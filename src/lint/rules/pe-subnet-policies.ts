/**
 * TOPO-L008: private endpoints in a subnet without network policies, where
 * the design forces traffic through a firewall: the NSG does not filter them
 * (F1.9) and their /32 routes win over every UDR (F2.7.2), so traffic to
 * them bypasses the firewall (§8.5, §8.7).
 */
import type { Network, RouteEntry, SubnetModel } from '../../model/types.js';
import { plural } from '../../net/text.js';
import type { FindingDraft, LintCheck } from '../types.js';

function forcingRoute(s: SubnetModel): RouteEntry | undefined {
  return s.routes.entries.find((e) => e.len === 0 && e.route.nextHop.type === 'VirtualAppliance');
}

/** Subnets whose traffic to a PE in `vnet` would otherwise cross a firewall: in the VNet or a connected peer. */
function forcedNear(net: Network, vnet: string): { subnet: SubnetModel; route: RouteEntry } | undefined {
  const v = net.vnets.get(vnet);
  if (!v) return undefined;
  const near = [vnet, ...v.peerings.filter((l) => l.connected).map((l) => l.remote)];
  for (const name of near) {
    for (const s of net.vnets.get(name)?.subnets ?? []) {
      const route = forcingRoute(s);
      if (route) return { subnet: s, route };
    }
  }
  return undefined;
}

export const peSubnetPolicies: LintCheck = {
  id: 'TOPO-L008',
  run({ net }) {
    const out: FindingDraft[] = [];
    for (const s of net.subnets.values()) {
      const pes = s.nics.filter((n) => n.kind === 'private-endpoint');
      // A managed network's endpoint subnet is Microsoft's: its traffic never meets its egress rules by design (MVNET-14).
      if (pes.length === 0 || s.privateEndpointNetworkPolicies.value !== 'Disabled' || s.managed) continue;
      const forced = forcedNear(net, s.vnet);
      if (!forced) continue;
      const setting = s.privateEndpointNetworkPolicies.explicit ? 'privateEndpointNetworkPolicies is Disabled' : "privateEndpointNetworkPolicies is not set, and Azure's default is Disabled";
      out.push({
        target: s.id,
        message: `subnet '${s.id}' holds ${plural(pes.length, 'private endpoint')} (${pes.slice(0, 3).map((p) => p.name).join(', ')}${pes.length > 3 ? ', ...' : ''}) and ${setting}: its NSG does not filter them and no route can send traffic to them through the firewall, while ${forced.subnet.id} sends 0.0.0.0/0 to ${forced.route.route.ref.label}`,
        loc: s.privateEndpointNetworkPolicies.loc,
        related: [{ message: `0.0.0.0/0 forced through an appliance in ${forced.subnet.id}`, loc: forced.route.route.ref.loc }, ...pes.slice(0, 3).map((p) => ({ message: `private endpoint ${p.name}`, loc: p.loc }))],
      });
    }
    return out;
  },
};
