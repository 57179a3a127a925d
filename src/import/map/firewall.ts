/**
 * Azure Firewalls. A firewall with classic rule collections (no policy) gets
 * a policy of its own, `<firewall>-classic`, holding them in one rule
 * collection group: Azure processes classic NAT, then network, then
 * application collections by priority, which is exactly how the format
 * processes one group's collections. A firewall in a Virtual WAN hub has no
 * subnet of its own and is not imported.
 */
import { props } from '../inputs/normalise.js';
import { idParts, type ArmResource } from '../resource.js';
import { isObject, type Value } from '../template/values.js';
import { T } from '../types.js';
import type { InterfaceSlot } from './addresses.js';
import { atOf, type MapContext } from './context.js';
import { comment, type DraftObject, type Named } from './draft.js';
import { mapFirewallRule, type RuleKind } from './firewall-rules.js';
import { dynamicAddress } from './hosts.js';
import type { NameCandidate } from './names.js';
import { publicAddressOf } from './public-ip.js';

const CLASSIC: readonly { key: string; type: string; kind: RuleKind }[] = [
  { key: 'natRuleCollections', type: 'FirewallPolicyNatRuleCollection', kind: 'NatRule' },
  { key: 'networkRuleCollections', type: 'FirewallPolicyFilterRuleCollection', kind: 'NetworkRule' },
  { key: 'applicationRuleCollections', type: 'FirewallPolicyFilterRuleCollection', kind: 'ApplicationRule' },
];

function configs(fw: ArmResource): { [key: string]: Value }[] {
  return (Array.isArray(fw.properties.ipConfigurations) ? fw.properties.ipConfigurations : []).filter(isObject).map((c) => props(c));
}

function subnetIdOf(c: { [key: string]: Value }): string | undefined {
  const s = c.subnet;
  const id = isObject(s) ? s.id : undefined;
  return typeof id === 'string' ? id : undefined;
}

function hasClassicRules(fw: ArmResource): boolean {
  return CLASSIC.some((c) => Array.isArray(fw.properties[c.key]) && (fw.properties[c.key] as Value[]).length > 0);
}

/** Firewalls that live in a VNet (the format's firewalls). */
export function vnetFirewalls(ctx: MapContext): ArmResource[] {
  return ctx.of(T.firewall).filter((fw) => {
    if (configs(fw).some((c) => subnetIdOf(c))) return true;
    ctx.issues.warning(`Azure Firewall '${fw.name}' has no AzureFirewallSubnet (a Virtual WAN hub firewall?); it is not imported`, atOf(fw));
    return false;
  });
}

export function firewallSlots(firewalls: readonly ArmResource[]): InterfaceSlot[] {
  return firewalls.flatMap((fw) => {
    const cs = configs(fw);
    const at = cs.findIndex((c) => subnetIdOf(c));
    if (at < 0) return [];
    const ip = cs[at].privateIPAddress;
    return [{ owner: fw.id, index: at, subnetId: subnetIdOf(cs[at])!, address: typeof ip === 'string' && ip !== '' ? ip : undefined }];
  });
}

/** Names of the policies made from classic rules. */
export function classicPolicyCandidates(firewalls: readonly ArmResource[]): NameCandidate[] {
  return firewalls.filter((fw) => hasClassicRules(fw) && !fw.properties.firewallPolicy).map((fw) => ({ id: `${fw.id}#classic`, name: `${fw.name}-classic`, resourceGroup: fw.resourceGroup ?? idParts(fw.id).resourceGroup }));
}

