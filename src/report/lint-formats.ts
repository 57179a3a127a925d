/**
 * The output formats of `topo lint`. SARIF and JUnit are the verify
 * renderers in lint mode (no intents, the lint threshold), so a finding
 * looks the same whichever command reported it.
 */
import { diagnosticToJson } from './diagnostics-json.js';
import { PLAIN, type Palette } from './color.js';
import { countFindings, countsText, findingJson, findingsSection } from './lint-findings.js';
import type { RenderContext, VerifiedScenario } from './verify-context.js';
import type { VerifyFormat } from './verify-formats.js';
import { formatVerifyJunit } from './verify-junit.js';
import { formatVerifySarif } from './verify-sarif.js';

function lintText(s: VerifiedScenario, c: Palette): string {
  const findings = s.lint?.findings ?? [];
  const catalog = s.results.catalog;
  const lines = [c.bold(`topo lint: ${s.results.scenario}`) + c.dim(`  (service tags: ${catalog.kind === 'shipped' ? 'shipped catalog' : catalog.file}, change ${catalog.changeNumber})`), ''];
  lines.push(...findingsSection(s.network, findings, c));
  const n = countFindings(findings);
  const summary = countsText(n);
  lines.push(n.errors ? c.red(c.bold(summary)) : n.warnings ? c.yellow(c.bold(summary)) : c.green(c.bold(summary)));
  return lines.join('\n');
}

function lintJson(s: VerifiedScenario): Record<string, unknown> {
  const findings = s.lint?.findings ?? [];
  return {
    scenario: s.results.scenario,
    files: s.results.files,
    catalog: s.results.catalog,
    summary: countFindings(findings),
    lints: (s.lint?.rules ?? []).map((r) => r.id),
    findings: findings.map((f) => findingJson(s.network, f)),
    diagnostics: s.results.diagnostics.map(diagnosticToJson),
  };
}

export function renderLint(format: VerifyFormat, runs: readonly VerifiedScenario[], ctx: RenderContext): string {
  const lint = { ...ctx, mode: 'lint' as const };
  switch (format) {
    case 'text':
      return runs.map((s) => lintText(s, ctx.palette ?? PLAIN)).join('\n\n');
    case 'json': {
      const docs = runs.map(lintJson);
      return JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2);
    }
    case 'sarif':
      return formatVerifySarif(runs, lint);
    case 'junit':
      return formatVerifyJunit(runs, lint);
  }
}

