/**
 * Worklist propagation of packet sets from sources through the reachability
 * graph. Subsumption on (node, path state): only packets not seen there
 * before move on, so loops (an appliance routing back to itself) terminate.
 */
import { PacketSet } from '../headerspace/packet-set.js';
import type { ReachGraph } from './graph.js';
import type { Tails } from './tails.js';
import { START, stateKey, type Blocked, type Delivered, type PathState, type RunContext, type Undecided } from './state.js';

export interface Start {
  readonly node: string;
  readonly set: PacketSet;
  readonly state?: PathState;
}

export interface Propagation {
  readonly delivered: Delivered[];
  readonly blocked: Blocked[];
  readonly undecided: Undecided[];
  /** (node, state) pairs processed: a cost measure for the benchmark. */
  readonly steps: number;
}

export interface PropagateOptions {
  /** Nodes whose outcome is known for every packet that can arrive (tails.ts): answered by restriction instead of walked. */
  readonly tails?: Tails;
}

export function propagate(graph: ReachGraph, starts: readonly Start[], ctx: RunContext, options: PropagateOptions = {}): Propagation {
  const delivered: Delivered[] = [];
  const blocked: Blocked[] = [];
  const undecided: Undecided[] = [];
  const seen = new Map<string, PacketSet>();
  const work: { node: string; set: PacketSet; state: PathState }[] = starts.filter((s) => !s.set.isEmpty).map((s) => ({ node: s.node, set: s.set, state: s.state ?? START }));
  let steps = 0;
  while (work.length > 0) {
    const item = work.pop()!;
    const key = `${item.node}#${stateKey(item.state)}`;
    const prev = seen.get(key);
    const fresh = prev ? item.set.subtract(prev) : item.set;
    if (fresh.isEmpty) continue;
    seen.set(key, prev ? prev.unionDisjoint(fresh) : fresh);
    steps += 1;
    const tail = options.tails?.at(item.node, item.state, fresh);
    if (tail) {
      delivered.push(...tail.delivered);
      blocked.push(...tail.blocked);
      undecided.push(...tail.undecided);
      continue;
    }
    if (!graph.hasNode(item.node)) throw new Error(`topo: propagation reached an unknown node ${item.node}`);
    graph.forEachOutEdge(item.node, (_edge, attrs) => {
      const r = attrs.transfer(fresh, item.state, ctx);
      if (r.deliver) for (const d of r.deliver) if (!d.set.isEmpty) delivered.push(d);
      if (r.blocked) for (const b of r.blocked) if (!b.set.isEmpty) blocked.push(b);
      if (r.undecided) for (const u of r.undecided) if (!u.set.isEmpty) undecided.push(u);
      if (r.emit) for (const e of r.emit) if (!e.set.isEmpty) work.push({ node: e.to, set: e.set, state: e.state });
    });
  }
  return { delivered, blocked, undecided, steps };
}
