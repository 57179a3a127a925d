/**
 * Private endpoints with and without network policies (F1.9, F2.7, F5.1), the
 * /32 invalidation conditions of F2.7.2 and the reply symmetry of F2.7.4.
 */
import { describe, expect, it } from 'vitest';
import { lookupRoute } from '../model/routes.js';
import { at, expectTrace, fixture, ip, traceFrom } from '../../test/helpers/semantics.js';

const F = 'private-endpoints.yaml';
const net = () => fixture(F).network;
const PE = { disabled: '10.2.1.5', enabled: '10.2.2.5', nsgOnly: '10.2.3.5', routesOnly: '10.2.4.5' } as const;

function winning(subnet: string, addr: string): string {
  return lookupRoute(net().subnets.get(subnet)!.routes, ip(addr))!.route.ref.id;
}

describe('F1.9.2, §8.7: which policies make the subnet NSG apply to private endpoint traffic', () => {
  const viaPeering = () => `peering allow data/data-to-app ${at(F, 'data-to-app:')}`;

  it('Disabled (the default): the NSG that denies SMB is bypassed, the trace says so and where the policy is set', () => {
    const t = traceFrom(net(), 'host:client-direct', { dst: PE.disabled, port: 445 });
    expectTrace(t, 'delivered', ['nsg allow', `route forward private endpoint pe-disabled ${at(F, 'pe-disabled: { subnet')}`, viaPeering(), `nsg allow ${at(F, 'pe-disabled: { addressPrefix')}`, `paas deliver ${at(F, 'pe-disabled: { subnet')}`]);
    expect(t.hops[3].rule).toBe('data/pe-disabled privateEndpointNetworkPolicies Disabled (default)');
  });

  it('Enabled: the subnet NSG applies and deny-smb drops the flow', () => {
    expectTrace(traceFrom(net(), 'host:client-direct', { dst: PE.enabled, port: 445 }), 'dropped', ['nsg allow', `route forward private endpoint pe-enabled ${at(F, 'pe-enabled: { subnet')}`, viaPeering(), `nsg deny pe-nsg/deny-smb ${at(F, 'deny-smb')}`]);
  });

  it('NetworkSecurityGroupEnabled: the subnet NSG applies and deny-smb drops the flow', () => {
    expectTrace(traceFrom(net(), 'host:client-direct', { dst: PE.nsgOnly, port: 445 }), 'dropped', ['nsg allow', `route forward private endpoint pe-nsg-only ${at(F, 'pe-nsg-only: { subnet')}`, viaPeering(), `nsg deny pe-nsg/deny-smb ${at(F, 'deny-smb')}`]);
  });

  it('RouteTableEnabled: NSGs are still bypassed for the private endpoint', () => {
    const t = traceFrom(net(), 'host:client-direct', { dst: PE.routesOnly, port: 445 });
    expectTrace(t, 'delivered', ['nsg allow', `route forward private endpoint pe-routes-only ${at(F, 'pe-routes-only: { subnet')}`, viaPeering(), `nsg allow ${at(F, 'pe-routes-only: { addressPrefix')}`, `paas deliver ${at(F, 'pe-routes-only: { subnet')}`]);
    expect(t.hops[3].rule).toBe('data/pe-routes-only privateEndpointNetworkPolicies RouteTableEnabled');
  });

  it('F1.9.1: other NICs of a Disabled subnet are still filtered by its NSG', () => {
    expectTrace(traceFrom(net(), 'host:client-direct', { dst: '10.2.1.4', port: 445 }), 'dropped', ['nsg allow', `route forward system 10.2.0.0/16 VNetPeering ${at(F, 'app-to-data:')}`, viaPeering(), `nsg deny pe-nsg/deny-smb ${at(F, 'deny-smb')}`]);
  });

  it('F1.9.3, §8.7: with policies on, source-port conditions are treated as "*" for the private endpoint, not for a VM', () => {
    expectTrace(traceFrom(net(), 'host:client-direct', { dst: PE.enabled, port: 1433, srcPort: 49152 }), 'delivered', [
      'nsg allow',
      `route forward private endpoint pe-enabled ${at(F, 'pe-enabled: { subnet')}`,
      viaPeering(),
      `nsg allow pe-nsg/allow-sql-from-port-1000 ${at(F, 'allow-sql-from-port-1000')}`,
      `paas deliver ${at(F, 'pe-enabled: { subnet')}`,
    ]);
    expectTrace(traceFrom(net(), 'host:client-direct', { dst: '10.2.1.4', port: 1433, srcPort: 49152 }), 'dropped', ['nsg allow', `route forward system 10.2.0.0/16 VNetPeering ${at(F, 'app-to-data:')}`, viaPeering(), `nsg deny pe-nsg/deny-sql ${at(F, 'deny-sql,')}`]);
  });

  it('F5.1.4: a Pending connection carries no traffic', () => {
    const t = traceFrom(net(), 'host:client-direct', { dst: '10.2.1.6', port: 443 });
    expectTrace(t, 'dropped', ['nsg allow', `route forward private endpoint pe-pending ${at(F, 'pe-pending')}`, viaPeering(), `nsg allow ${at(F, 'pe-disabled: { addressPrefix')}`, `paas drop ${at(F, 'pe-pending')}`]);
  });
});

