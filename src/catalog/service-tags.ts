/**
 * Service tags: names, regions and address ranges (F7).
 *
 * Two sources behave the same to callers:
 * - the shipped compact catalog (models/service-tags.json): every tag name of
 *   the public file, and each tag as a set of "atoms": the regions of the
 *   address space that the official file distinguishes by tag membership,
 *   each represented by one real address. Every relation between tags
 *   (containment, overlap, disjointness) is exact; how a tag relates to a
 *   literal public prefix is only known up to the catalog's footprint, and
 *   the model reports where that matters (TOPO307).
 * - an official ServiceTags_Public_*.json file: the real prefixes.
 */
import { readFileSync } from 'node:fs';
import { parsePrefix, prefixLast } from '../net/ipv4.js';
import { packageFile } from '../util/package-root.js';
import { deltaDecode } from './delta.js';

export type Range = readonly [number, number];

export interface TagEntry {
  /** Canonical name as the file spells it, e.g. `Storage.EastUS`. */
  readonly name: string;
  /** Family: `Storage` for `Storage.EastUS`; the full name for non-regional dotted tags. */
  readonly family: string;
  /** ARM region name (`eastus`) for regional tags, '' for global ones. */
  readonly region: string;
  readonly systemService: string;
  readonly networkFeatures: readonly string[];
}

export interface CatalogSource {
  readonly kind: 'shipped' | 'file';
  readonly file: string;
  readonly cloud: string;
  readonly changeNumber: number;
  readonly date?: string;
}

export interface ServiceTagCatalog {
  readonly source: CatalogSource;
  /** True when ranges() are the real prefixes. */
  readonly exact: boolean;
  lookup(name: string): TagEntry | undefined;
  entries(): readonly TagEntry[];
  /** Sorted, disjoint, merged IPv4 ranges of a tag. */
  ranges(entry: TagEntry): readonly Range[];
  /** Sorted disjoint ranges that contain every address of every tag (exact or coarse). */
  footprint(): readonly Range[];
  /**
   * Representative addresses whose real extent may overlap `ranges` without
   * the catalog being able to say how (compact catalog only; empty when exact).
   */
  uncertainNear(ranges: readonly Range[]): readonly Range[];
  /** ARM region names the catalog knows. */
  regions(): ReadonlySet<string>;
  /** The regional tag of a family in a region (`Storage`, `eastus` -> `Storage.EastUS`). */
  regional(family: string, region: string): TagEntry | undefined;
}

/** Names some templates use for the same tags (F7.1: classic spellings, AML docs spelling). */
const ALIASES: Record<string, string> = {
  'frontdoor.firstparty': 'AzureFrontDoor.FirstParty',
};

interface CatalogData {
  readonly entries: TagEntry[];
  readonly byLower: Map<string, TagEntry>;
  readonly regions: Set<string>;
  readonly regional: Map<string, TagEntry>;
}

function index(entries: TagEntry[]): CatalogData {
  const byLower = new Map<string, TagEntry>();
  const regions = new Set<string>();
  const regional = new Map<string, TagEntry>();
  for (const e of entries) {
    byLower.set(e.name.toLowerCase(), e);
    if (e.region) {
      regions.add(e.region);
      // Staging tags share a region code with the real one (Storage.EastUS2Stage is
      // in eastus2 too); the tag spelled <family>.<region> is the regional tag.
      const key = `${e.family.toLowerCase()}|${e.region}`;
      const held = regional.get(key);
      if (!held || (!spelledAsRegion(held) && spelledAsRegion(e))) regional.set(key, e);
    }
  }
  for (const [alias, target] of Object.entries(ALIASES)) {
    const hit = byLower.get(target.toLowerCase());
    if (hit) byLower.set(alias, hit);
  }
  return { entries, byLower, regions, regional };
}

function spelledAsRegion(e: TagEntry): boolean {
  return e.name.toLowerCase() === `${e.family}.${e.region}`.toLowerCase();
}

abstract class BaseCatalog implements ServiceTagCatalog {
  abstract readonly source: CatalogSource;
  abstract readonly exact: boolean;
  protected abstract readonly data: CatalogData;
  lookup(name: string): TagEntry | undefined {
    return this.data.byLower.get(name.toLowerCase());
  }
  entries(): readonly TagEntry[] {
    return this.data.entries;
  }
  regions(): ReadonlySet<string> {
    return this.data.regions;
  }
  regional(family: string, region: string): TagEntry | undefined {
    return this.data.regional.get(`${family.toLowerCase()}|${region.toLowerCase()}`);
  }
  abstract ranges(entry: TagEntry): readonly Range[];
  abstract footprint(): readonly Range[];
  uncertainNear(_ranges: readonly Range[]): readonly Range[] {
    return [];
  }
}

// ---------------------------------------------------------------------------
// The official file

export interface OfficialFile {
  readonly changeNumber: number;
  readonly cloud: string;
  readonly values: readonly {
    readonly name: string;
    readonly properties: {
      readonly region?: string;
      readonly systemService?: string;
      readonly addressPrefixes?: readonly string[];
      readonly networkFeatures?: readonly string[] | null;
    };
  }[];
}

