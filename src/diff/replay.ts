/**
 * Propagating the same packets in a version and in one derived from it by
 * rule edits: the two share the graph, and a hop gives the same answer in
 * both unless it reads something the edit changed. Every hop reads the
 * network it runs against only through its run context (state.ts), so the
 * first propagation records, per hop, what it read there; the second takes
 * the recorded answer of a hop whenever its input is the very same packet
 * set and path state and everything the hop read is the same in its own
 * network (the same objects, and the same program for every NSG it looked
 * up). Hops that read an edited program, and everything after them, are
 * computed again. The answer taken is the object the first propagation got,
 * so the second propagation is exactly the one it would have run alone.
 */
import type { Network } from '../model/types.js';
import type { PacketSet } from '../headerspace/packet-set.js';
import { DIM } from '../headerspace/packet.js';
import type { EdgeAttrs, ReachGraph } from '../verify/graph.js';
import { propagate, type Propagation, type Start } from '../verify/propagate.js';
import type { PathState, RunContext, Transfer, TransferResult } from '../verify/state.js';

/** One read of the run context's network: a property, or the answer of one of its functions. */
interface Read {
  readonly key: string | symbol;
  readonly args?: readonly unknown[];
  readonly value: unknown;
}

/** A hop's answer in the base, with the reads it made: `log[from..to)`. */
interface Answer {
  readonly state: PathState;
  readonly result: TransferResult;
  readonly from: number;
  readonly to: number;
}

/** The part of a graph propagation walks. */
type Walk = Pick<ReachGraph, 'hasNode' | 'forEachOutEdge'>;

function walkWith(graph: ReachGraph, wrap: (t: Transfer) => Transfer): ReachGraph {
  const wrapped = new Map<EdgeAttrs, EdgeAttrs>();
  const walk: Walk = {
    hasNode: (node: string) => graph.hasNode(node),
    forEachOutEdge: ((node: string, cb: (edge: string, attrs: EdgeAttrs) => void) =>
      graph.forEachOutEdge(node, (edge, attrs) => {
        let w = wrapped.get(attrs);
        if (!w) wrapped.set(attrs, (w = { ...attrs, transfer: wrap(attrs.transfer) }));
        cb(edge, w);
      })) as Walk['forEachOutEdge'],
  };
  // propagate() only walks out-edges; nothing else of the graph is reached through this view.
  return walk as unknown as ReachGraph;
}

/**
 * A propagation of several starts, one start at a time. Sets keep the source address they were sent with
 * through every hop (translations live in the path state; batch.ts relies on the same), so starts with
 * disjoint sources never meet in the worklist's subsumption, and since the worklist finishes the last start
 * before it takes the one below, the propagation of each start alone, last first, does the same steps in the
 * same order. It avoids comparing each start's packets with every other start's at the hops they all cross
 * (the hub's routes and firewall). Starts whose sources overlap are propagated together.
 */
export function oneByOne(run: (starts: readonly Start[]) => Propagation): (starts: readonly Start[]) => Propagation {
  return (starts) => {
    if (starts.length < 2 || !disjointSources(starts)) return run(starts);
    const live = starts.filter((s) => !s.set.isEmpty);
    const out = { delivered: [] as Propagation['delivered'], blocked: [] as Propagation['blocked'], undecided: [] as Propagation['undecided'], steps: 0 };
    for (let k = live.length - 1; k >= 0; k--) {
      const p = run([live[k]]);
      out.delivered.push(...p.delivered);
      out.blocked.push(...p.blocked);
      out.undecided.push(...p.undecided);
      out.steps += p.steps;
    }
    return out;
  };
}

const disjoint = new WeakMap<readonly Start[], boolean>();

