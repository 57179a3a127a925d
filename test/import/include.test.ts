/**
 * The workflow the import is for: an imported network in one file, the
 * hand-written intents in another that includes it (include: in the
 * scenario format). Re-importing rewrites only the network file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { graph, importFiles, row } from './helpers/azure.js';
import { topo } from './helpers/cli.js';

const network = () =>
  graph(
    row('rg', 'Microsoft.Network/virtualNetworks', 'hub', { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'app', properties: { addressPrefix: '10.0.1.0/24', networkSecurityGroup: { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/app-nsg' } } }] }),
    row('rg', 'Microsoft.Network/networkSecurityGroups', 'app-nsg', { securityRules: [{ name: 'no-internet', properties: { priority: 4000, direction: 'Outbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: 'Internet', destinationPortRange: '*' } }] }),
  );

describe('import + include', () => {
  it('verifies hand-written intents against an imported network they include, each located in its own file', async () => {
    const r = importFiles({ 'graph.json': network() as never });
    writeFileSync(join(r.dir, 'intents.yaml'), 'name: estate\ninclude: [./network.yaml]\nintents:\n  - name: app-no-internet\n    deny: { from: hub/app, to: internet }\n');
    const loaded = loadScenario('intents.yaml', { cwd: r.dir });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.scenario!.name).toBe('estate');
    expect(loaded.scenario!.files).toEqual(['intents.yaml', 'network.yaml']);
    expect(loaded.scenario!.vnets.get('hub')!.loc.file).toBe('network.yaml');
    const run = await topo(['verify', 'intents.yaml'], r.dir);
    expect(run.stdout).toMatch(/PASS app-no-internet/);
    expect(run.code).toBe(0);
  });

  it('reports a name the intents file defines again, with both places; a missing include and a cycle', () => {
    const r = importFiles({ 'graph.json': network() as never });
    writeFileSync(join(r.dir, 'twice.yaml'), 'name: estate\ninclude: network.yaml\nnetworkSecurityGroups:\n  app-nsg: {}\n');
    const twice = loadScenario('twice.yaml', { cwd: r.dir }).diagnostics.filter((d) => d.code === 'TOPO225');
    expect(twice.map((d) => `${d.loc?.file}:${d.loc?.line} ${d.message} / ${d.related?.[0].loc.file}:${d.related?.[0].loc.line}`)).toEqual([expect.stringMatching(/^network\.yaml:\d+ networkSecurityGroups\.app-nsg is defined twice \/ twice\.yaml:4$/)]);
    writeFileSync(join(r.dir, 'missing.yaml'), 'name: estate\ninclude: [./gone.yaml]\n');
    expect(loadScenario('missing.yaml', { cwd: r.dir }).diagnostics.map((d) => d.code)).toEqual(['TOPO223']);
    writeFileSync(join(r.dir, 'a.yaml'), 'name: a\ninclude: b.yaml\n');
    writeFileSync(join(r.dir, 'b.yaml'), 'include: a.yaml\n');
    expect(loadScenario('a.yaml', { cwd: r.dir }).diagnostics.map((d) => d.code)).toEqual(['TOPO224']);
  });
});
