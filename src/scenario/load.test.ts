import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.js';

describe('loadScenario', () => {
  it('reports a missing file as TOPO001 without throwing', () => {
    const r = loadScenario('does/not/exist.yaml');
    expect(r.scenario).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['TOPO001']);
  });

  it('loads the hub-and-spoke fixture with every object located', () => {
    const r = loadScenario('test/fixtures/hub-spoke.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const s = r.scenario!;
    expect(s.name).toBe('hub-spoke-basic');
    const rule = s.networkSecurityGroups.get('compute-nsg')!.securityRules[0];
    expect(rule.name).toBe('allow-pe-https');
    expect(rule.loc.file).toBe('test/fixtures/hub-spoke.yaml');
    expect(rule.priority).toMatchObject({ value: 100, loc: { line: 31 } });
    expect(rule.destinationPortRanges.map((p) => p.value)).toEqual(['443', '445']);
  });
});
