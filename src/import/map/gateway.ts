/**
 * VPN and ExpressRoute gateways. The on-premises prefixes behind a VPN
 * gateway come from its connections' local network gateways and its
 * point-to-site client pool; ExpressRoute prefixes are learned by BGP and
 * are not in any ARM resource, so they are left for the user to add.
 */
import { isObject, type Value } from '../template/values.js';
import { idKey } from '../resource.js';
import { props } from '../inputs/normalise.js';
import { T } from '../types.js';
import type { MapContext } from './context.js';
import { comment, Unknown, type DraftObject, type Named } from './draft.js';

function refId(v: Value | undefined): string | undefined {
  const id = isObject(v) ? v.id : v;
  return typeof id === 'string' ? id : undefined;
}

export function mapGateways(ctx: MapContext): Named[] {
  const out: Named[] = [];
  for (const g of ctx.of(T.gateway)) {
    const o: DraftObject = {};
    comment(o, ctx.origin(g, 'virtualNetworkGateways'));
    const configs = (Array.isArray(g.properties.ipConfigurations) ? g.properties.ipConfigurations : []).filter(isObject).map((c) => props(c));
    const subnet = ctx.subnetRef(configs.find((c) => c.subnet)?.subnet, o, `subnet of gateway ${g.name}`, g);
    if (subnet !== undefined) o.vnet = typeof subnet === 'string' ? subnet.split('/')[0] : subnet;
    const type = ctx.text(g.properties.gatewayType, o, `gatewayType of gateway ${g.name}`);
    if (type !== undefined) o.gatewayType = type;
    const prefixes: (string | Unknown)[] = [];
    for (const conn of ctx.of(T.connection)) {
      if (refId(conn.properties.virtualNetworkGateway1) === undefined || idKey(refId(conn.properties.virtualNetworkGateway1)!) !== idKey(g.id)) continue;
      const lng = ctx.get(refId(conn.properties.localNetworkGateway2));
      if (!lng) continue;
      comment(o, `connection ${conn.name} to ${lng.name}`);
      const space = lng.properties.localNetworkAddressSpace;
      prefixes.push(...ctx.texts(isObject(space) ? space.addressPrefixes : undefined, o, `address space of local network gateway ${lng.name}`));
    }
    const p2s = isObject(g.properties.vpnClientConfiguration) && isObject(g.properties.vpnClientConfiguration.vpnClientAddressPool) ? g.properties.vpnClientConfiguration.vpnClientAddressPool.addressPrefixes : undefined;
    const clients = ctx.texts(p2s, o, `VPN client pool of gateway ${g.name}`);
    if (clients.length > 0) comment(o, `point-to-site client pool: ${clients.map((c) => (c instanceof Unknown ? c.text : c)).join(', ')}`);
    prefixes.push(...clients);
    if (prefixes.length > 0) o.remoteAddressPrefixes = [...new Set(prefixes)];
    else if (typeof type === 'string' && /expressroute/i.test(type)) comment(o, 'remoteAddressPrefixes: the on-premises prefixes are learned by BGP and are not in the ARM resources; add them here');
    const bgp = ctx.bool(g.properties.enableBgp, o, `enableBgp of gateway ${g.name}`);
    if (bgp === true) o.bgp = true;
    out.push({ key: ctx.names.key('virtualNetworkGateways', g.id)!, value: o });
  }
  return out;
}
