/**
 * Round trip: a generated scenario, written as the ARM JSON Azure would
 * print for it (Resource Graph, REST or az CLI layout), imported back,
 * compiles to the same network. The seed is fixed so a failure reproduces;
 * FC_SEED picks another.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { importNetwork } from '../../src/import/import.js';
import { compile } from '../../src/model/compile.js';
import { hasErrors } from '../../src/scenario/diagnostics.js';
import { loadScenario } from '../../src/scenario/load.js';
import { packageRoot } from '../../src/util/package-root.js';
import { designArbitrary, SMALL_TAGS } from '../property/arbitraries.js';
import { describeDiagnostic, writeFixture } from '../helpers/scenario-fixture.js';
import { asAzCli, asResourceGraph, exportArm } from './helpers/arm-export.js';
import { projectNetwork } from './helpers/projection.js';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20250909;

type Obj = { [key: string]: unknown };

/** What the shared generator does not make: a VPN gateway, IP groups, DNAT, DNS servers, an NVA, a DSVM. */
function augment(doc: Obj, extras: { gateway: boolean; ipGroup: boolean; dnat: boolean; dns: boolean; nva: boolean; dsvm: boolean; bgp: boolean }): Obj {
  const out = structuredClone(doc) as Obj;
  const vnets = out.vnets as Record<string, Obj>;
  const v0 = vnets.v0;
  const hosts = (out.hosts ?? {}) as Record<string, Obj>;
  const hostNames = Object.keys(hosts);
  if (extras.gateway) {
    (v0.subnets as Obj).GatewaySubnet = { addressPrefix: '10.0.251.0/27' };
    out.virtualNetworkGateways = { vpn1: { vnet: 'v0', gatewayType: 'Vpn', remoteAddressPrefixes: ['192.168.0.0/16', '172.16.0.0/20'], ...(extras.bgp ? { bgp: true } : {}) } };
  }
  const policy = (out.firewallPolicies as Record<string, Obj> | undefined)?.pol;
  const fw = (out.firewalls as Record<string, Obj> | undefined)?.fw1;
  if (extras.ipGroup) {
    out.ipGroups = { ig1: ['10.0.0.0/8'], ig2: ['10.1.0.0/16', '10.2.0.0-10.2.0.255'] };
    if (policy) (policy.ruleCollectionGroups as Obj[]).push({ name: 'groups', priority: 900, ruleCollections: [{ name: 'by-group', priority: 100, ruleCollectionType: 'FirewallPolicyFilterRuleCollection', action: 'Allow', rules: [{ name: 'ig', ruleType: 'NetworkRule', ipProtocols: ['TCP'], sourceIpGroups: ['ig1'], destinationIpGroups: ['ig2'], destinationPorts: ['443'] }] }] });
  }
  if (extras.dnat && policy && fw?.publicIpAddresses && hostNames.length > 0) {
    const target = hosts[hostNames[0]].privateIpAddress as string;
    (policy.ruleCollectionGroups as Obj[]).push({ name: 'inbound', priority: 150, ruleCollections: [{ name: 'dnat', priority: 100, ruleCollectionType: 'FirewallPolicyNatRuleCollection', action: 'Dnat', rules: [{ name: 'ssh', ruleType: 'NatRule', ipProtocols: ['TCP'], sourceAddresses: ['*'], destinationAddresses: [(fw.publicIpAddresses as string[])[0]], destinationPorts: ['2222'], translatedAddress: target, translatedPort: '22' }] }] });
  }
  if (extras.dns && fw) v0.dnsServers = [fw.privateIpAddress as string];
  if (extras.nva && hostNames.length > 0) hosts[hostNames[hostNames.length - 1]].enableIpForwarding = true;
  if (extras.dsvm && hostNames.length > 0) hosts[hostNames[0]].role = 'dsvm';
  return out;
}

const extrasArbitrary = fc.record({ gateway: fc.boolean(), ipGroup: fc.boolean(), dnat: fc.boolean(), dns: fc.boolean(), nva: fc.boolean(), dsvm: fc.boolean(), bgp: fc.boolean() });

function loadClean(dir: string, file: string) {
  const loaded = loadScenario(file, { cwd: dir, serviceTagsFile: join(dir, 'service-tags-small.json') });
  if (!loaded.scenario || hasErrors(loaded.diagnostics)) throw new Error(`${file} does not load:\n${loaded.diagnostics.filter((d) => d.severity === 'error').map(describeDiagnostic).join('\n')}`);
  return loaded;
}

describe('the canonical projection', () => {
  it('tells networks apart that differ in a route, a rule port or a peering flag, and not otherwise', () => {
    const base = readFileSync(join(packageRoot(), 'test/fixtures/two-spokes.yaml'), 'utf8');
    const project = (text: string) => {
      const dir = writeFixture({ 'n.yaml': text });
      const l = loadScenario('n.yaml', { cwd: dir });
      return projectNetwork(compile(l.scenario!, l.catalog!).network);
    };
    const a = project(base);
    expect(project(base.replace(/^( *)# .*$/gm, ''))).toEqual(a);
    for (const [from, to] of [
      ['nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.1.4', 'nextHopType: None'],
      ['destinationPorts: ["*"]', 'destinationPorts: ["443"]'],
      ['allowForwardedTraffic: false', 'allowForwardedTraffic: true'],
    ]) {
      expect(base).toContain(from);
      expect(project(base.replace(from, to))).not.toEqual(a);
    }
  });
});

describe('import round trip (property)', () => {
  it('scenario -> ARM JSON -> topo import -> the same compiled network', () => {
    fc.assert(
      fc.property(designArbitrary({ maxRules: 8 }), extrasArbitrary, fc.constantFrom('graph', 'rest', 'cli'), (design, extras, layout) => {
        const dir = writeFixture({ 'original.yaml': stringify(augment(design.doc as Obj, extras)) });
        copyFileSync(SMALL_TAGS, join(dir, 'service-tags-small.json'));
        const original = loadClean(dir, 'original.yaml');
        const arm = exportArm(original.scenario!);
        const json = layout === 'graph' ? asResourceGraph(arm) : layout === 'rest' ? { value: arm } : asAzCli(arm);
        writeFileSync(join(dir, 'export.json'), JSON.stringify(json, null, 2));
        const imported = importNetwork({ inputs: ['export.json'], output: 'imported.yaml', cwd: dir, name: 'generated' });
        writeFileSync(join(dir, 'imported.yaml'), imported.yaml);
        const back = loadClean(dir, 'imported.yaml');
        const a = projectNetwork(compile(original.scenario!, original.catalog!).network);
        const b = projectNetwork(compile(back.scenario!, back.catalog!).network);
        expect(b).toEqual(a);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 40), seed },
    );
  });
});
