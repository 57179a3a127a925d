/** The JSON readers: positions for templates, item-by-item streaming for large resource lists, and line:col for every syntax error. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJsonWithPositions } from '../../src/import/json/parse.js';
import { streamResourceList } from '../../src/import/json/stream.js';
import { writeFixture } from '../helpers/scenario-fixture.js';

function syntaxError(fn: () => unknown): JsonSyntaxError {
  try {
    fn();
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error('no syntax error');
}

function stream(text: string, chunk = 7): { items: { item: unknown; line: number }[]; shape: string; envelope: unknown } {
  const dir = writeFixture({ 'x.json': text });
  const items: { item: unknown; line: number }[] = [];
  const r = streamResourceList(join(dir, 'x.json'), (item, line) => items.push({ item, line }), chunk);
  return { items, shape: r.shape, envelope: r.envelope };
}

describe('parseJsonWithPositions', () => {
  it('parses what JSON.parse parses and knows the line of every member', () => {
    const text = '{\n  "a": [1,\n    {"b": "x"}],\n  "c": null\n}';
    const p = parseJsonWithPositions(text);
    expect(p.value).toEqual(JSON.parse(text));
    const v = p.value as { a: unknown[] };
    expect(p.lineOf(v, 'a')).toBe(2);
    expect(p.lineOf(v, 'c')).toBe(4);
    expect(p.lineOf(v.a, 1)).toBe(3);
    expect(p.lineOf(v.a[1] as object, 'b')).toBe(3);
  });

  it('accepts the comments ARM templates may carry, and a byte-order mark', () => {
    expect(parseJsonWithPositions('\ufeff{ // a comment\n "a": /* inline */ 1 }').value).toEqual({ a: 1 });
  });

  it.each([
    ['{"a": 1,}', 1, 9, 'a comma before } is not allowed in JSON'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "unexpected '\"'; expected ',' or '}'"],
    ['[1, 2', 1, 6, "unexpected end of file; expected ',' or ']'"],
    ["{'a': 1}", 1, 2, 'expected a quoted member name'],
    ['{"a": tru}', 1, 7, "unexpected 't'; expected a JSON value"],
    ['{"a": "x\ny"}', 1, 9, 'a control character inside a string must be escaped'],
    ['{"a": 1} x', 1, 10, "unexpected 'x' after the JSON value"],
    ['', 1, 1, 'the file holds no JSON value'],
  ])('reports %j at %i:%i', (text, line, col, message) => {
    const e = syntaxError(() => parseJsonWithPositions(text));
    expect({ line: e.line, col: e.col }).toEqual({ line, col });
    expect(e.message).toContain(message);
  });

  it('turns a "__proto__" member into data', () => {
    const v = parseJsonWithPositions('{"__proto__": {"polluted": true}}').value as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(v, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('agrees with JSON.parse on random JSON (property)', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(parseJsonWithPositions(text).value).toEqual(JSON.parse(text));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('streamResourceList', () => {
  it('reads Resource Graph, REST and plain-array lists item by item, whatever the chunk size', () => {
    const items = [{ id: 'a', type: 't', s: 'x,]}"\\' }, { id: 'b', type: 't', n: [1, { x: [] }] }];
    for (const chunk of [1, 3, 7, 64, 1 << 20]) {
      const graph = stream(JSON.stringify({ count: 2, data: items, skip_token: null }, null, 2), chunk);
      expect(graph.items.map((i) => i.item)).toEqual(items);
      expect(graph.shape).toBe('data');
      expect(graph.envelope).toEqual({ count: 2, skip_token: null });
      expect(stream(JSON.stringify({ value: items, nextLink: 'x' }), chunk).shape).toBe('value');
      expect(stream(JSON.stringify(items), chunk).items.map((i) => i.item)).toEqual(items);
    }
  });

  it('knows the line each item starts on', () => {
    const r = stream('{\n "data": [\n  {"id": "a"},\n\n  {"id": "b"}\n ]\n}');
    expect(r.items.map((i) => i.line)).toEqual([3, 5]);
  });

  it.each([
    ['{"data": [{"id": 1}, {"id": 2,}]}', 1, 31],
    ['{\n"data": [\n{"id": 1}\n{"id": 2}\n]}', 4, 1],
    ['{"data": [{"id": 1}', 1, 20],
    ['{"data": [1, 2]] ', 1, 16],
    ['{"count": 1}', 1, 1],
    ['{"data": [{"id": "a"}, ]}', 1, 24],
  ])('reports a syntax error in %j at %i:%i', (text, line, col) => {
    const e = syntaxError(() => stream(text, 5));
    expect({ line: e.line, col: e.col }).toEqual({ line, col });
  });

  it('keeps memory to one item: a large list streams in small chunks', () => {
    const dir = writeFixture({});
    const path = join(dir, 'big.json');
    const rows = Array.from({ length: 20000 }, (_, i) => JSON.stringify({ id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d${i}`, type: 'microsoft.compute/disks', properties: { sizeGb: i } }));
    writeFileSync(path, `{"count": ${rows.length}, "data": [\n${rows.join(',\n')}\n]}`);
    let n = 0;
    streamResourceList(path, () => n++, 4096);
    expect(n).toBe(20000);
  });
});
