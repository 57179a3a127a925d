/**
 * azure-semantics.md §3.4: the peering and hub-and-spoke cases PEER-1..PEER-6,
 * with the reply-path checks of F3.4.2 and §8.4.
 */
import { describe, expect, it } from 'vitest';
import { at, expectTrace, fixture, traceFrom } from '../../test/helpers/semantics.js';

describe('§3.4 peering without a transit hop', () => {
  const F = 'peer-no-udr.yaml';

  it('PEER-1 F3.1.4, F2.1.3: Spoke1->Spoke2 through the hub with no UDRs is dropped by the system 10.0.0.0/8 None route', () => {
    const t = traceFrom(fixture(F).network, 'host:app1', { dst: '10.2.1.4', port: 22 });
    expectTrace(t, 'dropped', ['nsg allow', 'route drop system 10.0.0.0/8 None']);
  });

  it('PEER-1 F2.1: a spoke outside 10/8 is not reached either: the system 0/0 carries the packet to the Internet, not to the spoke', () => {
    const t = traceFrom(fixture(F).network, 'host:app1', { dst: '198.51.100.4', port: 22 });
    expectTrace(t, 'delivered', ['nsg allow', 'route forward system 0.0.0.0/0 Internet', `egress forward ${at(F, '      app:')}`, 'delivery deliver']);
    expect(t.delivery).toMatchObject({ kind: 'internet' });
  });

  it('PEER-5 F3.1.4: A->C with A-B and B-C peered is dropped (non-transitive): no route, the 172.16.0.0/12 None route decides', () => {
    const t = traceFrom(fixture('peer-chain.yaml').network, 'host:a1', { dst: '172.20.1.4', port: 22 });
    expectTrace(t, 'dropped', ['nsg allow', 'route drop system 172.16.0.0/12 None']);
  });

  it('PEER-5 F2.3.2: a UDR sending C to a VM in B does not make B a transit: the VM does not forward (IP forwarding off)', () => {
    const C = 'peer-chain.yaml';
    const t = traceFrom(fixture(C).network, 'host:a2', { dst: '172.20.1.4', port: 22 });
    expectTrace(t, 'dropped', ['nsg allow', `route forward c-via-b/c-through-b ${at(C, 'c-through-b')}`, `peering allow vnet-b/b-to-a ${at(C, 'b-to-a')}`, 'forwarding drop']);
    expect(t.reason).toContain('IP forwarding off');
  });
});

