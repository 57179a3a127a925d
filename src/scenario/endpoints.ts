/**
 * Resolution of intent endpoints (`from:` / `to:`), in the forms of the
 * format: host, vnet/subnet, vnet, private endpoint, resource,
 * resource/groupId, external, tag:X, CIDR, and `internet`. A name that
 * several kinds share must be written with a kind prefix (host:x, vnet:x,
 * subnet:v/s, pe:x, resource:x, external:x). `managed:<workspace>` is the
 * compute in an Azure ML workspace's managed virtual network (a topo
 * extension, docs/scenario-format.md).
 */
import { canonicalGroupId, resourceType } from '../catalog/resource-types.js';
import { didYouMean } from '../net/text.js';
import { managedServices } from '../catalog/managed-services.js';
import { looksLikeIpv6, parsePrefix } from '../net/ipv4.js';
import type { Resource, Scenario } from './types.js';

export type EndpointRef =
  | { readonly kind: 'internet' }
  | { readonly kind: 'tag'; readonly tag: string }
  /** Packets addressed to a host name (flow sets: `fqdn:login.microsoftonline.com`). */
  | { readonly kind: 'fqdn'; readonly name: string }
  /** A Microsoft-managed service without fixed names (flow sets: `service:azureml-storage`). */
  | { readonly kind: 'service'; readonly id: string }
  | { readonly kind: 'cidr'; readonly text: string }
  | { readonly kind: 'host'; readonly name: string }
  | { readonly kind: 'subnet'; readonly vnet: string; readonly subnet: string }
  | { readonly kind: 'vnet'; readonly name: string }
  | { readonly kind: 'privateEndpoint'; readonly name: string }
  | { readonly kind: 'resource'; readonly name: string; readonly groupId?: string }
  | { readonly kind: 'external'; readonly name: string }
  /** The compute (instances, clusters, serverless) in a workspace's managed virtual network. */
  | { readonly kind: 'managed'; readonly workspace: string };

export type EndpointResolution = { readonly ok: true; readonly ref: EndpointRef } | { readonly ok: false; readonly message: string; readonly hint?: string };

const PREFIXES: Record<string, EndpointRef['kind']> = {
  host: 'host',
  vnet: 'vnet',
  subnet: 'subnet',
  pe: 'privateEndpoint',
  privateendpoint: 'privateEndpoint',
  resource: 'resource',
  external: 'external',
};

