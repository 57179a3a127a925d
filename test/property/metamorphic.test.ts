/**
 * Metamorphic properties of the verifier on random designs. The exact
 * statements, and why Azure's semantics make them true:
 *
 * 1. Adding one Deny rule to an NSG, at ANY free priority, never grows a
 *    reach set; adding one Allow rule never shrinks one. An NSG decides a
 *    packet by its first matching rule (F1.2.2), so a new rule changes the
 *    verdict only of packets whose first match it becomes, and those take its
 *    access; every other packet keeps its deciding rule. NSGs only filter (no
 *    rewriting, no choice of path), and a packet must pass every NSG on its
 *    path (F1.4.3), so reach is monotone in what each NSG admits.
 * 2. Swapping the priorities of two ADJACENT custom rules (no rule between
 *    them) that match no common packet, in every subnet the NSG is read in,
 *    changes no reach set: no packet can match both, and no other rule moves
 *    relative to either. (Non-adjacent swaps can change verdicts of packets
 *    that match a rule in between, so they are not claimed.)
 * 3. Verifying twice, on the same graph and on a fresh one, gives identical
 *    results (statuses, witnesses, counterexamples).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { boxesIntersect } from '../../src/headerspace/box.js';
import type { Network } from '../../src/model/types.js';
import { checkClaim } from '../../src/verify/check.js';
import { buildGraph } from '../../src/verify/graph.js';
import { designArbitrary, loadGenerated, propertyRuns, propertySeed, type GeneratedDesign } from './arbitraries.js';
import { claimSpecs, makeClaim, prng, reachOf, type ClaimSpec } from './claims.js';

const shrink = process.env.TOPO_PROPERTY_SHRINK === '1';
const tally = { added: 0, swapped: 0, compared: 0, repeated: 0 };

afterAll(() => {
  console.log(`metamorphic: ${tally.added} rules added, ${tally.swapped} adjacent disjoint rules swapped, ${tally.compared} reach sets compared, ${tally.repeated} claims verified twice; 0 violations`);
});

type Obj = Record<string, unknown>;
interface Rule {
  name: string;
  priority: number;
  direction: string;
  [key: string]: unknown;
}

function nsgRules(doc: Obj, nsg: string): Rule[] {
  return ((doc.networkSecurityGroups as Obj)[nsg] as { securityRules: Rule[] }).securityRules;
}

/** One extra NSG rule drawn from the same small pools as the generator's. */
function extraRule(d: GeneratedDesign): fc.Arbitrary<{ nsgIndex: number; rule: { direction: string } & Obj; priority: number }> {
  const prefixes = ['*', 'VirtualNetwork', 'Internet', 'Storage', ...d.subnets.map((s) => `10.${s.slice(1, 2)}.${s.slice(-1)}.0/24`), '10.0.0.0/8'];
  return fc.record({
    nsgIndex: fc.nat(),
    priority: fc.integer({ min: 100, max: 4096 }),
    rule: fc.record({
      direction: fc.constantFrom('Inbound', 'Outbound'),
      protocol: fc.constantFrom('Tcp', 'Udp', 'Icmp', '*'),
      sourceAddressPrefix: fc.constantFrom(...prefixes),
      sourcePortRange: fc.constantFrom('*', '*', '1000-2000'),
      destinationAddressPrefix: fc.constantFrom(...prefixes),
      destinationPortRange: fc.constantFrom('*', '22', '443', '1000-2000'),
    }),
  });
}

function reachSets(net: Network, specs: readonly ClaimSpec[]) {
  const graph = buildGraph(net);
  return specs.map((spec, i) => reachOf(net, graph, makeClaim(net, spec, i)));
}

const withExtra = designArbitrary().chain((d) => fc.tuple(fc.constant(d), extraRule(d), fc.integer()));

