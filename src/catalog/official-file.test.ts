/**
 * The shipped compact catalog against the official file it was built from,
 * when that file is at hand (it is never part of the package). Tag names,
 * counts and every tag-to-tag relation must survive the compaction.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { covers, isSubset, overlaps } from '../../test/helpers/ranges.js';
import { writeFixture } from '../../test/helpers/scenario-fixture.js';
import { runCatalogBuild } from '../cli/catalog.js';
import { parseIpv4 } from '../net/ipv4.js';
import { packageFile, packageRoot } from '../util/package-root.js';
import { loadOfficialCatalog, shippedCatalog, type CompactCatalogFile, type ServiceTagCatalog } from './service-tags.js';

const OFFICIAL = join(packageRoot(), '..', 'shared', 'corpora', 'servicetags', 'ServiceTags_Public_20251028.json');
const present = existsSync(OFFICIAL);
const title = present ? 'the shipped catalog against ServiceTags_Public_20251028.json' : `SKIPPED: the official file is not at ${OFFICIAL}, so the shipped catalog cannot be compared with it`;

describe.skipIf(!present)(title, () => {
  const text = present ? readFileSync(OFFICIAL, 'utf8') : '{}';
  const official = JSON.parse(text) as { changeNumber: number; values: { name: string }[] };
  const shipped = shippedCatalog();
  const compactFile = JSON.parse(readFileSync(packageFile('models', 'service-tags.json'), 'utf8')) as CompactCatalogFile;
  const real = present ? loadOfficialCatalog(OFFICIAL, 'ServiceTags_Public_20251028.json') : shipped;
  const rangesOf = (c: ServiceTagCatalog, name: string) => c.ranges(c.lookup(name)!);

  it('was built from exactly this file: change 375, 3039 entries, same sha256', () => {
    expect(official.changeNumber).toBe(375);
    expect(official.values).toHaveLength(3039);
    expect(compactFile.source).toMatchObject({ file: 'ServiceTags_Public_20251028.json', changeNumber: official.changeNumber, entries: official.values.length });
    expect(compactFile.source.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(shipped.source.changeNumber).toBe(official.changeNumber);
  });

  it('resolves every tag name of the file, in any case, to the same canonical name', () => {
    const missing: string[] = [];
    for (const { name } of official.values) {
      for (const spelling of [name, name.toLowerCase(), name.toUpperCase()]) if (shipped.lookup(spelling)?.name !== name) missing.push(spelling);
    }
    expect(missing).toEqual([]);
    expect(shipped.entries().map((e) => e.name)).toEqual(official.values.map((v) => v.name));
  });

  it('gives each tag the region, family and features the file catalog gives it', () => {
    const differ = real.entries().filter((e) => JSON.stringify(shipped.lookup(e.name)) !== JSON.stringify(e));
    expect(differ.map((e) => e.name)).toEqual([]);
  });

  it('finds each regional tag spelled <family>.<Region> by family and region (staging tags aside)', () => {
    const wrong: string[] = [];
    for (const e of real.entries()) {
      if (!e.region || e.name.toLowerCase() !== `${e.family}.${e.region}`.toLowerCase()) continue;
      if (shipped.regional(e.family, e.region)?.name !== e.name) wrong.push(`${e.name} -> ${shipped.regional(e.family, e.region)?.name}`);
    }
    expect(wrong).toEqual([]);
  });

  it('places every atom in exactly the tags whose real prefixes hold its address', () => {
    const atoms = compactFile.atoms.map((a) => parseIpv4(a)!);
    let mismatches = 0;
    const examples: string[] = [];
    for (const e of real.entries()) {
      const exact = real.ranges(e);
      const compact = shipped.ranges(shipped.lookup(e.name)!);
      for (let i = 0; i < atoms.length; i++) {
        if (covers(exact, atoms[i]) !== covers(compact, atoms[i])) {
          mismatches++;
          if (examples.length < 5) examples.push(`${e.name} ${compactFile.atoms[i]}`);
        }
      }
    }
    expect(examples).toEqual([]);
    expect(mismatches).toBe(0);
  });

  it('keeps containment and overlap of tag pairs as the real prefixes have them', () => {
    const names = official.values.map((v) => v.name);
    const named: [string, string, boolean, boolean][] = [
      // [a, b, a inside b, a meets b], from the real prefixes of change 375
      ['Storage.EastUS', 'Storage', true, true],
      ['Storage', 'AzureActiveDirectory', false, false],
      ['Storage', 'AzureCloud', false, true],
      ['Storage.EastUS', 'Storage.WestUS', false, false],
      ['Storage.EastUS', 'AzureCloud.eastus', true, true],
      ['AzureMachineLearning', 'AzureCloud', true, true],
      ['AzureActiveDirectory', 'AzureCloud', false, true],
      ['AzureFrontDoor.FirstParty', 'AzureFrontDoor.Frontend', false, false],
      ['MicrosoftContainerRegistry', 'AzureFrontDoor.FirstParty', false, false],
    ];
    for (const [a, b, inside, meets] of named) {
      expect(isSubset(rangesOf(real, a), rangesOf(real, b)), `${a} in ${b} (real)`).toBe(inside);
      expect(overlaps(rangesOf(real, a), rangesOf(real, b)), `${a} meets ${b} (real)`).toBe(meets);
    }
    // A fixed pseudo-random sample, so a failure is reproducible.
    let seed = 375;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % names.length;
    const pairs: [string, string][] = named.map(([a, b]) => [a, b]);
    for (let i = 0; i < 3000; i++) pairs.push([names[next()], names[next()]]);
    const wrong: string[] = [];
    for (const [a, b] of pairs) {
      if (isSubset(rangesOf(real, a), rangesOf(real, b)) !== isSubset(rangesOf(shipped, a), rangesOf(shipped, b))) wrong.push(`${a} in ${b}`);
      if (overlaps(rangesOf(real, a), rangesOf(real, b)) !== overlaps(rangesOf(shipped, a), rangesOf(shipped, b))) wrong.push(`${a} meets ${b}`);
    }
    expect(wrong).toEqual([]);
  });

  it('is what `topo catalog build` makes of the file, byte for byte', async () => {
    const dir = writeFixture({ 'placeholder.txt': '' });
    const out: string[] = [];
    const io = { stdout: { write: (t: string) => void out.push(t) }, stderr: { write: (t: string) => void out.push(t) }, cwd: dir, env: {} };
    expect(await runCatalogBuild(OFFICIAL, { output: 'rebuilt.json' }, io)).toBe(0);
    expect(out.join('')).toContain('3039 tags');
    expect(readFileSync(join(dir, 'rebuilt.json'), 'utf8')).toBe(readFileSync(packageFile('models', 'service-tags.json'), 'utf8'));
  });
});
