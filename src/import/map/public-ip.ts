/** Public IP addresses and prefixes, read where something attaches them (NICs, firewalls, NAT gateways). */
import { idTypeOf, type MapContext } from './context.js';
import { comment, Unknown, type DraftObject } from './draft.js';
import { isObject, type Value } from '../template/values.js';
import { T } from '../types.js';

export interface PublicAddress {
  readonly ip: string | Unknown;
  readonly sku?: 'Standard' | 'Basic';
}

function skuOf(v: Value | undefined): 'Standard' | 'Basic' | undefined {
  const name = isObject(v) ? v.name : undefined;
  return typeof name === 'string' && /^basic$/i.test(name) ? 'Basic' : typeof name === 'string' && /^standard$/i.test(name) ? 'Standard' : undefined;
}

/** The address of the public IP a reference ({ id }) names: deployed, a stand-in, or unresolved. */
export function publicAddressOf(ctx: MapContext, ref: Value | undefined, o: DraftObject, what: string): PublicAddress | undefined {
  const id = ctx.idOf(ref, o, what);
  if (id === undefined) return undefined;
  if (id instanceof Unknown) return { ip: id };
  const pip = ctx.get(id);
  if (!pip) {
    if (idTypeOf(id).toLowerCase() === T.publicIp.toLowerCase()) {
      ctx.issues.warning(`${what} is ${id}, which is not in the input; its address is unknown`);
      return { ip: ctx.marker(`public IP ${id.split('/').at(-1)} is not in the input`) };
    }
    return undefined;
  }
  const deployed = pip.properties.ipAddress;
  const a = ctx.addresses.publicIp(pip.id, typeof deployed === 'string' ? deployed : undefined);
  const sku = skuOf(pip.sku);
  if (!a.ip) return { ip: ctx.marker(`public IP ${pip.name}: ${a.why}`), sku };
  if (a.standIn) {
    ctx.standIns++;
    comment(o, `${what}: ${a.ip} is a stand-in for the address Azure assigns to ${pip.name} at deploy time`);
  }
  return { ip: a.ip, sku };
}

/** A public IP prefix as CIDR; a template's prefix is only known by its length, so it stays unresolved. */
export function publicPrefixOf(ctx: MapContext, ref: Value, o: DraftObject, what: string): string | Unknown | undefined {
  const id = ctx.idOf(ref, o, what);
  if (id === undefined || id instanceof Unknown) return id;
  const p = ctx.get(id);
  const prefix = p?.properties.ipPrefix;
  if (typeof prefix === 'string') return prefix;
  ctx.issues.warning(`${what}: the addresses of public IP prefix ${id.split('/').at(-1)} are assigned by Azure at deploy time; written as unknown`);
  return ctx.marker(`public IP prefix ${id.split('/').at(-1)}: assigned at deploy time`);
}
