/**
 * What `topo verify` and `topo lint` share: load every file first (so one
 * run reports the input errors of all of them), compile, lint and verify
 * each, and write every output only at the end (SARIF and JUnit hold the
 * whole run in one document and record its exit code).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { normalize, resolve } from 'node:path';
import { runLints } from '../lint/run.js';
import { compile } from '../model/compile.js';
import { paletteFor, type Palette } from '../report/color.js';
import { formatDiagnostic } from '../report/diagnostics-text.js';
import { VERIFY_FORMATS, type ToolInfo, type VerifiedScenario, type VerifyFormat } from '../report/verify-formats.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import { loadScenario, type Loaded } from '../scenario/load.js';
import { packageFile } from '../util/package-root.js';
import { buildGraph } from '../verify/graph.js';
import { verifyNetwork } from '../verify/verify.js';
import { EXIT, sourceReader, UsageError, type CliIo } from './io.js';

export interface Target {
  readonly format: VerifyFormat;
  /** Undefined: standard output. */
  readonly path?: string;
}

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
export function toolInfo(): ToolInfo {
  const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { name: string; version: string; homepage?: string };
  return { name: 'topo', version: pkg.version, informationUri: pkg.homepage ?? `https://www.npmjs.com/package/${pkg.name}` };
}
export interface LoadedFile extends Loaded {
  readonly file: string;
  /** Time to load and validate it. */
  readonly ms: number;
}

function reporter(io: CliIo): (diagnostics: readonly Diagnostic[]) => void {
  const source = sourceReader(io.cwd);
  const c = paletteFor(io.stderr, io.env);
  return (diagnostics) => {
    for (const d of diagnostics) io.stderr.write(`${formatDiagnostic(d, source, c)}\n`);
  };
}

/** Every file loaded and validated, or undefined when one is invalid (its diagnostics are on stderr). */
export function loadAll(files: readonly string[], serviceTags: string | undefined, io: CliIo, now: () => number): LoadedFile[] | undefined {
  const loaded = files.map((file) => {
    const start = now();
    return { file, ...loadScenario(file, { cwd: io.cwd, serviceTagsFile: serviceTags }), ms: now() - start };
  });
  const invalid = loaded.filter((l) => !l.scenario);
  const report = reporter(io);
  for (const l of invalid) report(l.diagnostics);
  return invalid.length > 0 ? undefined : loaded;
}

export interface AnalyzeOptions {
  readonly lint: boolean;
  /** Only these lints (ids or names). */
  readonly lints?: readonly string[];
  readonly verify: boolean;
  readonly intents?: readonly string[];
}

/** Compiles one loaded file, then lints and verifies it on one shared graph; warnings go to stderr. */
export function analyze(l: LoadedFile, opts: AnalyzeOptions, io: CliIo, now: () => number): VerifiedScenario {
  const start = now();
  const { network, diagnostics } = compile(l.scenario!, l.catalog!);
  const graph = buildGraph(network);
  const lint = opts.lint ? runLints(network, { graph, only: opts.lints }) : undefined;
  // A lint that reports a problem in its own words replaces the loader's warning about it (TOPO-L001 for TOPO302).
  const warnings = [...l.diagnostics, ...diagnostics].filter((d) => !lint?.supersedes.has(d.code));
  warnings.push(...(lint?.diagnostics ?? []));
  reporter(io)(warnings);
  const results = verifyNetwork(network, warnings, { only: opts.verify ? opts.intents : [] }, graph);
  return { file: l.file, network, results, ...(lint ? { lint } : {}), seconds: (l.ms + now() - start) / 1000 };
}

/** Writes each output; EXIT.badInput when a file cannot be written, else undefined. */
export function writeTargets(targets: readonly Target[], render: (t: Target, palette: Palette | undefined) => string, io: CliIo): number | undefined {
  for (const t of targets) {
    const palette = t.path === undefined && t.format === 'text' ? paletteFor(io.stdout, io.env) : undefined;
    const text = render(t, palette);
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
  return undefined;
}
