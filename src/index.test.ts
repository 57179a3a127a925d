import { describe, expect, it } from 'vitest';
import { compile, loadScenario, runLints, verifyNetwork, verifyJson } from './index.js';
import { packageRoot } from './util/package-root.js';

describe('the library entry point', () => {
  it('runs load, compile, verify and lint the way the CLI does', () => {
    const loaded = loadScenario('test/fixtures/two-spokes.yaml', { cwd: packageRoot() });
    expect(loaded.scenario).toBeDefined();
    const { network } = compile(loaded.scenario!, loaded.catalog!);
    const results = verifyNetwork(network, loaded.diagnostics);
    expect(results.intents.map((r) => `${r.name}:${r.status}`)).toEqual(['app-no-exfiltration:fail', 'app-reaches-db:fail', 'db-no-exfiltration:pass']);
    expect(runLints(network).findings.map((f) => f.rule)).toEqual(['TOPO-L011', 'TOPO-L013']);
    expect((verifyJson(network, results) as { summary: { failed: number } }).summary.failed).toBe(2);
  });

  it('reports bad input as diagnostics, not exceptions', () => {
    const loaded = loadScenario('no/such/file.yaml', { cwd: packageRoot() });
    expect(loaded.scenario).toBeUndefined();
    expect(loaded.diagnostics[0].code).toBe('TOPO001');
  });
});
