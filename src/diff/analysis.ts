/**
 * An analysed version of a design: the compiled network, its reachability
 * graph and the packets each intent is about (intents.ts). A what-if on rule
 * edits derives the next version from the previous one without recompiling
 * (the graph and the intents' packets are shared; only the edited NSG or
 * firewall programs are compiled again).
 */
import type { ServiceTagCatalog } from '../catalog/service-tags.js';
import { compile } from '../model/compile.js';
import type { Network } from '../model/types.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import type { Scenario } from '../scenario/types.js';
import { buildGraph, type ReachGraph } from '../verify/graph.js';
import { rememberIntents } from './intents.js';
import { diffScenarios, type ChangeSet } from './structure.js';

export interface Analysis {
  readonly scenario: Scenario;
  readonly catalog: ServiceTagCatalog;
  readonly net: Network;
  readonly graph: ReachGraph;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * `intents: false` leaves out what a what-if needs to know of each intent (intents.ts), for a version that
 * will only be compared as a whole.
 */
export function analyze(scenario: Scenario, catalog: ServiceTagCatalog, diagnostics: readonly Diagnostic[] = [], options: { readonly intents?: boolean } = {}): Analysis {
  const compiled = compile(scenario, catalog);
  const analysis: Analysis = { scenario, catalog, net: compiled.network, graph: buildGraph(compiled.network), diagnostics: [...diagnostics, ...compiled.diagnostics] };
  if (options.intents !== false) rememberIntents(analysis);
  return analysis;
}

export interface Derived {
  readonly analysis: Analysis;
  readonly changes: ChangeSet;
  /** True when the head shares the base's compiled network and graph. */
  readonly incremental: boolean;
}

/** The head version, derived incrementally from the base where the change allows it. */
export function deriveAnalysis(base: Analysis, head: Scenario, catalog: ServiceTagCatalog, diagnostics: readonly Diagnostic[] = []): Derived {
  const changes = diffScenarios(base.scenario, head);
  if (changes.structural.length === 0 && changes.routeTables.size === 0 && catalog === base.catalog) {
    const net = changes.nsgs.size > 0 || changes.firewallPolicies.size > 0 ? base.net.withRuleEdits({ nsgs: changes.nsgs, firewallPolicies: changes.firewallPolicies }) : base.net;
    if (net) {
      const view: Network = { ...net, scenario: head };
      return { analysis: { scenario: head, catalog, net: view, graph: base.graph, diagnostics: [...diagnostics] }, changes, incremental: true };
    }
  }
  // A structural change is compared over the whole packet space, every intent checked again.
  return { analysis: analyze(head, catalog, diagnostics, { intents: changes.structural.length === 0 }), changes, incremental: false };
}
