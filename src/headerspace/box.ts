/**
 * Product boxes: one IntervalSet per dimension. One Azure rule (lists of
 * prefixes or a service tag x protocols x port lists) is one box, and A \ B
 * splits into at most one piece per dimension.
 */
import { IntervalSet } from './interval-set.js';
import { DIM_COUNT, packetDim, type Packet } from './packet.js';

export type Box = readonly IntervalSet[];

export function box(dims: readonly IntervalSet[]): Box {
  if (dims.length !== DIM_COUNT) throw new Error(`a box has ${DIM_COUNT} dimensions, got ${dims.length}`);
  return dims;
}

export function boxIsEmpty(b: Box): boolean {
  for (let i = 0; i < b.length; i++) if (b[i].isEmpty) return true;
  return false;
}

export function boxIntersect(a: Box, b: Box): Box | undefined {
  const out: IntervalSet[] = new Array(DIM_COUNT);
  for (let i = 0; i < DIM_COUNT; i++) {
    const d = a[i].intersect(b[i]);
    if (d.isEmpty) return undefined;
    out[i] = d;
  }
  return out;
}

export function boxesIntersect(a: Box, b: Box): boolean {
  for (let i = 0; i < DIM_COUNT; i++) if (!a[i].intersects(b[i])) return false;
  return true;
}

/** The same boxes in the same order, dimension by dimension (IntervalSet.equals tells identical objects apart first). */
export function sameBoxes(a: readonly Box[], b: readonly Box[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    for (let d = 0; d < x.length; d++) if (!x[d].equals(y[d])) return false;
  }
  return true;
}

export function boxSubsetOf(a: Box, b: Box): boolean {
  for (let i = 0; i < DIM_COUNT; i++) if (!a[i].subsetOf(b[i])) return false;
  return true;
}

/** a \ b as disjoint boxes: piece i keeps dims < i inside b and dim i outside b. */
export function boxSubtract(a: Box, b: Box): Box[] {
  if (!boxesIntersect(a, b)) return [a];
  const out: Box[] = [];
  const prefix: IntervalSet[] = [];
  for (let i = 0; i < DIM_COUNT; i++) {
    const outside = a[i].subtract(b[i]);
    if (!outside.isEmpty) {
      const piece = new Array<IntervalSet>(DIM_COUNT);
      for (let k = 0; k < i; k++) piece[k] = prefix[k];
      piece[i] = outside;
      for (let k = i + 1; k < DIM_COUNT; k++) piece[k] = a[k];
      out.push(piece);
    }
    prefix.push(a[i].intersect(b[i]));
  }
  return out;
}

/**
 * For boxes known to intersect: pushes the pieces of a \ b (as boxSubtract
 * cuts them) onto `outside` and returns a ∩ b, computing each dimension once.
 */
export function boxSplit(a: Box, b: Box, outside: Box[]): Box {
  const inside = new Array<IntervalSet>(DIM_COUNT);
  for (let i = 0; i < DIM_COUNT; i++) {
    const out = a[i].subtract(b[i]);
    if (!out.isEmpty) {
      const piece = new Array<IntervalSet>(DIM_COUNT);
      for (let k = 0; k < i; k++) piece[k] = inside[k];
      piece[i] = out;
      for (let k = i + 1; k < DIM_COUNT; k++) piece[k] = a[k];
      outside.push(piece);
    }
    inside[i] = a[i].intersect(b[i]);
  }
  return inside;
}

export function boxContains(b: Box, p: Packet): boolean {
  for (let i = 0; i < DIM_COUNT; i++) if (!b[i].has(packetDim(p, i))) return false;
  return true;
}

export function boxWith(b: Box, dim: number, set: IntervalSet): Box {
  const out = b.slice();
  out[dim] = set;
  return out;
}
