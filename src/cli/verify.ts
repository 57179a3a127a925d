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
import { performance } from 'node:perf_hooks';
import { renderVerify, type FailOn, type ToolInfo, type VerifiedScenario } from '../report/verify-formats.js';
import { EngineDisagreement } from '../verify/check.js';
import { findingFails } from '../report/lint-findings.js';
import { findingThresholdOf } from '../report/verify-context.js';
import { summarize } from '../verify/results.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { analyze, loadAll, parseTargets, toolInfo, writeTargets } from './scenario-run.js';

export interface VerifyCliOptions {
  readonly format?: readonly string[];
  readonly output?: string;
  readonly intent?: readonly string[];
  readonly failOn?: string;
  readonly serviceTags?: string;
  /** false with --no-lint: intents only. */
  readonly lint?: boolean;
}

/** What tests replace to make reports reproducible. */
export interface VerifyDeps {
  /** Milliseconds, for the durations in JUnit. */
  readonly now?: () => number;
  readonly tool?: ToolInfo;
}

const FAIL_ON: readonly FailOn[] = ['error', 'unknown', 'warning'];

function parseFailOn(value: string | undefined): FailOn {
  if (value === undefined) return 'error';
  if (!(FAIL_ON as readonly string[]).includes(value)) throw new UsageError(`--fail-on must be error, unknown or warning, not '${value}'`);
  return value as FailOn;
}

/** 1 when the run fails at the --fail-on threshold, else 0: failed intents and error findings always, more with a lower threshold. */
function exitCodeOf(runs: readonly VerifiedScenario[], failOn: FailOn): number {
  const s = summarize(runs.flatMap((r) => r.results.intents));
  const warned = runs.some((r) => r.results.diagnostics.some((d) => d.severity === 'warning'));
  const threshold = findingThresholdOf({ failOn });
  const found = runs.some((r) => (r.lint?.findings ?? []).some((f) => findingFails(f, threshold)));
  const fails = s.failed > 0 || found || (failOn !== 'error' && s.unknown > 0) || (failOn === 'warning' && warned);
  return fails ? EXIT.claimFails : EXIT.ok;
}

export async function runVerify(files: readonly string[], opts: VerifyCliOptions, io: CliIo, deps: VerifyDeps = {}): Promise<number> {
  const targets = parseTargets(opts.format, opts.output);
  const failOn = parseFailOn(opts.failOn);
  const now = deps.now ?? (() => performance.now());
  const loaded = loadAll(files, opts.serviceTags, io, now);
  if (!loaded) return EXIT.badInput;

  for (const name of opts.intent ?? []) {
    if (!loaded.some((l) => l.scenario!.intents.some((i) => i.name === name))) {
      throw new UsageError(`--intent ${name}: ${files.length === 1 ? `${files[0]} has no intent` : 'none of the files has an intent'} of that name`);
    }
  }

  const runs: VerifiedScenario[] = [];
  for (const l of loaded) {
    try {
      // Naming intents asks about those intents: the lints run only in a full verify.
      runs.push(analyze(l, { lint: opts.lint !== false && !opts.intent?.length, verify: true, intents: opts.intent }, io, now));
    } catch (error) {
      if (!(error instanceof EngineDisagreement)) throw error;
      io.stderr.write(`topo: internal error: the packet simulator and the symbolic verifier disagree.\n${error.message}\nThis is a bug in topo; please report it with the scenario.\n`);
      return EXIT.internal;
    }
  }

  const exitCode = exitCodeOf(runs, failOn);
  const tool = deps.tool ?? toolInfo();
  const written = writeTargets(targets, (t, palette) => renderVerify(t.format, runs, { palette, cwd: io.cwd, exitCode, failOn, tool }), io);
  return written ?? exitCode;
}
