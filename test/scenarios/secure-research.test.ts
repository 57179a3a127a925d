/**
 * scenarios/secure-research.yaml and its broken twin (service-flows.md §4,
 * seed 000): the clean design proves every intent and lints clean apart from
 * the accepted public upload/export account; the twin fails exactly the
 * intents its four planted mistakes break, with the witnesses and blockers
 * that name the mistakes, and lint reports them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AML_CLUSTER_FLOWS, AML_INSTANCE_FLOWS, all, at, findingsOf, flows, intent, lint, nodes, statuses, steps, trace, verify, type LintReport, type Run, type VerifyReport, expectAllProven } from './helpers.js';

const CLEAN = 'scenarios/secure-research.yaml';
const BROKEN = 'scenarios/secure-research-broken.yaml';

const INTENTS = [
  'data-owners-upload',
  'transfer-reads-public-storage',
  'transfer-reaches-secure-storage',
  'transfer-reaches-data-factory',
  'avd-rdp-to-windows-dsvm',
  'avd-ssh-to-linux-dsvm',
  'dsvm-reads-secure-blob',
  'dsvm-mounts-secure-files',
  'dsvm-reaches-key-vault',
  'dsvm-sends-monitoring',
  'dsvm-signs-in-with-entra',
  'dsvm-opens-aml-studio',
  'dsvm-reaches-aml-workspace',
  ...flows('aml-cluster-requirements', AML_CLUSTER_FLOWS),
  ...flows('aml-instance-requirements', AML_INSTANCE_FLOWS),
  'aml-sends-monitoring',
  'external-researchers-collect-exports',
  'avd-reaches-avd-service',
  'avd-signs-in-with-entra',
  'avd-agent-updates',
  'avd-activates-windows',
  'avd-certificate-checks',
  'dsvm-no-internet',
  'aml-compute-no-internet',
  'transfer-no-internet',
  'dsvm-not-to-public-storage',
  'aml-compute-not-to-public-storage',
  'internet-not-to-secure-storage',
  'data-owners-not-to-secure-storage',
  'internet-not-to-dsvm',
  'internet-not-to-aml-compute',
  'jumpbox-only-rdp-ssh-to-dsvm',
  'jumpbox-no-udp-icmp-to-dsvm',
  'jumpbox-not-to-aml-compute',
  'jumpbox-not-to-secure-endpoints',
  'jumpbox-not-to-secure-storage',
  'stranger-not-to-public-storage',
];

describe('secure-research.yaml: the clean design', () => {
  let v: Run<VerifyReport>;
  let l: Run<LintReport>;
  beforeAll(async () => {
    [v, l] = await Promise.all([verify(CLEAN), lint(CLEAN)]);
  });

  it('verify exits 0 with every intent proven, nothing unknown, no diagnostics', () => {
    expectAllProven(v, INTENTS);
    expect(INTENTS).toHaveLength(62);
  });

  it('lint exits 0; its only finding is the public upload/export account, accepted with a reason', () => {
    expect(l.exit).toBe(0);
    expect(findingsOf(l.report)).toEqual(['TOPO-L002 stsrepublic01 (accepted)']);
    expect(l.report.findings[0].suppressed?.reason).toContain('public by design');
    expect(findingsOf(v.report)).toEqual(findingsOf(l.report));
  });

  it('the transfer runtime is the only path from the secure VNet to the public account (SRE-D02)', () => {
    expect(intent(v.report, 'transfer-reads-public-storage').status).toBe('pass');
    expect(intent(v.report, 'dsvm-not-to-public-storage').status).toBe('pass');
    expect(intent(v.report, 'aml-compute-not-to-public-storage').status).toBe('pass');
  });
});

describe('secure-research-broken.yaml: the four planted mistakes', () => {
  let v: Run<VerifyReport>;
  let l: Run<LintReport>;
  beforeAll(async () => {
    [v, l] = await Promise.all([verify(BROKEN), lint(BROKEN)]);
  });

  it('verify exits 1 and fails exactly the intents the mistakes break, nothing unknown', () => {
    expect(v.exit).toBe(1);
    expect(v.stderr).toBe('');
    expect(v.report.diagnostics).toEqual([]);
    expect(v.report.summary).toMatchObject({ intents: 62, passed: 51, failed: 11, unknown: 0 });
    expect(statuses(v.report)).toEqual({
      ...all(INTENTS, 'pass'),
      'dsvm-no-internet': 'fail', // BROKEN 1
      'dsvm-not-to-public-storage': 'fail', // BROKEN 2
      'aml-compute-not-to-public-storage': 'fail', // BROKEN 2
      'internet-not-to-dsvm': 'fail', // BROKEN 3
      'avd-rdp-to-windows-dsvm': 'fail', // BROKEN 4
      'avd-ssh-to-linux-dsvm': 'fail', // BROKEN 4
      // BROKEN 4 (F3.2, F4.6.1): the firewall relays the replies of the session hosts' Internet egress into the jump box VNet too.
      'avd-reaches-avd-service': 'fail',
      'avd-signs-in-with-entra': 'fail',
      'avd-agent-updates': 'fail',
      'avd-activates-windows': 'fail',
      'avd-certificate-checks': 'fail',
    });
  });

  it('BROKEN 1: a DSVM uploads to a storage account the design does not own, through the wildcard application rule', () => {
    const i = intent(v.report, 'dsvm-no-internet');
    expect(i.witness!.packet).toMatchObject({ protocol: 'Tcp', srcIp: '10.20.16.4', dstPort: 443, dstName: "another tenant's *.blob.core.windows.net" });
    expect(steps(i)).toEqual([
      'nsg allow nsg-dsvm/allow-blob-via-firewall (priority 125)',
      'route forward rt-secure/default-to-firewall 0.0.0.0/0 -> VirtualAppliance 10.20.0.4',
      'peering allow hub/hub-to-secure (to secure)',
      'firewall info',
      'firewall allow fwpol-sre/secure-egress/secure-web/dsvm-blob-downloads (Allow, collection priority 200)',
      'nat translate',
      'route forward system route 0.0.0.0/0 -> Internet',
      'egress forward afw-hub egress through its public IP',
      'delivery deliver',
    ]);
    expect(i.witness!.hops[4].source).toMatch(at(BROKEN, 'name: dsvm-blob-downloads'));
    expect(i.witness!.hops[5].detail).toBe('SNAT 10.20.16.4 -> 192.0.2.10 (application rules always SNAT, F4.5.3)');
    expect(i.witness!.result).toContain("another tenant's *.blob.core.windows.net: any tenant can create a storage account behind these addresses");
  });

  it('BROKEN 1: the same path reaches an account an attacker names, and the clean design drops it at the firewall', async () => {
    const args = ['--from', 'dsvm-win-01', '--to', 'internet', '--name', 'exfil-target.blob.core.windows.net'];
    const broken = await trace(BROKEN, ...args);
    expect(broken.exit).toBe(0);
    expect(broken.report).toMatchObject({ verdict: 'delivered', packet: { dstName: "another tenant's *.blob.core.windows.net", dstPort: 443 } });
    expect(broken.report.hops.find((h) => h.kind === 'firewall' && h.decision === 'allow')?.rule).toBe('fwpol-sre/secure-egress/secure-web/dsvm-blob-downloads (Allow, collection priority 200)');
    const clean = await trace(CLEAN, ...args);
    expect(clean.exit).toBe(1);
    expect(clean.report.verdict).toBe('dropped');
    expect(clean.report.hops.at(-1)).toMatchObject({ kind: 'nsg', decision: 'deny', rule: 'nsg-dsvm/deny-all-outbound (priority 4000)' });
  });

  it('BROKEN 2: without network policies the endpoint NSG no longer keeps the DSVMs and Azure ML compute off the public account', () => {
    for (const [name, nic, nsg] of [
      ['dsvm-not-to-public-storage', 'nic:host:dsvm-win-01', 'nsg-dsvm'],
      ['aml-compute-not-to-public-storage', 'nic:host:aml-cluster-node', 'nsg-aml-compute'],
    ]) {
      const i = intent(v.report, name);
      expect(i.witness!.packet, name).toMatchObject({ protocol: 'Tcp', dstIp: '10.20.19.11', dstPort: 443 });
      expect(steps(i), name).toEqual([
        `nsg allow ${nsg}/allow-private-endpoints (priority 100)`,
        "route forward private endpoint route 10.20.19.11/32 -> InterfaceEndpoint 'pe-stsrepublic01-blob'",
        'nsg allow secure/endpoints privateEndpointNetworkPolicies Disabled (default)',
        'paas deliver private endpoint pe-stsrepublic01-blob -> stsrepublic01/blob',
      ]);
      expect(nodes(i), name).toEqual([nic, `subnet:${nic === 'nic:host:dsvm-win-01' ? 'secure/dsvm' : 'secure/aml-compute'}`, 'nic:pe:pe-stsrepublic01-blob', 'nic:pe:pe-stsrepublic01-blob']);
      // The hop that should have denied points at the subnet whose policies are off.
      expect(i.witness!.hops[2].source, name).toMatch(at(BROKEN, 'addressPrefix: 10.20.19.0/26'));
    }
  });

  it('BROKEN 3: the vendor DNAT rule lets any Internet client reach RDP of dsvm-win-01', () => {
    const i = intent(v.report, 'internet-not-to-dsvm');
    expect(i.witness!.packet).toMatchObject({ protocol: 'Tcp', dstIp: '192.0.2.10', dstPort: 3389 });
    expect(steps(i)).toEqual([
      'firewall info',
      'firewall translate fwpol-sre/vendor-access/vendor-dnat/vendor-rdp (Dnat, collection priority 100)',
      "route forward system route 10.20.16.0/21 -> VNet peering 'hub-to-secure' (to 'secure')",
      'peering allow secure/secure-to-hub (to hub)',
      'nsg allow nsg-dsvm/allow-rdp-from-firewall (priority 105)',
    ]);
    expect(i.witness!.hops[1].source).toMatch(at(BROKEN, 'name: vendor-rdp'));
    expect(i.witness!.result).toBe('delivered to dsvm-win-01 (10.20.16.4)');
  });

  it('BROKEN 4: the DSVMs answer RDP and SSH, and the jump box peering drops the replies the firewall relays', () => {
    for (const [name, dst, port, rule] of [
      ['avd-rdp-to-windows-dsvm', '10.20.16.4', 3389, 'rdp'],
      ['avd-ssh-to-linux-dsvm', '10.20.16.5', 22, 'ssh'],
    ] as const) {
      const i = intent(v.report, name);
      expect(i.witness!.packet, name).toMatchObject({ protocol: 'Tcp', srcIp: '10.20.8.4', dstIp: dst, dstPort: port });
      expect(steps(i), name).toEqual([
        'nsg allow nsg-avd-hosts/allow-rdp-ssh-to-dsvm (priority 100)',
        'route forward rt-jumpbox/default-to-firewall 0.0.0.0/0 -> VirtualAppliance 10.20.0.4',
        'peering allow hub/hub-to-jumpbox (to jumpbox)',
        'firewall info',
        `firewall allow fwpol-sre/east-west/jumpbox-to-dsvm/${rule} (Allow, collection priority 100)`,
        'nat info',
        "route forward system route 10.20.16.0/21 -> VNet peering 'hub-to-secure' (to 'secure')",
        'peering allow secure/secure-to-hub (to hub)',
        'nsg allow nsg-dsvm/allow-rdp-ssh-from-avd (priority 100)',
        'symmetry drop jumpbox/jumpbox-to-hub (to hub)',
      ]);
      const last = i.witness!.hops.at(-1)!;
      expect(last.source, name).toMatch(at(BROKEN, 'jumpbox-to-hub: {'));
      expect(i.blockers, name).toEqual([
        {
          at: 'secure/dsvm',
          node: 'subnet:secure/dsvm',
          kind: 'symmetry',
          rule: 'jumpbox/jumpbox-to-hub (to hub)',
          source: last.source,
          reason: "the reply cannot return: peering 'jumpbox-to-hub' of 'jumpbox' refuses forwarded traffic (allowForwardedTraffic false, §8.4)",
          packets: [`Tcp jumpbox/avd-hosts (10.20.8.0/24) -> ${dst} port ${port}`],
        },
      ]);
    }
  });

  it('BROKEN 4 F3.2, F4.6.1: the same link drops the replies the firewall relays back from the Internet to the session hosts', () => {
    const i = intent(v.report, 'avd-signs-in-with-entra');
    expect(i.witness!.packet).toMatchObject({ protocol: 'Tcp', srcIp: '10.20.8.4', dstPort: 443, dstName: 'login.microsoftonline.com' });
    const hops = steps(i);
    expect(hops.slice(-2)).toEqual(['egress forward afw-hub egress through its public IP', 'symmetry drop jumpbox/jumpbox-to-hub (to hub)']);
    const last = i.witness!.hops.at(-1)!;
    expect(last.source).toMatch(at(BROKEN, 'jumpbox-to-hub: {'));
    expect(last.detail).toContain('relayed back by firewall afw-hub');
    expect(i.blockers).toEqual([
      {
        at: 'hub/AzureFirewallSubnet',
        node: 'subnet:hub/AzureFirewallSubnet',
        kind: 'symmetry',
        rule: 'jumpbox/jumpbox-to-hub (to hub)',
        source: last.source,
        reason: "the reply relayed back by firewall afw-hub cannot return: peering 'jumpbox-to-hub' of 'jumpbox' refuses forwarded traffic (allowForwardedTraffic false, §8.4)",
        packets: ['Tcp jumpbox/avd-hosts (10.20.8.0/24) -> login.microsoftonline.com port 443'],
      },
    ]);
  });

  it('lint exits 1 and reports the planted posture problems, and nothing else', () => {
    expect(l.exit).toBe(1);
    expect(findingsOf(l.report)).toEqual([
      'TOPO-L002 stsrepublic01 (accepted)',
      'TOPO-L004 dsvm-win-01', // BROKEN 3
      'TOPO-L008 secure/endpoints', // BROKEN 2
      'TOPO-L013 fwpol-sre/secure-egress/secure-web/dsvm-blob-downloads', // BROKEN 1
    ]);
    const severity = Object.fromEntries(l.report.findings.map((f) => [f.rule, f.severity]));
    expect(severity).toMatchObject({ 'TOPO-L004': 'error', 'TOPO-L008': 'warning', 'TOPO-L013': 'warning' });
    const rdp = l.report.findings.find((f) => f.rule === 'TOPO-L004')!;
    expect(rdp.source).toMatch(at(BROKEN, 'name: vendor-rdp'));
    expect(rdp.witness!.hops.map((h) => h.node)).toEqual(['firewall:afw-hub', 'firewall:afw-hub', 'subnet:hub/AzureFirewallSubnet', 'peering:secure/secure-to-hub', 'nic:host:dsvm-win-01']);
    expect(findingsOf(v.report)).toEqual(findingsOf(l.report));
  });
});
