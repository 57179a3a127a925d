/**
 * Azure ML managed networks compiled into the model (service-flows §2,
 * MVNET-01..MVNET-15; models/azureml-managed-network.json), and traces
 * through them: every hop names the rule that decided it and the
 * `managedNetwork` line it comes from.
 */
import { describe, expect, it } from 'vitest';
import { compile } from './compile.js';
import { tagAddresses } from './endpoints.js';
import type { Network } from './types.js';
import { PROTO, type Packet } from '../headerspace/packet.js';
import { formatIpv4, parseIpv4 } from '../net/ipv4.js';
import { simulate } from '../sim/simulate.js';
import { loadYaml, yaml } from '../../test/helpers/scenario-fixture.js';
import { expectTrace, hopLine } from '../../test/helpers/semantics.js';

// Line 15: isolationMode; 17-21: the outbound rules; 12-13: the associations.
const design = (mode: string, rules = '') => yaml`
  name: mvnet
  region: westeurope
  vnets:
    corp:
      addressSpace: [10.255.0.0/16]
      subnets:
        apps: { addressPrefix: 10.255.1.0/24, networkSecurityGroup: n }
  networkSecurityGroups: { n: {} }
  resources:
    mlw:
      type: Microsoft.MachineLearningServices/workspaces
      storageAccount: lake
      keyVault: kv
      managedNetwork:
        isolationMode: ${mode}
        outboundRules:
          queue: { type: PrivateEndpoint, destination: lake, subresourceTarget: queue }
          blob-again: { type: PrivateEndpoint, destination: lake, subresourceTarget: Blob }
          ${rules || 'none: { type: PrivateEndpoint, destination: lake, subresourceTarget: queue }'}
    lake: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: Disabled }
    kv: { type: Microsoft.KeyVault/vaults }
`;
const APPROVED_RULES = [
  'pypi: { type: FQDN, destination: pypi.org }',
  'blobs: { type: FQDN, destination: "*.blob.core.windows.net" }',
  'sql: { type: ServiceTag, destination: Sql.WestEurope, protocol: TCP, portRanges: "1433" }',
].join('\n          ');

function network(text: string): Network {
  const loaded = loadYaml(text);
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return compile(loaded.scenario, loaded.catalog!).network;
}

const approved = network(design('AllowOnlyApprovedOutbound', APPROVED_RULES));
const open = network(design('AllowInternetOutbound'));
const ip = (text: string) => parseIpv4(text)!;
const other = (net: Network) => net.names.find((c) => c.kind === 'other')!.id;
const from = (net: Network) => ({ kind: 'nic' as const, nic: net.managedNetworks.get('mlw')!.compute });
const tcp = (net: Network, dstIp: number, dstPort: number, dstName = other(net)): Packet => ({ protocol: PROTO.TCP, srcIp: net.managedNetworks.get('mlw')!.compute.addresses.min, srcPort: 49152, dstIp, dstPort, dstName });