describe('metamorphic properties of the verifier', () => {
  for (const access of ['Deny', 'Allow'] as const) {
    const runs = propertyRuns(40);
    it(`adding ${access === "Deny" ? "a" : "an"} ${access} rule at any free priority never ${access === 'Deny' ? 'grows' : 'shrinks'} a reach set: ${runs} designs`, () => {
      fc.assert(
        fc.property(withExtra, ([design, extra, seed]) => {
          const nsgs = Object.keys((design.doc.networkSecurityGroups as Obj | undefined) ?? {});
          if (nsgs.length === 0) return;
          const nsg = nsgs[extra.nsgIndex % nsgs.length];
          const doc = structuredClone(design.doc);
          const rules = nsgRules(doc, nsg);
          let priority = extra.priority;
          while (rules.some((r) => r.direction === extra.rule.direction && r.priority === priority)) priority = priority >= 4096 ? 100 : priority + 1;
          rules.push({ name: 'added', priority, ...extra.rule, access });
          const specs = claimSpecs(design, prng(seed));
          const before = reachSets(loadGenerated(design).net, specs);
          const after = reachSets(loadGenerated({ ...design, doc }).net, specs);
          tally.added += 1;
          before.forEach((b, i) => {
            const a = after[i];
            if (!a || !b) return;
            tally.compared += 1;
            const ok = access === 'Deny' ? a.reached.subsetOf(b.reached) : b.reached.subsetOf(a.reached);
            expect(ok, `${b.claim.name} after adding ${access} ${JSON.stringify(extra.rule)} at ${priority} to ${nsg}`).toBe(true);
          });
        }),
        { seed: propertySeed(access === 'Deny' ? 30 : 31), numRuns: runs, endOnFailure: !shrink },
      );
    });
  }

  const swapRuns = propertyRuns(60);
  it(`swapping two adjacent rules that match no common packet changes nothing: ${swapRuns} designs`, () => {
    fc.assert(
      fc.property(designArbitrary(), fc.integer(), (design, seed) => {
        const { net } = loadGenerated(design);
        const pair = adjacentDisjoint(net, design);
        if (!pair) return;
        const doc = structuredClone(design.doc);
        const rules = nsgRules(doc, pair.nsg);
        const a = rules.find((r) => r.name === pair.a)!;
        const b = rules.find((r) => r.name === pair.b)!;
        [a.priority, b.priority] = [b.priority, a.priority];
        const specs = claimSpecs(design, prng(seed));
        const before = reachSets(net, specs);
        const after = reachSets(loadGenerated({ ...design, doc }).net, specs);
        tally.swapped += 1;
        before.forEach((x, i) => {
          const y = after[i];
          if (!x || !y) return;
          tally.compared += 1;
          expect(x.reached.subsetOf(y.reached) && y.reached.subsetOf(x.reached), `${x.claim.name} after swapping ${pair.nsg}/${pair.a} and ${pair.b}`).toBe(true);
        });
      }),
      { seed: propertySeed(32), numRuns: swapRuns, endOnFailure: !shrink },
    );
  });

  const repeatRuns = propertyRuns(40);
  it(`verifying twice gives identical results: ${repeatRuns} designs`, () => {
    fc.assert(
      fc.property(designArbitrary(), fc.integer(), (design, seed) => {
        const { net } = loadGenerated(design);
        const graph = buildGraph(net);
        const claims = claimSpecs(design, prng(seed)).map((s, i) => makeClaim(net, s, i));
        const first = claims.map((c) => JSON.stringify(checkClaim(net, graph, c)));
        const again = claims.map((c) => JSON.stringify(checkClaim(net, graph, c)));
        const fresh = buildGraph(net);
        const third = claims.map((c) => JSON.stringify(checkClaim(net, fresh, c)));
        tally.repeated += claims.length;
        expect(again).toEqual(first);
        expect(third).toEqual(first);
      }),
      { seed: propertySeed(33), numRuns: repeatRuns, endOnFailure: !shrink },
    );
  });
});

/** Two custom rules of one NSG and direction, next to each other by priority, that no packet matches both of in any subnet. */
function adjacentDisjoint(net: Network, design: GeneratedDesign): { nsg: string; a: string; b: string } | undefined {
  for (const nsg of Object.keys((design.doc.networkSecurityGroups as Obj | undefined) ?? {})) {
    for (const direction of ['Inbound', 'Outbound'] as const) {
      const programs = [...net.subnets.values()].flatMap((s) => [net.nsgProgram(nsg, direction, s, false), net.nsgProgram(nsg, direction, s, true)]);
      const custom = programs[0].rules.filter((r) => r.ref.kind === 'nsg-rule');
      for (let i = 0; i + 1 < custom.length; i++) {
        const disjoint = programs.every((p) => {
          const x = p.rules[i];
          const y = p.rules[i + 1];
          return !x.boxes.some((bx) => y.boxes.some((by) => boxesIntersect(bx, by)));
        });
        if (disjoint) return { nsg, a: custom[i].ref.id.split('/')[1], b: custom[i + 1].ref.id.split('/')[1] };
      }
    }
  }
  return undefined;
}
