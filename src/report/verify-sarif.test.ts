import { describe, expect, it } from 'vitest';
import type { Log, Result } from 'sarif';
import { writeFixture, yaml } from '../../test/helpers/scenario-fixture.js';
import { context, githubProblems, HUB_SPOKE, TWO_SPOKES, UNDECIDED, validateSarif, verified } from '../../test/golden/verify-helpers.js';
import type { VerifiedScenario } from './verify-context.js';
import { INTENT_RULES } from './verify-rules.js';
import { verifySarif } from './verify-sarif.js';

const resultsOf = (log: Log): Result[] => log.runs[0].results ?? [];
const byIntent = (log: Log, name: string): Result => resultsOf(log).find((r) => r.properties?.intent === name)!;

/** A small design where a deny between two subnets fails (nothing filters VNet traffic) and one towards the Internet passes. */
const FORBIDDEN = yaml`
  name: flat-vnet
  region: westeurope
  vnets:
    lab:
      addressSpace: [10.5.0.0/16]
      subnets:
        front: { addressPrefix: 10.5.1.0/24, networkSecurityGroup: open, defaultOutboundAccess: false }
        back: { addressPrefix: 10.5.2.0/24, networkSecurityGroup: open, defaultOutboundAccess: false }
  networkSecurityGroups:
    open:
      securityRules: []
  intents:
    - name: front-not-to-back
      deny: { from: lab/front, to: lab/back, protocol: Tcp, ports: [22] }
    - name: front-not-to-internet
      deny: { from: lab/front, to: internet }
`;

function sarifOf(runs: readonly VerifiedScenario[], cwd?: string): Log {
  const log = verifySarif(runs, context(cwd ? { cwd } : {}));
  expect(validateSarif(log)).toEqual([]);
  expect(githubProblems(log)).toEqual([]);
  return log;
}

describe('topo verify --format sarif: rules', () => {
  it('always lists the four intent rules first, with stable ids, in order', () => {
    const log = sarifOf([verified(HUB_SPOKE)]);
    expect(log.runs[0].tool.driver.rules!.map((r) => [r.id, r.name])).toEqual([
      ['TOPO-I001', 'exfiltration-path'],
      ['TOPO-I002', 'forbidden-path'],
      ['TOPO-I003', 'required-flow-blocked'],
      ['TOPO-I004', 'undecided'],
    ]);
    expect(resultsOf(log)).toEqual([]);
  });

  it('marks only the broken deny intents as security findings, and gives every rule a fix recipe', () => {
    for (const rule of INTENT_RULES) {
      expect(rule.help).toContain('**How to fix**');
      expect(rule.securitySeverity !== undefined).toBe(rule.id === 'TOPO-I001' || rule.id === 'TOPO-I002');
    }
    const rules = sarifOf([verified(HUB_SPOKE)]).runs[0].tool.driver.rules!;
    expect(rules.map((r) => r.properties?.['security-severity'])).toEqual(['8.5', '7.5', undefined, undefined]);
    expect(rules.map((r) => r.defaultConfiguration?.level)).toEqual(['error', 'error', 'error', 'warning']);
  });

  it('names the tool and its version', () => {
    const driver = sarifOf([verified(HUB_SPOKE)]).runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'topo', semanticVersion: '0.0.0-test' });
  });
});

