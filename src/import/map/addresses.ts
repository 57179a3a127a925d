/**
 * Addresses Azure hands out at deploy time. A template never knows a NIC's
 * dynamic private IP, a firewall's or a private endpoint's address, or a
 * public IP; reference() reads them back. topo gives each such interface a
 * stand-in address, the same one wherever the template reads it, so a route
 * to "the firewall's address" reaches the firewall whatever Azure assigns:
 *
 * - private: the lowest free usable address of the subnet, in declaration
 *   order (Azure's documented allocation). When several interfaces of a
 *   subnet are dynamic and a rule of the design tells that subnet's
 *   addresses apart, which one gets which address would change verdicts:
 *   then there is no stand-in and the address stays unresolved.
 * - public: an address from the documentation ranges (198.51.100.0/24,
 *   203.0.113.0/24), which no service tag contains.
 *
 * Deployed resources (Resource Graph, REST, az CLI) carry real addresses;
 * stand-ins are only ever used for templates, and each is marked in a comment.
 */
import { formatIpv4, isAzureReserved, parseIpv4, parsePrefix, prefixHas, prefixLast, type Ipv4Prefix } from '../../net/ipv4.js';
import { idKey } from '../resource.js';
import type { Unresolved } from '../template/values.js';

export interface InterfaceSlot {
  /** Owner resource id (NIC, private endpoint, firewall) and ip configuration index. */
  readonly owner: string;
  readonly index: number;
  readonly subnetId: string;
  /** A known address (static, or deployed). */
  readonly address?: string;
}

export interface Address {
  readonly ip?: string;
  readonly standIn: boolean;
  /** Why there is no address, when there is none. */
  readonly why?: string;
}

const PUBLIC_POOLS = ['198.51.100.', '203.0.113.'];

export class AddressBook {
  private readonly privateByOwner = new Map<string, Address>();
  private readonly publicById = new Map<string, Address>();
  private publicNext = 0;

  constructor(
    subnets: ReadonlyMap<string, readonly string[]>,
    slots: readonly InterfaceSlot[],
    ruleLiterals: readonly string[],
  ) {
    const literals = ruleLiterals.flatMap((l) => {
      const p = parsePrefix(l.trim());
      return p.ok ? [p.prefix] : [];
    });
    const bySubnet = new Map<string, InterfaceSlot[]>();
    for (const s of slots) {
      const list = bySubnet.get(idKey(s.subnetId));
      if (list) list.push(s);
      else bySubnet.set(idKey(s.subnetId), [s]);
    }
    for (const [subnetId, list] of bySubnet) {
      const prefixes = (subnets.get(subnetId) ?? []).flatMap((t) => {
        const p = parsePrefix(t);
        return p.ok ? [p.prefix] : [];
      });
      const used = new Set(list.flatMap((s) => (s.address ? [parseIpv4(s.address) ?? -1] : [])));
      const dynamic = list.filter((s) => !s.address);
      for (const s of list) if (s.address) this.privateByOwner.set(slotKey(s.owner, s.index), { ip: s.address, standIn: false });
      if (dynamic.length === 0) continue;
      if (prefixes.length === 0) {
        for (const s of dynamic) this.privateByOwner.set(slotKey(s.owner, s.index), { standIn: false, why: 'its subnet has no known prefix' });
        continue;
      }
      const splitting = dynamic.length > 1 ? literals.find((l) => prefixes.some((p) => splits(l, p))) : undefined;
      if (splitting) {
        for (const s of dynamic) this.privateByOwner.set(slotKey(s.owner, s.index), { standIn: false, why: `Azure assigns it at deploy time, and ${dynamic.length} interfaces of the subnet share its free addresses while a rule of the design names ${formatIpv4(splitting.addr)}/${splitting.len}` });
        continue;
      }
      const free = freeAddresses(prefixes, used);
      for (const s of dynamic) {
        const next = free.next();
        this.privateByOwner.set(slotKey(s.owner, s.index), next.done ? { standIn: false, why: 'its subnet has no free address left' } : { ip: formatIpv4(next.value), standIn: true });
      }
    }
  }

  privateIp(owner: string, index = 0): Address {
    return this.privateByOwner.get(slotKey(owner, index)) ?? { standIn: false, why: 'the interface is not in the input' };
  }

  /** A public IP resource's address: as deployed, or a stand-in. */
  publicIp(id: string, deployed: string | undefined): Address {
    const key = idKey(id);
    const hit = this.publicById.get(key);
    if (hit) return hit;
    let a: Address;
    if (deployed && parseIpv4(deployed) !== null) a = { ip: deployed, standIn: false };
    else if (this.publicNext < PUBLIC_POOLS.length * 254) {
      const n = this.publicNext++;
      a = { ip: `${PUBLIC_POOLS[Math.floor(n / 254)]}${(n % 254) + 1}`, standIn: true };
    } else a = { standIn: false, why: 'too many public IPs without an address' };
    this.publicById.set(key, a);
    return a;
  }

  /** Answers reference(x).ipConfigurations[i].properties.privateIPAddress and reference(pip).ipAddress. */
  runtime(u: Unresolved, publicIpDeployed: (id: string) => string | undefined, isPublicIp: (id: string) => boolean): Address | undefined {
    const rt = u.runtime;
    if (!rt) return undefined;
    const path = rt.path.map((p) => (typeof p === 'string' ? p.toLowerCase() : p));
    const at = path[0] === 'properties' ? 1 : 0;
    if (path[at] === 'ipconfigurations' && typeof path[at + 1] === 'number' && path.at(-1) === 'privateipaddress') return this.privateIp(rt.resourceId, path[at + 1] as number);
    if (path[at] === 'ipaddress' && path.length === at + 1 && isPublicIp(rt.resourceId)) return this.publicIp(rt.resourceId, publicIpDeployed(rt.resourceId));
    return undefined;
  }
}

function slotKey(owner: string, index: number): string {
  return `${idKey(owner)}#${index}`;
}

/** A literal prefix that covers part, but not all, of a subnet. */
function splits(literal: Ipv4Prefix, subnet: Ipv4Prefix): boolean {
  const lo = Math.max(literal.addr, subnet.addr);
  const hi = Math.min(prefixLast(literal), prefixLast(subnet));
  if (lo > hi) return false;
  return !(literal.addr <= subnet.addr && prefixLast(literal) >= prefixLast(subnet));
}

function* freeAddresses(prefixes: readonly Ipv4Prefix[], used: ReadonlySet<number>): Generator<number> {
  for (const p of prefixes) {
    for (let a = p.addr; a <= prefixLast(p); a++) {
      if (isAzureReserved(p, a) || used.has(a) || !prefixHas(p, a)) continue;
      yield a;
    }
  }
}
