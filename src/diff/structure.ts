/**
 * What changed between two scenarios, object by object. Rule edits in NSGs
 * and firewall policies, and route table edits, can be analysed
 * incrementally; any other change (addresses, peerings, attachments,
 * interfaces, resources...) asks for a full re-analysis.
 */
import type { SourceLoc } from '../scenario/source-loc.js';
import type { FirewallPolicy, Nsg, RouteTable, Scenario, SecurityRule } from '../scenario/types.js';

export type ChangedKind = 'nsg' | 'routeTable' | 'firewallPolicy' | 'peering' | 'subnet' | 'vnet' | 'other';

export interface ChangedObject {
  readonly kind: ChangedKind;
  readonly name: string;
  /** Where it is written now (or was, if removed). */
  readonly loc: SourceLoc;
  readonly summary: string;
}

export interface ChangeSet {
  readonly objects: readonly ChangedObject[];
  readonly nsgs: ReadonlyMap<string, Nsg>;
  readonly routeTables: ReadonlySet<string>;
  readonly firewallPolicies: ReadonlyMap<string, FirewallPolicy>;
  /** Non-empty when the change cannot be analysed incrementally. */
  readonly structural: readonly string[];
}

/** Canonical JSON of a value without source locations (what the user wrote, not where). */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (key, v) => {
    if (key === 'loc' || key === 'nameLoc' || key === 'keyLoc') return undefined;
    if (v instanceof Map) return Object.fromEntries([...v.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return v;
  });
}

// Scenario objects are never modified, and a design under edit keeps most of them: each is printed once.
const printed = new WeakMap<object, string>();

function text(v: unknown): string {
  if (typeof v !== 'object' || v === null) return canonical(v);
  let t = printed.get(v);
  if (t === undefined) printed.set(v, (t = canonical(v)));
  return t;
}

function ruleKey(r: SecurityRule): string {
  return `${r.direction.value}|${r.priority.value}`;
}

function describeNsgChange(base: Nsg | undefined, head: Nsg | undefined): string {
  if (!base) return 'added';
  if (!head) return 'removed';
  const before = new Map(base.securityRules.map((r) => [ruleKey(r), r]));
  const after = new Map(head.securityRules.map((r) => [ruleKey(r), r]));
  let added = 0;
  let removed = 0;
  let modified = 0;
  for (const [k, r] of after) {
    const b = before.get(k);
    if (!b) added += 1;
    else if (b !== r && text(b) !== text(r)) modified += 1;
  }
  for (const k of before.keys()) if (!after.has(k)) removed += 1;
  return `${added} rule${added === 1 ? '' : 's'} added, ${removed} removed, ${modified} modified`;
}

function sameMaps<T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>): string[] {
  if (a === b) return [];
  const names = new Set([...a.keys(), ...b.keys()]);
  // A version derived in memory shares its unedited objects: the same object is the same text.
  return [...names].filter((n) => !a.has(n) || !b.has(n) || (a.get(n) !== b.get(n) && text(a.get(n)) !== text(b.get(n)))).sort();
}

