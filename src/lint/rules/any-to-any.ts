/**
 * TOPO-L005: an allow rule that matches every source and destination on
 * every port, read from the compiled rule (so a VirtualNetwork prefix that a
 * 0.0.0.0/0 route widens to everything counts, F1.6.1).
 */
import { IntervalSet } from '../../headerspace/interval-set.js';
import { PacketSet } from '../../headerspace/packet-set.js';
import { PROTO } from '../../headerspace/packet.js';
import { ALL_ADDRESSES } from '../../model/addresses.js';
import { ALL_NAMES, ALL_PORTS } from '../../model/nsg.js';
import type { MatchRule } from '../../headerspace/first-match.js';
import { nsgUses } from '../nsg-uses.js';
import type { FindingDraft, LintCheck } from '../types.js';
import { nsgSide, usesVirtualNetworkTag, virtualNetworkIsEverything, writtenNsgRule } from '../written.js';

const EVERYTHING = { Tcp: PROTO.TCP, Udp: PROTO.UDP } as const;

/** The protocols (of TCP and UDP) for which the rule matches every address pair and port. */
export function anyToAnyProtocols(rule: MatchRule): string[] {
  const set = PacketSet.ofBoxes(rule.boxes);
  return Object.entries(EVERYTHING)
    .filter(([, p]) => PacketSet.ofBox([IntervalSet.point(p), ALL_ADDRESSES, ALL_PORTS, ALL_ADDRESSES, ALL_PORTS, ALL_NAMES]).subsetOf(set))
    .map(([name]) => name);
}

export const anyToAny: LintCheck = {
  id: 'TOPO-L005',
  run({ net }) {
    const out: FindingDraft[] = [];
    for (const use of nsgUses(net).values()) {
      for (const direction of ['Inbound', 'Outbound'] as const) {
        const reported = new Set<string>();
        for (const subnet of use.contexts) {
          for (const rule of net.nsgProgram(use.nsg, direction, subnet).rules) {
            if (rule.ref.kind !== 'nsg-rule' || rule.access !== 'Allow' || reported.has(rule.ref.id)) continue;
            const protocols = anyToAnyProtocols(rule);
            if (protocols.length === 0) continue;
            reported.add(rule.ref.id);
            const written = writtenNsgRule(net, rule.ref.id);
            const as = written ? ` (written ${nsgSide(written, 'source')} -> ${nsgSide(written, 'destination')})` : '';
            const widened = written && usesVirtualNetworkTag(written) && virtualNetworkIsEverything(subnet) ? `; VirtualNetwork covers every address in ${subnet.id}, whose routes send 0.0.0.0/0 to an appliance (F1.6.1)` : '';
            out.push({
              severity: direction === 'Inbound' ? 'error' : 'warning',
              target: rule.ref.id,
              message: `${rule.ref.label} allows ${direction.toLowerCase()} ${protocols.join(' and ')} from any address to any address on every port${as}${widened}`,
              loc: rule.ref.loc,
            });
          }
        }
      }
    }
    const seen = new Set<string>();
    for (const fw of net.firewalls.values()) {
      for (const rule of fw.network) {
        if (rule.action !== 'Allow' || seen.has(rule.ref.id)) continue;
        const protocols = anyToAnyProtocols(rule);
        if (protocols.length === 0) continue;
        seen.add(rule.ref.id);
        out.push({ target: rule.ref.id, message: `firewall network rule ${rule.ref.label} allows ${protocols.join(' and ')} from any address to any address on every port`, loc: rule.ref.loc });
      }
    }
    return out;
  },
};
