/**
 * Network security groups with their custom rules, and application security
 * groups. Azure's six default rules are part of every NSG in the format, so
 * when an export lists them among the rules (`az network nsg rule list
 * --include-default`) they are recognised and not written again.
 */
import { props } from '../inputs/normalise.js';
import { idParts, type ArmResource } from '../resource.js';
import { isObject, type Value } from '../template/values.js';
import { T } from '../types.js';
import type { MapContext } from './context.js';
import { comment, type DraftObject, type Named, type Unknown } from './draft.js';

const DEFAULT_RULES = new Map([
  ['allowvnetinbound|inbound|65000', true],
  ['allowazureloadbalancerinbound|inbound|65001', true],
  ['denyallinbound|inbound|65500', true],
  ['allowvnetoutbound|outbound|65000', true],
  ['allowinternetoutbound|outbound|65001', true],
  ['denyalloutbound|outbound|65500', true],
]);

interface RawRule {
  readonly name: string;
  readonly properties: { readonly [key: string]: Value };
  readonly from: ArmResource;
}

function rulesOf(ctx: MapContext, nsg: ArmResource): RawRule[] {
  const out = new Map<string, RawRule>();
  const inline = nsg.properties.securityRules;
  if (Array.isArray(inline)) for (const r of inline) if (isObject(r) && typeof r.name === 'string') out.set(r.name.toLowerCase(), { name: r.name, properties: props(r), from: nsg });
  for (const c of ctx.children(nsg, T.nsgRule)) out.set(c.name.toLowerCase(), { name: c.name, properties: c.properties, from: c });
  return [...out.values()];
}

export function isDefaultRule(name: string, direction: unknown, priority: unknown): boolean {
  return DEFAULT_RULES.has(`${name.toLowerCase()}|${String(direction).toLowerCase()}|${String(priority)}`);
}

export function mapNsgs(ctx: MapContext): Named[] {
  const out: Named[] = [];
  let defaults = 0;
  for (const nsg of ctx.of(T.nsg)) {
    const o: DraftObject = {};
    comment(o, ctx.origin(nsg, 'networkSecurityGroups'));
    const rules: DraftObject[] = [];
    for (const r of rulesOf(ctx, nsg)) {
      if (isDefaultRule(r.name, r.properties.direction, r.properties.priority)) {
        defaults++;
        continue;
      }
      rules.push(mapRule(ctx, r));
    }
    rules.sort((a, b) => String(a.direction).localeCompare(String(b.direction)) || (typeof a.priority === 'number' && typeof b.priority === 'number' ? a.priority - b.priority : 0));
    if (rules.length > 0) o.securityRules = rules;
    out.push({ key: ctx.names.key('networkSecurityGroups', nsg.id)!, value: o });
  }
  if (defaults > 0) ctx.issues.note(`${defaults} Azure default NSG rules in the input were recognised; the format always includes them, so they are not written`);
  return out;
}

function pair(ctx: MapContext, p: { readonly [key: string]: Value }, o: DraftObject, singular: string, plural: string, what: string): void {
  const many = ctx.texts(p[plural], o, what);
  const one = ctx.texts(p[singular], o, what);
  const all = many.length > 0 ? many : one;
  if (all.length === 1) o[singular] = all[0];
  else if (all.length > 1) o[plural] = all;
}

function asgs(ctx: MapContext, v: Value | undefined, o: DraftObject, what: string, from: ArmResource): (string | Unknown)[] {
  if (!Array.isArray(v)) return [];
  return v.map((a) => ctx.ref('applicationSecurityGroups', a, o, what, from)).filter((x): x is string | Unknown => x !== undefined);
}

function mapRule(ctx: MapContext, r: RawRule): DraftObject {
  const p = r.properties;
  const o: DraftObject = { name: r.name };
  if (r.from.type.toLowerCase() === T.nsgRule.toLowerCase()) comment(o, ctx.origin(r.from));
  const what = `rule ${r.name}`;
  const priority = ctx.int(p.priority, o, `priority of ${what}`);
  if (priority !== undefined) o.priority = priority;
  for (const field of ['direction', 'access', 'protocol'] as const) {
    const v = ctx.text(p[field], o, `${field} of ${what}`);
    if (v !== undefined) o[field] = v;
  }
  pair(ctx, p, o, 'sourceAddressPrefix', 'sourceAddressPrefixes', `source of ${what}`);
  const srcAsgs = asgs(ctx, p.sourceApplicationSecurityGroups, o, `source ASG of ${what}`, r.from);
  if (srcAsgs.length > 0) o.sourceApplicationSecurityGroups = srcAsgs;
  pair(ctx, p, o, 'sourcePortRange', 'sourcePortRanges', `source ports of ${what}`);
  pair(ctx, p, o, 'destinationAddressPrefix', 'destinationAddressPrefixes', `destination of ${what}`);
  const dstAsgs = asgs(ctx, p.destinationApplicationSecurityGroups, o, `destination ASG of ${what}`, r.from);
  if (dstAsgs.length > 0) o.destinationApplicationSecurityGroups = dstAsgs;
  pair(ctx, p, o, 'destinationPortRange', 'destinationPortRanges', `destination ports of ${what}`);
  return o;
}

/** ASGs are a list of names in the format; membership is written on the hosts. */
export function mapAsgs(ctx: MapContext): { key: string; comments: string[] }[] {
  return ctx.of(T.asg).map((a) => ({ key: ctx.names.key('applicationSecurityGroups', a.id)!, comments: [ctx.origin(a, 'applicationSecurityGroups')] }));
}

export function asgCandidates(ctx: MapContext) {
  return ctx.of(T.asg).map((a) => ({ id: a.id, name: a.name, resourceGroup: a.resourceGroup ?? idParts(a.id).resourceGroup }));
}