export function resolveEndpoint(s: Scenario, raw: string): EndpointResolution {
  const text = raw.trim();
  if (text === '') return { ok: false, message: 'the endpoint is empty', hint: 'name a host, vnet/subnet, resource, external, tag:Name, a CIDR or internet' };
  if (text.toLowerCase() === 'internet') return { ok: true, ref: { kind: 'internet' } };
  // Before the kind prefixes: an IPv6 address also contains ':'.
  if (looksLikeIpv6(text)) return { ok: false, message: `'${text}' looks like IPv6, which topo does not model yet` };
  const colon = text.indexOf(':');
  if (colon > 0) {
    const prefix = text.slice(0, colon).toLowerCase();
    const rest = text.slice(colon + 1).trim();
    if (prefix === 'tag') return rest ? { ok: true, ref: { kind: 'tag', tag: rest } } : { ok: false, message: `'${text}' names no service tag` };
    if (prefix === 'service') {
      const known = managedServices().map((m) => m.id);
      if (known.includes(rest)) return { ok: true, ref: { kind: 'service', id: rest } };
      const guess = didYouMean(rest, known);
      return { ok: false, message: `'${text}' names no Microsoft-managed service topo knows`, hint: guess ? `did you mean 'service:${guess}'?` : `known: ${known.join(', ')}` };
    }
    if (prefix === 'managed') return managedCompute(s, rest, text);
    if (prefix === 'fqdn') {
      const name = rest.toLowerCase().replace(/\.$/, '');
      return /^[a-z0-9_]([a-z0-9_-]{0,62})?(\.[a-z0-9_]([a-z0-9_-]{0,62})?)+$/.test(name) ? { ok: true, ref: { kind: 'fqdn', name } } : { ok: false, message: `'${text}' is not a host name` };
    }
    const kind = PREFIXES[prefix];
    if (!kind) return { ok: false, message: `'${prefix}:' is not an endpoint kind`, hint: `use one of tag:, ${Object.keys(PREFIXES).map((p) => `${p}:`).join(', ')}, managed:` };
    return resolveAs(s, kind, rest, text);
  }
  // Names may start with a digit too (`1vm`): only what names nothing is read as an address.
  if (/^[0-9]/.test(text) && !namesSomething(s, text)) {
    const parsed = parsePrefix(text);
    if (parsed.ok) return { ok: true, ref: { kind: 'cidr', text } };
    if (parsed.reason === 'host-bits') return { ok: false, message: `'${text}' has host bits set`, hint: `did you mean ${parsed.canonical}?` };
    return { ok: false, message: `'${text}' is not an IPv4 address or CIDR prefix` };
  }
  const slash = text.indexOf('/');
  if (slash > 0) {
    const left = text.slice(0, slash);
    const right = text.slice(slash + 1);
    const vnet = s.vnets.get(left);
    if (vnet?.subnets.has(right)) return { ok: true, ref: { kind: 'subnet', vnet: left, subnet: right } };
    if (s.resources.has(left)) return subResource(s, left, right, text);
    if (vnet) {
      const guess = didYouMean(right, vnet.subnets.keys());
      return { ok: false, message: `VNet '${left}' has no subnet '${right}'`, hint: guess ? `did you mean ${left}/${guess}?` : undefined };
    }
    const guess = didYouMean(left, [...s.vnets.keys(), ...s.resources.keys()]);
    return { ok: false, message: `'${text}' names neither a subnet (vnet/subnet) nor a resource sub-resource (resource/groupId)`, hint: guess ? `did you mean ${guess}/${right}?` : undefined };
  }
  const kinds: EndpointRef[] = [];
  if (s.hosts.has(text)) kinds.push({ kind: 'host', name: text });
  if (s.vnets.has(text)) kinds.push({ kind: 'vnet', name: text });
  if (s.privateEndpoints.has(text)) kinds.push({ kind: 'privateEndpoint', name: text });
  if (s.resources.has(text)) kinds.push({ kind: 'resource', name: text });
  if (s.externals.has(text)) kinds.push({ kind: 'external', name: text });
  if (kinds.length === 1) return { ok: true, ref: kinds[0] };
  if (kinds.length > 1) {
    const names = kinds.map((k) => prefixOf(k.kind));
    return { ok: false, message: `'${text}' is ambiguous: it names a ${kinds.map((k) => kindWord(k.kind)).join(' and a ')}`, hint: `write ${names.map((n) => `${n}:${text}`).join(' or ')}` };
  }
  const all = [...s.hosts.keys(), ...s.vnets.keys(), ...s.privateEndpoints.keys(), ...s.resources.keys(), ...s.externals.keys(), 'internet'];
  const guess = didYouMean(text, all);
  return {
    ok: false,
    message: `'${text}' names no host, VNet, private endpoint, resource or external`,
    hint: guess ? `did you mean '${guess}'?` : 'a subnet is written vnet/subnet, a service tag tag:Name',
  };
}

function resolveAs(s: Scenario, kind: EndpointRef['kind'], name: string, text: string): EndpointResolution {
  const missing = (what: string, names: Iterable<string>): EndpointResolution => {
    const guess = didYouMean(name, names);
    return { ok: false, message: `'${text}': no ${what} '${name}'`, hint: guess ? `did you mean '${guess}'?` : undefined };
  };
  switch (kind) {
    case 'host':
      return s.hosts.has(name) ? { ok: true, ref: { kind, name } } : missing('host', s.hosts.keys());
    case 'vnet':
      return s.vnets.has(name) ? { ok: true, ref: { kind, name } } : missing('VNet', s.vnets.keys());
    case 'privateEndpoint':
      return s.privateEndpoints.has(name) ? { ok: true, ref: { kind, name } } : missing('private endpoint', s.privateEndpoints.keys());
    case 'external':
      return s.externals.has(name) ? { ok: true, ref: { kind, name } } : missing('external', s.externals.keys());
    case 'resource': {
      const slash = name.indexOf('/');
      const res = slash < 0 ? name : name.slice(0, slash);
      if (!s.resources.has(res)) return missing('resource', s.resources.keys());
      return slash < 0 ? { ok: true, ref: { kind, name: res } } : subResource(s, res, name.slice(slash + 1), text);
    }
    case 'subnet': {
      const [vnet, subnet] = name.split('/', 2);
      if (s.vnets.get(vnet)?.subnets.has(subnet ?? '')) return { ok: true, ref: { kind, vnet, subnet } };
      return missing('subnet', [...s.vnets.values()].flatMap((v) => [...v.subnets.values()].map((x) => x.id)));
    }
    default:
      return { ok: false, message: `'${text}' cannot be resolved` };
  }
}

