/**
 * An independent SMT oracle for claims over ALL packets: encode.ts reads the
 * compiled Network from scratch into bit-vector formulas, z3 (in a child
 * process) decides them, and on random small designs:
 *   - the verifier's reach set is empty iff z3 finds no reached packet, and
 *     the two reach sets are EQUAL (z3 finds no packet in one and not the
 *     other); the same for the undecided sets; so a deny claim passes iff
 *     z3 says unsat, and an allow claim passes iff z3 finds no missed packet;
 *   - every packet z3 exhibits is classified the same way by the packet
 *     simulator and by the verifier's sets. Designs with constructs the encoding
 * does not cover are skipped and counted, never approximated.
 * TOPO_ORACLE_RUNS sets the number of designs, TOPO_PROPERTY_SEED the seed.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/headerspace/packet.js';
import { describePacket, simulate } from '../../src/sim/simulate.js';
import { checkClaim } from '../../src/verify/check.js';
import { buildGraph } from '../../src/verify/graph.js';
import { designArbitrary, loadGenerated, propertySeed } from '../property/arbitraries.js';
import { claimSpecs, makeClaim, originOf, prng, reachOf, type ClaimSpec } from '../property/claims.js';
import type { Network } from '../../src/model/types.js';
import { encodeClaim } from './encode.js';
import { Z3Child, type CheckResult } from './solver.js';
import type { FormulaBuilder, NodeId } from './formula.js';
import type { PacketSet } from '../../src/headerspace/packet-set.js';

const DESIGNS = Number(process.env.TOPO_ORACLE_RUNS || 40);
const CLAIMS_PER_DESIGN = Number(process.env.TOPO_ORACLE_CLAIMS || 6);
const z3 = new Z3Child();
const tally = { cases: 0, designs: 0, sat: 0, unsat: 0, unknownSat: 0, missedSat: 0, skipped: new Map<string, number>(), maxMs: 0, totalMs: 0, disagreements: 0 };

afterAll(async () => {
  await z3.close();
  const skipped = [...tally.skipped].map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
  console.log(
    `oracle: ${tally.cases} cases over ${tally.designs} designs agree with z3 (reach: ${tally.sat} sat, ${tally.unsat} unsat; undecided packets found in ${tally.unknownSat}; missed packets found in ${tally.missedSat}); ` +
      `${tally.disagreements} disagreements; skipped: ${skipped}; z3 time ${tally.totalMs} ms total, ${tally.maxMs} ms worst case`,
  );
});

function skip(why: string): void {
  tally.skipped.set(why, (tally.skipped.get(why) ?? 0) + 1);
}

describe('the verifier agrees with an independent SMT encoding', () => {
  it(
    `${DESIGNS} designs, up to ${CLAIMS_PER_DESIGN} claims each`,
    async () => {
      await fc.assert(
        fc.asyncProperty(designArbitrary({ maxRules: 30, firewallPercent: 85 }), fc.integer(), async (design, seed) => {
          const { net, yaml } = loadGenerated(design);
          const graph = buildGraph(net);
          const rnd = prng(seed);
          tally.designs += 1;
          const specs = pickClaims(net, claimSpecs(design, rnd), rnd);
          for (const [i, spec] of specs.entries()) {
            const claim = makeClaim(net, spec, i);
            const encoding = encodeClaim(net, claim);
            if (!encoding.ok) {
              skip(encoding.skip);
              continue;
            }
            const r = reachOf(net, graph, claim)!;
            const { enc } = encoding;
            const f = enc.f;
            const verifierReached = boxesOf(f, r.reached);
            const verifierUndecided = boxesOf(f, r.undecided);
            if (verifierReached === undefined || verifierUndecided === undefined) {
              skip('verifier sets of more than 4000 boxes');
              continue;
            }
            const missedNode = f.and(f.not(enc.reach), f.not(enc.unknown));
            const answer = await z3.solve(
              f.nodes,
              [
                { name: 'reach', assert: [enc.query, enc.reach] },
                { name: 'unknown', assert: [enc.query, enc.unknown] },
                { name: 'missed', assert: [enc.query, missedNode] },
                // Set equality, not only emptiness: no packet in one engine's set and not in the other's.
                { name: 'reached by z3 only', assert: [enc.query, enc.reach, f.not(verifierReached)] },
                { name: 'reached by the verifier only', assert: [enc.query, f.not(enc.reach), verifierReached] },
                { name: 'undecided for z3 only', assert: [enc.query, enc.unknown, f.not(verifierUndecided)] },
                { name: 'undecided for the verifier only', assert: [enc.query, f.not(enc.unknown), verifierUndecided] },
              ],
              { timeoutMs: 3000, watchdogMs: 60_000 },
            );
            if (!answer.ok) {
              if (!tally.skipped.has(`z3 ${answer.why}`)) console.warn(`oracle: z3 ${answer.why} on ${claim.name} (${f.nodes.length} nodes): ${answer.detail.slice(0, 400)}`);
              skip(`z3 ${answer.why}`);
              continue;
            }
            const byName = new Map(answer.results.map((x) => [x.name, x]));
            if ([...byName.values()].some((x) => x.status === 'unknown')) {
              skip('z3 gave up (timeout)');
              continue;
            }
            tally.cases += 1;
            const ms = answer.results.reduce((a, x) => a + x.ms, 0);
            tally.totalMs += ms;
            tally.maxMs = Math.max(tally.maxMs, ms);
            const where = `${claim.name}\n${yaml}`;
            const reach = byName.get('reach')!;
            const unknown = byName.get('unknown')!;
            const missed = byName.get('missed')!;
            if (reach.status === 'sat') tally.sat += 1;
            else tally.unsat += 1;
            if (unknown.status === 'sat') tally.unknownSat += 1;
            if (missed.status === 'sat') tally.missedSat += 1;

            const classify = (p: Packet) => {
              const source = r.sources.find((s) => s.ips.has(p.srcIp))!;
              const t = simulate(net, originOf(source), p);
              const simReached = t.verdict === 'delivered' && r.dest.accepts(t.delivery!, p.dstIp, p.dstName, claim.adversary);
              return { sim: t.verdict === 'unknown' ? 'unknown' : simReached ? 'reach' : 'missed', sym: r.reached.has(p) ? 'reach' : r.undecided.has(p) ? 'unknown' : 'missed', trace: `${t.verdict} (${t.reason})` };
            };
            for (const name of ['reached by z3 only', 'reached by the verifier only', 'undecided for z3 only', 'undecided for the verifier only']) {
              const res = byName.get(name)!;
              const p = packetOf(res);
              if (!p) continue;
              tally.disagreements += 1;
              const c = classify(p);
              expect.fail(`${name}: ${describePacket(net, p)}; simulator says ${c.sim}: ${c.trace}; verifier says ${c.sym}; ${where}`);
            }

            // Each packet z3 exhibits is classified the same way by the simulator and by the verifier's sets.
            for (const [kind, res] of [['reach', reach], ['unknown', unknown], ['missed', missed]] as const) {
              const p = packetOf(res);
              if (!p) continue;
              expect(r.query.has(p), `z3's ${kind} packet ${describePacket(net, p)} is in the query; ${where}`).toBe(true);
              const c = classify(p);
              expect({ sim: c.sim, sym: c.sym }, `z3's ${kind} packet ${describePacket(net, p)}: simulator ${c.trace}; ${where}`).toEqual({ sim: kind, sym: kind });
            }

            // The verdict itself: a deny passes iff nothing reaches and nothing is undecided.
            const status = checkClaim(net, graph, claim).status;
            if (claim.kind === 'deny') expect(status, where).toBe(reach.status === 'sat' ? 'fail' : unknown.status === 'sat' ? 'unknown' : 'pass');
            else expect(status, where).toBe(missed.status === 'sat' ? 'fail' : unknown.status === 'sat' ? 'unknown' : 'pass');
          }
        }),
        { seed: propertySeed(40), numRuns: DESIGNS, endOnFailure: true },
      );
    },
    300_000,
  );
});

/**
 * The claims worth a solver call, chosen from the design's structure alone (never from
 * either engine's answer): sources whose routes lead through an appliance (firewall
 * SNAT, peering gates for forwarded traffic, replies) and destinations outside the
 * source's VNet first, then the rest at random.
 */
