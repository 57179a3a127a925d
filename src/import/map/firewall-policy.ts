/** Firewall policies and their rule collection groups (child resources, ordered by priority). */
import { props } from '../inputs/normalise.js';
import { idKey, type ArmResource } from '../resource.js';
import { isObject } from '../template/values.js';
import { T } from '../types.js';
import { atOf, type MapContext } from './context.js';
import { comment, Unknown, type DraftObject, type Named } from './draft.js';
import { mapFirewallRule, ruleKind } from './firewall-rules.js';

/** ARM takes "200" for 200. */
function priorityOf(r: ArmResource): number {
  const p = r.properties.priority;
  return typeof p === 'number' ? p : typeof p === 'string' && /^\d+$/.test(p) ? Number(p) : Number.MAX_SAFE_INTEGER;
}

export function mapFirewallPolicies(ctx: MapContext): Named[] {
  return ctx.of(T.firewallPolicy).map((policy) => {
    const o: DraftObject = {};
    comment(o, ctx.origin(policy, 'firewallPolicies'));
    const p = policy.properties;
    const base = ctx.ref('firewallPolicies', p.basePolicy, o, 'basePolicy', policy);
    if (base !== undefined) o.basePolicy = base;
    const tier = ctx.text(isObject(p.sku) ? p.sku.tier : undefined, o, `SKU of policy ${policy.name}`);
    if (tier !== undefined) o.sku = tier;
    const ti = ctx.text(p.threatIntelMode, o, `threatIntelMode of policy ${policy.name}`);
    if (ti !== undefined) o.threatIntelMode = ti;
    const proxy = ctx.bool(isObject(p.dnsSettings) ? p.dnsSettings.enableProxy : undefined, o, `DNS proxy of policy ${policy.name}`);
    if (proxy !== undefined) o.dnsProxy = proxy;
    if (isObject(p.snat) && p.snat.privateRanges !== undefined) o.snat = { privateRanges: ctx.texts(p.snat.privateRanges, o, `SNAT private ranges of policy ${policy.name}`) };
    const groups = ctx.children(policy, T.ruleCollectionGroup).sort((a, b) => priorityOf(a) - priorityOf(b));
    const mapped = groups.map((g) => mapGroup(ctx, g));
    // Resource Graph lists a policy's groups by id only: a group missing from the input must not read as "no rules".
    const have = new Set(groups.map((g) => idKey(g.id)));
    for (const ref of Array.isArray(p.ruleCollectionGroups) ? p.ruleCollectionGroups : []) {
      const id = isObject(ref) && typeof ref.id === 'string' ? ref.id : undefined;
      if (!id || have.has(idKey(id))) continue;
      const name = id.split('/').at(-1) ?? id;
      ctx.issues.warning(`rule collection group ${name} of firewall policy '${policy.name}' is not in the input; the scenario marks it unresolved`, atOf(policy), 'import the groups too: az network firewall policy rule-collection-group list --policy-name NAME -g GROUP -o json');
      const g: DraftObject = { name, priority: ctx.marker(`rule collection group ${name} is not in the input`) };
      comment(g, `${id} is not in the input: its rules are unknown`);
      mapped.push(g);
    }
    if (mapped.length > 0) o.ruleCollectionGroups = mapped;
    return { key: ctx.names.key('firewallPolicies', policy.id)!, value: o };
  });
}

function mapGroup(ctx: MapContext, g: ArmResource): DraftObject {
  const o: DraftObject = { name: g.name };
  comment(o, ctx.origin(g));
  const priority = ctx.int(g.properties.priority, o, `priority of rule collection group ${g.name}`);
  if (priority !== undefined) o.priority = priority;
  const collections: DraftObject[] = [];
  for (const c of Array.isArray(g.properties.ruleCollections) ? g.properties.ruleCollections : []) {
    if (!isObject(c)) continue;
    const cp = props(c);
    const name = typeof c.name === 'string' ? c.name : 'collection';
    const co: DraftObject = { name };
    const cprio = ctx.int(cp.priority, co, `priority of rule collection ${name}`);
    if (cprio !== undefined) co.priority = cprio;
    const type = ctx.text(cp.ruleCollectionType, co, `type of rule collection ${name}`);
    if (type !== undefined) co.ruleCollectionType = type;
    const action = ctx.text(isObject(cp.action) ? cp.action.type : cp.action, co, `action of rule collection ${name}`);
    if (action !== undefined) co.action = typeof action === 'string' && action.toUpperCase() === 'DNAT' ? 'Dnat' : action;
    const rules: DraftObject[] = [];
    for (const r of Array.isArray(cp.rules) ? cp.rules : []) {
      const kind = isObject(r) ? ruleKind(r.ruleType) : undefined;
      if (!kind) {
        ctx.issues.warning(`rule collection ${name} of ${g.name} holds a rule of unknown type ${isObject(r) ? String(r.ruleType) : ''}; it is not imported`, { file: g.origin.file, line: g.origin.line });
        continue;
      }
      const m = mapFirewallRule(ctx, r, kind, g, false);
      if (m) rules.push(m);
    }
    if (rules.length > 0) co.rules = rules;
    if (type instanceof Unknown || action instanceof Unknown) comment(co, 'the collection type or action is unresolved');
    collections.push(co);
  }
  if (collections.length > 0) o.ruleCollections = collections;
  return o;
}
