/**
 * azure-semantics.md §1.10: the NSG worked examples, row by row.
 * A: network-security-group-how-it-works.md (NSG-IN-1..8, NSG-OUT-1..6, NSG-INTRA-1..2).
 * B: application-security-groups.md (ASG-1..7).
 * Each test asserts the verdict and every deciding hop with the rule and where it is written.
 */
import { describe, expect, it } from 'vitest';
import { at, expectTrace, fixture, traceFrom, traceFromOutside } from '../../test/helpers/semantics.js';
import { buildTraceRequest } from './request.js';
import { simulate } from './simulate.js';

const NET = 'nsg-filtering-network.yaml';
const INTERNET = { kind: 'internet' } as const;
const CLIENT = '203.0.113.10';

/** Internet -> a VM's public IP on TCP 80. */
function inbound(file: string, publicIp: string) {
  return traceFromOutside(fixture(file).network, INTERNET, { src: CLIENT, dst: publicIp, port: 80 });
}

/** A VM -> an Internet address on TCP 80. */
function outbound(file: string, host: string) {
  return traceFrom(fixture(file).network, `host:${host}`, { dst: CLIENT, port: 80 });
}

const SYSTEM_DEFAULT = 'route forward system 0.0.0.0/0 Internet';

describe('§1.10 A inbound (F1.4.1: subnet NSG, then NIC NSG)', () => {
  const D = 'nsg-filtering-defaults.yaml';
  const A1 = 'nsg-filtering-nsg1-allows-80.yaml';
  const A2 = 'nsg-filtering-both-allow-80.yaml';

  it('NSG-IN-1 F1.4.3: Internet->VM1:80 with defaults is denied by NSG1 DenyAllInBound; NSG2 is never evaluated', () => {
    expectTrace(inbound(D, '20.1.0.1'), 'dropped', [`ingress translate ${at(NET, '  vm1:')}`, `nsg deny NSG1/DenyAllInBound ${at(D, 'NSG1:')}`]);
  });

  it('NSG-IN-2 F1.4.3: NSG1 allows 80 but NSG2 (defaults) denies by DenyAllInBound', () => {
    expectTrace(inbound(A1, '20.1.0.1'), 'dropped', [
      `ingress translate ${at(NET, '  vm1:')}`,
      `nsg allow NSG1/nsg1-allow-80-in ${at(A1, 'nsg1-allow-80-in')}`,
      `nsg deny NSG2/DenyAllInBound ${at(A1, 'NSG2:')}`,
    ]);
  });

  it('NSG-IN-3 F1.4.3: NSG1 and NSG2 both allow 80, so the flow is allowed by both rules', () => {
    expectTrace(inbound(A2, '20.1.0.1'), 'delivered', [
      `ingress translate ${at(NET, '  vm1:')}`,
      `nsg allow NSG1/nsg1-allow-80-in ${at(A2, 'nsg1-allow-80-in')}`,
      `nsg allow NSG2/nsg2-allow-80-in ${at(A2, 'nsg2-allow-80-in')}`,
    ]);
  });

  it('NSG-IN-3 through `topo trace --from internet --to vm1`: the Internet addresses the VM at its public IP (F1.2.4)', () => {
    const net = fixture(A2).network;
    const r = buildTraceRequest(net, { from: 'internet', to: 'vm1', port: 80 });
    expect(r.packet.dstIp).toBe(net.nicById.get('host:vm1')!.publicIp!.addr);
    expect(simulate(net, r.origin, r.packet).verdict).toBe('delivered');
  });

  it('NSG-IN-4: Internet->VM2:80 with NSG1 defaults is denied by NSG1 DenyAllInBound', () => {
    expectTrace(inbound(D, '20.1.0.2'), 'dropped', [`ingress translate ${at(NET, '  vm2:')}`, `nsg deny NSG1/DenyAllInBound ${at(D, 'NSG1:')}`]);
  });

  it('NSG-IN-5: Internet->VM2:80 is allowed by the NSG1 rule alone (VM2 has no NIC NSG)', () => {
    expectTrace(inbound(A1, '20.1.0.2'), 'delivered', [`ingress translate ${at(NET, '  vm2:')}`, `nsg allow NSG1/nsg1-allow-80-in ${at(A1, 'nsg1-allow-80-in')}`]);
  });

  it('NSG-IN-6 F1.4.4: Internet->VM3:80 is denied by NSG2 DenyAllInBound (no subnet NSG)', () => {
    expectTrace(inbound(D, '20.1.0.3'), 'dropped', [`ingress translate ${at(NET, '  vm3:')}`, `nsg deny NSG2/DenyAllInBound ${at(D, 'NSG2:')}`]);
  });

  it('NSG-IN-7: Internet->VM3:80 is allowed by the NSG2 rule', () => {
    expectTrace(inbound(A2, '20.1.0.3'), 'delivered', [`ingress translate ${at(NET, '  vm3:')}`, `nsg allow NSG2/nsg2-allow-80-in ${at(A2, 'nsg2-allow-80-in')}`]);
  });

  it('NSG-IN-8 F11.1: Internet->VM4:80 with no NSG anywhere is allowed with a Basic public IP', () => {
    const t = inbound(D, '20.1.0.4');
    expectTrace(t, 'delivered', [`ingress translate ${at(NET, '  vm4:')}`, 'nsg allow']);
    expect(t.hops[1].detail).toContain('F1.4.4');
  });

  it('NSG-IN-8 F11.1: Internet->VM4:80 with no NSG anywhere is denied with a Standard public IP (secure by default)', () => {
    const t = inbound(D, '20.1.0.5');
    expectTrace(t, 'dropped', [`ingress translate ${at(NET, '  vm4-standard:')}`, `ingress drop ${at(NET, '  vm4-standard:')}`]);
    expect(t.reason).toContain('F11.1');
  });
});

