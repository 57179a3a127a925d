import { describe, expect, it } from 'vitest';
import { FULL_PARSER_ERROR_MAX_BYTES, FULL_PARSER_MAX_BYTES } from './yaml-limits.js';
import { parseYaml } from './yaml-parse.js';
import { parseWithReference } from './yaml-reference.js';
import type { LMap, LScalar } from './yaml-tree.js';

const FILE = 'f.yaml';

/** Valid filler of about `bytes` characters: rules the fast parser reads. */
function filler(bytes: number): string {
  const line = '  - {name: r, priority: 100, access: Allow}\n';
  return `rules:\n${line.repeat(Math.ceil(bytes / line.length))}`;
}

const junk = (bytes: number): string => 'ab: : ]] [[ {{ \n'.repeat(Math.ceil(bytes / 16));

describe('parseYaml: invalid input', () => {
  it('keeps a definitive error of the fast parser, even in a small file', () => {
    const r = parseYaml('a:\n\tb: 1\n', FILE);
    expect(r.root).toBeUndefined();
    expect(r.diagnostics).toMatchObject([{ code: 'TOPO010', message: 'tabs are not allowed as indentation', loc: { line: 2, col: 1 } }]);
  });

  it('lets the reference parser explain a syntax error in a small file', () => {
    const text = 'a: [1, 2\nb: 3\n';
    expect(parseYaml(text, FILE)).toEqual(parseWithReference(text, FILE));
  });

  it('reports the fast parser\'s error in a large file, without the slow reference parser', () => {
    const text = `${filler(FULL_PARSER_ERROR_MAX_BYTES + 1000)}oops: [1\n`;
    const started = performance.now();
    const r = parseYaml(text, FILE);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'TOPO010', loc: { file: FILE } });
  });

  it('finds junk after an unsupported feature in a large file instead of handing it to the reference parser', () => {
    const text = `name: !tag x\n${junk(FULL_PARSER_ERROR_MAX_BYTES * 4)}`;
    const started = performance.now();
    const r = parseYaml(text, FILE);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.diagnostics).toMatchObject([{ code: 'TOPO010', loc: { line: 2, col: 5 } }]);
  });

  it('refuses a large file with a feature only the reference parser reads, naming the feature and its line', () => {
    const text = `${filler(FULL_PARSER_ERROR_MAX_BYTES)}? explicit\n: key\n`;
    const r = parseYaml(text, FILE);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].code).toBe('TOPO010');
    expect(r.diagnostics[0].message).toMatch(/^this file uses an explicit map key \(\?\) \(line \d+\), which topo reads only in files up to 128 KiB$/);
    expect(r.diagnostics[0].hint).toMatch(/include:/);
  });

  it('refuses a file over the reference parser\'s limit that needs it', () => {
    const text = `a: !tag x\n${filler(FULL_PARSER_MAX_BYTES)}`;
    expect(parseYaml(text, FILE).diagnostics).toMatchObject([{ code: 'TOPO010', message: 'this file uses a YAML tag (!) (line 1), which topo reads only in files up to 4 MiB', loc: { line: 1, col: 4 } }]);
  });

  it('checks flow depth before the reference parser, which would abort the process', () => {
    const text = `a: !tag x\nb: ${'['.repeat(20_000)}\n`;
    expect(parseYaml(text, FILE).diagnostics).toMatchObject([{ code: 'TOPO013', loc: { line: 2 } }]);
  });
});

describe('parseYaml', () => {
  it('takes the fast parser\'s tree', () => {
    const text = 'name: hub\nports: ["443", 80]\n';
    expect(parseYaml(text, FILE)).toEqual(parseWithReference(text, FILE));
  });

  it('hands features outside the subset to the reference parser', () => {
    const r = parseYaml('a: !!str 1\n', FILE);
    expect(r.diagnostics).toEqual([]);
    expect(((r.root as LMap).entries[0].value as LScalar).value).toBe('1');
  });

  it('hands a large file with a tag to the reference parser once the rest is known to be well-formed', () => {
    const text = `a: !!str 1\n${filler(FULL_PARSER_ERROR_MAX_BYTES)}`;
    const r = parseYaml(text, FILE);
    expect(r.diagnostics).toEqual([]);
    expect(((r.root as LMap).entries[0].value as LScalar).value).toBe('1');
  });
});
