/**
 * Azure Firewall programs (F4.2): the processing order of the rule-processing.md
 * example (FW-3) as orderedCollections and the compiled program give it.
 */
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/helpers/semantics.js';
import { orderedCollections, policyChain } from './firewall.js';
import type { FirewallRule } from './types.js';

const F = 'firewall-fw3-inheritance.yaml';
const EXPECTED = ['DNATRC1', 'DNATRC3', 'ChDNATRC3', 'NetworkRC1', 'NetworkRC2', 'ChNetRC1', 'ChNetRC2', 'AppRC2', 'ChAppRC1', 'ChAppRC2'];

/** Collection names in rule order, each once. */
function collections(rules: readonly FirewallRule[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    const name = r.ref.id.split('/')[2];
    if (out[out.length - 1] !== name) out.push(name);
  }
  return out;
}

describe('§4.2 FW-3: policy ordering example (rule-processing.md 2023)', () => {
  it('F4.2.3, F4.2.4: orderedCollections walks the parent policy first, then groups and collections by ascending priority', () => {
    const s = fixture(F).network.scenario;
    const chain = policyChain(s, 'policy');
    expect(chain.map((p) => p.name)).toEqual(['base', 'policy']);
    expect(orderedCollections(chain).map((rc) => rc.name)).toEqual(['DNATRC1', 'DNATRC3', 'NetworkRC1', 'AppRC2', 'NetworkRC2', 'ChNetRC1', 'ChAppRC1', 'ChNetRC2', 'ChAppRC2', 'ChDNATRC3']);
  });

  it('F4.2.2, §8.15: the compiled firewall processes DNAT, then network, then application collections, each in that order', () => {
    const fw = fixture(F).network.firewalls.get('fw')!;
    expect(collections([...fw.dnat, ...fw.network, ...fw.application])).toEqual(EXPECTED);
    expect(collections(fw.dnat)).toEqual(['DNATRC1', 'DNATRC3', 'ChDNATRC3']);
    expect(collections(fw.network)).toEqual(['NetworkRC1', 'NetworkRC2', 'ChNetRC1', 'ChNetRC2']);
    expect(collections(fw.application)).toEqual(['AppRC2', 'ChAppRC1', 'ChAppRC2']);
  });

  it('F4.1.2 [CONFLICT, 2023 text]: one rule collection group may hold NAT and filter collections', () => {
    const f = fixture(F);
    expect(f.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const group = f.network.scenario.firewallPolicies.get('base')!.ruleCollectionGroups.find((g) => g.name === 'BaseRCG1')!;
    expect(new Set(group.ruleCollections.map((rc) => rc.ruleCollectionType.value))).toEqual(new Set(['FirewallPolicyNatRuleCollection', 'FirewallPolicyFilterRuleCollection']));
  });

  it('F4.2.7, F4.2.8: the infrastructure collection and the default deny close every program', () => {
    const fw = fixture(F).network.firewalls.get('fw')!;
    expect(fw.infrastructure.ref.kind).toBe('firewall-infrastructure');
    expect(fw.defaultDeny).toMatchObject({ kind: 'firewall-default', id: 'fw/default-deny' });
  });
});
