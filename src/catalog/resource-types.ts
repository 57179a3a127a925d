/** PaaS resource types topo knows: groupIds, public FQDNs, DNS zones, tags (models/resource-types.json). */
import { readFileSync } from 'node:fs';
import { packageFile } from '../util/package-root.js';

export type AclModel = 'storage' | 'keyvault' | 'registry' | 'sql' | 'publicAccessOnly';

export interface ResourceGroupInfo {
  readonly fqdns: readonly string[];
  readonly zones: readonly string[];
  readonly ports: readonly string[];
}

export interface ResourceTypeInfo {
  readonly type: string;
  readonly label: string;
  readonly serviceTag: string;
  readonly serviceEndpoints: readonly string[];
  readonly aclModel: AclModel;
  readonly groups: Readonly<Record<string, ResourceGroupInfo>>;
  readonly publicGroups: readonly string[];
}

interface ResourceTypesFile {
  readonly serviceEndpoints: readonly string[];
  readonly types: Readonly<Record<string, Omit<ResourceTypeInfo, 'type'>>>;
  readonly fqdnTags: readonly string[];
}

let data: { file: ResourceTypesFile; byLower: Map<string, ResourceTypeInfo> } | undefined;

function load() {
  if (!data) {
    const file = JSON.parse(readFileSync(packageFile('models', 'resource-types.json'), 'utf8')) as ResourceTypesFile;
    const byLower = new Map<string, ResourceTypeInfo>();
    for (const [type, info] of Object.entries(file.types)) byLower.set(type.toLowerCase(), { type, ...info });
    data = { file, byLower };
  }
  return data;
}

export function resourceType(type: string): ResourceTypeInfo | undefined {
  return load().byLower.get(type.toLowerCase());
}

export function knownResourceTypes(): string[] {
  return [...load().byLower.values()].map((t) => t.type);
}

export function serviceEndpointNames(): readonly string[] {
  return load().file.serviceEndpoints;
}

export function fqdnTagNames(): readonly string[] {
  return load().file.fqdnTags;
}

/** Finds a groupId case-insensitively (ARM accepts `Blob`); returns its canonical spelling. */
export function canonicalGroupId(info: ResourceTypeInfo, groupId: string): string | undefined {
  const lower = groupId.toLowerCase();
  return Object.keys(info.groups).find((g) => g.toLowerCase() === lower);
}

export function expandFqdn(template: string, name: string, region: string): string {
  return template.replace(/\{name\}/g, name.toLowerCase()).replace(/\{region\}/g, region.toLowerCase());
}