describe('compiling a managed network: a marked VNet of Microsoft\'s, peered with nothing', () => {
  it('places it at a private /16 the design does not use, with the compute, its endpoints and its egress', () => {
    const mn = approved.managedNetworks.get('mlw')!;
    expect(mn.vnet).toBe('managed:mlw');
    expect(approved.vnets.get('managed:mlw')!.prefixes.map((p) => `${formatIpv4(p.addr)}/${p.len}`)).toEqual(['10.254.0.0/16']);
    expect(approved.vnets.get('managed:mlw')!.peerings).toEqual([]);
    expect(approved.vnets.get('managed:mlw')!.subnets.map((s) => `${s.id} ${s.managed?.workspace}`)).toEqual(['managed:mlw/compute mlw', 'managed:mlw/endpoints mlw', 'managed:mlw/AzureFirewallSubnet mlw']);
    expect(mn.compute.id).toBe('host:managed:mlw');
    expect(mn.compute.label).toBe('managed:mlw (the managed compute of workspace mlw, 10.254.0.4)');
    // One interface stands for all the compute: no "any other address" interfaces in Microsoft's subnets.
    expect(approved.nics.filter((n) => n.managed).map((n) => n.kind).sort()).toEqual(['firewall', 'host', 'private-endpoint', 'private-endpoint', 'private-endpoint', 'private-endpoint', 'private-endpoint']);
    expect(approved.vnets.get('corp')!.managed).toBeUndefined();
  });

  it('keeps the scenario as written: its compiled parts are not objects of the design', () => {
    expect([...approved.scenario.vnets.keys()]).toEqual(['corp']);
    expect(approved.scenario.hosts.size).toBe(0);
  });

  it('MVNET-01..MVNET-04 in approved-only mode: to the workspace and every resource it names, whatever their public access; a user rule adds queue, and one repeating blob adds nothing (F5.2.5)', () => {
    const mn = approved.managedNetworks.get('mlw')!;
    expect(mn.privateEndpoints.map((p) => `${p.name} ${p.resource}/${p.groupId} ${formatIpv4(p.ip)} line ${p.loc.line}`)).toEqual([
      'managed:mlw/MVNET-01 mlw/amlworkspace 10.254.1.4 line 15',
      'managed:mlw/MVNET-02 lake/blob 10.254.1.5 line 12',
      'managed:mlw/MVNET-03 lake/file 10.254.1.6 line 12',
      'managed:mlw/MVNET-04 kv/vault 10.254.1.7 line 13',
      'managed:mlw/queue lake/queue 10.254.1.8 line 17',
    ]);
    expect(approved.resources.get('lake')!.privateEndpoints).toEqual([]);
    expect(approved.resources.get('lake')!.managedPrivateEndpoints.map((p) => p.name)).toEqual(['managed:mlw/MVNET-02', 'managed:mlw/MVNET-03', 'managed:mlw/queue']);
  });

  it('MVNET-01..MVNET-05 in Internet mode: only to resources whose public network access is Disabled (S6 §2.1)', () => {
    expect(open.managedNetworks.get('mlw')!.privateEndpoints.map((p) => p.name)).toEqual(['managed:mlw/MVNET-02', 'managed:mlw/MVNET-03', 'managed:mlw/queue']);
  });

  it('compiles the egress: required rules, then the user\'s ServiceTag rules, FQDN rules as application rules, then what stays undecided', () => {
    const fw = approved.firewalls.get(approved.managedNetworks.get('mlw')!.firewall)!;
    expect(fw.managed?.workspace).toBe('mlw');
    expect(fw.threatIntelMode).toBe('Off');
    expect(fw.infrastructure.boxes).toEqual([]);
    expect(fw.network.map((r) => `${r.action} ${r.ref.id}`)).toEqual([
      ...['06', '07', '08', '09', '10', '11', '12', '13'].map((n) => `Allow mlw/managedNetwork/required/MVNET-${n}`),
      'Allow mlw/managedNetwork/outboundRules/sql',
    ]);
    expect(fw.application.map((r) => `${r.action} ${r.ref.id}`)).toEqual([
      'Allow mlw/managedNetwork/outboundRules/pypi',
      'Allow mlw/managedNetwork/outboundRules/blobs',
      'Unknown mlw/managedNetwork/required/MVNET-09',
      'Unknown mlw/managedNetwork/required/MVNET-12',
      'Unknown mlw/managedNetwork/outboundRules/blobs',
    ]);
    expect(fw.defaultDeny).toMatchObject({ id: 'mlw/managedNetwork/isolationMode/AllowOnlyApprovedOutbound', loc: { line: 15, col: 22 } });
    expect(fw.network[0].ref.label).toBe('mlw/managedNetwork/required/MVNET-06 (AzureActiveDirectory TCP 80,443, created by isolationMode AllowOnlyApprovedOutbound, S6)');
    expect(fw.network[3].ref.label).toBe('mlw/managedNetwork/required/MVNET-09 (BatchNodeManagement.WestEurope TCP 443, created by isolationMode AllowOnlyApprovedOutbound, S6)');
    expect(fw.defaultDeny.label).toBe('mlw/managedNetwork/isolationMode/AllowOnlyApprovedOutbound (no outbound rule admits it, S6)');
  });

  it('lists what it leaves unknown: the inbound side (MVNET-15), the egress addresses, the tag scopes the documents disagree on, FQDN rules for Storage', () => {
    const unknowns = approved.managedNetworks.get('mlw')!.unknowns;
    expect(unknowns.map((u) => u.slice(0, 50))).toEqual([
      'MVNET-15: inbound to the managed compute is Micros',
      "the managed network's public egress addresses are ",
      'mlw/managedNetwork/required/MVNET-09: S6 lists Bat',
      'mlw/managedNetwork/required/MVNET-12: S6 lists Mic',
      'mlw/managedNetwork/outboundRules/blobs names Azure',
    ]);
    expect(open.managedNetworks.get('mlw')!.unknowns).toHaveLength(2);
  });
});

