/**
 * Which of many address sets meet a query set, without testing each: a
 * design has thousands of source classes, and a what-if asks once per
 * changed flow which of them sent it.
 */
import type { IntervalSet } from './interval-set.js';

export interface AddressIndex<T> {
  /** The items whose addresses meet `addresses`, in the order they were given. */
  meeting(addresses: IntervalSet): T[];
}

export function addressIndex<T>(items: readonly T[], addressesOf: (item: T) => IntervalSet): AddressIndex<T> {
  // Every interval of every item, by lower bound; `reach[i]` is the highest upper bound of spans[0..i], since
  // items may overlap (an on-premises prefix inside the public space).
  const spans: [number, number, number][] = [];
  items.forEach((item, k) => {
    for (const [lo, hi] of addressesOf(item).intervals()) spans.push([lo, hi, k]);
  });
  spans.sort((a, b) => a[0] - b[0]);
  const reach: number[] = [];
  for (const [k, sp] of spans.entries()) reach.push(Math.max(sp[1], k > 0 ? reach[k - 1] : -1));
  return {
    meeting(addresses) {
      const hit = new Set<number>();
      for (const [lo, hi] of addresses.intervals()) {
        // The last span that starts at or below `hi`, then back while a span before can still reach `lo`.
        let a = 0;
        let b = spans.length;
        while (a < b) {
          const mid = (a + b) >> 1;
          if (spans[mid][0] <= hi) a = mid + 1;
          else b = mid;
        }
        for (let k = a - 1; k >= 0 && reach[k] >= lo; k--) if (spans[k][1] >= lo) hit.add(spans[k][2]);
      }
      return [...hit].sort((x, y) => x - y).map((k) => items[k]);
    },
  };
}
