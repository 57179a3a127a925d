/**
 * PaaS resources: storage accounts, key vaults, container registries,
 * Machine Learning workspaces and the other types topo models, with their
 * public network access and network rules. A private endpoint's target of a
 * type topo does not model is written with its type only, which topo treats
 * as unknown downstream; a target of a modelled type that the input lacks is
 * not invented (its settings would be guesses) and validate reports it.
 */
import { resourceType } from '../../catalog/resource-types.js';
import { idKey, idParts, type ArmResource } from '../resource.js';
import { isObject, type Value } from '../template/values.js';

import { idTypeOf, type MapContext } from './context.js';
import { comment, Unknown, type DraftObject, type Named } from './draft.js';
import type { NameCandidate } from './names.js';
import { normRegion } from './vnet.js';

export interface PaasPlan {
  readonly resources: readonly ArmResource[];
  /** Private endpoint targets of types topo does not model, absent from the input. */
  readonly foreignTargets: readonly { id: string; type: string; seenFrom: string }[];
}

export function planPaas(ctx: MapContext, targets: readonly { id: string; pe: string }[]): PaasPlan {
  const resources = ctx.resources.filter((r) => resourceType(r.type) !== undefined);
  const have = new Set(resources.map((r) => idKey(r.id)));
  const foreign = new Map<string, { id: string; type: string; seenFrom: string }>();
  for (const t of targets) {
    const type = idTypeOf(t.id);
    if (have.has(idKey(t.id)) || resourceType(type) || foreign.has(idKey(t.id)) || !type) continue;
    foreign.set(idKey(t.id), { id: t.id, type, seenFrom: t.pe });
  }
  return { resources, foreignTargets: [...foreign.values()] };
}

export function paasCandidates(plan: PaasPlan): NameCandidate[] {
  return [...plan.resources.map((r) => ({ id: r.id, name: r.name, resourceGroup: r.resourceGroup ?? idParts(r.id).resourceGroup })), ...plan.foreignTargets.map((t) => ({ id: t.id, name: idParts(t.id).name, resourceGroup: idParts(t.id).resourceGroup }))];
}

function rules(ctx: MapContext, v: Value | undefined, field: 'value' | 'id', o: DraftObject, what: string, from: ArmResource): (string | Unknown)[] {
  const out: (string | Unknown)[] = [];
  for (const r of Array.isArray(v) ? v : []) {
    if (field === 'id') {
      const s = ctx.subnetRef(isObject(r) ? (r.id ?? r.virtualNetworkResourceId) : r, o, what, from);
      if (s !== undefined) out.push(s);
    } else {
      const t = ctx.text(isObject(r) ? (r.value ?? r.ipAddressOrRange ?? r.addressPrefix) : r, o, what);
      if (t !== undefined) out.push(t);
    }
  }
  return out;
}

function acls(ctx: MapContext, r: ArmResource, o: DraftObject): DraftObject | undefined {
  const p = r.properties;
  const raw = isObject(p.networkAcls) ? p.networkAcls : isObject(p.networkRuleSet) ? p.networkRuleSet : undefined;
  if (!raw) return undefined;
  const a: DraftObject = {};
  const d = ctx.text(raw.defaultAction, o, `defaultAction of ${r.name}`);
  if (d !== undefined) a.defaultAction = d;
  const bypass = raw.bypass ?? p.networkRuleBypassOptions;
  const b = ctx.text(bypass, o, `bypass of ${r.name}`);
  if (typeof b === 'string') a.bypass = b.split(',').map((x) => x.trim()).filter(Boolean);
  else if (b instanceof Unknown) a.bypass = [b];
  const ip = rules(ctx, raw.ipRules, 'value', o, `IP rule of ${r.name}`, r);
  if (ip.length > 0) a.ipRules = ip;
  const vnet = rules(ctx, raw.virtualNetworkRules, 'id', o, `virtual network rule of ${r.name}`, r);
  if (vnet.length > 0) a.virtualNetworkRules = vnet;
  return a;
}

function managedNetwork(ctx: MapContext, r: ArmResource, o: DraftObject): DraftObject | undefined {
  const m = r.properties.managedNetwork;
  if (!isObject(m)) return undefined;
  const out: DraftObject = {};
  const mode = ctx.text(m.isolationMode, o, `isolationMode of ${r.name}`);
  if (mode !== undefined) out.isolationMode = mode;
  const rulesOut: DraftObject = {};
  for (const [name, raw] of Object.entries(isObject(m.outboundRules) ? m.outboundRules : {})) {
    if (!isObject(raw)) continue;
    const rule: DraftObject = {};
    const type = ctx.text(raw.type, o, `type of outbound rule ${name}`);
    if (type !== undefined) rule.type = type;
    const dest = raw.destination;
    if (isObject(dest)) {
      const target = ctx.text(dest.serviceResourceId ?? dest.serviceTag, o, `destination of outbound rule ${name}`);
      if (typeof target === 'string') rule.destination = target.startsWith('/') ? ctx.names.key('resources', target) ?? idParts(target).name : target;
      else if (target !== undefined) rule.destination = target;
      const sub = ctx.text(dest.subresourceTarget, o, `subresourceTarget of outbound rule ${name}`);
      if (sub !== undefined) rule.subresourceTarget = sub;
      const protocol = ctx.text(dest.protocol, o, `protocol of outbound rule ${name}`);
      if (protocol !== undefined) rule.protocol = protocol;
      const ports = ctx.text(dest.portRanges, o, `portRanges of outbound rule ${name}`);
      if (ports !== undefined) rule.portRanges = ports;
    } else {
      const t = ctx.text(dest, o, `destination of outbound rule ${name}`);
      if (t !== undefined) rule.destination = t;
    }
    rulesOut[name] = rule;
  }
  if (Object.keys(rulesOut).length > 0) out.outboundRules = rulesOut;
  return out;
}

export function mapPaas(ctx: MapContext, plan: PaasPlan, region: string | undefined): Named[] {
  const out: Named[] = [];
  for (const r of plan.resources) {
    const o: DraftObject = {};
    comment(o, ctx.origin(r, 'resources'));
    o.type = resourceType(r.type)!.type;
    const loc = ctx.text(r.location, {}, 'location');
    if (typeof loc === 'string' && region && normRegion(loc) !== normRegion(region) && normRegion(loc) !== 'global') o.region = normRegion(loc);
    const pna = ctx.text(r.properties.publicNetworkAccess, o, `publicNetworkAccess of ${r.name}`);
    if (pna !== undefined) o.publicNetworkAccess = typeof pna === 'string' && /^securedbyperimeter$/i.test(pna) ? ctx.marker(`publicNetworkAccess ${pna}: a network security perimeter decides`) : pna;
    const a = acls(ctx, r, o);
    if (a) o.networkAcls = a;
    const sku = ctx.text(isObject(r.sku) ? r.sku.name : undefined, o, `SKU of ${r.name}`);
    if (sku !== undefined && r.type.toLowerCase() === 'microsoft.containerregistry/registries') o.sku = sku;
    if (r.type.toLowerCase() === 'microsoft.machinelearningservices/workspaces') {
      const m = managedNetwork(ctx, r, o);
      if (m) o.managedNetwork = m;
    }
    out.push({ key: ctx.names.key('resources', r.id)!, value: o });
  }
  for (const t of plan.foreignTargets) {
    const o: DraftObject = { type: t.type };
    comment(o, `${t.id}: known only as the target of private endpoint ${t.seenFrom}; topo has no model of ${t.type}, so paths to it are unknown`);
    out.push({ key: ctx.names.key('resources', t.id)!, value: o });
  }
  return out;
}


