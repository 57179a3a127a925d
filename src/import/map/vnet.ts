/**
 * Virtual networks and their peerings. A peering is written from its own
 * side only; the format connects two VNets when both declare one, so a
 * peering whose remote side is not in the input stays one-sided. When the
 * remote VNet is missing but the peering tells its address space (deployed
 * peerings carry remoteAddressSpace), the VNet is added as a stub with no
 * subnets and no peering back, so that the scenario can hold the peering and
 * topo validate flags it as one-sided.
 */
import { parsePrefix, prefixLast } from '../../net/ipv4.js';
import { props } from '../inputs/normalise.js';
import { idKey, idParts, type ArmResource } from '../resource.js';
import { isObject, type Value } from '../template/values.js';
import { T } from '../types.js';
import { atOf, type MapContext } from './context.js';
import { comment, Unknown, type DraftObject, type Named } from './draft.js';
import type { NameCandidate } from './names.js';
import { mapSubnet, subnetsOf } from './subnet.js';

interface RawPeering {
  readonly name: string;
  readonly properties: { readonly [key: string]: Value };
  readonly from: ArmResource;
}

export interface Stub {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup?: string;
  readonly prefixes: string[];
  readonly seenFrom: ArmResource;
}

function peeringsOf(ctx: MapContext, vnet: ArmResource): RawPeering[] {
  const out = new Map<string, RawPeering>();
  const inline = vnet.properties.virtualNetworkPeerings;
  if (Array.isArray(inline)) for (const p of inline) if (isObject(p) && typeof p.name === 'string') out.set(p.name.toLowerCase(), { name: p.name, properties: props(p), from: vnet });
  for (const c of ctx.children(vnet, T.peering)) out.set(c.name.toLowerCase(), { name: c.name, properties: c.properties, from: c });
  return [...out.values()];
}

function remoteId(p: RawPeering): string | undefined {
  const r = p.properties.remoteVirtualNetwork;
  const id = isObject(r) ? r.id : r;
  return typeof id === 'string' ? id : undefined;
}

function prefixList(v: Value | undefined): string[] {
  const list = isObject(v) ? v.addressPrefixes : undefined;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const parse = (l: readonly string[]) => l.flatMap((t) => {
    const p = parsePrefix(t);
    return p.ok ? [p.prefix] : [];
  });
  return parse(a).some((x) => parse(b).some((y) => x.addr <= prefixLast(y) && y.addr <= prefixLast(x)));
}

/** Remote VNets known only from a peering that tells their address space. */
export function findStubs(ctx: MapContext): Stub[] {
  const vnets = ctx.of(T.vnet);
  const known = new Set(vnets.map((v) => idKey(v.id)));
  const stubs = new Map<string, Stub>();
  for (const v of vnets) {
    for (const p of peeringsOf(ctx, v)) {
      const id = remoteId(p);
      if (!id || known.has(idKey(id)) || stubs.has(idKey(id))) continue;
      const prefixes = prefixList(p.properties.remoteAddressSpace ?? p.properties.remoteVirtualNetworkAddressSpace);
      if (prefixes.length === 0 || vnets.some((x) => overlaps(prefixes, prefixList(x.properties.addressSpace)))) continue;
      const parts = idParts(id);
      stubs.set(idKey(id), { id, name: parts.name, resourceGroup: parts.resourceGroup, prefixes, seenFrom: p.from });
    }
  }
  return [...stubs.values()];
}

export function vnetCandidates(ctx: MapContext, stubs: readonly Stub[]): NameCandidate[] {
  return [...ctx.of(T.vnet).map((v) => ({ id: v.id, name: v.name, resourceGroup: v.resourceGroup ?? idParts(v.id).resourceGroup })), ...stubs];
}

export function mapVnets(ctx: MapContext, stubs: readonly Stub[], region: string | undefined): Named[] {
  const out: Named[] = [];
  for (const v of ctx.of(T.vnet)) {
    const key = ctx.names.key('vnets', v.id)!;
    const o: DraftObject = {};
    comment(o, ctx.origin(v, 'vnets'));
    const space = ctx.texts(isObject(v.properties.addressSpace) ? v.properties.addressSpace.addressPrefixes : undefined, o, `address space of VNet ${v.name}`);
    o.addressSpace = space;
    const loc = ctx.text(v.location, {}, 'location');
    if (typeof loc === 'string' && region && normRegion(loc) !== normRegion(region)) o.region = normRegion(loc);
    const dns = isObject(v.properties.dhcpOptions) ? ctx.texts(v.properties.dhcpOptions.dnsServers, o, `DNS servers of VNet ${v.name}`) : [];
    if (dns.length > 0) o.dnsServers = dns;
    const subnets: DraftObject = {};
    for (const s of subnetsOf(ctx, v)) subnets[s.name] = mapSubnet(ctx, s);
    if (Object.keys(subnets).length > 0) o.subnets = subnets;
    const peerings: DraftObject = {};
    for (const p of peeringsOf(ctx, v)) {
      const mapped = mapPeering(ctx, p, v);
      if (mapped) peerings[p.name] = mapped;
    }
    if (Object.keys(peerings).length > 0) o.peerings = peerings;
    out.push({ key, value: o });
  }
  for (const s of stubs) {
    const o: DraftObject = { addressSpace: s.prefixes };
    comment(o, `${s.id} (named ${ctx.names.key('vnets', s.id)}): not in the input; known only from a peering of ${s.seenFrom.name}, which tells its address space. Import it for its subnets and its side of the peering.`);
    out.push({ key: ctx.names.key('vnets', s.id)!, value: o });
  }
  return out;
}

function mapPeering(ctx: MapContext, p: RawPeering, vnet: ArmResource): DraftObject | undefined {
  const o: DraftObject = {};
  if (p.from !== vnet) comment(o, ctx.origin(p.from));
  const id = ctx.idOf(p.properties.remoteVirtualNetwork, o, `remote VNet of peering ${p.name}`);
  if (id === undefined) return undefined;
  if (id instanceof Unknown) o.remoteVirtualNetwork = id;
  else {
    const key = ctx.names.key('vnets', id);
    if (!key) {
      ctx.issues.warning(`peering '${p.name}' of VNet '${vnet.name}' goes to ${id}, which is not in the input and whose address space the peering does not tell; it is left out`, atOf(p.from), 'import the remote VNet too (it may live in another subscription)');
      ctx.leftOut.push([`not imported: peering ${p.name} of VNet ${vnet.name} (${ctx.origin(p.from)})`, `its remote VNet ${id} is not in the input and the peering does not tell its address space`]);
      return undefined;
    }
    o.remoteVirtualNetwork = key;
  }
  const flag = (field: string, dflt: boolean) => {
    const b = ctx.bool(p.properties[field], o, `${field} of peering ${p.name}`);
    if (b !== undefined && b !== dflt) o[field] = b;
  };
  flag('allowVirtualNetworkAccess', true);
  flag('allowForwardedTraffic', false);
  flag('allowGatewayTransit', false);
  flag('useRemoteGateways', false);
  const state = p.properties.peeringState;
  if (typeof state === 'string' && state.toLowerCase() === 'disconnected') comment(o, 'peeringState: Disconnected in Azure (the remote side was deleted or reset): it carries no traffic until it is re-created');
  return o;
}

/** Azure region names are written without spaces in lower case ('East US' -> eastus). */
export function normRegion(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}
