/**
 * azure-semantics.md §4.2: the Azure Firewall processing examples FW-1, FW-2, FW-3
 * as traces, with the SNAT and DNAT behaviour of F4.5.
 */
import { describe, expect, it } from 'vitest';
import { at, expectTrace, fixture, traceFrom, traceFromOutside } from '../../test/helpers/semantics.js';

const TOPO = 'firewall-topology.yaml';
const toFirewall = () => `route forward spoke-via-firewall/default-to-firewall ${at(TOPO, 'default-to-firewall')}`;
const intoHub = () => `peering allow hub/hub-to-spoke1 ${at(TOPO, 'hub-to-spoke1')}`;
const fwToInternet = () => `route forward firewall-internet/firewall-to-internet ${at(TOPO, 'firewall-to-internet')}`;
const fwEgress = () => `egress forward ${at(TOPO, '  fw:')}`;
const INTERNET_ADDR = '203.0.113.20';

describe('§4.2 FW-1 and FW-2', () => {
  it('FW-1 F4.2.2, F4.2.5, §8.15: https://google.com is allowed by the network rule Allow-web; the application deny is never consulted', () => {
    const F = 'firewall-fw1.yaml';
    const t = traceFrom(fixture(F).network, 'host:app1', { dst: INTERNET_ADDR, port: 443, name: 'google.com' });
    expectTrace(t, 'delivered', ['nsg allow', toFirewall(), intoHub(), `firewall allow policy/rcg/Allow-web/allow-web ${at(F, 'name: allow-web')}`, 'nat translate', fwToInternet(), fwEgress(), 'delivery deliver']);
    expect(t.hops.some((h) => h.ruleId?.includes('Deny-google'))).toBe(false);
    expect(t.hops.find((h) => h.kind === 'nat')?.detail).toBe('SNAT 10.1.1.4 -> 52.0.0.10 (network rules SNAT destinations outside the private ranges, F4.5.1)');
  });

  it('FW-1: the application deny is compiled and in place; it is simply never reached for traffic the network rule allows', () => {
    const F = 'firewall-fw1.yaml';
    const fw = fixture(F).network.firewalls.get('fw')!;
    expect(fw.application.map((r) => [r.ref.id, r.action])).toEqual([['policy/rcg/Deny-google/deny-google', 'Deny']]);
  });

  it('FW-2 F4.2.4: SSH matched by Deny-collection (100) and Allow-collection (200) is denied: the lower number wins', () => {
    const F = 'firewall-fw2.yaml';
    const t = traceFrom(fixture(F).network, 'host:app1', { dst: '10.2.1.4', port: 22 });
    expectTrace(t, 'dropped', ['nsg allow', toFirewall(), intoHub(), `firewall deny policy/rcg/Deny-collection/deny-ssh ${at(F, 'name: deny-ssh')}`]);
  });

  it('FW-2: a port neither collection names falls to the default deny', () => {
    const F = 'firewall-fw2.yaml';
    const t = traceFrom(fixture(F).network, 'host:app1', { dst: '10.2.1.4', port: 3389 });
    expectTrace(t, 'dropped', ['nsg allow', toFirewall(), intoHub(), `firewall deny fw/default-deny ${at(TOPO, '  fw:')}`]);
    expect(t.reason).toContain('default deny, F4.2.8');
  });
});

