/**
 * The two engines check each other on random designs (arbitraries.ts):
 *   - membership: a packet of a claim's query is in the symbolic reach set
 *     iff the packet simulator delivers it to the claim's destination, and a
 *     packet the simulator cannot decide is undecided symbolically too;
 *   - witnesses: checkClaim re-simulates every witness and throws
 *     EngineDisagreement when the simulator disagrees, over many claims
 *     (host->internet, subnet->subnet, host->storage, internet->host, ...).
 * Seeds are fixed (TOPO_PROPERTY_SEED picks others) and run counts can be
 * raised with TOPO_PROPERTY_RUNS; TOPO_PROPERTY_SHRINK=1 shrinks failures.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { describePacket, simulate } from '../../src/sim/simulate.js';
import { checkClaim, EngineDisagreement } from '../../src/verify/check.js';
import { buildGraph } from '../../src/verify/graph.js';
import { designArbitrary, loadGenerated, propertyRuns, propertySeed } from './arbitraries.js';
import { boundaryValues, claimSpecs, makeClaim, originOf, packetsOf, prng, reachOf } from './claims.js';

const shrink = process.env.TOPO_PROPERTY_SHRINK === '1';
const tally = { designs: 0, claims: 0, packets: 0, undecided: 0, reached: 0, disagreements: 0, statuses: { pass: 0, fail: 0, unknown: 0 } as Record<string, number> };

afterAll(() => {
  console.log(
    `engines: ${tally.designs} designs, ${tally.claims} claims, ${tally.packets} packets (${tally.reached} reached, ${tally.undecided} undecided), ${tally.disagreements} disagreements; ` +
      `checkClaim: ${tally.statuses.pass} pass, ${tally.statuses.fail} fail (witness re-simulated), ${tally.statuses.unknown} unknown`,
  );
});

describe('symbolic reach sets agree with the packet simulator', () => {
  for (const [catalog, dflt, perBox] of [['small', 60, 6], ['shipped', 12, 4]] as const) {
    const runs = propertyRuns(dflt);
    it(`membership of random and boundary packets: ${runs} designs (${catalog} catalog)`, () => {
      fc.assert(
        fc.property(designArbitrary({ catalog }), fc.integer(), (design, seed) => {
          const { net, yaml } = loadGenerated(design);
          const graph = buildGraph(net);
          const rnd = prng(seed);
          const boundary = boundaryValues(net);
          tally.designs += 1;
          for (const [i, spec] of claimSpecs(design, rnd).entries()) {
            const claim = makeClaim(net, spec, i);
            const r = reachOf(net, graph, claim);
            if (!r) continue;
            tally.claims += 1;
            for (const { box, source } of r.queryBoxes) {
              for (const p of packetsOf(box, boundary, rnd, perBox)) {
                tally.packets += 1;
                const t = simulate(net, originOf(source), p);
                const simReached: boolean = t.verdict === 'delivered' && r.dest.accepts(t.delivery!, p.dstIp, p.dstName, claim.adversary);
                const symReached = r.reached.has(p);
                const symUndecided = r.undecided.has(p);
                if (symReached) tally.reached += 1;
                if (symUndecided) tally.undecided += 1;
                const agree = t.verdict === 'unknown' ? symUndecided && !symReached : simReached === symReached && !symUndecided;
                if (!agree) {
                  tally.disagreements += 1;
                  expect.fail(
                    `${claim.name}: ${describePacket(net, p)}: simulator ${t.verdict}${t.verdict === 'delivered' ? ` (${simReached ? 'reaches' : 'elsewhere'})` : ''}: ${t.reason}; ` +
                      `verifier ${symReached ? 'reached' : 'not reached'}${symUndecided ? ', undecided' : ''}\n${yaml}`,
                  );
                }
              }
            }
          }
        }),
        { seed: propertySeed(10 + (catalog === 'small' ? 0 : 1)), numRuns: runs, endOnFailure: !shrink },
      );
    });
  }

  const runs = propertyRuns(80);
  it(`every witness reaches its target in the simulator: ${runs} designs`, () => {
    fc.assert(
      fc.property(designArbitrary(), fc.integer(), (design, seed) => {
        const { net, yaml } = loadGenerated(design);
        const graph = buildGraph(net);
        for (const [i, spec] of claimSpecs(design, prng(seed)).entries()) {
          tally.claims += 1;
          try {
            const res = checkClaim(net, graph, makeClaim(net, spec, i));
            tally.statuses[res.status] += 1;
            if (res.status === 'fail' && res.witness) expect(res.witness.trace.verdict).not.toBe('unknown');
          } catch (error) {
            if (error instanceof EngineDisagreement) {
              tally.disagreements += 1;
              expect.fail(`${error.message}\n${yaml}`);
            }
            throw error;
          }
        }
      }),
      { seed: propertySeed(20), numRuns: runs, endOnFailure: !shrink },
    );
  });
});
