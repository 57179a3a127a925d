/**
 * The what-if engine (src/diff) against its own definition on random designs
 * (arbitraries.ts) and random edits:
 *   - identity: a design compared with itself changes nothing;
 *   - incremental = full: the diff derived by re-using the graph and
 *     propagating only the affected regions equals the diff of two full
 *     analyses of the whole packet space;
 *   - symmetry: what A -> B newly allows, B -> A newly blocks, and back;
 *   - exactness against the packet simulator: a packet from an interface
 *     is in a reported flow change if and only if the simulator gives it a
 *     different fate in the two versions (delivered elsewhere, or dropped
 *     in one of them); packets the simulator cannot decide are left out.
 * And what a what-if remembers (each analysis's intent packets and verdicts,
 * the base propagation replayed in the head) changes nothing: a chain of
 * edits diffed version after version, as `topo watch` does, gives box for
 * box the diff of analyses that remember nothing and replay nothing, and
 * the diff of two full analyses of the whole packet space.
 * Seeds are fixed (TOPO_PROPERTY_SEED picks others); TOPO_PROPERTY_RUNS
 * raises the run count.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PacketSet } from '../../src/headerspace/packet-set.js';
import { analyze, deriveAnalysis, type Analysis } from '../../src/diff/analysis.js';
import { diffAnalyses, type DiffResult, type FlowChange } from '../../src/diff/engine.js';
import { universe } from '../../src/diff/regions.js';
import { diffScenarios } from '../../src/diff/structure.js';
import { describePacket, simulate } from '../../src/sim/simulate.js';
import type { Trace } from '../../src/sim/trace.js';
import { designArbitrary, loadGenerated, propertyRuns, propertySeed, type GeneratedDesign } from './arbitraries.js';
import { boundaryValues, claimSpecs, packetsOf, prng } from './claims.js';
import { buildGraph } from '../../src/verify/graph.js';

type Obj = Record<string, unknown>;
const tally = { designs: 0, edits: new Map<string, number>(), incremental: 0, flows: 0, packets: 0, changed: 0 };

afterAll(() => {
  console.log(
    `diff: ${tally.designs} designs, edits ${[...tally.edits].map(([k, n]) => `${k} ${n}`).join(', ')}; ${tally.incremental} incremental; ` +
      `${tally.flows} flow changes; ${tally.packets} packets simulated in both versions, ${tally.changed} of them with a changed fate`,
  );
});

/** One random edit of a generated design, of the kinds users make while editing a design. */
function edit(design: GeneratedDesign, rnd: () => number): { kind: string; design: GeneratedDesign } | undefined {
  const doc = structuredClone(design.doc) as Obj;
  const edits: { kind: string; apply: () => void }[] = [];
  const nsgs = (doc.networkSecurityGroups ?? {}) as Record<string, { securityRules: Obj[] }>;
  for (const nsg of Object.values(nsgs)) {
    nsg.securityRules.forEach((rule, i) => {
      edits.push({ kind: 'nsg-access', apply: () => void (rule.access = rule.access === 'Allow' ? 'Deny' : 'Allow') });
      edits.push({ kind: 'nsg-port', apply: () => void ((rule.destinationPortRange = ['22', '443', '1000-2000', '*'][Math.floor(rnd() * 4)]), delete rule.destinationPortRanges) });
      edits.push({ kind: 'nsg-remove', apply: () => void nsg.securityRules.splice(i, 1) });
    });
    edits.push({
      kind: 'nsg-add',
      apply: () =>
        void nsg.securityRules.push({ name: 'added', priority: 100, direction: rnd() < 0.5 ? 'Inbound' : 'Outbound', access: rnd() < 0.5 ? 'Allow' : 'Deny', protocol: 'Tcp', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: rnd() < 0.5 ? '*' : 'Internet', destinationPortRange: '443' }),
    });
  }
  for (const table of Object.values((doc.routeTables ?? {}) as Record<string, { routes: Obj[] }>)) {
    table.routes.forEach((route, i) => {
      edits.push({ kind: 'route-none', apply: () => void ((route.nextHopType = 'None'), delete route.nextHopIpAddress) });
      edits.push({ kind: 'route-remove', apply: () => void table.routes.splice(i, 1) });
    });
  }
  for (const policy of Object.values((doc.firewallPolicies ?? {}) as Record<string, { ruleCollectionGroups: { ruleCollections: Obj[] }[] }>)) {
    for (const group of policy.ruleCollectionGroups) {
      for (const rc of group.ruleCollections) if (rc.action === 'Allow' || rc.action === 'Deny') edits.push({ kind: 'firewall-action', apply: () => void (rc.action = rc.action === 'Allow' ? 'Deny' : 'Allow') });
    }
  }
  for (const vnet of Object.values((doc.vnets ?? {}) as Record<string, { peerings?: Record<string, Obj> }>)) {
    for (const p of Object.values(vnet.peerings ?? {})) edits.push({ kind: 'peering-forwarding', apply: () => void (p.allowForwardedTraffic = p.allowForwardedTraffic !== true) });
  }
  if (edits.length === 0) return undefined;
  const chosen = edits[Math.floor(rnd() * edits.length)];
  chosen.apply();
  return { kind: chosen.kind, design: { ...design, doc: doc as GeneratedDesign['doc'] } };
}

