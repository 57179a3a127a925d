/**
 * Sets of integers as sorted, disjoint, non-adjacent closed intervals.
 * Immutable; the building block of every header dimension. Bounds are JS
 * numbers: exact for IPv4 (2^32) and ports; an IPv6 dimension would need a
 * wider bound type behind the same interface.
 */
export class IntervalSet {
  /** Flat [lo0, hi0, lo1, hi1, ...], sorted, disjoint, with gaps between intervals. */
  private constructor(readonly data: readonly number[]) {}

  static readonly EMPTY = new IntervalSet([]);

  static of(lo: number, hi: number): IntervalSet {
    return lo > hi ? IntervalSet.EMPTY : new IntervalSet([lo, hi]);
  }

  static point(x: number): IntervalSet {
    return new IntervalSet([x, x]);
  }

  /** From arbitrary (possibly overlapping, unsorted) ranges. */
  static fromRanges(ranges: Iterable<readonly [number, number]>): IntervalSet {
    const list = [...ranges].filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
    const out: number[] = [];
    for (const [lo, hi] of list) {
      const n = out.length;
      if (n > 0 && lo <= out[n - 1] + 1) {
        if (hi > out[n - 1]) out[n - 1] = hi;
      } else out.push(lo, hi);
    }
    return new IntervalSet(out);
  }

  get isEmpty(): boolean {
    return this.data.length === 0;
  }

  get intervalCount(): number {
    return this.data.length / 2;
  }

  get min(): number {
    return this.data[0];
  }

  get max(): number {
    return this.data[this.data.length - 1];
  }

  /** Number of integers in the set. */
  get size(): number {
    let n = 0;
    for (let i = 0; i < this.data.length; i += 2) n += this.data[i + 1] - this.data[i] + 1;
    return n;
  }

  *intervals(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.data.length; i += 2) yield [this.data[i], this.data[i + 1]];
  }

  has(x: number): boolean {
    const d = this.data;
    let lo = 0;
    let hi = d.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (x < d[2 * mid]) hi = mid - 1;
      else if (x > d[2 * mid + 1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  covers(lo: number, hi: number): boolean {
    const d = this.data;
    for (let i = 0; i < d.length; i += 2) if (d[i] <= lo && hi <= d[i + 1]) return true;
    return false;
  }

  equals(other: IntervalSet): boolean {
    if (this === other) return true;
    const a = this.data;
    const b = other.data;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  intersects(other: IntervalSet): boolean {
    const a = this.data;
    const b = other.data;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i + 1] < b[j]) i += 2;
      else if (b[j + 1] < a[i]) j += 2;
      else return true;
    }
    return false;
  }

  /** True when every element of this set is in `other`. */
  subsetOf(other: IntervalSet): boolean {
    if (this === other || this.data.length === 0) return true;
    const a = this.data;
    const b = other.data;
    let j = 0;
    for (let i = 0; i < a.length; i += 2) {
      while (j < b.length && b[j + 1] < a[i]) j += 2;
      if (j >= b.length || b[j] > a[i] || b[j + 1] < a[i + 1]) return false;
    }
    return true;
  }

  intersect(other: IntervalSet): IntervalSet {
    if (this === other) return this;
    const a = this.data;
    const b = other.data;
    if (a.length === 0 || b.length === 0) return IntervalSet.EMPTY;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const lo = a[i] > b[j] ? a[i] : b[j];
      const hi = a[i + 1] < b[j + 1] ? a[i + 1] : b[j + 1];
      if (lo <= hi) out.push(lo, hi);
      if (a[i + 1] < b[j + 1]) i += 2;
      else j += 2;
    }
    if (out.length === a.length && sameData(out, a)) return this;
    if (out.length === b.length && sameData(out, b)) return other;
    return out.length === 0 ? IntervalSet.EMPTY : new IntervalSet(out);
  }

  union(other: IntervalSet): IntervalSet {
    if (this === other || other.data.length === 0) return this;
    if (this.data.length === 0) return other;
    const merged: [number, number][] = [];
    for (const iv of this.intervals()) merged.push(iv);
    for (const iv of other.intervals()) merged.push(iv);
    return IntervalSet.fromRanges(merged);
  }

  subtract(other: IntervalSet): IntervalSet {
    const a = this.data;
    const b = other.data;
    if (a.length === 0 || b.length === 0) return this;
    const out: number[] = [];
    let j = 0;
    for (let i = 0; i < a.length; i += 2) {
      let lo = a[i];
      const hi = a[i + 1];
      while (j < b.length && b[j + 1] < lo) j += 2;
      let k = j;
      while (k < b.length && b[k] <= hi) {
        if (b[k] > lo) out.push(lo, b[k] - 1);
        lo = b[k + 1] + 1;
        if (lo > hi) break;
        k += 2;
      }
      if (lo <= hi) out.push(lo, hi);
    }
    if (out.length === a.length && sameData(out, a)) return this;
    return out.length === 0 ? IntervalSet.EMPTY : new IntervalSet(out);
  }

  /** The first element in `preferred` order that the set holds, else the minimum. */
  pick(preferred: readonly number[] = []): number {
    for (const p of preferred) if (this.has(p)) return p;
    return this.min;
  }

  toString(): string {
    const parts: string[] = [];
    for (const [lo, hi] of this.intervals()) parts.push(lo === hi ? `${lo}` : `${lo}-${hi}`);
    return `{${parts.join(',')}}`;
  }
}

function sameData(x: readonly number[], y: readonly number[]): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
