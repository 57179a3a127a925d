import { describe, expect, it } from 'vitest';
import { MAX_ALIASED_NODES } from './yaml-limits.js';
import { parseWithReference } from './yaml-reference.js';
import type { LMap, LScalar, LSeq } from './yaml-tree.js';

const FILE = 'f.yaml';

describe('parseWithReference: invalid input', () => {
  it('reports an alias without an anchor', () => {
    expect(parseWithReference('a: *nope\n', FILE).diagnostics).toMatchObject([{ code: 'TOPO010', message: 'the alias *nope has no anchor', loc: { line: 1, col: 4 } }]);
  });

  it('reports an alias to the node that contains it', () => {
    expect(parseWithReference('a: &x [1, *x]\n', FILE).diagnostics[0].code).toBe('TOPO013');
  });

  it('stops aliases that repeat too many nodes, even within the total budget', () => {
    const list = Array.from({ length: 1000 }, (_, i) => `n${i}`).join(', ');
    const text = `a: &a [${list}]\nb: [${Array(Math.ceil(MAX_ALIASED_NODES / 1000) + 1).fill('*a').join(', ')}]\n`;
    expect(parseWithReference(text, FILE).diagnostics).toMatchObject([{ code: 'TOPO012', loc: { line: 2 } }]);
  });
});

describe('parseWithReference', () => {
  it('resolves an alias to the last anchor of that name before it', () => {
    const root = parseWithReference('a: &x 1\nb: *x\nc: &x 2\nd: *x\ne: &x [&x 3, *x]\nf: *x\n', FILE).root as LMap;
    const value = (i: number): unknown => (root.entries[i].value as LScalar).value;
    expect([value(1), value(3)]).toEqual([1, 2]);
    // Document order: the inner `&x 3` comes after the outer `&x [...]`.
    expect((root.entries[4].value as LSeq).items[1]).toBe((root.entries[4].value as LSeq).items[0]);
    expect(value(5)).toBe(3);
  });

  it('resolves many aliases in linear time', () => {
    const text = `base: &b {port: 443}\n${Array.from({ length: 20_000 }, (_, i) => `k${i}: *b\n`).join('')}`;
    const started = performance.now();
    const r = parseWithReference(text, FILE);
    expect(r.diagnostics).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5000);
    expect((r.root as LMap).entries[20_000].value).toBe((r.root as LMap).entries[0].value);
  });
});
