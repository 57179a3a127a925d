import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressIndex } from './address-index.js';
import { IntervalSet } from './interval-set.js';

const U = 400;
const set = fc
  .array(fc.tuple(fc.integer({ min: 0, max: U - 1 }), fc.integer({ min: 0, max: 40 })), { maxLength: 4 })
  .map((xs) => IntervalSet.fromRanges(xs.map(([lo, w]) => [lo, Math.min(U - 1, lo + w)] as [number, number])));

describe('addressIndex', () => {
  it('finds nothing in an empty index or for an empty query', () => {
    expect(addressIndex<IntervalSet>([], (s) => s).meeting(IntervalSet.fromRanges([[0, 10]]))).toEqual([]);
    expect(addressIndex([IntervalSet.fromRanges([[0, 10]])], (s) => s).meeting(IntervalSet.EMPTY)).toEqual([]);
  });

  it('gives exactly the items that meet the query, in their order, overlapping items included', () => {
    fc.assert(
      fc.property(fc.array(set, { maxLength: 30 }), set, (items, query) => {
        const named = items.map((ips, k) => ({ k, ips }));
        const index = addressIndex(named, (x) => x.ips);
        expect(index.meeting(query).map((x) => x.k)).toEqual(named.filter((x) => x.ips.intersects(query)).map((x) => x.k));
      }),
      { numRuns: 500 },
    );
  });
});
