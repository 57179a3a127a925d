/**
 * An NSG edit propagates only the source classes whose packets can get to
 * the NSG's interfaces (F1.4); the diff is the one every class gives.
 */
import { describe, expect, it } from 'vitest';
import { expectSameChanges, flipRule } from '../../test/helpers/edits.js';
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
        expectSameChanges(some, every, `${nsg.name} rule ${index}`);
        if (nsg.securityRules[index].direction.value === 'Inbound' && some.stats.starts < every.stats.starts) pruned += 1;
        changedFlows += some.flows.length;
      }
    }
    expect(pruned).toBeGreaterThan(5);
    expect(changedFlows).toBeGreaterThan(0);
  });

  it('settle every class whose packets arrive untranslated when the edited inbound rule is from Internet', () => {
    // Private sources arrive with their own addresses (the hub firewall does not translate traffic to private
    // destinations, F4.5.1), which the Internet tag does not hold: the edit changes nothing for them, though all of them
    // reach the subnet. Only packets that can arrive with a public or translated source are propagated.
    const { scenario, catalog } = generatedNetwork({ spokes: 6, subnets: 3, rules: 30, firewallRules: 30, flows: 20, seed: 6 });
    const base = analyze(scenario, catalog);
    const edits = [...scenario.networkSecurityGroups.values()].flatMap((nsg) =>
      nsg.securityRules.flatMap((r, index) => (r.direction.value === 'Inbound' && r.sourceAddressPrefixes.some((p) => p.value === 'Internet') ? [{ nsg: nsg.name, index }] : [])),
    );
    expect(edits.length).toBeGreaterThan(3);
    for (const { nsg, index } of edits.slice(0, 6)) {
      const derived = deriveAnalysis(base, flipRule(scenario, nsg, index), catalog);
      const every = diffAnalyses(base, derived.analysis, { ...derived.changes, structural: ['forced: the whole packet space'] });
      const some = diffAnalyses(base, derived.analysis, derived.changes);
      expectSameChanges(some, every, `${nsg} rule ${index}`);
      // At most the class of the edited interfaces: no public IP or DNAT rule of this design leads to them
      // (every class reaches the subnet: counting every arrival, 3-4 classes were propagated).
      expect(some.stats.starts, `${nsg} rule ${index}`).toBeLessThanOrEqual(1);
      expect(every.stats.starts).toBeGreaterThan(10);
    }
  });
});