describe('§1.10 A outbound (F1.4.2: NIC NSG, then subnet NSG)', () => {
  const D = 'nsg-filtering-defaults.yaml';
  const N2 = 'nsg-filtering-nsg2-denies-80-out.yaml';
  const N1 = 'nsg-filtering-nsg1-denies-80-out.yaml';

  it('NSG-OUT-1: VM1->Internet:80 with defaults is allowed by AllowInternetOutBound in NSG2, then in NSG1', () => {
    expectTrace(outbound(D, 'vm1'), 'delivered', [
      `nsg allow NSG2/AllowInternetOutBound ${at(D, 'NSG2:')}`,
      `nsg allow NSG1/AllowInternetOutBound ${at(D, 'NSG1:')}`,
      SYSTEM_DEFAULT,
      `egress forward ${at(NET, '  vm1:')}`,
      'delivery deliver',
    ]);
  });

  it('NSG-OUT-2 F1.4.3: NSG2 denies 80 and NSG1 is never evaluated', () => {
    expectTrace(outbound(N2, 'vm1'), 'dropped', [`nsg deny NSG2/nsg2-deny-80-out ${at(N2, 'nsg2-deny-80-out')}`]);
  });

  it('NSG-OUT-3 F1.4.3: NSG1 denies 80 after NSG2 allowed it by default (either NSG can deny)', () => {
    expectTrace(outbound(N1, 'vm1'), 'dropped', [`nsg allow NSG2/AllowInternetOutBound ${at(N1, 'NSG2:')}`, `nsg deny NSG1/nsg1-deny-80-out ${at(N1, 'nsg1-deny-80-out')}`]);
  });

  it('NSG-OUT-4: VM2->Internet:80 is decided by NSG1 only: allowed by default, denied by the NSG1 rule', () => {
    expectTrace(outbound(D, 'vm2'), 'delivered', [`nsg allow NSG1/AllowInternetOutBound ${at(D, 'NSG1:')}`, SYSTEM_DEFAULT, `egress forward ${at(NET, '  vm2:')}`, 'delivery deliver']);
    expectTrace(outbound(N1, 'vm2'), 'dropped', [`nsg deny NSG1/nsg1-deny-80-out ${at(N1, 'nsg1-deny-80-out')}`]);
  });

  it('NSG-OUT-5: VM3->Internet:80 is decided by NSG2 only: allowed by default, denied by the NSG2 rule', () => {
    expectTrace(outbound(D, 'vm3'), 'delivered', [`nsg allow NSG2/AllowInternetOutBound ${at(D, 'NSG2:')}`, SYSTEM_DEFAULT, `egress forward ${at(NET, '  vm3:')}`, 'delivery deliver']);
    expectTrace(outbound(N2, 'vm3'), 'dropped', [`nsg deny NSG2/nsg2-deny-80-out ${at(N2, 'nsg2-deny-80-out')}`]);
  });

  it('NSG-OUT-6 F1.4.4: VM4->Internet:80 with no NSG is allowed', () => {
    const t = outbound(D, 'vm4');
    expectTrace(t, 'delivered', ['nsg allow', SYSTEM_DEFAULT, `egress forward ${at(NET, '  vm4:')}`, 'delivery deliver']);
    expect(t.hops[0].detail).toContain('no NSG');
  });
});