describe('§4.2 FW-3: packets decided by the expected collection', () => {
  const F = 'firewall-fw3-inheritance.yaml';
  const net = () => fixture(F).network;

  it('F4.2.3: spoke1->spoke2 TCP/5000 is denied by the parent NetworkRC2 although the child ChNetRC1 (collection 700) also matches', () => {
    const t = traceFrom(net(), 'host:app1', { dst: '10.2.1.4', port: 5000 });
    expectTrace(t, 'dropped', ['nsg allow', toFirewall(), intoHub(), `firewall deny base/BaseRCG2/NetworkRC2/deny-to-spoke2 ${at(F, 'deny-to-spoke2')}`]);
  });

  it('F4.2.4: spoke1->spoke2 TCP/22 is allowed by NetworkRC1 (group 200) before NetworkRC2 (group 300) denies it', () => {
    const t = traceFrom(net(), 'host:app1', { dst: '10.2.1.4', port: 22 });
    expectTrace(t, 'delivered', [
      'nsg allow',
      toFirewall(),
      intoHub(),
      `firewall allow base/BaseRCG1/NetworkRC1/spoke1-ssh-to-spoke2 ${at(F, 'spoke1-ssh-to-spoke2')}`,
      `route forward system 10.2.0.0/16 VNetPeering ${at(TOPO, 'hub-to-spoke2')}`,
      `peering allow spoke2/spoke2-to-hub ${at(TOPO, 'spoke2-to-hub')}`,
      `nsg allow db-nsg/AllowVNetInBound ${at(TOPO, 'db-nsg:')}`,
    ]);
  });

  it('F4.2.2, §8.15: https to www.example.com is allowed by the child network ChNetRC1 although the parent application AppRC2 denies it', () => {
    const t = traceFrom(net(), 'host:app1', { dst: INTERNET_ADDR, port: 443, name: 'www.example.com' });
    expectTrace(t, 'delivered', ['nsg allow', toFirewall(), intoHub(), `firewall allow policy/ChildRCG1/ChNetRC1/spoke1-out ${at(F, 'spoke1-out')}`, 'nat translate', fwToInternet(), fwEgress(), 'delivery deliver']);
  });

  it('F4.2.4, F4.5.3: http to www.contoso.com is allowed by ChAppRC1 before ChAppRC2 denies every name; application rules SNAT', () => {
    const t = traceFrom(net(), 'host:app1', { dst: INTERNET_ADDR, port: 80, name: 'www.contoso.com' });
    expectTrace(t, 'delivered', ['nsg allow', toFirewall(), intoHub(), `firewall allow policy/ChildRCG1/ChAppRC1/allow-contoso ${at(F, 'allow-contoso')}`, 'nat translate', fwToInternet(), fwEgress(), 'delivery deliver']);
    expect(t.hops.find((h) => h.kind === 'nat')?.detail).toContain('application rules always SNAT, F4.5.3');
  });

  it('F4.2.7: a deny-all application collection processed last overrides the infrastructure collection for other names', () => {
    const t = traceFrom(net(), 'host:app1', { dst: INTERNET_ADDR, port: 80, name: 'www.fabrikam.com' });
    expectTrace(t, 'dropped', ['nsg allow', toFirewall(), intoHub(), `firewall deny policy/ChildRCG2/ChAppRC2/deny-all-web ${at(F, 'deny-all-web')}`]);
  });

  it('F4.2.2, F4.5.4, F4.5.5, §8.17, §8.18: DNAT by the child ChDNATRC3 allows the flow; NetworkRC2 (deny 8443 to spoke2) is not consulted; db-nsg sees the firewall address', () => {
    const t = traceFromOutside(net(), { kind: 'internet' }, { src: '203.0.113.10', dst: '52.0.0.10', port: 8443 });
    expectTrace(t, 'delivered', [
      `firewall translate policy/ChildRCG2/ChDNATRC3/https-8443 ${at(F, 'https-8443')}`,
      `route forward system 10.2.0.0/16 VNetPeering ${at(TOPO, 'hub-to-spoke2')}`,
      `peering allow spoke2/spoke2-to-hub ${at(TOPO, 'spoke2-to-hub')}`,
      `nsg allow db-nsg/allow-from-firewall ${at(TOPO, 'allow-from-firewall')}`,
    ]);
    expect(t.hops[1].detail).toContain('DNAT 52.0.0.10:8443 -> 10.2.1.4:443, SNAT source -> 10.0.1.4');
    expect(t.hops[0]).toMatchObject({ decision: 'info', detail: expect.stringContaining('threat intelligence in Alert mode runs first, before DNAT') });
  });

  it('F4.5.4: traffic to the firewall public IP that no DNAT rule matches is dropped', () => {
    const t = traceFromOutside(net(), { kind: 'internet' }, { src: '203.0.113.10', dst: '52.0.0.10', port: 9999 });
    expectTrace(t, 'dropped', [`firewall deny fw/default-deny ${at(TOPO, '  fw:')}`]);
  });
});

describe('F4.5.2: the SNAT private ranges setting (network rules only)', () => {
  it('0.0.0.0/0: a network rule never SNATs, so Internet-bound traffic cannot leave the firewall', () => {
    const F = 'firewall-snat-never.yaml';
    const t = traceFrom(fixture(F).network, 'host:app1', { dst: INTERNET_ADDR, port: 443 });
    expectTrace(t, 'dropped', ['nsg allow', toFirewall(), intoHub(), `firewall allow policy/rcg/net/https-out ${at(F, 'https-out')}`, fwToInternet(), 'egress drop']);
    expect(t.hops.find((h) => h.kind === 'nat')?.detail).toContain('no SNAT: 203.0.113.20 is in the firewall\'s private ranges');
    expect(t.reason).toContain('F4.5.2');
  });

  it('0.0.0.0/0: application rules still SNAT and reach the Internet', () => {
    const F = 'firewall-snat-never.yaml';
    const t = traceFrom(fixture(F).network, 'host:app1', { dst: INTERNET_ADDR, port: 80, name: 'www.contoso.com' });
    expectTrace(t, 'delivered', ['nsg allow', toFirewall(), intoHub(), `firewall allow policy/rcg/app/http-contoso ${at(F, 'http-contoso')}`, 'nat translate', fwToInternet(), fwEgress(), 'delivery deliver']);
  });

  it('255.255.255.255/32: a network rule SNATs even private destinations; the downstream NSG sees the firewall (§8.17)', () => {
    const F = 'firewall-snat-always.yaml';
    const t = traceFrom(fixture(F).network, 'host:app1', { dst: '10.2.1.4', port: 22 });
    expectTrace(t, 'delivered', [
      'nsg allow',
      toFirewall(),
      intoHub(),
      `firewall allow policy/rcg/net/spoke1-to-spoke2 ${at(F, 'spoke1-to-spoke2')}`,
      'nat translate',
      `route forward system 10.2.0.0/16 VNetPeering ${at(TOPO, 'hub-to-spoke2')}`,
      `peering allow spoke2/spoke2-to-hub ${at(TOPO, 'spoke2-to-hub')}`,
      `nsg allow db-nsg/allow-from-firewall ${at(TOPO, 'allow-from-firewall')}`,
    ]);
    expect(t.hops.find((h) => h.kind === 'nat')?.detail).toBe('SNAT 10.1.1.4 -> 10.0.1.4 (network rules SNAT destinations outside the private ranges, F4.5.1)');
  });
});

