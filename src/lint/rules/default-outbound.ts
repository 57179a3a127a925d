/**
 * TOPO-L011: VMs that reach the Internet through Azure's implicit default
 * outbound access (F11.3): the subnet allows it, has no NAT gateway, and its
 * routes send public destinations to the Internet. Subnets that hold only
 * private endpoints start no connections (F5.1.5) and are not reported.
 */
import { formatIpv4, isPublicAddress } from '../../net/ipv4.js';
import { isBuiltin } from '../../scenario/source-loc.js';
import type { RouteSegment, SubnetModel } from '../../model/types.js';
import { startsConnections } from '../nsg-uses.js';
import type { FindingDraft, LintCheck } from '../types.js';

function internetRoute(s: SubnetModel): RouteSegment | undefined {
  return s.routes.segments.find((g) => g.route.nextHop.type === 'Internet' && (isPublicAddress(g.lo) || isPublicAddress(g.hi) || g.hi - g.lo > 0x01000000));
}

function firstPublic(g: RouteSegment): number {
  for (let a = g.lo; a <= g.hi; a += 0x01000000) if (isPublicAddress(a)) return a;
  return g.hi;
}

export const defaultOutbound: LintCheck = {
  id: 'TOPO-L011',
  run({ net }) {
    const out: FindingDraft[] = [];
    for (const s of net.subnets.values()) {
      if (s.special || !s.defaultOutboundAccess.value || s.natGateway) continue;
      if (!startsConnections(s)) continue;
      const hosts = s.nics.filter((n) => n.kind === 'host');
      const senders = hosts.filter((n) => !n.publicIp);
      if (hosts.length > 0 && senders.length === 0 && !s.nics.some((n) => n.kind === 'subnet')) continue;
      const route = internetRoute(s);
      if (!route) continue;
      const setting = s.defaultOutboundAccess.explicit ? 'defaultOutboundAccess is true' : "defaultOutboundAccess is not set, and Azure's default is true";
      const who = senders.length ? `${senders.slice(0, 3).map((n) => n.name).join(', ')}${senders.length > 3 ? ' and others' : ''} in subnet '${s.id}'` : `VMs deployed into subnet '${s.id}'`;
      const verb = senders.length === 1 ? 'reaches' : 'reach';
      out.push({
        target: s.id,
        message: `${who} ${verb} the Internet through Azure's default outbound access (${setting}, no NAT gateway, and ${route.route.ref.label} sends public addresses such as ${formatIpv4(firstPublic(route))} to the Internet): an implicit public address no firewall sees`,
        loc: s.defaultOutboundAccess.explicit ? s.defaultOutboundAccess.loc : s.loc,
        related: isBuiltin(route.route.ref.loc) ? [] : [{ message: 'the route to the Internet', loc: route.route.ref.loc }],
      });
    }
    return out;
  },
};
