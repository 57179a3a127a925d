import { readFileSync, symlinkSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture, loadYaml, withQueries, writeFixture, yaml } from '../../test/helpers/scenario-fixture.js';
import { shippedCatalog } from '../catalog/service-tags.js';
import { loadScenario } from './load.js';
import { MAX_FILE_BYTES } from './read-file.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('loadScenario: reading the file (TOPO00x)', () => {
  it('reports a missing file as TOPO001 without throwing', () => {
    const r = loadScenario('does/not/exist.yaml');
    expect(r.scenario).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['TOPO001']);
    expect(r.diagnostics[0].message).toContain('does/not/exist.yaml does not exist');
  });

  it('reports a directory as TOPO002', () => {
    const dir = writeFixture({ 'sub/placeholder.txt': '' });
    const r = withQueries(loadScenario('sub', { cwd: dir }), dir, 'sub');
    expect(r.codes).toEqual(['TOPO002']);
    expect(r.at('TOPO002', 1, 1).message).toContain('is a directory');
  });

  it('reports an empty file as TOPO003, and a file of comments only too', () => {
    const empty = loadYaml('');
    expect(empty.codes).toEqual(['TOPO003']);
    expect(empty.at('TOPO003', 1, 1).message).toContain('is empty');
    const comments = loadYaml('# nothing here\n\n   \n');
    expect(comments.codes).toEqual(['TOPO003']);
    expect(comments.at('TOPO003', 1, 1).message).toContain('only comments or blank lines');
  });

  it('reports a NUL byte as binary data (TOPO004) at its line:col', () => {
    const r = loadFixture({ 'main.yaml': utf8('name: x\nregion: ea\u0000stus\n') });
    expect(r.codes).toEqual(['TOPO004']);
    expect(r.at('TOPO004', 2, 11).message).toContain('NUL byte at 2:11');
  });

  it('reports invalid UTF-8 as TOPO005 naming the byte, and UTF-16 as TOPO005', () => {
    const bytes = new Uint8Array([...utf8('name: x\ndescription: caf'), 0xe9, ...utf8('\n')]);
    const r = loadFixture({ 'main.yaml': bytes });
    expect(r.codes).toEqual(['TOPO005']);
    const d = r.at('TOPO005', 2, 17);
    expect(d.message).toContain('byte 0xe9');
    expect(d.hint).toContain('UTF-8');
    const utf16 = loadFixture({ 'main.yaml': new Uint8Array([0xff, 0xfe, 0x6e, 0x00]) });
    expect(utf16.codes).toEqual(['TOPO005']);
    expect(utf16.at('TOPO005', 1, 1).message).toContain('UTF-16');
  });

  it('refuses a file larger than the limit before reading it (TOPO006)', () => {
    const dir = writeFixture({ 'huge.yaml': '' });
    // Sparse: no disk space is used, and the size check comes before any read.
    truncateSync(join(dir, 'huge.yaml'), MAX_FILE_BYTES + 1);
    const r = withQueries(loadScenario('huge.yaml', { cwd: dir }), dir, 'huge.yaml');
    expect(r.codes).toEqual(['TOPO006']);
    expect(r.at('TOPO006', 1, 1).message).toContain(`up to ${MAX_FILE_BYTES / 2 ** 20} MiB`);
  });

  it('reports a file the system cannot open as TOPO007 with the reason', () => {
    const dir = writeFixture({ 'placeholder.txt': '' });
    symlinkSync('loop.yaml', join(dir, 'loop.yaml'));
    const r = withQueries(loadScenario('loop.yaml', { cwd: dir }), dir, 'loop.yaml');
    expect(r.codes).toEqual(['TOPO007']);
    expect(r.at('TOPO007', 1, 1).message).toContain('cannot be read (ELOOP)');
  });
});

