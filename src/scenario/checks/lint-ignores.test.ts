import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../../test/helpers/scenario-fixture.js';

// lint.ignore entries name lints of models/lints.yaml (lint-ignores.ts); the entries start on line 5.
const ignoring = (entries: string) => yaml`
  name: x
  lint:
    ignore:
      ${entries}
`;

describe('lint.ignore', () => {
  it('TOPO235: an entry naming no lint, with a did-you-mean by id or name', () => {
    const r = loadYaml(ignoring('- { rule: TOPO-L0004, reason: old }'));
    expect(r.at('TOPO235', 4, 15).hint).toBe('did you mean TOPO-L004?');
    const far = loadYaml(ignoring('- { rule: everything, reason: tired }'));
    expect(far.at('TOPO235', 4, 15).hint).toBe('`topo lint --list` shows every lint with its id and name');
  });

  it('reads rule, target and reason, from every included file', () => {
    const r = loadYaml(ignoring('- { rule: compute-public-ip, target: jump, reason: "break-glass VM, see runbook" }'));
    expect(r.diagnostics).toEqual([]);
    const [entry] = r.scenario!.lintIgnores;
    expect([entry.rule.value, entry.target?.value, entry.reason.value]).toEqual(['compute-public-ip', 'jump', 'break-glass VM, see runbook']);
  });
});
