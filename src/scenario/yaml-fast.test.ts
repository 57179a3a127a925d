import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { checkFast, parseFast } from './yaml-fast.js';
import { MAX_DEPTH } from './yaml-limits.js';
import { parseWithReference } from './yaml-reference.js';
import type { LMap, LNode, LScalar, LSeq } from './yaml-tree.js';

const FILE = 'f.yaml';

/** Parses with both front ends, expects both to succeed with the same tree, and returns it. */
function same(text: string): LNode | undefined {
  const fast = parseFast(text, FILE);
  const reference = parseWithReference(text, FILE);
  expect(reference.diagnostics).toEqual([]);
  expect(fast.kind).toBe('ok');
  if (fast.kind !== 'ok') return undefined;
  expect(fast.root).toEqual(reference.root);
  return fast.root;
}

/** Expects a syntax error from the fast parser that the reference parser also reports. */
function fails(text: string): Diagnostic {
  const fast = parseFast(text, FILE);
  expect(fast.kind).toBe('error');
  expect(parseWithReference(text, FILE).diagnostics.length).toBeGreaterThan(0);
  if (fast.kind !== 'error') throw new Error('unreachable');
  expect(fast.diagnostics).toHaveLength(1);
  return fast.diagnostics[0];
}

function unsupported(text: string): string {
  const fast = parseFast(text, FILE);
  expect(fast.kind).toBe('unsupported');
  return fast.kind === 'unsupported' ? fast.feature : '';
}

const at = (d: Diagnostic): string => `${d.loc?.line}:${d.loc?.col}`;
const map = (node: LNode | undefined): LMap => node as LMap;
const seq = (node: LNode | undefined): LSeq => node as LSeq;
const scalar = (node: LNode | undefined): LScalar => node as LScalar;
const span = (node: { loc: { line: number; col: number; endLine: number; endCol: number } }): string => `${node.loc.line}:${node.loc.col}-${node.loc.endLine}:${node.loc.endCol}`;

