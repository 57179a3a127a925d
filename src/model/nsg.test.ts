/**
 * NSG programs (F1.1-F1.3, F1.6.1, F1.7): rule order, the six default rules and
 * the per-subnet VirtualNetwork tag.
 */
import { describe, expect, it } from 'vitest';
import { boxContains } from '../headerspace/box.js';
import { PROTO } from '../headerspace/packet.js';
import { fixture, ip } from '../../test/helpers/semantics.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import { generatedNetwork } from '../../test/helpers/generated.js';

describe('F1.3 default rules and F1.2.2 order', () => {
  it('F1.3: every NSG ends with the three default rules of the direction, by their Azure names and priorities', () => {
    const n = fixture('nsg-filtering-defaults.yaml').network;
    const subnet = n.subnets.get('vnet1/subnet1')!;
    const list = (dir: 'Inbound' | 'Outbound') => n.nsgProgram('NSG1', dir, subnet).rules.map((r) => `${r.ref.id} ${r.priority} ${r.access}`);
    expect(list('Inbound')).toEqual(['NSG1/AllowVNetInBound 65000 Allow', 'NSG1/AllowAzureLoadBalancerInBound 65001 Allow', 'NSG1/DenyAllInBound 65500 Deny']);
    expect(list('Outbound')).toEqual(['NSG1/AllowVnetOutBound 65000 Allow', 'NSG1/AllowInternetOutBound 65001 Allow', 'NSG1/DenyAllOutBound 65500 Deny']);
  });

  it('F1.2.2: custom rules come before the defaults, in ascending priority whatever their order in the file', () => {
    const n = fixture('nsg-addresses.yaml').network;
    const subnet = n.subnets.get('vnet1/web')!;
    expect(n.nsgProgram('web-nsg', 'Inbound', subnet).rules.map((r) => r.priority)).toEqual([100, 110, 65000, 65001, 65500]);
    expect(n.nsgProgram('web-nsg', 'Outbound', subnet).rules.map((r) => r.ref.id)).toEqual(['web-nsg/deny-from-public-ip', 'web-nsg/AllowVnetOutBound', 'web-nsg/AllowInternetOutBound', 'web-nsg/DenyAllOutBound']);
  });

  it('F1.1.5: port conditions do not constrain ICMP, which has no ports', () => {
    const n = fixture('asg-example.yaml').network;
    const deny = n.nsgProgram('NSG1', 'Inbound', n.subnets.get('vnet1/subnet2')!).rules.find((r) => r.ref.id === 'NSG1/Deny-Database-All')!;
    const icmp = { protocol: PROTO.ICMP, srcIp: ip('10.0.1.4'), srcPort: 0, dstIp: ip('10.0.2.4'), dstPort: 0, dstName: 0 };
    expect(deny.boxes.some((b) => boxContains(b, icmp))).toBe(true);
    expect(deny.boxes.some((b) => boxContains(b, { ...icmp, protocol: PROTO.TCP, srcPort: 49152, dstPort: 22 }))).toBe(false);
  });
});

describe('F1.6.1 VirtualNetwork per subnet, F1.7 ASGs', () => {
  it('F1.6.1: the same NSG compiles to different VirtualNetwork contents on subnets with different route tables', () => {
    const n = fixture('vnet-tag.yaml').network;
    const vnetRule = (subnet: string) => n.nsgProgram('shared-nsg', 'Outbound', n.subnets.get(subnet)!).rules.find((r) => r.ref.id === 'shared-nsg/allow-vnet-out')!;
    const to = (dst: string) => ({ protocol: PROTO.TCP, srcIp: ip('10.0.1.4'), srcPort: 49152, dstIp: ip(dst), dstPort: 443, dstName: 0 });
    expect(vnetRule('main/forced').boxes.some((b) => boxContains(b, to('8.8.8.8')))).toBe(true);
    expect(vnetRule('main/plain').boxes.some((b) => boxContains(b, to('8.8.8.8')))).toBe(false);
  });

  it('F1.7.2: an ASG in a rule stands for its members\' addresses only', () => {
    const n = fixture('asg-example.yaml').network;
    const web = n.nsgProgram('NSG1', 'Inbound', n.subnets.get('vnet1/subnet1')!).rules.find((r) => r.ref.id === 'NSG1/Allow-HTTP-Inbound-Internet')!;
    expect(web.boxes.every((b) => b[3].equals(IntervalSet.fromRanges([[ip('10.0.1.4'), ip('10.0.1.5')]])))).toBe(true);
  });
});