/**
 * `resource/groupId`: one sub-resource (F5.1.2), checked against the groupIds
 * of the resource's type (F5.1.3) and returned in their canonical spelling.
 * Types topo has no model for keep the groupId as written.
 */
function subResource(s: Scenario, name: string, groupId: string, text: string): EndpointResolution {
  if (groupId === '') return { ok: false, message: `'${text}' names no sub-resource after '/'`, hint: `write ${name} for all of it, or ${name}/<groupId>` };
  const info = resourceType(s.resources.get(name)!.type.value);
  if (!info) return { ok: true, ref: { kind: 'resource', name, groupId } };
  const canonical = canonicalGroupId(info, groupId);
  if (canonical) return { ok: true, ref: { kind: 'resource', name, groupId: canonical } };
  const groups = Object.keys(info.groups);
  const guess = didYouMean(groupId, groups);
  return { ok: false, message: `'${text}': a ${info.label} has no sub-resource '${groupId}' (F5.1.3)`, hint: guess ? `did you mean ${name}/${guess}?` : `its sub-resources: ${groups.join(', ')}` };
}

const WORKSPACE_TYPE = 'microsoft.machinelearningservices/workspaces';

/** Whether a workspace has a managed virtual network: isolationMode other than Disabled (its ARM default). */
export function hasManagedNetwork(r: Resource): boolean {
  const mode = r.managedNetwork?.isolationMode?.value;
  return r.type.value.toLowerCase() === WORKSPACE_TYPE && (mode === 'AllowInternetOutbound' || mode === 'AllowOnlyApprovedOutbound');
}

/** `managed:<workspace>`: the workspace must exist, be an Azure ML workspace, and have a managed virtual network. */
function managedCompute(s: Scenario, name: string, text: string): EndpointResolution {
  const withManaged = [...s.resources.values()].filter(hasManagedNetwork).map((r) => r.name);
  if (name === '') return { ok: false, message: `'${text}' names no workspace`, hint: withManaged.length ? `write managed:${withManaged[0]}` : 'write managed:<workspace> for a workspace with a managedNetwork' };
  const r = s.resources.get(name);
  if (!r) {
    const guess = didYouMean(name, withManaged.length ? withManaged : s.resources.keys());
    return { ok: false, message: `'${text}': no resource '${name}'`, hint: guess ? `did you mean 'managed:${guess}'?` : undefined };
  }
  if (r.type.value.toLowerCase() !== WORKSPACE_TYPE) {
    return { ok: false, message: `'${text}': '${name}' is a ${r.type.value}, not an Azure ML workspace (Microsoft.MachineLearningServices/workspaces)`, hint: withManaged.length ? `workspaces with a managed network: ${withManaged.join(', ')}` : undefined };
  }
  if (!hasManagedNetwork(r)) {
    return {
      ok: false,
      message: `'${text}': workspace '${name}' has no managed virtual network (isolationMode ${r.managedNetwork?.isolationMode?.value ?? 'Disabled (default)'}), so its compute runs in the design's own VNets`,
      hint: 'name the compute subnet or host instead, or set managedNetwork.isolationMode to AllowInternetOutbound or AllowOnlyApprovedOutbound',
    };
  }
  return { ok: true, ref: { kind: 'managed', workspace: name } };
}

/** Whether a text is the name of something an endpoint can be, or vnet/subnet, resource/x. */
function namesSomething(s: Scenario, text: string): boolean {
  const left = text.includes('/') ? text.slice(0, text.indexOf('/')) : text;
  return s.hosts.has(text) || s.vnets.has(left) || s.privateEndpoints.has(text) || s.resources.has(left) || s.externals.has(text);
}

function kindWord(kind: EndpointRef['kind']): string {
  return kind === 'privateEndpoint' ? 'private endpoint' : kind === 'vnet' ? 'VNet' : kind;
}

function prefixOf(kind: EndpointRef['kind']): string {
  return kind === 'privateEndpoint' ? 'pe' : kind;
}

export function endpointLabel(ref: EndpointRef): string {
  switch (ref.kind) {
    case 'internet':
      return 'internet';
    case 'tag':
      return `tag:${ref.tag}`;
    case 'fqdn':
      return `fqdn:${ref.name}`;
    case 'service':
      return `service:${ref.id}`;
    case 'cidr':
      return ref.text;
    case 'subnet':
      return `${ref.vnet}/${ref.subnet}`;
    case 'resource':
      return ref.groupId ? `${ref.name}/${ref.groupId}` : ref.name;
    case 'managed':
      return `managed:${ref.workspace}`;
    default:
      return ref.name;
  }
}
