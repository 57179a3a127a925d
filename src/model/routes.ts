/**
 * Effective routes of a subnet (F2): every candidate route as CIDR entries,
 * resolved into a partition of the IPv4 space by the winning route.
 *
 * Selection, per address, among the routes whose prefix contains it:
 *  1. F2.4.3: VNet, peering and service-endpoint system routes beat BGP
 *     routes even when the BGP route is more specific.
 *  2. F2.7.2: a private endpoint /32 is invalidated by a UDR at least as
 *     specific as the PE VNet's address space, when the PE's subnet enables
 *     route-table network policies.
 *  3. Longest prefix wins (F2.4.1); on an equal prefix User > BGP > System
 *     (F2.4.2), an explicit-prefix UDR beats a service-tag UDR, and tag UDRs
 *     rank regional tag, tag, regional AzureCloud, AzureCloud (F2.4.4).
 * CIDR prefixes are nested or disjoint, so the containing routes of any
 * address form a chain and one sweep decides every segment.
 */
import type { EffectiveRoutes, RouteEntry, RouteModel, RouteSegment } from './types.js';

export function routeRank(route: RouteModel): number {
  if (route.source === 'user') {
    if (!route.tag) return 0;
    const tag = route.tag.toLowerCase();
    const regional = tag.includes('.');
    if (tag.startsWith('azurecloud')) return regional ? 3 : 4;
    return regional ? 1 : 2;
  }
  if (route.source === 'bgp') return 5;
  return 6;
}

function beatsBgp(e: RouteEntry): boolean {
  return e.route.systemKind === 'vnet' || e.route.systemKind === 'peering' || e.route.source === 'service-endpoint';
}

export type PeInvalidation = (peRoute: RouteModel, udr: RouteEntry) => boolean;

export function chooseRoute(candidates: readonly RouteEntry[], invalidates: PeInvalidation): RouteEntry | undefined {
  const noBgp = candidates.some(beatsBgp);
  let best: RouteEntry | undefined;
  for (const c of candidates) {
    if (noBgp && c.route.source === 'bgp') continue;
    if (c.route.source === 'private-endpoint' && candidates.some((u) => u.route.source === 'user' && invalidates(c.route, u))) continue;
    if (!best || c.len > best.len || (c.len === best.len && routeRank(c.route) < routeRank(best.route))) best = c;
  }
  return best;
}

export function resolveRoutes(entries: readonly RouteEntry[], invalidates: PeInvalidation): EffectiveRoutes {
  const starts = [...entries].sort((a, b) => a.lo - b.lo);
  const ends = [...entries].sort((a, b) => a.hi - b.hi);
  const points = new Set<number>();
  for (const e of entries) {
    points.add(e.lo);
    if (e.hi < 0xffffffff) points.add(e.hi + 1);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const active = new Set<RouteEntry>();
  const segments: RouteSegment[] = [];
  let si = 0;
  let ei = 0;
  for (let k = 0; k < sorted.length; k++) {
    const x = sorted[k];
    while (ei < ends.length && ends[ei].hi + 1 <= x) active.delete(ends[ei++]);
    while (si < starts.length && starts[si].lo <= x) {
      const e = starts[si++];
      if (e.hi >= x) active.add(e);
    }
    const hi = k + 1 < sorted.length ? sorted[k + 1] - 1 : 0xffffffff;
    const winner = chooseRoute([...active], invalidates);
    if (!winner) continue;
    const last = segments[segments.length - 1];
    if (last && last.route === winner.route && last.len === winner.len && last.hi + 1 === x) segments[segments.length - 1] = { ...last, hi };
    else segments.push({ lo: x, hi, route: winner.route, len: winner.len });
  }
  return { entries, segments };
}

/** The winning route for one address (binary search over the partition). */
export function lookupRoute(routes: EffectiveRoutes, addr: number): RouteSegment | undefined {
  const s = routes.segments;
  let lo = 0;
  let hi = s.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (addr < s[mid].lo) hi = mid - 1;
    else if (addr > s[mid].hi) lo = mid + 1;
    else return s[mid];
  }
  return undefined;
}
