/**
 * Sets of integers as sorted, disjoint, non-adjacent closed intervals.
 * Immutable; the building block of every header dimension. Bounds are JS
 * numbers: exact for IPv4 (2^32) and ports; an IPv6 dimension would need a
 * wider bound type behind the same interface.
 */
export class IntervalSet {
  /** Flat [lo0, hi0, lo1, hi1, ...], sorted, disjoint, with gaps between intervals. */
  private constructor(readonly data: readonly number[]) {}

  /** Content hash, computed on first use (sets are immutable). */
  private hashValue = 0;

  /** A hash of the content: equal sets have equal hashes. */
  get hash(): number {
    if (this.hashValue !== 0) return this.hashValue;
    let h = 0x811c9dc5 ^ this.data.length;
    for (let i = 0; i < this.data.length; i++) {
      const x = this.data[i];
      h = Math.imul(h ^ (x & 0xffff), 0x01000193);
      h = Math.imul(h ^ (x >>> 16), 0x01000193);
    }
    this.hashValue = h | 1;
    return this.hashValue;
  }

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
    if (a.length === 0 || b.length === 0) return false;
    if (a.length * GALLOP < b.length) return intersectsSparse(a, b);
    if (b.length * GALLOP < a.length) return intersectsSparse(b, a);
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
    if (a.length * GALLOP < b.length) {
      // Few intervals inside many: find each one's container by binary search.
      for (let i = 0; i < a.length; i += 2) {
        const j = firstEndingAtOrAfter(b, a[i], 0);
        if (j >= b.length || b[j] > a[i] || b[j + 1] < a[i + 1]) return false;
      }
      return true;
    }
    let j = 0;
    for (let i = 0; i < a.length; i += 2) {
      while (j < b.length && b[j + 1] < a[i]) j += 2;
      if (j >= b.length || b[j] > a[i] || b[j + 1] < a[i + 1]) return false;
    }
    return true;
  }

  intersect(other: IntervalSet): IntervalSet {
    if (this.data.length >= MEMO_MIN || other.data.length >= MEMO_MIN) return memoized(MEMO_INTERSECT, this, other, (a, b) => a.intersectNow(b));
    return this.intersectNow(other);
  }

  private intersectNow(other: IntervalSet): IntervalSet {
    if (this === other) return this;
    const a = this.data;
    const b = other.data;
    if (a.length === 0 || b.length === 0) return IntervalSet.EMPTY;
    if (a.length * GALLOP < b.length) return this.spans(other) ? other : this.intersectSparse(other);
    if (b.length * GALLOP < a.length) return other.spans(this) ? this : other.intersectSparse(this);
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

  /** Whether one interval of this set holds all of `other` (so their intersection is `other`). */
  private spans(other: IntervalSet): boolean {
    const b = other.data;
    const d = this.data;
    const j = firstEndingAtOrAfter(d, b[0], 0);
    return j < d.length && d[j] <= b[0] && d[j + 1] >= b[b.length - 1];
  }

  /** Intersection when this set has far fewer intervals than `other`: binary search instead of a full merge. */
  private intersectSparse(other: IntervalSet): IntervalSet {
    const a = this.data;
    const b = other.data;
    const out: number[] = [];
    let j = 0;
    for (let i = 0; i < a.length; i += 2) {
      const lo = a[i];
      const hi = a[i + 1];
      j = firstEndingAtOrAfter(b, lo, j);
      for (let k = j; k < b.length && b[k] <= hi; k += 2) out.push(b[k] > lo ? b[k] : lo, b[k + 1] < hi ? b[k + 1] : hi);
    }
    if (out.length === a.length && sameData(out, a)) return this;
    return out.length === 0 ? IntervalSet.EMPTY : new IntervalSet(out);
  }

  union(other: IntervalSet): IntervalSet {
    if (this.data.length >= MEMO_MIN || other.data.length >= MEMO_MIN) return memoized(MEMO_UNION, this, other, (a, b) => a.unionNow(b));
    return this.unionNow(other);
  }

  private unionNow(other: IntervalSet): IntervalSet {
    if (this === other || other.data.length === 0) return this;
    if (this.data.length === 0) return other;
    const a = this.data;
    const b = other.data;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      let lo: number;
      let hi: number;
      if (j >= b.length || (i < a.length && a[i] <= b[j])) {
        lo = a[i];
        hi = a[i + 1];
        i += 2;
      } else {
        lo = b[j];
        hi = b[j + 1];
        j += 2;
      }
      const n = out.length;
      if (n > 0 && lo <= out[n - 1] + 1) {
        if (hi > out[n - 1]) out[n - 1] = hi;
      } else out.push(lo, hi);
    }
    if (out.length === a.length && sameData(out, a)) return this;
    if (out.length === b.length && sameData(out, b)) return other;
    return new IntervalSet(out);
  }

  subtract(other: IntervalSet): IntervalSet {
    if (this.data.length >= MEMO_MIN || other.data.length >= MEMO_MIN) return memoized(MEMO_SUBTRACT, this, other, (a, b) => a.subtractNow(b));
    return this.subtractNow(other);
  }

  private subtractNow(other: IntervalSet): IntervalSet {
    const a = this.data;
    const b = other.data;
    if (a.length === 0 || b.length === 0) return this;
    if (b.length * GALLOP < a.length && !intersectsSparse(b, a)) return this;
    const out: number[] = [];
    const sparse = a.length * GALLOP < b.length;
    let j = 0;
    for (let i = 0; i < a.length; i += 2) {
      let lo = a[i];
      const hi = a[i + 1];
      if (sparse) j = firstEndingAtOrAfter(b, lo, j);
      else while (j < b.length && b[j + 1] < lo) j += 2;
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

/**
 * Results of operations on large sets (service tags, the public address
 * space), by operand identity. The same large sets meet the same rule sets
 * again and again (every source's packets cross the same firewall rules), so
 * their results are computed once and, being the same objects, keep the
 * identity shortcuts of later operations working. Weak in both operands:
 * entries go when either does.
 */
const MEMO_MIN = 256;
type Memo = WeakMap<IntervalSet, WeakMap<IntervalSet, IntervalSet>>;
const MEMO_INTERSECT: Memo = new WeakMap();
const MEMO_UNION: Memo = new WeakMap();
const MEMO_SUBTRACT: Memo = new WeakMap();
/** Interval bounds that new remembered results may still hold, over the whole process. */
let memoBudget = 8_000_000;

function memoized(memo: Memo, a: IntervalSet, b: IntervalSet, op: (a: IntervalSet, b: IntervalSet) => IntervalSet): IntervalSet {
  let inner = memo.get(a);
  if (!inner) memo.set(a, (inner = new WeakMap()));
  let r = inner.get(b);
  if (r === undefined) {
    r = op(a, b);
    // Remembered results keep each other alive through their operands: a budget bounds them.
    if (r !== a && r !== b) {
      if (memoBudget < r.data.length) return r;
      memoBudget -= r.data.length;
    }
    inner.set(b, r);
  }
  return r;
}

/** Below this ratio of interval counts, a linear merge beats binary search. */
const GALLOP = 8;

/** Index (even) of the first interval of `d`, from `from` on, whose upper bound is >= x; d.length if none. */
function firstEndingAtOrAfter(d: readonly number[], x: number, from: number): number {
  let lo = from >> 1;
  let hi = d.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d[2 * mid + 1] < x) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** Whether sorted sets `a` (few intervals) and `b` (many) share an element. */
function intersectsSparse(a: readonly number[], b: readonly number[]): boolean {
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    j = firstEndingAtOrAfter(b, a[i], j);
    if (j >= b.length) return false;
    if (b[j] <= a[i + 1]) return true;
  }
  return false;
}

function sameData(x: readonly number[], y: readonly number[]): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
