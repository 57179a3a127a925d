/**
 * Builds the shipped compact catalog from an official ServiceTags_Public
 * file (run by maintainers with `topo catalog build FILE`; the official file
 * itself is never shipped).
 *
 * Atoms: sweep every IPv4 range of every tag; each maximal stretch of
 * addresses with the same set of tags is an elementary interval, and all
 * elementary intervals with the same tag set form one atom. One real address
 * per atom represents it. One more atom stands for the addresses inside the
 * footprint that no tag covers, so that atoms partition the footprint.
 */
import { createHash } from 'node:crypto';
import { formatIpv4, rangeToPrefixes, formatPrefix } from '../net/ipv4.js';
import { deltaEncode } from './delta.js';
import { ipv4Ranges, mergeRanges, officialEntries, parseOfficialFile, type CompactCatalogFile, type Range } from './service-tags.js';

/** Granularity of the footprint: coarse enough to be compact, fine enough to be useful. */
const FOOTPRINT_BLOCK = 2 ** 16;

export function buildCompactCatalog(text: string, fileName: string): CompactCatalogFile {
  const file = parseOfficialFile(text, fileName);
  const entries = officialEntries(file);
  const rangesByTag = file.values.map((v) => ipv4Ranges(v.properties.addressPrefixes ?? []));

  // Sweep: +1 / -1 events per tag at range boundaries.
  const events = new Map<number, number[]>();
  const push = (at: number, tag: number) => {
    let list = events.get(at);
    if (!list) events.set(at, (list = []));
    list.push(tag);
  };
  rangesByTag.forEach((ranges, tag) => {
    for (const [lo, hi] of ranges) {
      push(lo, tag + 1);
      push(hi + 1, -(tag + 1));
    }
  });
  const points = [...events.keys()].sort((a, b) => a - b);
  const active = new Set<number>();
  const atomIds = new Map<string, number>();
  const atomBest: { lo: number; size: number }[] = [];
  const atomBlocks: Set<number>[] = [];
  const tagAtoms: Set<number>[] = rangesByTag.map(() => new Set());
  for (let i = 0; i < points.length - 1; i++) {
    for (const ev of events.get(points[i])!) {
      if (ev > 0) active.add(ev - 1);
      else active.delete(-ev - 1);
    }
    if (active.size === 0) continue;
    const lo = points[i];
    const size = points[i + 1] - lo;
    const signature = [...active].sort((a, b) => a - b).join(',');
    let id = atomIds.get(signature);
    if (id === undefined) {
      id = atomBest.length;
      atomIds.set(signature, id);
      atomBest.push({ lo, size });
      atomBlocks.push(new Set());
      for (const t of active) tagAtoms[t].add(id);
    } else if (size > atomBest[id].size) {
      atomBest[id] = { lo, size };
    }
    for (let b = Math.floor(lo / FOOTPRINT_BLOCK); b <= Math.floor((lo + size - 1) / FOOTPRINT_BLOCK); b++) atomBlocks[id].add(b);
  }

  const footprint = coarseFootprint(rangesByTag.flat());
  const covered = mergeRanges(rangesByTag.flat().map((r) => [r[0], r[1]] as [number, number]));
  const gap = firstUncovered(footprint, covered);
  const atoms = atomBest.map(({ lo, size }) => formatIpv4(size > 16 ? lo + 4 : lo));
  const blocks = atomBlocks.map((set) => deltaEncode([...set].sort((a, b) => a - b)));
  if (gap !== undefined) {
    atoms.push(formatIpv4(gap));
    // Untagged addresses can be anywhere in the footprint.
    const all = new Set<number>();
    for (const [lo, hi] of footprint) for (let b = lo / FOOTPRINT_BLOCK; b <= hi / FOOTPRINT_BLOCK; b++) all.add(Math.floor(b));
    blocks.push(deltaEncode([...all].sort((a, b) => a - b)));
  }

  const tags = file.values.map((v, i): [string, string, string, string, string] => [
    v.name,
    entries[i].region,
    v.properties.systemService ?? '',
    (v.properties.networkFeatures ?? []).join(','),
    deltaEncode([...tagAtoms[i]].sort((a, b) => a - b)),
  ]);

  const date = /(\d{4})(\d{2})(\d{2})/.exec(fileName);
  return {
    format: 'topo-service-tags/1',
    source: {
      file: fileName.replace(/^.*[\\/]/, ''),
      cloud: file.cloud,
      changeNumber: file.changeNumber,
      date: date ? `${date[1]}-${date[2]}-${date[3]}` : '',
      sha256: createHash('sha256').update(text).digest('hex'),
      entries: file.values.length,
    },
    note:
      'Compact catalog: every tag name of the source file; each tag is a set of atoms (address regions the file distinguishes by tag membership), each atom represented by one of its real addresses and located by the /16 blocks it touches (atomBlocks). The last atom stands for untagged addresses inside the footprint. Tag-to-tag relations are exact; a literal public prefix relates exactly to atoms whose blocks it misses, and topo reports the packets that depend on any other atom as unknown. Pass the official file (serviceTags: FILE or --service-tags FILE) for real prefixes.',
    footprint: footprint.flatMap(([lo, hi]) => rangeToPrefixes(lo, hi).map(formatPrefix)),
    atoms,
    atomBlocks: blocks,
    tags,
  };
}
function coarseFootprint(ranges: readonly Range[]): Range[] {
  const blocks: [number, number][] = ranges.map(([lo, hi]) => [
    Math.floor(lo / FOOTPRINT_BLOCK) * FOOTPRINT_BLOCK,
    Math.floor(hi / FOOTPRINT_BLOCK) * FOOTPRINT_BLOCK + FOOTPRINT_BLOCK - 1,
  ]);
  return mergeRanges(blocks);
}

function firstUncovered(footprint: readonly Range[], covered: readonly Range[]): number | undefined {
  let j = 0;
  for (const [lo, hi] of footprint) {
    let cursor = lo;
    while (j < covered.length && covered[j][1] < cursor) j++;
    let k = j;
    while (cursor <= hi) {
      if (k >= covered.length || covered[k][0] > cursor) return cursor;
      cursor = covered[k][1] + 1;
      k++;
    }
  }
  return undefined;
}
