/**
 * `require: <set>` intents: one claim per flow of the set whose conditions
 * hold, with the bindings of `with:` and the intent's `from:` substituted.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import { PORT_MAX } from '../net/ports.js';
import { flowSet, type FlowData, type FlowSetData } from '../catalog/flowsets.js';
import { privateLinkCatalog, privateLinkGroup, zonesFor } from '../catalog/private-link.js';
import { expandFqdn, resourceType } from '../catalog/resource-types.js';
import { formatIpv4 } from '../net/ipv4.js';
import { bindingProblems } from '../scenario/checks/flowsets.js';
import { portSet } from '../model/nsg.js';
import type { Network } from '../model/types.js';
import { resolveEndpoint, type EndpointRef } from '../scenario/endpoints.js';
import type { Intent, Scenario } from '../scenario/types.js';
import { protocolSet, type Claim } from './check.js';

export type RequireIntent = Intent & { kind: 'require' };

export interface Expansion {
  readonly claims: Claim[];
  readonly problem?: string;
  /** Flows left out because their condition does not hold, with why. */
  readonly skipped: readonly { readonly id: string; readonly why: string }[];
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && /^(true|yes|1|on)$/i.test(v.trim());
}

/** Whether a condition of a flow holds for these bindings and this design. */
export function conditionHolds(cond: string, s: Scenario, bindings: ReadonlyMap<string, string>): boolean {
  const [op, arg] = cond.includes(':') ? (cond.split(':', 2) as [string, string]) : ['flag', cond];
  switch (op) {
    case 'flag':
      return truthy(bindings.get(arg));
    case 'not':
      return !truthy(bindings.get(arg));
    case 'has':
      return bindings.has(arg);
    case 'private': {
      const res = s.resources.get(bindings.get(arg) ?? '');
      if (!res) return false;
      return res.publicNetworkAccess?.value === 'Disabled' || [...s.privateEndpoints.values()].some((p) => p.resource.value === res.name);
    }
    default:
      return false;
  }
}

export function regionOf(s: Scenario, net: Network | undefined, from: EndpointRef): string {
  // The managed network sits in its workspace's region (S6: compute cannot be in another region).
  if (from.kind === 'managed') return (s.resources.get(from.workspace)?.region?.value ?? s.region?.value ?? '').toLowerCase();
  const vnet = from.kind === 'subnet' ? from.vnet : from.kind === 'vnet' ? from.name : from.kind === 'host' ? s.hosts.get(from.name)?.subnet.value.split('/')[0] : undefined;
  const region = (vnet ? (net?.vnets.get(vnet)?.region ?? s.vnets.get(vnet)?.region?.value) : undefined) ?? s.region?.value ?? '';
  return region.toLowerCase();
}

/** Substitutes `{param}`, `{from}` and `{region}` in an endpoint template. */
export function substitute(template: string, bindings: ReadonlyMap<string, string>, fromText: string, regionTagSuffix: string): string {
  return template
    .replace(/\{from\}/g, fromText)
    .replace(/\{region\}/g, regionTagSuffix)
    .replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (m, name: string) => bindings.get(name) ?? m);
}

export function expandRequire(net: Network, intent: RequireIntent): Expansion {
  const s = net.scenario;
  const set = flowSet(intent.set.value);
  if (!set) return { claims: [], skipped: [], problem: `unknown flow set '${intent.set.value}'` };
  const bindings = new Map([...intent.with].map(([k, v]) => [k, v.value]));
  const problems = bindingProblems(set, s, bindings);
  if (problems.length > 0) return { claims: [], skipped: [], problem: problems.map((p) => p.message).join('; ') };
  const from = resolveEndpoint(s, intent.from.value);
  if (!from.ok) return { claims: [], skipped: [], problem: `from: ${from.message}` };
  const region = regionOf(s, net, from.ref);
  const regionSuffix = region ? net.catalog.entries().find((e) => e.region === region)?.name.split('.').slice(1).join('.') ?? region : region;
  const claims: Claim[] = [];
  const skipped: { id: string; why: string }[] = [];
  for (const f of set.flows) {
    const failing = f.when.find((c) => !conditionHolds(c, s, bindings));
    if (failing !== undefined) {
      skipped.push({ id: f.id, why: `condition ${failing} does not hold` });
      continue;
    }
    if (f.flow.via === 'private-endpoints') {
      const through = privateEndpointClaims(net, intent, set, f, bindings, intent.from.value, regionSuffix);
      if ('problem' in through) return { claims: [], skipped, problem: through.problem };
      claims.push(...through);
      continue;
    }
    const claim = flowClaim(net, intent, set, f, bindings, intent.from.value, regionSuffix);
    if ('problem' in claim) return { claims: [], skipped, problem: claim.problem };
    claims.push(claim);
  }
  return { claims, skipped };
}

