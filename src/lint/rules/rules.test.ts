/**
 * The rule lints: any-to-any allows (TOPO-L005), shadowed NSG rules
 * (TOPO-L009) and NSG rules written against a public IP (TOPO-L012).
 */
import { describe, expect, it } from 'vitest';
import { yaml } from '../../../test/helpers/scenario-fixture.js';
import { lintYaml, only } from '../../../test/helpers/lint.js';

const r = (name: string, priority: number, direction: string, access: string, src: string, dst: string, port: string, protocol = 'Tcp') =>
  `{ name: ${name}, priority: ${priority}, direction: ${direction}, access: ${access}, protocol: "${protocol}", sourceAddressPrefix: "${src}", sourcePortRange: "*", destinationAddressPrefix: "${dst}", destinationPortRange: "${port}" }`;

/** Two subnets sharing the NSG `n`; `forced` sends app's 0.0.0.0/0 to an appliance. */
const design = (rules: string[], opts: { forced?: boolean; pip?: boolean } = {}) => yaml`
  name: rules
  region: eastus
  vnets:
    spoke:
      addressSpace: [10.1.0.0/16]
      subnets:
        app: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: n, defaultOutboundAccess: false${opts.forced ? ', routeTable: rt' : ''} }
        data: { addressPrefix: 10.1.2.0/24, networkSecurityGroup: n, defaultOutboundAccess: false }
  networkSecurityGroups:
    n:
      securityRules: [${rules.join(', ')}]
  routeTables: { rt: { routes: [{ name: to-fw, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.1.2.100 }] } }
  hosts: { vm: { subnet: spoke/app, privateIpAddress: 10.1.1.4${opts.pip ? ', publicIpAddress: 192.0.2.10' : ''} } }
`;

