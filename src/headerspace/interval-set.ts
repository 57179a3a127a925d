/**
 * Sets of integers as sorted, disjoint, non-adjacent closed intervals.
 * Immutable; the building block of every header dimension. Bounds are
 * unsigned 32-bit integers: exact for IPv4 (2^32) and ports; an IPv6
 * dimension would need a wider bound type behind the same interface.
 *
 * Large sets (the public address space of the shipped catalog, about 5,600
 * intervals) are cut by rule after rule, each cut a few intervals wide. So a
 * large set is kept as a list of parts (runs of intervals), and a cut
 * rebuilds only the parts it touches: the result shares every other part
 * with its operand instead of copying 11,000 bounds.
 */
export class IntervalSet {
  private constructor(
    /** Flat [lo0, hi0, lo1, hi1, ...], sorted, disjoint, with gaps between intervals; undefined when held in parts. */
    private readonly flatD: Uint32Array | undefined,
    /** The same bounds cut into runs (always for a set made by cutting a large one; views of flatD otherwise, made on demand). */
    private partsD: Parts | undefined,
    /** Number of bounds (twice the number of intervals). */
    private readonly len: number,
  ) {}

  /** Content hash, computed on first use (sets are immutable). */
  private hashValue = 0;
  private plain: readonly number[] | undefined;

  /** The bounds as a plain array [lo0, hi0, lo1, hi1, ...] (for encoders and keys; not for hot paths). */
  get data(): readonly number[] {
    return (this.plain ??= Array.from(this.flat()));
  }

  /** A hash of the content: equal sets have equal hashes. */
  get hash(): number {
    if (this.hashValue !== 0) return this.hashValue;
    let h = 0x811c9dc5 ^ this.len;
    for (const d of this.segments()) {
      for (let i = 0; i < d.length; i++) {
        const x = d[i];
        h = Math.imul(h ^ (x & 0xffff), 0x01000193);
        h = Math.imul(h ^ (x >>> 16), 0x01000193);
      }
    }
    this.hashValue = h | 1;
    return this.hashValue;
  }

  static readonly EMPTY = new IntervalSet(new Uint32Array(0), undefined, 0);

  static of(lo: number, hi: number): IntervalSet {
    if (lo > hi) return IntervalSet.EMPTY;
    checkBound(lo);
    checkBound(hi);
    return new IntervalSet(Uint32Array.of(lo, hi), undefined, 2);
  }

  static point(x: number): IntervalSet {
    checkBound(x);
    return new IntervalSet(Uint32Array.of(x, x), undefined, 2);
  }

  /** From arbitrary (possibly overlapping, unsorted) ranges. */
  static fromRanges(ranges: Iterable<readonly [number, number]>): IntervalSet {
    const list = [...ranges].filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
    const out: number[] = [];
    for (const [lo, hi] of list) {
      checkBound(lo);
      checkBound(hi);
      const n = out.length;
      if (n > 0 && lo <= out[n - 1] + 1) {
        if (hi > out[n - 1]) out[n - 1] = hi;
      } else out.push(lo, hi);
    }
    return out.length === 0 ? IntervalSet.EMPTY : new IntervalSet(Uint32Array.from(out), undefined, out.length);
  }

  get isEmpty(): boolean {
    return this.len === 0;
  }

  get intervalCount(): number {
    return this.len / 2;
  }

  get min(): number {
    return this.flatD ? this.flatD[0] : this.partsD!.los[0];
  }

  get max(): number {
    return this.flatD ? this.flatD[this.len - 1] : this.partsD!.his[this.partsD!.his.length - 1];
  }

  /** Number of integers in the set. */
  get size(): number {
    let n = 0;
    for (const d of this.segments()) for (let i = 0; i < d.length; i += 2) n += d[i + 1] - d[i] + 1;
    return n;
  }

  *intervals(): IterableIterator<[number, number]> {
    for (const d of this.segments()) for (let i = 0; i < d.length; i += 2) yield [d[i], d[i + 1]];
  }

  has(x: number): boolean {
    const [d, j] = this.locate(x);
    return j < d.length && d[j] <= x;
  }

  covers(lo: number, hi: number): boolean {
    const [d, j] = this.locate(hi);
    return j < d.length && d[j] <= lo;
  }

  equals(other: IntervalSet): boolean {
    if (this === other) return true;
    if (this.len !== other.len) return false;
    if (this.hashValue !== 0 && other.hashValue !== 0 && this.hashValue !== other.hashValue) return false;
    return sameSegments(this.segments(), other.segments());
  }

