/** Lints a literal scenario: load (failing on input errors), compile, run the lints. */
import { compile } from '../../src/model/compile.js';
import type { Network } from '../../src/model/types.js';
import { runLints, type LintReport } from '../../src/lint/run.js';
import type { LintFinding } from '../../src/lint/types.js';
import { describeDiagnostic, loadYaml } from './scenario-fixture.js';

export interface Linted {
  readonly net: Network;
  readonly report: LintReport;
  /** Findings not accepted by lint.ignore. */
  readonly findings: LintFinding[];
  /** `TOPO-L001 research/compute` lines, for compact assertions. */
  readonly ids: string[];
}

export function lintYaml(text: string, only?: readonly string[]): Linted {
  const loaded = loadYaml(text);
  if (!loaded.scenario) throw new Error(`the fixture does not load:\n${loaded.diagnostics.map(describeDiagnostic).join('\n')}`);
  const { network } = compile(loaded.scenario, loaded.catalog!);
  const report = runLints(network, { only });
  const findings = report.findings.filter((f) => !f.suppressed);
  return { net: network, report, findings, ids: findings.map((f) => `${f.rule} ${f.target}`) };
}

/** The one finding of a lint; fails listing everything found otherwise. */
export function only(l: Linted, rule: string): LintFinding {
  const hits = l.findings.filter((f) => f.rule === rule);
  if (hits.length !== 1) throw new Error(`expected one ${rule}, found ${hits.length}:\n${l.findings.map((f) => `${f.rule} ${f.target}: ${f.message}`).join('\n') || '(none)'}`);
  return hits[0];
}
