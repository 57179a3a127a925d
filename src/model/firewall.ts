/**
 * Azure Firewall programs (F4). Rules are processed DNAT, then network,
 * then application, whatever the priorities (F4.2.2); within a type, parent
 * policy groups come first (F4.2.3), then groups by priority, collections
 * by priority, rules in list order (F4.2.4). The first match decides; the
 * infrastructure collection (F4.2.7) and the default deny (F4.2.8) close it.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import { PROTO } from '../headerspace/packet.js';
import type { Box } from '../headerspace/box.js';
import { parsePortSpec } from '../net/ports.js';
import { parsePrefix, RFC1918, SHARED_ADDRESS_SPACE } from '../net/ipv4.js';
import { builtinLoc } from '../scenario/source-loc.js';
import type { FirewallPolicy, FirewallRule as ScenarioRule, RuleCollection, Scenario } from '../scenario/types.js';
import { addressToken } from '../scenario/address-token.js';
import { ALL_ADDRESSES, prefixesSet, type AddressResolver } from './addresses.js';
import type { NameUniverse } from './names.js';
import { ALL_NAMES, ALL_PORTS, ALL_PROTOCOLS, portSet, tupleBoxes } from './nsg.js';
import type { FirewallRule, RuleRef } from './types.js';

export const IANA_PRIVATE = prefixesSet([...RFC1918, SHARED_ADDRESS_SPACE]);

export interface FirewallProgram {
  readonly dnat: FirewallRule[];
  readonly network: FirewallRule[];
  readonly application: FirewallRule[];
  readonly snatExempt: IntervalSet;
  readonly threatIntelMode: string;
  readonly dnsProxy: boolean;
  readonly notes: string[];
}

/** The policy and its ancestors, root first (F4.2.3). */
export function policyChain(s: Scenario, name: string): FirewallPolicy[] {
  const chain: FirewallPolicy[] = [];
  const seen = new Set<string>();
  let cur = s.firewallPolicies.get(name);
  while (cur && !seen.has(cur.name)) {
    seen.add(cur.name);
    chain.unshift(cur);
    cur = cur.basePolicy ? s.firewallPolicies.get(cur.basePolicy.value) : undefined;
  }
  return chain;
}

export function orderedCollections(chain: readonly FirewallPolicy[]): RuleCollection[] {
  const out: RuleCollection[] = [];
  for (const policy of chain) {
    const groups = [...policy.ruleCollectionGroups].sort((a, b) => a.priority.value - b.priority.value);
    for (const g of groups) out.push(...[...g.ruleCollections].sort((a, b) => a.priority.value - b.priority.value));
  }
  return out;
}

export function compileFirewallProgram(s: Scenario, policyName: string | undefined, resolver: AddressResolver, names: NameUniverse): FirewallProgram {
  const chain = policyName ? policyChain(s, policyName) : [];
  const child = chain[chain.length - 1];
  const inherited = <K extends keyof FirewallPolicy>(key: K): FirewallPolicy[K] | undefined => {
    for (let i = chain.length - 1; i >= 0; i--) if (chain[i][key] !== undefined) return chain[i][key];
    return undefined;
  };
  const dnat: FirewallRule[] = [];
  const network: FirewallRule[] = [];
  const application: FirewallRule[] = [];
  const notes: string[] = [];
  const dnsProxy = (inherited('dnsProxy') as { value: boolean } | undefined)?.value ?? false;
  for (const rc of orderedCollections(chain)) {
    for (const r of rc.rules) {
      const ref: RuleRef = { kind: 'firewall-rule', id: `${r.policy}/${r.group}/${r.collection}/${r.name}`, label: `${r.policy}/${r.group}/${r.collection}/${r.name} (${rc.action.value}, collection priority ${rc.priority.value})`, loc: r.loc };
      const src = sources(r, s, resolver);
      if (src === undefined) {
        notes.push(`${ref.id} is skipped: it uses an empty IP group (F4.3.3)`);
        continue;
      }
      if (r.ruleType.value === 'NatRule') dnat.push(...natRule(r, ref, src, s, resolver));
      else if (r.ruleType.value === 'NetworkRule') network.push(...networkRule(r, rc.action.value as 'Allow' | 'Deny', ref, src, s, resolver, names, dnsProxy));
      else application.push(...applicationRule(r, rc.action.value as 'Allow' | 'Deny', ref, src, names));
    }
  }
  const snatRanges = (inherited('snatPrivateRanges') as FirewallPolicy['snatPrivateRanges']) ?? undefined;
  let snatExempt = IANA_PRIVATE;
  if (snatRanges) {
    snatExempt = IntervalSet.EMPTY;
    for (const r of snatRanges) snatExempt = snatExempt.union(r.value === 'IANAPrivateRanges' ? IANA_PRIVATE : resolver.address(r, undefined, true));
  }
  return { dnat, network, application, snatExempt, threatIntelMode: (inherited('threatIntelMode') as { value: string } | undefined)?.value ?? 'Alert', dnsProxy, notes: child ? notes : notes };
}

