/**
 * First match over ordered rule lists: the symbolic one over packet sets and
 * the simulator's over one packet agree with the definition (the first rule
 * with a box that holds the packet), on random rule lists, whatever the
 * address hulls skip.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boxContains, type Box } from './box.js';
import { firstMatch, firstRuleContaining, type MatchRule } from './first-match.js';
import { IntervalSet } from './interval-set.js';
import { PacketSet } from './packet-set.js';
import type { Packet } from './packet.js';

const ADDRESSES = 64;
const range = fc.tuple(fc.integer({ min: 0, max: ADDRESSES }), fc.integer({ min: 0, max: 8 })).map(([lo, n]) => IntervalSet.of(lo, lo + n));
const ports = fc.constantFrom(IntervalSet.of(0, 65535), IntervalSet.of(22, 22), IntervalSet.of(443, 443), IntervalSet.of(1000, 2000));
const box: fc.Arbitrary<Box> = fc.tuple(fc.constantFrom(IntervalSet.of(6, 6), IntervalSet.of(17, 17), IntervalSet.of(0, 255)), range, ports, range, ports, fc.constant(IntervalSet.of(0, 3)));
const rules = fc.array(fc.array(box, { minLength: 0, maxLength: 3 }).map((boxes): MatchRule & { id: number } => ({ boxes, id: 0 })), { minLength: 0, maxLength: 40 }).map((list) => list.map((r, id) => ({ ...r, id })));
const packet: fc.Arbitrary<Packet> = fc.record({
  protocol: fc.constantFrom(6, 17, 1),
  srcIp: fc.integer({ min: 0, max: ADDRESSES + 8 }),
  srcPort: fc.constantFrom(22, 443, 1500, 50000),
  dstIp: fc.integer({ min: 0, max: ADDRESSES + 8 }),
  dstPort: fc.constantFrom(22, 443, 1500, 50000),
  dstName: fc.integer({ min: 0, max: 3 }),
});

describe('first match', () => {
  it('of one packet is the first rule with a box that holds it, and the rule the symbolic first match gives that packet', () => {
    fc.assert(
      fc.property(rules, packet, (list, p) => {
        const expected = list.find((r) => r.boxes.some((b) => boxContains(b, p)));
        expect(firstRuleContaining(list, p)?.id).toBe(expected?.id);
        const point: Box = [IntervalSet.point(p.protocol), IntervalSet.point(p.srcIp), IntervalSet.point(p.srcPort), IntervalSet.point(p.dstIp), IntervalSet.point(p.dstPort), IntervalSet.point(p.dstName)];
        const symbolic = firstMatch(PacketSet.ofBox(point), list);
        expect(symbolic.hits.map((h) => h.rule.id)).toEqual(expected ? [expected.id] : []);
        expect(symbolic.rest.isEmpty).toBe(expected !== undefined);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
