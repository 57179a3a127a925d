/**
 * IntervalSet against a plain reference (membership over a small universe),
 * with sets of very different sizes so that both the linear merges and the
 * binary-search paths for a few intervals against many are exercised.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntervalSet } from './interval-set.js';

const U = 400;

const ranges = (max: number) => fc.array(fc.tuple(fc.integer({ min: 0, max: U - 1 }), fc.integer({ min: 0, max: 6 })), { maxLength: max }).map((xs) => IntervalSet.fromRanges(xs.map(([lo, w]) => [lo, Math.min(U - 1, lo + w)] as [number, number])));
/** Sets of 0-3 intervals and of up to 120 intervals. */
const pair = fc.tuple(fc.oneof(ranges(3), ranges(120)), fc.oneof(ranges(3), ranges(120)));

const members = (s: IntervalSet) => {
  const out = new Set<number>();
  for (const [lo, hi] of s.intervals()) for (let x = lo; x <= hi; x++) out.add(x);
  return out;
};
const canonical = (s: IntervalSet) => {
  const d = s.data;
  for (let i = 0; i + 1 < d.length; i += 2) {
    expect(d[i]).toBeLessThanOrEqual(d[i + 1]);
    if (i + 2 < d.length) expect(d[i + 2]).toBeGreaterThan(d[i + 1] + 1);
  }
};

describe('IntervalSet', () => {
  it('intersect, union, subtract, intersects and subsetOf agree with set membership', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const ma = members(a);
        const mb = members(b);
        const inter = a.intersect(b);
        const uni = a.union(b);
        const diff = a.subtract(b);
        for (const s of [inter, uni, diff]) canonical(s);
        expect([...members(inter)].sort((x, y) => x - y)).toEqual([...ma].filter((x) => mb.has(x)).sort((x, y) => x - y));
        expect([...members(uni)].sort((x, y) => x - y)).toEqual([...new Set([...ma, ...mb])].sort((x, y) => x - y));
        expect([...members(diff)].sort((x, y) => x - y)).toEqual([...ma].filter((x) => !mb.has(x)).sort((x, y) => x - y));
        expect(a.intersects(b)).toBe([...ma].some((x) => mb.has(x)));
        expect(a.subsetOf(b)).toBe([...ma].every((x) => mb.has(x)));
      }),
      { numRuns: 500 },
    );
  });
});