/** Source addresses and IP groups; undefined when an IP group in use is empty (the rule is skipped, F4.3.3). */
function sources(r: ScenarioRule, s: Scenario, resolver: AddressResolver): IntervalSet | undefined {
  let acc = IntervalSet.EMPTY;
  for (const a of r.sourceAddresses) acc = acc.union(resolver.address(a, undefined, true));
  for (const g of r.sourceIpGroups) {
    const group = s.ipGroups.get(g.value);
    if (!group || group.addresses.length === 0) return undefined;
    for (const a of group.addresses) acc = acc.union(resolver.address(a, undefined, true));
  }
  return acc;
}

function destinationGroups(r: ScenarioRule, s: Scenario, resolver: AddressResolver): IntervalSet | undefined {
  let acc = IntervalSet.EMPTY;
  for (const g of r.destinationIpGroups) {
    const group = s.ipGroups.get(g.value);
    if (!group || group.addresses.length === 0) return undefined;
    for (const a of group.addresses) acc = acc.union(resolver.address(a, undefined, true));
  }
  return acc;
}

/**
 * F4.3.2: protocol Any is every IP protocol, but with explicit destination
 * ports the rule covers TCP and UDP only.
 */
function networkProtocols(r: ScenarioRule, ports: IntervalSet): IntervalSet {
  const anyPorts = ports.equals(ALL_PORTS);
  let acc = IntervalSet.EMPTY;
  for (const p of r.ipProtocols) {
    if (p.value === 'TCP') acc = acc.union(IntervalSet.point(PROTO.TCP));
    else if (p.value === 'UDP') acc = acc.union(IntervalSet.point(PROTO.UDP));
    else if (p.value === 'ICMP') acc = acc.union(IntervalSet.point(PROTO.ICMP));
    else acc = acc.union(anyPorts ? ALL_PROTOCOLS : IntervalSet.fromRanges([[PROTO.TCP, PROTO.TCP], [PROTO.UDP, PROTO.UDP]]));
  }
  return acc;
}

function networkRule(r: ScenarioRule, action: 'Allow' | 'Deny', ref: RuleRef, src: IntervalSet, s: Scenario, resolver: AddressResolver, names: NameUniverse, dnsProxy: boolean): FirewallRule[] {
  const ports = portSet(r.destinationPorts.map((p) => p.value));
  const protocols = networkProtocols(r, ports);
  const groups = destinationGroups(r, s, resolver);
  if (groups === undefined) return [];
  let dst = groups;
  // F4.3.4: tags only as destinations; the pseudo tags are rejected by validation.
  for (const a of r.destinationAddresses) dst = dst.union(resolver.address(a, undefined, true));
  const out: FirewallRule[] = [];
  const boxes: Box[] = tupleBoxes(protocols, src, ALL_PORTS, dst, ports);
  // FQDNs in network rules are resolved by the firewall (F4.3.5): names with
  // known addresses match those addresses; other names match by name.
  let fqdnAddresses = IntervalSet.EMPTY;
  let fqdnNames = IntervalSet.EMPTY;
  for (const f of r.destinationFqdns) {
    const classes = names.matchPattern(f.value);
    for (const [lo, hi] of classes.intervals()) {
      for (let id = lo; id <= hi; id++) {
        const c = names.classes[id];
        if (c.kind === 'own' || c.kind === 'trusted' || c.kind === 'foreign') fqdnAddresses = fqdnAddresses.union(c.ipRegion);
        else fqdnNames = fqdnNames.union(IntervalSet.point(id));
      }
    }
  }
  const fqdnBoxes = [...tupleBoxes(protocols, src, ALL_PORTS, fqdnAddresses, ports), ...tupleBoxes(protocols, src, ALL_PORTS, ALL_ADDRESSES, ports, fqdnNames)];
  if (r.destinationFqdns.length > 0 && !dnsProxy) {
    if (boxes.length > 0) out.push({ kind: 'network', action, ref, boxes });
    out.push({ kind: 'network', action: 'Unknown', ref, boxes: fqdnBoxes, unknownReason: `${ref.id} matches FQDNs, but the policy has no DNS proxy: the firewall and the client may resolve them differently (F4.3.5)` });
    return out;
  }
  out.push({ kind: 'network', action, ref, boxes: [...boxes, ...fqdnBoxes] });
  return out;
}

