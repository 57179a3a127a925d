/**
 * `topo diagram FILE -o out.html|out.svg`: draw the design from the model it
 * is verified on, with what was proved drawn on it. Exit 0 written, 2 bad
 * input or usage, 3 internal error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { compile } from '../model/compile.js';
import { loadScenario } from '../scenario/load.js';
import { paletteFor } from '../report/color.js';
import { formatDiagnostic } from '../report/diagnostics-text.js';
import { EngineDisagreement } from '../verify/check.js';
import { verifyNetwork } from '../verify/verify.js';
import { buildDiagram } from '../diagram/build.js';
import { packageVersion } from '../util/package-root.js';
import { renderDiagram } from '../../viz/render.js';
import { EXIT, sourceReader, UsageError, type CliIo } from './io.js';

export interface DiagramCliOptions {
  readonly output: string;
  readonly intent?: readonly string[];
  readonly theme?: string;
  readonly serviceTags?: string;
  /** false: never collapse identical spokes. */
  readonly collapse?: boolean;
}

export function diagramFormat(output: string): 'html' | 'svg' {
  const ext = extname(output).toLowerCase();
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.svg') return 'svg';
  throw new UsageError(`-o ${output}: the diagram is written as .html (interactive) or .svg (static)`);
}

export async function runDiagram(file: string, opts: DiagramCliOptions, io: CliIo): Promise<number> {
  const format = diagramFormat(opts.output);
  const theme = opts.theme ?? 'light';
  if (theme !== 'light' && theme !== 'dark') throw new UsageError(`--theme must be light or dark, not '${theme}'`);
  const loaded = loadScenario(file, { cwd: io.cwd, serviceTagsFile: opts.serviceTags });
  const source = sourceReader(io.cwd);
  const c = paletteFor(io.stderr, io.env);
  if (!loaded.scenario) {
    for (const d of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(d, source, c)}\n`);
    return EXIT.badInput;
  }
  const known = new Set(loaded.scenario.intents.map((i) => i.name));
  for (const name of opts.intent ?? []) if (!known.has(name)) throw new UsageError(`--intent ${name}: ${file} has no intent of that name`);
  const intents = opts.intent && opts.intent.length > 0 ? opts.intent : undefined;

  const { network, diagnostics } = compile(loaded.scenario, loaded.catalog!);
  let results;
  try {
    results = verifyNetwork(network, [...loaded.diagnostics, ...diagnostics], { only: intents });
  } catch (error) {
    if (error instanceof EngineDisagreement) {
      io.stderr.write(`topo: internal error: the packet simulator and the symbolic verifier disagree.\n${error.message}\nThis is a bug in topo; please report it with the scenario.\n`);
      return EXIT.internal;
    }
    throw error;
  }
  const diagram = buildDiagram(network, results, { intents, ...(opts.collapse === false ? { collapseAbove: Infinity } : {}) });
  const highlight = intents ? diagram.intents.map((o) => o.name) : undefined;
  const text = await renderDiagram(diagram, format, { theme, version: packageVersion(), ...(highlight ? { highlight } : {}) });
  const out = resolve(io.cwd, opts.output);
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  } catch (error) {
    io.stderr.write(`topo: ${opts.output} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
    return EXIT.badInput;
  }
  const failed = results.intents.filter((r) => r.status === 'fail').length;
  io.stdout.write(`topo diagram: wrote ${opts.output} (${format}, ${results.intents.length} intent${results.intents.length === 1 ? '' : 's'}, ${failed} failing${diagram.collapse.groups ? `, ${diagram.collapse.vnets} spokes in ${diagram.collapse.groups} group${diagram.collapse.groups === 1 ? '' : 's'}` : ''})\n`);
  return EXIT.ok;
}
