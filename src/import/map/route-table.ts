/** Route tables and their routes (inline and as child resources). */
import { props } from '../inputs/normalise.js';
import type { ArmResource } from '../resource.js';
import { isObject, type Value } from '../template/values.js';
import { T } from '../types.js';
import type { MapContext } from './context.js';
import { comment, type DraftObject, type Named } from './draft.js';

interface RawRoute {
  readonly name: string;
  readonly properties: { readonly [key: string]: Value };
  readonly from: ArmResource;
}

function routesOf(ctx: MapContext, table: ArmResource): RawRoute[] {
  const out = new Map<string, RawRoute>();
  const inline = table.properties.routes;
  if (Array.isArray(inline)) for (const r of inline) if (isObject(r) && typeof r.name === 'string') out.set(r.name.toLowerCase(), { name: r.name, properties: props(r), from: table });
  for (const c of ctx.children(table, T.route)) out.set(c.name.toLowerCase(), { name: c.name, properties: c.properties, from: c });
  return [...out.values()];
}

export function mapRouteTables(ctx: MapContext): Named[] {
  return ctx.of(T.routeTable).map((t) => {
    const o: DraftObject = {};
    comment(o, ctx.origin(t, 'routeTables'));
    const bgp = ctx.bool(t.properties.disableBgpRoutePropagation, o, `disableBgpRoutePropagation of route table ${t.name}`);
    if (bgp !== undefined && bgp !== false) o.disableBgpRoutePropagation = bgp;
    const routes = routesOf(ctx, t).map((r) => {
      const ro: DraftObject = { name: r.name };
      if (r.from !== t) comment(ro, ctx.origin(r.from));
      const prefix = ctx.text(r.properties.addressPrefix, ro, `addressPrefix of route ${r.name}`);
      if (prefix !== undefined) ro.addressPrefix = prefix;
      const hop = ctx.text(r.properties.nextHopType, ro, `nextHopType of route ${r.name}`);
      if (hop !== undefined) ro.nextHopType = hop;
      const ip = ctx.text(r.properties.nextHopIpAddress, ro, `nextHopIpAddress of route ${r.name}`);
      if (ip !== undefined && ip !== '') ro.nextHopIpAddress = ip;
      return ro;
    });
    if (routes.length > 0) o.routes = routes;
    return { key: ctx.names.key('routeTables', t.id)!, value: o };
  });
}
