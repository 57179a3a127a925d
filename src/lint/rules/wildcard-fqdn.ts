/**
 * TOPO-L013: firewall rules whose wildcard FQDNs match names the design does
 * not own, where a foreign tenant or anyone can receive data
 * (`*.blob.core.windows.net`): read from the compiled name classes the rule
 * matches (F4.4, §8.16), so `*.mydata.blob.core.windows.net`-style patterns that
 * match only the design's own names are not reported.
 */
import { DIM } from '../../headerspace/packet.js';
import { PacketSet } from '../../headerspace/packet-set.js';
import { listSome } from '../../net/text.js';
import type { FindingDraft, LintCheck } from '../types.js';
import { byWrittenRule, writtenFirewallRule } from '../written.js';

export const wildcardFqdn: LintCheck = {
  id: 'TOPO-L013',
  run({ net }) {
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const fw of net.firewalls.values()) {
      for (const [id, parts] of byWrittenRule([...fw.network, ...fw.application])) {
        if (seen.has(id)) continue;
        seen.add(id);
        const allow = parts.filter((p) => p.action === 'Allow');
        if (allow.length === 0) continue;
        const written = writtenFirewallRule(net, id);
        const patterns = [...(written?.targetFqdns ?? []), ...(written?.destinationFqdns ?? [])].filter((f) => f.value.includes('*'));
        if (patterns.length === 0) continue;
        const names = PacketSet.ofBoxes(allow.flatMap((p) => p.boxes)).project(DIM.dstName);
        const foreign = net.names.filter((c) => names.has(c.id) && c.adversarial && (c.kind === 'foreign' || c.kind === 'suffix' || c.kind === 'other')).sort((a, b) => Number(b.kind === 'other') - Number(a.kind === 'other') || a.label.length - b.label.length);
        if (foreign.length === 0) continue;
        out.push({
          target: id,
          message: `firewall ${parts[0].kind} rule ${parts[0].ref.label} allows ${patterns.map((p) => p.value).join(', ')}, which also ${patterns.length === 1 ? 'matches' : 'match'} ${listSome(foreign.map((c) => c.label), 3)}: anyone who owns such a name receives what is sent there`,
          loc: patterns[0].loc,
          related: [{ message: 'the rule', loc: parts[0].ref.loc }],
        });
      }
    }
    return out;
  },
};
