/**
 * Whatever a user (or a broken generator) does to a valid scenario, topo
 * answers with diagnostics: `topo validate` exits 0 or 2, never 3, never
 * throws, and stays fast. Mutations: deleted keys, values swapped between
 * keys, garbage strings, wrong types, renamed keys in random Unicode,
 * truncation, duplicated lines (duplicate keys), inserted Unicode and YAML
 * syntax. The seed is fixed so a failure reproduces; FC_SEED picks another.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { CliIo } from '../../src/cli/io.js';
import { runValidate } from '../../src/cli/validate.js';
import { packageRoot } from '../../src/util/package-root.js';
import { writeFixture } from '../helpers/scenario-fixture.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const BASES = ['test/fixtures/hub-spoke.yaml', 'test/fixtures/validate/valid-with-warnings.yaml'].map((f) => readFileSync(join(packageRoot(), f), 'utf8'));
const PART = 'ipGroups:\n  shared: [10.0.0.0/8]\n';
const TAGS = JSON.stringify({ changeNumber: 999, cloud: 'Public', values: [{ name: 'Storage', id: 'Storage', properties: { region: '', addressPrefixes: ['20.60.0.0/16'] } }] });

/** Every path in a tree, parents before children. */
function paths(node: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(node)) node.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function parentOf(root: Json, path: Path): { holder: Json[] | Record<string, Json>; key: string | number } | undefined {
  if (path.length === 0) return undefined;
  let node = root;
  for (const step of path.slice(0, -1)) node = (node as Record<string, Json>)[step as string];
  return { holder: node as Json[] | Record<string, Json>, key: path[path.length - 1] };
}

const get = (root: Json, path: Path): Json => path.reduce<Json>((n, step) => (n as Record<string, Json>)[step as string], root);

type TreeOp =
  | { op: 'delete'; at: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'set'; at: number; value: Json }
  | { op: 'rename'; at: number; key: string };
type TextOp = { op: 'truncate'; at: number } | { op: 'duplicateLine'; at: number } | { op: 'insert'; at: number; text: string } | { op: 'cut'; at: number; length: number };

function applyTree(root: Json, t: TreeOp): void {
  const all = paths(root).slice(1);
  if (all.length === 0) return;
  const path = all[t.at % all.length];
  const p = parentOf(root, path)!;
  if (t.op === 'delete') {
    if (Array.isArray(p.holder)) p.holder.splice(p.key as number, 1);
    else delete p.holder[p.key as string];
  } else if (t.op === 'set') {
    (p.holder as Record<string, Json>)[p.key as string] = t.value;
  } else if (t.op === 'rename') {
    if (Array.isArray(p.holder)) return;
    const value = p.holder[p.key as string];
    delete p.holder[p.key as string];
    p.holder[t.key] = value;
  } else {
    const other = all[t.with % all.length];
    const a = path.join('\u0000');
    const b = other.join('\u0000');
    // Swapping a value with its own descendant would make a cycle.
    if (a === b || a.startsWith(`${b}\u0000`) || b.startsWith(`${a}\u0000`)) return;
    const q = parentOf(root, other)!;
    const va = get(root, path);
    const vb = get(root, other);
    (p.holder as Record<string, Json>)[p.key as string] = vb;
    (q.holder as Record<string, Json>)[q.key as string] = va;
  }
}

function applyText(text: string, t: TextOp): string {
  const at = text.length === 0 ? 0 : t.at % (text.length + 1);
  switch (t.op) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + t.text + text.slice(at);
    case 'cut':
      return text.slice(0, at) + text.slice(at + t.length);
    case 'duplicateLine': {
      const lines = text.split('\n');
      const i = t.at % lines.length;
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
  }
}

const scalar: fc.Arbitrary<Json> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('*', '', '10.0.0.0/33', '10.0.0.1/8', 'fd00::/8', 'tag:', 'internet', '0-70000', 'Storage', '../', '/', '.', 'x'.repeat(300)),
);
const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom<Json>([], {}, [[[]]], { a: { b: { c: {} } } }) },
);
const treeOp: fc.Arbitrary<TreeOp> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value }),
  fc.record({ op: fc.constant('rename' as const), at: fc.nat(), key: fc.string({ unit: 'grapheme', maxLength: 12 }) }),
);
const yamlBits = fc.constantFrom('&a ', '*a', '!!binary ', '!tag ', '|\n', '>-\n', '{', '[', '}', ']', '\n---\n', '%YAML 1.1\n', '\t', '? ', ': ', '- ', '#', '"', "'", '\\', '\r\n', '\u0000', '\uFEFF', '\u2028', '<<: *a\n');
const textOp: fc.Arbitrary<TextOp> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), yamlBits) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
);

const silentIo = (cwd: string): CliIo => ({ stdout: { write: () => undefined }, stderr: { write: () => undefined }, cwd, env: { NO_COLOR: '1' } });

describe('loader robustness', () => {
  const dir = writeFixture({ 'part.yaml': PART, 'tags.json': TAGS });
  const exits = new Map<number, number>();

  it('answers every mutation of a valid scenario with exit 0 or 2, within a second', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(BASES.length - 1), fc.boolean(), fc.array(treeOp, { maxLength: 4 }), fc.array(textOp, { maxLength: 3 }), async (base, extras, treeOps, textOps) => {
        const tree = parse(BASES[base]) as Json & Record<string, Json>;
        // Sometimes also exercise include: and serviceTags:, which reach the file system.
        if (extras) Object.assign(tree, { include: ['part.yaml'], serviceTags: 'tags.json' });
        for (const t of treeOps) applyTree(tree, t);
        let text = stringify(tree);
        for (const t of textOps) text = applyText(text, t);
        writeFileSync(join(dir, 'mutated.yaml'), text);
        const started = performance.now();
        const code = await runValidate(['mutated.yaml'], { format: 'text' }, silentIo(dir));
        const ms = performance.now() - started;
        exits.set(code, (exits.get(code) ?? 0) + 1);
        expect([0, 2]).toContain(code);
        expect(ms).toBeLessThan(1000);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 375), endOnFailure: true },
    );
    // Not a vacuous property: some mutations keep the scenario valid, most break it.
    expect(exits.get(0) ?? 0).toBeGreaterThan(0);
    expect(exits.get(2) ?? 0).toBeGreaterThan(0);
  });

  it('also answers in JSON for the unmutated bases (exit 0)', async () => {
    for (const text of BASES) {
      writeFileSync(join(dir, 'base.yaml'), text);
      expect(await runValidate(['base.yaml'], { format: 'json' }, silentIo(dir))).toBe(0);
    }
  });
});