describe('topo verify --format sarif: results', () => {
  it('maps a failing deny to the Internet to TOPO-I001 and a failing allow to TOPO-I003; a pass to nothing', () => {
    const log = sarifOf([verified(TWO_SPOKES)]);
    expect(resultsOf(log).map((r) => [r.ruleId, r.level, r.properties?.intent])).toEqual([
      ['TOPO-I001', 'error', 'app-no-exfiltration'],
      ['TOPO-I003', 'error', 'app-reaches-db'],
    ]);
  });

  it('maps any other failing deny to TOPO-I002, and an undecided intent to a TOPO-I004 warning', () => {
    const dir = writeFixture({ 'main.yaml': FORBIDDEN });
    const flat = sarifOf([verified('main.yaml', dir)], dir);
    expect(resultsOf(flat).map((r) => [r.ruleId, r.properties?.intent])).toEqual([['TOPO-I002', 'front-not-to-back']]);
    expect(resultsOf(flat)[0].message.text).toMatch(/^Forbidden path: lab\/front can reach lab\/back \(Tcp port 22\), which intent 'front-not-to-back' forbids\. /);
    const undecided = byIntent(sarifOf([verified(UNDECIDED)]), 'storage-does-not-call-compute');
    expect([undecided.ruleId, undecided.level]).toEqual(['TOPO-I004', 'warning']);
  });

  it("locates a result at its intent's YAML lines, relative to the working directory", () => {
    const r = byIntent(sarifOf([verified(TWO_SPOKES)]), 'app-no-exfiltration');
    expect(r.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'test/fixtures/two-spokes.yaml' }, region: { startLine: 66, startColumn: 5, endLine: 68, endColumn: 45 } } }]);
  });

  it('starts the message with a one-sentence title, then the evidence', () => {
    const text = byIntent(sarifOf([verified(TWO_SPOKES)]), 'app-no-exfiltration').message.text!;
    expect(text).toMatch(/^Exfiltration path: spoke1\/app can reach internet \(any protocol\), which intent 'app-no-exfiltration' forbids\. Example packet: Tcp 10\.1\.1\.4:49152 -> 203\.0\.113\.10:443/);
    expect(text).not.toContain('\n');
  });

  it('gives the witness as one code-flow step per hop, each at the line of what decided it', () => {
    const run = verified(TWO_SPOKES);
    const r = byIntent(sarifOf([run]), 'app-no-exfiltration');
    const hops = run.results.intents[0].witness!.trace.hops;
    const steps = r.codeFlows![0].threadFlows[0].locations;
    expect(steps).toHaveLength(hops.length);
    steps.forEach((step, i) => {
      expect(step.location!.message!.text).toMatch(new RegExp(`^${i + 1}\\. ${hops[i].kind} ${hops[i].decision}: `));
      if (hops[i].loc) expect(step.location!.physicalLocation!.region!.startLine).toBe(hops[i].loc!.line);
    });
    // Threat intelligence and SNAT are written nowhere: they are shown at the firewall's deciding rule.
    const lines = steps.map((s) => s.location!.physicalLocation!.region!.startLine);
    expect(lines).toEqual([26, 32, 10, 53, 53, 53, 35, 57, 57]);
  });

  it('gives the blockers of a failing allow as related locations', () => {
    const r = byIntent(sarifOf([verified(TWO_SPOKES)]), 'app-reaches-db');
    expect(r.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'test/fixtures/two-spokes.yaml' }, region: { startLine: 23, startColumn: 74, endLine: 23, endColumn: 79 } },
        message: { text: "blocks part of the flow: peering 'spoke2-to-hub' of 'spoke2' refuses forwarded traffic (allowForwardedTraffic false, F3.2)" },
      },
    ]);
  });

  it('records the exit code of the run', () => {
    const log = verifySarif([verified(TWO_SPOKES)], context({ exitCode: 1 }));
    expect(log.runs[0].invocations).toEqual([{ executionSuccessful: true, exitCode: 1 }]);
  });
});

describe('topo verify --format sarif: fingerprints', () => {
  it('do not change when the YAML moves, only when the claim does', () => {
    const original = FORBIDDEN;
    const moved = `# a comment\n\n# and another one\n${FORBIDDEN}`;
    const widened = FORBIDDEN.replace('ports: [22]', 'ports: [22, 3389]');
    const dir = writeFixture({ 'a.yaml': original, 'b.yaml': moved, 'c.yaml': widened });
    const [a, b, c] = ['a.yaml', 'b.yaml', 'c.yaml'].map((f) => resultsOf(sarifOf([verified(f, dir)], dir))[0]);
    expect(b.locations![0].physicalLocation!.region!.startLine).toBe(a.locations![0].physicalLocation!.region!.startLine! + 3);
    expect(b.partialFingerprints).toEqual(a.partialFingerprints);
    expect(c.partialFingerprints).not.toEqual(a.partialFingerprints);
  });

  it('differ between intents', () => {
    const prints = resultsOf(sarifOf([verified(TWO_SPOKES)])).map((r) => r.partialFingerprints!['topoFinding/v1']);
    expect(new Set(prints).size).toBe(prints.length);
  });
});

