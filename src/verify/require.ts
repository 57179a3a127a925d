/**
 * `require: <set>` intents: one claim per flow of the set whose conditions
 * hold, with the bindings of `with:` and the intent's `from:` substituted.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import { PORT_MAX } from '../net/ports.js';
import { flowSet, type FlowData, type FlowSetData } from '../catalog/flowsets.js';
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
