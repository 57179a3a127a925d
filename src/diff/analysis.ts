/**
 * An analysed version of a design: the compiled network and its
 * reachability graph. A what-if on rule edits derives the next version from
 * the previous one without recompiling (the graph is shared; only the
 * edited NSG or firewall programs are compiled again).
 */
import type { ServiceTagCatalog } from '../catalog/service-tags.js';
import { compile } from '../model/compile.js';
import type { Network } from '../model/types.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import type { Scenario } from '../scenario/types.js';
import { buildGraph, type ReachGraph } from '../verify/graph.js';
import { diffScenarios, type ChangeSet } from './structure.js';

export interface Analysis {
  readonly scenario: Scenario;
  readonly catalog: ServiceTagCatalog;
  readonly net: Network;
  readonly graph: ReachGraph;
  readonly diagnostics: readonly Diagnostic[];
}

export function analyze(scenario: Scenario, catalog: ServiceTagCatalog, diagnostics: readonly Diagnostic[] = []): Analysis {
  const compiled = compile(scenario, catalog);
  return { scenario, catalog, net: compiled.network, graph: buildGraph(compiled.network), diagnostics: [...diagnostics, ...compiled.diagnostics] };
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
  return { analysis: analyze(head, catalog, diagnostics), changes, incremental: false };
}
