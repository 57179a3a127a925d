/**
 * Source classes: interfaces that behave the same given their address
 * (same subnet context, same NIC NSG, no public IP) start propagation
 * together. This is what keeps "every source" analyses cheap in large
 * designs: a spoke's subnets that share an NSG and a route table are one
 * class, whatever the number of addresses.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import { interfaceClass } from '../model/endpoints.js';
import type { Network, Nic } from '../model/types.js';

export interface SourceClass {
  /** Graph node where the class starts. */
  readonly start: string;
  readonly ips: IntervalSet;
  readonly nics: readonly Nic[];
  readonly kind: 'nic' | 'internet' | 'on-premises';
}

function signature(nic: Nic): string {
  // A subnet that leaves like no other (service endpoints carry its identity to PaaS, F2.8.1) is a class of its own.
  return interfaceClass(nic) ?? `subnet:${nic.subnet.id}|${nic.nsg?.name ?? ''}`;
}

// A version derived by rule edits shares the interfaces, the adversary and the gateways: the classes are the same.
const known = new WeakMap<Network['nics'], { readonly adversary: Network['adversary']; readonly gateways: Network['gateways']; readonly nicById: Network['nicById']; readonly classes: SourceClass[] }>();

export function sourceClasses(net: Network): SourceClass[] {
  const k = known.get(net.nics);
  if (k && k.adversary === net.adversary && k.gateways === net.gateways && k.nicById === net.nicById) return k.classes;
  const classes = classesOf(net);
  known.set(net.nics, { adversary: net.adversary, gateways: net.gateways, nicById: net.nicById, classes });
  return classes;
}

function classesOf(net: Network): SourceClass[] {
  const groups = new Map<string, Nic[]>();
  const single: Nic[] = [];
  for (const nic of net.nics) {
    if (nic.kind !== 'host' && nic.kind !== 'subnet') continue;
    if (nic.publicIp) {
      single.push(nic);
      continue;
    }
    const key = signature(nic);
    const list = groups.get(key) ?? [];
    list.push(nic);
    groups.set(key, list);
  }
  const classes: SourceClass[] = [];
  for (const nics of [...groups.values(), ...single.map((n) => [n])]) {
    let ips = IntervalSet.EMPTY;
    for (const n of nics) ips = ips.union(n.addresses);
    classes.push({ start: `out:${nics[0].id}`, ips, nics, kind: 'nic' });
  }
  classes.push({ start: 'internet', ips: net.adversary.publicSpace.subtract(net.adversary.ownPublic), nics: [], kind: 'internet' });
  for (const g of net.gateways.values()) {
    if (net.nicById.has(`gateway:${g.name}`) && !g.remote.isEmpty) classes.push({ start: `rt:gateway:${g.name}`, ips: g.remote, nics: [], kind: 'on-premises' });
  }
  return classes.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