describe('compiled programs are shared where nothing of the subnet enters them', () => {
  it('F1.6.1: subnets of a VNet with the same VirtualNetwork contents share one program; a different tag gets its own', () => {
    const n = fixture('vnet-tag.yaml').network;
    const forced = n.subnets.get('main/forced')!;
    const plain = n.subnets.get('main/plain')!;
    expect(n.nsgProgram('shared-nsg', 'Outbound', forced)).not.toBe(n.nsgProgram('shared-nsg', 'Outbound', plain));
    const generated = generatedNetwork({ spokes: 3, subnets: 3, rules: 4, firewallRules: 5, flows: 2, seed: 3, sharedNsg: true, clean: true }).net;
    const [a, b] = ['spoke-001/snet-01', 'spoke-001/snet-02'].map((id) => generated.subnets.get(id)!);
    expect(a.nsg?.name).toBe(b.nsg?.name);
    expect(a.virtualNetworkTag.equals(b.virtualNetworkTag)).toBe(true);
    expect(generated.nsgProgram(a.nsg!.name, 'Inbound', a)).toBe(generated.nsgProgram(b.nsg!.name, 'Inbound', b));
    const other = generated.subnets.get('spoke-002/snet-01')!;
    expect(generated.nsgProgram(a.nsg!.name, 'Inbound', other)).not.toBe(generated.nsgProgram(a.nsg!.name, 'Inbound', a));
  });
});

describe('rule edits compile only the rules they change', () => {
  it('a view with one rule flipped takes the unchanged compiled rules of the base and compiles the flipped one with its new access', () => {
    const { net, scenario } = generatedNetwork({ spokes: 2, subnets: 2, rules: 6, firewallRules: 5, flows: 2, seed: 4 });
    const subnet = [...net.subnets.values()].find((s) => s.nsg && scenario.networkSecurityGroups.get(s.nsg.name)!.securityRules.some((r) => r.direction.value === 'Inbound'))!;
    const nsg = scenario.networkSecurityGroups.get(subnet.nsg!.name)!;
    const index = nsg.securityRules.findIndex((r) => r.direction.value === 'Inbound');
    const flipped = { ...nsg.securityRules[index], access: { ...nsg.securityRules[index].access, value: nsg.securityRules[index].access.value === 'Allow' ? ('Deny' as const) : ('Allow' as const) } };
    const edited = { ...nsg, securityRules: nsg.securityRules.map((r, i) => (i === index ? flipped : r)) };
    const before = net.nsgProgram(nsg.name, 'Inbound', subnet).rules;
    const after = net.withRuleEdits({ nsgs: new Map([[nsg.name, edited]]) })!.nsgProgram(nsg.name, 'Inbound', subnet).rules;
    expect(after).toHaveLength(before.length);
    const changed = after.filter((r, k) => r !== before[k] && r.ref.kind === 'nsg-rule');
    expect(changed.map((r) => `${r.ref.id} ${r.access}`)).toEqual([`${nsg.name}/${flipped.name} ${flipped.access.value}`]);
    // The default rules are compiled per program; every custom rule but the flipped one is the same object.
    expect(after.filter((r, k) => r === before[k] && r.ref.kind === 'nsg-rule')).toHaveLength(before.filter((r) => r.ref.kind === 'nsg-rule').length - 1);
  });
});
