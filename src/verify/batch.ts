/**
 * Deny claims that differ only in their sources (an exfiltration intent per
 * subnet) share one propagation. Packet sets keep the source address through
 * every hop (translations live in the path state), and the worklist never
 * merges packets of different sources, so the part of a shared propagation
 * whose source lies in a claim's sources is exactly that claim's own
 * propagation. Interfaces that behave the same given their address (same
 * subnet context, NSGs and routes, no public IP) also start from one node,
 * which is what makes it cheaper: a spoke whose subnets share an NSG and a
 * route table is propagated once.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import { PacketSet } from '../headerspace/packet-set.js';
import { boxWith, type Box } from '../headerspace/box.js';
import { DIM } from '../headerspace/packet.js';
import type { Network, Nic } from '../model/types.js';
import { interfaceClass, sourcesOf } from '../model/endpoints.js';
import type { Claim } from './check.js';
import type { ReachGraph } from './graph.js';
import { propagate, type Propagation, type Start } from './propagate.js';
import { tails, type Tails } from './tails.js';

/** Claims with fewer members than this are checked one by one. */
export const BATCH_MIN = 16;

function groupKey(c: Claim): string | undefined {
  // Only destinations whose packets do not depend on the source (every claim of a group has the same destination set).
  if (c.kind !== 'deny' || c.sources || c.from.kind === 'resource' || c.to.kind !== 'internet') return undefined;
  return `${c.toText}|${c.protocols.toString()}|${c.ports.toString()}|${c.sourcePorts.toString()}|${c.adversary}`;
}

/** The class of interfaces a start node belongs to (the node itself when it has none): claims whose starts share a class share a propagation. */
export function startClass(net: Network, node: string): string {
  const nic = net.nicById.get(node.startsWith('out:') ? node.slice(4) : '');
  const cls = nic && `out:${nic.id}` === node ? interfaceClass(nic) : undefined;
  return cls === undefined ? `node|${node}` : `class|${cls}`;
}

/** Groups of claims to batch; the rest are left to checkClaim alone. */
export function batchable(net: Network, claims: readonly Claim[]): Claim[][] {
  const groups = new Map<string, Claim[]>();
  for (const c of claims) {
    const key = groupKey(c);
    if (!key) continue;
    if (!sourcesOf(net, c.from).every((s) => s.kind === 'nic')) continue;
    const g = groups.get(key) ?? [];
    g.push(c);
    groups.set(key, g);
  }
  return [...groups.values()].filter((g) => g.length >= BATCH_MIN);
}

export interface SharedPropagation {
  forClaim(starts: readonly Start[]): Propagation;
  /** The claim will not ask: its share of each start node is given up (the node's propagation goes once no claim needs it). */
  release(starts: readonly Start[]): void;
}

/**
 * How a shared propagation carries the packets of a class:
 * - `exact`: as each claim's own propagation would, box for box;
 * - `merged`: the packets of all the claims are first merged across their
 *   sources (boxes that differ only in the source address become one), so
 *   interfaces of a class that share an NSG are carried through it together
 *   instead of once each, and past a firewall they are answered by its tail
 *   (tails.ts), computed once for the whole batch. Each claim's part is still
 *   exactly its own packets, but cut into boxes differently than its own
 *   propagation would cut them, and a witness or counterexample is read off
 *   the boxes; blocked packets past a tail are not reported. Use it only for
 *   what depends on the delivered and undecided packets alone (that nothing
 *   reaches, a deny's pass);
 * - `bound`: as `merged`, with the outbound NSGs of the sources open
 *   (RunContext.outboundNsgsOpen): a superset of what reaches. A deny that
 *   passes on it passes; one that does not says nothing.
 */
export type SharingMode = 'exact' | 'merged' | 'bound';

/**
 * The claims of one group: where their packets start (one node per class of
 * equivalent interfaces), and the firewall tails of the group. Every claim is
 * added before any propagation runs, so the union of their packets covers
 * every arrival at a tail.
 */
export class Batch {
  private readonly sets = new Map<string, PacketSet[]>();
  private readonly claimsAt = new Map<string, number>();
  /** Shares still held per node, over every mode: the node's packets go when none is left. */
  private readonly held = new Map<string, number>();
  private readonly joined = new Map<string, PacketSet>();
  private readonly representative = new Map<string, string>();
  private readonly nicOf: Map<string, Nic>;
  private all: Box[] = [];
  private made: Tails | undefined;
  private modes = 0;

  constructor(
    private readonly net: Network,
    private readonly graph: ReachGraph,
  ) {
    this.nicOf = new Map(net.nics.map((n) => [`out:${n.id}`, n]));
  }

  /** The node that stands for a start node's class. */
  nodeFor(node: string): string {
    const nic = this.nicOf.get(node);
    const cls = nic ? interfaceClass(nic) : undefined;
    if (!cls) return node;
    let rep = this.representative.get(cls);
    if (!rep) this.representative.set(cls, (rep = node));
    return rep;
  }

  nodesOf(starts: readonly Start[]): Set<string> {
    return new Set(starts.map((s) => this.nodeFor(s.node)));
  }

  add(starts: readonly Start[]): void {
    if (this.made || this.modes > 0) throw new Error('topo: a claim added to a batch already in use');
    for (const node of this.nodesOf(starts)) this.claimsAt.set(node, (this.claimsAt.get(node) ?? 0) + 1);
    for (const st of starts) {
      const node = this.nodeFor(st.node);
      const list = this.sets.get(node);
      if (list) list.push(st.set);
      else this.sets.set(node, [st.set]);
      this.all.push(...st.set.boxes);
    }
  }

