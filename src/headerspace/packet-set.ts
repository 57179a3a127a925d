/**
 * Sets of packets as unions of disjoint boxes, with the operations the
 * verifier needs: intersection, subtraction, first-match evaluation of rule
 * lists, and picking a readable witness packet. Work is always scoped (to a
 * source, a query, a changed rule): unscoped universe-wide algebra fragments
 * boxes badly (see docs/architecture.md).
 */
import { boxContains, boxIntersect, boxIsEmpty, boxSplit, boxSubsetOf, boxSubtract, boxesIntersect, type Box } from './box.js';
import { IntervalSet } from './interval-set.js';
import { DIM, DIM_COUNT, type Packet } from './packet.js';

export class PacketSet {
  private constructor(readonly boxes: readonly Box[]) {}

  static readonly EMPTY = new PacketSet([]);

  /** Boxes that are already pairwise disjoint (caller's promise). */
  static ofDisjoint(boxes: readonly Box[]): PacketSet {
    const kept = boxes.filter((b) => !boxIsEmpty(b));
    return kept.length === 0 ? PacketSet.EMPTY : new PacketSet(kept);
  }

  static ofBox(b: Box): PacketSet {
    return boxIsEmpty(b) ? PacketSet.EMPTY : new PacketSet([b]);
  }

  /** Any boxes; overlaps are removed. */
  static ofBoxes(boxes: readonly Box[]): PacketSet {
    let acc = PacketSet.EMPTY;
    for (const b of boxes) acc = acc.union(PacketSet.ofBox(b));
    return acc;
  }

  get isEmpty(): boolean {
    return this.boxes.length === 0;
  }

  get boxCount(): number {
    return this.boxes.length;
  }

  has(p: Packet): boolean {
    for (const b of this.boxes) if (boxContains(b, p)) return true;
    return false;
  }

  intersectBox(b: Box): PacketSet {
    const out: Box[] = [];
    for (const a of this.boxes) {
      const i = boxIntersect(a, b);
      if (i) out.push(i);
    }
    return out.length === this.boxes.length && out.every((x, k) => x === this.boxes[k]) ? this : PacketSet.ofDisjoint(out);
  }

  /**
   * The packets inside and outside one box, in one pass (the boxes that miss
   * it are kept as they are); undefined when no packet is inside.
   */
  splitBox(b: Box): { inside: PacketSet; outside: PacketSet } | undefined {
    let inside: Box[] | undefined;
    let outside: Box[] | undefined;
    for (let k = 0; k < this.boxes.length; k++) {
      const a = this.boxes[k];
      if (!boxesIntersect(a, b)) {
        if (outside) outside.push(a);
        continue;
      }
      if (!inside) {
        inside = [];
        outside = this.boxes.slice(0, k);
      }
      inside.push(boxSplit(a, b, outside!));
    }
    if (!inside) return undefined;
    return { inside: new PacketSet(inside), outside: outside!.length === 0 ? PacketSet.EMPTY : new PacketSet(outside!) };
  }

  intersect(other: PacketSet): PacketSet {
    if (other.boxes.length === 1) return this.intersectBox(other.boxes[0]);
    const out: Box[] = [];
    for (const a of this.boxes) for (const b of other.boxes) {
      const i = boxIntersect(a, b);
      if (i) out.push(i);
    }
    return PacketSet.ofDisjoint(out);
  }

  intersectsBox(b: Box): boolean {
    for (const a of this.boxes) if (boxesIntersect(a, b)) return true;
    return false;
  }

  intersects(other: PacketSet): boolean {
    for (const b of other.boxes) if (this.intersectsBox(b)) return true;
    return false;
  }

  subtractBox(b: Box): PacketSet {
    let changed = false;
    const out: Box[] = [];
    for (const a of this.boxes) {
      if (!boxesIntersect(a, b)) {
        out.push(a);
        continue;
      }
      changed = true;
      for (const piece of boxSubtract(a, b)) out.push(piece);
    }
    return changed ? PacketSet.ofDisjoint(out) : this;
  }

  subtract(other: PacketSet): PacketSet {
    let acc: PacketSet = this;
    for (const b of other.boxes) {
      if (acc.isEmpty) break;
      acc = acc.subtractBox(b);
    }
    return acc;
  }

