/**
 * Tails: what happens to packets from a node onwards, computed once for a
 * set that covers every packet that will arrive there, and then answered for
 * each arrival by restriction. Transfers decide every packet on its own (a
 * rule, a route, a translation looks at one packet at a time) and packet
 * sets keep the coordinates they were sent with, so the outcome of a subset
 * is the outcome of the cover cut down to that subset.
 *
 * Many sources of a batch cross the same hub firewall: each class of
 * sources used to carry its packets through the firewall program on its
 * own; with a tail at the firewall the program runs once.
 */
import type { PacketSet } from '../headerspace/packet-set.js';
import type { ReachGraph } from './graph.js';
import type { Propagation } from './propagate.js';
import { propagate } from './propagate.js';
import { stateKey, type PathState, type RunContext } from './state.js';

/** What part of a propagation a tail keeps. */
export interface TailOptions {
  /**
   * Also keep the blocked packets. Without them a tail answers what is
   * delivered and what is undecided only, which is all a deny's pass reads,
   * at a fraction of the cost (the blocked part of a cover is most of it).
   */
  readonly blocked: boolean;
}

export interface Tails {
  /** The outcome of `set` arriving at `node` in `state`, when a tail covers it; undefined: propagate it as usual. */
  at(node: string, state: PathState, set: PacketSet): Propagation | undefined;
}

export function tails(graph: ReachGraph, ctx: RunContext, cover: PacketSet, nodes: (node: string) => boolean, options: TailOptions): Tails {
  const computed = new Map<string, Propagation>();
  return {
    at(node, state, set) {
      if (!nodes(node)) return undefined;
      // A packet outside the cover (a reply in swapped coordinates, say) is not answered by the tail.
      if (!set.subsetOf(cover)) return undefined;
      const key = `${node}#${stateKey(state)}`;
      let tail = computed.get(key);
      if (!tail) {
        const full = propagate(graph, [{ node, set: cover, state }], ctx);
        tail = { delivered: full.delivered, blocked: options.blocked ? full.blocked : [], undecided: full.undecided, steps: full.steps };
        computed.set(key, tail);
      }
      const cut = <T extends { set: PacketSet }>(xs: readonly T[]): T[] =>
        xs.flatMap((x) => {
          const s = x.set.intersect(set);
          return s.isEmpty ? [] : [{ ...x, set: s }];
        });
      return { delivered: cut(tail.delivered), blocked: cut(tail.blocked), undecided: cut(tail.undecided), steps: 0 };
    },
  };
}
