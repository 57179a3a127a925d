/**
 * Where each NSG applies. An NSG compiles differently per subnet only
 * through the VirtualNetwork tag (F1.6.1) and the region of regional tags,
 * so the subnets it applies to are grouped by those: one representative per
 * group is enough to decide anything about its rules.
 */
import type { Network, SubnetModel } from '../model/types.js';

export interface NsgUse {
  readonly nsg: string;
  /** Every subnet the NSG filters traffic in: attached to it, or to a NIC in it. */
  readonly subnets: readonly SubnetModel[];
  /** One subnet per distinct compilation context. */
  readonly contexts: readonly SubnetModel[];
}

const cache = new WeakMap<Network, ReadonlyMap<string, NsgUse>>();

export function nsgUses(net: Network): ReadonlyMap<string, NsgUse> {
  const hit = cache.get(net);
  if (hit) return hit;
  const subnetsOf = new Map<string, Set<SubnetModel>>();
  const add = (nsg: string, subnet: SubnetModel) => {
    let set = subnetsOf.get(nsg);
    if (!set) subnetsOf.set(nsg, (set = new Set()));
    set.add(subnet);
  };
  for (const s of net.subnets.values()) if (s.nsg) add(s.nsg.name, s);
  for (const n of net.nics) if (n.nsg) add(n.nsg.name, n.subnet);
  const out = new Map<string, NsgUse>();
  for (const [nsg, set] of subnetsOf) {
    const subnets = [...set].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const byContext = new Map<string, SubnetModel>();
    for (const s of subnets) {
      const key = `${net.vnets.get(s.vnet)?.region ?? ''}|${s.virtualNetworkTag.toString()}`;
      if (!byContext.has(key)) byContext.set(key, s);
    }
    out.set(nsg, { nsg, subnets, contexts: [...byContext.values()] });
  }
  cache.set(net, out);
  return out;
}

/**
 * Subnets that hold workloads (not the firewall, gateway or route server
 * subnets, which take no NSG, nor an Azure ML managed network's, which are
 * Microsoft's: its outbound rules are its filter).
 */
export function takesNsg(s: SubnetModel): boolean {
  return (s.special === undefined || s.special === 'AzureBastionSubnet') && s.managed === undefined;
}

/**
 * Whether workloads in the subnet start connections: it holds VMs, or it is
 * not a subnet of private endpoints only (which start nothing, F5.1.5).
 */
export function startsConnections(s: SubnetModel): boolean {
  return s.nics.some((n) => n.kind === 'host') || !s.nics.some((n) => n.kind === 'private-endpoint');
}
