/**
 * A hub's route groups searched by address give what scanning every group
 * gives (F2: the longest-prefix partition of a subnet's effective routes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedNetwork } from '../../test/helpers/generated.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import { routeGroups, routeGroupsMeeting } from './graph.js';

describe('route groups meeting a set of addresses', () => {
  it('are the groups whose addresses meet the set, in the same order', () => {
    const { net } = generatedNetwork({ spokes: 24, subnets: 2, rules: 2, firewallRules: 5, flows: 2, seed: 4 });
    const hub = [...net.subnets.values()].find((s) => s.vnet === 'hub' && routeGroups(s).size >= 16)!;
    expect(hub).toBeDefined();
    const span = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 1 << 20 }));
    // Addresses near the spokes (10.x) as often as anywhere.
    const near = fc.tuple(fc.integer({ min: 0x0a000000, max: 0x0a0fffff }), fc.integer({ min: 0, max: 4096 }));
    fc.assert(
      fc.property(fc.array(fc.oneof(span, near), { minLength: 1, maxLength: 4 }), (ranges) => {
        const set = IntervalSet.fromRanges(ranges.map(([lo, n]) => [lo, Math.min(0xffffffff, lo + n)] as [number, number]));
        const scanned = [...routeGroups(hub)].filter(([, dst]) => dst.intersects(set)).map(([r]) => r);
        const searched = routeGroupsMeeting(hub, set).filter(([, dst]) => dst.intersects(set)).map(([r]) => r);
        expect(searched).toEqual(scanned);
      }),
      { numRuns: 300 },
    );
  });
});
