/** Checks of firewall policies and firewalls (F4.1–F4.4, F4.9). */
import { fqdnTagNames } from '../../catalog/resource-types.js';
import { notAllowedInFirewall } from '../../catalog/pseudo-tags.js';
import { prefixHas, isAzureReserved, parsePrefix } from '../../net/ipv4.js';
import { didYouMean } from '../../net/text.js';
import { addressToken } from '../address-token.js';
import type { SourceLoc } from '../source-loc.js';
import type { FirewallRule, RuleCollection } from '../types.js';
import type { CheckContext } from './context.js';

/** F4.4.3: a wildcard only on the left; `*.contoso.*` and `www.contoso.*` are invalid. */
export function fqdnProblem(fqdn: string): string | undefined {
  const f = fqdn.trim();
  if (f === '*') return undefined;
  if (f.length === 0 || f.length > 253) return 'is not a host name';
  if (f.indexOf('*', 1) >= 0) return 'has a wildcard that is not at the far left (Azure Firewall accepts *.contoso.com or *contoso.com only)';
  const body = f.startsWith('*.') ? f.slice(2) : f.startsWith('*') ? f.slice(1) : f;
  if (!/^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?)*\.?$/.test(body)) return 'is not a host name';
  return undefined;
}

export function checkFirewallPolicies(c: CheckContext): void {
  for (const policy of c.s.firewallPolicies.values()) {
    const where = `firewall policy '${policy.name}'`;
    if (policy.basePolicy && c.ref(policy.basePolicy, c.s.firewallPolicies, 'firewall policy', `basePolicy of ${where}`)) {
      const chain = new Set<string>([policy.name]);
      let cur = c.s.firewallPolicies.get(policy.basePolicy.value);
      while (cur) {
        if (chain.has(cur.name)) {
          // Each member of the cycle reports it at its own basePolicy; policies that merely lead into it do not.
          if (cur.name === policy.name) c.report('TOPO232', `${where} inherits from itself through basePolicy (${[...chain, cur.name].join(' -> ')})`, policy.basePolicy.loc, { hint: 'a policy chain must end in a policy without basePolicy' });
          break;
        }
        chain.add(cur.name);
        cur = cur.basePolicy ? c.s.firewallPolicies.get(cur.basePolicy.value) : undefined;
      }
    }
    for (const r of policy.snatPrivateRanges ?? []) {
      if (r.value.trim().toLowerCase() === 'ianaprivateranges') continue;
      // F4.5.2: addresses, prefixes or the IANAPrivateRanges keyword; a service tag means nothing here.
      if (addressToken(r.value, true).kind === 'tag') c.report('TOPO200', `SNAT private range '${r.value}' of ${where} is not an address, CIDR prefix or range`, r.loc, { hint: 'write prefixes, or IANAPrivateRanges for the defaults (F4.5.2)' });
      else c.address(r, `SNAT private range of ${where}`, { ranges: true });
    }
    c.uniqueNames(policy.ruleCollectionGroups.map((g) => ({ name: g.name, loc: g.loc })), 'rule collection group', where);
    for (const group of policy.ruleCollectionGroups) {
      c.uniqueNames(group.ruleCollections.map((rc) => ({ name: rc.name, loc: rc.loc })), 'rule collection', `group '${group.name}' of ${where}`);
      for (const rc of group.ruleCollections) checkCollection(c, rc, policy.dnsProxy?.value ?? false);
    }
  }
}

function checkCollection(c: CheckContext, rc: RuleCollection, dnsProxy: boolean): void {
  const where = `rule collection '${rc.name}' (group '${rc.group}', policy '${rc.policy}')`;
  const nat = rc.ruleCollectionType.value === 'FirewallPolicyNatRuleCollection';
  if (nat && rc.action.value !== 'Dnat') c.report('TOPO219', `${where} is a NAT collection; its action must be Dnat`, rc.action.loc);
  if (!nat && rc.action.value === 'Dnat') c.report('TOPO219', `${where} is a filter collection; its action must be Allow or Deny`, rc.action.loc);
  c.uniqueNames(rc.rules.map((r) => ({ name: r.name, loc: r.loc })), 'rule', where);
  const types = new Set(rc.rules.map((r) => r.ruleType.value));
  if (types.size > 1) c.report('TOPO219', `${where} mixes ${[...types].join(' and ')}s; a collection holds rules of one type (F4.1.2)`, rc.loc);
  for (const rule of rc.rules) {
    const t = rule.ruleType.value;
    if (nat !== (t === 'NatRule')) {
      c.report('TOPO219', `${t} '${rule.name}' cannot sit in ${nat ? 'a NAT' : 'a filter'} collection`, rule.ruleType.loc);
      continue;
    }
    checkFirewallRule(c, rule, dnsProxy);
  }
}

