/**
 * `topo verify --format junit`: JUnit XML for the test tabs of Azure DevOps
 * (PublishTestResults@2, testResultsFormat: JUnit), GitLab
 * (artifacts:reports:junit) and Jenkins.
 *
 * One <testsuite> per scenario file, one <testcase> per intent. CI services
 * keep a test's history by its name, so a testcase is named by the intent
 * alone (never a line number); `file` and `line` point at it instead. A
 * failing intent is a <failure> whose type is its rule id (TOPO-I001...) and
 * whose body is the witness path with the file:line of every hop. An
 * undecided intent is <skipped>: JUnit has no "inconclusive", and skipped is
 * what the test tabs show as neither passed nor failed, like the exit code,
 * which ignores unknowns unless --fail-on unknown (or warning) is given; then
 * it is a <failure> here too, so the test tab and the exit code agree.
 * There is no timestamp or host name, so that the report is reproducible.
 */
import { PLAIN } from './color.js';
import { formatDiagnostic } from './diagnostics-text.js';
import { repoPath } from './repo-path.js';
import { findingThresholdOf, unknownFails, type RenderContext, type VerifiedScenario } from './verify-context.js';
import type { LintFinding, LintRule } from '../lint/types.js';
import { findingFails, findingLines } from './lint-findings.js';
import { findingTitle, intentKey, ruleOf } from './verify-rules.js';
import { formatIntent } from './verify-text.js';
import { element, xmlText } from './xml.js';
import { summarize, type IntentResult } from '../verify/results.js';

interface Counts {
  tests: number;
  failures: number;
  skipped: number;
  seconds: number;
}

export function formatVerifyJunit(runs: readonly VerifiedScenario[], ctx: RenderContext): string {
  const total: Counts = { tests: 0, failures: 0, skipped: 0, seconds: 0 };
  const suites = runs.map((s) => {
    const counts = countsOf(s, ctx);
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.skipped += counts.skipped;
    total.seconds += counts.seconds;
    const file = repoPath(ctx.cwd, s.file);
    const catalog = s.results.catalog;
    const properties = [
      element('property', { name: 'scenario', value: s.results.scenario }),
      element('property', { name: 'service-tags', value: `${catalog.kind === 'shipped' ? 'shipped catalog' : catalog.file}, change ${catalog.changeNumber}` }),
    ].map((p) => `      ${p}\n`);
    const cases = [...s.results.intents.map((r) => `    ${testcase(s, r, file, ctx)}`), ...lintCases(s, file, ctx).map((c) => `    ${c}`)];
    const warnings = s.results.diagnostics.map((d) => formatDiagnostic(d, () => undefined, PLAIN)).join('\n');
    const body = [`    <properties>\n${properties.join('')}    </properties>`, ...cases, ...(warnings ? [`    ${element('system-err', {}, xmlText(`${warnings}\n`))}`] : [])].join('\n');
    return `  ${element('testsuite', { name: file, tests: counts.tests, failures: counts.failures, errors: 0, skipped: counts.skipped, time: seconds(counts.seconds), file }, `\n${body}\n  `)}`;
  });
  const root = element('testsuites', { name: ctx.mode === 'lint' ? 'topo lint' : 'topo verify', tests: total.tests, failures: total.failures, errors: 0, skipped: total.skipped, time: seconds(total.seconds) }, suites.length ? `\n${suites.join('\n')}\n` : '');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}

function countsOf(s: VerifiedScenario, ctx: RenderContext): Counts {
  const n = summarize(s.results.intents);
  const unknownIsFailure = unknownFails(ctx.failOn);
  const lint = lintOutcomes(s, ctx);
  return {
    tests: n.intents + lint.length,
    failures: n.failed + (unknownIsFailure ? n.unknown : 0) + lint.filter((l) => l.failing.length > 0).length,
    skipped: unknownIsFailure ? 0 : n.unknown,
    seconds: s.seconds,
  };
}

/** One test per lint that ran: it fails when a finding reaches the run's threshold; other findings go to its output. */
function lintOutcomes(s: VerifiedScenario, ctx: RenderContext): { rule: LintRule; failing: LintFinding[]; other: LintFinding[] }[] {
  if (!s.lint) return [];
  const threshold = findingThresholdOf(ctx);
  return s.lint.rules.map((rule) => {
    const mine = s.lint!.findings.filter((f) => f.rule === rule.id);
    return { rule, failing: mine.filter((f) => findingFails(f, threshold)), other: mine.filter((f) => !findingFails(f, threshold)) };
  });
}

function lintCases(s: VerifiedScenario, file: string, ctx: RenderContext): string[] {
  return lintOutcomes(s, ctx).map(({ rule, failing, other }) => {
    const attrs = { classname: 'topo.lint', name: `lint/${rule.name}`, file, ...(failing[0] ? { line: failing[0].loc.line } : {}) };
    const text = (list: readonly LintFinding[]) => xmlText(`\n${list.flatMap((f) => [...findingLines(s.network, f, PLAIN), ...(f.suppressed ? [`        accepted: ${f.suppressed.reason}`] : [])]).join('\n')}\n`);
    const body = [
      ...(failing.length ? [element('failure', { message: `${failing.length === 1 ? '1 finding' : `${failing.length} findings`}: ${rule.title}`, type: rule.id }, text(failing))] : []),
      ...(other.length ? [element('system-out', {}, text(other))] : []),
    ];
    return element('testcase', attrs, body.length ? body.join('') : undefined);
  });
}

function testcase(s: VerifiedScenario, r: IntentResult, file: string, ctx: RenderContext): string {
  const attrs = { classname: `topo.${r.kind}`, name: intentKey(r), file, line: r.loc.line };
  const id = ruleOf(r);
  if (!id) return element('testcase', attrs);
  const details = xmlText(`\n${formatIntent(s.network, r, PLAIN).join('\n')}\n`);
  const outcome =
    r.status === 'unknown' && !unknownFails(ctx.failOn)
      ? element('skipped', { message: findingTitle(id, r) }, details)
      : element('failure', { message: findingTitle(id, r), type: id }, details);
  return element('testcase', attrs, outcome);
}

/** JUnit times are seconds with a decimal point. */
function seconds(s: number): string {
  return s.toFixed(3);
}
