/** NAT gateways, with the public addresses they translate to (public IPs and public IP prefixes). */
import { isObject } from '../template/values.js';
import { T } from '../types.js';
import type { MapContext } from './context.js';
import { comment, Unknown, type DraftObject, type Named } from './draft.js';
import { publicAddressOf, publicPrefixOf } from './public-ip.js';

export function mapNatGateways(ctx: MapContext): Named[] {
  return ctx.of(T.natGateway).map((n) => {
    const o: DraftObject = {};
    comment(o, ctx.origin(n, 'natGateways'));
    const addresses: (string | Unknown)[] = [];
    for (const ref of Array.isArray(n.properties.publicIpAddresses) ? n.properties.publicIpAddresses : []) {
      const a = publicAddressOf(ctx, ref, o, `public IP of NAT gateway ${n.name}`);
      if (a) addresses.push(a.ip);
    }
    for (const ref of Array.isArray(n.properties.publicIpPrefixes) ? n.properties.publicIpPrefixes : []) {
      const p = publicPrefixOf(ctx, isObject(ref) ? ref : { id: ref }, o, `public IP prefix of NAT gateway ${n.name}`);
      if (p) addresses.push(p);
    }
    if (addresses.length > 0) o.publicIpAddresses = addresses;
    return { key: ctx.names.key('natGateways', n.id)!, value: o };
  });
}
