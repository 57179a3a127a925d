/**
 * The AZ-HS generator: the same options give the same bytes, its output
 * validates, and on a small design every planted misconfiguration is found
 * (by its lint, its loader diagnostic or a failing intent) while the clean
 * twin passes every intent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLints, activeFindings } from '../lint/run.js';
import { compile } from '../model/compile.js';
import { loadScenario } from '../scenario/load.js';
import { buildGraph } from '../verify/graph.js';
import { verifyNetwork } from '../verify/verify.js';
import { generateHubSpoke, syntheticServiceTags, type HubSpokeOptions } from './hub-spoke.js';

const dir = mkdtempSync(join(tmpdir(), 'topo-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL: HubSpokeOptions = { spokes: 6, subnets: 3, rules: 10, firewallRules: 24, flows: 40, seed: 3 };

function load(text: string, name: string, tags?: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  if (tags) writeFileSync(join(dir, 'tags.json'), tags);
  return loadScenario(file);
}

function analyse(text: string, name: string) {
  const l = load(text, name);
  expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { network, diagnostics } = compile(l.scenario!, l.catalog!);
  const graph = buildGraph(network);
  return { l, network, results: verifyNetwork(network, [], {}, graph).intents, findings: activeFindings(runLints(network, { graph })), diagnostics: [...l.diagnostics, ...diagnostics] };
}

describe('topo generate hub-spoke', () => {
  it('gives the same bytes for the same options, and other bytes for another seed', () => {
    const a = generateHubSpoke(SMALL);
    expect(generateHubSpoke(SMALL).text).toBe(a.text);
    expect(generateHubSpoke({ ...SMALL, seed: 4 }).text).not.toBe(a.text);
    expect(a.stats.nsgRules).toBeGreaterThan(0);
    expect(a.flowIntents.length).toBe(40);
    expect(a.planted.map((p) => p.kind).sort()).toEqual(['any-to-any', 'firewall-bypass', 'missing-nsg', 'one-sided-peering', 'pe-network-policies', 'wildcard-fqdn']);
  });

  it('writes designs that validate, shared NSGs and NIC-level NSGs included, with the synthetic tags file too', () => {
    const shared = generateHubSpoke({ ...SMALL, sharedNsg: true, nicNsgFraction: 0.5, nicRules: 6 });
    expect(shared.stats.hosts).toBeGreaterThan(0);
    const l = load(shared.text, 'shared.yaml');
    expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const exact = load(generateHubSpoke({ ...SMALL, serviceTags: 'tags.json' }).text, 'exact.yaml', syntheticServiceTags());
    expect(exact.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(exact.catalog!.exact).toBe(true);
  });

  it('plants misconfigurations that topo reports, and the clean twin reports none of them', () => {
    const gen = generateHubSpoke(SMALL);
    const planted = analyse(gen.text, 'planted.yaml');
    for (const p of gen.planted) {
      if (p.reportedBy.startsWith('TOPO-L')) expect(planted.findings.some((f) => f.rule === p.reportedBy && f.target === p.target), `${p.kind}: ${p.reportedBy} on ${p.target}`).toBe(true);
      else if (p.reportedBy === 'TOPO300') expect(planted.diagnostics.some((d) => d.code === 'TOPO300')).toBe(true);
      for (const name of p.failingIntents) {
        const r = planted.results.find((x) => x.name === name)!;
        expect(r.status, name).toBe('fail');
        if (p.element) expect(r.witness!.trace.hops.some((h) => h.ruleId === p.element || (h.rule ?? '').startsWith(p.element!)), `${name} crosses ${p.element}`).toBe(true);
      }
    }
    const expected = new Set(gen.expectedFailures);
    expect(planted.results.filter((r) => r.status !== 'pass' && !expected.has(r.name)).map((r) => r.name)).toEqual([]);

    const twin = analyse(generateHubSpoke({ ...SMALL, clean: true }).text, 'clean.yaml');
    expect(twin.results.filter((r) => r.status !== 'pass').map((r) => r.name)).toEqual([]);
    expect(twin.findings.filter((f) => ['TOPO-L001', 'TOPO-L005', 'TOPO-L008', 'TOPO-L013'].includes(f.rule)).map((f) => `${f.rule} ${f.target}`)).toEqual([]);
    expect(twin.diagnostics.filter((d) => d.code === 'TOPO300')).toEqual([]);
  });

  it('rejects sizes Azure or the address plan cannot hold', () => {
    expect(() => generateHubSpoke({ ...SMALL, spokes: 501 })).toThrow(RangeError);
    expect(() => generateHubSpoke({ ...SMALL, subnets: 33 })).toThrow(RangeError);
  });
});