export class CatalogFileError extends Error {}

export function parseOfficialFile(text: string, file: string): OfficialFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogFileError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const j = json as Partial<OfficialFile>;
  if (!j || typeof j !== 'object' || !Array.isArray(j.values) || typeof j.changeNumber !== 'number') {
    throw new CatalogFileError(`${file} is not a service tags file (expected changeNumber and values[])`);
  }
  // Every field is checked here so that a damaged file is one clear error, not a crash deep in a check.
  j.values.forEach((v, i) => {
    if (!v || typeof v.name !== 'string' || v.name === '' || !v.properties || typeof v.properties !== 'object') {
      throw new CatalogFileError(`${file}: values[${i}] has no name and properties`);
    }
    const p = v.properties as Record<string, unknown>;
    const bad = (field: string, expected: string) => new CatalogFileError(`${file}: values[${i}] (${v.name}) has a properties.${field} that is not ${expected}`);
    for (const field of ['region', 'systemService'] as const) if (p[field] !== undefined && typeof p[field] !== 'string') throw bad(field, 'a string');
    for (const field of ['addressPrefixes', 'networkFeatures'] as const) {
      const list = p[field];
      if (list !== undefined && list !== null && !(Array.isArray(list) && list.every((x) => typeof x === 'string'))) throw bad(field, 'a list of strings');
    }
  });
  if (typeof j.cloud !== 'string') (j as { cloud: string }).cloud = '';
  return j as OfficialFile;
}

/**
 * Turns the file's entries into TagEntry with ARM region names. The file's
 * region field uses short codes (germanywc) while regional names use the
 * location display form (GermanyWestCentral): the suffix, lowercased, is the
 * ARM location name, and AzureCloud.<code> is mapped through the codes.
 */
export function officialEntries(file: OfficialFile): TagEntry[] {
  // A code can carry several suffixes (eastus2: EastUS2 on most tags, EastUS2Stage on
  // a few); the one most tags use is the ARM name, whatever the order of the file.
  const votes = new Map<string, Map<string, number>>();
  for (const v of file.values) {
    const dot = v.name.indexOf('.');
    const code = v.properties.region ?? '';
    if (dot <= 0 || !code || v.name.startsWith('AzureCloud.')) continue;
    const suffix = v.name.slice(dot + 1).toLowerCase();
    let counts = votes.get(code);
    if (!counts) votes.set(code, (counts = new Map()));
    counts.set(suffix, (counts.get(suffix) ?? 0) + 1);
  }
  const codeToArm = new Map<string, string>();
  for (const [code, counts] of votes) {
    const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))[0];
    codeToArm.set(code, best[0]);
  }
  return file.values.map((v) => {
    const dot = v.name.indexOf('.');
    const code = v.properties.region ?? '';
    const region = code ? codeToArm.get(code) ?? code : '';
    const family = dot > 0 && code ? v.name.slice(0, dot) : v.name;
    return {
      name: v.name,
      family,
      region,
      systemService: v.properties.systemService ?? '',
      networkFeatures: v.properties.networkFeatures ?? [],
    };
  });
}

export function ipv4Ranges(prefixes: readonly string[]): Range[] {
  const ranges: [number, number][] = [];
  for (const p of prefixes) {
    if (p.includes(':')) continue;
    // A prefix with host bits still means its network; dropping it would shrink the tag.
    let parsed = parsePrefix(p);
    if (!parsed.ok && parsed.reason === 'host-bits' && parsed.canonical) parsed = parsePrefix(parsed.canonical);
    if (parsed.ok) ranges.push([parsed.prefix.addr, prefixLast(parsed.prefix)]);
  }
  return mergeRanges(ranges);
}

export function mergeRanges(ranges: [number, number][]): Range[] {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of ranges) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

class FileCatalog extends BaseCatalog {
  readonly exact = true;
  protected readonly data: CatalogData;
  private readonly prefixes = new Map<string, readonly string[]>();
  private readonly cache = new Map<string, readonly Range[]>();
  private foot?: readonly Range[];
  constructor(
    readonly source: CatalogSource,
    file: OfficialFile,
  ) {
    super();
    this.data = index(officialEntries(file));
    for (const v of file.values) this.prefixes.set(v.name, v.properties.addressPrefixes ?? []);
  }
  ranges(entry: TagEntry): readonly Range[] {
    let hit = this.cache.get(entry.name);
    if (!hit) {
      hit = ipv4Ranges(this.prefixes.get(entry.name) ?? []);
      this.cache.set(entry.name, hit);
    }
    return hit;
  }
  footprint(): readonly Range[] {
    if (!this.foot) this.foot = mergeRanges(this.data.entries.flatMap((e) => this.ranges(e).map((r) => [r[0], r[1]] as [number, number])));
    return this.foot;
  }
}