describe('§3.4 hub and spoke through Azure Firewall', () => {
  const F = 'peer-hub-firewall.yaml';
  const net = () => fixture(F).network;
  const toFirewall = () => `route forward spoke-via-firewall/default-to-firewall ${at(F, 'default-to-firewall')}`;
  const fwAllow = () => `firewall allow hub-policy/east-west/spokes/private-to-private ${at(F, 'private-to-private')}`;
  const nsgOut = () => `nsg allow defaults-only/AllowVnetOutBound ${at(F, 'defaults-only:')}`;
  const nsgIn = () => `nsg allow defaults-only/AllowVNetInBound ${at(F, 'defaults-only:')}`;

  it('PEER-2 F3.4.1, F3.4.2, F4.5.1: Spoke1->Spoke2 is delivered through the firewall, source IP preserved (no SNAT)', () => {
    const t = traceFrom(net(), 'host:app1', { dst: '10.2.1.4', port: 1433 });
    expectTrace(t, 'delivered', [
      nsgOut(),
      toFirewall(),
      `peering allow hub/hub-to-spoke1 ${at(F, 'hub-to-spoke1')}`,
      fwAllow(),
      `route forward system 10.2.0.0/16 VNetPeering ${at(F, 'hub-to-spoke2')}`,
      `peering allow spoke2/spoke2-to-hub ${at(F, 'spoke2-to-hub')}`,
      nsgIn(),
    ]);
    expect(t.hops.find((h) => h.kind === 'nat')?.detail).toContain('no SNAT: 10.2.1.4 is in the firewall\'s private ranges, the source stays 10.1.1.4');
    expect(t.firewalls).toEqual(['hub-fw']);
  });

  it('PEER-3 F3.2, §8.4: as PEER-2 but the receiving spoke link has allowForwardedTraffic false: dropped entering that spoke', () => {
    const t = traceFrom(net(), 'host:app1', { dst: '10.3.1.4', port: 1433 });
    expectTrace(t, 'dropped', [
      nsgOut(),
      toFirewall(),
      `peering allow hub/hub-to-spoke1 ${at(F, 'hub-to-spoke1')}`,
      fwAllow(),
      `route forward system 10.3.0.0/16 VNetPeering ${at(F, 'hub-to-spoke3')}`,
      `peering drop spoke3/spoke3-to-hub ${at(F, 'spoke3-to-hub')}`,
    ]);
    expect(t.reason).toBe("peering 'spoke3-to-hub' of 'spoke3' refuses forwarded traffic");
  });

  it('§8.4 F3.4.2: the reply needs the flag on the SENDING spoke too: spoke3->spoke2 arrives but its reply is refused by spoke3-to-hub', () => {
    const t = traceFrom(net(), 'host:ops1', { dst: '10.2.1.4', port: 1433 });
    expectTrace(t, 'dropped', [
      nsgOut(),
      toFirewall(),
      `peering allow hub/hub-to-spoke3 ${at(F, 'hub-to-spoke3')}`,
      fwAllow(),
      `route forward system 10.2.0.0/16 VNetPeering ${at(F, 'hub-to-spoke2')}`,
      `peering allow spoke2/spoke2-to-hub ${at(F, 'spoke2-to-hub')}`,
      nsgIn(),
      `symmetry drop spoke3/spoke3-to-hub ${at(F, 'spoke3-to-hub')}`,
    ]);
    expect(t.reason).toContain('the reply cannot return');
  });

  it('PEER-4 F3.3.3, §8.5: Spoke1->Hub VM goes direct over the peering route; the 0/0 UDR to the firewall is bypassed', () => {
    const t = traceFrom(net(), 'host:app1', { dst: '10.0.2.4', port: 22 });
    expectTrace(t, 'delivered', [nsgOut(), `route forward system 10.0.0.0/16 VNetPeering ${at(F, 'spoke1-to-hub')}`, `peering allow hub/hub-to-spoke1 ${at(F, 'hub-to-spoke1')}`, nsgIn()]);
    expect(t.firewalls).toEqual([]);
  });
});

describe('§3.4 PEER-6: allowVirtualNetworkAccess false only shrinks the VirtualNetwork tag (F3.2, 2022 doc)', () => {
  const F = 'peer-access-blocked.yaml';
  const net = () => fixture(F).network;

  it('PEER-6 F1.6.1: Spoke->Hub TCP/22 is denied at the hub VM by DenyAllInBound; the spoke side still allows by AllowVnetOutBound', () => {
    expectTrace(traceFrom(net(), 'host:spokevm', { dst: '10.0.2.4', port: 22 }), 'dropped', [
      `nsg allow spoke-nic/AllowVnetOutBound ${at(F, 'spoke-nic:')}`,
      `route forward system 10.0.0.0/16 VNetPeering ${at(F, 'spoke-to-hub')}`,
      `peering allow hub/hub-to-spoke ${at(F, 'hub-to-spoke')}`,
      `nsg deny hub-defaults/DenyAllInBound ${at(F, 'hub-defaults:')}`,
    ]);
  });

  it('PEER-6 §8.3: an explicit hub NSG allow for the spoke CIDR makes the same flow Allow', () => {
    expectTrace(traceFrom(net(), 'host:spokevm', { dst: '10.0.2.5', port: 22 }), 'delivered', [
      `nsg allow spoke-nic/AllowVnetOutBound ${at(F, 'spoke-nic:')}`,
      `route forward system 10.0.0.0/16 VNetPeering ${at(F, 'spoke-to-hub')}`,
      `peering allow hub/hub-to-spoke ${at(F, 'hub-to-spoke')}`,
      `nsg allow hub-explicit/allow-spoke-ssh ${at(F, 'allow-spoke-ssh')}`,
    ]);
  });

  it('PEER-6: each link controls its own VNet tag: the hub tag lacks the spoke, the spoke tag keeps the hub', () => {
    const n = net();
    const spokeAddr = n.nicById.get('host:spokevm')!.addresses.min;
    const hubAddr = n.nicById.get('host:hubvm1')!.addresses.min;
    expect(n.subnets.get('hub/shared')!.virtualNetworkTag.has(spokeAddr)).toBe(false);
    expect(n.subnets.get('spoke/app')!.virtualNetworkTag.has(hubAddr)).toBe(true);
  });
});