  /** A shared propagation of this batch's claims. */
  share(mode: SharingMode): SharedPropagation {
    this.modes += 1;
    return sharedPropagation(this, mode);
  }

  claimsStartingAt(node: string): number {
    return this.claimsAt.get(node) ?? 0;
  }

  /** The packets of the claims that start at the node: their union box for box, or (`joined`) merged across sources. */
  packetsAt(node: string, joined: boolean): PacketSet {
    const list = this.sets.get(node)!;
    if (joined) {
      let set = this.joined.get(node);
      if (!set) this.joined.set(node, (set = joinAcrossSources(list.flatMap((x) => x.boxes))));
      return set;
    }
    // Claims of different interfaces hold disjoint sources: their boxes are kept as they are.
    let acc = PacketSet.EMPTY;
    let sources = IntervalSet.EMPTY;
    for (const set of list) {
      const src = set.project(DIM.srcIp);
      acc = src.intersects(sources) ? acc.union(set) : acc.unionDisjoint(set);
      sources = sources.union(src);
    }
    return acc;
  }

  /** One share of the node given up (a claim done with it, in one mode). */
  leave(node: string): void {
    const left = (this.held.get(node) ?? this.modes * this.claimsStartingAt(node)) - 1;
    this.held.set(node, left);
    if (left === 0) {
      this.sets.delete(node);
      this.joined.delete(node);
    }
  }

  get tails(): Tails {
    if (!this.made) {
      this.made = tails(this.graph, { net: this.net }, joinAcrossSources(this.all), (node) => node.startsWith('fw:'), { blocked: false });
      this.all = [];
    }
    return this.made;
  }

  run(node: string, mode: SharingMode): Propagation {
    const { graph, net } = this;
    if (mode === 'exact') return propagate(graph, [{ node, set: this.packetsAt(node, false) }], { net });
    return propagate(graph, [{ node, set: this.packetsAt(node, true) }], { net, ...(mode === 'bound' ? { outboundNsgsOpen: true } : {}) }, { tails: this.tails });
  }
}

/**
 * The union of any boxes, built for boxes of claims that differ only in
 * their sources: those equal but for the source address are joined by
 * uniting their sources (however many claims there are, a few boxes are
 * left).
 */
export function joinAcrossSources(boxes: readonly Box[]): PacketSet {
  const groups = new Map<number, { box: Box; ranges: [number, number][] }[]>();
  const joined: { box: Box; ranges: [number, number][] }[] = [];
  for (const b of boxes) {
    let h = 0;
    for (let d = 0; d < b.length; d++) if (d !== DIM.srcIp) h = (Math.imul(h, 31) + b[d].hash) | 0;
    let bucket = groups.get(h);
    if (!bucket) groups.set(h, (bucket = []));
    let g = bucket.find((x) => x.box.every((v, d) => d === DIM.srcIp || v.equals(b[d])));
    if (!g) {
      g = { box: b, ranges: [] };
      bucket.push(g);
      joined.push(g);
    }
    for (const r of b[DIM.srcIp].intervals()) g.ranges.push(r);
  }
  const out = joined.map((g) => boxWith(g.box, DIM.srcIp, IntervalSet.fromRanges(g.ranges)));
  // Claims whose boxes were cut alike give boxes apart in some other dimension; otherwise ofBoxes makes them disjoint.
  return apartBeyondSources(out) ? PacketSet.ofDisjoint(out) : PacketSet.ofBoxes(out).coalesce();
}

/** Small dimensions first: destination addresses (the public address space, thousands of ranges) last. */
const APART_ORDER = [DIM.dstName, DIM.proto, DIM.dstPort, DIM.srcPort, DIM.dstIp];

function apartBeyondSources(boxes: readonly Box[]): boolean {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      let apart = false;
      for (const d of APART_ORDER) {
        if (boxes[i][d] !== boxes[j][d] && !boxes[i][d].intersects(boxes[j][d])) {
          apart = true;
          break;
        }
      }
      if (!apart) return false;
    }
  }
  return true;
}

/**
 * A supplier of propagations for the claims of one batch: every start node
 * is propagated once, with the packets of every claim that starts there,
 * the first time a claim needs it; each claim gets the part whose source is
 * its own. A node's propagation is dropped once every claim that starts
 * there has had it.
 */
function sharedPropagation(batch: Batch, mode: SharingMode): SharedPropagation {
  const users = new Map<string, number>();
  const done = new Map<string, Propagation>();
  const leave = (node: string): void => {
    const left = (users.get(node) ?? batch.claimsStartingAt(node)) - 1;
    users.set(node, left);
    if (left === 0) done.delete(node);
    batch.leave(node);
  };
  return {
    forClaim(starts) {
      let ips = IntervalSet.EMPTY;
      for (const s of starts) ips = ips.union(s.set.project(DIM.srcIp));
      const mine = <T extends { set: PacketSet }>(xs: readonly T[]): T[] =>
        xs.flatMap((x) => {
          const set = x.set.restrict(DIM.srcIp, ips);
          return set.isEmpty ? [] : [{ ...x, set }];
        });
      const out: Propagation = { delivered: [], blocked: [], undecided: [], steps: 0 };
      for (const node of batch.nodesOf(starts)) {
        let p = done.get(node);
        if (!p) done.set(node, (p = batch.run(node, mode)));
        out.delivered.push(...mine(p.delivered));
        out.blocked.push(...mine(p.blocked));
        out.undecided.push(...mine(p.undecided));
        (out as { steps: number }).steps += p.steps;
        leave(node);
      }
      return out;
    },
    release(starts) {
      for (const node of batch.nodesOf(starts)) leave(node);
    },
  };
}