const APP_DEFAULT_PORTS = { Http: 80, Https: 443, Mssql: 1433 } as const;

function applicationRule(r: ScenarioRule, action: 'Allow' | 'Deny', ref: RuleRef, src: IntervalSet, names: NameUniverse): FirewallRule[] {
  const ports = IntervalSet.fromRanges(r.protocols.map((p) => {
    const port = p.value.port ?? APP_DEFAULT_PORTS[p.value.protocolType];
    return [port, port] as [number, number];
  }));
  let classes = IntervalSet.EMPTY;
  for (const f of r.targetFqdns) classes = classes.union(names.matchPattern(f.value));
  for (const t of r.fqdnTags) classes = classes.union(names.fqdnTagClasses(t.value));
  const tcp = IntervalSet.point(PROTO.TCP);
  const out: FirewallRule[] = [];
  // F4.4.6: application rules match the name the client connects to (Host header or SNI).
  const boxes = tupleBoxes(tcp, src, ALL_PORTS, ALL_ADDRESSES, ports, classes);
  if (boxes.length > 0) out.push({ kind: 'application', action, ref, boxes });
  if (r.targetUrls.length > 0 || r.webCategories.length > 0) {
    out.push({
      kind: 'application',
      action: 'Unknown',
      ref,
      boxes: tupleBoxes(tcp, src, ALL_PORTS, ALL_ADDRESSES, ports, ALL_NAMES),
      unknownReason: `${ref.id} uses ${r.targetUrls.length > 0 ? 'target URLs' : 'web categories'} (Azure Firewall Premium), which topo does not model`,
    });
  }
  return out;
}

function natRule(r: ScenarioRule, ref: RuleRef, src: IntervalSet, s: Scenario, resolver: AddressResolver): FirewallRule[] {
  const ports = portSet(r.destinationPorts.map((p) => p.value));
  const protocols = networkProtocols(r, ports);
  let dst = IntervalSet.EMPTY;
  for (const a of r.destinationAddresses) dst = dst.union(resolver.address(a, undefined, false));
  const boxes = tupleBoxes(protocols, src, ALL_PORTS, dst, ports);
  if (r.translatedFqdn || !r.translatedAddress) {
    return [{ kind: 'dnat', action: 'Unknown', ref, boxes, unknownReason: `${ref.id} translates to an FQDN (${r.translatedFqdn?.value ?? '?'}), which topo cannot resolve` }];
  }
  const t = addressToken(r.translatedAddress.value, false);
  const addr = t.kind === 'prefix' ? t.prefix.addr : undefined;
  if (addr === undefined) return [];
  const portSpec = r.translatedPort ? parsePortSpec(r.translatedPort.value) : undefined;
  return [{ kind: 'dnat', action: 'Dnat', ref, boxes, translate: { addr, port: portSpec && portSpec.ok ? portSpec.lo : undefined } }];
}

export function infrastructureRule(names: NameUniverse): FirewallRule {
  return {
    kind: 'application',
    action: 'Allow',
    ref: { kind: 'firewall-infrastructure', id: 'infrastructure', label: 'Azure Firewall built-in infrastructure rule collection', loc: builtinLoc('firewall-infrastructure') },
    boxes: tupleBoxes(IntervalSet.point(PROTO.TCP), ALL_ADDRESSES, ALL_PORTS, ALL_ADDRESSES, IntervalSet.fromRanges([[80, 80], [443, 443]]), IntervalSet.point(names.infrastructure)),
  };
}

export function parseIp(text: string): number | undefined {
  const p = parsePrefix(text);
  return p.ok && p.prefix.len === 32 ? p.prefix.addr : undefined;
}