function disjointSources(starts: readonly Start[]): boolean {
  let known = disjoint.get(starts);
  if (known === undefined) {
    // Every start's source intervals, in order: two starts meet where an interval begins before the one
    // before it (of another start) ends.
    const spans: [number, number, number][] = [];
    starts.forEach((s, k) => {
      for (const [lo, hi] of s.set.project(DIM.srcIp).intervals()) spans.push([lo, hi, k]);
    });
    spans.sort((a, b) => a[0] - b[0]);
    known = true;
    let reach = -1;
    let owner = -1;
    for (const [lo, hi, k] of spans) {
      if (lo <= reach && k !== owner) {
        known = false;
        break;
      }
      if (hi > reach) {
        reach = hi;
        owner = k;
      }
    }
    disjoint.set(starts, known);
  }
  return known;
}

export class Replay {
  private readonly answers = new Map<Transfer, Map<PacketSet, Answer[]>>();
  /** Whole propagations of one start, with the reads their hops made: `log[from..to)`. */
  private readonly runs = new Map<Start, { readonly propagation: Propagation; readonly from: number; readonly to: number }>();
  /** Every read the base's hops made, in order. */
  private readonly log: Read[] = [];
  private logging = false;
  private readonly recordingGraph: ReachGraph;
  private readonly replayingGraph: ReachGraph;
  private readonly recordingNet: Network;

  /** `graph` must be the graph of both versions. */
  constructor(
    graph: ReachGraph,
    base: Network,
    private readonly head: Network,
  ) {
    this.recordingNet = new Proxy(base, {
      get: (target, key) => {
        const value = (target as unknown as Record<string | symbol, unknown>)[key];
        if (!this.logging) return value;
        if (typeof value === 'function') {
          return (...args: unknown[]) => {
            const answer = (value as (...a: unknown[]) => unknown).apply(target, args);
            this.log.push({ key, args, value: answer });
            return answer;
          };
        }
        this.log.push({ key, value });
        return value;
      },
    });
    this.recordingGraph = walkWith(graph, (t) => this.recording(t));
    this.replayingGraph = walkWith(graph, (t) => this.replaying(t));
  }

  /** A propagation in the base version whose hops are remembered. */
  recordBase(starts: readonly Start[]): Propagation {
    const from = this.log.length;
    const propagation = propagate(this.recordingGraph, starts, { net: this.recordingNet });
    if (starts.length === 1) this.runs.set(starts[0], { propagation, from, to: this.log.length });
    return propagation;
  }

  /**
   * The same propagation in the head version, taking every remembered hop that still holds. When all the
   * hops of a start's propagation hold (it never met an edited program), it is that propagation.
   */
  replayHead(starts: readonly Start[]): Propagation {
    const run = starts.length === 1 ? this.runs.get(starts[0]) : undefined;
    if (run && this.holds(run.from, run.to)) return run.propagation;
    return propagate(this.replayingGraph, starts, { net: this.head });
  }

  private recording(t: Transfer): Transfer {
    return (set, state, ctx) => {
      const from = this.log.length;
      const outer = this.logging;
      this.logging = true;
      let result: TransferResult;
      try {
        result = t(set, state, ctx);
      } finally {
        this.logging = outer;
      }
      let bySet = this.answers.get(t);
      if (!bySet) this.answers.set(t, (bySet = new Map()));
      const answer: Answer = { state, result, from, to: this.log.length };
      const list = bySet.get(set);
      if (list) list.push(answer);
      else bySet.set(set, [answer]);
      return result;
    };
  }

  private replaying(t: Transfer): Transfer {
    return (set, state, ctx: RunContext) => {
      const list = this.answers.get(t)?.get(set);
      if (list) for (const a of list) if (a.state === state && this.holds(a.from, a.to)) return a.result;
      return t(set, state, ctx);
    };
  }

  private holds(from: number, to: number): boolean {
    const head = this.head as unknown as Record<string | symbol, unknown>;
    for (let k = from; k < to; k++) {
      const r = this.log[k];
      const now = head[r.key];
      if (r.args === undefined) {
        if (now !== r.value) return false;
      } else if (typeof now !== 'function' || (now as (...a: unknown[]) => unknown).apply(this.head, r.args as unknown[]) !== r.value) return false;
    }
    return true;
  }
}
