/** `topo validate FILE...`: exit 0 when every file is valid (warnings printed), 2 when not. */
import { loadScenario } from '../scenario/load.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import { paletteFor } from '../report/color.js';
import { formatDiagnostic, summarizeDiagnostics } from '../report/diagnostics-text.js';
import { diagnosticToJson } from '../report/diagnostics-json.js';
import { plural } from '../net/text.js';
import { EXIT, sourceReader, UsageError, type CliIo } from './io.js';

export interface ValidateOptions {
  readonly format: string;
  readonly serviceTags?: string;
}

export async function runValidate(files: readonly string[], opts: ValidateOptions, io: CliIo): Promise<number> {
  if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`--format must be text or json, not '${opts.format}'`);
  const results = files.map((file) => ({ file, loaded: loadScenario(file, { cwd: io.cwd, serviceTagsFile: opts.serviceTags }) }));
  const valid = results.every((r) => r.loaded.scenario !== undefined);
  if (opts.format === 'json') {
    const all = results.flatMap((r) => r.loaded.diagnostics);
    const s = summarizeDiagnostics(all);
    io.stdout.write(
      `${JSON.stringify(
        {
          schemaVersion: 1,
          valid,
          files: results.map((r) => ({ file: r.file, valid: r.loaded.scenario !== undefined, scenario: r.loaded.scenario?.name, catalog: r.loaded.catalog?.source })),
          summary: { errors: s.errors, warnings: s.warnings },
          diagnostics: all.map(diagnosticToJson),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const c = paletteFor(io.stderr, io.env);
    const source = sourceReader(io.cwd);
    for (const r of results) {
      for (const d of r.loaded.diagnostics) io.stderr.write(`${formatDiagnostic(d, source, c)}\n`);
      io.stdout.write(`${summaryLine(r.file, r.loaded.diagnostics, r.loaded.scenario !== undefined)}\n`);
    }
  }
  return valid ? EXIT.ok : EXIT.badInput;
}

function summaryLine(file: string, diagnostics: readonly Diagnostic[], valid: boolean): string {
  const s = summarizeDiagnostics(diagnostics);
  const parts = [s.errors ? plural(s.errors, 'error') : '', s.warnings ? plural(s.warnings, 'warning') : ''].filter(Boolean);
  return valid ? `${file}: valid${parts.length ? ` (${parts.join(', ')})` : ''}` : `${file}: invalid (${parts.join(', ')})`;
}
