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
      regional.set(`${e.family.toLowerCase()}|${e.region}`, e);
    }
  }
  for (const [alias, target] of Object.entries(ALIASES)) {
    const hit = byLower.get(target.toLowerCase());
    if (hit) byLower.set(alias, hit);
  }
  return { entries, byLower, regions, regional };
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
  for (const v of j.values) {
    if (!v || typeof v.name !== 'string' || !v.properties || typeof v.properties !== 'object') {
      throw new CatalogFileError(`${file} has a values[] entry without a name and properties`);
    }
  }
  return j as OfficialFile;
}

/**
 * Turns the file's entries into TagEntry with ARM region names. The file's
 * region field uses short codes (germanywc) while regional names use the
 * location display form (GermanyWestCentral): the suffix, lowercased, is the
 * ARM location name, and AzureCloud.<code> is mapped through the codes.
 */
export function officialEntries(file: OfficialFile): TagEntry[] {
  const codeToArm = new Map<string, string>();
  for (const v of file.values) {
    const dot = v.name.indexOf('.');
    const code = v.properties.region ?? '';
    if (dot > 0 && code && !v.name.startsWith('AzureCloud.')) codeToArm.set(code, v.name.slice(dot + 1).toLowerCase());
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
    const parsed = parsePrefix(p);
    if (!parsed.ok) {
      const loose = parsePrefix(p.replace(/\/(\d+)$/, '/32'));
      if (!loose.ok) continue;
    }
    const prefix = parsed.ok ? parsed.prefix : undefined;
    if (prefix) ranges.push([prefix.addr, prefixLast(prefix)]);
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
  /** name, region, systemService, networkFeatures (joined by ','), atom ids (base-36, delta-encoded, joined by '.') */
  readonly tags: readonly [string, string, string, string, string][];
}

class CompactCatalog extends BaseCatalog {
  readonly exact = false;
  protected readonly data: CatalogData;
  private readonly atomAddr: number[];
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
}

let shipped: ServiceTagCatalog | undefined;

export function shippedCatalog(): ServiceTagCatalog {
  if (!shipped) {
    const file = JSON.parse(readFileSync(packageFile('models', 'service-tags.json'), 'utf8')) as CompactCatalogFile;
    shipped = new CompactCatalog(
      { kind: 'shipped', file: `models/service-tags.json (from ${file.source.file})`, cloud: file.source.cloud, changeNumber: file.source.changeNumber, date: file.source.date },
      file,
    );
  }
  return shipped;
}
