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
import { Batch, batchable, startClass, type SharedPropagation } from './batch.js';
import type { VerifyPool } from './pool.js';
import type { Start } from './propagate.js';
import { expandRequire } from './require.js';
import type { IntentResult, VerifyResults } from './results.js';

export interface VerifyOptions {
  /** Only these intents (by name). */
  readonly only?: readonly string[];
  /** Workers holding the same network (compiled from the same files): independent batched claims are shared with them. */
  readonly pool?: VerifyPool;
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

/** Fewer independent units than this are not worth a worker's round trip. */
const POOL_MIN_UNITS = 64;

export function verifyNetwork(net: Network, diagnostics: readonly Diagnostic[], options: VerifyOptions = {}, graph: ReachGraph = buildGraph(net)): VerifyResults {
  const plan = planVerification(net, graph, options.only);
  const { expanded } = plan;
  const done = new Map<Claim, IntentResult>();
  if (options.pool && plan.units.length >= POOL_MIN_UNITS) {
    // The units are independent: this thread and the pool's worker take them in turn; the worker answers the claims
    // its merged propagation passes, and every other claim of its units is checked here, as it would be alone.
    const job = options.pool.start(plan.units.length, options.only);
    for (let u = job.next(); u !== undefined; u = job.next()) for (const c of plan.units[u]) done.set(c, plan.check(c));
    const passed = job.finish();
    for (const [u, unit] of plan.units.entries()) {
      if (!job.theirs(u)) continue;
      unit.forEach((c, k) => {
        const r = passed.get(`${u}:${k}`);
        done.set(c, r ? (plan.settle(c), r) : plan.recheck(c));
      });
    }
  }
  const results: IntentResult[] = [];
  for (const { intent, claims, problem } of expanded) {
    if (problem) {
      results.push({ name: intent.name, kind: 'allow', status: 'unknown', loc: intent.loc, from: intent.kind === 'require' ? intent.from.value : intent.flow.from.value, to: intent.kind === 'require' ? intent.to?.value ?? '' : intent.flow.to.value, protocol: '*', ports: '*', adversary: 'default', reason: problem, steps: 0 });
      continue;
    }
    for (const claim of claims) results.push(done.get(claim) ?? plan.check(claim));
  }
  return {
    scenario: net.scenario.name,
    files: net.scenario.files,
    catalog: { ...net.catalog.source, exact: net.catalog.exact },
    intents: results,
    diagnostics,
  };
}

export interface VerificationPlan {
  readonly expanded: readonly { readonly intent: Intent; readonly claims: readonly Claim[]; readonly problem?: string }[];
  /**
   * The batched claims in independent units (claims whose starts share a
   * class of interfaces are in one unit), in the order of their first claims.
   */
  readonly units: readonly (readonly Claim[])[];
  /** The claim's result, as checkClaim gives it. */
  check(c: Claim): IntentResult;
  /** A batched claim's result when its merged propagation passes it (a pass depends on the packets alone), else undefined. */
  quick(c: Claim): IntentResult | undefined;
  /** A batched claim answered elsewhere: its share of the shared propagations is given up. */
  settle(c: Claim): void;
  /** A batched claim whose merged propagation did not pass it (found elsewhere): checked on the per-source propagation. */
  recheck(c: Claim): IntentResult;
}

/** The claims of the intents, with the shared propagations of the batched ones (batch.ts). */
export function planVerification(net: Network, graph: ReachGraph, only?: readonly string[]): VerificationPlan {
  const names = only ? new Set(only) : undefined;
  const intents = net.scenario.intents.filter((i) => !names || names.has(i.name));
  const expanded = intents.map((intent) => ({ intent, ...claimsOf(net, intent) }));
  // Deny claims that differ only in their sources share one propagation (batch.ts). Most of them pass, which the
  // packets alone decide: a propagation with the sources' outbound NSGs open (a superset of what reaches) passes
  // most of them, one merged across the sources of a class the rest; a claim neither passes is checked on the
  // propagation whose boxes are those its witness and counterexamples are read from.
  const shared = new Map<Claim, { bound: SharedPropagation; merged: SharedPropagation; exact: SharedPropagation; starts: readonly Start[] }>();
  const unitOf = new Map<string, Claim[]>();
  const units: Claim[][] = [];
  for (const group of batchable(net, expanded.flatMap((e) => (e.problem ? [] : e.claims)))) {
    const batch = new Batch(net, graph);
    const starts = group.map((c) => claimQueryStarts(net, c));
    starts.forEach((st) => batch.add(st));
    const bound = batch.share('bound');
    const merged = batch.share('merged');
    const exact = batch.share('exact');
    for (const [i, c] of group.entries()) {
      shared.set(c, { bound, merged, exact, starts: starts[i] });
      // Units: claims that share a start class, joined transitively (a claim can start in several classes).
      const classes = [...new Set(starts[i].map((st) => startClass(net, st.node)))];
      const met = [...new Set(classes.flatMap((k) => (unitOf.has(k) ? [unitOf.get(k)!] : [])))];
      let unit: Claim[];
      if (met.length === 0) units.push((unit = []));
      else {
        unit = met.reduce((a, b) => (units.indexOf(a) <= units.indexOf(b) ? a : b));
        for (const other of met) {
          if (other === unit) continue;
          unit.push(...other);
          units.splice(units.indexOf(other), 1);
          for (const [k, v] of unitOf) if (v === other) unitOf.set(k, unit);
        }
      }
      unit.push(c);
      for (const k of classes) unitOf.set(k, unit);
    }
  }
  const order = new Map(expanded.flatMap((e) => e.claims).map((c, i) => [c, i]));
  for (const unit of units) unit.sort((a, b) => order.get(a)! - order.get(b)!);
  const quick = (claim: Claim): IntentResult | undefined => {
    const batch = shared.get(claim)!;
    let used: readonly Start[] = [];
    const bounded = checkClaim(net, graph, claim, (starts) => {
      used = starts;
      return batch.bound.forClaim(starts);
    });
    if (bounded.status === 'pass') {
      batch.merged.release(used);
      batch.exact.release(used);
      return bounded;
    }
    const r = checkClaim(net, graph, claim, (starts) => batch.merged.forClaim(starts));
    if (r.status !== 'pass') return undefined;
    batch.exact.release(used);
    return r;
  };
  return {
    expanded,
    units,
    check(claim) {
      const batch = shared.get(claim);
      if (!batch) return checkClaim(net, graph, claim);
      return quick(claim) ?? checkClaim(net, graph, claim, (starts) => batch.exact.forClaim(starts));
    },
    quick: (claim) => (shared.has(claim) ? quick(claim) : undefined),
    settle(claim) {
      const batch = shared.get(claim);
      if (!batch) return;
      batch.bound.release(batch.starts);
      batch.merged.release(batch.starts);
      batch.exact.release(batch.starts);
    },
    recheck(claim) {
      const batch = shared.get(claim);
      if (!batch) return checkClaim(net, graph, claim);
      batch.bound.release(batch.starts);
      batch.merged.release(batch.starts);
      return checkClaim(net, graph, claim, (starts) => batch.exact.forClaim(starts));
    },
  };
}
