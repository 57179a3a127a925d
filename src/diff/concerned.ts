/**
 * Which source classes an NSG edit can concern. An edited NSG is read only
 * where packets leave, or arrive at, the interfaces it is attached to (F1.4);
 * a class none of whose packets gets there has the same fates in both
 * versions, so it need not be propagated at all.
 *
 * Which packets get there is found without crossing any NSG: the base is
 * propagated once with every NSG open (RunContext: an NSG only removes
 * packets, so such a run reaches a superset of the interfaces' arrivals, and
 * an arrival is delivered when the interface's own NSGs are open too): the
 * classes are carried up to the firewalls, and what arrives at a firewall
 * crosses it once for all of them. A class is propagated exactly when it
 * holds an attached interface, or when its addresses are among the sources
 * of what that run delivers to an attached interface or leaves undecided;
 * every other class is settled.
 *
 * An inbound rule concerns packets from every source (their source may be
 * translated on the way): this is what keeps such an edit from propagating
 * every class of a large design exactly.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import type { PacketSet } from '../headerspace/packet-set.js';
import { DIM } from '../headerspace/packet.js';
import { exitOf } from '../model/endpoints.js';
import { propagate, type Start } from '../verify/propagate.js';
import type { Tails } from '../verify/tails.js';
import { joinAcrossSources } from '../verify/batch.js';
import { stateKey, type Delivered, type PathState, type Undecided } from '../verify/state.js';
import type { Box } from '../headerspace/box.js';
import type { Analysis } from './analysis.js';
import { attachedTo, subnetsOf } from './regions.js';
import type { SourceClass } from './sources.js';
import type { ChangeSet } from './structure.js';

export interface ClassStart {
  readonly start: Start;
  readonly cls: SourceClass;
}

/** The starts to propagate exactly, and those whose fates provably stay; undefined: propagate every start. */
export function concernedStarts(base: Analysis, changes: ChangeSet, starts: readonly ClassStart[]): { exact: Start[]; settled: Start[] } | undefined {
  if (starts.length < 2 || changes.nsgs.size === 0) return undefined;
  if (changes.structural.length > 0 || changes.routeTables.size > 0 || changes.firewallPolicies.size > 0) return undefined;
  const net = base.net;
  const attached = new Set([...changes.nsgs.keys()].flatMap((nsg) => subnetsOf(net, nsg).flatMap((s) => attachedTo(s, nsg))).map((n) => n.id));
  // Only interfaces that end a packet's way read their NSGs on arrival; anything that forwards is left to the full run.
  for (const id of attached) {
    const kind = net.nicById.get(id)?.kind;
    if (kind !== 'host' && kind !== 'subnet' && kind !== 'private-endpoint') return undefined;
  }
  const ctx = { net, outboundNsgsOpen: true, inboundNsgsOpen: true };
  // Every class's packets are carried up to the firewalls; what arrives at a firewall in one state then crosses it
  // once, all classes together (sets keep their sources, so each class's arrivals keep their fates).
  const arrivals = new Map<string, { node: string; state: PathState; boxes: Box[] }>();
  const stopAtFirewalls: Tails = {
    at(node, state, set) {
      if (!node.startsWith('fw:')) return undefined;
      const key = `${node}#${stateKey(state)}`;
      const a = arrivals.get(key);
      if (a) a.boxes.push(...set.boxes);
      else arrivals.set(key, { node, state, boxes: [...set.boxes] });
      return { delivered: [], blocked: [], undecided: [], steps: 0 };
    },
  };
  // One by one: the classes' sources are apart, and a shared run would subtract every class's arrivals from the next's.
  const toFirewalls: { delivered: Delivered[]; undecided: Undecided[] } = { delivered: [], undecided: [] };
  for (const s of byRouting(starts)) {
    const p = propagate(base.graph, [s], ctx, { tails: stopAtFirewalls });
    toFirewalls.delivered.push(...p.delivered);
    toFirewalls.undecided.push(...p.undecided);
  }
  const beyond = propagate(base.graph, [...arrivals.values()].map((a) => ({ node: a.node, state: a.state, set: joinAcrossSources(a.boxes) })), ctx);
  const run = { delivered: [...toFirewalls.delivered, ...beyond.delivered], undecided: [...toFirewalls.undecided, ...beyond.undecided] };
  const ranges: [number, number][] = [];
  const sourcesOf = (set: PacketSet) => {
    for (const b of set.boxes) for (const r of b[DIM.srcIp].intervals()) ranges.push(r);
  };
  for (const d of run.delivered) if ((d.sink.kind === 'nic' || d.sink.kind === 'private-endpoint') && attached.has(d.sink.nicId)) sourcesOf(d.set);
  for (const u of run.undecided) sourcesOf(u.set);
  const reaching = IntervalSet.fromRanges(ranges);
  const exact: Start[] = [];
  const settled: Start[] = [];
  for (const { start, cls } of starts) {
    const concerned = cls.nics.some((n) => attached.has(n.id)) || start.set.project(DIM.srcIp).intersects(reaching);
    (concerned ? exact : settled).push(start);
  }
  return { exact, settled };
}

/**
 * With the NSGs open, classes that differ only in their NSGs leave the same way: they start together, from one
 * of them. Their sources are disjoint, and sets keep their sources, so each still gets its own packets' fates.
 */
function byRouting(starts: readonly ClassStart[]): Start[] {
  const groups = new Map<string, Start>();
  const out: Start[] = [];
  for (const { start, cls } of starts) {
    const nic = cls.kind === 'nic' ? cls.nics[0] : undefined;
    const key = !nic || nic.publicIp ? undefined : exitOf(nic.subnet);
    if (key === undefined) {
      out.push(start);
      continue;
    }
    const group = groups.get(key);
    groups.set(key, group ? { node: group.node, set: group.set.unionDisjoint(start.set) } : start);
  }
  return [...out, ...groups.values()];
}
