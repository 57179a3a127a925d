/**
 * The what-if's shortcuts compute exactly what they stand for, box for box
 * (so reports, witnesses and descriptions do not move): propagating starts
 * one by one, replaying the base's propagation in a head derived by rule
 * edits, intersecting with the universe, and the universe itself. They run
 * on a generated hub-and-spoke design (hub firewall, UDRs, private
 * endpoints), with NSG rules flipped in both directions.
 */
import { describe, expect, it } from 'vitest';
import { flipRule } from '../../test/helpers/edits.js';
import { writeFixture } from '../../test/helpers/scenario-fixture.js';
import { generateHubSpoke, prng } from '../generate/hub-spoke.js';
import { PacketSet } from '../headerspace/packet-set.js';
import { DIM } from '../headerspace/packet.js';
import { flowBoxes, regionsFor } from '../model/endpoints.js';
import { ALL_PORTS, ALL_PROTOCOLS } from '../model/nsg.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import { loadScenario } from '../scenario/load.js';
import { propagate, type Propagation, type Start } from '../verify/propagate.js';
import { analyze, deriveAnalysis, type Analysis } from './analysis.js';
import { oneByOne, Replay } from './replay.js';
import { universe, withinUniverse } from './regions.js';
import { sourceClasses } from './sources.js';

const gen = generateHubSpoke({ spokes: 4, subnets: 3, rules: 8, firewallRules: 20, flows: 30, seed: 3 });
const loaded = loadScenario('main.yaml', { cwd: writeFixture({ 'main.yaml': gen.text }) });
const scenario = loaded.scenario!;
const base = analyze(scenario, loaded.catalog!);
const ALL = IntervalSet.of(0, 0xffffffff);

const boxes = (set: PacketSet) => set.boxes.map((b) => b.map((d) => d.toString()).join(' '));

/** A propagation as plain data, boxes included, in the order it was found. */
function plain(p: Propagation): unknown {
  return {
    steps: p.steps,
    delivered: p.delivered.map((d) => ({ sink: d.sink, state: d.state, set: boxes(d.set) })),
    blocked: p.blocked.map((b) => ({ ...b, set: boxes(b.set) })),
    undecided: p.undecided.map((u) => ({ at: u.at, reason: u.reason, set: boxes(u.set) })),
  };
}

/** Every packet of every source class towards the given destinations, one start per class. */
function startsTo(a: Analysis, dst: IntervalSet): Start[] {
  return sourceClasses(a.net).flatMap((c) => {
    const set = universe(a.net, c.ips).restrict(DIM.dstIp, dst);
    return set.isEmpty ? [] : [{ node: c.start, set }];
  });
}

/** Edits of both directions, on spokes' NSGs and their private-endpoint subnets. */
function edits(n: number): { nsg: string; index: number }[] {
  const rnd = prng(5);
  const names = [...scenario.networkSecurityGroups.keys()].filter((k) => scenario.networkSecurityGroups.get(k)!.securityRules.length > 0);
  return Array.from({ length: n }, () => {
    const nsg = names[Math.floor(rnd() * names.length)];
    return { nsg, index: Math.floor(rnd() * scenario.networkSecurityGroups.get(nsg)!.securityRules.length) };
  });
}

const SPOKES = IntervalSet.of(0x0a000000, 0x0affffff);

