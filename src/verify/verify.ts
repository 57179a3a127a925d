/**
 * verify(network): every intent of the scenario proved or refuted over all
 * packets, with the evidence. `require:` intents expand into allow/deny
 * claims through the service models.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import { PORT_MAX } from '../net/ports.js';
import { portSet } from '../model/nsg.js';
import type { Network } from '../model/types.js';
import { resolveEndpoint, type EndpointRef } from '../scenario/endpoints.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import type { Intent } from '../scenario/types.js';
import { buildGraph, type ReachGraph } from './graph.js';
import { checkClaim, claimQueryStarts, protocolSet, type Claim } from './check.js';
import { batchable, sharedPropagation, type SharedPropagation } from './batch.js';
import type { Start } from './propagate.js';
import { expandRequire } from './require.js';
import type { IntentResult, VerifyResults } from './results.js';

export interface VerifyOptions {
  /** Only these intents (by name). */
  readonly only?: readonly string[];
}

export function claimsOf(net: Network, intent: Intent): { claims: Claim[]; problem?: string } {
  if (intent.kind === 'require') return expandRequire(net, intent);
  const ref = (text: string): EndpointRef => {
    const r = resolveEndpoint(net.scenario, text);
    if (!r.ok) throw new Error(`topo: intent endpoint '${text}' reached verification unresolved`);
    return r.ref;
  };
  const f = intent.flow;
  const ports = f.ports.length ? portSet(f.ports.map((p) => p.value)) : IntervalSet.of(0, PORT_MAX);
  return {
    claims: [
      {
        name: intent.name,
        kind: intent.kind,
        loc: intent.loc,
        from: ref(f.from.value),
        to: ref(f.to.value),
        fromText: f.from.value,
        toText: f.to.value,
        protocols: protocolSet(f.protocol?.value),
        protocolText: f.protocol?.value ?? '*',
        ports,
        portsText: f.ports.length ? f.ports.map((p) => p.value).join(',') : '*',
        sourcePorts: f.sourcePorts.length ? portSet(f.sourcePorts.map((p) => p.value)) : IntervalSet.of(0, PORT_MAX),
        adversary: intent.adversary?.value ?? 'default',
        description: intent.description,
      },
    ],
  };
}

export function verifyNetwork(net: Network, diagnostics: readonly Diagnostic[], options: VerifyOptions = {}, graph: ReachGraph = buildGraph(net)): VerifyResults {
  const only = options.only ? new Set(options.only) : undefined;
  const intents = net.scenario.intents.filter((i) => !only || only.has(i.name));
  const expanded = intents.map((intent) => ({ intent, ...claimsOf(net, intent) }));
  // Deny claims that differ only in their sources share one propagation (batch.ts). Most of them pass, which the
  // packets alone decide: a propagation merged across the sources of a class answers that; a claim it does not
  // pass is checked on the propagation whose boxes are those its witness and counterexamples are read from.
  const shared = new Map<Claim, { merged: SharedPropagation; exact: SharedPropagation }>();
  for (const group of batchable(net, expanded.flatMap((e) => (e.problem ? [] : e.claims)))) {
    const merged = sharedPropagation(net, graph, true);
    const exact = sharedPropagation(net, graph);
    for (const c of group) {
      const starts = claimQueryStarts(net, c);
      merged.add(starts);
      exact.add(starts);
      shared.set(c, { merged, exact });
    }
  }
  const check = (claim: Claim): IntentResult => {
    const batch = shared.get(claim);
    if (!batch) return checkClaim(net, graph, claim);
    let used: readonly Start[] = [];
    const quick = checkClaim(net, graph, claim, (starts) => {
      used = starts;
      return batch.merged.forClaim(starts);
    });
    if (quick.status === 'pass') {
      batch.exact.release(used);
      return quick;
    }
    return checkClaim(net, graph, claim, (starts) => batch.exact.forClaim(starts));
  };
  const results: IntentResult[] = [];
  for (const { intent, claims, problem } of expanded) {
    if (problem) {
      results.push({ name: intent.name, kind: 'allow', status: 'unknown', loc: intent.loc, from: intent.kind === 'require' ? intent.from.value : intent.flow.from.value, to: intent.kind === 'require' ? intent.to?.value ?? '' : intent.flow.to.value, protocol: '*', ports: '*', adversary: 'default', reason: problem, steps: 0 });
      continue;
    }
    for (const claim of claims) results.push(check(claim));
  }
  return {
    scenario: net.scenario.name,
    files: net.scenario.files,
    catalog: { ...net.catalog.source, exact: net.catalog.exact },
    intents: results,
    diagnostics,
  };
}
