/**
 * Private Link facts per resource type and groupId (models/private-link.json):
 * the ports clients use through a private endpoint and the private DNS zones
 * that make the resource's names resolve to it (F5.2.1, §8.14). Shipped data
 * is checked on load; a malformed file is a bug in topo.
 */
import { readFileSync } from 'node:fs';
import { packageFile } from '../util/package-root.js';

export interface PrivateLinkGroup {
  readonly id: string;
  readonly type: string;
  readonly groupId: string;
  /** Private DNS zones (`{region}` stands for the resource's region); absent when not verified. */
  readonly zones?: readonly string[];
  readonly zonesUnknown?: string;
  readonly forwarders?: readonly string[];
  readonly protocol?: 'Tcp' | 'Udp';
  /** Ports through the endpoint; absent when no fact-checked source states them. */
  readonly ports?: readonly string[];
  readonly portsUnknown?: string;
  readonly sources: readonly string[];
  readonly date: string;
  readonly facts: readonly string[];
  readonly note?: string;
}

export interface PrivateLinkCatalog {
  readonly read: string;
  readonly sources: Readonly<Record<string, string>>;
  readonly groups: readonly PrivateLinkGroup[];
}

export class PrivateLinkCatalogError extends Error {}

export function parsePrivateLinkCatalog(text: string, file: string): PrivateLinkCatalog {
  const doc = JSON.parse(text) as PrivateLinkCatalog & { format?: string };
  if (doc.format !== 'topo-private-link/1' || !Array.isArray(doc.groups)) throw new PrivateLinkCatalogError(`${file}: not a topo-private-link/1 file`);
  const seen = new Set<string>();
  for (const g of doc.groups) {
    const key = `${g.type.toLowerCase()}|${g.groupId.toLowerCase()}`;
    if (seen.has(key) || seen.has(g.id)) throw new PrivateLinkCatalogError(`${file}: ${g.id} (${g.type}/${g.groupId}) repeats`);
    seen.add(key);
    seen.add(g.id);
    if (!g.sources?.length || !g.date) throw new PrivateLinkCatalogError(`${file}: ${g.id} needs sources and a date`);
    for (const s of g.sources) if (!(s in doc.sources)) throw new PrivateLinkCatalogError(`${file}: ${g.id} cites unknown source ${s}`);
    if ((g.ports === undefined) === (g.portsUnknown === undefined)) throw new PrivateLinkCatalogError(`${file}: ${g.id} needs ports (with a protocol) or portsUnknown, not both`);
    if (g.ports !== undefined && !g.protocol) throw new PrivateLinkCatalogError(`${file}: ${g.id} gives ports without a protocol`);
    if ((g.zones === undefined) === (g.zonesUnknown === undefined)) throw new PrivateLinkCatalogError(`${file}: ${g.id} needs zones or zonesUnknown, not both`);
  }
  return doc;
}

let cache: PrivateLinkCatalog | undefined;

export function privateLinkCatalog(): PrivateLinkCatalog {
  cache ??= parsePrivateLinkCatalog(readFileSync(packageFile('models', 'private-link.json'), 'utf8'), 'models/private-link.json');
  return cache;
}

export function privateLinkGroup(type: string, groupId: string): PrivateLinkGroup | undefined {
  const t = type.toLowerCase();
  const g = groupId.toLowerCase();
  return privateLinkCatalog().groups.find((x) => x.type.toLowerCase() === t && x.groupId.toLowerCase() === g);
}

/** The zones a client of a resource in `region` needs, `{region}` filled in. */
export function zonesFor(group: PrivateLinkGroup, region: string): string[] {
  return (group.zones ?? []).map((z) => z.replace(/\{region\}/g, region.toLowerCase()));
}
