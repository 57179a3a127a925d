import { describe, expect, it } from 'vitest';
import { writeFixture } from '../../test/helpers/scenario-fixture.js';
import { generateHubSpoke, prng } from '../generate/hub-spoke.js';
import type { PacketSet } from '../headerspace/packet-set.js';
import { loadScenario } from '../scenario/load.js';
import type { Nsg, Scenario } from '../scenario/types.js';
import { buildGraph } from '../verify/graph.js';
import { analyze, deriveAnalysis, type Analysis } from './analysis.js';
import { diffAnalyses, type DiffResult } from './engine.js';

function load(path: string) {
  const l = loadScenario(path);
  if (!l.scenario) throw new Error(`fixture ${path} does not load: ${l.diagnostics.map((d) => d.message).join('; ')}`);
  return l;
}

function whatIf(basePath: string, headPath: string): { result: DiffResult; incremental: boolean } {
  const b = load(basePath);
  const h = load(headPath);
  const base = analyze(b.scenario!, b.catalog!);
  const derived = deriveAnalysis(base, h.scenario!, h.catalog!);
  return { result: diffAnalyses(base, derived.analysis, derived.changes), incremental: derived.incremental };
}

const BASE = 'test/fixtures/diff/base.yaml';
const RULES = 'test/fixtures/diff/head-rules.yaml';
const PEERING = 'test/fixtures/diff/head-peering.yaml';