describe('parseFast: syntax errors', () => {
  it.each([
    ['an unclosed flow sequence', 'a: [1, 2\nb: 3\n', 'TOPO010', '2:1'],
    ['an unclosed flow map', 'a: {b: 1\n', 'TOPO010', '2:1'],
    ['an unclosed double quote', 'a: "x\n', 'TOPO010', '2:1'],
    ["an unclosed single quote", "a: 'x\n", 'TOPO010', '2:1'],
    ['a bad escape', 'a: "\\q"\n', 'TOPO010', '1:5'],
    ['a mismatched bracket', 'a: [1}\n', 'TOPO010', '1:6'],
    ['a stray closing bracket', 'a: ]\n', 'TOPO010', '1:4'],
    ['a leading comma', 'a: [, 1]\n', 'TOPO010', '1:5'],
    ['a missing comma', 'a: ["x" "y"]\n', 'TOPO010', '1:9'],
    ['a nested compact map', 'a: b: c\n', 'TOPO010', '1:4'],
    ['a list on the key line', 'a: - b\n', 'TOPO010', '1:4'],
    ['a key without value', 'a: 1\nb\n', 'TOPO010', '2:1'],
    ['a multi-line key', 'a: 1\nb\n  c: 2\n', 'TOPO010', '2:1'],
    ['a deeper key', 'a: 1\n  # c\n  b: 2\n', 'TOPO010', '3:3'],
    ['a shallower key', 'a:\n    b: 1\n  c: 2\n', 'TOPO010', '3:3'],
    ['a list item at the key column', 'a: 1\n- b\n', 'TOPO010', '2:1'],
    ['a misaligned list item', 'a:\n  - b\n - c\n', 'TOPO010', '3:2'],
    ['a comment at column 0 right after a flow map value', '{a: 1\n# c\n}\n', 'TOPO010', '2:1'],
    ['a comment glued to a quoted value', 'a: "x"#c\n', 'TOPO010', '1:7'],
    ['a comment glued to a flow value', 'a: [x]#c\n', 'TOPO010', '1:7'],
    ['content after a quoted value', 'a: "x" y\n', 'TOPO010', '1:8'],
    ['a reserved indicator', 'a: @x\n', 'TOPO010', '1:4'],
    ['a backquote', 'a: `x\n', 'TOPO010', '1:4'],
    ['a flow line not indented enough', 'a: [\n1]\n', 'TOPO010', '2:1'],
    ['a block scalar with a bad header', 'a: |x\n  t\n', 'TOPO010', '1:5'],
    ['a block scalar header glued to a comment', 'a: |#c\n  t\n', 'TOPO010', '1:5'],
    ['an empty anchor', 'a: & x\n', 'TOPO010', '1:4'],
    ['an alias with properties', 'a: &x *y\n', 'TOPO010', '1:4'],
    ['a key 1025 characters from its colon', `${'k'.repeat(1025)}: 1\n`, 'TOPO010', '1:1'],
    ['content not fitting the root', '  a: 1\nb: 2\n', 'TOPO010', '2:1'],
    ['a second document', 'a: 1\n---\nb: 2\n', 'TOPO014', '2:1'],
    ['an undefined alias', 'a: *nope\n', 'TOPO010', '1:4'],
    ['a map as key', '[a]: 1\n', 'TOPO016', '1:1'],
    ['an alias as key', 'a: &x 1\n*x : 2\n', 'TOPO016', '2:1'],
  ])('%s', (_name, text, code, where) => {
    const d = fails(text);
    expect(d.code).toBe(code);
    expect(at(d)).toBe(where);
    expect(d.loc?.file).toBe(FILE);
  });

  it('explains a bare * (the "any" of NSG rules) with a hint', () => {
    const d = fails('rules:\n  - protocol: *\n');
    expect(d.message).toBe('alias cannot be an empty string');
    expect(at(d)).toBe('2:15');
    expect(d.hint).toMatch(/"\*"/);
  });

  it('rejects tabs used as indentation, definitively', () => {
    const fast = parseFast('a:\n\tb: 1\n', FILE);
    expect(fast).toMatchObject({ kind: 'error', definitive: true, diagnostics: [{ code: 'TOPO010', message: 'tabs are not allowed as indentation', loc: { line: 2, col: 1 } }] });
    expect(parseWithReference('a:\n\tb: 1\n', FILE).diagnostics.length).toBeGreaterThan(0);
  });

  it('stops at the first error of a file full of junk, in bounded time', () => {
    const junk = 'ab: : ]] [[ {{ \n'.repeat(200_000);
    const started = performance.now();
    const fast = parseFast(junk, FILE);
    expect(performance.now() - started).toBeLessThan(100);
    expect(fast).toMatchObject({ kind: 'error', diagnostics: [{ loc: { line: 1, col: 5 } }] });
  });
});