describe('what-if shortcuts', () => {
  it('propagating starts one by one is the propagation of all of them together', () => {
    const starts = startsTo(base, SPOKES);
    expect(starts.length).toBeGreaterThan(10);
    const together = propagate(base.graph, starts, { net: base.net });
    expect(plain(oneByOne((s) => propagate(base.graph, s, { net: base.net }))(starts))).toEqual(plain(together));
  });

  it('starts whose sources overlap are propagated together', () => {
    const starts = startsTo(base, SPOKES).slice(0, 3);
    const overlapping = [...starts, { node: starts[0].node, set: starts[0].set }];
    const runs: number[] = [];
    oneByOne((s) => (runs.push(s.length), propagate(base.graph, s, { net: base.net })))(overlapping);
    expect(runs).toEqual([overlapping.length]);
  });

  it('the replay of the base in a head derived by rule edits is the head propagation, box for box', () => {
    let reused = 0;
    for (const { nsg, index } of edits(12)) {
      const derived = deriveAnalysis(base, flipRule(scenario, nsg, index), loaded.catalog!);
      expect(derived.incremental).toBe(true);
      const head = derived.analysis;
      const starts = startsTo(base, SPOKES);
      const replay = new Replay(base.graph, base.net, head.net);
      const before = oneByOne((s) => replay.recordBase(s))(starts);
      expect(plain(before)).toEqual(plain(propagate(base.graph, starts, { net: base.net })));
      const after = oneByOne((s) => replay.replayHead(s))(starts);
      expect(plain(after), `${nsg} rule ${index}`).toEqual(plain(propagate(head.graph, starts, { net: head.net })));
      reused += after.delivered.filter((d) => before.delivered.includes(d)).length;
    }
    // Most of the head's answers are the base's own objects: the replay did skip the work.
    expect(reused).toBeGreaterThan(0);
  });

  it('a replay computes again every hop that read something the head does not share', () => {
    const { nsg, index } = edits(1)[0];
    const head = deriveAnalysis(base, flipRule(scenario, nsg, index), loaded.catalog!).analysis;
    const other = analyze(flipRule(scenario, nsg, index), loaded.catalog!);
    // A head compiled on its own shares no program with the base: only hops that read none (routes, peerings) are taken.
    const starts = startsTo(base, SPOKES);
    const replay = new Replay(base.graph, base.net, other.net);
    const before = oneByOne((s) => replay.recordBase(s))(starts);
    const after = oneByOne((s) => replay.replayHead(s))(starts);
    expect(plain(after)).toEqual(plain(propagate(head.graph, starts, { net: head.net })));
    expect(after.delivered.filter((d) => !before.delivered.includes(d)).length).toBeGreaterThan(after.delivered.length / 2);
  });

  it('intersecting with the universe keeps the boxes PacketSet.intersect gives', () => {
    for (const c of sourceClasses(base.net)) {
      const region = PacketSet.ofBoxes([
        [IntervalSet.point(6), ALL, ALL_PORTS, IntervalSet.of(0x0a010000, 0x0a01ffff), IntervalSet.of(443, 443), IntervalSet.of(0, 0xffff)],
        [ALL_PROTOCOLS, ALL, ALL_PORTS, IntervalSet.point(0x34000001), ALL_PORTS, IntervalSet.of(0, 0xffff)],
      ]).restrict(DIM.srcIp, c.ips);
      expect(boxes(withinUniverse(region, base.net, c.ips))).toEqual(boxes(region.intersect(universe(base.net, c.ips))));
    }
  });

  it('the universe splits destinations as regionsFor does, then adds private endpoints reached by name', () => {
    const ips = IntervalSet.of(0x0a010000, 0x0a01ffff);
    const byName = PacketSet.ofDisjoint(flowBoxes(ips, { regions: regionsFor(base.net, ALL) } as never, ALL_PROTOCOLS, ALL_PORTS, ALL_PORTS));
    const u = universe(base.net, ips);
    expect(boxes(u).slice(0, byName.boxes.length)).toEqual(boxes(byName));
    const endpoints = [...base.net.resources.values()].flatMap((r) => r.privateEndpoints);
    expect(endpoints.length).toBeGreaterThan(0);
    for (const pe of endpoints) {
      const res = base.net.resources.get(pe.resource)!;
      const name = res.publicNames.get(pe.groupId);
      if (name !== undefined) expect(u.has({ protocol: 6, srcIp: ips.min, srcPort: 1024, dstIp: pe.ip, dstPort: 443, dstName: name })).toBe(true);
    }
    // Boxes stay disjoint.
    for (let i = 0; i < u.boxes.length; i++) for (let j = i + 1; j < u.boxes.length; j++) expect(PacketSet.ofBox(u.boxes[i]).intersects(PacketSet.ofBox(u.boxes[j]))).toBe(false);
  });
});