describe('traces from the managed compute, AllowOnlyApprovedOutbound', () => {
  const mode = '@main.yaml:15';
  const start = ['nsg allow', `route forward managed:mlw/egress ${mode}`];
  const out = ['nat translate', 'route forward system 0.0.0.0/0 Internet', `egress forward ${mode}`, 'delivery deliver'];

  it('MVNET-07: TCP 443 to AzureMachineLearning leaves by the required rule, located at the isolation mode', () => {
    const t = simulate(approved, from(approved), tcp(approved, tagAddresses(approved, 'AzureMachineLearning').min, 443));
    expectTrace(t, 'delivered', [...start, `firewall allow mlw/managedNetwork/required/MVNET-07 ${mode}`, ...out]);
  });

  it('MVNET-08: UDP 5831 to AzureMachineLearning too, but not UDP 5832', () => {
    const p = { ...tcp(approved, tagAddresses(approved, 'AzureMachineLearning').min, 5831), protocol: PROTO.UDP };
    expectTrace(simulate(approved, from(approved), p), 'delivered', [...start, `firewall allow mlw/managedNetwork/required/MVNET-08 ${mode}`, ...out]);
    expectTrace(simulate(approved, from(approved), { ...p, dstPort: 5832 }), 'dropped', [...start, `firewall deny mlw/managedNetwork/isolationMode/AllowOnlyApprovedOutbound ${mode}`]);
  });

  it('S6 §2.1: anything no rule admits is denied by the isolation mode itself', () => {
    const t = simulate(approved, from(approved), tcp(approved, ip('203.0.113.10'), 443));
    expectTrace(t, 'dropped', [...start, `firewall deny mlw/managedNetwork/isolationMode/AllowOnlyApprovedOutbound ${mode}`]);
    expect(t.hops[0].detail).toBe("the managed network of mlw is Microsoft's: no NSG of the design applies; its outbound rules are its egress program");
  });

  it('MVNET-02, F2.7.1, F5.3.3: the default storage through its managed private endpoint, located at the association that made it', () => {
    const pe = approved.privateEndpoints.get('managed:mlw/MVNET-02')!;
    const t = simulate(approved, from(approved), tcp(approved, pe.ip, 443, 0));
    expectTrace(t, 'delivered', ['nsg allow', 'route forward private endpoint managed:mlw/MVNET-02 @main.yaml:12', 'nsg allow @main.yaml:15', 'paas deliver @main.yaml:12']);
    expect(t.delivery).toMatchObject({ kind: 'private-endpoint', resource: 'lake', groupId: 'blob' });
  });

  it('a user ServiceTag rule admits its tag, protocol and ports only', () => {
    const sql = tagAddresses(approved, 'Sql.WestEurope').min;
    expectTrace(simulate(approved, from(approved), tcp(approved, sql, 1433)), 'delivered', [...start, 'firewall allow mlw/managedNetwork/outboundRules/sql @main.yaml:21', ...out]);
    expect(simulate(approved, from(approved), tcp(approved, sql, 1434)).verdict).toBe('dropped');
  });

  it('F4.4.2: an FQDN rule admits the name it writes, on 443 and 80 only (S6)', () => {
    const pypi = approved.classOfName('pypi.org');
    const t = simulate(approved, from(approved), tcp(approved, ip('203.0.113.10'), 443, pypi));
    expectTrace(t, 'delivered', [...start, 'firewall allow mlw/managedNetwork/outboundRules/pypi @main.yaml:19', ...out]);
    expect(t.delivery).toMatchObject({ kind: 'internet', adversarial: true });
    expect(simulate(approved, from(approved), tcp(approved, ip('203.0.113.10'), 8443, pypi)).verdict).toBe('dropped');
  });

  it('S6: an FQDN rule for Azure Storage is unknown, never a silent allow', () => {
    const foreign = approved.classOfName('attacker.blob.core.windows.net');
    const t = simulate(approved, from(approved), tcp(approved, tagAddresses(approved, 'Storage.WestEurope').min, 443, foreign));
    expect(t.verdict).toBe('unknown');
    expect(t.hops.map(hopLine).at(-1)).toBe('firewall unknown mlw/managedNetwork/outboundRules/blobs @main.yaml:20');
    expect(t.reason).toContain('S6: in AllowOnlyApprovedOutbound mode Azure Storage cannot be reached through an FQDN rule');
  });

  it('MVNET-09: BatchNodeManagement in the workspace region is allowed; elsewhere it is unknown (S6 and S7 disagree)', () => {
    const regional = tagAddresses(approved, 'BatchNodeManagement.WestEurope');
    const elsewhere = tagAddresses(approved, 'BatchNodeManagement').subtract(regional);
    expect(simulate(approved, from(approved), tcp(approved, regional.min, 443)).verdict).toBe('delivered');
    const t = simulate(approved, from(approved), tcp(approved, elsewhere.min, 443));
    expect(t.verdict).toBe('unknown');
    expect(t.reason).toBe('mlw/managedNetwork/required/MVNET-09: S6 lists BatchNodeManagement.<region>; the API output S7 shows plain BatchNodeManagement. Both allow the workspace region; whether the other regions\' addresses are allowed is unknown');
  });

  it('the design\'s own addresses are not reachable: the managed VNet is peered with nothing', () => {
    expectTrace(simulate(approved, from(approved), tcp(approved, ip('10.255.1.4'), 443, 0)), 'dropped', [...start, `firewall deny mlw/managedNetwork/isolationMode/AllowOnlyApprovedOutbound ${mode}`]);
  });
});

