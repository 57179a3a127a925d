/**
 * Warming an analysis for what-ifs compiles ahead what arrivals read; it
 * must change no answer.
 */
import { describe, expect, it } from 'vitest';
import { expectSameChanges, flipRule } from '../../test/helpers/edits.js';
import { generatedNetwork } from '../../test/helpers/generated.js';
import { analyze, deriveAnalysis } from './analysis.js';
import { diffAnalyses } from './engine.js';
import { warmForWhatIfs, warmingSteps } from './warm.js';

describe('warming an analysis for what-ifs', () => {
  const { scenario, catalog, net } = generatedNetwork({ spokes: 5, subnets: 3, rules: 12, firewallRules: 30, flows: 20, seed: 9 });

  it('visits every interface where packets start or end, once each', () => {
    const visited = [...warmingSteps(analyze(scenario, catalog))].map((n) => n.id);
    expect(new Set(visited).size).toBe(visited.length);
    expect(visited.sort()).toEqual(net.nics.filter((n) => n.kind === 'host' || n.kind === 'subnet' || n.kind === 'private-endpoint').map((n) => n.id).sort());
  });

  it('leaves every what-if as it was: flows, their deciders and intents', () => {
    const cold = analyze(scenario, catalog);
    const warm = analyze(scenario, catalog);
    expect(warmForWhatIfs(warm)).toBeGreaterThan(10);
    const nsgs = [...scenario.networkSecurityGroups.values()].filter((n) => n.securityRules.length > 0).slice(0, 6);
    let flows = 0;
    for (const nsg of nsgs) {
      for (const index of [1, 5, 9].filter((i) => i < nsg.securityRules.length)) {
        const head = flipRule(scenario, nsg.name, index);
        const [a, b] = [cold, warm].map((base) => {
          const d = deriveAnalysis(base, head, catalog);
          return diffAnalyses(base, d.analysis, d.changes);
        });
        expectSameChanges(a, b, `${nsg.name} rule ${index}`);
        expect(a.flows.map((f) => [f.from, f.to, f.before.rule, f.after.rule])).toEqual(b.flows.map((f) => [f.from, f.to, f.before.rule, f.after.rule]));
        flows += a.flows.length;
      }
    }
    expect(flows).toBeGreaterThan(0);
  });
});
