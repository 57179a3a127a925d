/**
 * A tail answers an arrival by restricting what the cover's propagation
 * found: for any subset of the cover it must give the packets, per sink, the
 * walk from the node gives.
 */
import { describe, expect, it } from 'vitest';
import { generatedNetwork } from '../../test/helpers/generated.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import { PacketSet } from '../headerspace/packet-set.js';
import { DIM } from '../headerspace/packet.js';
import { claimQueryStarts } from './check.js';
import { propagate, type Propagation } from './propagate.js';
import { START } from './state.js';
import { tails } from './tails.js';
import { claimsOf } from './verify.js';

function bySink(p: Propagation): Map<string, PacketSet> {
  const out = new Map<string, PacketSet>();
  const add = (k: string, s: PacketSet) => out.set(k, (out.get(k) ?? PacketSet.EMPTY).union(s));
  for (const d of p.delivered) add(`deliver ${JSON.stringify(d.sink)}`, d.set);
  for (const u of p.undecided) add(`undecided ${u.reason}`, u.set);
  return out;
}

function same(a: Map<string, PacketSet>, b: Map<string, PacketSet>): boolean {
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k) ?? PacketSet.EMPTY;
    const y = b.get(k) ?? PacketSet.EMPTY;
    if (!x.subtract(y).isEmpty || !y.subtract(x).isEmpty) return false;
  }
  return true;
}

const blockedOf = (p: Propagation) => p.blocked.reduce((acc, b) => acc.union(b.set), PacketSet.EMPTY);

describe('firewall tails', () => {
  it('refuse an arrival outside the cover, or at a node without a tail, so that it is walked', () => {
    const { gen, net, graph } = generatedNetwork({ spokes: 3, subnets: 2, rules: 4, firewallRules: 10, flows: 4, seed: 2 });
    const claim = claimsOf(net, net.scenario.intents.find((i) => i.name === gen.exfiltrationIntents[0])!).claims[0];
    const start = claimQueryStarts(net, claim)[0];
    const t = tails(graph, { net }, start.set, (n) => n.startsWith('fw:'), { blocked: true });
    const fw = `fw:${[...net.firewalls.keys()][0]}`;
    const wider = start.set.union(start.set.rewrite(DIM.srcIp, IntervalSet.of(1, 1)));
    expect(t.at(fw, START, wider)).toBeUndefined();
    expect(t.at(`rt:${start.node.slice(4)}`, START, start.set)).toBeUndefined();
    expect(t.at(fw, START, start.set)).toBeDefined();
  });

  it.each([1, 2, 3, 4, 5, 6])('give, for any part of the cover, what walking from the firewall gives (seed %i)', (seed) => {
    const { net, graph } = generatedNetwork({ spokes: 5, subnets: 3, rules: 8, firewallRules: 30, flows: 6, seed, ...(seed % 2 ? { sharedNsg: true } : {}) });
    // The exfiltration claims' packets and the required flows' (which the firewall forwards to other spokes).
    const starts = net.scenario.intents.flatMap((i) => claimsOf(net, i).claims.flatMap((c) => claimQueryStarts(net, c)));
    let cover = PacketSet.EMPTY;
    for (const s of starts) cover = cover.union(s.set);
    const withBlocked = tails(graph, { net }, cover, (n) => n.startsWith('fw:'), { blocked: true });
    const fw = `fw:${[...net.firewalls.keys()][0]}`;
    let compared = 0;
    let delivering = 0;
    for (const s of starts) {
      // What a source class brings to the firewall: its own packets, cut by a port range or a protocol as an NSG would.
      for (const part of [s.set, s.set.restrict(DIM.dstPort, IntervalSet.of(400, 500)), s.set.restrict(DIM.proto, IntervalSet.point(6))]) {
        if (part.isEmpty) continue;
        const walked = propagate(graph, [{ node: fw, set: part }], { net });
        const told = withBlocked.at(fw, START, part)!;
        expect(same(bySink(told), bySink(walked))).toBe(true);
        expect(blockedOf(told).subtract(blockedOf(walked)).isEmpty && blockedOf(walked).subtract(blockedOf(told)).isEmpty).toBe(true);
        compared += 1;
        if (told.delivered.length > 0) delivering += 1;
      }
    }
    expect(compared).toBeGreaterThan(10);
    expect(delivering).toBeGreaterThan(0);
  });
});
