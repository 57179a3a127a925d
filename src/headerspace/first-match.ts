/**
 * First-match evaluation of an ordered rule list over a packet set: each
 * rule decides the packets that reach it and that it matches; the rest fall
 * through. This is how NSGs (by priority) and Azure Firewall (by type, group,
 * collection, then list order) decide.
 */
import type { Box } from './box.js';
import { PacketSet } from './packet-set.js';

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

export function firstMatch<R extends MatchRule>(input: PacketSet, rules: readonly R[]): FirstMatchResult<R> {
  const hits: RuleHit<R>[] = [];
  let rest = input;
  for (let i = 0; i < rules.length && !rest.isEmpty; i++) {
    const rule = rules[i];
    let hit = PacketSet.EMPTY;
    let remaining = rest;
    for (const b of rule.boxes) {
      if (!remaining.intersectsBox(b)) continue;
      hit = hit.union(remaining.intersectBox(b));
      remaining = remaining.subtractBox(b);
    }
    if (!hit.isEmpty) {
      hits.push({ rule, index: i, packets: hit });
      rest = remaining;
    }
  }
  return { hits, rest };
}

/** The union of a rule's boxes as a set (for diffs and explanations). */
export function ruleSet(rule: MatchRule): PacketSet {
  return PacketSet.ofBoxes(rule.boxes);
}
