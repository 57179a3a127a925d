/**
 * Writes literal YAML fixtures to a throw-away directory and loads them with
 * the real loader, so tests see exactly what `topo validate` sees. Paths in
 * diagnostics are relative to that directory (`main.yaml:3:7`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { loadScenario, type Loaded, type LoadOptions } from '../../src/scenario/load.js';
import type { Diagnostic, DiagnosticCode } from '../../src/scenario/diagnostics.js';

let root: string | undefined;

// Importing this module registers the clean-up on the importing test file, whose
// worker may be killed rather than exit (so process 'exit' handlers never run).
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** One directory per test file, removed after its last test. */
function fixtureRoot(): string {
  root ??= mkdtempSync(join(tmpdir(), 'topo-fixtures-'));
  return root;
}

/**
 * Strips the indentation common to all non-blank lines and the first newline,
 * so fixtures can sit indented inside a test yet keep exact line numbers:
 * the line after the opening backtick is line 1.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/** Writes files (relative path -> content) into a fresh directory and returns it. */
export function writeFixture(files: Readonly<Record<string, string | Uint8Array>>): string {
  const dir = mkdtempSync(join(fixtureRoot(), 'case-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

export interface LoadedFixture extends Loaded {
  readonly dir: string;
  /** Codes of all diagnostics, in the loader's (sorted) order. */
  readonly codes: DiagnosticCode[];
  /** The diagnostics with this code. */
  with(code: DiagnosticCode): Diagnostic[];
  /**
   * The single diagnostic with this code at line:col of `file` (default the
   * main file); fails listing everything reported when there is not exactly one.
   */
  at(code: DiagnosticCode, line: number, col: number, file?: string): Diagnostic;
}

/**
 * Loads `main` (default the first file) from the written files. Options are
 * passed to loadScenario with cwd set to the fixture directory.
 */
export function loadFixture(files: Readonly<Record<string, string | Uint8Array>>, options: LoadOptions & { main?: string } = {}): LoadedFixture {
  const dir = writeFixture(files);
  const main = options.main ?? Object.keys(files)[0];
  const loaded = loadScenario(main, { ...options, cwd: dir });
  return withQueries(loaded, dir, main);
}

/** Shorthand for a single file named main.yaml. */
export function loadYaml(text: string, options: LoadOptions = {}): LoadedFixture {
  return loadFixture({ 'main.yaml': text }, options);
}

export function withQueries(loaded: Loaded, dir: string, main: string): LoadedFixture {
  const list = () => loaded.diagnostics.map(describeDiagnostic).join('\n') || '(no diagnostics)';
  return {
    ...loaded,
    dir,
    codes: loaded.diagnostics.map((d) => d.code),
    with: (code) => loaded.diagnostics.filter((d) => d.code === code),
    at(code, line, col, file = main) {
      const hits = loaded.diagnostics.filter((d) => d.code === code && d.loc?.file === file && d.loc.line === line && d.loc.col === col);
      if (hits.length !== 1) throw new Error(`expected one ${code} at ${file}:${line}:${col}, found ${hits.length}; reported:\n${list()}`);
      return hits[0];
    },
  };
}

export function describeDiagnostic(d: Diagnostic): string {
  const where = d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}` : '-';
  return `${where} ${d.code} ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`;
}
