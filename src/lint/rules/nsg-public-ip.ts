/**
 * TOPO-L012: NSG rules written against a public IP of the design, which
 * NSGs never see: inbound they see the private destination after Azure's
 * translation, outbound the private source before it (F1.2.4, §8.23).
 */
import { formatIpv4, parsePrefix, prefixLast } from '../../net/ipv4.js';
import { IntervalSet } from '../../headerspace/interval-set.js';
import { nsgUses } from '../nsg-uses.js';
import type { FindingDraft, LintCheck } from '../types.js';

export const nsgRuleOnPublicIp: LintCheck = {
  id: 'TOPO-L012',
  run({ net }) {
    const own = net.adversary.ownPublic;
    if (own.isEmpty) return [];
    const out: FindingDraft[] = [];
    for (const use of nsgUses(net).values()) {
      for (const rule of net.scenario.networkSecurityGroups.get(use.nsg)?.securityRules ?? []) {
        const inbound = rule.direction.value === 'Inbound';
        for (const prefix of inbound ? rule.destinationAddressPrefixes : rule.sourceAddressPrefixes) {
          const p = parsePrefix(prefix.value.trim());
          if (!p.ok) continue;
          const hit = own.intersect(IntervalSet.of(p.prefix.addr, prefixLast(p.prefix)));
          if (hit.isEmpty) continue;
          out.push({
            target: `${use.nsg}/${rule.name}`,
            key: prefix.value,
            message: `${use.nsg}/${rule.name} names ${prefix.value} as its ${inbound ? 'destination' : 'source'}, a public IP of the design (${formatIpv4(hit.min)}): NSGs see the private ${inbound ? 'destination after Azure translates it' : 'source before Azure translates it'}, so the rule never matches that traffic`,
            loc: prefix.loc,
            related: [{ message: 'the rule', loc: rule.loc }],
          });
        }
      }
    }
    return out;
  },
};
