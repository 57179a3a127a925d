/**
 * An NSG edit propagates only the source classes whose packets can get to
 * the NSG's interfaces (F1.4); the diff is the one every class gives.
 */
import { describe, expect, it } from 'vitest';
import { flipRule, flowSets } from '../../test/helpers/edits.js';
import { generatedNetwork } from '../../test/helpers/generated.js';
import { analyze, deriveAnalysis } from './analysis.js';
import { diffAnalyses } from './engine.js';

describe('NSG edits propagate the classes they concern', () => {
  it('give the diff of every class, from fewer classes, for inbound and outbound rules', () => {
    const { scenario, catalog } = generatedNetwork({ spokes: 6, subnets: 3, rules: 10, firewallRules: 30, flows: 20, seed: 6 });
    const base = analyze(scenario, catalog);
    let pruned = 0;
    let changedFlows = 0;
    const nsgs = [...scenario.networkSecurityGroups.values()].filter((n) => n.securityRules.length > 0).slice(0, 8);
    for (const nsg of nsgs) {
      for (const index of [0, 4, 7].filter((i) => i < nsg.securityRules.length)) {
        const head = flipRule(scenario, nsg.name, index);
        const derived = deriveAnalysis(base, head, catalog);
        const every = diffAnalyses(base, derived.analysis, { ...derived.changes, structural: ['forced: the whole packet space'] });
        const some = diffAnalyses(base, derived.analysis, derived.changes);
        const [x, y] = [flowSets(some), flowSets(every)];
        expect([...x.keys()].sort(), `${nsg.name} rule ${index}`).toEqual([...y.keys()].sort());
        for (const [k, set] of x) expect(set.subsetOf(y.get(k)!) && y.get(k)!.subsetOf(set), k).toBe(true);
        expect(some.intents.map((i) => `${i.name}:${i.before}->${i.after}`)).toEqual(every.intents.map((i) => `${i.name}:${i.before}->${i.after}`));
        if (nsg.securityRules[index].direction.value === 'Inbound' && some.stats.starts < every.stats.starts) pruned += 1;
        changedFlows += some.flows.length;
      }
    }
    expect(pruned).toBeGreaterThan(5);
    expect(changedFlows).toBeGreaterThan(0);
  });
});
