/** A VNet's subnets, inline (`properties.subnets`) and as child resources, mapped to the format's subnet objects. */
import { props } from '../inputs/normalise.js';
import type { ArmResource } from '../resource.js';
import { isObject, Unresolved, type Value } from '../template/values.js';
import { T } from '../types.js';
import type { MapContext } from './context.js';
import { comment, Unknown, type DraftObject } from './draft.js';

export interface RawSubnet {
  readonly id: string;
  readonly name: string;
  readonly properties: { readonly [key: string]: Value };
  readonly from: ArmResource;
}

/** Inline subnets first; a child resource of the same name replaces the inline one (later declarations win in ARM). */
export function subnetsOf(ctx: MapContext, vnet: ArmResource): RawSubnet[] {
  const out = new Map<string, RawSubnet>();
  const inline = vnet.properties.subnets;
  if (Array.isArray(inline)) {
    for (const s of inline) {
      if (!isObject(s) || typeof s.name !== 'string') continue;
      out.set(s.name.toLowerCase(), { id: typeof s.id === 'string' ? s.id : `${vnet.id}/subnets/${s.name}`, name: s.name, properties: props(s), from: vnet });
    }
  }
  for (const c of ctx.children(vnet, T.subnet)) out.set(c.name.toLowerCase(), { id: c.id, name: c.name, properties: c.properties, from: c });
  return [...out.values()];
}

/** Address prefixes as text, for the stand-in address allocation (unresolved ones are left out). */
export function subnetPrefixTexts(s: RawSubnet): string[] {
  const p = s.properties;
  const list = Array.isArray(p.addressPrefixes) && p.addressPrefixes.length > 0 ? p.addressPrefixes : [p.addressPrefix];
  return list.filter((x): x is string => typeof x === 'string');
}

export function mapSubnet(ctx: MapContext, s: RawSubnet): DraftObject {
  const o: DraftObject = {};
  const p = s.properties;
  // A subnet declared as a resource of its own says where; an inline one is covered by its VNet's comment.
  if (s.from.type.toLowerCase() === T.subnet.toLowerCase()) comment(o, ctx.origin(s.from));
  const prefixes = Array.isArray(p.addressPrefixes) && p.addressPrefixes.length > 0 ? ctx.texts(p.addressPrefixes, o, `addressPrefixes of subnet ${s.name}`) : ctx.texts(p.addressPrefix, o, `addressPrefix of subnet ${s.name}`);
  if (prefixes.length === 1) o.addressPrefix = prefixes[0];
  else if (prefixes.length > 1) o.addressPrefixes = prefixes;
  const nsg = ctx.ref('networkSecurityGroups', p.networkSecurityGroup, o, 'networkSecurityGroup', s.from);
  if (nsg !== undefined) o.networkSecurityGroup = nsg;
  const rt = ctx.ref('routeTables', p.routeTable, o, 'routeTable', s.from);
  if (rt !== undefined) o.routeTable = rt;
  const nat = ctx.ref('natGateways', p.natGateway, o, 'natGateway', s.from);
  if (nat !== undefined) o.natGateway = nat;
  const doa = ctx.bool(p.defaultOutboundAccess, o, `defaultOutboundAccess of subnet ${s.name}`);
  if (doa !== undefined) o.defaultOutboundAccess = doa;
  const endpoints = Array.isArray(p.serviceEndpoints) ? p.serviceEndpoints.flatMap((e) => (isObject(e) ? [ctx.text(props(e).service ?? e.service, o, 'service endpoint')] : [])).filter((x): x is string | Unknown => x !== undefined) : [];
  if (endpoints.length > 0) o.serviceEndpoints = endpoints;
  const policies = Array.isArray(p.serviceEndpointPolicies) ? p.serviceEndpointPolicies.map((x) => endpointPolicy(ctx, x, o, s)).filter((x): x is DraftObject => x !== undefined) : [];
  if (policies.length > 0) o.serviceEndpointPolicies = policies;
  const pe = ctx.text(p.privateEndpointNetworkPolicies, o, `privateEndpointNetworkPolicies of subnet ${s.name}`);
  if (pe !== undefined && !(typeof pe === 'string' && pe.toLowerCase() === 'disabled')) o.privateEndpointNetworkPolicies = pe;
  return o;
}

/** A service endpoint policy: the storage accounts its definitions allow, as resources keys. */
function endpointPolicy(ctx: MapContext, ref: Value, o: DraftObject, s: RawSubnet): DraftObject | undefined {
  const id = ctx.idOf(ref, o, 'service endpoint policy');
  if (id === undefined) return undefined;
  if (id instanceof Unknown) return { resources: [id] };
  const policy = ctx.get(id);
  if (!policy) {
    ctx.issues.warning(`subnet ${s.name} uses service endpoint policy ${id}, which is not in the input; topo validate reports the placeholder until it is imported`, { file: s.from.origin.file, line: s.from.origin.line });
    return { name: id.split('/').at(-1) ?? id, resources: [ctx.marker(`service endpoint policy ${id} is not in the input`)] };
  }
  const resources: (string | Unknown)[] = [];
  const defs = Array.isArray(policy.properties.serviceEndpointPolicyDefinitions) ? policy.properties.serviceEndpointPolicyDefinitions : [];
  for (const d of defs) {
    const dp = props(d);
    for (const r of Array.isArray(dp.serviceResources) ? dp.serviceResources : []) {
      const rid = ctx.text(r, o, 'service endpoint policy resource');
      if (rid === undefined) continue;
      if (rid instanceof Unknown) resources.push(rid);
      else if (/\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i.test(rid)) resources.push(ctx.names.key('resources', rid) ?? rid.split('/').at(-1)!);
      // A definition naming a whole subscription or resource group: the format lists accounts one by one.
      else resources.push(ctx.unknown(new Unresolved(`the policy allows every storage account in ${rid}; list the accounts instead`, rid), o, `service endpoint policy ${policy.name}`));
    }
  }
  const out: DraftObject = { name: policy.name, resources };
  comment(out, ctx.origin(policy));
  return out;
}
