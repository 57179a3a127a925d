import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { covers, isSubset, overlaps } from '../../test/helpers/ranges.js';
import { writeFixture } from '../../test/helpers/scenario-fixture.js';
import { parseIpv4, parsePrefix, prefixLast } from '../net/ipv4.js';
import { packageFile } from '../util/package-root.js';
import { buildCompactCatalog } from './build-compact.js';
import { CatalogFileError, compactCatalog, type CompactCatalogFile, ipv4Ranges, loadOfficialCatalog, mergeRanges, officialEntries, parseOfficialFile, shippedCatalog, type Range, type ServiceTagCatalog } from './service-tags.js';

const tagRanges = (c: ServiceTagCatalog, name: string) => {
  const e = c.lookup(name);
  if (!e) throw new Error(`${name} is not in the catalog`);
  return c.ranges(e);
};

describe('the shipped catalog', () => {
  const c = shippedCatalog();

  it('records its source: change 375 of 2025-10-28, 3039 entries, all of them present', () => {
    expect(c.source).toMatchObject({ kind: 'shipped', cloud: 'Public', changeNumber: 375, date: '2025-10-28' });
    expect(c.source.file).toBe('models/service-tags.json (from ServiceTags_Public_20251028.json)');
    expect(c.entries()).toHaveLength(3039);
    expect(c.exact).toBe(false);
    const file = JSON.parse(readFileSync(packageFile('models', 'service-tags.json'), 'utf8')) as CompactCatalogFile;
    expect(file.source).toMatchObject({ changeNumber: 375, entries: 3039, file: 'ServiceTags_Public_20251028.json' });
    expect(file.tags).toHaveLength(file.source.entries);
  });

  it('looks tags up case-insensitively and returns the canonical spelling', () => {
    for (const spelling of ['Storage.EastUS', 'storage.eastus', 'STORAGE.EASTUS', 'sToRaGe.EaStUs']) expect(c.lookup(spelling)?.name).toBe('Storage.EastUS');
    expect(c.lookup('azureactivedirectory')?.name).toBe('AzureActiveDirectory');
    expect(c.lookup('Storage.Mars')).toBeUndefined();
    expect(c.lookup('')).toBeUndefined();
  });

  it('F7.1: knows the AML docs spelling Frontdoor.FirstParty as AzureFrontDoor.FirstParty', () => {
    expect(c.lookup('Frontdoor.FirstParty')?.name).toBe('AzureFrontDoor.FirstParty');
  });

  it('F1.6.5: finds the regional tag of a family (Storage + eastus -> Storage.EastUS), in any case', () => {
    expect(c.regional('Storage', 'eastus')?.name).toBe('Storage.EastUS');
    expect(c.regional('storage', 'EastUS')?.name).toBe('Storage.EastUS');
    expect(c.regional('Storage', 'westeurope')?.name).toBe('Storage.WestEurope');
    expect(c.regional('Storage', 'mars')).toBeUndefined();
    expect(c.regional('AzureActiveDirectory', 'eastus')).toBeUndefined();
    const e = c.lookup('Storage.EastUS')!;
    expect([e.family, e.region]).toEqual(['Storage', 'eastus']);
  });

  it('prefers Storage.EastUS2 over the staging tag Storage.EastUS2Stage that shares its region code', () => {
    expect(c.regional('Storage', 'eastus2')?.name).toBe('Storage.EastUS2');
    expect(c.regional('Sql', 'northcentralus')?.name).toBe('Sql.NorthCentralUS');
    expect(c.lookup('Storage.EastUS2Stage')?.region).toBe('eastus2');
  });

  it('F7.1: maps AzureCloud regional codes to ARM regions (AzureCloud.germanywc is germanywestcentral)', () => {
    expect(c.regional('AzureCloud', 'germanywestcentral')?.name).toBe('AzureCloud.germanywc');
    expect(c.regional('AzureCloud', 'eastus')?.name).toBe('AzureCloud.eastus');
    expect(c.regional('AzureCloud', 'switzerlandnorth')?.name).toBe('AzureCloud.switzerlandn');
    expect(c.regional('AzureCloud', 'norwayeast')?.name).toBe('AzureCloud.norwaye');
    expect(c.lookup('AzureCloud.germanywc')).toMatchObject({ family: 'AzureCloud', region: 'germanywestcentral' });
    expect(c.regions().has('germanywestcentral')).toBe(true);
    expect(c.regions().has('germanywc')).toBe(false);
  });

  it('keeps non-regional dotted tags as their own family', () => {
    expect(c.lookup('AzureFrontDoor.FirstParty')).toMatchObject({ family: 'AzureFrontDoor.FirstParty', region: '' });
    expect(c.lookup('Storage')).toMatchObject({ family: 'Storage', region: '', systemService: 'AzureStorage' });
  });

  it('F1.6.5: preserves tag-to-tag relations: a regional tag inside its family, disjoint services apart', () => {
    expect(isSubset(tagRanges(c, 'Storage.EastUS'), tagRanges(c, 'Storage'))).toBe(true);
    expect(isSubset(tagRanges(c, 'Storage'), tagRanges(c, 'Storage.EastUS'))).toBe(false);
    expect(overlaps(tagRanges(c, 'Storage'), tagRanges(c, 'AzureActiveDirectory'))).toBe(false);
    expect(overlaps(tagRanges(c, 'Storage.EastUS'), tagRanges(c, 'Storage.WestUS'))).toBe(false);
    expect(isSubset(tagRanges(c, 'AzureCloud.eastus'), tagRanges(c, 'AzureCloud'))).toBe(true);
    expect(isSubset(tagRanges(c, 'Storage.EastUS'), tagRanges(c, 'AzureCloud.eastus'))).toBe(true);
  });

  it('holds every tag inside its footprint', () => {
    const foot = c.footprint();
    for (const e of c.entries()) for (const [lo, hi] of c.ranges(e)) expect(covers(foot, lo) && covers(foot, hi), e.name).toBe(true);
  });
});

