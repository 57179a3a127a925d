/** The rules as the user wrote them, for messages: compiled rules keep only their ids. */
import type { FirewallRule as CompiledFirewallRule, Network, SubnetModel } from '../model/types.js';
import type { FirewallRule, SecurityRule } from '../scenario/types.js';

export function writtenNsgRule(net: Network, id: string): SecurityRule | undefined {
  const slash = id.indexOf('/');
  const nsg = net.scenario.networkSecurityGroups.get(id.slice(0, slash));
  return nsg?.securityRules.find((r) => r.name === id.slice(slash + 1));
}

export function writtenFirewallRule(net: Network, id: string): FirewallRule | undefined {
  const [policy, group, collection, name] = id.split('/');
  const g = net.scenario.firewallPolicies.get(policy)?.ruleCollectionGroups.find((x) => x.name === group);
  return g?.ruleCollections.find((c) => c.name === collection)?.rules.find((r) => r.name === name);
}

/** `VirtualNetwork, 10.0.0.0/8` or the ASGs, as written on one side of an NSG rule. */
export function nsgSide(r: SecurityRule, side: 'source' | 'destination'): string {
  const asgs = side === 'source' ? r.sourceApplicationSecurityGroups : r.destinationApplicationSecurityGroups;
  const prefixes = side === 'source' ? r.sourceAddressPrefixes : r.destinationAddressPrefixes;
  const list = asgs.length ? asgs.map((a) => `ASG ${a.value}`) : prefixes.map((p) => p.value);
  return list.join(', ') || '*';
}

export function usesVirtualNetworkTag(r: SecurityRule): boolean {
  return [...r.sourceAddressPrefixes, ...r.destinationAddressPrefixes].some((p) => p.value.trim().toLowerCase() === 'virtualnetwork');
}

/** F1.6.1: with a 0.0.0.0/0 route the VirtualNetwork tag of a subnet covers every address. */
export function virtualNetworkIsEverything(s: SubnetModel): boolean {
  return s.virtualNetworkTag.covers(0, 0xffffffff);
}

/** One compiled firewall rule per written rule (a rule can compile into a decided and an undecided part). */
export function byWrittenRule(rules: readonly CompiledFirewallRule[]): Map<string, CompiledFirewallRule[]> {
  const out = new Map<string, CompiledFirewallRule[]>();
  for (const r of rules) {
    const list = out.get(r.ref.id);
    if (list) list.push(r);
    else out.set(r.ref.id, [r]);
  }
  return out;
}
