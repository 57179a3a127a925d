/** `topo import` on bad input: a clear message naming the place, exit 2; never a stack trace, never a half-written file. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFixture } from '../helpers/scenario-fixture.js';
import { topo } from './helpers/cli.js';
import { graph, row } from './helpers/azure.js';

const TEMPLATE = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

async function importIn(files: Record<string, string>, args: string[]) {
  const dir = writeFixture(files);
  const run = await topo(['import', ...args], dir);
  return { ...run, dir };
}

describe('topo import: bad input', () => {
  it('reports malformed JSON at file:line:col', async () => {
    const r = await importIn({ 'x.json': '{\n  "data": [\n    {"id": "a", "type": "t"}\n    {"id": "b"}\n  ]\n}' }, ['x.json', '-o', 'out.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("x.json:4:5: error: x.json is not valid JSON: unexpected '{'; expected ',' or ']'\n");
    expect(existsSync(join(r.dir, 'out.yaml'))).toBe(false);
  });

  it('reports malformed JSON in a streamed (large) file at file:line:col too', async () => {
    const dir = writeFixture({});
    const rows = Array.from({ length: 120000 }, (_, i) => JSON.stringify(row('rg', 'Microsoft.Compute/disks', `d${i}`, { diskSizeGB: i })));
    rows[100000] = rows[100000].replace('"diskSizeGB"', '"diskSizeGB" 1,');
    writeFileSync(join(dir, 'big.json'), `{"data": [\n${rows.join(',\n')}\n]}`);
    const r = await topo(['import', 'big.json', '-o', 'out.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^big\.json:100002:\d+: error: big\.json is not valid JSON: unexpected '1'; expected ':' after the member name\n$/);
  });

  it('stops when the JSON holds no network resources, listing what it holds', async () => {
    const r = await importIn({ 'x.json': JSON.stringify(graph(row('rg', 'Microsoft.Compute/disks', 'd', {}), row('rg', 'Microsoft.Web/serverFarms', 'p', {}))) }, ['x.json', '-o', 'out.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: the input holds no network resources (only microsoft.compute/disks (1), microsoft.web/serverfarms (1))');
    expect(r.stderr).toContain('hint: import VNets, NSGs, route tables, firewalls, NICs or private endpoints');
  });

  it('stops when a template parameter has no value, pointing at it', async () => {
    const template = JSON.stringify({ $schema: TEMPLATE, contentVersion: '1.0.0.0', parameters: { prefix: { type: 'string' } }, resources: [] }, null, 2);
    const r = await importIn({ 't.json': template }, ['t.json', '-o', 'out.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("t.json:5: error: t.json: parameter 'prefix' has no value and no default\n    hint: pass a parameters file: topo import TEMPLATE --parameters FILE (the ARM deploymentParameters format)\n");
  });

  it('stops for a directory with nothing importable, saying what it found', async () => {
    const r = await importIn({ 'd/readme.json': '{"title": "x"}', 'd/notes.txt': 'x' }, ['d', '-o', 'out.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: directory d holds nothing topo can import');
    expect(r.stderr).toContain('d/readme.json: it is neither a template, a parameters file nor a list of Azure resources');
    const empty = await importIn({ 'e/.keep': '' }, ['e', '-o', 'out.yaml']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('error: directory e holds nothing topo can import (no .json files)');
  });

  it('stops for a missing input, an empty file, a non-resource JSON, and a --parameters file that is not one', async () => {
    const missing = await importIn({}, ['nope.json', '-o', 'out.yaml']);
    expect({ code: missing.code, err: missing.stderr }).toEqual({ code: 2, err: 'error: nope.json does not exist\n' });
    const empty = await importIn({ 'e.json': '   \n' }, ['e.json']);
    expect(empty.stderr).toBe('e.json:1:1: error: e.json is empty\n');
    const other = await importIn({ 'o.json': '[1, 2]' }, ['o.json']);
    expect(other.stderr).toBe("o.json: error: o.json cannot be imported: its 2 items are not Azure resources (no type and id)\n");
    const template = JSON.stringify({ $schema: TEMPLATE, contentVersion: '1.0.0.0', resources: [] });
    const params = await importIn({ 't.json': template, 'p.json': '{"data": []}' }, ['t.json', '--parameters', 'p.json']);
    expect(params.code).toBe(2);
    expect(params.stderr).toContain('error: --parameters p.json is not an ARM parameters file');
  });

  it('writes the scenario and exits 0 when it only warns; stdout when -o is not given', async () => {
    const v = row('rg', 'Microsoft.Network/virtualNetworks', 'v', { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } });
    const toFile = await importIn({ 'x.json': JSON.stringify(graph(v)) }, ['x.json', '-o', 'net.yaml']);
    expect(toFile.code).toBe(0);
    expect(toFile.stderr).toContain('topo import: wrote net.yaml: 1 VNet\ntopo import: net.yaml validates\n');
    const toStdout = await importIn({ 'x.json': JSON.stringify(graph(v)) }, ['x.json', '--name', 'estate', '--region', 'West Europe']);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toContain('name: estate\nregion: westeurope\n');
  });
});