  union(other: PacketSet): PacketSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    const extra = other.subtract(this);
    return extra.isEmpty ? this : PacketSet.ofDisjoint([...this.boxes, ...extra.boxes]);
  }

  /**
   * The union of two sets that share no packet (the caller's promise: the
   * hits of different rules in a first match, or packets not seen before).
   * The same boxes, in the same order, as `union` gives; without comparing
   * every box of one with every box of the other.
   */
  unionDisjoint(other: PacketSet): PacketSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    return new PacketSet([...this.boxes, ...other.boxes]);
  }

  /** True when every packet of this set is in `other`. */
  subsetOf(other: PacketSet): boolean {
    for (const a of this.boxes) {
      if (other.boxes.some((b) => boxSubsetOf(a, b))) continue;
      if (!PacketSet.ofBox(a).subtract(other).isEmpty) return false;
    }
    return true;
  }

  /** Applies f to every box (a header rewrite); f must keep boxes disjoint or the result is re-normalised. */
  mapBoxes(f: (b: Box) => Box, keepsDisjoint: boolean): PacketSet {
    const mapped = this.boxes.map(f);
    return keepsDisjoint ? PacketSet.ofDisjoint(mapped) : PacketSet.ofBoxes(mapped);
  }

  /**
   * Header rewrite: every packet gets `value` in dimension `dim` (NAT).
   * Boxes that differed only there collapse, so the result is re-normalised.
   */
  rewrite(dim: number, value: IntervalSet): PacketSet {
    if (this.isEmpty) return this;
    const mapped = this.boxes.map((b) => {
      const out = b.slice();
      out[dim] = value;
      return out as Box;
    });
    return PacketSet.ofBoxes(mapped);
  }

  /** Restricts one dimension to a set. */
  restrict(dim: number, value: IntervalSet): PacketSet {
    const out: Box[] = [];
    let changed = false;
    for (const b of this.boxes) {
      const d = b[dim].intersect(value);
      if (d.isEmpty) {
        changed = true;
        continue;
      }
      if (d !== b[dim]) {
        const nb = b.slice();
        nb[dim] = d;
        out.push(nb);
        changed = true;
      } else out.push(b);
    }
    return changed ? PacketSet.ofDisjoint(out) : this;
  }

  /** Removes the values `value` from one dimension. */
  exclude(dim: number, value: IntervalSet): PacketSet {
    if (value.isEmpty) return this;
    const out: Box[] = [];
    let changed = false;
    for (const b of this.boxes) {
      const d = b[dim].subtract(value);
      if (d === b[dim]) out.push(b);
      else {
        changed = true;
        if (!d.isEmpty) {
          const nb = b.slice();
          nb[dim] = d;
          out.push(nb);
        }
      }
    }
    return changed ? PacketSet.ofDisjoint(out) : this;
  }

  /**
   * The same set in fewer boxes: boxes equal in every dimension but one are
   * merged into one box (their union, exactly). Fragmentation from
   * first-match carving mostly comes back together this way (a rule that
   * splits off port 443 and a later rule that allows the rest).
   */
  coalesce(): PacketSet {
    if (this.boxes.length < 2) return this;
    let boxes = this.boxes;
    for (let pass = 0; pass < 4; pass++) {
      const before = boxes.length;
      for (let d = DIM_COUNT - 1; d >= 0 && boxes.length > 1; d--) boxes = mergeAlong(boxes, d);
      if (boxes.length === before) break;
    }
    return boxes.length === this.boxes.length ? this : new PacketSet(boxes);
  }

  /** Projection of one dimension: every value any packet of the set has there. */
  project(dim: number): IntervalSet {
    let acc = IntervalSet.EMPTY;
    for (const b of this.boxes) acc = acc.union(b[dim]);
    return acc;
  }
}

/** Merges disjoint boxes that agree on every dimension but `dim`; the result is disjoint too. */
function mergeAlong(boxes: readonly Box[], dim: number): readonly Box[] {
  const groups = new Map<number, Box[][]>();
  let merged = false;
  const out: Box[][] = [];
  for (const b of boxes) {
    let h = dim;
    for (let i = 0; i < DIM_COUNT; i++) if (i !== dim) h = (Math.imul(h, 31) + b[i].hash) | 0;
    let bucket = groups.get(h);
    if (!bucket) groups.set(h, (bucket = []));
    let group: Box[] | undefined;
    for (const g of bucket) {
      const first = g[0];
      let same = true;
      for (let i = 0; i < DIM_COUNT && same; i++) if (i !== dim && !first[i].equals(b[i])) same = false;
      if (same) {
        group = g;
        break;
      }
    }
    if (group) {
      group.push(b);
      merged = true;
    } else {
      const g = [b];
      bucket.push(g);
      out.push(g);
    }
  }
  if (!merged) return boxes;
  return out.map((g) => {
    if (g.length === 1) return g[0];
    let acc = g[0][dim];
    for (let k = 1; k < g.length; k++) acc = acc.union(g[k][dim]);
    const nb = g[0].slice();
    nb[dim] = acc;
    return nb;
  });
}

/** Witness preferences (algorithms.md §2.2): TCP, then well-known ports, then the first usable host. */
export interface WitnessPreferences {
  readonly protocols: readonly number[];
  readonly dstPorts: readonly number[];
  readonly srcPorts: readonly number[];
  readonly srcIps?: readonly number[];
  readonly dstIps?: readonly number[];
  readonly dstNames?: readonly number[];
}

export const DEFAULT_PREFERENCES: WitnessPreferences = {
  protocols: [6, 17, 1],
  dstPorts: [443, 80, 22, 3389, 445, 1433, 53],
  srcPorts: [49152],
};

/** A concrete packet of the set, chosen by the preferences, or undefined when empty. */
export function pickPacket(set: PacketSet, prefs: WitnessPreferences = DEFAULT_PREFERENCES): Packet | undefined {
  if (set.isEmpty) return undefined;
  let best: Box | undefined;
  let bestRank = Infinity;
  for (const b of set.boxes) {
    const protoRank = prefs.protocols.findIndex((p) => b[DIM.proto].has(p));
    const portRank = prefs.dstPorts.findIndex((p) => b[DIM.dstPort].has(p));
    const nameRank = prefs.dstNames ? prefs.dstNames.findIndex((n) => b[DIM.dstName].has(n)) : 0;
    const rank = (protoRank < 0 ? prefs.protocols.length : protoRank) * 1e4 + (portRank < 0 ? prefs.dstPorts.length : portRank) * 1e2 + (nameRank < 0 ? 99 : nameRank);
    if (rank < bestRank || (rank === bestRank && best && b[DIM.srcIp].min < best[DIM.srcIp].min)) {
      bestRank = rank;
      best = b;
    }
  }
  const b = best!;
  return {
    protocol: b[DIM.proto].pick(prefs.protocols),
    srcIp: b[DIM.srcIp].pick(prefs.srcIps ?? []),
    srcPort: b[DIM.srcPort].pick(prefs.srcPorts),
    dstIp: b[DIM.dstIp].pick(prefs.dstIps ?? []),
    dstPort: b[DIM.dstPort].pick(prefs.dstPorts),
    dstName: b[DIM.dstName].pick(prefs.dstNames ?? []),
  };
}
