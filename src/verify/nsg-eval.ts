/** NSG chains over packet sets (F1.4): each NSG by first match; the first deny stops the chain. */
import { firstMatch } from '../headerspace/first-match.js';
import { natFirstMatch, type Nat } from './nat.js';
import { PacketSet } from '../headerspace/packet-set.js';
import type { Network, Nic } from '../model/types.js';
import type { Blocked } from './state.js';

export function outboundNsgs(nic: Nic): string[] {
  return [...(nic.nsg ? [nic.nsg.name] : []), ...(nic.subnet.nsg ? [nic.subnet.nsg.name] : [])];
}

export function inboundNsgs(nic: Nic): string[] {
  return [...(nic.subnet.nsg ? [nic.subnet.nsg.name] : []), ...(nic.nsg ? [nic.nsg.name] : [])];
}

export function nsgChainSet(net: Network, nic: Nic, direction: 'Inbound' | 'Outbound', set: PacketSet, blocked: Blocked[], ignoreSourcePorts = false, nat?: Nat): PacketSet {
  let pass = set;
  for (const nsg of direction === 'Inbound' ? inboundNsgs(nic) : outboundNsgs(nic)) {
    if (pass.isEmpty) break;
    const program = net.nsgProgram(nsg, direction, nic.subnet, ignoreSourcePorts);
    // F1.2.4: NSGs see translated addresses (the private address after a public IP's DNAT).
    const { hits } = natFirstMatch(pass, nat, program.rules);
    let allowed = PacketSet.EMPTY;
    for (const h of hits) {
      if (h.rule.access === 'Allow') allowed = allowed.unionDisjoint(h.packets);
      else blocked.push({ set: h.packets, at: `${nic.label} ${direction.toLowerCase()}`, node: `nic:${nic.id}`, kind: 'nsg', ref: h.rule.ref, reason: `denied by ${h.rule.ref.label}` });
    }
    // First-match carving fragments the allowed part; merging it back keeps later hops cheap.
    pass = allowed.coalesce();
  }
  return pass;
}

/** F1.6.4: only rules written with AzurePlatform* tags decide platform traffic. */
export function platformRules(net: Network, nic: Nic, set: PacketSet, blocked: Blocked[]): PacketSet {
  let pass = set;
  for (const nsg of outboundNsgs(nic)) {
    const program = net.nsgProgram(nsg, 'Outbound', nic.subnet);
    const rules = program.rules.filter((r) => r.platform);
    const { hits } = firstMatch(pass, rules);
    for (const h of hits) {
      if (h.rule.access === 'Deny') {
        blocked.push({ set: h.packets, at: `${nic.label} outbound`, node: `nic:${nic.id}`, kind: 'nsg', ref: h.rule.ref, reason: `${h.rule.ref.label} blocks platform traffic` });
        pass = pass.subtract(h.packets);
      }
    }
  }
  return pass;
}
