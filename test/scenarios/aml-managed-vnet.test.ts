/**
 * scenarios/aml-managed-vnet.yaml and its broken twin (seed 001, service-flows
 * §2): the clean design, an Azure ML managed network in AllowOnlyApprovedOutbound
 * mode, meets everything the workspace needs and every no-exfiltration intent;
 * the twin, in AllowInternetOutbound mode, fails exactly the no-exfiltration
 * intents, each with a witness admitted by the isolation mode at its line.
 * Neither has a lint finding.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { IntervalSet } from '../../src/headerspace/interval-set.js';
import { compile } from '../../src/model/compile.js';
import { tagAddresses } from '../../src/model/endpoints.js';
import { parseIpv4 } from '../../src/net/ipv4.js';
import { PORT_MAX } from '../../src/net/ports.js';
import { loadScenario } from '../../src/scenario/load.js';
import { builtinLoc } from '../../src/scenario/source-loc.js';
import { checkClaim, protocolSet } from '../../src/verify/check.js';
import { buildGraph } from '../../src/verify/graph.js';
import { root } from '../golden/verify-helpers.js';
import { all, at, findingsOf, flows, intent, lineOf, lint, statuses, trace, verify, type IntentReport, type LintReport, type Run, type VerifyReport, expectAllProven, expectNoFindings } from './helpers.js';

const CLEAN = 'scenarios/aml-managed-vnet.yaml';
const BROKEN = 'scenarios/aml-managed-vnet-broken.yaml';

const MANAGED_COMPUTE_FLOWS = ['MVNET-01', 'MVNET-02', 'MVNET-03', 'MVNET-04', 'MVNET-05', 'AML-OUT-01', 'AML-OUT-02', 'AML-OUT-05', 'AML-OUT-06', 'AML-OUT-07', 'AML-OUT-11', 'AML-OUT-12'];
const EXFILTRATION = ['no-exfiltration-off-https', 'no-exfiltration-to-other-tenants-storage', 'no-exfiltration-to-other-tenants-registries', 'no-exfiltration-through-front-door', 'no-exfiltration-to-other-tenants-key-vaults'];
const INTENTS = [
  ...flows('managed-compute-needs', MANAGED_COMPUTE_FLOWS),
  'managed-compute-reaches-storage-queues',
  'managed-compute-reaches-storage-tables',
  'managed-compute-reaches-microsoft-images-by-name',
  ...EXFILTRATION,
  'remaining-channel-is-azure-monitor-https',
  ...flows('corp-reaches-workspace-privately', ['PL-01 pe-mlw-contoso']),
  ...flows('corp-reaches-default-storage-privately', ['PL-01 pe-stmlcontoso-blob', 'PL-01 pe-stmlcontoso-file']),
  'internet-cannot-reach-workspace',
  'internet-cannot-reach-default-storage',
  'internet-cannot-reach-key-vault',
  'internet-cannot-reach-registry',
];

/** A witness as `kind decision id`: the id a rule label starts with, for the hops a rule or route decides. */
function decided(i: IntentReport): string[] {
  return i.witness!.hops.map((h) => [h.kind, h.decision, h.rule?.split(' ')[0]].filter((x) => x !== undefined).join(' '));
}