  intersects(other: IntervalSet): boolean {
    if (this.len === 0 || other.len === 0) return false;
    if (this.max < other.min || other.max < this.min) return false;
    // Few intervals against a large set: look each one up.
    if (this.len * GALLOP < other.len) return other.meetsAny(this.flat());
    if (other.len * GALLOP < this.len) return this.meetsAny(other.flat());
    const a = this.flat();
    const b = other.flat();
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
    if (this === other || this.len === 0) return true;
    if (this.len > 0 && other.len === 0) return false;
    if (this.min < other.min || this.max > other.max) return false;
    // Only the intervals of `other` that meet this set matter.
    const a = this.flat();
    const b = this.len * GALLOP < other.len ? other.near(a) : other.flat();
    if (a.length * GALLOP < b.length) {
      // Few intervals inside many: find each one's container by binary search.
      let j = 0;
      for (let i = 0; i < a.length; i += 2) {
        j = firstEndingAtOrAfter(b, a[i], j);
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
    if (this.len >= MEMO_MIN || other.len >= MEMO_MIN) return memoized(MEMO_INTERSECT, this, other, (a, b) => a.intersectNow(b));
    return this.intersectNow(other);
  }

  private intersectNow(other: IntervalSet): IntervalSet {
    if (this === other) return this;
    if (this.len === 0 || other.len === 0) return IntervalSet.EMPTY;
    if (this.max < other.min || other.max < this.min) return IntervalSet.EMPTY;
    if (this.len * GALLOP < other.len && this.spans(other)) return other;
    if (other.len * GALLOP < this.len && other.spans(this)) return this;
    const [a, b] = IntervalSet.nearPair(this, other);
    const n = intersectInto(a, b);
    if (n === this.len && sameData(buffer, a, n)) return this;
    if (n === other.len && sameData(buffer, b, n)) return other;
    return IntervalSet.fromBuffer(n);
  }

  /** Whether one interval of this set holds all of `other` (so their intersection is `other`). */
  private spans(other: IntervalSet): boolean {
    const lo = other.min;
    const [d, j] = this.locate(lo);
    return j < d.length && d[j] <= lo && d[j + 1] >= other.max;
  }

  union(other: IntervalSet): IntervalSet {
    if (this.len >= MEMO_MIN || other.len >= MEMO_MIN) return memoized(MEMO_UNION, this, other, (a, b) => a.unionNow(b));
    return this.unionNow(other);
  }

  private unionNow(other: IntervalSet): IntervalSet {
    if (this === other || other.len === 0) return this;
    if (this.len === 0) return other;
    const a = this.flat();
    const b = other.flat();
    const n = unionInto(a, b);
    if (n === a.length && sameData(buffer, a, n)) return this;
    if (n === b.length && sameData(buffer, b, n)) return other;
    return IntervalSet.fromBuffer(n);
  }

  subtract(other: IntervalSet): IntervalSet {
    if (this.len >= MEMO_MIN || other.len >= MEMO_MIN) return memoized(MEMO_SUBTRACT, this, other, (a, b) => a.subtractNow(b));
    return this.subtractNow(other);
  }

  private subtractNow(other: IntervalSet): IntervalSet {
    if (this.len === 0 || other.len === 0) return this;
    if (this.max < other.min || other.max < this.min) return this;
    if (this.len >= PARTED_MIN && other.len * GALLOP < this.len) return this.cut(other.flat());
    // Only the intervals of `other` that meet this set matter.
    const a = this.flat();
    const b = this.len * GALLOP < other.len ? other.near(a) : other.flat();
    const n = subtractInto(a, b);
    if (n === a.length && sameData(buffer, a, n)) return this;
    return IntervalSet.fromBuffer(n);
  }

  /**
   * This large set minus `b` (far fewer intervals): the parts `b` meets are
   * rebuilt, the others are shared with this set.
   */
  private cut(b: Uint32Array): IntervalSet {
    const from = this.parts();
    const np = from.arrs.length;
    const arrs: Uint32Array[] = [];
    const los: number[] = [];
    const his: number[] = [];
    let total = 0;
    const keep = (d: Uint32Array): void => {
      arrs.push(d);
      los.push(d[0]);
      his.push(d[d.length - 1]);
      total += d.length;
    };
    let changed = false;
    let p = 0;
    let j = 0;
    while (j < b.length && p < np) {
      const c = firstAtOrAbove(from.his, b[j], p);
      for (let k = p; k < c; k++) keep(from.arrs[k]);
      p = c;
      if (p >= np) break;
      if (from.los[p] > b[j + 1]) {
        // b's interval j falls between two parts.
        j += 2;
        continue;
      }
      // b's intervals that start within part p; the last one may reach into the next part.
      let e = j;
      while (e < b.length && b[e] <= from.his[p]) e += 2;
      const d = from.arrs[p];
      const n = subtractInto(d, b.subarray(j, e));
      if (n === d.length && sameData(buffer, d, n)) keep(d);
      else {
        changed = true;
        if (n > 0) {
          const piece = buffer.slice(0, n);
          if (n <= 2 * PART) keep(piece);
          else for (let k = 0; k < n; k += PART) keep(piece.subarray(k, Math.min(n, k + PART)));
        }
      }
      p += 1;
      j = b[e - 1] > from.his[p - 1] ? e - 2 : e;
    }
    if (!changed) return this;
    for (let k = p; k < np; k++) keep(from.arrs[k]);
    if (total === 0) return IntervalSet.EMPTY;
    if (total >= PARTED_MIN) return new IntervalSet(undefined, { arrs, los, his }, total);
    const flat = new Uint32Array(total);
    let o = 0;
    for (const d of arrs) {
      flat.set(d, o);
      o += d.length;
    }
    return new IntervalSet(flat, undefined, total);
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

  private static fromBuffer(n: number): IntervalSet {
    return n === 0 ? IntervalSet.EMPTY : new IntervalSet(buffer.slice(0, n), undefined, n);
  }

  /** The operands of an overlap-only operation, the larger one narrowed to the intervals that meet the smaller. */
  private static nearPair(x: IntervalSet, y: IntervalSet): [Uint32Array, Uint32Array] {
    if (x.len * GALLOP < y.len) {
      const a = x.flat();
      return [a, y.near(a)];
    }
    if (y.len * GALLOP < x.len) {
      const b = y.flat();
      return [x.near(b), b];
    }
    return [x.flat(), y.flat()];
  }

  /** Whether some interval of `a` meets this set. */
  private meetsAny(a: Uint32Array): boolean {
    if (this.flatD) return intersectsSparse(a, this.flatD);
    for (let i = 0; i < a.length; i += 2) {
      const [d, j] = this.locate(a[i]);
      if (j < d.length && d[j] <= a[i + 1]) return true;
    }
    return false;
  }

  /** The bounds in one array (a copy when the set is held in parts). */
  private flat(): Uint32Array {
    if (this.flatD) return this.flatD;
    const out = new Uint32Array(this.len);
    let o = 0;
    for (const d of this.partsD!.arrs) {
      out.set(d, o);
      o += d.length;
    }
    return out;
  }

  private segments(): readonly Uint32Array[] {
    return this.flatD ? [this.flatD] : this.partsD!.arrs;
  }

  private parts(): Parts {
    if (this.partsD) return this.partsD;
    const d = this.flatD!;
    const arrs: Uint32Array[] = [];
    const los: number[] = [];
    const his: number[] = [];
    for (let k = 0; k < d.length; k += PART) {
      const v = d.subarray(k, Math.min(d.length, k + PART));
      arrs.push(v);
      los.push(v[0]);
      his.push(v[v.length - 1]);
    }
    this.partsD = { arrs, los, his };
    return this.partsD;
  }

  /** The run holding the first interval whose upper bound is >= x, and that interval's index in it (run length if none). */
  private locate(x: number): [Uint32Array, number] {
    if (this.flatD) return [this.flatD, firstEndingAtOrAfter(this.flatD, x, 0)];
    const { arrs, his } = this.partsD!;
    const p = firstAtOrAbove(his, x, 0);
    if (p >= arrs.length) return [arrs[arrs.length - 1], arrs[arrs.length - 1].length];
    return [arrs[p], firstEndingAtOrAfter(arrs[p], x, 0)];
  }

  /**
   * This set's intervals that meet some interval of `a`, in order: all that
   * an intersection, a subtraction from `a` or an overlap test with `a`
   * needs. A view of a shared buffer, valid until the next call.
   */
  private near(a: Uint32Array): Uint32Array {
    if (this.flatD) return this.flatD;
    const { arrs, his } = this.partsD!;
    if (near.length < this.len) near = new Uint32Array(Math.max(this.len, near.length * 2));
    const out = near;
    let n = 0;
    let p = 0;
    let k = 0;
    for (let i = 0; i < a.length; i += 2) {
      const lo = a[i];
      const hi = a[i + 1];
      const q = firstAtOrAbove(his, lo, p);
      if (q >= arrs.length) break;
      if (q !== p) {
        p = q;
        k = 0;
      }
      let d = arrs[p];
      k = firstEndingAtOrAfter(d, lo, k);
      for (;;) {
        if (k >= d.length) {
          if (++p >= arrs.length) break;
          d = arrs[p];
          k = 0;
        }
        if (d[k] > hi) break;
        out[n++] = d[k];
        out[n++] = d[k + 1];
        k += 2;
      }
      if (p >= arrs.length) break;
    }
    return out.subarray(0, n);
  }
}

/** A large set cut into runs of intervals, with each run's lowest and highest bound. */
interface Parts {
  readonly arrs: readonly Uint32Array[];
  readonly los: readonly number[];
  readonly his: readonly number[];
}

/** Bounds per run when a large set is first cut into runs. */
const PART = 128;
/** Sets with at least this many bounds are cut part by part. */
const PARTED_MIN = 1024;

const U32_MAX = 0xffffffff;

function checkBound(x: number): void {
  if (!Number.isInteger(x) || x < 0 || x > U32_MAX) throw new RangeError(`topo: interval bound ${x} is not an unsigned 32-bit integer`);
}

/**
 * One output buffer for every operation (they never nest): results are
 * written here and copied out at their exact size, so an operation
 * allocates once. `near` gathers into a second one.
 */
let buffer = new Uint32Array(1024);
let near = new Uint32Array(1024);

function reserve(capacity: number): Uint32Array {
  if (buffer.length < capacity) buffer = new Uint32Array(Math.max(capacity, buffer.length * 2));
  return buffer;
}

function intersectInto(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  if (b.length * GALLOP < a.length) return intersectSparseInto(b, a);
  if (a.length * GALLOP < b.length) return intersectSparseInto(a, b);
  const out = reserve(a.length + b.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = a[i] > b[j] ? a[i] : b[j];
    const hi = a[i + 1] < b[j + 1] ? a[i + 1] : b[j + 1];
    if (lo <= hi) {
      out[n++] = lo;
      out[n++] = hi;
    }
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return n;
}

/** Intersection when `a` has far fewer intervals than `b`: binary search instead of a full merge. */
function intersectSparseInto(a: Uint32Array, b: Uint32Array): number {
  const out = reserve(a.length + b.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    const lo = a[i];
    const hi = a[i + 1];
    j = firstEndingAtOrAfter(b, lo, j);
    for (let k = j; k < b.length && b[k] <= hi; k += 2) {
      out[n++] = b[k] > lo ? b[k] : lo;
      out[n++] = b[k + 1] < hi ? b[k + 1] : hi;
    }
  }
  return n;
}

function unionInto(a: Uint32Array, b: Uint32Array): number {
  const out = reserve(a.length + b.length);
  let n = 0;
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
    if (n > 0 && lo <= out[n - 1] + 1) {
      if (hi > out[n - 1]) out[n - 1] = hi;
    } else {
      out[n++] = lo;
      out[n++] = hi;
    }
  }
  return n;
}

function subtractInto(a: Uint32Array, b: Uint32Array): number {
  const out = reserve(a.length + b.length);
  let n = 0;
  const sparse = a.length * GALLOP < b.length;
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i];
    const hi = a[i + 1];
    if (sparse) j = firstEndingAtOrAfter(b, lo, j);
    else while (j < b.length && b[j + 1] < lo) j += 2;
    let k = j;
    while (k < b.length && b[k] <= hi) {
      if (b[k] > lo) {
        out[n++] = lo;
        out[n++] = b[k] - 1;
      }
      lo = b[k + 1] + 1;
      if (lo > hi) break;
      k += 2;
    }
    if (lo <= hi) {
      out[n++] = lo;
      out[n++] = hi;
    }
  }
  return n;
}

function sameSegments(x: readonly Uint32Array[], y: readonly Uint32Array[]): boolean {
  let xi = 0;
  let xk = 0;
  let yi = 0;
  let yk = 0;
  for (;;) {
    while (xi < x.length && xk >= x[xi].length) {
      xi++;
      xk = 0;
    }
    while (yi < y.length && yk >= y[yi].length) {
      yi++;
      yk = 0;
    }
    if (xi >= x.length || yi >= y.length) return xi >= x.length && yi >= y.length;
    const dx = x[xi];
    const dy = y[yi];
    if (dx === dy && xk === 0 && yk === 0) {
      xk = dx.length;
      yk = dy.length;
      continue;
    }
    if (dx[xk++] !== dy[yk++]) return false;
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
      if (memoBudget < 2 * r.intervalCount) return r;
      memoBudget -= 2 * r.intervalCount;
    }
    inner.set(b, r);
  }
  return r;
}

/** Below this ratio of interval counts, a linear merge beats binary search. */
const GALLOP = 8;

/** Index (even) of the first interval of `d`, from `from` on, whose upper bound is >= x; d.length if none. */
function firstEndingAtOrAfter(d: Uint32Array, x: number, from: number): number {
  let lo = from >> 1;
  let hi = d.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d[2 * mid + 1] < x) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** Index of the first element of sorted `xs`, from `from` on, that is >= x; xs.length if none. */
function firstAtOrAbove(xs: readonly number[], x: number, from: number): number {
  let lo = from;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether sorted sets `a` (few intervals) and `b` (many) share an element. */
function intersectsSparse(a: Uint32Array, b: Uint32Array): boolean {
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    j = firstEndingAtOrAfter(b, a[i], j);
    if (j >= b.length) return false;
    if (b[j] <= a[i + 1]) return true;
  }
  return false;
}

function sameData(x: Uint32Array, y: Uint32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return false;
  return true;
}
