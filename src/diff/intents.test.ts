/**
 * Intent status changes in a chain of rule edits, as `topo watch` runs
 * them: the index finds the intents near the changed regions, the others
 * keep the verdicts carried over from the previous version (a chain longer
 * than the carried depth is cut and copied). Every step equals the step of
 * analyses that remember nothing.
 */
import { describe, expect, it } from 'vitest';
import { flipRule } from '../../test/helpers/edits.js';
import { generatedNetwork } from '../../test/helpers/generated.js';
import { prng } from '../generate/hub-spoke.js';
import { analyze, deriveAnalysis, type Analysis } from './analysis.js';
import { diffAnalyses } from './engine.js';

const statuses = (r: ReturnType<typeof diffAnalyses>) => r.intents.map((i) => `${i.name}:${i.before}->${i.after}`);

describe('intent changes along a chain of rule edits', () => {
  it('equal those of fresh analyses at every step, past the depth where carried verdicts are copied', () => {
    const { scenario, catalog } = generatedNetwork({ spokes: 4, subnets: 2, rules: 6, firewallRules: 20, flows: 40, seed: 3 });
    const rnd = prng(5);
    // Edits of the rules that decide required flows' packets change intents; random ones mostly do not.
    const nsgs = [...scenario.networkSecurityGroups.values()].filter((n) => n.securityRules.length > 0);
    let current: Analysis = analyze(scenario, catalog);
    let design = scenario;
    let changed = 0;
    for (let step = 0; step < 24; step++) {
      const nsg = nsgs[Math.floor(rnd() * nsgs.length)];
      const next = flipRule(design, nsg.name, Math.floor(rnd() * nsg.securityRules.length));
      const derived = deriveAnalysis(current, next, catalog);
      expect(derived.incremental).toBe(true);
      const chained = diffAnalyses(current, derived.analysis, derived.changes);
      const fresh = diffAnalyses(analyze(design, catalog), analyze(next, catalog), { ...derived.changes, structural: ['forced: the whole packet space'] });
      expect(statuses(chained), `step ${step}: ${nsg.name}`).toEqual(statuses(fresh));
      changed += chained.intents.length;
      current = derived.analysis;
      design = next;
    }
    expect(changed).toBeGreaterThan(0);
  });
});
