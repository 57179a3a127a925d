import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../util/package-root.js';
import { CODES, diag, hasErrors, sortDiagnostics, type DiagnosticCode } from './diagnostics.js';

describe('the code registry', () => {
  const codes = Object.keys(CODES) as DiagnosticCode[];

  it('never loses a code: every code ever published is still there (codes are only added)', () => {
    const published = [
      ...['001', '002', '003', '004', '005', '006', '007', '010', '011', '012', '013', '014', '015', '016'],
      ...['100', '101', '102', '103', '104', '105', '106'],
      ...Array.from({ length: 33 }, (_, i) => String(200 + i)),
      ...Array.from({ length: 11 }, (_, i) => String(300 + i)),
    ].map((n) => `TOPO${n}`);
    expect(published.filter((c) => !codes.includes(c as DiagnosticCode))).toEqual([]);
  });

  it('keeps the ranges: 0xx input, 1xx schema, 2xx semantic errors, 3xx warnings', () => {
    for (const code of codes) expect(CODES[code].severity, code).toBe(code.startsWith('TOPO3') ? 'warning' : 'error');
  });

  it('gives every code a unique kebab-case slug and a summary', () => {
    const slugs = codes.map((c) => CODES[c].slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const c of codes) {
      expect(CODES[c].slug, c).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(CODES[c].summary.endsWith('.'), c).toBe(true);
    }
  });

  it('has a test that triggers every code the scenario layer emits', () => {
    const root = packageRoot();
    const read = (dir: string, keep: (name: string) => boolean): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && keep(e.name))
        .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
    // The scenario layer (and the file reader it shares) emits these; TOPO307, 309 and 310 come from the model.
    const emitters = read('src/scenario', (n) => n.endsWith('.ts') && !n.endsWith('.test.ts') && n !== 'diagnostics.ts').join('\n');
    const emitted = codes.filter((c) => emitters.includes(`'${c}'`));
    expect(emitted.length).toBeGreaterThan(60);
    const tests = [...read('src/scenario', (n) => n.endsWith('.test.ts') && n !== 'diagnostics.test.ts'), ...read('test', (n) => n.endsWith('.test.ts'))].join('\n');
    expect(emitted.filter((c) => !tests.includes(`'${c}'`))).toEqual([]);
  });
});

describe('diagnostics', () => {
  const at = (file: string, line: number, col: number) => ({ file, line, col, endLine: line, endCol: col });

  it('take the severity of their code unless told otherwise, and drop empty extras', () => {
    expect(diag('TOPO300', 'm')).toEqual({ code: 'TOPO300', severity: 'warning', message: 'm' });
    expect(diag('TOPO201', 'm', undefined, { related: [], hint: '' })).toEqual({ code: 'TOPO201', severity: 'error', message: 'm' });
    expect(diag('TOPO201', 'm', undefined, { severity: 'note' }).severity).toBe('note');
    expect(hasErrors([diag('TOPO300', 'w')])).toBe(false);
    expect(hasErrors([diag('TOPO300', 'w'), diag('TOPO201', 'e')])).toBe(true);
  });

  it('sort by file, line, column, then code; unlocated first', () => {
    const list = [diag('TOPO300', 'd', at('b.yaml', 1, 1)), diag('TOPO205', 'c', at('a.yaml', 2, 5)), diag('TOPO201', 'b', at('a.yaml', 2, 5)), diag('TOPO100', 'a', at('a.yaml', 2, 1)), diag('TOPO227', 'x'), diag('TOPO201', 'e', at('a.yaml', 10, 1))];
    expect(sortDiagnostics(list).map((d) => d.message)).toEqual(['x', 'a', 'b', 'c', 'e', 'd']);
  });
});
