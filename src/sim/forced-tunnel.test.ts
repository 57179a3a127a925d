/**
 * Hub and spoke with a forced-tunnel Azure Firewall (F4.7, F3.4.3, F3.2 gateway
 * transit): AzureFirewallSubnet sends 0/0 to on premises through the VPN gateway.
 */
import { describe, expect, it } from 'vitest';
import { lookupRoute } from '../model/routes.js';
import { at, expectTrace, fixture, ip, traceFrom, traceFromOutside } from '../../test/helpers/semantics.js';

const F = 'forced-tunnel.yaml';
const net = () => fixture(F).network;
const ONPREM = { kind: 'on-premises', gateway: 'onprem-gw' } as const;
const nsgOut = () => `nsg allow spoke-nsg/AllowVnetOutBound ${at(F, 'spoke-nsg:')}`;
const nsgIn = () => `nsg allow spoke-nsg/AllowVNetInBound ${at(F, 'spoke-nsg:')}`;
const toFirewall = () => `route forward spoke-via-firewall/default-to-firewall ${at(F, 'default-to-firewall')}`;

describe('forced tunnelling through the hub firewall (F4.7)', () => {
  it('F4.7.4, F4.7.5: spoke->Internet goes through the firewall, is SNATed to its PRIVATE address and leaves for on premises by the 0/0 UDR', () => {
    const t = traceFrom(net(), 'host:app1', { dst: '8.8.8.8', port: 443 });
    expectTrace(t, 'delivered', [
      nsgOut(),
      toFirewall(),
      `peering allow hub/hub-to-spoke1 ${at(F, 'hub-to-spoke1')}`,
      `firewall allow hub-policy/rules/allow-out/spokes-anywhere ${at(F, 'spokes-anywhere')}`,
      'nat translate',
      `route forward firewall-to-onprem/default-to-onprem ${at(F, 'default-to-onprem')}`,
      `delivery deliver ${at(F, 'onprem-gw:')}`,
    ]);
    expect(t.delivery).toMatchObject({ kind: 'on-premises', gateway: 'onprem-gw' });
    expect(t.hops.find((h) => h.kind === 'nat')?.detail).toBe('SNAT 10.1.1.4 -> 10.0.1.4 (network rules SNAT destinations outside the private ranges, F4.5.1; in forced-tunnel mode to a private address of the firewall, F4.7.5)');
  });

  it('F4.5.1: spoke->on-premises campus keeps its source (private destination) and leaves by the gateway BGP route', () => {
    const t = traceFrom(net(), 'host:app1', { dst: '192.168.10.5', port: 22 });
    expectTrace(t, 'delivered', [
      nsgOut(),
      toFirewall(),
      `peering allow hub/hub-to-spoke1 ${at(F, 'hub-to-spoke1')}`,
      `firewall allow hub-policy/rules/allow-out/spokes-anywhere ${at(F, 'spokes-anywhere')}`,
      `route forward gateway onprem-gw 192.168.0.0/16 ${at(F, 'onprem-gw:')}`,
      `delivery deliver ${at(F, 'campus:')}`,
    ]);
    expect(t.delivery).toMatchObject({ kind: 'external', name: 'campus' });
  });

  it('F4.7.6, §8.18: DNAT is not supported in forced-tunnel mode: a warning, and Internet->firewall public IP is dropped', () => {
    expect(fixture(F).diagnostics.filter((d) => d.code === 'TOPO309').map((d) => d.message)).toEqual([
      "firewall 'hub-fw' is in forced-tunnel mode, where Azure does not support DNAT; its 1 DNAT rules are ignored (F4.7.6)",
    ]);
    expect(net().firewalls.get('hub-fw')!.dnat).toEqual([]);
    const t = traceFromOutside(net(), { kind: 'internet' }, { src: '203.0.113.10', dst: '52.0.0.20', port: 2222 });
    expectTrace(t, 'dropped', [`firewall deny hub-fw/default-deny ${at(F, 'hub-fw:')}`]);
  });

  it('F3.4.1, F2.6.1: spokes that disable gateway route propagation get no gateway routes; the spoke that does not keeps them', () => {
    const n = net();
    const spoke1 = n.subnets.get('spoke1/app')!.routes.entries;
    const spoke3 = n.subnets.get('spoke3/ops')!.routes.entries;
    expect(spoke1.filter((e) => e.route.source === 'bgp')).toEqual([]);
    expect(spoke3.filter((e) => e.route.source === 'bgp').map((e) => e.route.ref.id).sort()).toEqual(['gateway onprem-gw 0.0.0.0/0', 'gateway onprem-gw 192.168.0.0/16']);
    // The 0/0 learned by BGP beats the system 0/0 (F2.4.2): spoke3 is forced to on premises too.
    expect(lookupRoute(n.subnets.get('spoke3/ops')!.routes, ip('8.8.8.8'))?.route.ref.id).toBe('gateway onprem-gw 0.0.0.0/0');
  });

  it('F3.4.3: on premises->spoke1 is inspected by the firewall (GatewaySubnet UDR) and its reply returns through it: delivered', () => {
    const t = traceFromOutside(net(), ONPREM, { src: '192.168.10.5', dst: '10.1.1.4', port: 22 });
    expectTrace(t, 'delivered', [
      `ingress forward ${at(F, 'onprem-gw:')}`,
      `route forward gateway-to-firewall/spoke1-via-firewall ${at(F, 'spoke1-via-firewall')}`,
      `firewall allow hub-policy/rules/allow-out/campus-to-spokes ${at(F, 'campus-to-spokes')}`,
      `route forward system 10.1.0.0/16 VNetPeering ${at(F, 'hub-to-spoke1')}`,
      `peering allow spoke1/spoke1-to-hub ${at(F, 'spoke1-to-hub')}`,
      nsgIn(),
    ]);
    expect(t.firewalls).toEqual(['hub-fw']);
  });

  it('F4.6, F3.4.3: on premises->spoke2 without a GatewaySubnet UDR goes direct, but the reply goes through the firewall: dropped as asymmetric', () => {
    const t = traceFromOutside(net(), ONPREM, { src: '192.168.10.5', dst: '10.2.1.4', port: 22 });
    expectTrace(t, 'dropped', [
      `ingress forward ${at(F, 'onprem-gw:')}`,
      `route forward system 10.2.0.0/16 VNetPeering ${at(F, 'hub-to-spoke2')}`,
      `peering allow spoke2/spoke2-to-hub ${at(F, 'spoke2-to-hub')}`,
      nsgIn(),
      `symmetry drop spoke-via-firewall/default-to-firewall ${at(F, 'default-to-firewall')}`,
    ]);
    expect(t.hops[t.hops.length - 1].detail).toContain('goes through firewall hub-fw, which never saw the request');
  });

  it('F3.2: on premises->spoke3 relayed by the hub VPN gateway needs no allowForwardedTraffic on spoke3', () => {
    const t = traceFromOutside(net(), ONPREM, { src: '192.168.10.5', dst: '10.3.1.4', port: 22 });
    expectTrace(t, 'delivered', [
      `ingress forward ${at(F, 'onprem-gw:')}`,
      `route forward system 10.3.0.0/16 VNetPeering ${at(F, 'hub-to-spoke3')}`,
      `peering allow spoke3/spoke3-to-hub ${at(F, 'spoke3-to-hub')}`,
      nsgIn(),
    ]);
    expect(t.hops[2].detail).toContain('relayed by the virtual network gateway');
  });
});
