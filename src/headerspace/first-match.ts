/**
 * First-match evaluation of an ordered rule list over a packet set: each
 * rule decides the packets that reach it and that it matches; the rest fall
 * through. This is how NSGs (by priority) and Azure Firewall (by type, group,
 * collection, then list order) decide.
 */
import { boxContains, type Box } from './box.js';
import { IntervalSet } from './interval-set.js';
import { PacketSet } from './packet-set.js';
import { DIM, type Packet } from './packet.js';

export interface MatchRule {
  /** The rule matches the union of these boxes. */
  readonly boxes: readonly Box[];
}

export interface RuleHit<R> {
  readonly rule: R;
  readonly index: number;
  readonly packets: PacketSet;
}

export interface FirstMatchResult<R> {
  readonly hits: readonly RuleHit<R>[];
  /** Packets no rule matched. */
  readonly rest: PacketSet;
}

/** Lists at least this long are first sliced to the rules that can touch the input's addresses. */
const SLICE_MIN = 16;

export function firstMatch<R extends MatchRule>(input: PacketSet, rules: readonly R[]): FirstMatchResult<R> {
  const hits: RuleHit<R>[] = [];
  let rest = input;
  const candidates = rules.length >= SLICE_MIN && !input.isEmpty ? slice(input, rules) : undefined;
  const n = candidates ? candidates.length : rules.length;
  for (let k = 0; k < n && !rest.isEmpty; k++) {
    const i = candidates ? candidates[k] : k;
    const rule = rules[i];
    let hit = PacketSet.EMPTY;
    let remaining = rest;
    for (const b of rule.boxes) {
      const split = remaining.splitBox(b);
      if (!split) continue;
      hit = hit.unionDisjoint(split.inside);
      remaining = split.outside;
    }
    if (!hit.isEmpty) {
      hits.push({ rule, index: i, packets: hit });
      rest = remaining;
    }
  }
  return { hits, rest };
}

/**
 * Indexes of the rules that match some packet with the input's source and
 * destination addresses (rule slicing): a rule outside those cannot match
 * any packet of the input, so skipping it changes nothing.
 */
function slice(input: PacketSet, rules: readonly MatchRule[]): number[] {
  const src = projection(input, DIM.srcIp);
  const dst = projection(input, DIM.dstIp);
  const hulls = hullsOf(rules);
  const srcLo = src.min;
  const srcHi = src.max;
  const dstLo = dst.min;
  const dstHi = dst.max;
  const out: number[] = [];
  for (let i = 0; i < rules.length; i++) {
    // A rule whose addresses lie outside the input's hulls cannot meet it: tested on four numbers first.
    const h = 4 * i;
    if (hulls[h] > srcHi || hulls[h + 1] < srcLo || hulls[h + 2] > dstHi || hulls[h + 3] < dstLo) continue;
    for (const b of rules[i].boxes) {
      if (b[DIM.srcIp].intersects(src) && b[DIM.dstIp].intersects(dst)) {
        out.push(i);
        break;
      }
    }
  }
  return out;
}

/**
 * The first rule that matches one packet: the simulator's first match. A rule whose address hulls miss the
 * packet is passed over on four comparisons (a hub firewall has a thousand rules, a trace meets several).
 */
export function firstRuleContaining<R extends MatchRule>(rules: readonly R[], p: Packet): R | undefined {
  const hulls = hullsOf(rules);
  for (let i = 0; i < rules.length; i++) {
    const h = 4 * i;
    if (hulls[h] > p.srcIp || hulls[h + 1] < p.srcIp || hulls[h + 2] > p.dstIp || hulls[h + 3] < p.dstIp) continue;
    for (const b of rules[i].boxes) if (boxContains(b, p)) return rules[i];
  }
  return undefined;
}

const ruleHulls = new WeakMap<readonly MatchRule[], Float64Array>();

/** Per rule, the smallest and largest source and destination address of its boxes (lo > hi: no box). */
function hullsOf(rules: readonly MatchRule[]): Float64Array {
  let hulls = ruleHulls.get(rules);
  if (hulls) return hulls;
  hulls = new Float64Array(4 * rules.length);
  rules.forEach((r, i) => {
    let srcLo = Infinity;
    let srcHi = -Infinity;
    let dstLo = Infinity;
    let dstHi = -Infinity;
    for (const b of r.boxes) {
      if (b[DIM.srcIp].isEmpty || b[DIM.dstIp].isEmpty) continue;
      srcLo = Math.min(srcLo, b[DIM.srcIp].min);
      srcHi = Math.max(srcHi, b[DIM.srcIp].max);
      dstLo = Math.min(dstLo, b[DIM.dstIp].min);
      dstHi = Math.max(dstHi, b[DIM.dstIp].max);
    }
    hulls!.set([srcLo, srcHi, dstLo, dstHi], 4 * i);
  });
  ruleHulls.set(rules, hulls);
  return hulls;
}

/**
 * A superset of the values the input's boxes hold in one dimension: small
 * sets exactly, large ones by their hull (a superset only keeps more rules).
 */
function projection(input: PacketSet, dim: number): IntervalSet {
  const ranges: [number, number][] = [];
  let last: IntervalSet | undefined;
  for (const b of input.boxes) {
    const d = b[dim];
    if (d === last) continue;
    last = d;
    if (d.intervalCount > 8) ranges.push([d.min, d.max]);
    else for (const r of d.intervals()) ranges.push(r);
  }
  return IntervalSet.fromRanges(ranges);
}

/** The union of a rule's boxes as a set (for diffs and explanations). */
export function ruleSet(rule: MatchRule): PacketSet {
  return PacketSet.ofBoxes(rule.boxes);
}
