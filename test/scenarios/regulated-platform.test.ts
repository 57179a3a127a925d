/**
 * scenarios/regulated-platform.yaml and its broken twin (seed 002,
 * service-flows.md §5): a data management zone and two data landing zones
 * around a hub firewall. The clean design proves the §5 intents and lints
 * clean; the twin fails exactly what its four planted mistakes break, and
 * lint reports them (the Bastion NSG mistake is a lint finding only).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AML_CLUSTER_FLOWS, all, at, findingsOf, flows, intent, lint, nodes, statuses, steps, trace, verify, type LintReport, type Run, type VerifyReport, expectAllProven, expectNoFindings } from './helpers.js';

const CLEAN = 'scenarios/regulated-platform.yaml';
const BROKEN = 'scenarios/regulated-platform-broken.yaml';

const INTENTS = [
  ...flows('payments-aml-requirements', AML_CLUSTER_FLOWS),
  ...flows('risk-aml-requirements', AML_CLUSTER_FLOWS),
  'payments-aml-reads-curated',
  'payments-aml-pulls-base-images',
  'risk-reads-payments-curated',
  'payments-ingestion-writes-raw',
  'payments-ingestion-writes-curated',
  'payments-ingestion-uses-metadata-db',
  'payments-runtime-reaches-factory',
  'payments-ingests-core-banking',
  'risk-ingests-core-banking',
  'risk-ingestion-writes-raw',
  'power-bi-reads-serving-db',
  'operations-manage-payments-runtime',
  'operations-manage-risk-runtime',
  'bastion-manages-payments-runtime',
  'payments-runtime-activates-windows',
  'payments-runtime-signs-in',
  'risk-runtime-activates-windows',
  'payments-aml-no-internet',
  'risk-aml-no-internet',
  'payments-runtime-no-internet-but-kms',
  'payments-runtime-no-udp-out',
  'risk-runtime-no-internet-but-kms',
  'risk-runtime-no-udp-out',
  'power-bi-gateway-no-internet',
  'internet-not-to-payments-raw',
  'internet-not-to-payments-curated',
  'internet-not-to-payments-sql',
  'internet-not-to-risk-raw',
  'internet-not-to-risk-curated',
  'internet-not-to-base-images',
  'internet-not-to-zones',
  'internet-not-to-risk-zone',
  'risk-not-to-payments-raw',
  'risk-not-to-payments-sql',
  'operations-not-to-data',
];

describe('regulated-platform.yaml: the clean design', () => {
  let v: Run<VerifyReport>;
  let l: Run<LintReport>;
  beforeAll(async () => {
    [v, l] = await Promise.all([verify(CLEAN), lint(CLEAN, '--fail-on', 'note')]);
  });

  it('verify exits 0 with every intent proven, nothing unknown, no diagnostics', () => {
    expectAllProven(v, INTENTS);
    expect(INTENTS).toHaveLength(59);
  });

  it('lint finds nothing, not even a note (the Bastion NSG holds every rule of F6.1.2)', () => {
    expectNoFindings(l, v);
  });

  it('cross-zone data goes over the mesh peering, not through the hub firewall (HS-A03, §8.21)', async () => {
    const t = await trace(CLEAN, '--from', 'aml-risk-node', '--to', 'stdlzpaycur/dfs', '--port', '443');
    expect(t.exit).toBe(0);
    expect(t.report.hops.map((h) => h.node)).toEqual(['nic:host:aml-risk-node', 'subnet:dlz-risk/aml-compute', 'peering:dlz-payments/dlz-payments-to-dlz-risk', 'nic:pe:pe-stdlzpaycur-dfs', 'nic:pe:pe-stdlzpaycur-dfs']);
    expect(t.report.hops[3].rule).toBe('nsg-pay-endpoints/allow-risk-curated (priority 120)');
  });

  it('on-premises traffic to a zone crosses the firewall (HS-A07, F3.4.3)', async () => {
    const t = await trace(CLEAN, '--from', 'operations', '--to', 'shir-pay-01', '--port', '3389');
    expect(t.exit).toBe(0);
    expect(t.report.hops.map((h) => `${h.kind} ${h.decision} ${h.rule ?? ''}`.trim())).toEqual([
      'ingress forward gateway ergw-hub',
      'route forward rt-gateway/dlz-payments-via-firewall 10.62.0.0/20 -> VirtualAppliance 10.60.0.4',
      'firewall info',
      'firewall allow fwpol-hub/on-premises/operations-to-zones/rdp-integration (Allow, collection priority 100)',
      'nat info',
      "route forward system route 10.62.0.0/20 -> VNet peering 'hub-to-dlz-payments' (to 'dlz-payments')",
      'peering allow dlz-payments/dlz-payments-to-hub (to hub)',
      'nsg allow nsg-pay-integration/allow-rdp-from-operations (priority 110)',
    ]);
  });

  it('the GatewaySubnet route overrides the private endpoints\' /32 routes, so on premises meets the firewall before any endpoint (F2.7.2)', async () => {
    const t = await trace(CLEAN, '--from', 'operations', '--to', 'stdlzpaycur/dfs', '--port', '443');
    expect(t.exit).toBe(1);
    expect(t.report.verdict).toBe('dropped');
    expect(t.report.hops.map((h) => `${h.kind} ${h.decision} ${h.rule ?? ''}`.trim())).toEqual([
      'ingress forward gateway ergw-hub',
      'route forward rt-gateway/dlz-payments-via-firewall 10.62.0.0/20 -> VirtualAppliance 10.60.0.4',
      'firewall info',
      'firewall deny afw-hub: no rule matches, default deny (F4.2.8)',
    ]);
  });
});

describe('regulated-platform-broken.yaml: the four planted mistakes', () => {
  let v: Run<VerifyReport>;
  let l: Run<LintReport>;
  beforeAll(async () => {
    [v, l] = await Promise.all([verify(BROKEN), lint(BROKEN)]);
  });

  it('verify exits 1 and fails exactly the intents the mistakes break, nothing unknown', () => {
    expect(v.exit).toBe(1);
    expect(v.stderr).toBe('');
    expect(v.report.diagnostics).toEqual([]);
    expect(v.report.summary).toMatchObject({ intents: 59, passed: 45, failed: 14, unknown: 0 });
    expect(statuses(v.report)).toEqual({
      ...all(INTENTS, 'pass'),
      'risk-runtime-no-internet-but-kms': 'fail', // BROKEN 1
      'operations-manage-risk-runtime': 'fail', // BROKEN 1
      'risk-ingests-core-banking': 'fail', // BROKEN 1: the reply from on premises goes through the firewall, which never saw the request (F4.6)
      'internet-not-to-payments-curated': 'fail', // BROKEN 2
      'operations-manage-payments-runtime': 'fail', // BROKEN 4
      // BROKEN 4 (F3.2, F4.6.1): the firewall relays replies from the Internet and on premises into the payments zone too.
      'payments-ingests-core-banking': 'fail',
      'payments-runtime-signs-in': 'fail',
      'payments-runtime-activates-windows': 'fail',
      'payments-aml-requirements AML-OUT-01': 'fail',
      'payments-aml-requirements AML-OUT-02': 'fail',
      'payments-aml-requirements AML-OUT-06': 'fail',
      'payments-aml-requirements AML-OUT-07': 'fail',
      'payments-aml-requirements AML-OUT-11': 'fail',
      'payments-aml-requirements AML-OUT-12': 'fail',
    });
  });

  it('BROKEN 1: the recreated integration subnet reaches the Internet by default outbound access', () => {
    const i = intent(v.report, 'risk-runtime-no-internet-but-kms');
    expect(i.witness!.packet).toMatchObject({ protocol: 'Tcp', srcIp: '10.63.2.4', dstPort: 443, dstName: 'any other Internet name' });
    expect(steps(i)).toEqual([
      'nsg allow nsg-risk-integration/allow-egress-via-firewall (priority 120)',
      'route forward system route 0.0.0.0/0 -> Internet',
      'egress forward default outbound access: defaultOutboundAccess true (default) on dlz-risk/integration (F11.3)',
      'delivery deliver',
    ]);
    expect(nodes(i)).toEqual(['nic:host:shir-risk-01', 'subnet:dlz-risk/integration', 'subnet:dlz-risk/integration', 'internet']);
    expect(i.witness!.hops[2].source).toMatch(at(BROKEN, 'addressPrefix: 10.63.2.0/26'));
  });

  it('BROKEN 1: and the operations network loses RDP to the runtime: its replies skip the firewall', () => {
    const i = intent(v.report, 'operations-manage-risk-runtime');
    expect(i.witness!.packet).toMatchObject({ protocol: 'Tcp', srcIp: '10.200.40.0', dstIp: '10.63.2.4', dstPort: 3389 });
    expect(steps(i)).toEqual([
      'ingress forward gateway ergw-hub',
      'route forward rt-gateway/dlz-risk-via-firewall 10.63.0.0/20 -> VirtualAppliance 10.60.0.4',
      'firewall info',
      'firewall allow fwpol-hub/on-premises/operations-to-zones/rdp-integration (Allow, collection priority 100)',
      'nat info',
      "route forward system route 10.63.0.0/20 -> VNet peering 'hub-to-dlz-risk' (to 'dlz-risk')",
      'peering allow dlz-risk/dlz-risk-to-hub (to hub)',
      'nsg allow nsg-risk-integration/allow-rdp-from-operations (priority 110)',
      "symmetry drop gateway route 10.200.0.0/16 -> VirtualNetworkGateway 'ergw-hub' (BGP)",
    ]);
    expect(i.blockers).toEqual([
      {
        at: 'dlz-risk/integration',
        node: 'subnet:dlz-risk/integration',
        kind: 'symmetry',
        rule: "gateway route 10.200.0.0/16 -> VirtualNetworkGateway 'ergw-hub' (BGP)",
        source: i.witness!.hops.at(-1)!.source,
        reason: 'asymmetric: the request crossed firewall afw-hub without SNAT but the reply does not return through it (F2.7.4, F4.6)',
        packets: ['Tcp 10.200.40.0/24 -> 10.63.2.4 port 3389'],
      },
    ]);
  });

  it('BROKEN 2: the curated account answers on its public endpoint', () => {
    const i = intent(v.report, 'internet-not-to-payments-curated');
    expect(i.witness!.packet).toMatchObject({ protocol: 'Tcp', dstPort: 443, dstName: 'stdlzpaycur.blob.core.windows.net' });
    expect(steps(i)).toEqual(['paas allow stdlzpaycur networkAcls.defaultAction Allow']);
    expect(nodes(i)).toEqual(['resource:stdlzpaycur']);
    expect(i.witness!.hops[0].source).toMatch(at(BROKEN, '  stdlzpaycur: {'));
    expect(i.witness!.result).toBe('delivered to stdlzpaycur/blob public endpoint');
  });

  it('BROKEN 4: the payments zone refuses what the firewall relays from on premises', () => {
    const i = intent(v.report, 'operations-manage-payments-runtime');
    expect(i.witness!.packet).toMatchObject({ protocol: 'Tcp', srcIp: '10.200.40.0', dstIp: '10.62.2.4', dstPort: 3389 });
    expect(steps(i)).toEqual([
      'ingress forward gateway ergw-hub',
      'route forward rt-gateway/dlz-payments-via-firewall 10.62.0.0/20 -> VirtualAppliance 10.60.0.4',
      'firewall info',
      'firewall allow fwpol-hub/on-premises/operations-to-zones/rdp-integration (Allow, collection priority 100)',
      'nat info',
      "route forward system route 10.62.0.0/20 -> VNet peering 'hub-to-dlz-payments' (to 'dlz-payments')",
      'peering drop dlz-payments/dlz-payments-to-hub (to hub)',
    ]);
    expect(i.blockers).toEqual([
      {
        at: 'peering dlz-payments/dlz-payments-to-hub',
        node: 'peering:dlz-payments/dlz-payments-to-hub',
        kind: 'peering',
        rule: 'dlz-payments/dlz-payments-to-hub (to hub)',
        source: i.blockers![0].source,
        reason: "peering 'dlz-payments-to-hub' of 'dlz-payments' refuses forwarded traffic (allowForwardedTraffic false, F3.2)",
        packets: ['Tcp 10.200.40.0/24 -> 10.62.2.4 port 3389'],
      },
    ]);
    expect(i.blockers![0].source).toMatch(at(BROKEN, 'dlz-payments-to-hub: {'));
    // Bastion in the hub still reaches the runtime: its traffic originates in the hub.
    expect(intent(v.report, 'bastion-manages-payments-runtime').status).toBe('pass');
  });

  it('lint exits 1: BROKEN 3 is four Bastion rule errors, BROKEN 1 and 2 warnings', () => {
    expect(l.exit).toBe(1);
    expect(findingsOf(l.report)).toEqual([
      'TOPO-L002 stdlzpaycur', // BROKEN 2
      'TOPO-L011 dlz-risk/integration', // BROKEN 1
      'TOPO-L014 hub/AzureBastionSubnet', // BROKEN 3: AzureLoadBalancer 443 in
      'TOPO-L014 hub/AzureBastionSubnet', // BROKEN 3: 8080/5701 in
      'TOPO-L014 hub/AzureBastionSubnet', // BROKEN 3: 8080/5701 out
      'TOPO-L014 hub/AzureBastionSubnet', // BROKEN 3: Internet 80 out
    ]);
    const bastion = l.report.findings.filter((f) => f.rule === 'TOPO-L014');
    expect(bastion.map((f) => f.severity)).toEqual(['error', 'error', 'error', 'error']);
    expect(bastion.map((f) => f.message.match(/does not allow (.*?):/)?.[1]).sort()).toEqual([
      'inbound TCP 443 from AzureLoadBalancer (health probes)',
      'inbound TCP 8080 and 5701 between Bastion instances (data plane)',
      'outbound TCP 80 to the Internet (session and certificate validation)',
      'outbound TCP 8080 and 5701 between Bastion instances (data plane)',
    ]);
    expect(findingsOf(v.report)).toEqual(findingsOf(l.report));
  });
});