/** A tiny official file: A contains A.EastUS, B overlaps A, C is apart, and a staging tag shares eastus2. */
function tinyFile(order: 'staging-last' | 'staging-first' = 'staging-last'): string {
  const v = (name: string, region: string, prefixes: string[], extra: object = {}) => ({ name, id: name, properties: { changeNumber: 1, region, regionId: 0, platform: 'Azure', systemService: name.split('.')[0], addressPrefixes: prefixes, networkFeatures: ['NSG'], ...extra } });
  const staging = [v('X.EastUS2Stage', 'eastus2', ['50.0.9.0/24'])];
  const regular = [v('X.EastUS2', 'eastus2', ['50.0.1.0/24']), v('Y.EastUS2', 'eastus2', ['50.0.2.0/24'])];
  return JSON.stringify({
    changeNumber: 42,
    cloud: 'Public',
    values: [
      v('A', '', ['20.0.0.0/16', '2603:1030::/48']),
      v('A.EastUS', 'eastus', ['20.0.0.0/24']),
      v('A.GermanyWestCentral', 'germanywc', ['20.0.1.0/24']),
      v('B', '', ['20.0.128.0/17', '30.0.0.0/24']),
      v('C', '', ['40.0.0.0/24']),
      v('Empty', '', []),
      v('AzureCloud.germanywc', 'germanywc', ['20.0.1.0/24', '30.0.0.0/24'], { systemService: '' }),
      ...(order === 'staging-last' ? [...regular, ...staging] : [...staging, ...regular]),
    ],
  });
}