describe('topo verify --format sarif: files and diagnostics', () => {
  it('writes one run for several scenario files', () => {
    const log = sarifOf([verified(TWO_SPOKES), verified(UNDECIDED)]);
    expect(log.runs).toHaveLength(1);
    expect(new Set(resultsOf(log).map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri))).toEqual(new Set(['test/fixtures/two-spokes.yaml', 'test/fixtures/verify-undecided.yaml']));
  });

  it('makes a located warning a result under its own code', () => {
    const log = sarifOf([verified(UNDECIDED)]);
    const warning = resultsOf(log).find((r) => r.ruleId === 'TOPO301')!;
    expect(warning).toMatchObject({ level: 'warning', message: { text: "NSG 'leftover-nsg' is attached to no subnet and no host. Hint: attach it, or delete it if it is left over." } });
    expect(log.runs[0].tool.driver.rules![warning.ruleIndex!]).toMatchObject({ id: 'TOPO301', name: 'nsg-unattached', defaultConfiguration: { level: 'warning' } });
  });

  it('makes a diagnostic without a place in a file a tool execution notification', () => {
    const run = verified(HUB_SPOKE);
    const stale = { code: 'TOPO308' as const, severity: 'warning' as const, message: 'service tags file tags.json (change 1) is older than the shipped catalog (change 375)' };
    const log = sarifOf([{ ...run, results: { ...run.results, diagnostics: [stale] } }]);
    expect(resultsOf(log)).toEqual([]);
    expect(log.runs[0].invocations![0].toolExecutionNotifications).toEqual([{ descriptor: { id: 'TOPO308' }, level: 'warning', message: { text: `${stale.message}.` } }]);
    expect(log.runs[0].tool.driver.notifications).toEqual([{ id: 'TOPO308', name: 'stale-service-tags', shortDescription: { text: 'The service tags file is older than the shipped catalog.' } }]);
  });

  it('writes paths relative to the working directory, encoded as URI references, even outside it', () => {
    const dir = writeFixture({ 'my designs/main.yaml': FORBIDDEN });
    const inside = resultsOf(sarifOf([verified('my designs/main.yaml', dir)], dir))[0];
    expect(inside.locations![0].physicalLocation!.artifactLocation!.uri).toBe('my%20designs/main.yaml');
    const outside = resultsOf(sarifOf([verified('../main.yaml', `${dir}/my designs/sub`)], `${dir}/my designs/sub`))[0];
    expect(outside.locations![0].physicalLocation!.artifactLocation!.uri).toBe('../main.yaml');
  });
});

describe('the SARIF checks of these tests', () => {
  it('reject what the schema and GitHub reject', () => {
    const log = structuredClone(verifySarif([verified(TWO_SPOKES)], context())) as any;
    const result = log.runs[0].results[0];
    result.level = 'fatal';
    result.locations[0].physicalLocation.region.startLine = 0;
    result.locations[0].physicalLocation.artifactLocation.uri = '/home/me/two-spokes.yaml';
    delete result.partialFingerprints;
    delete log.runs[0].tool.driver.rules[2].help;
    expect(validateSarif(log)).toEqual(['/runs/0/results/0/level must be equal to one of the allowed values', '/runs/0/results/0/locations/0/physicalLocation/region/startLine must be >= 1']);
    expect(githubProblems(log)).toEqual([
      'rule TOPO-I003: short/full description and help',
      'result 0: uri /home/me/two-spokes.yaml is not relative',
      'result 0: region.startLine >= 1',
      'result 0: partialFingerprints',
    ]);
  });
});
