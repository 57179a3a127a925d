/**
 * scenarios/aml-customer-vnet.yaml and its broken twin (seeds 001 and 004,
 * service-flows.md §1): the clean design meets both Azure ML flow sets, the
 * scoring and client flows, and every no-exfiltration and no-inbound intent,
 * with no lint finding; the twin fails exactly what its four planted mistakes
 * break, and lint reports the two posture problems among them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AML_CLUSTER_FLOWS, AML_INSTANCE_FLOWS, all, at, findingsOf, flows, intent, lint, nodes, statuses, steps, trace, verify, type LintReport, type Run, type VerifyReport, expectAllProven, expectNoFindings } from './helpers.js';

const CLEAN = 'scenarios/aml-customer-vnet.yaml';
const BROKEN = 'scenarios/aml-customer-vnet-broken.yaml';

const INTENTS = [
  ...flows('aml-cluster-requirements', AML_CLUSTER_FLOWS),
  ...flows('aml-instance-requirements', AML_INSTANCE_FLOWS),
  'scoring-reaches-workspace',
  'scoring-reads-models',
  'scoring-pulls-images',
  'scoring-reads-secrets',
  'scoring-pulls-microsoft-images',
  'clients-reach-workspace',
  'clients-reach-default-storage',
  'clients-call-scoring',
  'training-no-internet',
  'scoring-no-internet',
  'internet-not-to-training',
  'internet-not-to-scoring',
  'internet-not-to-workspace',
  'internet-not-to-storage',
  'internet-not-to-key-vault',
  'internet-not-to-registry',
  'clients-not-to-compute',
];

describe('aml-customer-vnet.yaml: the clean design', () => {
  let v: Run<VerifyReport>;
  let l: Run<LintReport>;
  beforeAll(async () => {
    [v, l] = await Promise.all([verify(CLEAN), lint(CLEAN, '--fail-on', 'note')]);
  });

  it('verify exits 0 with every intent proven, nothing unknown, no diagnostics', () => {
    expectAllProven(v, INTENTS);
    expect(INTENTS).toHaveLength(44);
  });

  it('lint finds nothing, not even a note', () => {
    expectNoFindings(l, v);
  });

  it('campus clients reach the scoring endpoint through the firewall both ways (GatewaySubnet route, F3.4.3)', async () => {
    const hops = await trace(CLEAN, '--from', 'data-scientists', '--to', 'aks-scoring-ilb', '--port', '443');
    expect(hops.exit).toBe(0);
    expect(hops.report.hops.map((h) => `${h.kind} ${h.decision}`)).toEqual(['ingress forward', 'route forward', 'firewall info', 'firewall allow', 'nat info', 'route forward', 'nsg allow']);
    expect(hops.report.hops[1].rule).toBe('rt-gateway/scoring-via-firewall 10.50.4.0/22 -> VirtualAppliance 10.50.9.4');
  });
});

describe('aml-customer-vnet-broken.yaml: the four planted mistakes', () => {
  let v: Run<VerifyReport>;
  let l: Run<LintReport>;
  beforeAll(async () => {
    [v, l] = await Promise.all([verify(BROKEN), lint(BROKEN)]);
  });

  it('verify exits 1 and fails exactly the intents the mistakes break, nothing unknown', () => {
    expect(v.exit).toBe(1);
    expect(v.stderr).toBe('');
    expect(v.report.diagnostics).toEqual([]);
    expect(v.report.summary).toMatchObject({ intents: 44, passed: 38, failed: 6, unknown: 0 });
    expect(statuses(v.report)).toEqual({
      ...all(INTENTS, 'pass'),
      'training-no-internet': 'fail', // BROKEN 1
      'aml-instance-requirements AML-OUT-05': 'fail', // BROKEN 2
      'scoring-no-internet': 'fail', // BROKEN 3
      'clients-call-scoring': 'fail', // BROKEN 3
      'aml-cluster-requirements AML-PE-FILE': 'fail', // BROKEN 4
      'aml-instance-requirements AML-PE-FILE': 'fail', // BROKEN 4
    });
  });

  it('BROKEN 1: without the service endpoint policy, Storage traffic leaves past the firewall to accounts the design does not own', () => {
    const i = intent(v.report, 'training-no-internet');
    expect(i.witness!.packet).toMatchObject({ protocol: 'Tcp', srcIp: '10.50.0.4', dstPort: 443, dstName: 'any other Internet name' });
    expect(steps(i)).toEqual([
      'nsg allow nsg-training/allow-storage-endpoint (priority 180)',
      'route forward service endpoint route Microsoft.Storage -> VirtualNetworkServiceEndpoint',
      'egress forward',
      'delivery deliver',
    ]);
    expect(nodes(i)).toEqual(['nic:host:aml-cluster-node', 'subnet:aml/training', 'subnet:aml/training', 'internet']);
    expect(i.witness!.hops[0].source).toMatch(at(BROKEN, 'name: allow-storage-endpoint'));
    expect(i.witness!.result).toBe('delivered to any other Internet name: an address or name outside the design (through the Microsoft.Storage service endpoint)');
    // The Microsoft-managed storage Azure ML needs is still reached: the policy was the only guard.
    expect(intent(v.report, 'aml-cluster-requirements AML-OUT-08').status).toBe('pass');
  });

  it('BROKEN 2: UDP 5831 is allowed by the NSG and dropped by the firewall default deny', () => {
    const i = intent(v.report, 'aml-instance-requirements AML-OUT-05');
    expect(i.flow).toMatchObject({ set: 'azureml/compute-instance', id: 'AML-OUT-05' });
    expect(i.witness!.packet).toMatchObject({ protocol: 'Udp', dstPort: 5831 });
    expect(steps(i)).toEqual([
      'nsg allow nsg-training/allow-aml-udp (priority 130)',
      'route forward rt-forced-egress/default-to-firewall 0.0.0.0/0 -> VirtualAppliance 10.50.9.4',
      'firewall info',
      'firewall deny afw-aml: no rule matches, default deny (F4.2.8)',
    ]);
    expect(i.blockers!.map((b) => [b.kind, b.rule, b.reason])).toEqual([['firewall', 'afw-aml: no rule matches, default deny (F4.2.8)', 'no rule of firewall afw-aml allows it (default deny, F4.2.8)']]);
    expect(i.blockers![0].packets).toHaveLength(1);
    expect(i.blockers![0].packets[0]).toMatch(/^Udp aml\/training \(10\.50\.0\.0\/22\) -> .* port 5831$/);
  });

  it('BROKEN 3: the recreated scoring subnet reaches the Internet by default outbound access', () => {
    const i = intent(v.report, 'scoring-no-internet');
    expect(i.witness!.packet).toMatchObject({ protocol: 'Tcp', srcIp: '10.50.4.4', dstPort: 443 });
    expect(steps(i)).toEqual([
      'nsg allow nsg-scoring/allow-https-via-firewall (priority 120)',
      'route forward system route 0.0.0.0/0 -> Internet',
      'egress forward default outbound access: defaultOutboundAccess true (default) on aml/scoring (F11.3)',
      'delivery deliver',
    ]);
  });

  it('BROKEN 3: and replies to campus clients skip the firewall that saw their requests', () => {
    const i = intent(v.report, 'clients-call-scoring');
    expect(i.witness!.packet).toMatchObject({ protocol: 'Tcp', srcIp: '10.100.20.0', dstIp: '10.50.7.250', dstPort: 443 });
    expect(steps(i)).toEqual([
      'ingress forward gateway vgw-aml',
      'route forward rt-gateway/scoring-via-firewall 10.50.4.0/22 -> VirtualAppliance 10.50.9.4',
      'firewall info',
      'firewall allow fwpol-aml/on-premises/clients-to-scoring/scoring-https (Allow, collection priority 100)',
      'nat info',
      "route forward system route 10.50.0.0/16 -> VnetLocal (VNet 'aml')",
      'nsg allow nsg-scoring/allow-scoring-clients (priority 100)',
      "symmetry drop gateway route 10.100.0.0/16 -> VirtualNetworkGateway 'vgw-aml'",
    ]);
    expect(i.blockers).toEqual([
      {
        at: 'aml/scoring',
        node: 'subnet:aml/scoring',
        kind: 'symmetry',
        rule: "gateway route 10.100.0.0/16 -> VirtualNetworkGateway 'vgw-aml'",
        source: i.witness!.hops.at(-1)!.source,
        reason: 'asymmetric: the request crossed firewall afw-aml without SNAT but the reply does not return through it (F2.7.4, F4.6)',
        packets: ['Tcp 10.100.20.0/24 -> 10.50.7.250 port 443'],
      },
    ]);
  });

  it('BROKEN 4: SMB to the file endpoint is denied by the endpoint NSG, for clusters and instances', () => {
    for (const name of ['aml-cluster-requirements AML-PE-FILE', 'aml-instance-requirements AML-PE-FILE']) {
      const i = intent(v.report, name);
      expect(i.witness!.packet, name).toMatchObject({ protocol: 'Tcp', dstIp: '10.50.8.5', dstPort: 445 });
      expect(steps(i), name).toEqual([
        'nsg allow nsg-training/allow-private-endpoints (priority 100)',
        "route forward private endpoint route 10.50.8.5/32 -> InterfaceEndpoint 'pe-stmlfraudprod-file'",
        'nsg deny nsg-endpoints/deny-all-inbound (priority 4000)',
      ]);
      expect(i.blockers, name).toEqual([
        {
          at: 'pe-stmlfraudprod-file (private endpoint 10.50.8.5 -> stmlfraudprod/file) inbound',
          node: 'nic:pe:pe-stmlfraudprod-file',
          kind: 'nsg',
          rule: 'nsg-endpoints/deny-all-inbound (priority 4000)',
          source: i.blockers![0].source,
          reason: 'denied by nsg-endpoints/deny-all-inbound (priority 4000)',
          packets: ['Tcp aml/training (10.50.0.0/22) -> stmlfraudprod.file.core.windows.net (10.50.8.5) port 445'],
        },
      ]);
      expect(i.blockers![0].source, name).toMatch(at(BROKEN, 'name: deny-all-inbound', 'nsg-endpoints:'));
    }
    // HTTPS to the same endpoint still works: the rule lost a port, not the endpoint.
    expect(intent(v.report, 'scoring-reads-models').status).toBe('pass');
  });

  it('lint reports the two posture problems among the mistakes (warnings: exit 0 unless --fail-on warning)', async () => {
    expect(l.exit).toBe(0);
    expect(findingsOf(l.report)).toEqual([
      'TOPO-L007 aml/training', // BROKEN 1
      'TOPO-L011 aml/scoring', // BROKEN 3
    ]);
    expect(l.report.findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect((await lint(BROKEN, '--fail-on', 'warning')).exit).toBe(1);
    expect(findingsOf(v.report)).toEqual(findingsOf(l.report));
  });
});