describe('parseFast: limits', () => {
  it('agrees with the reference converter on the depth limit, to the level', () => {
    for (const depth of [MAX_DEPTH, MAX_DEPTH + 1]) {
      for (const text of [`${'['.repeat(depth)}x${']'.repeat(depth)}\n`, `${'- '.repeat(depth)}x\n`, `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}a:`).join('\n')}\n${' '.repeat(depth)}x\n`]) {
        const fast = parseFast(text, FILE);
        const reference = parseWithReference(text, FILE);
        if (depth === MAX_DEPTH) {
          expect(fast.kind).toBe('ok');
          expect(fast.kind === 'ok' && fast.root).toEqual(reference.root);
        } else {
          expect(fast).toMatchObject({ kind: 'error', definitive: true, diagnostics: [{ code: 'TOPO013' }] });
          expect(reference.diagnostics[0].code).toBe('TOPO013');
        }
      }
    }
  });

  it('reports extreme nesting at level 65, whatever follows', () => {
    expect(parseFast('['.repeat(100_000), FILE)).toMatchObject({ kind: 'error', definitive: true, diagnostics: [{ code: 'TOPO013', loc: { line: 1, col: 66 } }] });
    expect(parseFast(`${'- '.repeat(50_000)}x\n`, FILE)).toMatchObject({ kind: 'error', definitive: true, diagnostics: [{ code: 'TOPO013', loc: { line: 1, col: 131 } }] });
  });

  it('counts alias expansion like the reference converter and stops alias bombs', () => {
    const names = 'abcdefghij';
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < names.length; i++) bomb += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]\n`;
    const fast = parseFast(bomb, FILE);
    expect(fast).toMatchObject({ kind: 'error', definitive: true, diagnostics: [{ code: 'TOPO012' }] });
    const reference = parseWithReference(bomb, FILE);
    expect(reference.diagnostics[0].code).toBe('TOPO012');
    expect(fast.kind === 'error' && at(fast.diagnostics[0])).toBe(at(reference.diagnostics[0]));
  });

  it('rejects an alias inside the node it names', () => {
    expect(parseFast('a: &x [1, *x]\n', FILE)).toMatchObject({ kind: 'error', definitive: true, diagnostics: [{ code: 'TOPO012', loc: { line: 1, col: 11 } }] });
    expect(parseWithReference('a: &x [1, *x]\n', FILE).diagnostics.length).toBeGreaterThan(0);
  });

  it('allows a key whose colon is 1024 characters after its start', () => {
    expect(map(same(`${'k'.repeat(1024)}: 1\n`)).entries[0].key).toHaveLength(1024);
  });
});

describe('parseFast: YAML it leaves to the reference parser', () => {
  it.each([
    ['a tag', 'a: !!str 1\n', 'a YAML tag (!)'],
    ['a directive', '%YAML 1.2\n---\na: 1\n', 'a YAML directive (%)'],
    ['an explicit key', '? a\n: b\n', 'an explicit map key (?)'],
    ['an empty key', ': b\n', 'a map entry without a key'],
    ['an anchor on a key', '- &a x: 1\n', 'an anchor on a map key'],
    ['an anchor on its own line', '&a\nb: 1\n', 'an anchor on a line of its own'],
    ['an anchored empty value', 'a: &x\nb: 1\n', 'an anchor on an empty value'],
    ['a pair in a flow sequence', '[a: 1]\n', 'a key: value pair inside a flow sequence'],
    ['a byte order mark', '\ufeffa: 1\n', 'a byte order mark'],
    ['a tab inside the indentation', 'key:\n  \tvalue\n', 'a tab in the indentation'],
    ['a lone carriage return', 'a: 1\rb: 2\n', 'a carriage return without a line feed'],
    ['content on the --- line', '--- a\n', 'content on the --- line'],
    ['content after ...', 'a: 1\n...\nb: 2\n', 'content after a document end marker (...)'],
    ['a second ... after an empty document', '...\n...\n', 'content after a document end marker (...)'],
    ['a key with its colon on a later line', 'a: 1\nb\n  : 2\n', 'a map key with its : on a later line'],
    ['a blank line of tabs after an empty value', 'a:\n\t\nb: 1\n', 'a blank line with a tab after an empty value'],
  ])('%s', (_name, text, feature) => {
    expect(unsupported(text)).toBe(feature);
  });

  it('names where the feature is', () => {
    expect(parseFast('a: 1\nb: !t 2\n', FILE)).toEqual({ kind: 'unsupported', feature: 'a YAML tag (!)', loc: { file: FILE, line: 2, col: 4, endLine: 2, endCol: 4 } });
  });
});

describe('parseFast: the subset', () => {
  it('reads nothing from a file of comments and blank lines', () => {
    expect(same('')).toBeUndefined();
    expect(same('# only a comment\n\n   \n')).toBeUndefined();
  });

  it('reads block maps with their key and value positions', () => {
    const root = map(same('name: hub\nregion: eastus\n'));
    expect(root.entries.map((e) => [e.key, span(e.value), `${e.keyLoc.line}:${e.keyLoc.col}-${e.keyLoc.endLine}:${e.keyLoc.endCol}`])).toEqual([
      ['name', '1:7-1:9', '1:1-1:4'],
      ['region', '2:9-2:14', '2:1-2:6'],
    ]);
    expect(span(root)).toBe('1:1-2:14');
  });

  it('reads block sequences, compact maps in them, and lists at the key column', () => {
    const root = map(same('rules:\n- name: r1\n  priority: 100\n-   name: r2\nports:\n  - - 80\n    - 443\n'));
    const rules = seq(root.entries[0].value);
    expect(rules.items.map((r) => map(r).entries.map((e) => e.key))).toEqual([['name', 'priority'], ['name']]);
    expect(span(rules)).toBe('2:1-4:12');
    expect(scalar(seq(seq(root.entries[1].value).items[0]).items[1]).value).toBe(443);
  });

  it('reads flow collections over several lines, with trailing commas and comments', () => {
    const root = map(same('a: [\n  1,   # one\n  {b: 2, c: [x, y,],},\n]\nd: {"e":1, f}\n'));
    expect(span(root.entries[0].value)).toBe('1:4-4:1');
    expect(map(root.entries[1].value).entries.map((e) => [e.key, scalar(e.value).value])).toEqual([
      ['e', 1],
      ['f', null],
    ]);
  });

  it('resolves scalars as the YAML 1.2 core schema does', () => {
    const text =
      'a: 1\nb: -2.5\nc: true\nd: False\ne: null\nf: ~\ng:\nh: 0x1F\ni: 0o17\nj: .inf\nk: -.Inf\nl: 1e3\nm: +12\nn: 1.\no: .5\np: 10.0.0.0/16\nq: "443"\nr: \'*\'\ns: yes\nt: 08\nu: 0b1\n';
    const values = map(same(text)).entries.map((e) => scalar(e.value).value);
    expect(values).toEqual([1, -2.5, true, false, null, null, null, 31, 15, Infinity, -Infinity, 1000, 12, 1, 0.5, '10.0.0.0/16', '443', '*', 'yes', 8, '0b1']);
    expect(Number.isNaN(scalar(map(same('x: .nan\n')).entries[0].value).value)).toBe(true);
  });

  it('marks quoted scalars, and only them', () => {
    const root = map(same('a: "443"\nb: \'443\'\nc: 443\nd: |\n  443\n'));
    expect(root.entries.map((e) => scalar(e.value).quoted)).toEqual([true, true, false, false]);
  });

  it('spells keys as the reference converter does', () => {
    expect(map(same('1: a\n1.0: b\ntrue: c\nnull: d\n~: e\n0x10: f\n"x y": g\n')).entries.map((e) => e.key)).toEqual(['1', '1', 'true', '', '', '16', 'x y']);
  });

  it('decodes quoted escapes and folds multi-line scalars', () => {
    const root = map(same('a: "tab\\t nl\\n q\\" u\\u00e9 U\\U0001F600"\nb: \'it\'\'s\'\nc: plain\n  folded\n\n  lines\nd: "two\n  lines"\n'));
    expect(root.entries.map((e) => scalar(e.value).value)).toEqual(['tab\t nl\n q" u\u00e9 U\u{1F600}', "it's", 'plain folded\nlines', 'two lines']);
    expect(span(root.entries[2].value)).toBe('3:4-6:7');
  });

  it('reads literal and folded block scalars with chomping and indentation indicators', () => {
    const root = map(same('a: |\n  x\n   y\n\nb: >-\n  one\n  two\n\n  three\nc: |+\n  k\n\nd: |2\n    lead\ne: end\n'));
    expect(root.entries.map((e) => scalar(e.value).value)).toEqual(['x\n y\n', 'one two\nthree', 'k\n\n', '  lead\n', 'end']);
  });

  it('gives an alias the very node its anchor names', () => {
    const root = map(same('base: &base {port: 443}\nx: *base\ny: [*base]\n'));
    expect(root.entries[1].value).toBe(root.entries[0].value);
    expect(seq(root.entries[2].value).items[0]).toBe(root.entries[0].value);
  });

  it('reads --- and ... around the document', () => {
    expect(map(same('# head\n---\na: 1\n...\n# tail\n')).entries).toHaveLength(1);
    expect(span(scalar(same('--- # nothing\n')))).toBe('1:5-1:5');
    expect(span(scalar(same('# nothing\n\n...\n')))).toBe('3:1-3:1');
  });

  it('reads CRLF line ends', () => {
    const root = map(same('a: 1\r\nb: [x,\r\n  y]\r\nc: |\r\n  t\r\n'));
    expect(root.entries.map((e) => e.key)).toEqual(['a', 'b', 'c']);
  });

  it('ends a collection where the reference parser does, trailing comments included', () => {
    // A comment deeper than the collection right after its last value belongs to that value.
    expect(span(map(same('a:\n  b: 1\n    # deeper\nc: 2\n')).entries[0].value)).toBe('2:3-3:12');
    // Trailing comments at the collection's own column stay with it, for its parent's end.
    expect(span(map(same('a:\n  b: 1\n  # same column\n')))).toBe('1:1-3:15');
    // An empty value keeps every comment up to the next content.
    expect(span(map(same('a:\n  b:\n# c\nd: 1\n')).entries[0].value)).toBe('2:3-3:3');
  });
});

describe('checkFast (lenient mode)', () => {
  it('reads past tags and directives, which change values but not structure', () => {
    expect(checkFast('%YAML 1.2\n---\na: !!str 1\nb: !t &x [1]\nc: *x\n', FILE)).toEqual({ kind: 'ok', root: undefined });
    expect(checkFast('&k key: 1\n{!t a: 1}: x\n', FILE).kind).toBe('error');
  });

  it('finds a syntax error after an unsupported feature', () => {
    const text = `name: !tag x\n${'ab: : ]] [[ {{ \n'.repeat(50_000)}`;
    expect(parseFast(text, FILE).kind).toBe('unsupported');
    expect(checkFast(text, FILE)).toMatchObject({ kind: 'error', diagnostics: [{ code: 'TOPO010', loc: { line: 2, col: 5 } }] });
  });

  it('still stops at features that change structure', () => {
    expect(checkFast('? a\n: b\n', FILE)).toMatchObject({ kind: 'unsupported', feature: 'an explicit map key (?)' });
  });
});

// ------------------------------------------------------------------------
// Differential properties: random scenario-shaped documents, rendered in
// many styles, must give exactly the reference tree.

type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

const NAMES = ['hub', 'spoke-1', 'allow-https', 'AzureFirewallSubnet', 'r1', 'deny_all', 'x.y', 'vm1', 'Internet', 'Storage.EastUS', 'VirtualNetwork', 'Tcp', 'Inbound', 'é-net', '中文'];
const KEYS = ['name', 'priority', 'direction', 'access', 'protocol', 'addressPrefix', 'destinationPortRanges', 'vnets', 'subnets', 'rules', 'hub', 'spoke', 'nextHopType', 'description', '1', 'true', 'null', 'with space', 'a:b', 'é'];

const scalarArb: fc.Arbitrary<Value> = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 })).map(([a, b, n]) => `10.${a}.${b}.0/${n}`),
  fc.constantFrom('443', '8000-8100', '*', '', ' lead', 'trail ', 'a: b', '- x', '#x', 'a #b', '[x]', '{y}', 'a,b', '@at', '%p', '!t', '&a', 'it\'s', 'say "hi"', 'back\\slash', 'tab\there', 'two\nlines', '\u00a0nbsp\u00a0', 'null', 'true', '0x1F', '1e3', '.inf', '-0', '007', 'yes'),
  fc.integer({ min: -100000, max: 100000 }),
  fc.constantFrom(443, 100, 4096, 0, -1, 2.5, 1e21),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
);

