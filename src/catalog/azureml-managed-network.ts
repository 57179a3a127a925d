/**
 * The rules of an Azure ML managed virtual network, as data
 * (models/azureml-managed-network.json, from service-flows.md §2): what Azure
 * creates by itself per isolation mode and how user outbound rules behave.
 * Shipped data is checked on load; a malformed file is a bug in topo.
 */
import { readFileSync } from 'node:fs';
import { packageFile } from '../util/package-root.js';

export type WorkspaceAssociation = 'workspace' | 'storageAccount' | 'keyVault' | 'containerRegistry';

export interface RequiredPrivateEndpoint {
  readonly id: string;
  /** The workspace itself, or the associated resource the workspace names. */
  readonly target: WorkspaceAssociation;
  readonly groupId: string;
  readonly ports: string;
  readonly internetMode: string;
  readonly sources: readonly string[];
}

export interface RequiredServiceTag {
  readonly id: string;
  readonly tag: string;
  readonly protocol: 'Tcp' | 'Udp' | '*';
  readonly ports: readonly string[];
  readonly sources: readonly string[];
  /** Set when the documents disagree on the tag's scope: only the workspace region is certain. */
  readonly regionOnly?: string;
  readonly note?: string;
}

export interface ManagedNetworkCatalog {
  readonly read: string;
  readonly sources: Readonly<Record<string, string>>;
  readonly modes: Readonly<Record<'Disabled' | 'AllowInternetOutbound' | 'AllowOnlyApprovedOutbound', string>>;
  readonly requiredPrivateEndpoints: readonly RequiredPrivateEndpoint[];
  readonly requiredServiceTags: readonly RequiredServiceTag[];
  readonly notModelledAsRules: readonly { readonly id: string; readonly what: string; readonly how: string }[];
  readonly fqdnRules: { readonly ports: readonly number[]; readonly storageUnsupported: string; readonly sources: readonly string[] };
}

export class ManagedNetworkCatalogError extends Error {}

const TARGETS: readonly WorkspaceAssociation[] = ['workspace', 'storageAccount', 'keyVault', 'containerRegistry'];

export function parseManagedNetworkCatalog(text: string, file: string): ManagedNetworkCatalog {
  const doc = JSON.parse(text) as ManagedNetworkCatalog & { format?: string };
  if (doc.format !== 'topo-azureml-managed-network/1') throw new ManagedNetworkCatalogError(`${file}: not a topo-azureml-managed-network/1 file`);
  const cite = (id: string, refs: readonly string[] | undefined) => {
    if (!refs || refs.length === 0) throw new ManagedNetworkCatalogError(`${file}: ${id} cites no source`);
    for (const r of refs) if (!(r in doc.sources)) throw new ManagedNetworkCatalogError(`${file}: ${id} cites unknown source ${r}`);
  };
  const ids = new Set<string>();
  const unique = (id: string) => {
    if (ids.has(id)) throw new ManagedNetworkCatalogError(`${file}: id ${id} repeats`);
    ids.add(id);
  };
  for (const pe of doc.requiredPrivateEndpoints) {
    unique(pe.id);
    cite(pe.id, pe.sources);
    if (!TARGETS.includes(pe.target)) throw new ManagedNetworkCatalogError(`${file}: ${pe.id} targets '${pe.target}', not one of ${TARGETS.join(', ')}`);
  }
  for (const t of doc.requiredServiceTags) {
    unique(t.id);
    cite(t.id, t.sources);
    if (!['Tcp', 'Udp', '*'].includes(t.protocol) || t.ports.length === 0) throw new ManagedNetworkCatalogError(`${file}: ${t.id} needs a protocol (Tcp, Udp or *) and ports`);
  }
  for (const n of doc.notModelledAsRules) unique(n.id);
  cite('fqdnRules', doc.fqdnRules.sources);
  return doc;
}

let cache: ManagedNetworkCatalog | undefined;

export function managedNetworkCatalog(): ManagedNetworkCatalog {
  cache ??= parseManagedNetworkCatalog(readFileSync(packageFile('models', 'azureml-managed-network.json'), 'utf8'), 'models/azureml-managed-network.json');
  return cache;
}
