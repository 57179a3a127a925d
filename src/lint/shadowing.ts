/**
 * Shadowed rules of a first-match list: a rule none of whose packets reach
 * it, because earlier rules decide them all. The work is scoped to the
 * rule's own packets (never the whole header space), so a list of n rules
 * costs n first-match runs over small sets.
 */
import { PacketSet } from '../headerspace/packet-set.js';
import type { MatchRule } from '../headerspace/first-match.js';

export interface Shadowing<R> {
  /** The earlier rules that take the rule's packets, in list order. */
  readonly deciders: readonly R[];
}

/**
 * Whether rules[index] is shadowed by the rules before it (from `from` on),
 * and by which; undefined when some packet reaches it, or when it matches
 * nothing at all (that is another problem, not shadowing).
 */
export function shadowOf<R extends MatchRule>(rules: readonly R[], index: number, from = 0): Shadowing<R> | undefined {
  let rest = PacketSet.ofBoxes(rules[index].boxes);
  if (rest.isEmpty) return undefined;
  const deciders: R[] = [];
  for (let i = from; i < index && !rest.isEmpty; i++) {
    let took = false;
    for (const b of rules[i].boxes) {
      if (!rest.intersectsBox(b)) continue;
      rest = rest.subtractBox(b);
      took = true;
    }
    if (took) deciders.push(rules[i]);
  }
  return rest.isEmpty ? { deciders } : undefined;
}
