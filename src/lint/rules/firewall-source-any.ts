/** TOPO-L006: a firewall network or application rule whose sources cover every address. */
import { DIM } from '../../headerspace/packet.js';
import { PacketSet } from '../../headerspace/packet-set.js';
import type { FindingDraft, LintCheck } from '../types.js';
import { byWrittenRule, writtenFirewallRule } from '../written.js';

export const firewallSourceAny: LintCheck = {
  id: 'TOPO-L006',
  run({ net }) {
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const fw of net.firewalls.values()) {
      for (const [id, parts] of byWrittenRule([...fw.network, ...fw.application])) {
        if (seen.has(id) || parts.every((p) => p.action === 'Deny')) continue;
        seen.add(id);
        const sources = PacketSet.ofBoxes(parts.flatMap((p) => p.boxes)).project(DIM.srcIp);
        if (!sources.covers(0, 0xffffffff)) continue;
        const written = writtenFirewallRule(net, id);
        const as = written ? (written.sourceAddresses.length ? written.sourceAddresses.map((a) => a.value).join(', ') : written.sourceIpGroups.map((g) => `IP group ${g.value}`).join(', ')) : '*';
        out.push({
          target: id,
          message: `firewall ${parts[0].kind} rule ${parts[0].ref.label} applies to every source address (${as}), so every network behind ${fw.name} gets the flow`,
          loc: written?.sourceAddresses[0]?.loc ?? parts[0].ref.loc,
          related: [{ message: 'the rule', loc: parts[0].ref.loc }],
        });
      }
    }
    return out;
  },
};
