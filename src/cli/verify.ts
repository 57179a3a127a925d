/**
 * `topo verify FILE...`: prove or refute every intent over all packets.
 * Exit 0 all pass, 1 any fails (or, with --fail-on warning, any unknown or
 * warning), 2 bad input, 3 internal error (including engine disagreement).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compile } from '../model/compile.js';
import { loadScenario } from '../scenario/load.js';
import { paletteFor } from '../report/color.js';
import { formatDiagnostic } from '../report/diagnostics-text.js';
import { renderVerify, VERIFY_FORMATS, type VerifyFormat } from '../report/verify-formats.js';
import { EngineDisagreement } from '../verify/check.js';
import { verifyNetwork } from '../verify/verify.js';
import { summarize } from '../verify/results.js';
import { EXIT, sourceReader, UsageError, type CliIo } from './io.js';

export interface VerifyCliOptions {
  readonly format?: readonly string[];
  readonly output?: string;
  readonly intent?: readonly string[];
  readonly failOn?: string;
  readonly serviceTags?: string;
}

interface Target {
  readonly format: VerifyFormat;
  readonly path?: string;
}

export function parseTargets(formats: readonly string[] | undefined, output: string | undefined): Target[] {
  const specs = formats && formats.length > 0 ? formats : ['text'];
  const targets = specs.map((spec): Target => {
    const eq = spec.indexOf('=');
    const format = (eq < 0 ? spec : spec.slice(0, eq)).toLowerCase();
    if (!(VERIFY_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${spec}: the formats are ${VERIFY_FORMATS.join(', ')} (optionally =FILE)`);
    return { format: format as VerifyFormat, ...(eq >= 0 ? { path: spec.slice(eq + 1) } : {}) };
  });
  if (output !== undefined) {
    const first = targets.find((t) => t.path === undefined);
    if (!first) throw new UsageError('--output names a file, but every --format already has one');
    return targets.map((t) => (t === first ? { ...t, path: output } : t));
  }
  if (targets.filter((t) => t.path === undefined).length > 1) throw new UsageError('several --format without =FILE would all go to standard output; give each but one a file');
  return targets;
}

export async function runVerify(files: readonly string[], opts: VerifyCliOptions, io: CliIo): Promise<number> {
  const targets = parseTargets(opts.format, opts.output);
  if (opts.failOn !== undefined && !['error', 'warning', 'unknown'].includes(opts.failOn)) throw new UsageError(`--fail-on must be error, warning or unknown, not '${opts.failOn}'`);
  const source = sourceReader(io.cwd);
  const c = paletteFor(io.stderr, io.env);
  let exit: number = EXIT.ok;
  const outputs = new Map<string, string[]>();
  for (const file of files) {
    const loaded = loadScenario(file, { cwd: io.cwd, serviceTagsFile: opts.serviceTags });
    if (!loaded.scenario) {
      for (const d of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(d, source, c)}\n`);
      return EXIT.badInput;
    }
    const known = new Set(loaded.scenario.intents.map((i) => i.name));
    for (const name of opts.intent ?? []) if (!known.has(name)) throw new UsageError(`--intent ${name}: ${file} has no intent of that name`);
    const { network, diagnostics } = compile(loaded.scenario, loaded.catalog!);
    const warnings = [...loaded.diagnostics, ...diagnostics];
    let results;
    try {
      results = verifyNetwork(network, warnings, { only: opts.intent });
    } catch (error) {
      if (error instanceof EngineDisagreement) {
        io.stderr.write(`topo: internal error: the packet simulator and the symbolic verifier disagree.\n${error.message}\nThis is a bug in topo; please report it with the scenario.\n`);
        return EXIT.internal;
      }
      throw error;
    }
    if (targets.some((t) => t.format !== 'text' || t.path !== undefined)) for (const d of warnings) io.stderr.write(`${formatDiagnostic(d, source, c)}\n`);
    for (const t of targets) {
      const palette = t.path === undefined && t.format === 'text' ? paletteFor(io.stdout, io.env) : undefined;
      const text = renderVerify(t.format, network, results, { palette, cwd: io.cwd, warnings });
      const key = t.path ?? '-';
      outputs.set(key, [...(outputs.get(key) ?? []), text]);
    }
    const s = summarize(results.intents);
    if (s.failed > 0) exit = EXIT.claimFails;
    else if (opts.failOn === 'unknown' && s.unknown > 0) exit = Math.max(exit, EXIT.claimFails);
    else if (opts.failOn === 'warning' && (s.unknown > 0 || warnings.some((d) => d.severity === 'warning'))) exit = Math.max(exit, EXIT.claimFails);
  }
  for (const [path, texts] of outputs) {
    const body = texts.length === 1 ? texts[0] : texts.join('\n');
    if (path === '-') io.stdout.write(body.endsWith('\n') ? body : `${body}\n`);
    else writeFileSync(resolve(io.cwd, path), body.endsWith('\n') ? body : `${body}\n`);
  }
  return exit;
}
