/**
 * Address translation without losing where packets came from. Packet sets
 * stay in the coordinates of the packets as sent; a NAT on the path (SNAT,
 * DNAT, a public IP's translation) is kept in the path state as the
 * constant it assigns. Whatever decides on a translated dimension looks at
 * the translated view, and the answer is mapped back box by box: exact,
 * because within a box a translated dimension has one value.
 */
import type { Box } from '../headerspace/box.js';
import { firstMatch, type FirstMatchResult, type MatchRule, type RuleHit } from '../headerspace/first-match.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import { PacketSet } from '../headerspace/packet-set.js';
import { DIM } from '../headerspace/packet.js';

export interface Nat {
  readonly srcIp?: number;
  readonly dstIp?: number;
  readonly dstPort?: number;
  readonly dstName?: number;
}

const NAT_DIMS = [
  ['srcIp', DIM.srcIp],
  ['dstIp', DIM.dstIp],
  ['dstPort', DIM.dstPort],
  ['dstName', DIM.dstName],
] as const;

export function natKey(nat: Nat | undefined): string {
  if (!nat) return '';
  return NAT_DIMS.map(([k]) => (nat[k] === undefined ? '' : String(nat[k]))).join('/');
}

function fixed(nat: Nat | undefined, dim: number): number | undefined {
  if (!nat) return undefined;
  for (const [k, d] of NAT_DIMS) if (d === dim) return nat[k];
  return undefined;
}

/** Packets whose (translated) value in `dim` is in `values`. */
export function natRestrict(set: PacketSet, nat: Nat | undefined, dim: number, values: IntervalSet): PacketSet {
  const v = fixed(nat, dim);
  if (v === undefined) return set.restrict(dim, values);
  return values.has(v) ? set : PacketSet.EMPTY;
}

/** Packets whose (translated) value in `dim` is not in `values`. */
export function natExclude(set: PacketSet, nat: Nat | undefined, dim: number, values: IntervalSet): PacketSet {
  const v = fixed(nat, dim);
  if (v === undefined) return set.exclude(dim, values);
  return values.has(v) ? PacketSet.EMPTY : set;
}

function translate(b: Box, nat: Nat): Box {
  const out = b.slice();
  for (const [k, d] of NAT_DIMS) if (nat[k] !== undefined) out[d] = IntervalSet.point(nat[k]!);
  return out;
}

function untranslate(piece: Box, original: Box, nat: Nat): Box {
  const out = piece.slice();
  for (const [k, d] of NAT_DIMS) if (nat[k] !== undefined) out[d] = original[d];
  return out;
}

function hasNat(nat: Nat | undefined): nat is Nat {
  return !!nat && NAT_DIMS.some(([k]) => nat[k] !== undefined);
}

/** Applies `fn` to the translated view and maps the resulting subset back. */
export function natMap(set: PacketSet, nat: Nat | undefined, fn: (view: PacketSet) => PacketSet): PacketSet {
  if (!hasNat(nat)) return fn(set);
  let out = PacketSet.EMPTY;
  for (const b of set.boxes) {
    const r = fn(PacketSet.ofBox(translate(b, nat)));
    if (!r.isEmpty) out = out.union(PacketSet.ofDisjoint(r.boxes.map((p) => untranslate(p, b, nat))));
  }
  return out;
}

/** First-match evaluation of a rule list on the translated view, results in original coordinates. */
export function natFirstMatch<R extends MatchRule>(set: PacketSet, nat: Nat | undefined, rules: readonly R[]): FirstMatchResult<R> {
  if (!hasNat(nat)) return firstMatch(set, rules);
  const hits = new Map<number, { rule: R; index: number; packets: PacketSet }>();
  let rest = PacketSet.EMPTY;
  for (const b of set.boxes) {
    const r = firstMatch(PacketSet.ofBox(translate(b, nat)), rules);
    for (const h of r.hits) {
      const back = PacketSet.ofDisjoint(h.packets.boxes.map((p) => untranslate(p, b, nat)));
      const prev = hits.get(h.index);
      hits.set(h.index, { rule: h.rule, index: h.index, packets: prev ? prev.packets.unionDisjoint(back) : back });
    }
    if (!r.rest.isEmpty) rest = rest.unionDisjoint(PacketSet.ofDisjoint(r.rest.boxes.map((p) => untranslate(p, b, nat))));
  }
  const ordered: RuleHit<R>[] = [...hits.values()].sort((a, b) => a.index - b.index);
  return { hits: ordered, rest };
}

/** The translated view of a set (for display). */
export function natView(set: PacketSet, nat: Nat | undefined): PacketSet {
  if (!hasNat(nat)) return set;
  return PacketSet.ofBoxes(set.boxes.map((b) => translate(b, nat)));
}
