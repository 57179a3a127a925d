/**
 * `topo lint FILE...`: the posture lints of each scenario, no intents.
 * Exit 0 when no finding reaches --fail-on (default error), 1 when one does,
 * 2 bad input or usage, 3 internal error. `--list` and `--explain ID` print
 * the lints themselves.
 */
import { performance } from 'node:perf_hooks';
import { findLint, lintCatalog } from '../catalog/lints.js';
import { UnknownLintError } from '../lint/run.js';
import { findingFails, type FindingThreshold } from '../report/lint-findings.js';
import { renderLint } from '../report/lint-formats.js';
import type { ToolInfo, VerifiedScenario } from '../report/verify-formats.js';
import { EngineDisagreement } from '../verify/check.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { analyze, loadAll, parseTargets, toolInfo, writeTargets } from './scenario-run.js';

export interface LintCliOptions {
  readonly format?: readonly string[];
  readonly output?: string;
  readonly failOn?: string;
  readonly rule?: readonly string[];
  readonly serviceTags?: string;
  readonly list?: boolean;
  readonly explain?: string;
}

const THRESHOLDS: readonly FindingThreshold[] = ['error', 'warning', 'note', 'never'];

function listLints(io: CliIo): number {
  const rows = lintCatalog().map((l) => [l.id, l.severity, l.name, l.title]);
  const width = (i: number) => Math.max(...rows.map((r) => r[i].length));
  for (const r of rows) io.stdout.write(`${r[0].padEnd(width(0))}  ${r[1].padEnd(width(1))}  ${r[2].padEnd(width(2))}  ${r[3]}\n`);
  return EXIT.ok;
}

function explainLint(key: string, io: CliIo): number {
  const l = findLint(key);
  if (!l) throw new UsageError(`--explain ${key}: no such lint; \`topo lint --list\` shows them all`);
  io.stdout.write(
    [`${l.id} ${l.name} (${l.severity})`, '', l.title, '', l.description, '', 'How to fix:', '', l.help, '', `Azure facts: ${l.facts.join(', ')}`, 'Sources:', ...l.sources.map((s) => `  - ${s}`), ''].join('\n'),
  );
  return EXIT.ok;
}

export async function runLint(files: readonly string[], opts: LintCliOptions, io: CliIo, deps: { now?: () => number; tool?: ToolInfo } = {}): Promise<number> {
  if (opts.list) return listLints(io);
  if (opts.explain !== undefined) return explainLint(opts.explain, io);
  if (files.length === 0) throw new UsageError('name at least one scenario file (or use --list)');
  const targets = parseTargets(opts.format, opts.output);
  const threshold = (opts.failOn ?? 'error') as FindingThreshold;
  if (!THRESHOLDS.includes(threshold)) throw new UsageError(`--fail-on must be ${THRESHOLDS.join(', ')}, not '${opts.failOn}'`);
  for (const key of opts.rule ?? []) if (!findLint(key)) throw new UsageError(`--rule ${key}: no such lint; \`topo lint --list\` shows them all`);
  const now = deps.now ?? (() => performance.now());
  const loaded = loadAll(files, opts.serviceTags, io, now);
  if (!loaded) return EXIT.badInput;

  const runs: VerifiedScenario[] = [];
  for (const l of loaded) {
    try {
      runs.push(analyze(l, { lint: true, lints: opts.rule?.length ? opts.rule : undefined, verify: false }, io, now));
    } catch (error) {
      if (error instanceof UnknownLintError) throw new UsageError(`--rule ${error.message}: no such lint`);
      if (!(error instanceof EngineDisagreement)) throw error;
      io.stderr.write(`topo: internal error: the packet simulator and the symbolic verifier disagree.\n${error.message}\nThis is a bug in topo; please report it with the scenario.\n`);
      return EXIT.internal;
    }
  }
  const fails = runs.some((r) => (r.lint?.findings ?? []).some((f) => findingFails(f, threshold)));
  const exitCode = fails ? EXIT.claimFails : EXIT.ok;
  const tool = deps.tool ?? toolInfo();
  const written = writeTargets(targets, (t, palette) => renderLint(t.format, runs, { palette, cwd: io.cwd, exitCode, failOn: 'error', findingThreshold: threshold, tool }), io);
  return written ?? exitCode;
}