const valueArb: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ minLength: 1, maxLength: 6 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A tiny deterministic PRNG so that one integer picks every style decision. */
function styler(seed: number): { chance: (p: number) => boolean; pick: <T>(a: readonly T[]) => T; int: (n: number) => number } {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  return { chance: (p) => next() < p, pick: (a) => a[Math.floor(next() * a.length)], int: (n) => Math.floor(next() * n) };
}

/** A scalar in any quoting style that keeps its value; plain only when the reference reads it back as the same string. */
function scalarText(v: Value, r: ReturnType<typeof styler>): string {
  if (typeof v !== 'string') return v === null ? r.pick(['null', '~', '']) : typeof v === 'number' && !Number.isFinite(v) ? '.inf' : String(v);
  const style = r.pick(['plain', 'plain', 'single', 'double']);
  if (style === 'plain' && /^[A-Za-z0-9\u00e9\u4e00-\u9fff][A-Za-z0-9 ._/\u00e9\u4e00-\u9fff-]*$/.test(v) && !v.endsWith(' ') && readsBackAsItself(v)) return v;
  if (style === 'single' && !/[\n\t\u00a0]/.test(v)) return `'${v.replace(/'/g, "''")}'`;
  return JSON.stringify(v);
}

/** Whether `v` written plain is read back as the same string (not a number, boolean or null). */
function readsBackAsItself(v: string): boolean {
  const root = parseWithReference(`x: ${v}\n`, FILE).root;
  return root?.kind === 'map' && root.entries[0].value.kind === 'scalar' && root.entries[0].value.value === v;
}