describe('the official file format', () => {
  it('F7.3.2: reads entries with their ARM regions, whatever the order of the file', () => {
    for (const order of ['staging-last', 'staging-first'] as const) {
      const entries = officialEntries(parseOfficialFile(tinyFile(order), 'f.json'));
      const byName = new Map(entries.map((e) => [e.name, e]));
      expect(byName.get('X.EastUS2Stage')?.region, order).toBe('eastus2');
      expect(byName.get('AzureCloud.germanywc')).toMatchObject({ family: 'AzureCloud', region: 'germanywestcentral' });
      expect(byName.get('A')).toMatchObject({ family: 'A', region: '', networkFeatures: ['NSG'] });
    }
  });

  it('loads a file as an exact catalog with real ranges, IPv6 left out', () => {
    const dir = writeFixture({ 'ServiceTags_Public_20990101.json': tinyFile('staging-first') });
    const c = loadOfficialCatalog(join(dir, 'ServiceTags_Public_20990101.json'), 'tags.json');
    expect(c.exact).toBe(true);
    expect(c.source).toEqual({ kind: 'file', file: 'tags.json', cloud: 'Public', changeNumber: 42, date: undefined });
    expect(tagRanges(c, 'a')).toEqual([[parseIpv4('20.0.0.0'), parseIpv4('20.0.255.255')]]);
    expect(c.regional('X', 'eastus2')?.name).toBe('X.EastUS2');
    expect(c.regional('AzureCloud', 'germanywestcentral')?.name).toBe('AzureCloud.germanywc');
    expect(c.footprint()).toEqual(mergeRanges([[parseIpv4('20.0.0.0')!, parseIpv4('20.0.255.255')!], [parseIpv4('30.0.0.0')!, parseIpv4('30.0.0.255')!], [parseIpv4('40.0.0.0')!, parseIpv4('40.0.0.255')!], [parseIpv4('50.0.1.0')!, parseIpv4('50.0.2.255')!], [parseIpv4('50.0.9.0')!, parseIpv4('50.0.9.255')!]]));
  });

  it('turns a damaged file into one CatalogFileError, never a crash later', () => {
    const bad = (text: string) => () => parseOfficialFile(text, 'f.json');
    expect(bad('[')).toThrow(CatalogFileError);
    expect(bad('{"values": []}')).toThrow('f.json is not a service tags file (expected changeNumber and values[])');
    expect(bad('{"changeNumber": 1, "values": [null]}')).toThrow('f.json: values[0] has no name and properties');
    expect(bad('{"changeNumber": 1, "values": [{"name": "", "properties": {}}]}')).toThrow('values[0] has no name');
    expect(bad('{"changeNumber": 1, "values": [{"name": "A", "properties": {"systemService": 1}}]}')).toThrow('properties.systemService that is not a string');
    expect(bad('{"changeNumber": 1, "values": [{"name": "A", "properties": {"addressPrefixes": [1]}}]}')).toThrow('properties.addressPrefixes that is not a list of strings');
    expect(parseOfficialFile('{"changeNumber": 1, "values": [{"name": "A", "properties": {"networkFeatures": null}}]}', 'f.json').values[0].name).toBe('A');
    const dir = writeFixture({ 'x.txt': '' });
    expect(() => loadOfficialCatalog(join(dir, 'nope.json'), 'nope.json')).toThrow('nope.json cannot be read (ENOENT)');
    expect(() => loadOfficialCatalog(dir, 'dir')).toThrow('dir cannot be read (EISDIR)');
  });

  it('reads prefixes as merged IPv4 ranges; a prefix with host bits still means its network', () => {
    const p = (text: string): Range => {
      const r = parsePrefix(text);
      if (!r.ok) throw new Error(text);
      return [r.prefix.addr, prefixLast(r.prefix)];
    };
    expect(ipv4Ranges(['10.0.1.0/24', '10.0.0.0/24', '2603::/16', '10.0.2.7/24', 'junk'])).toEqual([[p('10.0.0.0/24')[0], p('10.0.2.0/24')[1]]]);
    expect(ipv4Ranges(['1.2.3.4'])).toEqual([p('1.2.3.4/32')]);
  });
});

describe('the compact catalog built from a file', () => {
  const text = tinyFile();
  const compact = buildCompactCatalog(text, 'some/dir/ServiceTags_Public_20990101.json');
  const c = compactCatalog(compact, 'tiny');
  const dir = writeFixture({ 'tags.json': text });
  const real = loadOfficialCatalog(join(dir, 'tags.json'), 'tags.json');

  it('records where it came from', () => {
    expect(compact.source).toEqual({ file: 'ServiceTags_Public_20990101.json', cloud: 'Public', changeNumber: 42, date: '2099-01-01', sha256: createHash('sha256').update(text).digest('hex'), entries: 10 });
    expect(c.entries().map((e) => e.name)).toEqual(real.entries().map((e) => e.name));
  });

  it('represents each atom by a real address that has exactly the atom tags', () => {
    const atoms = compact.atoms.map((a) => parseIpv4(a)!);
    for (const e of real.entries()) for (const a of atoms) expect(covers(c.ranges(e), a), `${e.name} ${a}`).toBe(covers(real.ranges(e), a));
  });

  it('keeps every relation between two tags exact', () => {
    const names = real.entries().map((e) => e.name);
    for (const a of names)
      for (const b of names) {
        expect(isSubset(tagRanges(c, a), tagRanges(c, b)), `${a} in ${b}`).toBe(isSubset(tagRanges(real, a), tagRanges(real, b)));
        expect(overlaps(tagRanges(c, a), tagRanges(c, b)), `${a} meets ${b}`).toBe(overlaps(tagRanges(real, a), tagRanges(real, b)));
      }
    expect(isSubset(tagRanges(c, 'A.EastUS'), tagRanges(c, 'A'))).toBe(true);
    expect(overlaps(tagRanges(c, 'A'), tagRanges(c, 'C'))).toBe(false);
  });

  it('adds one atom for untagged addresses of the footprint, in no tag', () => {
    const gap = parseIpv4(compact.atoms[compact.atoms.length - 1])!;
    expect(covers(c.footprint(), gap)).toBe(true);
    expect(real.entries().some((e) => covers(real.ranges(e), gap))).toBe(false);
    expect(c.ranges(c.lookup('Empty')!)).toEqual([]);
  });

  it('maps regions like the file catalog', () => {
    expect(c.regional('X', 'eastus2')?.name).toBe('X.EastUS2');
    expect(c.regional('A', 'germanywestcentral')?.name).toBe('A.GermanyWestCentral');
    expect([...c.regions()].sort()).toEqual([...real.regions()].sort());
  });
});