const FIELDS: Record<FirewallRule['ruleType']['value'], readonly (keyof FirewallRule)[]> = {
  NetworkRule: ['ipProtocols', 'sourceAddresses', 'sourceIpGroups', 'destinationAddresses', 'destinationIpGroups', 'destinationFqdns', 'destinationPorts'],
  ApplicationRule: ['sourceAddresses', 'sourceIpGroups', 'protocols', 'targetFqdns', 'fqdnTags', 'targetUrls', 'webCategories', 'terminateTLS'],
  NatRule: ['ipProtocols', 'sourceAddresses', 'sourceIpGroups', 'destinationAddresses', 'destinationPorts', 'translatedAddress', 'translatedFqdn', 'translatedPort'],
};
const OPTIONAL_FIELDS: readonly (keyof FirewallRule)[] = ['ipProtocols', 'sourceAddresses', 'sourceIpGroups', 'destinationAddresses', 'destinationIpGroups', 'destinationFqdns', 'destinationPorts', 'protocols', 'targetFqdns', 'fqdnTags', 'targetUrls', 'webCategories', 'terminateTLS', 'translatedAddress', 'translatedFqdn', 'translatedPort'];

function checkFirewallRule(c: CheckContext, rule: FirewallRule, dnsProxy: boolean): void {
  const t = rule.ruleType.value;
  const where = `${t} '${rule.name}' (collection '${rule.collection}')`;
  for (const field of OPTIONAL_FIELDS) {
    const v: unknown = rule[field];
    const at = ((Array.isArray(v) ? v[0] : v) as { loc: SourceLoc } | undefined)?.loc;
    // Point at the value the user should remove, not at the whole rule.
    if (at && !FIELDS[t].includes(field)) c.report('TOPO219', `${where} sets '${field}', which ${t === 'ApplicationRule' ? 'an' : 'a'} ${t} does not take`, at);
  }
  if (rule.sourceAddresses.length === 0 && rule.sourceIpGroups.length === 0) {
    c.report('TOPO101', `${where} has no source`, rule.loc, { hint: 'set sourceAddresses (e.g. ["10.1.0.0/16"] or ["*"]) or sourceIpGroups' });
  }
  for (const a of rule.sourceAddresses) {
    const tok = c.address(a, `source of ${where}`, { ranges: true });
    if (tok.kind === 'tag' && c.knownTag(tok.name)) c.report('TOPO217', `${where} uses the service tag '${a.value}' as a source; Azure Firewall takes tags only as destinations (F4.3.4)`, a.loc);
  }
  for (const g of [...rule.sourceIpGroups, ...rule.destinationIpGroups]) c.ref(g, c.s.ipGroups, 'IP group', where);
  if (t === 'NetworkRule') {
    if (rule.ipProtocols.length === 0) c.report('TOPO101', `${where} has no ipProtocols`, rule.loc, { hint: 'e.g. ipProtocols: [TCP]' });
    if (rule.destinationAddresses.length + rule.destinationIpGroups.length + rule.destinationFqdns.length === 0) c.report('TOPO101', `${where} has no destination`, rule.loc);
    if (rule.destinationPorts.length === 0) c.report('TOPO101', `${where} has no destinationPorts`, rule.loc, { hint: 'write ["*"] for any port' });
    for (const a of rule.destinationAddresses) {
      const tok = c.address(a, `destination of ${where}`, { ranges: true });
      if (tok.kind === 'tag' && notAllowedInFirewall(tok.name)) c.report('TOPO217', `${where} uses '${a.value}', which Azure Firewall does not accept (F7.1: VirtualNetwork, Internet and AzureLoadBalancer are NSG-only)`, a.loc, { hint: 'write the prefixes, or "*"' });
    }
    for (const f of rule.destinationFqdns) {
      const problem = fqdnProblem(f.value);
      if (problem) c.report('TOPO218', `destination FQDN '${f.value}' of ${where} ${problem}`, f.loc);
    }
    for (const p of rule.destinationPorts) c.port(p, `destination port of ${where}`);
  } else if (t === 'ApplicationRule') {
    if (rule.protocols.length === 0) c.report('TOPO101', `${where} has no protocols`, rule.loc, { hint: 'e.g. protocols: [{ protocolType: Https, port: 443 }]' });
    if (rule.targetFqdns.length + rule.fqdnTags.length + rule.targetUrls.length + rule.webCategories.length === 0) c.report('TOPO101', `${where} has no targetFqdns or fqdnTags`, rule.loc);
    for (const f of rule.targetFqdns) {
      const problem = fqdnProblem(f.value);
      if (problem) c.report('TOPO218', `target FQDN '${f.value}' of ${where} ${problem}`, f.loc);
    }
    const known = fqdnTagNames();
    for (const tag of rule.fqdnTags) {
      if (!known.some((k) => k.toLowerCase() === tag.value.toLowerCase())) {
        const guess = didYouMean(tag.value, known);
        c.report('TOPO205', `${where} uses FQDN tag '${tag.value}', which Azure Firewall does not have`, tag.loc, { hint: guess ? `did you mean '${guess}'?` : `known: ${known.slice(0, 6).join(', ')}, ...` });
      }
    }
    if (rule.fqdnTags.length > 0 && rule.protocols.some((p) => p.value.protocolType !== 'Https')) {
      c.report('TOPO219', `${where} uses FQDN tags, which require the https protocol only (F4.4.4)`, rule.protocols[0].loc);
    }
  } else {
    if (rule.destinationAddresses.length !== 1) c.report('TOPO219', `${where} needs exactly one destination address: the firewall public IP it translates`, rule.loc);
    for (const a of rule.destinationAddresses) c.prefix(a, `destination of ${where}`);
    if (rule.destinationPorts.length === 0) c.report('TOPO101', `${where} has no destinationPorts`, rule.loc);
    for (const p of rule.destinationPorts) c.port(p, `destination port of ${where}`);
    if (!rule.translatedAddress && !rule.translatedFqdn) c.report('TOPO101', `${where} has no translatedAddress`, rule.loc);
    if (rule.translatedAddress) c.prefix(rule.translatedAddress, `translated address of ${where}`);
    if (rule.translatedPort) c.port(rule.translatedPort, `translated port of ${where}`);
    if (rule.ipProtocols.length === 0) c.report('TOPO101', `${where} has no ipProtocols`, rule.loc);
  }
  if (rule.destinationFqdns.length > 0 && !dnsProxy) {
    // F4.3.5: legal, but unreliable without the proxy; the model reports it as unknown.
  }
}