function comment(r: ReturnType<typeof styler>): string {
  return r.chance(0.15) ? ` # ${r.pick(['note', 'x: y', '#', '"q"', ''])}` : '';
}

function flowText(v: Value, r: ReturnType<typeof styler>, indent: number): string {
  if (v === null || typeof v !== 'object') {
    const t = scalarText(v, r);
    return t === '' ? 'null' : t;
  }
  const gap = (): string => (r.chance(0.15) ? `${comment(r)}\n${' '.repeat(indent + 1 + r.int(3))}` : r.pick([' ', '']));
  const trailing = (n: number): string => (n > 0 && r.chance(0.2) ? ',' : '');
  if (Array.isArray(v)) {
    const parts = v.map((x) => flowText(x, r, indent));
    return `[${gap()}${parts.join(`,${gap()}`)}${trailing(parts.length)}${gap()}]`;
  }
  const parts = Object.entries(v).map(([k, x]) => {
    const key = scalarText(k, r) || '""';
    // After a quoted key, JSON style `"k":v` is valid YAML too.
    return `${key}:${/^["']/.test(key) && r.chance(0.2) ? '' : ' '}${flowText(x, r, indent)}`;
  });
  return `{${gap()}${parts.join(`,${gap()}`)}${trailing(parts.length)}${gap()}}`;
}

