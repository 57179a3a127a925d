/** The results of `topo verify`: the JSON contract of the scenario format, as types. */
import type { Packet } from '../headerspace/packet.js';
import type { CatalogSource } from '../catalog/service-tags.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import type { SourceLoc } from '../scenario/source-loc.js';
import type { RuleRef } from '../model/types.js';
import type { Trace, HopKind } from '../sim/trace.js';

export type IntentStatus = 'pass' | 'fail' | 'unknown';

export interface Witness {
  readonly packet: Packet;
  readonly trace: Trace;
}

export interface Blocker {
  readonly at: string;
  /** The element, with the ids of trace hops (`nic:...`, `firewall:...`), for diagrams. */
  readonly node?: string;
  readonly kind: HopKind;
  readonly ref?: RuleRef;
  readonly reason: string;
  /** The blocked packets of the intent, summarised. */
  readonly packets: readonly string[];
}

export interface IntentResult {
  readonly name: string;
  readonly kind: 'deny' | 'allow';
  readonly status: IntentStatus;
  readonly loc: SourceLoc;
  readonly from: string;
  readonly to: string;
  readonly protocol: string;
  readonly ports: string;
  readonly adversary: 'default' | 'strict';
  readonly description?: string;
  /** For a failing intent: one concrete packet and its trace. */
  readonly witness?: Witness;
  /** For a failing allow: every component that blocks some packet of the intent. */
  readonly blockers?: readonly Blocker[];
  /** The failing (or undecided) header sets, summarised. */
  readonly counterexamples?: readonly string[];
  /** Why the status is unknown, or a note on a pass. */
  readonly reason?: string;
  /** Intents expanded from `require:`: the flow set and flow they come from. */
  readonly flow?: { readonly set: string; readonly id: string; readonly reason: string; readonly source: string };
  /** Cost of the proof, for the benchmark. */
  readonly steps: number;
}

export interface VerifyResults {
  readonly scenario: string;
  readonly files: readonly string[];
  readonly catalog: CatalogSource & { readonly exact: boolean };
  readonly intents: readonly IntentResult[];
  readonly diagnostics: readonly Diagnostic[];
}

export function summarize(results: readonly IntentResult[]): { intents: number; passed: number; failed: number; unknown: number } {
  return {
    intents: results.length,
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    unknown: results.filter((r) => r.status === 'unknown').length,
  };
}
