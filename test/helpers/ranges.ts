/** Set relations over sorted, merged address ranges, as catalogs return them. */
import type { Range } from '../../src/catalog/service-tags.js';

export function covers(ranges: readonly Range[], addr: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid][1] < addr) lo = mid + 1;
    else if (ranges[mid][0] > addr) hi = mid - 1;
    else return true;
  }
  return false;
}

/** Every address of `a` is in `b` (both sorted and merged, so each range of `a` sits in one of `b`). */
export function isSubset(a: readonly Range[], b: readonly Range[]): boolean {
  return a.every(([lo, hi]) => {
    let l = 0;
    let h = b.length - 1;
    while (l <= h) {
      const mid = (l + h) >> 1;
      if (b[mid][1] < lo) l = mid + 1;
      else if (b[mid][0] > lo) h = mid - 1;
      else return hi <= b[mid][1];
    }
    return false;
  });
}

export function overlaps(a: readonly Range[], b: readonly Range[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i][1] < b[j][0]) i++;
    else if (b[j][1] < a[i][0]) j++;
    else return true;
  }
  return false;
}