describe('§1.10 A within the subnet (F1.4.5, F1.4.6)', () => {
  it('NSG-INTRA-1: VM1<->VM2 on any port is allowed by AllowVnetOutBound and AllowVNetInBound', () => {
    const D = 'nsg-filtering-defaults.yaml';
    const net = fixture(D).network;
    const vnetRoute = `route forward system 10.0.0.0/16 VnetLocal ${at(NET, '  vnet1:')}`;
    for (const port of [22, 80, 3389]) {
      expectTrace(traceFrom(net, 'host:vm1', { dst: '10.0.1.5', port }), 'delivered', [
        `nsg allow NSG2/AllowVnetOutBound ${at(D, 'NSG2:')}`,
        `nsg allow NSG1/AllowVnetOutBound ${at(D, 'NSG1:')}`,
        vnetRoute,
        `nsg allow NSG1/AllowVNetInBound ${at(D, 'NSG1:')}`,
      ]);
    }
    expectTrace(traceFrom(net, 'host:vm2', { dst: '10.0.1.4', port: 22 }), 'delivered', [
      `nsg allow NSG1/AllowVnetOutBound ${at(D, 'NSG1:')}`,
      vnetRoute,
      `nsg allow NSG1/AllowVNetInBound ${at(D, 'NSG1:')}`,
      `nsg allow NSG2/AllowVNetInBound ${at(D, 'NSG2:')}`,
    ]);
  });

  it('NSG-INTRA-2 F1.4.5: a custom deny-all in NSG1 (priority < 65000) denies VM1<->VM2 both ways', () => {
    const I = 'nsg-filtering-nsg1-isolates.yaml';
    const net = fixture(I).network;
    expectTrace(traceFrom(net, 'host:vm1', { dst: '10.0.1.5', port: 22 }), 'dropped', [
      `nsg allow NSG2/AllowVnetOutBound ${at(I, 'NSG2:')}`,
      `nsg deny NSG1/nsg1-deny-all-out ${at(I, 'nsg1-deny-all-out')}`,
    ]);
    expectTrace(traceFrom(net, 'host:vm2', { dst: '10.0.1.4', port: 22 }), 'dropped', [`nsg deny NSG1/nsg1-deny-all-out ${at(I, 'nsg1-deny-all-out')}`]);
  });
});

describe('§1.10 B application security groups (F1.7)', () => {
  const F = 'asg-example.yaml';
  const net = () => fixture(F).network;
  const vnetRoute = () => `route forward system 10.0.0.0/16 VnetLocal ${at(F, '  vnet1:')}`;

  it('ASG-1 F1.7.2: Internet->NIC1 TCP/80 is allowed by rule 100 (NIC1 is in AsgWeb)', () => {
    expectTrace(traceFromOutside(net(), INTERNET, { src: CLIENT, dst: '20.2.0.1', port: 80 }), 'delivered', [
      `ingress translate ${at(F, '  nic1:')}`,
      `nsg allow NSG1/Allow-HTTP-Inbound-Internet ${at(F, 'Allow-HTTP-Inbound-Internet')}`,
    ]);
  });

  it('ASG-2 F1.7.2: Internet->NIC3 TCP/80 is denied: rule 100 does not apply to NIC3, DenyAllInBound does', () => {
    expectTrace(traceFromOutside(net(), INTERNET, { src: CLIENT, dst: '20.2.0.3', port: 80 }), 'dropped', [`ingress translate ${at(F, '  nic3:')}`, `nsg deny NSG1/DenyAllInBound ${at(F, '  NSG1:')}`]);
  });

  it('ASG-3: NIC3->NIC4 TCP/1433 is allowed by rule 110 (AsgLogic to AsgDb)', () => {
    expectTrace(traceFrom(net(), 'host:nic3', { dst: '10.0.2.4', port: 1433 }), 'delivered', [
      `nsg allow NSG1/AllowVnetOutBound ${at(F, '  NSG1:')}`,
      vnetRoute(),
      `nsg allow NSG1/Allow-Database-BusinessLogic ${at(F, 'Allow-Database-BusinessLogic')}`,
    ]);
  });

  it('ASG-4: NIC1->NIC4 TCP/1433 is denied by rule 120', () => {
    expectTrace(traceFrom(net(), 'host:nic1', { dst: '10.0.2.4', port: 1433 }), 'dropped', [
      `nsg allow NSG1/AllowVnetOutBound ${at(F, '  NSG1:')}`,
      vnetRoute(),
      `nsg deny NSG1/Deny-Database-All ${at(F, 'Deny-Database-All')}`,
    ]);
  });

  it('ASG-5 F1.2.1: NIC3->NIC4 UDP/1433 is denied: rule 110 is TCP only, rule 120 (Any) denies', () => {
    expectTrace(traceFrom(net(), 'host:nic3', { dst: '10.0.2.4', port: 1433, protocol: 'udp' }), 'dropped', [
      `nsg allow NSG1/AllowVnetOutBound ${at(F, '  NSG1:')}`,
      vnetRoute(),
      `nsg deny NSG1/Deny-Database-All ${at(F, 'Deny-Database-All')}`,
    ]);
  });

  it('ASG-6: NIC1->NIC3 TCP/8080 is allowed by AllowVNetInBound (65000)', () => {
    expectTrace(traceFrom(net(), 'host:nic1', { dst: '10.0.1.6', port: 8080 }), 'delivered', [
      `nsg allow NSG1/AllowVnetOutBound ${at(F, '  NSG1:')}`,
      vnetRoute(),
      `nsg allow NSG1/AllowVNetInBound ${at(F, '  NSG1:')}`,
    ]);
  });

  it('ASG-7: NIC1->NIC4 TCP/22 is allowed: rule 120 covers port 1433 only, AllowVNetInBound decides', () => {
    expectTrace(traceFrom(net(), 'host:nic1', { dst: '10.0.2.4', port: 22 }), 'delivered', [
      `nsg allow NSG1/AllowVnetOutBound ${at(F, '  NSG1:')}`,
      vnetRoute(),
      `nsg allow NSG1/AllowVNetInBound ${at(F, '  NSG1:')}`,
    ]);
  });
});