describe('loadScenario: parsing YAML (TOPO01x)', () => {
  it('reports a syntax error as TOPO010 where it is', () => {
    const r = loadYaml('name: x\nvnets: {hub: [\n');
    expect(new Set(r.codes)).toEqual(new Set(['TOPO010']));
    expect(r.with('TOPO010').map((d) => `${d.loc?.line}:${d.loc?.col}`)).toEqual(['3:1', '3:1']);
    expect(r.with('TOPO010')[0].message).toContain('end with a ]');
  });

  it('explains an unquoted * (TOPO010) with the hint to quote it', () => {
    const r = loadYaml('name: x\nsourcePortRange: *\n');
    expect(r.codes).toEqual(['TOPO010']);
    expect(r.at('TOPO010', 2, 18).hint).toContain('write "*" in quotes');
  });

  it('explains tabs used as indentation (TOPO010)', () => {
    const r = loadYaml('name: x\nvnets:\n\thub: {}\n');
    expect(r.codes).toContain('TOPO010');
    expect(r.with('TOPO010')[0].hint).toContain('spaces only');
  });

  it('reports an alias without an anchor (TOPO010)', () => {
    const r = loadYaml('name: x\ndescription: *nope\n');
    expect(r.at('TOPO010', 2, 14).message).toContain('*nope has no anchor');
  });

  it('reports a key given twice in one map (TOPO011) at the second, naming the first', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        hub: { addressSpace: [10.0.0.0/16] }
        hub: { addressSpace: [10.1.0.0/16] }
    `);
    const d = r.at('TOPO011', 4, 3);
    expect(d.message).toContain("'hub' appears twice");
    expect(d.related?.[0].loc).toMatchObject({ file: 'main.yaml', line: 3, col: 3 });
    // The merge step must not report the same duplicate again as TOPO225.
    expect(r.codes).not.toContain('TOPO225');
  });

  it('stops an alias bomb (TOPO012) quickly', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const started = performance.now();
    const r = loadYaml(`name: x\n${levels.join('\n')}\n`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r.codes).toEqual(['TOPO012']);
    expect(r.with('TOPO012')[0].message).toContain('alias bomb');
  });

  it('refuses nesting deeper than any scenario needs (TOPO013), flow and block alike', () => {
    const flow = loadYaml(`name: x\ndescription: ${'['.repeat(70)}\n`);
    expect(flow.codes).toEqual(['TOPO013']);
    expect(flow.at('TOPO013', 2, 78).message).toContain('deeper than 64');
    let block = 'name: x\nd:\n';
    for (let i = 1; i <= 70; i++) block += `${'  '.repeat(i)}k:\n`;
    expect(loadYaml(block).codes).toEqual(['TOPO013']);
  });

  it('refuses a second YAML document (TOPO014)', () => {
    const r = loadYaml('name: a\n---\nname: b\n');
    expect(r.codes).toEqual(['TOPO014']);
    expect(r.at('TOPO014', 2, 1).hint).toContain('include:');
  });

  it('refuses a top level that is not a map (TOPO015)', () => {
    expect(loadYaml('- a\n- b\n').at('TOPO015', 1, 1).message).toContain('holds a list');
    expect(loadYaml('just words\n').at('TOPO015', 1, 1).message).toContain('holds a single value');
  });

  it('refuses a map or list used as a key (TOPO016)', () => {
    expect(loadYaml('name: x\n? [a, b]\n: c\n').at('TOPO016', 2, 3).message).toContain('plain names');
    expect(loadYaml('name: x\n{a: 1}: 2\n').codes).toEqual(['TOPO016']);
  });
});

describe('loadScenario: include (TOPO223-225)', () => {
  it('reports a missing include at the include: entry (TOPO223)', () => {
    const r = loadFixture({ 'main.yaml': 'name: x\ninclude: [./net.yaml, ./missing.yaml]\n', 'net.yaml': 'region: eastus\n' });
    expect(r.codes).toEqual(['TOPO223']);
    expect(r.at('TOPO223', 2, 23).message).toBe('missing.yaml does not exist');
  });

  it('reports an include that is a directory as TOPO223', () => {
    const r = loadFixture({ 'main.yaml': 'name: x\ninclude: parts\n', 'parts/a.yaml': 'region: eastus\n' });
    expect(r.at('TOPO223', 2, 10).message).toContain('is a directory');
  });

  it('TOPO237: included files must agree on region and serviceTags, which any of them may set', () => {
    const r = loadFixture({ 'main.yaml': 'name: x\nregion: eastus\ninclude: net.yaml\n', 'net.yaml': 'region: westeurope\n' });
    const d = r.at('TOPO237', 1, 9, 'net.yaml');
    expect(d.message).toBe("region is 'westeurope' here but 'eastus' in main.yaml");
    expect(d.related?.[0].loc.line).toBe(2);
    const same = loadFixture({ 'main.yaml': 'name: x\nregion: eastus\ninclude: net.yaml\n', 'net.yaml': 'region: EastUS\n' });
    expect(same.codes).toEqual([]);
    const fromInclude = loadFixture({ 'main.yaml': 'name: x\ninclude: net.yaml\n', 'net.yaml': 'region: eastus\nserviceTags: missing.json\n' });
    expect(fromInclude.codes).toEqual(['TOPO227']);
  });

  it('reports a cycle of includes at the include that closes it (TOPO224)', () => {
    const r = loadFixture({
      'main.yaml': 'name: x\ninclude: a.yaml\n',
      'a.yaml': 'include: [b.yaml]\n',
      'b.yaml': 'region: eastus\ninclude: main.yaml\n',
    });
    expect(r.codes).toEqual(['TOPO224']);
    expect(r.at('TOPO224', 2, 10, 'b.yaml').message).toContain('main.yaml -> a.yaml -> b.yaml -> main.yaml');
  });

  it('reports a file including itself (TOPO224)', () => {
    const r = loadFixture({ 'main.yaml': 'name: x\ninclude: ./main.yaml\n' });
    expect(r.at('TOPO224', 2, 10).message).toContain('main.yaml -> main.yaml');
  });

  it('reports a name defined in two files at the second, with the first place (TOPO225)', () => {
    const r = loadFixture({
      'main.yaml': yaml`
        name: x
        include: net.yaml
        vnets:
          hub: { addressSpace: [10.0.0.0/16] }
      `,
      'net.yaml': yaml`
        vnets:
          spoke: { addressSpace: [10.2.0.0/16] }
          hub: { addressSpace: [10.1.0.0/16] }
      `,
    });
    const d = r.at('TOPO225', 3, 3, 'net.yaml');
    expect(d.message).toBe('vnets.hub is defined twice');
    expect(d.related).toEqual([{ message: 'first definition', loc: expect.objectContaining({ file: 'main.yaml', line: 4, col: 3 }) }]);
  });

  it('reports an IP group defined in two files (TOPO225), like every other collection', () => {
    const r = loadFixture({
      'main.yaml': 'name: x\ninclude: fw.yaml\nipGroups:\n  research: [10.1.0.0/16]\n',
      'fw.yaml': 'ipGroups:\n  research: [10.9.0.0/16]\n',
    });
    const d = r.at('TOPO225', 2, 3, 'fw.yaml');
    expect(d.message).toBe('ipGroups.research is defined twice');
    expect(d.related?.[0].loc).toMatchObject({ file: 'main.yaml', line: 4, col: 3 });
  });

  it('reports an ASG listed in two files as TOPO225, and twice in one file as TOPO229', () => {
    const r = loadFixture({
      'main.yaml': 'name: x\ninclude: more.yaml\napplicationSecurityGroups: [web, web]\n',
      'more.yaml': 'applicationSecurityGroups: [db, web]\n',
    });
    expect(r.at('TOPO229', 3, 34).related?.[0].loc).toMatchObject({ file: 'main.yaml', line: 3, col: 29 });
    expect(r.at('TOPO225', 1, 33, 'more.yaml').related?.[0].loc).toMatchObject({ file: 'main.yaml', line: 3, col: 29 });
  });

  it('loads a file included along two paths once (diamond)', () => {
    const r = loadFixture({
      'main.yaml': 'name: x\ninclude: [left.yaml, right.yaml]\n',
      'left.yaml': 'include: shared.yaml\n',
      'right.yaml': 'include: [./shared.yaml]\n',
      'shared.yaml': 'ipGroups:\n  everyone: [10.0.0.0/8]\nintents:\n  - name: one\n    deny: { from: internet, to: 10.0.0.0/8 }\n',
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.scenario?.files).toEqual(['main.yaml', 'left.yaml', 'shared.yaml', 'right.yaml']);
    expect(r.scenario?.intents.map((i) => i.name)).toEqual(['one']);
    expect(r.scenario?.ipGroups.get('everyone')?.loc).toMatchObject({ file: 'shared.yaml', line: 2, col: 3 });
  });

  it('merges an imported network with hand-written intents, locating each in its own file', () => {
    const r = loadFixture({
      'main.yaml': 'name: merged\ninclude: network.yaml\nintents:\n  - name: no-internet\n    deny: { from: hub, to: internet }\n',
      'network.yaml': 'region: eastus\nvnets:\n  hub: { addressSpace: [10.0.0.0/16] }\n',
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.scenario?.region).toMatchObject({ value: 'eastus', loc: { file: 'network.yaml', line: 1, col: 9 } });
    expect(r.scenario?.vnets.get('hub')?.addressSpace[0].loc).toMatchObject({ file: 'network.yaml', line: 3, col: 25 });
    expect(r.scenario?.intents[0].loc.file).toBe('main.yaml');
  });

  it('needs name: only in the top file, and follows include: only for strings', () => {
    expect(loadFixture({ 'main.yaml': 'name: x\ninclude: part.yaml\n', 'part.yaml': 'region: eastus\n' }).diagnostics).toEqual([]);
    const r = loadYaml('name: x\ninclude: 5\n');
    expect(r.codes).toEqual(['TOPO102']);
    expect(r.at('TOPO102', 2, 10).message).toBe('include is number 5; expected a string or a list of strings');
  });

  it('reports errors in an included file in that file', () => {
    const r = loadFixture({ 'main.yaml': 'name: x\ninclude: part.yaml\n', 'part.yaml': 'vnets:\n  hub: { adressSpace: [10.0.0.0/16] }\n' });
    expect(r.at('TOPO100', 2, 10, 'part.yaml').hint).toBe("did you mean 'addressSpace'?");
  });
});

const officialFile = (changeNumber: number, extra: object[] = []) =>
  JSON.stringify({
    changeNumber,
    cloud: 'Public',
    values: [
      { name: 'Storage', id: 'Storage', properties: { changeNumber: 1, region: '', systemService: 'AzureStorage', addressPrefixes: ['20.60.0.0/16'], networkFeatures: ['NSG', 'FW'] } },
      { name: 'Storage.EastUS', id: 'Storage.EastUS', properties: { changeNumber: 1, region: 'eastus', systemService: 'AzureStorage', addressPrefixes: ['20.60.1.0/24'] } },
      { name: 'AzureCloud.eastus', id: 'AzureCloud.eastus', properties: { changeNumber: 1, region: 'eastus', addressPrefixes: ['20.60.0.0/16'] } },
      ...extra,
    ],
  });

describe('loadScenario: serviceTags file (TOPO227, TOPO308)', () => {
  const storageRule = yaml`
    networkSecurityGroups:
      n:
        securityRules:
          - { name: r, priority: 100, direction: Outbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: Storage.EastUS, destinationPortRange: "443" }
  `;

  it('uses a current official file named by serviceTags:, relative to the scenario', () => {
    const r = loadFixture({ 'main.yaml': `name: x\nregion: eastus\nserviceTags: tags/ServiceTags_Public_20991231.json\n${storageRule}`, 'tags/ServiceTags_Public_20991231.json': officialFile(999) });
    expect(r.codes).toEqual(['TOPO301']);
    expect(r.catalog?.source).toMatchObject({ kind: 'file', changeNumber: 999, file: join('tags', 'ServiceTags_Public_20991231.json'), date: '2099-12-31' });
    expect(r.catalog?.exact).toBe(true);
  });

  it('warns that an official file older than the shipped catalog is stale (TOPO308), at serviceTags:', () => {
    const r = loadFixture({ 'main.yaml': 'name: x\nserviceTags: old.json\n', 'old.json': officialFile(12) });
    expect(r.scenario).toBeDefined();
    const d = r.at('TOPO308', 2, 14);
    expect(d.severity).toBe('warning');
    expect(d.message).toContain(`(change 12) is older than the shipped catalog (change ${shippedCatalog().source.changeNumber})`);
    expect(d.hint).toContain('download');
  });

  it('reports a missing, unreadable or malformed file as TOPO227 at serviceTags:, and skips the checks', () => {
    const missing = loadYaml('name: x\nserviceTags: nowhere.json\nvnets: { hub: { addressSpace: [10.0.0.0/8] } }\n');
    expect(missing.codes).toEqual(['TOPO227']);
    expect(missing.at('TOPO227', 2, 14).message).toBe('nowhere.json cannot be read (ENOENT)');
    const cases: [string, string][] = [
      ['{ not json', 'is not JSON'],
      ['{"values": []}', 'is not a service tags file'],
      ['{"changeNumber": 1, "values": [{"name": "A"}]}', 'values[0] has no name and properties'],
      ['{"changeNumber": 1, "values": [{"name": "A", "properties": {"region": 5}}]}', 'values[0] (A) has a properties.region that is not a string'],
      ['{"changeNumber": 1, "values": [{"name": "A", "properties": {"addressPrefixes": "1.2.3.0/24"}}]}', 'properties.addressPrefixes that is not a list of strings'],
      ['{"changeNumber": 1, "values": [{"name": "A", "properties": {"networkFeatures": [1]}}]}', 'properties.networkFeatures that is not a list of strings'],
    ];
    for (const [content, words] of cases) {
      const r = loadFixture({ 'main.yaml': 'name: x\nserviceTags: t.json\n', 't.json': content });
      expect(r.codes, content).toEqual(['TOPO227']);
      expect(r.at('TOPO227', 2, 14).message, content).toContain(words);
    }
  });

  it('lets the caller override serviceTags: with an official file (no location to point at)', () => {
    const dir = writeFixture({ 'main.yaml': 'name: x\nserviceTags: nowhere.json\n', 'tags.json': officialFile(400) });
    const r = loadScenario('main.yaml', { cwd: dir, serviceTagsFile: 'tags.json' });
    expect(r.diagnostics).toEqual([]);
    expect(r.catalog?.source.changeNumber).toBe(400);
    const bad = loadScenario('main.yaml', { cwd: dir, serviceTagsFile: 'main.yaml' });
    expect(bad.diagnostics.map((d) => [d.code, d.loc])).toEqual([['TOPO227', undefined]]);
  });

  it('checks tags against the file given: a tag missing from it is unknown (TOPO206)', () => {
    const r = loadFixture({ 'main.yaml': `name: x\nserviceTags: t.json\n${storageRule.replace('Storage.EastUS', 'Sql')}`, 't.json': officialFile(999) });
    expect(r.with('TOPO206')[0].message).toContain('t.json, change 999');
  });
});

describe('loadScenario: valid input', () => {
  it('loads the hub-and-spoke fixture without errors', () => {
    const r = loadScenario('test/fixtures/hub-spoke.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const s = r.scenario!;
    expect(s.name).toBe('hub-spoke-basic');
    expect([...s.vnets.keys()]).toEqual(['hub', 'research']);
    expect(s.intents.map((i) => i.kind)).toEqual(['deny', 'allow']);
    expect(r.catalog?.source.kind).toBe('shipped');
  });

  it('gives every object and value its file:line:col', () => {
    const s = loadScenario('test/fixtures/hub-spoke.yaml').scenario!;
    const file = 'test/fixtures/hub-spoke.yaml';
    const rule = s.networkSecurityGroups.get('compute-nsg')!.securityRules[0];
    expect(rule.loc).toMatchObject({ file, line: 30, col: 9 });
    expect(rule.nameLoc).toMatchObject({ file, line: 30, col: 15 });
    expect(rule.priority).toMatchObject({ value: 100, loc: { file, line: 31, col: 19 } });
    expect(rule.destinationPortRanges.map((p) => [p.value, p.loc.line, p.loc.col])).toEqual([
      ['443', 38, 33],
      ['445', 38, 40],
    ]);
    const subnet = s.vnets.get('research')!.subnets.get('compute')!;
    expect(subnet.loc).toMatchObject({ file, line: 17, col: 9 });
    expect(subnet.networkSecurityGroup).toMatchObject({ value: 'compute-nsg', loc: { line: 18, col: 31 } });
    expect(s.vnets.get('hub')!.peerings.get('hub-to-research')!.loc).toMatchObject({ line: 12, col: 7 });
    expect(s.routeTables.get('via-firewall')!.routes[0].nextHopIpAddress?.loc).toMatchObject({ line: 58, col: 27 });
    const fwRule = s.firewallPolicies.get('hub-policy')!.ruleCollectionGroups[0].ruleCollections[0].rules[0];
    expect(fwRule.destinationAddresses.map((a) => a.loc.col)).toEqual([40, 62]);
    expect(s.hosts.get('dsvm-1')!.privateIpAddress.loc).toMatchObject({ line: 87, col: 23 });
    expect(s.privateEndpoints.get('securestore-blob')!.groupId.loc).toMatchObject({ line: 99, col: 14 });
    const intent = s.intents[1];
    expect(intent.nameLoc).toMatchObject({ line: 104, col: 11 });
    expect(intent.kind === 'allow' && intent.flow.to).toMatchObject({ value: 'securestore-blob', loc: { line: 105, col: 42 } });
  });

  it('locates every object and every value of a scenario, down to list items', () => {
    for (const file of ['test/fixtures/hub-spoke.yaml', 'test/fixtures/validate/valid-with-warnings.yaml']) {
      const s = loadScenario(file).scenario!;
      const lines = readFileSync(file, 'utf8').split('\n').length;
      const unlocated: string[] = [];
      let located = 0;
      const walk = (node: unknown, path: string): void => {
        if (node instanceof Map) return node.forEach((v, k) => walk(v, `${path}.${String(k)}`));
        if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${path}[${i}]`));
        if (node === null || typeof node !== 'object') return;
        const o = node as Record<string, unknown>;
        const loc = o.loc as { file?: string; line?: number; col?: number } | undefined;
        if (!loc || loc.file !== file || !(loc.line! >= 1 && loc.line! <= lines) || !(loc.col! >= 1)) unlocated.push(path);
        else located++;
        // A located value ({ value, loc }) is a leaf; everything else is walked.
        if ('value' in o) return;
        for (const [k, v] of Object.entries(o)) if (k !== 'loc' && k !== 'nameLoc') walk(v, `${path}.${k}`);
      };
      const { file: _f, files: _fs, name: _n, description: _d, ...rest } = s;
      walk(rest, 'scenario');
      expect(unlocated, file).toEqual([]);
      expect(located, file).toBeGreaterThan(40);
    }
  });

  it('merges singular/plural ARM pairs into one list, singular first', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/16]
          subnets:
            one: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: n }
            two: { addressPrefixes: [10.0.2.0/24, 10.0.3.0/24], networkSecurityGroup: n }
      networkSecurityGroups:
        n:
          securityRules:
            - name: r
              priority: 100
              direction: Inbound
              access: Allow
              protocol: Tcp
              sourceAddressPrefixes: [10.1.0.0/16, 10.2.0.0/16]
              sourcePortRange: "*"
              destinationAddressPrefix: VirtualNetwork
              destinationPortRanges: [443, "8000-8100"]
    `);
    expect(r.diagnostics).toEqual([]);
    const v = r.scenario!.vnets.get('v')!;
    expect(v.subnets.get('one')!.addressPrefixes.map((p) => p.value)).toEqual(['10.0.1.0/24']);
    expect(v.subnets.get('two')!.addressPrefixes.map((p) => p.value)).toEqual(['10.0.2.0/24', '10.0.3.0/24']);
    const rule = r.scenario!.networkSecurityGroups.get('n')!.securityRules[0];
    expect(rule.sourceAddressPrefixes.map((p) => p.value)).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    expect(rule.sourcePortRanges.map((p) => p.value)).toEqual(['*']);
    expect(rule.destinationAddressPrefixes.map((p) => p.value)).toEqual(['VirtualNetwork']);
    // A bare 443 and a quoted range read alike.
    expect(rule.destinationPortRanges.map((p) => p.value)).toEqual(['443', '8000-8100']);
  });

  it('matches enum values case-insensitively and keeps them in canonical ARM case', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/16]
          subnets:
            s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: n, routeTable: t, privateEndpointNetworkPolicies: networksecuritygroupenabled }
      networkSecurityGroups:
        n:
          securityRules:
            - { name: r, priority: 100, direction: outbound, access: DENY, protocol: tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }
      routeTables:
        t:
          routes:
            - { name: d, addressPrefix: 0.0.0.0/0, nextHopType: virtualappliance, nextHopIpAddress: 10.0.1.4 }
      intents:
        - name: i
          adversary: STRICT
          deny: { from: v/s, to: internet, protocol: UDP }
    `);
    expect(r.diagnostics).toEqual([]);
    const s = r.scenario!;
    const rule = s.networkSecurityGroups.get('n')!.securityRules[0];
    expect([rule.direction.value, rule.access.value, rule.protocol.value]).toEqual(['Outbound', 'Deny', 'Tcp']);
    expect(s.routeTables.get('t')!.routes[0].nextHopType.value).toBe('VirtualAppliance');
    expect(s.vnets.get('v')!.subnets.get('s')!.privateEndpointNetworkPolicies?.value).toBe('NetworkSecurityGroupEnabled');
    const intent = s.intents[0];
    expect(intent.adversary?.value).toBe('strict');
    expect(intent.kind === 'deny' && intent.flow.protocol?.value).toBe('Udp');
  });

  it('matches service tag names case-insensitively (storage.eastus = Storage.EastUS)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/16]
          subnets:
            s: { addressPrefix: 10.0.1.0/24, networkSecurityGroup: n }
      networkSecurityGroups:
        n:
          securityRules:
            - { name: r1, priority: 100, direction: Outbound, access: Allow, protocol: Tcp, sourceAddressPrefix: virtualnetwork, sourcePortRange: "*", destinationAddressPrefix: storage.eastus, destinationPortRange: "443" }
            - { name: r2, priority: 110, direction: Outbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: AZUREACTIVEDIRECTORY, destinationPortRange: "443" }
      intents:
        - name: i
          deny: { from: v/s, to: "tag:STORAGE" }
    `);
    expect(r.diagnostics).toEqual([]);
  });

  it('returns no scenario when there is an error, but the diagnostics of every stage at once', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/16]
          subnetz: {}
          subnets:
            s: { addressPrefix: 10.9.0.0/24 }
    `);
    expect(r.scenario).toBeUndefined();
    expect(r.codes).toEqual(['TOPO100', 'TOPO302', 'TOPO202']);
  });

  it('keeps warnings with a valid scenario', () => {
    const r = loadYaml('name: x\nvnets:\n  v:\n    addressSpace: [10.0.0.0/16]\n    subnets:\n      s: { addressPrefix: 10.0.1.0/24 }\n');
    expect(r.scenario).toBeDefined();
    expect(r.codes).toEqual(['TOPO302']);
  });

  it('skips the semantic checks when asked', () => {
    const r = loadYaml('name: x\nvnets:\n  v:\n    addressSpace: [10.0.0.0/33]\n', { checks: false });
    expect(r.diagnostics).toEqual([]);
    expect(r.scenario?.vnets.get('v')?.addressSpace[0].value).toBe('10.0.0.0/33');
  });
});
