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
 * of what that run leaves undecided or delivers to an attached interface
 * as packets whose inbound decision there changes (in the translated view
 * the interface sees: an inbound rule from `Internet` changes nothing for
 * a private source that arrives untranslated); every other class is
 * settled.
 *
 * An inbound rule whose sources a translation on the way can write (the
 * firewall's own address, say) concerns packets from every source
 * (regions.ts): this is what keeps such an edit from propagating every class
 * of a large design exactly.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import type { PacketSet } from '../headerspace/packet-set.js';
import { DIM } from '../headerspace/packet.js';
import { exitOf } from '../model/endpoints.js';
import { propagate, type Start } from '../verify/propagate.js';
import type { Tails } from '../verify/tails.js';
import { joinAcrossSources } from '../verify/batch.js';
import { natMap } from '../verify/nat.js';
import { START, stateKey, type Delivered, type PathState, type Undecided } from '../verify/state.js';
import { applianceTarget, routeGroupsMeeting } from '../verify/graph.js';
import { PLATFORM_ADDRESSES } from '../model/addresses.js';
import type { Nic } from '../model/types.js';
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
export function concernedStarts(base: Analysis, changes: ChangeSet, starts: readonly ClassStart[], inbound: ReadonlyMap<string, PacketSet>): { exact: Start[]; settled: Start[] } | undefined {
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
  // The appliance a route leads to depends on the sender's VNet and the address only.
  const targets = new Map<string, string>();
  for (const { start, nic } of byRouting(starts)) {
    // A class's packets whose route leads straight to a firewall arrive there as they left, in the state they
    // started with (with the NSGs open nothing on the way changes them; a peering that refuses them would only
    // make the class concerned without need): they join the firewall's arrivals without a walk.
    let rest = start.set;
    if (nic) {
      for (const [route, dst] of routeGroupsMeeting(nic.subnet, rest.project(DIM.dstIp))) {
        if (route.nextHop.type !== 'VirtualAppliance') continue;
        const key = `${nic.subnet.vnet}|${route.nextHop.ip}`;
        let target = targets.get(key);
        if (target === undefined) targets.set(key, (target = applianceTarget(net, nic, route.nextHop.ip)));
        if (!target.startsWith('fw:')) continue;
        const to = dst.subtract(PLATFORM_ADDRESSES);
        const part = rest.restrict(DIM.dstIp, to);
        if (part.isEmpty) continue;
        stopAtFirewalls.at(target, START, part);
        rest = rest.exclude(DIM.dstIp, to);
      }
    }
    if (rest.isEmpty) continue;
    const p = propagate(base.graph, [{ node: start.node, set: rest }], ctx, { tails: stopAtFirewalls });
    toFirewalls.delivered.push(...p.delivered);
    toFirewalls.undecided.push(...p.undecided);
  }
  const beyond = propagate(base.graph, [...arrivals.values()].map((a) => ({ node: a.node, state: a.state, set: joinAcrossSources(a.boxes) })), ctx);
  const run = { delivered: [...toFirewalls.delivered, ...beyond.delivered], undecided: [...toFirewalls.undecided, ...beyond.undecided] };
  const ranges: [number, number][] = [];
  const sourcesOf = (set: PacketSet) => {
    for (const b of set.boxes) for (const r of b[DIM.srcIp].intervals()) ranges.push(r);
  };
  for (const d of run.delivered) {
    if (d.sink.kind !== 'nic' && d.sink.kind !== 'private-endpoint') continue;
    // An arrival changes fate only where the interface's inbound decision changes, on what it sees.
    const delta = inbound.get(d.sink.nicId);
    if (delta) sourcesOf(natMap(d.set, d.state.nat, (view) => view.intersect(delta)));
  }
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
function byRouting(starts: readonly ClassStart[]): { start: Start; nic?: Nic }[] {
  const groups = new Map<string, { start: Start; nic: Nic }>();
  const out: { start: Start; nic?: Nic }[] = [];
  for (const { start, cls } of starts) {
    const nic = cls.kind === 'nic' ? cls.nics[0] : undefined;
    const key = nic && !nic.publicIp ? exitOf(nic.subnet) : undefined;
    if (!nic || key === undefined) {
      out.push({ start, nic });
      continue;
    }
    const group = groups.get(key);
    groups.set(key, group ? { nic: group.nic, start: { node: group.start.node, set: group.start.set.unionDisjoint(start.set) } } : { start, nic });
  }
  return [...out, ...groups.values()];
}
