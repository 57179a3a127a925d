import { describe, expect, it } from 'vitest';
import { diag } from '../scenario/diagnostics.js';
import { builtinLoc, type SourceLoc } from '../scenario/source-loc.js';
import { COLOR, paletteFor } from './color.js';
import { diagnosticToJson } from './diagnostics-json.js';
import { formatDiagnostic, printable, summarizeDiagnostics } from './diagnostics-text.js';

const loc = (line: number, col: number, endLine = line, endCol = col): SourceLoc => ({ file: 'main.yaml', line, col, endLine, endCol });
const files: Record<string, string> = { 'main.yaml': 'name: x\nvnets:\n  hub:\n    addressSpace: [10.0.0.1/16]\n' };
const source = (file: string) => files[file];

describe('formatDiagnostic', () => {
  it('prints file:line:col, severity, code and message, a code frame with carets under the span, and the hint', () => {
    const d = diag('TOPO201', "address space '10.0.0.1/16' has host bits set", loc(4, 20, 4, 30), { hint: 'did you mean 10.0.0.0/16?' });
    expect(formatDiagnostic(d, source)).toBe(
      [
        "main.yaml:4:20: error TOPO201: address space '10.0.0.1/16' has host bits set",
        '    4 |     addressSpace: [10.0.0.1/16]',
        '      |                    ^^^^^^^^^^^',
        '    hint: did you mean 10.0.0.0/16?',
      ].join('\n'),
    );
  });

  it('prints warnings, related places as notes, and one caret for a span over several lines', () => {
    const d = diag('TOPO300', 'one-sided', loc(3, 3, 4, 10), { related: [{ message: 'the other side', loc: loc(2, 1) }] });
    expect(formatDiagnostic(d, source).split('\n')).toEqual(['main.yaml:3:3: warning TOPO300: one-sided', '    3 |   hub:', '      |   ^', '    note: the other side: main.yaml:2:1']);
  });

  it('prints no frame when the file cannot be read or the line does not exist, and no place for Azure built-ins', () => {
    expect(formatDiagnostic(diag('TOPO001', 'gone.yaml does not exist', { ...loc(1, 1), file: 'gone.yaml' }), source)).toBe('gone.yaml:1:1: error TOPO001: gone.yaml does not exist');
    expect(formatDiagnostic(diag('TOPO010', 'past the end', loc(99, 1)), source)).toBe('main.yaml:99:1: error TOPO010: past the end');
    expect(formatDiagnostic(diag('TOPO308', 'stale', builtinLoc('defaults')), source)).toBe('warning TOPO308: stale');
    expect(formatDiagnostic(diag('TOPO227', 'no file'), source)).toBe('error TOPO227: no file');
  });

  it('shows tabs as spaces and drops the CR of CRLF files, keeping the caret aligned', () => {
    const text = { 'main.yaml': 'name: x\r\nregion:\teastus3\r\n' };
    const out = formatDiagnostic(diag('TOPO228', 'bad region', loc(2, 9, 2, 15)), (f) => text[f as 'main.yaml']);
    expect(out.split('\n').slice(1)).toEqual(['    2 | region: eastus3', '      |         ^^^^^^^']);
  });

  it('clips very long lines and never draws more than 80 carets', () => {
    const long = { 'main.yaml': `description: ${'x'.repeat(300)}\n` };
    const out = formatDiagnostic(diag('TOPO105', 'long', loc(1, 14, 1, 313)), (f) => long[f as 'main.yaml']).split('\n');
    expect(out[1]).toBe(`    1 | description: ${'x'.repeat(144)}...`);
    expect(out[2]).toBe(`      | ${' '.repeat(13)}${'^'.repeat(80)}`);
  });

  it('never passes control characters from the user files to the terminal', () => {
    const evil = { 'main.yaml': 'name: "\u001b[2J\u001b]0;pwned\u0007"\n' };
    const d = diag('TOPO100', "unknown key 'a\u001b[31mb\nc'", loc(1, 7, 1, 26), { hint: 'x\u0000y' });
    const out = formatDiagnostic(d, (f) => evil[f as 'main.yaml']);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(out.split('\n')).toHaveLength(4);
    expect(out).toContain("unknown key 'a\ufffd[31mb\ufffdc'");
    expect(out.split('\n')[1]).toBe('    1 | name: "\ufffd[2J\ufffd]0;pwned\ufffd"');
    expect(printable('caf\u00e9 \u2603 ok')).toBe('caf\u00e9 \u2603 ok');
  });

  it('colours only when asked, and honours NO_COLOR and FORCE_COLOR', () => {
    const d = diag('TOPO201', 'm', loc(4, 20, 4, 30), { hint: 'h' });
    expect(formatDiagnostic(d, source, COLOR)).toContain('\u001b[31m');
    expect(paletteFor({ isTTY: true }, {})).toBe(COLOR);
    expect(paletteFor({ isTTY: true }, { NO_COLOR: '1' })).not.toBe(COLOR);
    expect(paletteFor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(COLOR);
    expect(paletteFor({ isTTY: false }, { FORCE_COLOR: '0' })).not.toBe(COLOR);
  });

  it('counts errors, warnings and notes', () => {
    const all = [diag('TOPO201', 'a'), diag('TOPO300', 'b'), diag('TOPO302', 'c'), diag('TOPO201', 'd', undefined, { severity: 'note' })];
    expect(summarizeDiagnostics(all)).toEqual({ errors: 1, warnings: 2, notes: 1 });
  });
});

describe('diagnosticToJson', () => {
  it('carries code, slug, severity, message, the full span, hint and related places', () => {
    const d = diag('TOPO225', 'vnets.hub is defined twice', { file: 'net.yaml', line: 3, col: 3, endLine: 3, endCol: 5 }, { hint: 'rename one', related: [{ message: 'first definition', loc: loc(4, 3, 4, 5) }] });
    expect(diagnosticToJson(d)).toEqual({
      code: 'TOPO225',
      slug: 'duplicate-definition',
      severity: 'error',
      message: 'vnets.hub is defined twice',
      file: 'net.yaml',
      line: 3,
      col: 3,
      endLine: 3,
      endCol: 5,
      hint: 'rename one',
      related: [{ message: 'first definition', file: 'main.yaml', line: 4, col: 3 }],
    });
    expect(diagnosticToJson(diag('TOPO227', 'x'))).toEqual({ code: 'TOPO227', slug: 'service-tags-file', severity: 'error', message: 'x' });
  });
});
