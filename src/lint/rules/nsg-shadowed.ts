/**
 * TOPO-L009: NSG rules that never match, because rules with a lower priority
 * number decide all their packets (F1.2.2), in every subnet the NSG applies
 * to (the VirtualNetwork tag differs per subnet, F1.6.1). With the compact
 * catalog, rules whose addresses the catalog cannot relate to service tags
 * are left out rather than guessed at.
 */
import { DIM } from '../../headerspace/packet.js';
import { PacketSet } from '../../headerspace/packet-set.js';
import type { Network, NsgRule, SubnetModel } from '../../model/types.js';
import { listSome } from '../../net/text.js';
import { nsgUses } from '../nsg-uses.js';
import { shadowOf } from '../shadowing.js';
import type { FindingDraft, LintCheck } from '../types.js';
import { usesVirtualNetworkTag, virtualNetworkIsEverything, writtenNsgRule } from '../written.js';

/** Whether the compact catalog's approximation could change the answer for this rule. */
export function approximate(net: Network, boxes: PacketSet['boxes']): boolean {
  if (net.catalog.exact || net.uncertain.isEmpty) return false;
  const set = PacketSet.ofDisjoint(boxes);
  return set.project(DIM.srcIp).intersects(net.uncertain) || set.project(DIM.dstIp).intersects(net.uncertain);
}

function describe(r: NsgRule): string {
  return `${r.ref.id} (${r.ref.kind === 'nsg-default-rule' ? 'default rule, ' : ''}priority ${r.priority}, ${r.access})`;
}

export const nsgShadowed: LintCheck = {
  id: 'TOPO-L009',
  run({ net }) {
    const out: FindingDraft[] = [];
    for (const use of nsgUses(net).values()) {
      for (const direction of ['Inbound', 'Outbound'] as const) {
        // rule id -> deciders over all contexts; a rule reaches the finding only if shadowed in every context.
        const shadowed = new Map<string, { rule: NsgRule; deciders: Map<string, NsgRule>; widenedIn?: SubnetModel }>();
        const live = new Set<string>();
        for (const subnet of use.contexts) {
          const rules = net.nsgProgram(use.nsg, direction, subnet).rules;
          for (let i = 0; i < rules.length; i++) {
            const rule = rules[i];
            if (rule.ref.kind !== 'nsg-rule' || live.has(rule.ref.id)) continue;
            const shadow = approximate(net, rule.boxes) ? undefined : shadowOf(rules, i);
            if (!shadow || shadow.deciders.some((d) => approximate(net, d.boxes))) {
              live.add(rule.ref.id);
              shadowed.delete(rule.ref.id);
              continue;
            }
            let entry = shadowed.get(rule.ref.id);
            if (!entry) shadowed.set(rule.ref.id, (entry = { rule, deciders: new Map() }));
            for (const d of shadow.deciders) {
              entry.deciders.set(d.ref.id, d);
              const w = writtenNsgRule(net, d.ref.id);
              if (w && usesVirtualNetworkTag(w) && virtualNetworkIsEverything(subnet)) entry.widenedIn ??= subnet;
            }
          }
        }
        for (const { rule, deciders, widenedIn } of shadowed.values()) {
          const list = [...deciders.values()];
          const conflict = list.some((d) => d.access !== rule.access);
          const widened = widenedIn ? `; VirtualNetwork covers every address in ${widenedIn.id}, whose routes send 0.0.0.0/0 to an appliance (F1.6.1)` : '';
          out.push({
            severity: conflict ? 'warning' : 'note',
            target: rule.ref.id,
            message: `${rule.ref.id} (priority ${rule.priority}, ${rule.access} ${direction.toLowerCase()}) never matches: ${listSome(list.map(describe), 3)} decide${list.length === 1 ? 's' : ''} all its traffic first${widened}`,
            loc: rule.ref.loc,
            related: list.slice(0, 5).map((d) => ({ message: `decides the traffic first: ${describe(d)}`, loc: d.ref.loc })),
          });
        }
      }
    }
    return out;
  },
};