describe('TOPO-L005 any-to-any-allow', () => {
  it('leaves alone rules narrowed on any side: a port, a source, a destination, or a deny', () => {
    const rules = [
      r('port', 100, 'Inbound', 'Allow', '*', '*', '443'),
      r('src', 110, 'Inbound', 'Allow', '10.0.0.0/8', '*', '*'),
      r('dst', 120, 'Outbound', 'Allow', '*', '10.1.0.0/16', '*'),
      r('deny', 130, 'Inbound', 'Deny', '*', '*', '*', '*'),
    ];
    expect(lintYaml(design(rules), ['TOPO-L005']).findings).toEqual([]);
  });

  it('reports an inbound any-to-any allow as an error, an outbound one as a warning, naming the protocols', () => {
    const l = lintYaml(design([r('all-in', 100, 'Inbound', 'Allow', '*', '*', '*', '*'), r('udp-out', 110, 'Outbound', 'Allow', '0.0.0.0/0', '*', '*', 'Udp')]), ['TOPO-L005']);
    expect(l.ids).toEqual(['TOPO-L005 n/all-in', 'TOPO-L005 n/udp-out']);
    expect(l.findings.map((f) => f.severity)).toEqual(['error', 'warning']);
    expect(l.findings[0].message).toContain('allows inbound Tcp and Udp from any address to any address on every port (written * -> *)');
    expect(l.findings[1].message).toContain('outbound Udp');
  });

  it('F1.6.1: VirtualNetwork to VirtualNetwork counts where a 0.0.0.0/0 route widens the tag, and says so', () => {
    const vnet = [r('vnet', 100, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork', '*', '*')];
    expect(lintYaml(design(vnet), ['TOPO-L005']).findings).toEqual([]);
    const f = only(lintYaml(design(vnet, { forced: true }), ['TOPO-L005']), 'TOPO-L005');
    expect(f.message).toContain("VirtualNetwork covers every address in spoke/app, whose routes send 0.0.0.0/0 to an appliance (F1.6.1)");
  });
});

describe('TOPO-L009 nsg-rule-shadowed (F1.2.2)', () => {
  it('leaves alone rules that still match some packet, and rules the defaults follow', () => {
    const rules = [r('web', 100, 'Inbound', 'Allow', '10.0.0.0/8', '*', '443'), r('deny-web', 200, 'Inbound', 'Deny', '*', '*', '443'), r('ssh', 300, 'Inbound', 'Allow', '10.1.0.0/16', '*', '22')];
    expect(lintYaml(design(rules), ['TOPO-L009']).findings).toEqual([]);
  });

  it('reports an allow that a broader deny above hides as a warning, naming the deny', () => {
    const l = lintYaml(design([r('deny-all', 100, 'Inbound', 'Deny', '*', '*', '*', '*'), r('web', 200, 'Inbound', 'Allow', '10.0.0.0/8', '*', '443')]), ['TOPO-L009']);
    const f = only(l, 'TOPO-L009');
    expect(f.target).toBe('n/web');
    expect(f.severity).toBe('warning');
    expect(f.message).toBe('n/web (priority 200, Allow inbound) never matches: n/deny-all (priority 100, Deny) decides all its traffic first');
    expect(f.related.map((x) => x.loc.line)).toEqual([11]);
  });

  it('a rule covered by several rules together is shadowed, and all of them are named; same access is a note', () => {
    const rules = [r('low', 100, 'Inbound', 'Allow', '*', '*', '1-1000'), r('high', 110, 'Inbound', 'Allow', '*', '*', '1001-65535'), r('web', 200, 'Inbound', 'Allow', '10.0.0.0/8', '*', '443-8443')];
    const f = only(lintYaml(design(rules), ['TOPO-L009']), 'TOPO-L009');
    expect(f.severity).toBe('note');
    expect(f.message).toContain('n/low (priority 100, Allow); n/high (priority 110, Allow) decide all its traffic first');
  });

  it('F1.6.1: allow VirtualNetwork above deny Internet hides the deny only in the subnet a 0.0.0.0/0 route widens; the NSG also serves data, so it still matches there', () => {
    const rules = [r('vnet', 100, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork', '*', '*'), r('no-internet', 200, 'Outbound', 'Deny', '*', 'Internet', '*', '*')];
    expect(lintYaml(design(rules, { forced: true }), ['TOPO-L009']).findings).toEqual([]);
    const alone = design(rules, { forced: true }).replace('data: { addressPrefix: 10.1.2.0/24, networkSecurityGroup: n,', 'data: { addressPrefix: 10.1.2.0/24,');
    const f = only(lintYaml(alone, ['TOPO-L009']), 'TOPO-L009');
    expect(f.target).toBe('n/no-internet');
    expect(f.message).toContain('VirtualNetwork covers every address in spoke/app');
  });

  it('a rule naming an ASG with no members matches nothing, which is not shadowing', () => {
    const text = design([r('deny-all', 100, 'Inbound', 'Deny', '*', '*', '*', '*')]).replace(
      'securityRules: [',
      'securityRules: [{ name: asg, priority: 200, direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationApplicationSecurityGroups: [empty], destinationPortRange: "443" }, ',
    ).replace('routeTables:', 'applicationSecurityGroups: [empty]\nrouteTables:');
    expect(lintYaml(text, ['TOPO-L009']).findings).toEqual([]);
  });
});

describe('TOPO-L012 nsg-rule-on-public-ip (F1.2.4)', () => {
  it('leaves alone rules on private addresses, and public addresses the design does not own', () => {
    expect(lintYaml(design([r('ok', 100, 'Inbound', 'Allow', '*', '10.1.1.4', '443'), r('other', 110, 'Inbound', 'Allow', '*', '198.51.100.1', '443')], { pip: true }), ['TOPO-L012']).findings).toEqual([]);
  });

  it("reports an inbound rule to the VM's public IP, and an outbound rule from it, at the prefix", () => {
    const l = lintYaml(design([r('to-pip', 100, 'Inbound', 'Allow', '*', '192.0.2.10', '443'), r('from-pip', 110, 'Outbound', 'Deny', '192.0.2.10/32', '*', '25')], { pip: true }), ['TOPO-L012']);
    expect(l.ids).toEqual(['TOPO-L012 n/to-pip', 'TOPO-L012 n/from-pip']);
    expect(l.findings[0].message).toContain('names 192.0.2.10 as its destination, a public IP of the design (192.0.2.10): NSGs see the private destination after Azure translates it');
  });
});