export function mapFirewalls(ctx: MapContext, firewalls: readonly ArmResource[]): { firewalls: Named[]; classicPolicies: Named[] } {
  const out: Named[] = [];
  const policies: Named[] = [];
  for (const fw of firewalls) {
    const o: DraftObject = {};
    comment(o, ctx.origin(fw, 'firewalls'));
    const cs = configs(fw);
    const at = cs.findIndex((c) => subnetIdOf(c));
    const subnet = ctx.subnetRef(cs[at].subnet, o, `subnet of firewall ${fw.name}`, fw);
    o.vnet = typeof subnet === 'string' ? subnet.split('/')[0] : subnet;
    const a = ctx.addresses.privateIp(fw.id, at);
    if (a.ip) {
      o.privateIpAddress = a.ip;
      if (a.standIn) {
        ctx.standIns++;
        comment(o, `privateIpAddress: ${a.ip} is a stand-in for the address Azure gives the firewall at deploy time (the first free address of AzureFirewallSubnet)`);
      }
    } else o.privateIpAddress = ctx.unknown(dynamicAddress(a.why), o, `private IP of firewall ${fw.name}`);
    const pips = cs.map((c) => publicAddressOf(ctx, c.publicIPAddress, o, `public IP of firewall ${fw.name}`)).filter((x) => x !== undefined).map((x) => x!.ip);
    if (pips.length > 0) o.publicIpAddresses = pips;
    const classic = hasClassicRules(fw);
    if (fw.properties.firewallPolicy) {
      const policy = ctx.ref('firewallPolicies', fw.properties.firewallPolicy, o, 'firewallPolicy', fw);
      if (policy !== undefined) o.firewallPolicy = policy;
      if (classic) ctx.issues.warning(`firewall '${fw.name}' has both a policy and classic rules; Azure applies the policy, so the classic rules are not imported`, atOf(fw));
    } else if (classic) {
      const key = ctx.names.key('firewallPolicies', `${fw.id}#classic`)!;
      o.firewallPolicy = key;
      policies.push({ key, value: classicPolicy(ctx, fw) });
    }
    if (isObject(fw.properties.managementIpConfiguration)) {
      o.forcedTunneling = true;
      comment(o, 'forced tunneling: the firewall has a management IP configuration (AzureFirewallManagementSubnet)');
    }
    out.push({ key: ctx.names.key('firewalls', fw.id)!, value: o });
  }
  return { firewalls: out, classicPolicies: policies };
}

function classicPolicy(ctx: MapContext, fw: ArmResource): DraftObject {
  const o: DraftObject = {};
  comment(o, `the classic rule collections of firewall ${fw.name}, as one policy (${ctx.origin(fw)})`);
  const ti = ctx.text(fw.properties.threatIntelMode, o, `threatIntelMode of firewall ${fw.name}`);
  if (ti !== undefined) o.threatIntelMode = ti;
  const extra = isObject(fw.properties.additionalProperties) ? fw.properties.additionalProperties : {};
  const proxy = ctx.bool(extra['Network.DNS.EnableProxy'], o, `DNS proxy of firewall ${fw.name}`);
  if (proxy !== undefined) o.dnsProxy = proxy;
  const collections: DraftObject[] = [];
  const used = new Set<string>();
  for (const c of CLASSIC) {
    for (const raw of Array.isArray(fw.properties[c.key]) ? (fw.properties[c.key] as Value[]) : []) {
      if (!isObject(raw)) continue;
      const p = props(raw);
      const given = typeof raw.name === 'string' ? raw.name : c.key;
      // Classic NAT, network and application collections may share a name; one policy group may not.
      const name = used.has(given.toLowerCase()) ? `${given}-${c.kind.replace('Rule', '').toLowerCase()}` : given;
      used.add(name.toLowerCase());
      const co: DraftObject = { name };
      if (name !== given) comment(co, `classic collection '${given}' (renamed: another classic collection has that name)`);
      const prio = ctx.int(p.priority, co, `priority of rule collection ${name}`);
      if (prio !== undefined) co.priority = prio;
      co.ruleCollectionType = c.type;
      const action = ctx.text(isObject(p.action) ? p.action.type : p.action, co, `action of rule collection ${name}`);
      if (action !== undefined) co.action = typeof action === 'string' && /^dnat$/i.test(action) ? 'Dnat' : action;
      const rules = (Array.isArray(p.rules) ? p.rules : []).map((r) => mapFirewallRule(ctx, r, c.kind, fw, true)).filter((x): x is DraftObject => x !== undefined);
      if (rules.length > 0) co.rules = rules;
      collections.push(co);
    }
  }
  collections.sort((a, b) => (typeof a.priority === 'number' && typeof b.priority === 'number' ? a.priority - b.priority : 0));
  o.ruleCollectionGroups = [{ name: 'classic', priority: 100, ruleCollections: collections }];
  return o;
}