function pickClaims(net: Network, specs: readonly ClaimSpec[], rnd: () => number): ClaimSpec[] {
  const subnetOf = (text: string) => net.subnets.get(text) ?? net.nicById.get(`host:${text}`)?.subnet;
  const vnetOf = (text: string) => subnetOf(text)?.vnet ?? (net.vnets.has(text) ? text : undefined);
  const score = (c: ClaimSpec) => {
    const from = subnetOf(c.from) ?? net.vnets.get(c.from)?.subnets[0];
    let n = rnd();
    if (from?.routes.entries.some((e) => e.route.nextHop.type === 'VirtualAppliance')) n += 2;
    if (vnetOf(c.to) !== vnetOf(c.from)) n += 1;
    return n;
  };
  return specs.map((c) => ({ c, n: score(c) })).sort((a, b) => b.n - a.n).slice(0, CLAIMS_PER_DESIGN).map((x) => x.c);
}

/** A packet set of the verifier as a formula over the packet as sent (undefined when too large to be worth it). */
function boxesOf(f: FormulaBuilder, set: PacketSet): NodeId | undefined {
  if (set.boxCount > 4000) return undefined;
  const dims = ['proto', 'srcIp', 'srcPort', 'dstIp', 'dstPort', 'dstName'] as const;
  return f.or(...set.boxes.map((b) => f.and(...dims.map((d, i) => f.member({ field: d }, b[i].data)))));
}

function packetOf(res: CheckResult): Packet | undefined {
  if (res.status !== 'sat' || !res.model) return undefined;
  const m = res.model;
  return { protocol: m.proto, srcIp: m.srcIp, srcPort: m.srcPort, dstIp: m.dstIp, dstPort: m.dstPort, dstName: m.dstName };
}
