/**
 * `topo diff BASE HEAD` or `topo diff FILE [--base REV]`: which flows a change
 * opens or closes and which intents change status. Exit 0 no reachability
 * change, 1 changes found (like `git diff --exit-code`), 2 bad input;
 * `--fail-on intent-regression` fails only when an intent gets worse.
 */
import { resolve } from 'node:path';
import { analyze, deriveAnalysis } from '../diff/analysis.js';
import { diffAnalyses, type DiffResult } from '../diff/engine.js';
import { GitError, gitVersion } from '../diff/git.js';
import { loadScenario, type Loaded } from '../scenario/load.js';
import { paletteFor } from '../report/color.js';
import { formatDiagnostic } from '../report/diagnostics-text.js';
import { diffJson } from '../report/diff-json.js';
import { formatDiffMarkdown } from '../report/diff-markdown.js';
import { formatDiffText } from '../report/diff-text.js';
import { EngineDisagreement } from '../verify/check.js';
import { EXIT, sourceReader, UsageError, type CliIo } from './io.js';

export interface DiffCliOptions {
  readonly base?: string;
  readonly format: string;
  readonly failOn?: string;
  readonly serviceTags?: string;
}

export async function runDiff(files: readonly string[], opts: DiffCliOptions, io: CliIo): Promise<number> {
  if (!['text', 'json', 'markdown'].includes(opts.format)) throw new UsageError(`--format must be text, json or markdown, not '${opts.format}'`);
  if (opts.failOn !== undefined && opts.failOn !== 'intent-regression' && opts.failOn !== 'change') throw new UsageError(`--fail-on must be change (default) or intent-regression, not '${opts.failOn}'`);
  if (files.length === 0 || files.length > 2) throw new UsageError('give two scenario files (topo diff BASE HEAD) or one (topo diff FILE, compared with git)');
  if (files.length === 2 && opts.base) throw new UsageError('--base compares one file with a git revision; with two files, drop --base');
  let base: Loaded;
  let head: Loaded;
  let header: { base: string; head: string };
  if (files.length === 2) {
    base = loadScenario(files[0], { cwd: io.cwd, serviceTagsFile: opts.serviceTags });
    head = loadScenario(files[1], { cwd: io.cwd, serviceTagsFile: opts.serviceTags });
    header = { base: files[0], head: files[1] };
  } else {
    const rev = opts.base ?? 'HEAD';
    let git;
    try {
      git = gitVersion(io.cwd, rev);
    } catch (error) {
      if (error instanceof GitError) throw new UsageError(error.message);
      throw error;
    }
    if (git.read(resolve(io.cwd, files[0])) === undefined) throw new UsageError(`${files[0]} does not exist at ${rev}; nothing to compare with`);
    base = loadScenario(files[0], { cwd: io.cwd, serviceTagsFile: opts.serviceTags, readFile: (p) => git.read(p), displaySuffix: `@${rev}` });
    head = loadScenario(files[0], { cwd: io.cwd, serviceTagsFile: opts.serviceTags });
    header = { base: `${files[0]}@${rev}`, head: files[0] };
  }
  const source = sourceReader(io.cwd);
  const c = paletteFor(io.stderr, io.env);
  if (!base.scenario || !head.scenario) {
    for (const d of [...base.diagnostics, ...head.diagnostics].filter((x) => x.severity === 'error')) io.stderr.write(`${formatDiagnostic(d, source, c)}\n`);
    return EXIT.badInput;
  }
  let result: DiffResult;
  let headNet;
  try {
    const baseAnalysis = analyze(base.scenario, base.catalog!);
    const derived = deriveAnalysis(baseAnalysis, head.scenario, head.catalog!);
    headNet = derived.analysis.net;
    result = diffAnalyses(baseAnalysis, derived.analysis, derived.changes);
  } catch (error) {
    if (error instanceof EngineDisagreement) {
      io.stderr.write(`topo: internal error: the packet simulator and the symbolic verifier disagree.\n${error.message}\n`);
      return EXIT.internal;
    }
    throw error;
  }
  if (opts.format === 'json') io.stdout.write(`${JSON.stringify(diffJson(headNet, result, header), null, 2)}\n`);
  else if (opts.format === 'markdown') io.stdout.write(`${formatDiffMarkdown(result, header)}\n`);
  else io.stdout.write(`${formatDiffText(result, header, paletteFor(io.stdout, io.env))}\n`);
  if (opts.failOn === 'intent-regression') return result.intents.some((i) => i.regression) ? EXIT.claimFails : EXIT.ok;
  return result.flows.length > 0 || result.intents.length > 0 ? EXIT.claimFails : EXIT.ok;
}
