/**
 * TOPO-L010: firewall rules that never match, because rules processed before
 * them decide all their packets: DNAT rules among themselves, then network
 * and application rules as one list (a network rule decides before any
 * application rule, F4.2, §8.15). Rules with an undecided part (FQDNs
 * without DNS proxy, Premium URL rules) are left out.
 */
import type { FirewallRule } from '../../model/types.js';
import { listSome } from '../../net/text.js';
import { shadowOf } from '../shadowing.js';
import type { FindingDraft, LintCheck } from '../types.js';
import { approximate } from './nsg-shadowed.js';

function shadowedRules(net: Parameters<typeof approximate>[0], rules: readonly FirewallRule[]): FindingDraft[] {
  const out: FindingDraft[] = [];
  const undecided = new Set(rules.filter((r) => r.action === 'Unknown').map((r) => r.ref.id));
  const verdicts = new Map<string, { rule: FirewallRule; deciders: Map<string, FirewallRule> } | null>();
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (undecided.has(rule.ref.id) || verdicts.get(rule.ref.id) === null) continue;
    const shadow = approximate(net, rule.boxes) ? undefined : shadowOf(rules, i);
    if (!shadow || shadow.deciders.some((d) => undecided.has(d.ref.id) || approximate(net, d.boxes))) {
      verdicts.set(rule.ref.id, null);
      continue;
    }
    let entry = verdicts.get(rule.ref.id);
    if (!entry) verdicts.set(rule.ref.id, (entry = { rule, deciders: new Map() }));
    for (const d of shadow.deciders) if (d.ref.id !== rule.ref.id) entry.deciders.set(d.ref.id, d);
  }
  for (const v of verdicts.values()) {
    if (!v || v.deciders.size === 0) continue;
    const list = [...v.deciders.values()];
    const conflict = list.some((d) => d.action !== v.rule.action);
    out.push({
      severity: conflict ? 'warning' : 'note',
      target: v.rule.ref.id,
      message: `firewall ${v.rule.kind} rule ${v.rule.ref.label} never matches: ${listSome(list.map((d) => `${d.kind} rule ${d.ref.label}`), 3)} decide${list.length === 1 ? 's' : ''} all its traffic first`,
      loc: v.rule.ref.loc,
      related: list.slice(0, 5).map((d) => ({ message: `decides the traffic first: ${d.kind} rule ${d.ref.label}`, loc: d.ref.loc })),
    });
  }
  return out;
}

export const firewallShadowed: LintCheck = {
  id: 'TOPO-L010',
  run({ net }) {
    const out: FindingDraft[] = [];
    const policies = new Set<string>();
    for (const fw of net.firewalls.values()) {
      // Firewalls that share a policy run the same program.
      const key = fw.policy ?? `(no policy) ${fw.name}`;
      if (policies.has(key)) continue;
      policies.add(key);
      out.push(...shadowedRules(net, fw.dnat), ...shadowedRules(net, [...fw.network, ...fw.application]));
    }
    return out;
  },
};
