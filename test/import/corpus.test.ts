/**
 * The published Microsoft templates of ../shared/corpora/arm-templates,
 * imported where they lie (never copied into the project), and checked
 * against what SOURCE.md there says about each. Findings that are the
 * templates' own (rules Azure accepted in 2023 that topo validate rejects)
 * are asserted as such, so a change in either shows up here.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importNetwork, type ImportResult } from '../../src/import/import.js';
import { loadScenario, type Loaded } from '../../src/scenario/load.js';
import type * as T from '../../src/scenario/types.js';
import { packageRoot } from '../../src/util/package-root.js';
import { writeFixture } from '../helpers/scenario-fixture.js';
import { topo } from './helpers/cli.js';

const CORPUS = resolve(packageRoot(), '../shared/corpora/arm-templates');
const present = existsSync(join(CORPUS, 'SOURCE.md'));
if (!present) console.log(`import corpus tests skipped: ${CORPUS} (the published ARM templates, see its SOURCE.md) is not there`);

interface Imported {
  readonly dir: string;
  readonly result: ImportResult;
  readonly loaded: Loaded;
  readonly s: T.Scenario | undefined;
  readonly errors: string[];
}

function importCorpus(name: string, options: { region?: string; parameters?: string[]; extraFiles?: Record<string, string> } = {}): Imported {
  const dir = writeFixture({ ...(options.extraFiles ?? {}), 'placeholder.txt': '' });
  const result = importNetwork({ inputs: [join(CORPUS, name)], output: 'network.yaml', cwd: dir, region: options.region, parameters: options.parameters?.map((p) => (p.startsWith('/') ? p : join(dir, p))) });
  writeFileSync(join(dir, 'network.yaml'), result.yaml);
  const loaded = loadScenario('network.yaml', { cwd: dir });
  return { dir, result, loaded, s: loaded.scenario, errors: loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`) };
}

const rulesOf = (s: T.Scenario) => [...s.firewallPolicies.values()].flatMap((p) => p.ruleCollectionGroups.flatMap((g) => g.ruleCollections.flatMap((c) => c.rules)));

describe.skipIf(!present)('import: published ARM templates', () => {
  it('machine-learning-end-to-end-secure: one allow-only NSG, private endpoints for vault, storage, registry and workspace, no firewall; the open Internet egress fails an exfiltration intent', async () => {
    const r = importCorpus('machine-learning-end-to-end-secure', { region: 'eastus' });
    expect(r.errors).toEqual([]);
    const s = r.s!;
    expect(s.networkSecurityGroups.size).toBe(1);
    const nsg = [...s.networkSecurityGroups.values()][0];
    expect(nsg.securityRules.length).toBeGreaterThan(5);
    expect(nsg.securityRules.every((rule) => rule.access.value === 'Allow')).toBe(true);
    expect(s.firewalls.size).toBe(0);
    const targets = [...s.privateEndpoints.values()].map((pe) => `${s.resources.get(pe.resource.value)?.type.value}/${pe.groupId.value}`).sort();
    expect(targets).toEqual([
      'Microsoft.ContainerRegistry/registries/registry',
      'Microsoft.KeyVault/vaults/vault',
      'Microsoft.MachineLearningServices/workspaces/amlworkspace',
      'Microsoft.Storage/storageAccounts/blob',
      'Microsoft.Storage/storageAccounts/file',
    ]);
    // Names come from uniqueString(resourceGroup().id): stand-ins, said so in the file.
    expect(r.result.yaml).toContain('name built from deploy-time placeholders');
    const vnet = [...s.vnets.values()][0];
    expect([...vnet.subnets.keys()]).toEqual(expect.arrayContaining(['snet-training', 'snet-scoring', 'AzureBastionSubnet']));
    writeFileSync(
      join(r.dir, 'intents.yaml'),
      `name: ml-intents\ninclude: [./network.yaml]\nintents:\n  - name: no-exfiltration-from-training\n    deny: { from: ${vnet.name}/snet-training, to: internet }\n  - name: training-reaches-its-storage\n    allow: { from: ${vnet.name}/snet-training, to: ${[...s.resources.values()].find((x) => x.type.value === 'Microsoft.Storage/storageAccounts')!.name}/blob, protocol: Tcp, ports: [443] }\n`,
    );
    const run = await topo(['verify', 'intents.yaml', '--format', 'json'], r.dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { intents: { name: string; status: string; witness?: { hops: { kind: string }[] } }[] };
    const exfil = report.intents.find((i) => i.name === 'no-exfiltration-from-training')!;
    expect(exfil.status).toBe('fail');
    expect(exfil.witness?.hops.map((h) => h.kind)).toContain('egress');
    expect(report.intents.find((i) => i.name === 'training-reaches-its-storage')!.status).toBe('pass');
  });

  it('machine-learning-workspace-vnet: a subnet with no NSG; the workspace private endpoint only when asked for', () => {
    const r = importCorpus('machine-learning-workspace-vnet');
    expect(r.errors).toEqual([]);
    const subnets = [...r.s!.vnets.values()].flatMap((v) => [...v.subnets.values()]);
    expect(subnets.length).toBe(1);
    expect(subnets[0].networkSecurityGroup).toBeUndefined();
    expect(r.loaded.diagnostics.some((d) => d.code === 'TOPO302')).toBe(true);
    const pes = [...r.s!.privateEndpoints.values()];
    expect(pes.map((pe) => pe.groupId.value)).toEqual(['amlworkspace']);
    const params = (type: string) => JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', parameters: { workspaceName: { value: 'ws' }, location: { value: 'eastus' }, privateEndpointType: { value: type } } });
    // Manual approval: the endpoint waits for the owner, Pending.
    const manual = importCorpus('machine-learning-workspace-vnet', { parameters: ['manual.json'], extraFiles: { 'manual.json': params('ManualApproval') } });
    expect([...manual.s!.privateEndpoints.values()].map((pe) => pe.connectionState?.value)).toEqual(['Pending']);
    // Without a private endpoint the template creates no VNet either: nothing of a network is left.
    expect(() => importCorpus('machine-learning-workspace-vnet', { parameters: ['none.json'], extraFiles: { 'none.json': params('none') } })).toThrow(/the input holds no network resources/);
  });

  it('azure-firewall-dns-proxy: spokes reach each other through the firewall, 80/443 out, DNAT from the Internet to SSH', async () => {
    const r = importCorpus('azure-firewall-dns-proxy', { region: 'eastus' });
    expect(r.errors).toEqual([]);
    const s = r.s!;
    const fw = [...s.firewalls.values()][0];
    // The route next hop is reference(firewall)...privateIPAddress: the same stand-in as the firewall's address.
    const routes = [...s.routeTables.values()].flatMap((t) => t.routes);
    expect(routes.map((x) => x.nextHopIpAddress?.value)).toEqual([fw.privateIpAddress.value, fw.privateIpAddress.value]);
    expect(r.result.yaml).toContain('is a stand-in for the address Azure gives the firewall at deploy time');
    writeFileSync(
      join(r.dir, 'intents.yaml'),
      [
        'name: dns-proxy-intents',
        'include: [./network.yaml]',
        'intents:',
        '  - { name: dev-reaches-prod, allow: { from: DevVm, to: ProdVm, protocol: Tcp, ports: [22] } }',
        '  - { name: dev-web-out, allow: { from: DevelopmentVNet/DefaultSubnet, to: 8.8.8.8, protocol: Tcp, ports: [80, 443] } }',
        '  - { name: dev-no-smtp-out, deny: { from: DevelopmentVNet/DefaultSubnet, to: internet, protocol: Tcp, ports: [25] } }',
        '  - { name: ssh-to-dev-through-dnat, allow: { from: internet, to: DevVm, protocol: Tcp, ports: [4001] } }',
        '  - { name: ssh-to-prod-through-dnat, allow: { from: internet, to: ProdVm, protocol: Tcp, ports: [4002] } }',
        '',
      ].join('\n'),
    );
    const run = await topo(['verify', 'intents.yaml', '--format', 'json'], r.dir);
    const report = JSON.parse(run.stdout) as { summary: { passed: number; failed: number; unknown: number } };
    expect(report.summary).toMatchObject({ intents: 5, passed: 5, failed: 0, unknown: 0 });
    expect(run.code).toBe(0);
  });

  it('data-management-zone: a Premium firewall policy whose rules all have source *', () => {
    const r = importCorpus('data-management-zone', { parameters: [join(CORPUS, 'data-management-zone/params.dev.json')] });
    const s = r.s ?? loadScenario('network.yaml', { cwd: r.dir, checks: false }).scenario!;
    const policy = [...s.firewallPolicies.values()][0];
    expect(policy.sku?.value).toBe('Premium');
    const rules = rulesOf(s);
    expect(rules.length).toBeGreaterThan(15);
    // Every network and application rule admits any source. No lint flags this yet; a later issue adds
    // lints, and this is the case a "firewall rule allows any source" lint must report.
    expect(rules.every((rule) => rule.sourceAddresses.map((a) => a.value).join() === '*')).toBe(true);
    expect(rules.some((rule) => rule.targetFqdns.some((f) => f.value === '*windows.net'))).toBe(true);
    // The subnets route 0.0.0.0/0 to the firewall: reference(firewall)... is the firewall's stand-in address.
    const fw = [...s.firewalls.values()][0];
    expect([...s.routeTables.values()].flatMap((t) => t.routes).map((x) => `${x.addressPrefix.value} ${x.nextHopIpAddress?.value}`)).toEqual([`0.0.0.0/0 ${fw.privateIpAddress.value}`]);
    // Purview's managed storage and event hub are reference() results: those endpoints are left out, said so.
    expect(r.result.issues.filter((i) => i.message.includes('leads to an unknown resource')).length).toBe(3);
    // The template's own findings: the 2023 FQDN tag name HDInsight (now AzureHDInsight), and http with FQDN tags.
    expect(r.errors.sort()).toEqual([
      expect.stringMatching(/^TOPO205 .*uses FQDN tag 'HDInsight', which Azure Firewall does not have/),
      expect.stringMatching(/^TOPO219 .*uses FQDN tags, which require the https protocol only/),
    ]);
  });

  it('data-landing-zone: subnets route 0.0.0.0/0 to 10.0.0.4; the ML NSG is attached to nothing; the peering to the management zone stays out', () => {
    const r = importCorpus('data-landing-zone', { parameters: [join(CORPUS, 'data-landing-zone/params.dev.json')] });
    expect(r.errors).toEqual([]);
    const s = r.s!;
    const vnet = [...s.vnets.values()][0];
    const tables = new Set([...vnet.subnets.values()].map((x) => x.routeTable?.value));
    expect(tables.size).toBe(1);
    const table = s.routeTables.get([...tables][0]!)!;
    expect(table.routes.map((x) => `${x.addressPrefix.value} ${x.nextHopType.value} ${x.nextHopIpAddress?.value}`)).toEqual(['0.0.0.0/0 VirtualAppliance 10.0.0.4']);
    expect(r.loaded.diagnostics.filter((d) => d.code === 'TOPO301').map((d) => d.message)).toEqual([expect.stringMatching(/NSG '.*aml.*' is attached to no subnet and no host/)]);
    expect(vnet.peerings.size).toBe(0);
    expect(r.result.yaml).toMatch(/# not imported: peering dmz-dev-vnet/);
    expect(s.privateEndpoints.size).toBe(20);
  });

  it('data-landing-zone without --parameters: exit 2, naming the parameters and the files next to the template', async () => {
    const run = await topo(['import', join(CORPUS, 'data-landing-zone'), '-o', 'out.yaml'], writeFixture({ 'x.txt': '' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/main\.json:\d+: error: .*parameters 'location', 'prefix' have no value and no default/);
    expect(run.stderr).toMatch(/hint: pass one of the parameter files next to it: --parameters .*params\.dev\.json or --parameters .*params\.prod\.json/);
  });

  it('hub-and-spoke-sandbox: hub and two spokes peered both ways; the published parameters deploy the VPN gateway, which the spokes use', () => {
    const r = importCorpus('hub-and-spoke-sandbox', { region: 'eastus' });
    expect(r.errors).toEqual([]);
    const s = r.s!;
    expect(s.vnets.size).toBe(3);
    for (const v of s.vnets.values()) for (const p of v.peerings.values()) expect([...s.vnets.get(p.remoteVirtualNetwork.value)!.peerings.values()].some((b) => b.remoteVirtualNetwork.value === v.name)).toBe(true);
    expect([...s.virtualNetworkGateways.values()].map((x) => x.gatewayType.value)).toEqual(['Vpn']);
    expect([...s.vnets.values()].flatMap((v) => [...v.peerings.values()]).filter((p) => p.useRemoteGateways?.value).length).toBe(2);
    // deployVpnGateway: No takes the other branch of every condition: plain peerings, no gateway.
    const without = importCorpus('hub-and-spoke-sandbox', {
      region: 'eastus',
      parameters: ['nogw.json'],
      extraFiles: { 'nogw.json': JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', parameters: { winVmUser: { value: 'u' }, winVmPassword: { value: 'p' }, winVmDnsPrefix: { value: 'x' }, deployVpnGateway: { value: 'No' } } }) },
    });
    expect(without.errors).toEqual([]);
    expect(without.s!.virtualNetworkGateways.size).toBe(0);
    expect([...without.s!.vnets.values()].flatMap((v) => [...v.peerings.values()]).filter((p) => p.useRemoteGateways?.value).length).toBe(0);
  });

  it('bastion-hub-spoke-vnet: Azure Bastion in the hub, a VM in the spoke', () => {
    const r = importCorpus('bastion-hub-spoke-vnet', { region: 'eastus' });
    expect(r.errors).toEqual([]);
    const s = r.s!;
    expect([...s.vnets.values()].some((v) => v.subnets.has('AzureBastionSubnet'))).toBe(true);
    expect(s.hosts.size).toBe(1);
  });

  it('azurefirewall-create-with-firewallpolicy-apprule-netrule-ipgroups: IP groups in rules; http with an FQDN tag is the template’s own finding', () => {
    const r = importCorpus('azurefirewall-create-with-firewallpolicy-apprule-netrule-ipgroups', { region: 'eastus' });
    const s = loadScenario('network.yaml', { cwd: r.dir, checks: false }).scenario!;
    expect(s.ipGroups.size).toBe(2);
    expect(rulesOf(s).some((rule) => rule.sourceIpGroups.length > 0)).toBe(true);
    expect(r.errors).toEqual([expect.stringMatching(/^TOPO219 .*uses FQDN tags, which require the https protocol only/)]);
  });

  it('azurefirewall-forced-tunneling and azurefirewall-sandbox-linux: classic rules become a policy; an application rule without a source is reported', () => {
    const forced = importCorpus('azurefirewall-forced-tunneling', { region: 'eastus' });
    const fs = loadScenario('network.yaml', { cwd: forced.dir, checks: false }).scenario!;
    expect([...fs.firewalls.values()].map((f) => f.forcedTunneling?.value)).toContain(true);
    expect([...fs.firewallPolicies.keys()].every((k) => k.endsWith('-classic'))).toBe(true);
    expect(forced.errors).toEqual([expect.stringMatching(/^TOPO101 ApplicationRule 'appRule1'.*has no source/), expect.stringMatching(/^TOPO101 ApplicationRule 'appRule1'.*has no source/)]);
    const sandbox = importCorpus('azurefirewall-sandbox-linux');
    expect(sandbox.errors).toEqual([expect.stringMatching(/^TOPO101 ApplicationRule 'appRule1'.*has no source/)]);
    const ss = loadScenario('network.yaml', { cwd: sandbox.dir, checks: false }).scenario!;
    // The template writes the next hop 10.0.1.4 literally; the firewall's stand-in is the same first free address.
    expect([...ss.firewalls.values()][0].privateIpAddress.value).toBe('10.0.1.4');
    expect([...ss.routeTables.values()].flatMap((t) => t.routes).map((x) => x.nextHopIpAddress?.value)).toContain('10.0.1.4');
  });
});
