/** Diagnostics as `file:line:col: severity CODE: message` with a short code frame. */
import type { Diagnostic } from '../scenario/diagnostics.js';
import { formatLoc, isBuiltin } from '../scenario/source-loc.js';
import { PLAIN, type Palette } from './color.js';

export type SourceLookup = (file: string) => string | undefined;

export function formatDiagnostic(d: Diagnostic, source: SourceLookup, c: Palette = PLAIN): string {
  const sev = d.severity === 'error' ? c.red(c.bold('error')) : d.severity === 'warning' ? c.yellow(c.bold('warning')) : c.cyan('note');
  const where = d.loc && !isBuiltin(d.loc) ? `${printable(formatLoc(d.loc))}: ` : '';
  const lines = [`${where}${sev} ${d.code}: ${printable(d.message)}`];
  if (d.loc && !isBuiltin(d.loc)) lines.push(...codeFrame(source(d.loc.file), d.loc.line, d.loc.col, d.loc.endLine === d.loc.line ? d.loc.endCol : undefined, c));
  if (d.hint) lines.push(`    ${c.cyan('hint:')} ${printable(d.hint)}`);
  for (const r of d.related ?? []) lines.push(`    ${c.dim('note:')} ${printable(r.message)}: ${printable(formatLoc(r.loc))}`);
  return lines.join('\n');
}

/**
 * Text from the user's files (names, values, whole source lines) must not
 * drive the terminal: control characters, escape sequences included, become
 * U+FFFD, one for one, so that carets stay under what they point at.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, '\ufffd');
}

/** The last source's line starts: a file with thousands of errors must not be split into lines once per error. */
let indexed: { readonly text: string; readonly starts: readonly number[] } | undefined;

function lineOf(text: string, line: number): string | undefined {
  if (indexed?.text !== text) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    indexed = { text, starts };
  }
  const { starts } = indexed;
  if (line < 1 || line > starts.length) return undefined;
  return text.slice(starts[line - 1], line < starts.length ? starts[line] - 1 : text.length);
}

function codeFrame(text: string | undefined, line: number, col: number, endCol: number | undefined, c: Palette): string[] {
  if (text === undefined) return [];
  const src = lineOf(text, line);
  if (src === undefined) return [];
  const shown = printable(src.replace(/\r$/, '').replace(/\t/g, ' '));
  const clipped = shown.length > 160 ? `${shown.slice(0, 157)}...` : shown;
  const gutter = String(line).padStart(5);
  const width = Math.max(1, Math.min((endCol ?? col) - col + 1, clipped.length - col + 1, 80));
  return [`${c.dim(`${gutter} |`)} ${clipped}`, `${c.dim(`${' '.repeat(5)} |`)} ${' '.repeat(Math.max(0, col - 1))}${c.red('^'.repeat(width))}`];
}

export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number; notes: number } {
  return {
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    notes: diagnostics.filter((d) => d.severity === 'note').length,
  };
}
