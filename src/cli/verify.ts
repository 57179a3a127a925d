/**
 * `topo verify FILE...`: prove or refute every intent over all packets.
 * Exit 0 all pass, 1 any fails (or, with --fail-on unknown, any is unknown;
 * with --fail-on warning, also any warning), 2 bad input or usage, 3 internal
 * error (including engine disagreement).
 *
 * Every file is loaded before any is verified, so one run reports the input
 * errors of all of them; all outputs are written only once every file is
 * verified, because SARIF and JUnit hold the whole run in one document and
 * record its exit code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { normalize, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compile } from '../model/compile.js';
import { loadScenario } from '../scenario/load.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import { paletteFor } from '../report/color.js';
import { formatDiagnostic } from '../report/diagnostics-text.js';
import { renderVerify, VERIFY_FORMATS, type FailOn, type ToolInfo, type VerifiedScenario, type VerifyFormat } from '../report/verify-formats.js';
import { EngineDisagreement } from '../verify/check.js';
import { verifyNetwork } from '../verify/verify.js';
import { summarize } from '../verify/results.js';
import { packageFile } from '../util/package-root.js';
import { EXIT, sourceReader, UsageError, type CliIo } from './io.js';

export interface VerifyCliOptions {
  readonly format?: readonly string[];
  readonly output?: string;
  readonly intent?: readonly string[];
  readonly failOn?: string;
  readonly serviceTags?: string;
}

/** What tests replace to make reports reproducible. */
export interface VerifyDeps {
  /** Milliseconds, for the durations in JUnit. */
  readonly now?: () => number;
  readonly tool?: ToolInfo;
}

interface Target {
  readonly format: VerifyFormat;
  /** Undefined: standard output. */
  readonly path?: string;
}

const FAIL_ON: readonly FailOn[] = ['error', 'unknown', 'warning'];

export function parseTargets(formats: readonly string[] | undefined, output: string | undefined): Target[] {
  const specs = formats && formats.length > 0 ? formats : ['text'];
  let targets = specs.map((spec): Target => {
    const eq = spec.indexOf('=');
    const format = (eq < 0 ? spec : spec.slice(0, eq)).toLowerCase();
    if (!(VERIFY_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${spec}: the formats are ${VERIFY_FORMATS.join(', ')} (optionally =FILE)`);
    if (eq < 0) return { format: format as VerifyFormat };
    const path = spec.slice(eq + 1);
    if (path === '') throw new UsageError(`--format ${spec}: name a file after '=' (or '-' for standard output)`);
    return { format: format as VerifyFormat, ...(path === '-' ? {} : { path }) };
  });
  if (output !== undefined) {
    const first = targets.find((t) => t.path === undefined);
    if (!first) throw new UsageError('--output names a file, but every --format already has one');
    targets = targets.map((t) => (t === first && output !== '-' ? { ...t, path: output } : t));
  }
  if (targets.filter((t) => t.path === undefined).length > 1) throw new UsageError('several --format without =FILE would all go to standard output; give each but one a file');
  const seen = new Map<string, VerifyFormat>();
  for (const t of targets) {
    if (t.path === undefined) continue;
    const key = normalize(t.path);
    const other = seen.get(key);
    if (other) throw new UsageError(`--format ${other} and --format ${t.format} both write ${t.path}; give each its own file`);
    seen.set(key, t.format);
  }
  return targets;
}

function parseFailOn(value: string | undefined): FailOn {
  if (value === undefined) return 'error';
  if (!(FAIL_ON as readonly string[]).includes(value)) throw new UsageError(`--fail-on must be error, unknown or warning, not '${value}'`);
  return value as FailOn;
}

function toolInfo(): ToolInfo {
  const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { name: string; version: string; homepage?: string };
  return { name: 'topo', version: pkg.version, informationUri: pkg.homepage ?? `https://www.npmjs.com/package/${pkg.name}` };
}

/** 1 when the run fails at the --fail-on threshold, else 0. */
function exitCodeOf(runs: readonly VerifiedScenario[], failOn: FailOn): number {
  const s = summarize(runs.flatMap((r) => r.results.intents));
  const warned = runs.some((r) => r.results.diagnostics.some((d) => d.severity === 'warning'));
  const fails = s.failed > 0 || (failOn !== 'error' && s.unknown > 0) || (failOn === 'warning' && warned);
  return fails ? EXIT.claimFails : EXIT.ok;
}

export async function runVerify(files: readonly string[], opts: VerifyCliOptions, io: CliIo, deps: VerifyDeps = {}): Promise<number> {
  const targets = parseTargets(opts.format, opts.output);
  const failOn = parseFailOn(opts.failOn);
  const now = deps.now ?? (() => performance.now());
  const source = sourceReader(io.cwd);
  const c = paletteFor(io.stderr, io.env);
  const report = (diagnostics: readonly Diagnostic[]) => {
    for (const d of diagnostics) io.stderr.write(`${formatDiagnostic(d, source, c)}\n`);
  };

  const loaded = files.map((file) => {
    const start = now();
    return { file, ...loadScenario(file, { cwd: io.cwd, serviceTagsFile: opts.serviceTags }), ms: now() - start };
  });
  const invalid = loaded.filter((l) => !l.scenario);
  for (const l of invalid) report(l.diagnostics);
  if (invalid.length > 0) return EXIT.badInput;

  for (const name of opts.intent ?? []) {
    if (!loaded.some((l) => l.scenario!.intents.some((i) => i.name === name))) {
      throw new UsageError(`--intent ${name}: ${files.length === 1 ? `${files[0]} has no intent` : 'none of the files has an intent'} of that name`);
    }
  }

  const runs: VerifiedScenario[] = [];
  for (const l of loaded) {
    const start = now();
    const { network, diagnostics } = compile(l.scenario!, l.catalog!);
    const warnings = [...l.diagnostics, ...diagnostics];
    report(warnings);
    try {
      const results = verifyNetwork(network, warnings, { only: opts.intent });
      runs.push({ file: l.file, network, results, seconds: (l.ms + now() - start) / 1000 });
    } catch (error) {
      if (!(error instanceof EngineDisagreement)) throw error;
      io.stderr.write(`topo: internal error: the packet simulator and the symbolic verifier disagree.\n${error.message}\nThis is a bug in topo; please report it with the scenario.\n`);
      return EXIT.internal;
    }
  }

  const exitCode = exitCodeOf(runs, failOn);
  const tool = deps.tool ?? toolInfo();
  for (const t of targets) {
    const palette = t.path === undefined && t.format === 'text' ? paletteFor(io.stdout, io.env) : undefined;
    const text = renderVerify(t.format, runs, { palette, cwd: io.cwd, exitCode, failOn, tool });
    const body = text.endsWith('\n') ? text : `${text}\n`;
    if (t.path === undefined) {
      io.stdout.write(body);
      continue;
    }
    try {
      writeFileSync(resolve(io.cwd, t.path), body);
    } catch (error) {
      io.stderr.write(`topo: cannot write ${t.path}: ${(error as Error).message}\n`);
      return EXIT.badInput;
    }
  }
  return exitCode;
}