/** Renders a value in block style with random indentation, compact forms, comments and flow parts. */
function blockLines(v: Value, r: ReturnType<typeof styler>, indent: number, step: number, prefix: string, out: string[]): void {
  const isEmpty = v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
  if (v === null || typeof v !== 'object' || isEmpty || r.chance(0.2)) {
    const t = v !== null && typeof v === 'object' ? flowText(v, r, indent) : scalarText(v, r);
    out.push(`${prefix}${t === '' ? '' : ` ${t}`}${comment(r)}`);
    return;
  }
  const note = (): void => {
    if (r.chance(0.1)) out.push(`${' '.repeat(r.int(indent + 4))}# ${r.pick(['c', 'd'])}`);
    if (r.chance(0.05)) out.push(' '.repeat(r.int(3)));
  };
  if (Array.isArray(v)) {
    const col = prefix.trim() !== '' && prefix.endsWith(':') && r.chance(0.3) ? indent - step : indent;
    if (prefix !== '') out.push(prefix + comment(r));
    for (const item of v) {
      note();
      blockLines(item, r, col + 2 + r.int(2), step, `${' '.repeat(col)}-`, out);
    }
    return;
  }
  if (prefix !== '') out.push(prefix + comment(r));
  for (const [k, x] of Object.entries(v)) {
    note();
    const key = scalarText(k, r);
    blockLines(x, r, indent + step, step, `${' '.repeat(indent)}${key === '' ? '""' : key}${r.chance(0.05) ? ' ' : ''}:`, out);
  }
}

/** `-` followed by a deeper line becomes `- first-line`, as people write lists of maps. */
function compact(lines: string[], r: ReturnType<typeof styler>): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const dash = /^( *)-$/.exec(lines[i]);
    const next = lines[i + 1];
    if (dash && next !== undefined && r.chance(0.7)) {
      const indent = /^ */.exec(next)?.[0].length ?? 0;
      if (indent > dash[1].length + 1 && next.trim() !== '' && !next.trim().startsWith('#')) {
        out.push(`${dash[1]}-${' '.repeat(indent - dash[1].length - 1)}${next.slice(indent)}`);
        i += 1;
        continue;
      }
    }
    out.push(lines[i]);
  }
  return out;
}

