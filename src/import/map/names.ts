/**
 * Scenario keys for Azure resources. A name is kept as Azure has it unless
 * two resources of one collection share it (two resource groups with a
 * `hub-vnet` each); then every one of them gets `name-resourcegroup`, and
 * the comment above it says so.
 */
import { NAME_PATTERN } from '../../scenario/schema-source.js';
import { idKey } from '../resource.js';

export type Collection =
  | 'vnets'
  | 'networkSecurityGroups'
  | 'applicationSecurityGroups'
  | 'routeTables'
  | 'natGateways'
  | 'ipGroups'
  | 'firewallPolicies'
  | 'firewalls'
  | 'virtualNetworkGateways'
  | 'hosts'
  | 'resources'
  | 'privateEndpoints';

export interface NameCandidate {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup?: string;
}

const VALID = new RegExp(NAME_PATTERN);

/** A name the format accepts: invalid characters become '-', at most 80 characters. */
export function sanitizeName(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 80);
  if (!/^[A-Za-z0-9_]/.test(s)) s = `_${s}`.slice(0, 80);
  return VALID.test(s) ? s : 'unnamed';
}

export class Names {
  private readonly keys = new Map<string, string>();
  private readonly why = new Map<string, string>();
  private readonly taken = new Map<Collection, Set<string>>();

  assign(collection: Collection, items: readonly NameCandidate[]): void {
    const taken = this.taken.get(collection) ?? new Set<string>();
    this.taken.set(collection, taken);
    const fresh = items.filter((i) => !this.keys.has(`${collection}|${idKey(i.id)}`));
    const byName = new Map<string, NameCandidate[]>();
    for (const i of fresh) {
      const base = sanitizeName(i.name);
      const same = byName.get(base.toLowerCase());
      if (same) same.push(i);
      else byName.set(base.toLowerCase(), [i]);
    }
    for (const i of [...fresh].sort((a, b) => idKey(a.id).localeCompare(idKey(b.id)))) {
      const base = sanitizeName(i.name);
      const clash = (byName.get(base.toLowerCase())?.length ?? 0) > 1 || taken.has(base.toLowerCase());
      let key = clash && i.resourceGroup ? sanitizeName(`${base}-${i.resourceGroup}`) : base;
      for (let n = 2; taken.has(key.toLowerCase()); n++) key = sanitizeName(`${base}-${n}`);
      taken.add(key.toLowerCase());
      this.keys.set(`${collection}|${idKey(i.id)}`, key);
      if (key !== i.name) {
        const others = (byName.get(base.toLowerCase()) ?? []).filter((o) => o !== i).map((o) => o.resourceGroup).filter(Boolean);
        this.why.set(`${collection}|${idKey(i.id)}`, clash ? `named ${key}: '${i.name}' is also used${others.length ? ` in ${others.join(', ')}` : ''}` : `named ${key}: '${i.name}' is not a valid scenario name`);
      }
    }
  }

  key(collection: Collection, id: string): string | undefined {
    return this.keys.get(`${collection}|${idKey(id)}`);
  }

  /** Why a key differs from the Azure name, for the comment above it. */
  note(collection: Collection, id: string): string | undefined {
    return this.why.get(`${collection}|${idKey(id)}`);
  }
}
