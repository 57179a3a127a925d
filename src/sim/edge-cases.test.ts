/**
 * azure-semantics.md §8: the 28 edge cases a naive simulator gets wrong, each at
 * least once, named with its number and fact IDs. Where topo deliberately does not
 * model something, the test name says so and checks what topo does instead.
 */
import { describe, expect, it } from 'vitest';
import { IntervalSet } from '../headerspace/interval-set.js';
import { formatIpv4 } from '../net/ipv4.js';
import { lookupRoute } from '../model/routes.js';
import type { Network } from '../model/types.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import { loadScenario } from '../scenario/load.js';
import { at, expectTrace, fixture, ip, lineOf, REPO_ROOT, SEMANTICS_DIR, traceFrom, traceFromOutside } from '../../test/helpers/semantics.js';
import { buildTraceRequest } from './request.js';
import { simulate } from './simulate.js';

const INTERNET = { kind: 'internet' } as const;
const CLIENT = '203.0.113.10';

function tagAddress(net: Network, tag: string): string {
  return formatIpv4(net.catalog.ranges(net.catalog.lookup(tag)!)[0][0]);
}

/** The packet `topo trace --from A --to B` would send, simulated. */
function cliTrace(net: Network, from: string, to: string, port?: number) {
  const r = buildTraceRequest(net, { from, to, port });
  return simulate(net, r.origin, r.packet);
}