function render(root: Value, seed: number): string {
  const r = styler(seed);
  let text: string;
  if (r.chance(0.3)) {
    text = stringify(root, {
      indent: 1 + r.int(4),
      indentSeq: r.chance(0.5),
      flowCollectionPadding: r.chance(0.5),
      collectionStyle: r.pick(['any', 'block', 'flow'] as const),
      lineWidth: r.pick([0, 20, 80]),
      defaultStringType: r.pick(['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'] as const),
      defaultKeyType: r.pick([null, 'PLAIN', 'QUOTE_DOUBLE'] as const),
    });
  } else {
    const out: string[] = [];
    if (r.chance(0.2)) out.push('# yaml-language-server: $schema=../schema.json');
    if (r.chance(0.1)) out.push('---');
    blockLines(root, r, 0, 1 + r.int(4), '', out);
    text = `${compact(out, r).join('\n')}${r.chance(0.9) ? '\n' : ''}`;
    if (r.chance(0.1)) text += r.pick(['# end\n', '...\n', '\n\n', '  # tail\n']);
  }
  if (r.chance(0.2)) {
    let n = 0;
    text = text.replace(/: (\{|\[|[a-z0-9]+)/g, (whole, start: string) => (r.chance(0.2) ? `: &a${n++} ${start}` : whole));
    if (n > 0 && /^[a-z"]/m.test(text) && !text.startsWith('[') && !text.startsWith('{') && !text.startsWith('-')) text += `${text.endsWith('\n') ? '' : '\n'}alias${r.int(9)}: *a${r.int(n)}\n`;
  }
  if (r.chance(0.1)) text = text.replace(/\n/g, '\r\n');
  return text;
}

function mutate(text: string, seed: number): string {
  const r = styler(seed);
  let out = text;
  for (let k = 0; k <= r.int(3); k++) {
    const i = r.int(out.length + 1);
    const choice = r.int(3);
    if (choice === 0) out = out.slice(0, i) + out.slice(i + 1 + r.int(2));
    else if (choice === 1) out = out.slice(0, i) + r.pick([' ', '  ', '\n', ':', '-', '- ', '#', ' #', '[', ']', '{', '}', ',', '"', "'", '\t', '&a ', '*a', '|', '>', '?', '!', '%', '\\', '\r', '...', '---']) + out.slice(i);
    else {
      const lines = out.split('\n');
      const l = r.int(lines.length);
      if (r.chance(0.5)) lines[l] = ' '.repeat(r.int(4)) + lines[l].trimStart();
      else lines.splice(l, 0, lines[r.int(lines.length)]);
      out = lines.join('\n');
    }
  }
  return out;
}

const docArb = fc.record({ root: fc.oneof({ weight: 5, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), valueArb, { minKeys: 1, maxKeys: 6 }) }, { weight: 1, arbitrary: valueArb }), seed: fc.integer() });

describe('parseFast agrees with the reference parser', () => {
  it('on random scenario-shaped documents in many styles: same tree, values, positions', () => {
    fc.assert(
      fc.property(docArb, ({ root, seed }) => {
        const text = render(root, seed);
        const reference = parseWithReference(text, FILE);
        const fast = parseFast(text, FILE);
        if (reference.diagnostics.length > 0) {
          // A few renderings are not valid YAML (like a value that needs quoting in a flow key); both must say so.
          expect(fast.kind).not.toBe('ok');
          return;
        }
        expect(fast).toEqual({ kind: 'ok', root: reference.root });
      }),
      { numRuns: 2500 },
    );
  });

  it('on damaged documents: never accepts what the reference rejects, never rejects what it accepts', () => {
    fc.assert(
      fc.property(docArb, fc.integer(), ({ root, seed }, damage) => {
        const text = mutate(render(root, seed), damage);
        const fast = parseFast(text, FILE);
        if (fast.kind === 'unsupported') return;
        const reference = parseWithReference(text, FILE);
        if (fast.kind === 'error') expect(reference.diagnostics).not.toEqual([]);
        else expect(reference).toEqual({ root: fast.root, diagnostics: [] });
      }),
      { numRuns: 3000 },
    );
  });

  it('in lenient mode: an error it finds is an error for the reference too', () => {
    fc.assert(
      fc.property(docArb, fc.integer(), ({ root, seed }, damage) => {
        const r = styler(damage);
        let text = render(root, seed).replace(/(: |- |\[|, )/g, (m) => (r.chance(0.15) ? m + r.pick(['!t ', '!!str ', '!<tag:x> ', '&p ', '!t &q ']) : m));
        if (r.chance(0.5)) text = mutate(text, damage);
        if (checkFast(text, FILE).kind === 'error') expect(parseWithReference(text, FILE).diagnostics).not.toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });

  it('on every YAML file of the repository', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.ya?ml$/.test(name)) files.push(path);
      }
    };
    walk('test/fixtures');
    walk('scenarios');
    expect(files.length).toBeGreaterThan(0);
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      const fast = parseFast(text, path);
      const reference = parseWithReference(text, path);
      if (fast.kind === 'ok') expect(reference, path).toEqual({ root: fast.root, diagnostics: [] });
      else if (fast.kind === 'error') expect(reference.diagnostics, path).not.toEqual([]);
    }
  });
});