export function diffScenarios(base: Scenario, head: Scenario): ChangeSet {
  const objects: ChangedObject[] = [];
  const structural: string[] = [];
  const nsgs = new Map<string, Nsg>();
  for (const name of sameMaps(base.networkSecurityGroups, head.networkSecurityGroups)) {
    const b = base.networkSecurityGroups.get(name);
    const h = head.networkSecurityGroups.get(name);
    objects.push({ kind: 'nsg', name, loc: (h ?? b)!.loc, summary: describeNsgChange(b, h) });
    if (b && h) nsgs.set(name, h);
    else structural.push(`NSG '${name}' was ${h ? 'added' : 'removed'}`);
  }
  const routeTables = new Set<string>();
  for (const name of sameMaps<RouteTable>(base.routeTables, head.routeTables)) {
    const h = head.routeTables.get(name);
    const b = base.routeTables.get(name);
    objects.push({ kind: 'routeTable', name, loc: (h ?? b)!.loc, summary: !b ? 'added' : !h ? 'removed' : `${h.routes.length} routes (was ${b.routes.length})` });
    routeTables.add(name);
  }
  const firewallPolicies = new Map<string, FirewallPolicy>();
  for (const name of sameMaps(base.firewallPolicies, head.firewallPolicies)) {
    const h = head.firewallPolicies.get(name);
    const b = base.firewallPolicies.get(name);
    objects.push({ kind: 'firewallPolicy', name, loc: (h ?? b)!.loc, summary: !b ? 'added' : !h ? 'removed' : 'rules changed' });
    if (b && h) firewallPolicies.set(name, h);
    else structural.push(`firewall policy '${name}' was ${h ? 'added' : 'removed'}`);
  }
  // VNets: subnets (attachments, prefixes, endpoints) and peerings.
  for (const name of new Set([...base.vnets.keys(), ...head.vnets.keys()])) {
    const b = base.vnets.get(name);
    const h = head.vnets.get(name);
    if (!b || !h) {
      objects.push({ kind: 'vnet', name, loc: (h ?? b)!.loc, summary: h ? 'added' : 'removed' });
      structural.push(`VNet '${name}' was ${h ? 'added' : 'removed'}`);
      continue;
    }
    if (b === h) continue;
    if (canonical(b.addressSpace) !== canonical(h.addressSpace) || canonical(b.region) !== canonical(h.region)) {
      objects.push({ kind: 'vnet', name, loc: h.loc, summary: 'address space or region changed' });
      structural.push(`VNet '${name}' address space changed`);
    }
    for (const sub of sameMaps(b.subnets, h.subnets)) {
      const bs = b.subnets.get(sub);
      const hs = h.subnets.get(sub);
      objects.push({ kind: 'subnet', name: `${name}/${sub}`, loc: (hs ?? bs)!.loc, summary: !bs ? 'added' : !hs ? 'removed' : 'settings changed' });
      const onlyRouteTable = bs && hs && canonical({ ...bs, routeTable: undefined }) === canonical({ ...hs, routeTable: undefined });
      if (onlyRouteTable) {
        if (bs.routeTable) routeTables.add(bs.routeTable.value);
        if (hs.routeTable) routeTables.add(hs.routeTable.value);
        routeTables.add(`subnet:${name}/${sub}`);
      } else structural.push(`subnet '${name}/${sub}' changed`);
    }
    for (const peering of sameMaps(b.peerings, h.peerings)) {
      const p = h.peerings.get(peering) ?? b.peerings.get(peering)!;
      objects.push({ kind: 'peering', name: `${name}/${peering}`, loc: p.loc, summary: !b.peerings.has(peering) ? 'added' : !h.peerings.has(peering) ? 'removed' : 'settings changed' });
      structural.push(`peering '${name}/${peering}' changed`);
    }
  }
  const others: [string, ReadonlyMap<string, unknown>, ReadonlyMap<string, unknown>][] = [
    ['host', base.hosts, head.hosts],
    ['private endpoint', base.privateEndpoints, head.privateEndpoints],
    ['resource', base.resources, head.resources],
    ['external', base.externals, head.externals],
    ['firewall', base.firewalls, head.firewalls],
    ['gateway', base.virtualNetworkGateways, head.virtualNetworkGateways],
    ['IP group', base.ipGroups, head.ipGroups],
    ['NAT gateway', base.natGateways, head.natGateways],
    ['application security group', base.applicationSecurityGroups, head.applicationSecurityGroups],
  ];
  for (const [what, b, h] of others) {
    for (const name of sameMaps(b, h)) {
      const obj = (h.get(name) ?? b.get(name)) as { loc: SourceLoc };
      objects.push({ kind: 'other', name: `${what} ${name}`, loc: obj.loc, summary: !b.has(name) ? 'added' : !h.has(name) ? 'removed' : 'changed' });
      structural.push(`${what} '${name}' changed`);
    }
  }
  if (canonical(base.region) !== canonical(head.region) || canonical(base.serviceTags) !== canonical(head.serviceTags)) structural.push('the region or the service tags file changed');
  return { objects, nsgs, routeTables, firewallPolicies, structural };
}

/** Intents are compared separately: an intent edit changes no reachability. */
export function intentsChanged(base: Scenario, head: Scenario): boolean {
  return canonical(base.intents) !== canonical(head.intents);
}