describe('traces from the managed compute, AllowInternetOutbound', () => {
  const mode = '@main.yaml:15';
  it('S6 §2.1: every port to the Internet leaves by the isolation mode', () => {
    const t = simulate(open, from(open), tcp(open, ip('203.0.113.10'), 8080));
    expectTrace(t, 'delivered', ['nsg allow', `route forward managed:mlw/egress ${mode}`, `firewall allow mlw/managedNetwork/isolationMode/AllowInternetOutbound ${mode}`, 'nat translate', 'route forward system 0.0.0.0/0 Internet', `egress forward ${mode}`, 'delivery deliver']);
  });

  it('F2.1.3: the design\'s private addresses are dropped after the egress, by the managed VNet\'s system routes', () => {
    const t = simulate(open, from(open), tcp(open, ip('10.255.1.4'), 443, 0));
    expectTrace(t, 'dropped', ['nsg allow', `route forward managed:mlw/egress ${mode}`, `firewall allow mlw/managedNetwork/isolationMode/AllowInternetOutbound ${mode}`, 'route drop system 10.0.0.0/8 None']);
  });

  it('F5.3.2: a public key vault (no managed endpoint in this mode) is reached at its public endpoint over the Internet', () => {
    const name = open.resources.get('kv')!.publicNames.get('vault')!;
    const t = simulate(open, from(open), tcp(open, open.names[name].ipRegion.min, 443, name));
    expect(t.verdict).toBe('delivered');
    expect(t.delivery).toMatchObject({ kind: 'paas-public', resource: 'kv', groupId: 'vault' });
  });
});
