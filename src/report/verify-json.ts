/** `topo verify --format json`: the results contract of the scenario format. */
import { formatLoc, isBuiltin } from '../scenario/source-loc.js';
import type { Network } from '../model/types.js';
import { diagnosticToJson } from './diagnostics-json.js';
import type { LintFinding } from '../lint/types.js';
import { countFindings, findingJson } from './lint-findings.js';
import { hopJson, packetJson } from './trace-json.js';
import { summarize, type IntentResult, type VerifyResults } from '../verify/results.js';

export function intentJson(net: Network, r: IntentResult): Record<string, unknown> {
  return {
    name: r.name,
    kind: r.kind,
    status: r.status,
    source: formatLoc(r.loc),
    from: r.from,
    to: r.to,
    protocol: r.protocol,
    ports: r.ports,
    ...(r.adversary !== 'default' ? { adversary: r.adversary } : {}),
    ...(r.flow ? { flow: r.flow } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.witness ? { witness: { packet: packetJson(net, r.witness.packet), hops: r.witness.trace.hops.map(hopJson), result: r.witness.trace.reason } } : {}),
    ...(r.blockers
      ? {
          blockers: r.blockers.map((b) => ({
            at: b.at,
            ...(b.node ? { node: b.node } : {}),
            kind: b.kind,
            ...(b.ref ? { rule: b.ref.label, ...(isBuiltin(b.ref.loc) ? {} : { source: formatLoc(b.ref.loc) }) } : {}),
            reason: b.reason,
            packets: b.packets,
          })),
        }
      : {}),
    ...(r.counterexamples ? { counterexamples: r.counterexamples } : {}),
  };
}

export function verifyJson(net: Network, results: VerifyResults, findings?: readonly LintFinding[]): Record<string, unknown> {
  return {
    scenario: results.scenario,
    files: results.files,
    catalog: results.catalog,
    summary: { ...summarize(results.intents), ...(findings ? { findings: countFindings(findings) } : {}) },
    intents: results.intents.map((r) => intentJson(net, r)),
    findings: (findings ?? []).map((f) => findingJson(net, f)),
    diagnostics: results.diagnostics.map(diagnosticToJson),
  };
}