/** Where a packet ends up, in the terms flow changes use (internet split by whether the name counts as the adversary). */
function fate(t: Trace): string {
  if (t.verdict !== 'delivered' || !t.delivery) return 'dropped';
  const { label: _label, via: _via, adversarialStrict: _strict, adversarial, ...sink } = t.delivery;
  if (sink.kind === 'internet') return adversarial ? 'internet' : 'first-party';
  return JSON.stringify(sink);
}

function flowKey(f: FlowChange): string {
  return `${f.direction}|${f.from}|${f.to}`;
}

function flowSets(r: DiffResult): Map<string, PacketSet> {
  const m = new Map<string, PacketSet>();
  for (const f of r.flows) m.set(flowKey(f), (m.get(flowKey(f)) ?? PacketSet.EMPTY).union(f.set));
  return m;
}

function sameFlows(a: DiffResult, b: DiffResult): string[] {
  const x = flowSets(a);
  const y = flowSets(b);
  const problems: string[] = [];
  for (const k of new Set([...x.keys(), ...y.keys()])) {
    const p = x.get(k) ?? PacketSet.EMPTY;
    const q = y.get(k) ?? PacketSet.EMPTY;
    if (!p.subsetOf(q) || !q.subsetOf(p)) problems.push(k);
  }
  return problems;
}

function mirrored(a: DiffResult): DiffResult {
  return { ...a, flows: a.flows.map((f) => ({ ...f, direction: f.direction === 'newly-allowed' ? 'newly-blocked' : 'newly-allowed' })) };
}

const runs = propertyRuns(40);

/** Everything a diff reports, boxes included, as plain data. */
function view(r: DiffResult): unknown {
  const boxes = (set: PacketSet) => set.boxes.map((b) => b.map((d) => d.toString()).join(' '));
  return {
    mode: r.mode,
    flows: r.flows.map((f) => ({ direction: f.direction, from: f.from, to: f.to, packets: f.packets, set: boxes(f.set), packet: f.packet, before: f.before, after: f.after, cause: f.cause, traces: [f.beforeTrace, f.afterTrace] })),
    intents: JSON.parse(JSON.stringify(r.intents)),
  };
}

/** The design with intents over its endpoints (generated designs have none). */
function withIntents(design: GeneratedDesign, rnd: () => number): GeneratedDesign {
  const intents = claimSpecs(design, rnd).map((c, i) => ({ name: `i${i}`, [c.kind]: { from: c.from, to: c.to, ...(c.protocol ? { protocol: c.protocol } : {}), ...(c.ports ? { ports: [...c.ports] } : {}) } }));
  return { ...design, doc: { ...design.doc, intents } as GeneratedDesign['doc'] };
}

const chains = propertyRuns(12);

