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
import { DIM } from '../headerspace/packet.js';
import type { Network, Nic } from '../model/types.js';
import { sourcesOf } from '../model/endpoints.js';
import type { Claim } from './check.js';
import type { ReachGraph } from './graph.js';
import { propagate, type Propagation, type Start } from './propagate.js';

/** Claims with fewer members than this are checked one by one. */
export const BATCH_MIN = 16;

function groupKey(c: Claim): string | undefined {
  // Only destinations whose packets do not depend on the source (every claim of a group has the same destination set).
  if (c.kind !== 'deny' || c.sources || c.from.kind === 'resource' || c.to.kind !== 'internet') return undefined;
  return `${c.toText}|${c.protocols.toString()}|${c.ports.toString()}|${c.sourcePorts.toString()}|${c.adversary}`;
}

/** Interfaces whose outbound behaviour depends on nothing but their address get one start node per class. */
function classOf(nic: Nic): string | undefined {
  if ((nic.kind !== 'host' && nic.kind !== 'subnet') || nic.publicIp) return undefined;
  const s = nic.subnet;
  if (s.serviceEndpoints.length > 0 || s.special) return undefined;
  return `${s.vnet}|${s.nsg?.name ?? ''}|${s.routeTable?.name ?? ''}|${s.natGateway?.name ?? ''}|${s.defaultOutboundAccess.value}|${nic.nsg?.name ?? ''}`;
}

/** The class of interfaces a start node belongs to (the node itself when it has none): claims whose starts share a class share a propagation. */
export function startClass(net: Network, node: string): string {
  const nic = net.nicById.get(node.startsWith('out:') ? node.slice(4) : '');
  const cls = nic && `out:${nic.id}` === node ? classOf(nic) : undefined;
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
  add(starts: readonly Start[]): void;
  forClaim(starts: readonly Start[]): Propagation;
  /** The claim will not ask: its share of each start node is given up (the node's propagation goes once no claim needs it). */
  release(starts: readonly Start[]): void;
}

/**
 * A supplier of propagations for the claims of one group: every start node
 * (one per class of equivalent interfaces) is propagated once, with the
 * packets of every claim that starts there, the first time a claim needs
 * it; each claim gets the part whose source is its own. A node's
 * propagation is dropped once every claim that starts there has had it.
 *
 * `merged`: the packets of all the claims are first merged across their
 * sources (boxes that differ only in the source address become one), so
 * interfaces of a class that share an NSG are carried through it together
 * instead of once each. Each claim's part is still exactly its own packets,
 * but cut into boxes differently than its own propagation would cut them,
 * and a witness or counterexample is read off the boxes: use such a
 * propagation only for what depends on the packets alone (that nothing
 * reaches, a deny's pass).
 */
export function sharedPropagation(net: Network, graph: ReachGraph, merged = false): SharedPropagation {
  const byNode = new Map<string, PacketSet>();
  const users = new Map<string, number>();
  const done = new Map<string, Propagation>();
  const representative = new Map<string, string>();
  const nicOf = new Map(net.nics.map((n) => [`out:${n.id}`, n]));
  const nodeFor = (node: string): string => {
    const nic = nicOf.get(node);
    const cls = nic ? classOf(nic) : undefined;
    if (!cls) return node;
    let rep = representative.get(cls);
    if (!rep) representative.set(cls, (rep = node));
    return rep;
  };
  const leave = (node: string): void => {
    const left = users.get(node)! - 1;
    users.set(node, left);
    if (left === 0) {
      done.delete(node);
      byNode.delete(node);
    }
  };
  return {
    add(starts) {
      for (const node of new Set(starts.map((s) => nodeFor(s.node)))) users.set(node, (users.get(node) ?? 0) + 1);
      for (const s of starts) {
        const node = nodeFor(s.node);
        byNode.set(node, (byNode.get(node) ?? PacketSet.EMPTY).union(s.set));
      }
    },
    forClaim(starts) {
      let ips = IntervalSet.EMPTY;
      for (const s of starts) ips = ips.union(s.set.project(DIM.srcIp));
      const mine = <T extends { set: PacketSet }>(xs: readonly T[]): T[] =>
        xs.flatMap((x) => {
          const set = x.set.restrict(DIM.srcIp, ips);
          return set.isEmpty ? [] : [{ ...x, set }];
        });
      const out: Propagation = { delivered: [], blocked: [], undecided: [], steps: 0 };
      for (const node of new Set(starts.map((s) => nodeFor(s.node)))) {
        let p = done.get(node);
        if (!p) {
          const set = byNode.get(node)!;
          done.set(node, (p = propagate(graph, [{ node, set: merged ? set.coalesce() : set }], { net })));
        }
        out.delivered.push(...mine(p.delivered));
        out.blocked.push(...mine(p.blocked));
        out.undecided.push(...mine(p.undecided));
        (out as { steps: number }).steps += p.steps;
        leave(node);
      }
      return out;
    },
    release(starts) {
      for (const node of new Set(starts.map((s) => nodeFor(s.node)))) leave(node);
    },
  };
}
