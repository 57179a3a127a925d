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

describe('IntervalSet, large sets cut part by part', () => {
  const V = 40_000;
  const bits = (s: IntervalSet) => {
    const m = new Uint8Array(V);
    for (const [lo, hi] of s.intervals()) for (let x = lo; x <= hi; x++) m[x] = 1;
    return m;
  };
  const fromBits = (m: Uint8Array) => {
    const r: [number, number][] = [];
    for (let x = 0; x < V; x++) {
      if (!m[x]) continue;
      const lo = x;
      while (x + 1 < V && m[x + 1]) x++;
      r.push([lo, x]);
    }
    return IntervalSet.fromRanges(r);
  };
  const many = (n: number) => fc.array(fc.tuple(fc.integer({ min: 0, max: V - 1 }), fc.integer({ min: 0, max: 12 })), { minLength: n, maxLength: n }).map((xs) => IntervalSet.fromRanges(xs.map(([lo, w]) => [lo, Math.min(V - 1, lo + w)] as [number, number])));
  const few = fc.array(fc.tuple(fc.integer({ min: 0, max: V - 1 }), fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 5 }).map((xs) => IntervalSet.fromRanges(xs.map(([lo, w]) => [lo, Math.min(V - 1, lo + w)] as [number, number])));
  const sameAs = (s: IntervalSet, m: Uint8Array) => {
    const d = s.data;
    let ok = true;
    for (let i = 0; i + 1 < d.length; i += 2) if (d[i] > d[i + 1] || (i + 2 < d.length && d[i + 2] <= d[i + 1] + 1)) ok = false;
    expect(ok).toBe(true);
    const ref = fromBits(m);
    expect(s.equals(ref)).toBe(true);
    expect(s.hash).toBe(ref.hash);
  };

  it('cuts, and every operation on the cut sets, agree with membership', () => {
    fc.assert(
      fc.property(many(1500), fc.array(few, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 1 }), fc.integer({ min: 0, max: 3 })), { maxLength: 6 }), few, many(200), fc.integer({ min: 0, max: V - 1 }), (big, randomCuts, snaps, small, medium, x) => {
        // Cuts that end exactly at, or just around, the bounds of intervals at multiples of 64 (where runs of parts begin).
        const d = big.data;
        const snapped = snaps.map(([k, side, w]) => {
          const i = 2 * ((64 * k + (side < 0 ? -1 : 0) + d.length) % (d.length / 2));
          const at = side <= 0 ? d[i] : d[i + 1];
          return side <= 0 ? IntervalSet.of(Math.max(0, at - w), at) : IntervalSet.of(at, Math.min(V - 1, at + w));
        });
        const cuts = [...snapped, ...randomCuts];
        let s = big;
        const m = bits(big);
        for (const c of cuts) {
          s = s.subtract(c);
          for (const [lo, hi] of c.intervals()) m.fill(0, lo, hi + 1);
          sameAs(s, m);
        }
        expect(s.has(x)).toBe(m[x] === 1);
        expect(s.min).toBe(m.indexOf(1));
        expect(s.max).toBe(m.lastIndexOf(1));
        expect(s.size).toBe(m.reduce((a, b) => a + b, 0));
        for (const other of [small, medium, big, s.subtract(small)]) {
          const o = bits(other);
          const and = m.map((v, i) => v & o[i]);
          const or = m.map((v, i) => v | o[i]);
          sameAs(s.intersect(other), and);
          sameAs(other.intersect(s), and);
          sameAs(s.union(other), or);
          sameAs(other.union(s), or);
          sameAs(s.subtract(other), m.map((v, i) => v & (1 - o[i])));
          sameAs(other.subtract(s), o.map((v, i) => v & (1 - m[i])));
          expect(s.intersects(other)).toBe(and.includes(1));
          expect(other.intersects(s)).toBe(and.includes(1));
          expect(other.subsetOf(s)).toBe(o.every((v, i) => !v || m[i] === 1));
          expect(s.subsetOf(other)).toBe(m.every((v, i) => !v || o[i] === 1));
        }
        for (const [lo, hi] of small.intervals()) expect(s.covers(lo, hi)).toBe(m.subarray(lo, hi + 1).every((v) => v === 1));
        expect(s.data).toEqual(fromBits(m).data);
      }),
      { numRuns: 40 },
    );
  });
});