export function checkFirewalls(c: CheckContext): void {
  for (const fw of c.s.firewalls.values()) {
    const where = `firewall '${fw.name}'`;
    c.ref(fw.firewallPolicy, c.s.firewallPolicies, 'firewall policy', where);
    for (const ip of fw.publicIpAddresses) c.prefix(ip, `public IP of ${where}`);
    if (!c.ref(fw.vnet, c.s.vnets, 'VNet', where)) continue;
    const subnet = c.s.vnets.get(fw.vnet.value)!.subnets.get('AzureFirewallSubnet');
    if (!subnet) {
      c.report('TOPO215', `${where} lives in VNet '${fw.vnet.value}', which has no AzureFirewallSubnet`, fw.vnet.loc, { hint: `add AzureFirewallSubnet (a /26) to vnets.${fw.vnet.value}.subnets (F4.9.1)` });
      continue;
    }
    const ip = c.prefix(fw.privateIpAddress, `private IP of ${where}`);
    if (!ip) continue;
    const prefixes = subnet.addressPrefixes.map((p) => parsePrefix(p.value)).filter((p) => p.ok).map((p) => (p.ok ? p.prefix : undefined)!);
    const home = prefixes.find((p) => prefixHas(p, ip.addr));
    if (!home) c.report('TOPO210', `private IP ${fw.privateIpAddress.value} of ${where} is not inside its AzureFirewallSubnet (${subnet.addressPrefixes.map((p) => p.value).join(', ')})`, fw.privateIpAddress.loc);
    else if (isAzureReserved(home, ip.addr)) c.report('TOPO211', `private IP ${fw.privateIpAddress.value} of ${where} is one of the five addresses Azure reserves in the subnet`, fw.privateIpAddress.loc, { hint: 'Azure Firewall takes the first free address, usually .4' });
  }
}