describe('§8 edge cases', () => {
  it('§8.1 F1.4.1-F1.4.3: inbound checks the subnet NSG before the NIC NSG, outbound the NIC NSG first; the first deny ends the chain', () => {
    const D = 'nsg-filtering-defaults.yaml';
    const inbound = traceFromOutside(fixture(D).network, INTERNET, { src: CLIENT, dst: '20.1.0.1', port: 80 });
    expect(inbound.hops.filter((h) => h.kind === 'nsg').map((h) => h.ruleId)).toEqual(['NSG1/DenyAllInBound']);
    const N2 = 'nsg-filtering-nsg2-denies-80-out.yaml';
    const outbound = traceFrom(fixture(N2).network, 'host:vm1', { dst: CLIENT, port: 80 });
    expect(outbound.hops.filter((h) => h.kind === 'nsg').map((h) => h.ruleId)).toEqual(['NSG2/nsg2-deny-80-out']);
  });

  it('§8.1 F1.4.5: same-subnet traffic is filtered too (NSG-INTRA-2): a deny-all below 65000 isolates VM1 from VM2', () => {
    const I = 'nsg-filtering-nsg1-isolates.yaml';
    expectTrace(traceFrom(fixture(I).network, 'host:vm2', { dst: '10.0.1.4', port: 443 }), 'dropped', [`nsg deny NSG1/nsg1-deny-all-out ${at(I, 'nsg1-deny-all-out')}`]);
  });

  it('§8.2 F1.6.1: VirtualNetwork holds the VNet, the connected peer, on-premises prefixes, 168.63.129.16 and the subnet\'s UDR prefixes', () => {
    const n = fixture('vnet-tag.yaml').network;
    const plain = n.subnets.get('main/plain')!.virtualNetworkTag;
    for (const a of ['10.0.9.9', '10.5.1.4', '192.168.3.3', '168.63.129.16']) expect(plain.has(ip(a)), a).toBe(true);
    expect(plain.has(ip('8.8.8.8'))).toBe(false);
    // The 0/0 UDR of `forced` makes its VirtualNetwork every address.
    expect(n.subnets.get('main/forced')!.virtualNetworkTag.equals(IntervalSet.of(0, 0xffffffff))).toBe(true);
  });

  it('§8.2 F1.6.1: with a 0/0 UDR an allow-VirtualNetwork rule lets Internet traffic out before deny-Internet; the same NSG on a subnet without the UDR denies it', () => {
    const F = 'vnet-tag.yaml';
    const n = fixture(F).network;
    expectTrace(traceFrom(n, 'host:forced-vm', { dst: '8.8.8.8' }), 'unknown', [`nsg allow shared-nsg/allow-vnet-out ${at(F, 'allow-vnet-out')}`, `route forward default-to-nva/default-nva ${at(F, 'default-nva,')}`, 'forwarding unknown']);
    expectTrace(traceFrom(n, 'host:plain-vm', { dst: '8.8.8.8' }), 'dropped', [`nsg deny shared-nsg/deny-internet-out ${at(F, 'deny-internet-out')}`]);
  });

  it('§8.3 F3.2 [CONFLICT, 2022 doc]: allowVirtualNetworkAccess false does not deny traffic; only the tag shrinks, so explicit IP rules still pass it', () => {
    const F = 'peer-access-blocked.yaml';
    const n = fixture(F).network;
    expect(traceFrom(n, 'host:spokevm', { dst: '10.0.2.5', port: 22 }).verdict).toBe('delivered');
    expect(traceFrom(n, 'host:spokevm', { dst: '10.0.2.4', port: 22 }).hops.at(-1)?.ruleId).toBe('hub-defaults/DenyAllInBound');
    // The link itself never drops: every peering hop allows.
    expect(traceFrom(n, 'host:spokevm', { dst: '10.0.2.4', port: 22 }).hops.filter((h) => h.kind === 'peering').map((h) => h.decision)).toEqual(['allow']);
  });

  it('§8.4 F3.2, F3.4.2: forwarded traffic is gated on the RECEIVING link, and the reply needs the flag on the other spoke too', () => {
    const F = 'peer-hub-firewall.yaml';
    const n = fixture(F).network;
    const request = traceFrom(n, 'host:app1', { dst: '10.3.1.4', port: 443 });
    expect(request.hops.at(-1)).toMatchObject({ kind: 'peering', decision: 'drop', ruleId: 'spoke3/spoke3-to-hub' });
    const reply = traceFrom(n, 'host:ops1', { dst: '10.2.1.4', port: 443 });
    expect(reply.hops.at(-1)).toMatchObject({ kind: 'symmetry', decision: 'drop', ruleId: 'spoke3/spoke3-to-hub' });
    expect(`${reply.hops.at(-1)!.loc!.file}:${reply.hops.at(-1)!.loc!.line}`).toBe(lineOf(F, 'spoke3-to-hub'));
  });

  it('§8.5 F3.3.3, F2.7.1: a 0/0 UDR catches neither a directly peered VNet nor a private endpoint (longer prefixes)', () => {
    const hub = traceFrom(fixture('peer-hub-firewall.yaml').network, 'host:app1', { dst: '10.0.2.4', port: 22 });
    expect(hub.firewalls).toEqual([]);
    const pe = fixture('private-endpoints.yaml').network;
    expect(lookupRoute(pe.subnets.get('app/via-default')!.routes, ip('10.2.2.5'))?.route.ref.id).toBe('private endpoint pe-enabled');
  });

  it('§8.6 F2.7.2: a 0.0.0.0/0 UDR never invalidates a private endpoint /32 route, even with RouteTableEnabled; a /16 UDR does', () => {
    const n = fixture('private-endpoints.yaml').network;
    expect(lookupRoute(n.subnets.get('app/via-default')!.routes, ip('10.2.4.5'))?.route.source).toBe('private-endpoint');
    expect(lookupRoute(n.subnets.get('app/via-vnet-prefix')!.routes, ip('10.2.4.5'))?.route.source).toBe('user');
    expect(lookupRoute(n.subnets.get('app/via-vnet-prefix')!.routes, ip('10.2.3.5'))?.route.source).toBe('private-endpoint');
  });

  it('§8.7 F1.9.2: with network policies Disabled (the default) the PE subnet NSG is silently bypassed for PE traffic but still filters other NICs', () => {
    const n = fixture('private-endpoints.yaml').network;
    expect(traceFrom(n, 'host:client-direct', { dst: '10.2.1.5', port: 445 }).verdict).toBe('delivered');
    expect(traceFrom(n, 'host:client-direct', { dst: '10.2.1.4', port: 445 }).hops.at(-1)?.ruleId).toBe('pe-nsg/deny-smb');
  });

  it('§8.8 F2.1.5: the reserved None routes drop unknown private destinations until a 0/0 UDR is associated (RT-12 vs RT-7)', () => {
    const n = fixture('routing-example.yaml').network;
    expect(lookupRoute(n.subnets.get('vnet1/subnet2')!.routes, ip('192.168.5.5'))?.route.nextHop.type).toBe('None');
    expect(lookupRoute(n.subnets.get('vnet1/subnet1')!.routes, ip('192.168.5.5'))?.route.nextHop.type).toBe('VirtualAppliance');
    expect(lookupRoute(n.subnets.get('vnet1/subnet1')!.routes, ip('100.64.0.1'))?.route.nextHop.type).toBe('VirtualAppliance');
    expect(lookupRoute(n.subnets.get('vnet1/subnet2')!.routes, ip('100.64.0.1'))?.route.nextHop.type).toBe('None');
  });

  it('§8.9 F2.4.2, F2.4.3: VNet and peering system routes beat MORE specific BGP routes; BGP beats an equal system None route', () => {
    const n = fixture('bgp-exception.yaml').network;
    const r = (a: string) => lookupRoute(n.subnets.get('vnet1/app')!.routes, ip(a))?.route.ref.id;
    expect(r('10.0.5.10')).toBe('system 10.0.0.0/16 VnetLocal');
    expect(r('10.1.0.5')).toBe('system 10.1.0.0/16 VNetPeering');
    expect(r('172.16.1.1')).toBe('gateway er 172.16.0.0/12');
  });

  it('§8.10 F2.8.1, F5.3.6: through a service endpoint the source is private: the IP rule for the VM\'s public IP stops matching (paired region)', () => {
    const F = 'paas-storage.yaml';
    const t = cliTrace(fixture(F).network, 'se-vm', 'pairstore');
    expectTrace(t, 'dropped', ['nsg allow', `route forward service endpoint Microsoft.Storage ${at(F, 'se: {')}`, 'egress forward', `paas deny ${at(F, 'ipRules: [20.3.0.1] }')}`]);
    expect(t.hops[2].detail).toBe('to the service with source 10.1.1.4 and the identity of research/se (F2.8.1)');
  });

  it('§8.10 F5.3.4: only a virtual network rule admits service-endpoint traffic', () => {
    const F = 'paas-storage.yaml';
    const t = cliTrace(fixture(F).network, 'se-vm', 'nearstore');
    expectTrace(t, 'delivered', ['nsg allow', `route forward service endpoint Microsoft.Storage ${at(F, 'se: {')}`, 'egress forward', `paas allow ${at(F, 'virtualNetworkRules: [research/se]')}`]);
  });

  it('§8.11 F5.3.6: Storage IP rules are skipped for callers in the account\'s region, and apply to callers elsewhere', () => {
    const F = 'paas-storage.yaml';
    const n = fixture(F).network;
    const same = cliTrace(n, 'plain-vm', 'nearstore');
    expect(same.verdict).toBe('dropped');
    expect(same.hops.at(-1)?.detail).toContain("IP rules do not apply to requests from the account's own region (eastus)");
    expect(cliTrace(n, 'plain-vm', 'farstore').hops.at(-1)).toMatchObject({ kind: 'paas', decision: 'allow', rule: 'farstore networkAcls.ipRules' });
  });

  it('§8.11 F5.3.5: IP rules may not hold RFC 1918 ranges or /32 prefixes (rejected on load)', () => {
    const f = 'rejected-by-azure.yaml';
    expect(rejected(f, 'TOPO200')).toEqual([lineOf(f, 'ipRules: [10.0.0.0/8'), lineOf(f, 'ipRules: [10.0.0.0/8')]);
  });

  it('§8.12 F5.3.9: trusted-service and resource-instance exceptions are NOT modelled (no trusted-service origin); with publicNetworkAccess Disabled topo denies every public-endpoint client', () => {
    const F = 'paas-storage.yaml';
    const t = cliTrace(fixture(F).network, 'plain-vm', 'lockedstore');
    expect(t.verdict).toBe('dropped');
    expect(t.hops.at(-1)).toMatchObject({ kind: 'paas', decision: 'deny', rule: 'lockedstore publicNetworkAccess Disabled' });
    expect(fixture(F).network.resources.get('lockedstore')!.bypass).toEqual(['AzureServices']);
  });

  it('§8.13 F5.3.10: control-plane calls are not modelled as PaaS traffic: a VM reaching Azure Resource Manager is never judged by an account\'s networkAcls', () => {
    const n = fixture('paas-storage.yaml').network;
    const t = traceFrom(n, 'host:plain-vm', { dst: tagAddress(n, 'AzureResourceManager'), port: 443 });
    expect(t.verdict).toBe('delivered');
    expect(t.hops.some((h) => h.kind === 'paas')).toBe(false);
    expect(t.delivery).toMatchObject({ kind: 'internet', adversarial: false });
  });

  it('§8.14 F5.1.6: a private endpoint does not close the public endpoint; the address the client uses (its DNS) decides the path', () => {
    const F = 'paas-storage.yaml';
    const n = fixture(F).network;
    const publicPath = cliTrace(n, 'internet', 'openstore');
    expect(publicPath.verdict).toBe('delivered');
    expect(publicPath.delivery).toMatchObject({ kind: 'paas-public', resource: 'openstore', groupId: 'blob' });
    const privatePath = cliTrace(n, 'se-vm', 'openstore');
    expect(privatePath.delivery).toMatchObject({ kind: 'private-endpoint', resource: 'openstore' });
  });

  it('§8.15 F4.2.2, F4.2.3: Azure Firewall orders by type before priority (FW-1) and parent policy groups before child groups (FW-3)', () => {
    const fw1 = traceFrom(fixture('firewall-fw1.yaml').network, 'host:app1', { dst: '203.0.113.20', port: 443, name: 'google.com' });
    expect(fw1.hops.find((h) => h.kind === 'firewall')?.ruleId).toBe('policy/rcg/Allow-web/allow-web');
    const fw3 = traceFrom(fixture('firewall-fw3-inheritance.yaml').network, 'host:app1', { dst: '10.2.1.4', port: 5000 });
    expect(fw3.hops.filter((h) => h.kind === 'firewall' && h.decision !== 'info').map((h) => h.ruleId)).toEqual(['base/BaseRCG2/NetworkRC2/deny-to-spoke2']);
  });

  describe('§8.16 F4.4, F4.3.5: application-rule FQDN semantics', () => {
    const F = 'firewall-app-rules.yaml';
    const n = () => fixture(F).network;

    it('§8.16 F4.4.3: *.contoso.com matches a.b.contoso.com but not contoso.com', () => {
      expect(traceFrom(n(), 'host:app1', { dst: '203.0.113.20', port: 443, name: 'a.b.contoso.com' }).hops.find((h) => h.kind === 'firewall')?.ruleId).toBe('policy/rules/web/contoso-subdomains');
      const bare = traceFrom(n(), 'host:app1', { dst: '203.0.113.20', port: 443, name: 'contoso.com' });
      expect(bare.hops.at(-1)).toMatchObject({ kind: 'firewall', decision: 'deny', ruleId: 'fw/default-deny' });
    });

    it('§8.16 F4.2.6: application rules apply to HTTP/HTTPS/MSSQL over TCP only: UDP to the same name falls to the default deny', () => {
      const t = traceFrom(n(), 'host:app1', { dst: '203.0.113.20', port: 443, protocol: 'udp', name: 'www.contoso.com' });
      expect(t.hops.at(-1)).toMatchObject({ kind: 'firewall', decision: 'deny', ruleId: 'fw/default-deny' });
    });

    it('§8.16 F4.3.5: FQDNs in a network rule without the DNS proxy give unknown, with the reason', () => {
      const t = traceFrom(n(), 'host:app1', { dst: '203.0.113.30', port: 123, protocol: 'udp', name: 'time.example.org' });
      expectTrace(t, 'unknown', ['nsg allow', `route forward via-firewall/default-to-firewall ${at(F, 'default-to-firewall')}`, `peering allow hub/hub-to-spoke1 ${at(F, 'hub-to-spoke1')}`, `firewall unknown policy/rules/network/ntp-by-name ${at(F, 'ntp-by-name')}`]);
      expect(t.reason).toContain('no DNS proxy');
    });

    it('§8.16 F4.4.4, F4.4.3: FQDN tags need https and right-hand wildcards are invalid (rejected on load)', () => {
      const f = 'rejected-by-azure.yaml';
      expect(rejected(f, 'TOPO219')).toContain(lineOf(f, 'fqdn-tag-over-http'));
      expect(rejected(f, 'TOPO218')).toEqual([lineOf(f, 'right-wildcard')]);
    });
  });

  it('§8.17 F4.5: network rules keep the source to private destinations, application rules and DNAT SNAT to the firewall; downstream NSGs see the translated tuple', () => {
    const peer = traceFrom(fixture('peer-hub-firewall.yaml').network, 'host:app1', { dst: '10.2.1.4', port: 1433 });
    expect(peer.hops.find((h) => h.kind === 'nat')).toMatchObject({ decision: 'info' });
    const app = traceFrom(fixture('private-endpoints.yaml').network, 'host:client-vnet-prefix', { dst: '10.2.4.5', port: 443, name: 'pestore.blob.core.windows.net' });
    expect(app.hops.find((h) => h.kind === 'nat')?.detail).toContain('-> 10.0.1.4 (application rules always SNAT');
    const dnat = traceFromOutside(fixture('firewall-fw3-inheritance.yaml').network, INTERNET, { src: CLIENT, dst: '52.0.0.10', port: 8001 });
    // db-nsg denies 203.0.113.0/24 first; it never matches because the NSG sees the firewall's address.
    expect(dnat.hops.at(-1)).toMatchObject({ kind: 'nsg', decision: 'allow', ruleId: 'db-nsg/allow-from-firewall' });
  });

  it('§8.18 F4.5.5 [CONFLICT, 2023 text], F4.7.6: a DNAT match is an allow that network denies do not revisit; DNAT is unavailable in forced-tunnel mode', () => {
    const dnat = traceFromOutside(fixture('firewall-fw3-inheritance.yaml').network, INTERNET, { src: CLIENT, dst: '52.0.0.10', port: 8443 });
    expect(dnat.verdict).toBe('delivered');
    expect(dnat.hops.some((h) => h.ruleId === 'base/BaseRCG2/NetworkRC2/deny-to-spoke2')).toBe(false);
    const forced = traceFromOutside(fixture('forced-tunnel.yaml').network, INTERNET, { src: CLIENT, dst: '52.0.0.20', port: 2222 });
    expect(forced.verdict).toBe('dropped');
  });

  it('§8.19 F1.5, F4.6: session semantics over time are NOT modelled: each trace is a new connection against the current rules; a reverse-direction deny is not flagged on the allowed flow, it only denies new reverse connections', () => {
    const F = 'firewall-app-rules.yaml';
    const n = fixture(F).network;
    const forward = traceFrom(n, 'host:app1', { dst: '10.2.1.4', port: 1433 });
    expect(forward.verdict).toBe('delivered');
    expect(forward.hops.some((h) => h.ruleId === 'policy/rules/deny-reverse/spoke2-to-spoke1')).toBe(false);
    expectTrace(traceFrom(n, 'host:db1', { dst: '10.1.1.4', port: 1433 }), 'dropped', [
      'nsg allow',
      `route forward via-firewall/default-to-firewall ${at(F, 'default-to-firewall')}`,
      `peering allow hub/hub-to-spoke2 ${at(F, 'hub-to-spoke2')}`,
      `firewall deny policy/rules/deny-reverse/spoke2-to-spoke1 ${at(F, 'name: spoke2-to-spoke1')}`,
    ]);
  });

  describe('§8.20 F4.3.2, F4.3.3, F1.1.3: protocol "Any" and empty IP groups', () => {
    const F = 'firewall-app-rules.yaml';

    it('§8.20 F4.3.2: a firewall network rule with protocol Any and explicit ports covers TCP and UDP, not ICMP', () => {
      const n = fixture(F).network;
      expect(traceFrom(n, 'host:app1', { dst: '198.51.100.53', port: 53, protocol: 'udp' }).hops.find((h) => h.kind === 'firewall')?.ruleId).toBe('policy/rules/network/any-with-ports');
      expect(traceFrom(n, 'host:app1', { dst: '198.51.100.53', port: 53, protocol: 'tcp' }).hops.find((h) => h.kind === 'firewall')?.ruleId).toBe('policy/rules/network/any-with-ports');
      expect(traceFrom(n, 'host:app1', { dst: '198.51.100.53', protocol: 'icmp' }).hops.at(-1)).toMatchObject({ kind: 'firewall', decision: 'deny', ruleId: 'fw/default-deny' });
    });

    it('§8.20 F4.3.3: a rule whose IP group is empty is skipped, with a warning', () => {
      const f = fixture(F);
      expect(f.diagnostics.filter((d) => d.code === 'TOPO306').map((d) => d.message)).toContain('policy/rules/network/from-empty-group is skipped: it uses an empty IP group (F4.3.3)');
      expect(f.network.firewalls.get('fw')!.network.map((r) => r.ref.id)).not.toContain('policy/rules/network/from-empty-group');
    });

    it('§8.20 F1.1.3: an NSG rule with protocol "*" matches ICMP and ESP as well as TCP', () => {
      const I = 'nsg-filtering-nsg1-isolates.yaml';
      const n = fixture(I).network;
      for (const protocol of ['icmp', 'esp', 'udp'] as const) expect(traceFrom(n, 'host:vm2', { dst: '10.0.1.4', protocol, port: 500 }).hops.at(-1)?.ruleId, protocol).toBe('NSG1/nsg1-deny-all-out');
    });
  });

  describe('§8.21 F4.3.4, F7.1: service-tag placement', () => {
    it('§8.21 F4.3.4, F2.3.4: tags as firewall sources, VirtualNetwork in the firewall and Internet in a UDR are rejected on load', () => {
      const f = 'rejected-by-azure.yaml';
      expect(rejected(f, 'TOPO217')).toEqual([lineOf(f, 'name: tag-route'), lineOf(f, 'tag-as-source'), lineOf(f, 'vnet-tag-in-firewall')]);
    });

    it('§8.21 F4.3.4: Microsoft Entra ID is blocked by the firewall unless a rule allows the AzureActiveDirectory tag', () => {
      const F = 'firewall-app-rules.yaml';
      const n = fixture(F).network;
      const aad = tagAddress(n, 'AzureActiveDirectory');
      expect(traceFrom(n, 'host:app1', { dst: aad, port: 443 }).hops.find((h) => h.kind === 'firewall')?.ruleId).toBe('policy/rules/network/entra-id');
      expect(traceFrom(n, 'host:app2', { dst: aad, port: 443 }).hops.at(-1)).toMatchObject({ kind: 'firewall', decision: 'deny', ruleId: 'fw/default-deny' });
    });
  });

  describe('§8.22 F1.6.3, F1.6.4: platform traffic', () => {
    const F = 'nsg-addresses.yaml';

    it('§8.22 F1.6.4: DNS and IMDS at 168.63.129.16 / 169.254.169.254 bypass an NSG that denies everything', () => {
      const n = fixture(F).network;
      for (const [dst, port] of [['168.63.129.16', 53], ['169.254.169.254', 80]] as const) {
        const t = traceFrom(n, 'host:locked-vm', { dst, port, protocol: 'udp' });
        expect(t.verdict, dst).toBe('delivered');
        expect(t.hops.map((h) => h.kind)).toEqual(['platform']);
      }
    });

    it('§8.22 F1.6.4: only an AzurePlatform* rule filters it: AzurePlatformDNS denies 168.63.129.16, IMDS still passes', () => {
      const n = fixture(F).network;
      expectTrace(traceFrom(n, 'host:no-dns-vm', { dst: '168.63.129.16', port: 53, protocol: 'udp' }), 'dropped', [`nsg deny deny-platform-dns/deny-azure-dns ${at(F, 'deny-azure-dns')}`]);
      expect(traceFrom(n, 'host:no-dns-vm', { dst: '169.254.169.254', port: 80 }).verdict).toBe('delivered');
    });

    it('§8.22 F1.6.3, F1.2.5: AzureLoadBalancer is 168.63.129.16 only: a client reaching a VM keeps its own address and meets DenyAllInBound', () => {
      const n = fixture(F).network;
      const program = n.nsgProgram('web-nsg', 'Inbound', n.subnets.get('vnet1/web')!);
      const lb = program.rules.find((r) => r.ref.id === 'web-nsg/AllowAzureLoadBalancerInBound')!;
      expect(lb.boxes.every((b) => b[1].equals(IntervalSet.point(ip('168.63.129.16'))))).toBe(true);
      expect(traceFromOutside(n, INTERNET, { src: CLIENT, dst: '20.4.0.1', port: 9000 }).hops.at(-1)?.ruleId).toBe('web-nsg/DenyAllInBound');
    });
  });

  it('§8.23 F1.2.4: NSGs see private addresses: a rule on the VM\'s public IP never matches, one on its private IP does', () => {
    const F = 'nsg-addresses.yaml';
    const n = fixture(F).network;
    expectTrace(traceFromOutside(n, INTERNET, { src: CLIENT, dst: '20.4.0.1', port: 443 }), 'dropped', [`ingress translate ${at(F, 'web-vm:')}`, `nsg deny web-nsg/DenyAllInBound ${at(F, 'web-nsg:')}`]);
    expectTrace(traceFromOutside(n, INTERNET, { src: CLIENT, dst: '20.4.0.1', port: 8443 }), 'delivered', [`ingress translate ${at(F, 'web-vm:')}`, `nsg allow web-nsg/allow-8443-to-private-ip ${at(F, 'allow-8443-to-private-ip')}`]);
    // Outbound, the NSG sees the private source before SNAT: the deny on the public IP does not match.
    expect(traceFrom(n, 'host:web-vm', { dst: CLIENT, port: 443 }).hops[0]).toMatchObject({ decision: 'allow', ruleId: 'web-nsg/AllowInternetOutBound' });
  });

  it('§8.24 F1.7.2, F1.7.3: an ASG rule is invisible to non-member NICs of the same subnet (ASG-2); an ASG spanning VNets is rejected on load', () => {
    const t = traceFromOutside(fixture('asg-example.yaml').network, INTERNET, { src: CLIENT, dst: '20.2.0.3', port: 80 });
    expect(t.hops.at(-1)?.ruleId).toBe('NSG1/DenyAllInBound');
    const f = 'rejected-by-azure.yaml';
    expect(rejected(f, 'TOPO219')).toContain(lineOf(f, 'spokevm-web'));
  });

  describe('§8.25 F4.9.2, F6.1, F2.3.5: special subnets', () => {
    it('§8.25: an NSG on AzureFirewallSubnet and a route table on AzureBastionSubnet are rejected; a 0/0 UDR on GatewaySubnet is warned about', () => {
      const f = 'rejected-by-azure.yaml';
      expect(rejected(f, 'TOPO213')).toEqual([lineOf(f, 'AzureFirewallSubnet:')]);
      expect(rejected(f, 'TOPO214')).toEqual([lineOf(f, 'AzureBastionSubnet:')]);
      expect(rejected(f, 'TOPO304')).toEqual([lineOf(f, 'gateway-zero')]);
    });

    it('§8.25 F6.1.2: the full Bastion NSG rule set is NOT checked; topo evaluates the AzureBastionSubnet NSG like any other, and Bastion reaches a peered VM (F6.1.4)', () => {
      const F = 'bastion.yaml';
      const f = fixture(F);
      expect(f.diagnostics.map((d) => d.code)).toEqual([]);
      const t = traceFrom(f.network, 'subnet:hub/AzureBastionSubnet', { dst: '10.1.1.4', port: 22 });
      expectTrace(t, 'delivered', [
        `nsg allow bastion-nsg/AllowVnetOutBound ${at(F, 'bastion-nsg:')}`,
        `route forward system 10.1.0.0/16 VNetPeering ${at(F, 'hub-to-spoke')}`,
        `peering allow spoke/spoke-to-hub ${at(F, 'spoke-to-hub')}`,
        `nsg allow app-nsg/ssh-from-bastion ${at(F, 'ssh-from-bastion')}`,
      ]);
    });
  });

  it('§8.26 F3.2, F2.6.1: useRemoteGateways needs the peer\'s allowGatewayTransit (rejected otherwise); gateway routes reach spokes unless propagation is disabled', () => {
    const f = 'rejected-by-azure.yaml';
    expect(rejected(f, 'TOPO226')).toEqual([lineOf(f, 'spoke-to-hub:')]);
    const n = fixture('forced-tunnel.yaml').network;
    expect(lookupRoute(n.subnets.get('spoke3/ops')!.routes, ip('192.168.10.5'))?.route.source).toBe('bgp');
    expect(lookupRoute(n.subnets.get('spoke1/app')!.routes, ip('192.168.10.5'))?.route.source).toBe('user');
  });

  it('§8.27 F5.1.8, F5.5: ACR registry and data FQDNs are both the registry\'s own names; the Premium tier and trusted-service bypass are NOT modelled: a Basic registry\'s IP rules are applied as written', () => {
    const n = fixture('paas-storage.yaml').network;
    expect(n.names.filter((c) => c.resource?.name === 'myacr').map((c) => `${c.label} ${c.kind} ${c.resource!.groupId}`)).toEqual(['myacr.azurecr.io own registry', 'myacr.westeurope.data.azurecr.io own registry']);
    const t = cliTrace(n, 'internet', 'myacr');
    expect(t.verdict).toBe('delivered');
    expect(t.hops.at(-1)).toMatchObject({ kind: 'paas', decision: 'allow', rule: 'myacr networkAcls.ipRules' });
  });

  it('§8.28 F1.6.6, F11.5: outbound TCP 25 is NOT blocked (the subscription type is unknown): the trace is delivered with an informational egress hop saying so', () => {
    const t = traceFrom(fixture('nsg-filtering-defaults.yaml').network, 'host:vm4', { dst: CLIENT, port: 25 });
    expect(t.verdict).toBe('delivered');
    expect(t.hops.find((h) => h.kind === 'egress' && h.decision === 'info')?.detail).toContain('F1.6.6');
    expect(traceFrom(fixture('nsg-filtering-defaults.yaml').network, 'host:vm4', { dst: CLIENT, port: 587 }).hops.some((h) => h.decision === 'info')).toBe(false);
  });
});

/** `file:line` of each diagnostic with this code in a fixture that does not load. */
function rejected(name: string, code: string): string[] {
  const f = loadRejected(name);
  return f.filter((d) => d.code === code).map((d) => `${d.loc!.file}:${d.loc!.line}`);
}

const rejectedCache = new Map<string, readonly Diagnostic[]>();
function loadRejected(name: string): readonly Diagnostic[] {
  let hit = rejectedCache.get(name);
  if (!hit) {
    const loaded = loadScenario(`${SEMANTICS_DIR}/${name}`, { cwd: REPO_ROOT });
    expect(loaded.scenario, `${name} is meant not to load`).toBeUndefined();
    hit = loaded.diagnostics;
    rejectedCache.set(name, hit);
  }
  return hit;
}