describe('aml-managed-vnet.yaml: the clean design (AllowOnlyApprovedOutbound)', () => {
  let v: Run<VerifyReport>;
  let l: Run<LintReport>;
  beforeAll(async () => {
    [v, l] = await Promise.all([verify(CLEAN), lint(CLEAN, '--fail-on', 'note')]);
  });

  it('verify exits 0 with every intent proven, nothing unknown, no diagnostics', () => {
    expectAllProven(v, INTENTS);
    expect(INTENTS).toHaveLength(28);
  });

  it('lint finds nothing, not even a note: the managed network\'s subnets are Microsoft\'s, not the design\'s', () => {
    expectNoFindings(l, v);
  });

  it('privatelink/client names the private DNS zones the corporate clients need (§8.14, F5.2.1)', () => {
    const ws = intent(v.report, 'corp-reaches-workspace-privately PL-01 pe-mlw-contoso') as IntentReport & { flow: { reason: string } };
    expect(ws.flow.reason).toContain('with the private DNS zone privatelink.api.azureml.ms and privatelink.notebooks.azure.net linked to its VNet');
  });

  it('MVNET-03: SMB to the default storage goes through the managed private endpoint the storageAccount association creates', async () => {
    const t = await trace(CLEAN, '--from', 'managed:mlw-contoso', '--to', 'stmlcontoso/file', '--port', '445');
    expect(t.exit).toBe(0);
    expect(t.report.verdict).toBe('delivered');
    expect(t.report.hops.map((h) => `${h.kind} ${h.decision}`)).toEqual(['nsg allow', 'route forward', 'nsg allow', 'paas deliver']);
    expect(t.report.hops[3].source).toMatch(at(CLEAN, 'storageAccount: stmlcontoso'));
  });

  it('MVNET-13: a plain deny to the Internet fails only on TCP 443 to Azure Monitor, the required rule the mode always keeps', () => {
    const loaded = loadScenario(CLEAN, { cwd: root });
    const net = compile(loaded.scenario!, loaded.catalog!).network;
    const r = checkClaim(net, buildGraph(net), {
      name: 'no-exfiltration-at-all',
      kind: 'deny',
      loc: builtinLoc('test'),
      from: { kind: 'managed', workspace: 'mlw-contoso' },
      to: { kind: 'internet' },
      fromText: 'managed:mlw-contoso',
      toText: 'internet',
      protocols: protocolSet('*'),
      protocolText: '*',
      ports: IntervalSet.of(0, PORT_MAX),
      portsText: '*',
      sourcePorts: IntervalSet.of(0, PORT_MAX),
      adversary: 'default',
    });
    expect(r.status).toBe('fail');
    const hops = r.witness!.trace.hops;
    expect(hops.map((h) => `${h.kind} ${h.decision} ${h.ruleId ?? ''}`.trim())).toEqual([
      'nsg allow',
      'route forward managed:mlw-contoso/egress',
      'firewall allow mlw-contoso/managedNetwork/required/MVNET-13',
      'nat translate',
      'route forward system 0.0.0.0/0 Internet',
      'egress forward',
      'delivery deliver',
    ]);
    expect(`${hops[2].loc!.file}:${hops[2].loc!.line}:`).toBe(lineOf(CLEAN, 'isolationMode: AllowOnlyApprovedOutbound'));
    expect(tagAddresses(net, 'AzureMonitor').has(r.witness!.packet.dstIp)).toBe(true);
    expect(r.counterexamples!.every((x) => x.startsWith('Tcp ') && x.endsWith(' port 443'))).toBe(true);
  });
});

describe('aml-managed-vnet-broken.yaml: the twin (AllowInternetOutbound)', () => {
  let v: Run<VerifyReport>;
  let l: Run<LintReport>;
  beforeAll(async () => {
    [v, l] = await Promise.all([verify(BROKEN), lint(BROKEN, '--fail-on', 'note')]);
  });

  it('verify exits 1: the five no-exfiltration intents fail and everything else still holds', () => {
    expect(v.exit).toBe(1);
    expect(v.report.diagnostics).toEqual([]);
    expect(v.report.summary).toMatchObject({ intents: 28, passed: 23, failed: 5, unknown: 0 });
    expect(statuses(v.report)).toEqual({ ...all(INTENTS, 'pass'), ...all(EXFILTRATION, 'fail') });
  });

  it('S6 §2.1: the witness leaves the compute by the managed route, is admitted by the isolation mode at its line, and is delivered on the Internet', () => {
    const off = intent(v.report, 'no-exfiltration-off-https');
    expect(off.witness!.packet).toMatchObject({ protocol: 'Tcp', srcIp: '10.255.0.4', dstIp: '203.0.113.10', dstPort: 80 });
    const path = [
      'nsg allow',
      'route forward managed:mlw-contoso/egress',
      'firewall allow mlw-contoso/managedNetwork/isolationMode/AllowInternetOutbound',
      'nat translate',
      'route forward system',
      'egress forward managed:mlw-contoso',
      'delivery deliver',
    ];
    expect(decided(off)).toEqual(path);
    const mode = at(BROKEN, 'isolationMode: AllowInternetOutbound');
    expect(off.witness!.hops[1].source).toMatch(mode);
    expect(off.witness!.hops[2].source).toMatch(mode);
    for (const name of EXFILTRATION) expect(decided(intent(v.report, name)), name).toEqual(path);
  });

  it('the storage witness reaches another tenant\'s account at a Storage address', () => {
    const storage = intent(v.report, 'no-exfiltration-to-other-tenants-storage');
    expect(storage.witness!.packet.dstPort).toBe(443);
    const loaded = loadScenario(BROKEN, { cwd: root });
    const net = compile(loaded.scenario!, loaded.catalog!).network;
    expect(tagAddresses(net, 'Storage').has(parseIpv4(storage.witness!.packet.dstIp)!)).toBe(true);
  });

  it('lint finds nothing: the isolation mode is a reachability failure, proven by the intents', () => {
    expect(l.exit).toBe(0);
    expect(findingsOf(l.report)).toEqual([]);
  });
});
