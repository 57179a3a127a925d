/**
 * Posture lints over the compiled network: the checklist items of secure
 * Azure designs and the Azure facts that surprise people. A lint reads the
 * same compiled model as the verifier (and uses the verifier where a
 * question is about reachability), so its findings are exact, not string
 * matches; where topo cannot decide, a lint says nothing rather than guess,
 * or reports a note that says why.
 */
import type { LintInfo, LintSeverity } from '../catalog/lints.js';
import type { Network } from '../model/types.js';
import type { SourceLoc } from '../scenario/source-loc.js';
import type { ReachGraph } from '../verify/graph.js';
import type { Witness } from '../verify/results.js';

export type { LintSeverity };

export interface Related {
  readonly message: string;
  readonly loc: SourceLoc;
}

/** What a check reports; the runner adds the lint's id, name and default severity. */
export interface FindingDraft {
  /** The object the finding is about, as `lint.ignore` targets name it: `vnet/subnet`, `nsg/rule`, `policy/group/collection/rule`, a resource or host name. */
  readonly target: string;
  readonly message: string;
  /** Where to fix it: the rule, setting or object to change. */
  readonly loc: SourceLoc;
  readonly related?: readonly Related[];
  /** Overrides the lint's default severity (a note for a restricted endpoint, an error for inbound any-to-any). */
  readonly severity?: LintSeverity;
  /** For reachability lints: one packet and its path. */
  readonly witness?: Witness;
  /** Tells apart findings of one lint about one target (which requirement, which prefix), for stable fingerprints. */
  readonly key?: string;
}

export interface LintFinding extends FindingDraft {
  readonly rule: string;
  readonly name: string;
  readonly severity: LintSeverity;
  readonly related: readonly Related[];
  /** Set when a `lint.ignore` entry accepts the finding. */
  readonly suppressed?: { readonly reason: string; readonly loc: SourceLoc };
}

export interface LintContext {
  readonly net: Network;
  /** The reachability graph, built on first use and shared with the verifier. */
  graph(): ReachGraph;
}

export interface LintCheck {
  /** The id of its entry in models/lints.yaml. */
  readonly id: string;
  run(ctx: LintContext): FindingDraft[];
}

export interface LintRule extends LintInfo {
  run(ctx: LintContext): FindingDraft[];
}
