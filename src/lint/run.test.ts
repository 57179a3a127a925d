import { describe, expect, it } from 'vitest';
import { lintCatalog } from '../catalog/lints.js';
import { CHECKS, lintRules } from './registry.js';
import { selectRules, UnknownLintError } from './run.js';
import { loadYaml, yaml } from '../../test/helpers/scenario-fixture.js';
import { lintYaml } from '../../test/helpers/lint.js';

const exposed = (ignores = '') => yaml`
  name: exposed
  region: eastus
  vnets:
    spoke:
      addressSpace: [10.1.0.0/16]
      subnets:
        app: { addressPrefix: 10.1.1.0/24, defaultOutboundAccess: false }
        web: { addressPrefix: 10.1.2.0/24, defaultOutboundAccess: false }
  ${ignores}
`;

describe('lint.ignore in the scenario', () => {
  it('TOPO235: an entry must name a lint, with a did-you-mean', () => {
    const r = loadYaml(exposed(`lint:\n    ignore:\n      - { rule: subnet-without-nsgs, reason: legacy }`));
    expect(r.scenario).toBeUndefined();
    const d = r.with('TOPO235')[0];
    expect(d.message).toContain("'subnet-without-nsgs'");
    expect(d.hint).toBe('did you mean subnet-without-nsg?');
  });

  it('an entry needs a non-empty reason (the schema says so)', () => {
    const r = loadYaml(exposed(`lint:\n    ignore:\n      - { rule: TOPO-L001, reason: "" }`));
    expect(r.scenario).toBeUndefined();
    expect(r.codes).toContain('TOPO105');
    expect(loadYaml(exposed(`lint:\n    ignore:\n      - { rule: TOPO-L001 }`)).codes).toContain('TOPO101');
  });

  it('accepts the findings it names, keeping them marked with the reason', () => {
    const l = lintYaml(exposed(`lint:\n    ignore:\n      - { rule: subnet-without-nsg, target: spoke/app, reason: "lab subnet, torn down nightly" }`), ['TOPO-L001']);
    expect(l.ids).toEqual(['TOPO-L001 spoke/web']);
    const accepted = l.report.findings.find((f) => f.suppressed);
    expect(accepted?.target).toBe('spoke/app');
    expect(accepted?.suppressed?.reason).toBe('lab subnet, torn down nightly');
    expect(l.report.diagnostics).toEqual([]);
  });

  it('without a target, accepts every finding of the lint', () => {
    const l = lintYaml(exposed(`lint:\n    ignore:\n      - { rule: TOPO-L001, reason: "NSGs come from Azure Policy" }`), ['TOPO-L001']);
    expect(l.ids).toEqual([]);
    expect(l.report.findings).toHaveLength(2);
  });

  it('TOPO311: an entry that matches nothing is reported, so stale acceptances do not pile up', () => {
    const l = lintYaml(exposed(`lint:\n    ignore:\n      - { rule: TOPO-L001, target: spoke/gone, reason: old }`), ['TOPO-L001']);
    expect(l.report.diagnostics.map((d) => d.code)).toEqual(['TOPO311']);
    expect(l.report.diagnostics[0].message).toContain("for 'spoke/gone' matches no finding");
    expect(l.report.diagnostics[0].loc?.line).toBe(11);
  });

  it('an entry of a lint that did not run is not reported as unused', () => {
    const l = lintYaml(exposed(`lint:\n    ignore:\n      - { rule: TOPO-L004, reason: none yet }`), ['TOPO-L001']);
    expect(l.report.diagnostics).toEqual([]);
  });
});

describe('the lint registry', () => {
  it('joins every catalog entry with exactly one check, in id order', () => {
    expect(lintRules().map((r) => r.id)).toEqual(lintCatalog().map((l) => l.id));
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  });

  it('selects lints by id or name, and refuses unknown ones', () => {
    expect(selectRules(['TOPO-L002', 'any-to-any-allow']).map((r) => r.id)).toEqual(['TOPO-L002', 'TOPO-L005']);
    expect(() => selectRules(['no-such-lint'])).toThrow(UnknownLintError);
  });

  it('TOPO-L001 replaces the loader warning TOPO302 about the same subnet', () => {
    const l = lintYaml(exposed());
    expect(l.report.supersedes.has('TOPO302')).toBe(true);
    expect(lintYaml(exposed(), ['TOPO-L004']).report.supersedes.size).toBe(0);
  });

  it('orders findings by file, line and column', () => {
    const l = lintYaml(exposed(), ['TOPO-L001']);
    expect(l.findings.map((f) => f.loc.line)).toEqual([7, 8]);
  });
});
