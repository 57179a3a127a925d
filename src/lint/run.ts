/**
 * Runs the lints over a compiled network, applies the scenario's
 * `lint.ignore` entries (a suppressed finding is kept, marked with its
 * reason, so reports can show it), and reports entries that match nothing.
 */
import { findLint } from '../catalog/lints.js';
import type { Network } from '../model/types.js';
import { diag, type Diagnostic } from '../scenario/diagnostics.js';
import type { LintIgnore } from '../scenario/types.js';
import { buildGraph, type ReachGraph } from '../verify/graph.js';
import { lintRules } from './registry.js';
import type { LintFinding, LintRule } from './types.js';

export interface LintOptions {
  /** Only these lints (ids or names). */
  readonly only?: readonly string[];
  /** A graph already built for the verifier. */
  readonly graph?: ReachGraph;
}

export interface LintReport {
  readonly rules: readonly LintRule[];
  /** Sorted by place; suppressed ones included and marked. */
  readonly findings: readonly LintFinding[];
  /** Unused `lint.ignore` entries (TOPO311). */
  readonly diagnostics: readonly Diagnostic[];
  /** Input diagnostic codes the lints that ran report in their place (TOPO302 for TOPO-L001). */
  readonly supersedes: ReadonlySet<string>;
}

export class UnknownLintError extends Error {}

export function selectRules(only: readonly string[] | undefined): readonly LintRule[] {
  const all = lintRules();
  if (!only || only.length === 0) return all;
  const ids = new Set<string>();
  for (const key of only) {
    const info = findLint(key);
    if (!info) throw new UnknownLintError(key);
    ids.add(info.id);
  }
  return all.filter((r) => ids.has(r.id));
}

function matches(entry: LintIgnore, f: LintFinding): boolean {
  const lint = findLint(entry.rule.value);
  if (!lint || lint.id !== f.rule) return false;
  return entry.target === undefined || entry.target.value.trim().toLowerCase() === f.target.toLowerCase();
}

export function runLints(net: Network, options: LintOptions = {}): LintReport {
  const rules = selectRules(options.only);
  let graph = options.graph;
  const ctx = { net, graph: () => (graph ??= buildGraph(net)) };
  const findings: LintFinding[] = [];
  for (const rule of rules) {
    for (const d of rule.run(ctx)) {
      findings.push({ ...d, rule: rule.id, name: rule.name, severity: d.severity ?? rule.severity, related: d.related ?? [] });
    }
  }
  const ignores = net.scenario.lintIgnores;
  const used = new Set<LintIgnore>();
  const marked = findings.map((f) => {
    const entry = ignores.find((e) => matches(e, f));
    if (!entry) return f;
    used.add(entry);
    return { ...f, suppressed: { reason: entry.reason.value, loc: entry.loc } };
  });
  const ran = new Set(rules.map((r) => r.id));
  const diagnostics = ignores
    .filter((e) => !used.has(e) && ran.has(findLint(e.rule.value)?.id ?? ''))
    .map((e) =>
      diag('TOPO311', `lint.ignore of ${e.rule.value}${e.target ? ` for '${e.target.value}'` : ''} matches no finding`, e.loc, {
        hint: e.target ? 'the problem is gone (remove the entry), or the target is not spelt as findings name it' : 'the problem is gone: remove the entry',
      }),
    );
  marked.sort((a, b) => (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.line - b.loc.line || a.loc.col - b.loc.col || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
  return { rules, findings: marked, diagnostics, supersedes: new Set(rules.flatMap((r) => (r.supersedes ? [r.supersedes] : []))) };
}

/** Findings that count: not suppressed. */
export function activeFindings(report: LintReport): LintFinding[] {
  return report.findings.filter((f) => !f.suppressed);
}