describe('topo diff against its definition', () => {
  it(`identity, incremental = full, symmetry, and exactness against the simulator: ${runs} designs x 1 random edit`, () => {
    fc.assert(
      fc.property(designArbitrary({ maxRules: 12, dnatPercent: 50 }), fc.integer(), (design, seed) => {
        const rnd = prng(seed);
        const edited = edit(design, rnd);
        if (!edited) return;
        const A = loadGenerated(design);
        const B = loadGenerated(edited.design);
        tally.designs += 1;
        tally.edits.set(edited.kind, (tally.edits.get(edited.kind) ?? 0) + 1);
        const catalog = A.net.catalog;
        const base: Analysis = analyze(A.net.scenario, catalog);

        const same = diffAnalyses(base, base, diffScenarios(A.net.scenario, A.net.scenario));
        expect(same.flows, 'a design compared with itself').toEqual([]);
        expect(same.intents).toEqual([]);

        const derived = deriveAnalysis(base, B.net.scenario, catalog);
        if (derived.incremental) tally.incremental += 1;
        const incremental = diffAnalyses(base, derived.analysis, derived.changes);
        const headFull = analyze(B.net.scenario, catalog);
        const changes = diffScenarios(A.net.scenario, B.net.scenario);
        const full = diffAnalyses(base, headFull, { ...changes, structural: ['forced: the whole packet space'] });
        expect(full.mode).toBe('full');
        expect(sameFlows(incremental, full), `incremental (${incremental.mode}) vs full, edit ${edited.kind}`).toEqual([]);
        expect(incremental.intents.map((i) => `${i.name}:${i.before}->${i.after}`)).toEqual(full.intents.map((i) => `${i.name}:${i.before}->${i.after}`));

        const back = diffAnalyses(headFull, base, diffScenarios(B.net.scenario, A.net.scenario));
        expect(sameFlows(back, mirrored(full)), 'B -> A mirrors A -> B').toEqual([]);
        tally.flows += full.flows.length;

        // Exactness: sample packets of every interface, simulate them in both versions.
        const changed = [...flowSets(full).values()].reduce((acc, s) => acc.union(s), PacketSet.EMPTY);
        const boundary = boundaryValues(headFull.net);
        for (const nic of headFull.net.nics) {
          if (nic.kind !== 'host' && nic.kind !== 'subnet') continue;
          const baseNic = base.net.nicById.get(nic.id)!;
          const space = universe(headFull.net, nic.addresses);
          for (const box of space.boxes) {
            for (const p of packetsOf(box, boundary, rnd, 3)) {
              const before = simulate(base.net, { kind: 'nic', nic: baseNic }, p);
              const after = simulate(headFull.net, { kind: 'nic', nic }, p);
              if (before.verdict === 'unknown' || after.verdict === 'unknown') continue;
              tally.packets += 1;
              const differs = fate(before) !== fate(after);
              if (differs) tally.changed += 1;
              expect(changed.has(p), `${describePacket(headFull.net, p)} from ${nic.label}: ${fate(before)} -> ${fate(after)} (edit ${edited.kind})\n${B.yaml}`).toBe(differs);
            }
          }
        }
      }),
      { numRuns: runs, seed: propertySeed(7), endOnFailure: process.env.TOPO_PROPERTY_SHRINK !== '1' },
    );
  }, Math.max(30_000, runs * 1_000));

  it(`remembered state changes nothing: ${chains} designs with intents x a chain of 4 edits, diffed as topo watch does`, () => {
    let compared = 0;
    let touched = 0;
    fc.assert(
      fc.property(designArbitrary({ maxRules: 12, dnatPercent: 50 }), fc.integer(), (generated, seed) => {
        const rnd = prng(seed);
        let design = withIntents(generated, rnd);
        const A = loadGenerated(design);
        const catalog = A.net.catalog;
        let current: Analysis = analyze(A.net.scenario, catalog);
        for (let step = 0; step < 4; step++) {
          // A second rule added to the same NSG would repeat its name and priority: draw another edit.
          let edited = edit(design, rnd);
          for (let k = 0; k < 8 && edited?.kind === 'nsg-add' && JSON.stringify(design.doc).includes('"name":"added"'); k++) edited = edit(design, rnd);
          if (!edited || (edited.kind === 'nsg-add' && JSON.stringify(design.doc).includes('"name":"added"'))) return;
          design = edited.design;
          const B = loadGenerated(design);
          const derived = deriveAnalysis(current, B.net.scenario, catalog);
          const chained = diffAnalyses(current, derived.analysis, derived.changes);

          // The same versions without anything remembered (fresh analysis objects) and without the replay (a graph of the head's own).
          const base: Analysis = { ...current };
          const again = deriveAnalysis(base, B.net.scenario, catalog);
          const head: Analysis = again.incremental ? { ...again.analysis, graph: buildGraph(again.analysis.net) } : again.analysis;
          const fresh = diffAnalyses(base, head, again.changes);
          expect(view(chained), `step ${step}, edit ${edited.kind}`).toEqual(view(fresh));

          const full = diffAnalyses(base, analyze(B.net.scenario, catalog, [], { intents: false }), { ...again.changes, structural: ['forced: the whole packet space'] });
          expect(sameFlows(chained, full), `step ${step}, edit ${edited.kind}: incremental vs full`).toEqual([]);
          expect(chained.intents.map((i) => `${i.name}:${i.before}->${i.after}`), `step ${step}, edit ${edited.kind}: intents, incremental vs full`).toEqual(full.intents.map((i) => `${i.name}:${i.before}->${i.after}`));
          compared += 1;
          touched += chained.intents.length;
          current = derived.analysis;
        }
      }),
      { numRuns: chains, seed: propertySeed(11), endOnFailure: process.env.TOPO_PROPERTY_SHRINK !== '1' },
    );
    console.log(`diff chains: ${compared} versions compared, ${touched} intent status changes`);
    expect(compared).toBeGreaterThan(chains);
  }, Math.max(60_000, chains * 5_000));
});