export function loadOfficialCatalog(path: string, display: string): ServiceTagCatalog {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CatalogFileError(`${display} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const file = parseOfficialFile(text, display);
  const date = /(\d{4})(\d{2})(\d{2})/.exec(display);
  return new FileCatalog({ kind: 'file', file: display, cloud: file.cloud, changeNumber: file.changeNumber, date: date ? `${date[1]}-${date[2]}-${date[3]}` : undefined }, file);
}

// ---------------------------------------------------------------------------
// The shipped compact catalog

export interface CompactCatalogFile {
  readonly format: 'topo-service-tags/1';
  readonly source: { file: string; cloud: string; changeNumber: number; date: string; sha256: string; entries: number };
  readonly note: string;
  readonly footprint: readonly string[];
  readonly atoms: readonly string[];
  /** Per atom: the /16 blocks it touches (base-36 deltas joined by '.'). */
  readonly atomBlocks: readonly string[];
  /** name, region, systemService, networkFeatures (joined by ','), atom ids (base-36, delta-encoded, joined by '.') */
  readonly tags: readonly [string, string, string, string, string][];
}

class CompactCatalog extends BaseCatalog {
  readonly exact = false;
  protected readonly data: CatalogData;
  private readonly atomAddr: number[];
  /** For each /16 block, the atoms touching it; for each atom, its blocks. */
  private readonly atomsByBlock = new Map<number, number[]>();
  private readonly blocksOfAtom: number[][];
  private readonly atomsOf = new Map<string, string>();
  private readonly foot: readonly Range[];
  private readonly cache = new Map<string, readonly Range[]>();
  constructor(
    readonly source: CatalogSource,
    file: CompactCatalogFile,
  ) {
    super();
    const entries: TagEntry[] = file.tags.map(([name, region, systemService, features]) => {
      const dot = name.indexOf('.');
      return { name, family: dot > 0 && region ? name.slice(0, dot) : name, region, systemService, networkFeatures: features ? features.split(',') : [] };
    });
    this.data = index(entries);
    for (const t of file.tags) this.atomsOf.set(t[0], t[4]);
    this.atomAddr = file.atoms.map((a) => {
      const p = parsePrefix(a);
      if (!p.ok) throw new Error(`topo: corrupt service tag catalog atom ${a}`);
      return p.prefix.addr;
    });
    this.blocksOfAtom = file.atomBlocks.map((encoded) => deltaDecode(encoded));
    this.blocksOfAtom.forEach((blocks, atom) => {
      for (const block of blocks) {
        const list = this.atomsByBlock.get(block);
        if (list) list.push(atom);
        else this.atomsByBlock.set(block, [atom]);
      }
    });
    this.foot = mergeRanges(
      file.footprint.map((f) => {
        const p = parsePrefix(f);
        if (!p.ok) throw new Error(`topo: corrupt service tag catalog footprint ${f}`);
        return [p.prefix.addr, prefixLast(p.prefix)] as [number, number];
      }),
    );
  }
  ranges(entry: TagEntry): readonly Range[] {
    let hit = this.cache.get(entry.name);
    if (!hit) {
      const encoded = this.atomsOf.get(entry.name) ?? '';
      const points: [number, number][] = [];
      let id = 0;
      for (const part of encoded ? encoded.split('.') : []) {
        id += parseInt(part, 36);
        const addr = this.atomAddr[id];
        points.push([addr, addr]);
      }
      hit = mergeRanges(points);
      this.cache.set(entry.name, hit);
    }
    return hit;
  }
  footprint(): readonly Range[] {
    return this.foot;
  }
  /**
   * An atom's relation to a range is certain when the range misses all its
   * blocks (disjoint) or covers all of them (inside); otherwise the atom may
   * straddle the range and its one address cannot stand for it.
   */
  override uncertainNear(ranges: readonly Range[]): readonly Range[] {
    const points: [number, number][] = [];
    for (const [lo, hi] of ranges) {
      const seen = new Set<number>();
      for (let b = Math.floor(lo / 65536); b <= Math.floor(hi / 65536); b++) {
        for (const atom of this.atomsByBlock.get(b) ?? []) {
          if (seen.has(atom)) continue;
          seen.add(atom);
          const inside = this.blocksOfAtom[atom].every((x) => lo <= x * 65536 && x * 65536 + 65535 <= hi);
          if (!inside) points.push([this.atomAddr[atom], this.atomAddr[atom]]);
        }
      }
    }
    return mergeRanges(points);
  }
}

let shipped: ServiceTagCatalog | undefined;

/** A catalog over a compact file; `file` names where it came from in messages. */
export function compactCatalog(compact: CompactCatalogFile, file: string): ServiceTagCatalog {
  return new CompactCatalog({ kind: 'shipped', file, cloud: compact.source.cloud, changeNumber: compact.source.changeNumber, date: compact.source.date }, compact);
}

export function shippedCatalog(): ServiceTagCatalog {
  if (!shipped) {
    const file = JSON.parse(readFileSync(packageFile('models', 'service-tags.json'), 'utf8')) as CompactCatalogFile;
    shipped = compactCatalog(file, `models/service-tags.json (from ${file.source.file})`);
  }
  return shipped;
}