describe('what-if engine', () => {
  it('reports nothing for a design compared with itself', () => {
    const { result } = whatIf(BASE, BASE);
    expect(result.objects).toEqual([]);
    expect(result.flows).toEqual([]);
    expect(result.intents).toEqual([]);
  });

  it('analyses NSG and firewall rule edits incrementally, sharing the base graph', () => {
    const b = load(BASE);
    const h = load(RULES);
    const base = analyze(b.scenario!, b.catalog!);
    const derived = deriveAnalysis(base, h.scenario!, h.catalog!);
    expect(derived.incremental).toBe(true);
    expect(derived.analysis.graph).toBe(base.graph);
    expect(derived.changes.objects.map((o) => `${o.kind}:${o.name}`)).toEqual(['nsg:open-nsg', 'firewallPolicy:policy']);
  });

  it('names the deciding rule in both versions for every changed flow', () => {
    const { result } = whatIf(BASE, RULES);
    const blocked = result.flows.find((f) => f.from === 'spoke1/app' && f.to === 'internet');
    expect(blocked?.direction).toBe('newly-blocked');
    expect(blocked?.after.rule).toBe('open-nsg/deny-web-out (priority 200)');
    expect(blocked?.after.loc?.line).toBe(29);
    expect(blocked?.before.rule).toContain('AllowVnetOutBound');
    expect(blocked?.cause).toBe('nsg:open-nsg');
    expect(result.flows.every((f) => f.direction === 'newly-blocked')).toBe(true);
    expect(result.intents).toEqual([expect.objectContaining({ name: 'app-no-exfiltration', before: 'fail', after: 'pass', regression: false })]);
  });

  it('is symmetric: what one direction newly allows, the other newly blocks', () => {
    const forward = whatIf(BASE, RULES).result;
    const backward = whatIf(RULES, BASE).result;
    const key = (d: DiffResult, dir: string) => d.flows.filter((f) => f.direction === dir).map((f) => `${f.from}->${f.to}|${f.packets.join(';')}`).sort();
    expect(key(backward, 'newly-allowed')).toEqual(key(forward, 'newly-blocked'));
    expect(key(backward, 'newly-blocked')).toEqual(key(forward, 'newly-allowed'));
    expect(backward.intents).toEqual([expect.objectContaining({ name: 'app-no-exfiltration', before: 'pass', after: 'fail', regression: true })]);
  });

  it('confirms every reported change with the packet simulator in both versions', () => {
    for (const [a, b] of [[BASE, RULES], [RULES, BASE], [BASE, PEERING], [PEERING, BASE]]) {
      const { result } = whatIf(a, b);
      expect(result.flows.length).toBeGreaterThan(0);
      for (const f of result.flows) {
        const delivered = (v: string) => v === 'delivered';
        if (f.direction === 'newly-allowed') {
          expect(delivered(f.afterTrace.verdict)).toBe(true);
          expect(delivered(f.beforeTrace.verdict) && f.beforeTrace.reason === f.afterTrace.reason).toBe(false);
        } else {
          expect(delivered(f.beforeTrace.verdict)).toBe(true);
          expect(delivered(f.afterTrace.verdict) && f.beforeTrace.reason === f.afterTrace.reason).toBe(false);
        }
      }
    }
  });

  it('falls back to a full re-analysis for structural changes, and says why (F3.2 peering flag)', () => {
    const { result, incremental } = whatIf(BASE, PEERING);
    expect(incremental).toBe(false);
    expect(result.mode).toBe('full');
    expect(result.fullReasons).toEqual(["peering 'spoke2/spoke2-to-hub' changed"]);
    const opened = result.flows.find((f) => f.from === 'spoke1/app' && f.to === 'spoke2/db');
    expect(opened?.direction).toBe('newly-allowed');
    expect(opened?.before.decision).toBe('drop');
    expect(result.intents).toEqual([expect.objectContaining({ name: 'app-reaches-db', before: 'fail', after: 'pass' })]);
  });

  it('re-checks only the intents a change can touch', () => {
    const { result } = whatIf(BASE, RULES);
    // db-no-exfiltration: spoke2/db -> internet also crosses open-nsg, so it is re-checked; app-reaches-db (1433 to a private address) is not.
    expect(result.stats.claimsChecked).toBeLessThan(6);
  });

  it('remembers nothing that changes a result: single-rule what-ifs against one base and chained, as topo watch runs them', () => {
    const gen = generateHubSpoke({ spokes: 4, subnets: 3, rules: 8, firewallRules: 20, flows: 40, seed: 4 });
    const l = loadScenario('main.yaml', { cwd: writeFixture({ 'main.yaml': gen.text }) });
    const catalog = l.catalog!;
    const s0 = l.scenario!;
    const boxes = (set: PacketSet) => set.boxes.map((b) => b.map((d) => d.toString()).join(' '));
    const view = (r: DiffResult) => ({
      flows: r.flows.map((f) => ({ ...f, set: boxes(f.set) })),
      intents: JSON.parse(JSON.stringify(r.intents)) as unknown,
    });
    const statuses = (r: DiffResult) => r.intents.map((i) => `${i.name}:${i.before}->${i.after}`);
    const flip = (s: Scenario, name: string, index: number): Scenario => {
      const nsg = s.networkSecurityGroups.get(name)!;
      const edited: Nsg = { ...nsg, securityRules: nsg.securityRules.map((r, i) => (i === index ? { ...r, access: { ...r.access, value: r.access.value === 'Allow' ? ('Deny' as const) : ('Allow' as const) } } : r)) };
      return { ...s, networkSecurityGroups: new Map([...s.networkSecurityGroups, [name, edited]]) };
    };
    /** The same what-if by analyses that remember nothing, with no replay (the head gets a graph of its own), and over the whole packet space. */
    const references = (base: Analysis, head: Scenario) => {
      const fresh: Analysis = { ...base };
      const again = deriveAnalysis(fresh, head, catalog);
      const own: Analysis = { ...again.analysis, graph: buildGraph(again.analysis.net) };
      const full = diffAnalyses(fresh, analyze(head, catalog, [], { intents: false }), { ...again.changes, structural: ['forced: the whole packet space'] });
      return { plain: diffAnalyses(fresh, own, again.changes), full };
    };
    const rnd = prng(9);
    const names = [...s0.networkSecurityGroups.keys()];
    const base = analyze(s0, catalog);
    let current = base;
    let changed = 0;
    for (let k = 0; k < 16; k++) {
      const name = names[Math.floor(rnd() * names.length)];
      const index = Math.floor(rnd() * s0.networkSecurityGroups.get(name)!.securityRules.length);
      // Against the first version, as the benchmark asks.
      const head = flip(s0, name, index);
      const derived = deriveAnalysis(base, head, catalog);
      const result = diffAnalyses(base, derived.analysis, derived.changes);
      const ref = references(base, head);
      expect(view(result), `${name} rule ${index}`).toEqual(view(ref.plain));
      expect(statuses(result)).toEqual(statuses(ref.full));
      changed += result.intents.length;
      // Chained: each version is the base of the next.
      const next = flip(current.scenario, name, index);
      const step = deriveAnalysis(current, next, catalog);
      const chained = diffAnalyses(current, step.analysis, step.changes);
      const chainedRef = references(current, next);
      expect(view(chained), `chained, ${name} rule ${index}`).toEqual(view(chainedRef.plain));
      expect(statuses(chained)).toEqual(statuses(chainedRef.full));
      current = step.analysis;
    }
    expect(changed).toBeGreaterThan(0);
  }, 120_000);
});