function flowClaim(net: Network, intent: RequireIntent, set: FlowSetData, f: FlowData, bindings: ReadonlyMap<string, string>, fromText: string, regionSuffix: string): Claim | { problem: string } {
  const sub = (t: string) => substitute(t, bindings, fromText, regionSuffix);
  const fromT = sub(f.flow.from ?? '{from}');
  const toT = sub(f.flow.to);
  const from = resolveEndpoint(net.scenario, fromT);
  const to = resolveEndpoint(net.scenario, toT);
  if (!from.ok) return { problem: `flow ${f.id} of ${set.name}: from ${fromT}: ${from.message}` };
  if (!to.ok) return { problem: `flow ${f.id} of ${set.name}: to ${toT}: ${to.message}` };
  const ports = f.flow.ports && f.flow.ports.length > 0 ? portSet(f.flow.ports.map(String)) : IntervalSet.of(0, PORT_MAX);
  return {
    name: `${intent.name} ${f.id}`,
    kind: f.kind,
    loc: intent.loc,
    from: from.ref,
    to: to.ref,
    fromText: fromT,
    toText: toT,
    protocols: protocolSet(f.flow.protocol),
    protocolText: f.flow.protocol ?? '*',
    ports,
    portsText: f.flow.ports && f.flow.ports.length > 0 ? f.flow.ports.join(',') : '*',
    sourcePorts: IntervalSet.of(0, PORT_MAX),
    adversary: intent.adversary?.value ?? 'default',
    description: intent.description,
    flow: { set: set.name, id: f.id, reason: f.reason, source: f.sources.map((k) => `${k}: ${set.sources[k]}`).join('; ') },
  };
}

/**
 * `via: private-endpoints`: one claim per private endpoint of the resource, to
 * that endpoint, on its groupId's ports (models/private-link.json). The
 * reason names the private DNS zone the client needs: without it the
 * client resolves the public address and never uses the endpoint (F5.2.1,
 * §8.14), which topo cannot check because the format has no DNS zones.
 */
function privateEndpointClaims(net: Network, intent: RequireIntent, set: FlowSetData, f: FlowData, bindings: ReadonlyMap<string, string>, fromText: string, regionSuffix: string): Claim[] | { problem: string } {
  const sub = (t: string) => substitute(t, bindings, fromText, regionSuffix);
  const fromT = sub(f.flow.from ?? '{from}');
  const from = resolveEndpoint(net.scenario, fromT);
  if (!from.ok) return { problem: `flow ${f.id} of ${set.name}: from ${fromT}: ${from.message}` };
  const resName = sub(f.flow.to);
  const res = net.resources.get(resName);
  if (!res) return { problem: `flow ${f.id} of ${set.name}: '${resName}' is not a resource of the scenario` };
  if (res.privateEndpoints.length === 0) return { problem: `flow ${f.id} of ${set.name}: ${resName} has no private endpoint` };
  const catalog = privateLinkCatalog();
  const out: Claim[] = [];
  for (const pe of [...res.privateEndpoints].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const entry = privateLinkGroup(res.type, pe.groupId);
    const names = (resourceType(res.type)?.groups[pe.groupId]?.fqdns ?? []).map((t) => expandFqdn(t, res.name, res.region));
    const zones = entry ? zonesFor(entry, res.region) : [];
    const dns = entry?.zones
      ? `the client resolves ${names.join(' and ') || `${res.name}'s name`} to ${formatIpv4(pe.ip)} only with the private DNS zone ${zones.join(' and ')} linked to its VNet (or a DNS server that forwards to it); the scenario format has no DNS zones, so topo does not check that (§8.14, F5.2.1)`
      : `the private DNS zone of ${res.type}/${pe.groupId} is not known (${entry?.zonesUnknown ?? 'no private-link entry'}): topo does not check name resolution (§8.14)`;
    const portsGiven = f.flow.ports && f.flow.ports.length > 0;
    const ports = portsGiven ? f.flow.ports!.map(String) : entry?.ports ?? [];
    const protocol = f.flow.protocol ?? entry?.protocol ?? 'Tcp';
    const unknown = portsGiven || entry?.ports ? undefined : `the ports of ${res.type}/${pe.groupId} through a private endpoint are not known: ${entry?.portsUnknown ?? 'models/private-link.json has no entry for it'}`;
    const cited = [...f.sources.map((k) => `${k}: ${set.sources[k]}`), ...(entry ? entry.sources.map((k) => `${k}: ${catalog.sources[k]}`) : [])];
    out.push({
      name: `${intent.name} ${f.id} ${pe.name}`,
      kind: 'allow',
      loc: intent.loc,
      from: from.ref,
      to: { kind: 'privateEndpoint', name: pe.name },
      fromText: fromT,
      toText: `pe:${pe.name}`,
      protocols: protocolSet(protocol),
      protocolText: protocol,
      ports: ports.length > 0 ? portSet(ports) : IntervalSet.of(0, PORT_MAX),
      portsText: ports.length > 0 ? ports.join(',') : '*',
      sourcePorts: IntervalSet.of(0, PORT_MAX),
      adversary: intent.adversary?.value ?? 'default',
      description: intent.description,
      ...(unknown ? { unknown } : {}),
      flow: {
        set: set.name,
        id: `${f.id}:${pe.name}`,
        reason: `${f.reason}: private endpoint ${pe.name} of ${res.name}/${pe.groupId}${entry ? ` (${entry.id}${entry.ports ? `, ${protocol.toUpperCase()} ${entry.ports.join(', ')}` : ''})` : ''}; ${dns}`,
        source: [...new Set(cited)].join('; '),
      },
    });
  }
  return out;
}