describe('F2.7.1, F2.7.2, §8.5, §8.6: the private endpoint /32 and the UDRs that may invalidate it', () => {
  it('F2.7.1: the /32 reaches every subnet of the PE VNet and of directly peered VNets, not a VNet peered only with the hub', () => {
    for (const subnet of ['app/direct', 'data/pe-enabled', 'hub/AzureFirewallSubnet']) expect(winning(subnet, PE.enabled), subnet).toBe('private endpoint pe-enabled');
    expect(winning('remote/far', PE.enabled)).toBe('system 10.0.0.0/8 None');
  });

  it('§8.6: a UDR for the PE VNet prefix (/16, as long as the address space) invalidates the /32 only under Enabled or RouteTableEnabled', () => {
    const s = 'app/via-vnet-prefix';
    expect(winning(s, PE.disabled)).toBe('private endpoint pe-disabled');
    expect(winning(s, PE.enabled)).toBe('data-16-to-firewall/data-vnet-prefix');
    expect(winning(s, PE.nsgOnly)).toBe('private endpoint pe-nsg-only');
    expect(winning(s, PE.routesOnly)).toBe('data-16-to-firewall/data-vnet-prefix');
  });

  it('§8.6 F2.7.2: a UDR longer than the address-space prefix (/24) also invalidates it', () => {
    expect(winning('app/via-longer-prefix', PE.routesOnly)).toBe('data-24-to-firewall/routes-only-subnet');
  });

  it('§8.6 F2.7.2: a 0.0.0.0/0 UDR never invalidates a private endpoint /32 route', () => {
    for (const addr of Object.values(PE)) expect(winning('app/via-default', addr)).toMatch(/^private endpoint /);
  });

  it('§8.6 F2.7.2 [CONFLICT, 2024 wording]: a 10.0.0.0/8 UDR (shorter than the PE VNet /16) does not invalidate it either', () => {
    for (const addr of Object.values(PE)) expect(winning('app/via-10-8', addr)).toMatch(/^private endpoint /);
  });

  it('F2.7.3: without a covering UDR the /32 stays active even with policies Enabled', () => {
    expect(winning('app/direct', PE.enabled)).toBe('private endpoint pe-enabled');
  });

  it('§8.5: the 0/0 UDR to the firewall does not catch private endpoint traffic: the trace goes direct', () => {
    const t = traceFrom(net(), 'host:client-default', { dst: PE.routesOnly, port: 8443 });
    expect(t.verdict).toBe('delivered');
    expect(t.firewalls).toEqual([]);
    expect(t.hops[1].ruleId).toBe('private endpoint pe-routes-only');
  });
});

describe('F2.7.4: symmetric return through the firewall', () => {
  const intoHub = () => `peering allow hub/hub-to-app ${at(F, 'hub-to-app:')}`;

  it('a network rule to a private endpoint does not SNAT, the reply returns directly and the firewall drops the connection', () => {
    const t = traceFrom(net(), 'host:client-vnet-prefix', { dst: PE.routesOnly, port: 8443 });
    expectTrace(t, 'dropped', [
      'nsg allow',
      `route forward data-16-to-firewall/data-vnet-prefix ${at(F, 'data-vnet-prefix')}`,
      intoHub(),
      `firewall allow hub-policy/rules/network/app-to-data-8443 ${at(F, 'app-to-data-8443')}`,
      `route forward private endpoint pe-routes-only ${at(F, 'pe-routes-only: { subnet')}`,
      `peering allow data/data-to-hub ${at(F, 'data-to-hub:')}`,
      `nsg allow ${at(F, 'pe-routes-only: { addressPrefix')}`,
      `symmetry drop system 10.1.0.0/16 VNetPeering ${at(F, 'data-to-app:')}`,
    ]);
    expect(t.hops[t.hops.length - 1].detail).toContain('without SNAT');
    expect(t.reason).toBe('asymmetric path through a stateful firewall');
  });

  it('an application rule SNATs to the firewall, so the reply returns through it: delivered', () => {
    const t = traceFrom(net(), 'host:client-vnet-prefix', { dst: PE.routesOnly, port: 443, name: 'pestore.blob.core.windows.net' });
    expectTrace(t, 'delivered', [
      'nsg allow',
      `route forward data-16-to-firewall/data-vnet-prefix ${at(F, 'data-vnet-prefix')}`,
      intoHub(),
      `firewall allow hub-policy/rules/application/blob-https ${at(F, 'blob-https')}`,
      'nat translate',
      `route forward private endpoint pe-routes-only ${at(F, 'pe-routes-only: { subnet')}`,
      `peering allow data/data-to-hub ${at(F, 'data-to-hub:')}`,
      `nsg allow ${at(F, 'pe-routes-only: { addressPrefix')}`,
      `paas deliver ${at(F, 'pe-routes-only: { subnet')}`,
    ]);
    expect(t.hops.find((h) => h.kind === 'nat')?.detail).toBe('SNAT 10.1.2.4 -> 10.0.1.4 (application rules always SNAT, F4.5.3)');
  });

  it('the same UDR does not divert a Disabled subnet\'s endpoint: the /32 wins and the flow never meets the firewall', () => {
    const t = traceFrom(net(), 'host:client-vnet-prefix', { dst: PE.disabled, port: 8443 });
    expect(t.verdict).toBe('delivered');
    expect(t.firewalls).toEqual([]);
  });
});
