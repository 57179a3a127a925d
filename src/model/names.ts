/**
 * The destination-name dimension. A packet to a public destination carries
 * the name it was addressed to; names are partitioned into classes so that
 * every FQDN pattern of the design (Azure Firewall rules, F4.4.3) is exactly
 * a union of classes:
 *   - literal names: the design's own resource FQDNs, first-party names the
 *     default adversary does not count, and every literal in a rule;
 *   - suffix classes: names ending in a suffix (`.blob.core.windows.net`)
 *     but in no longer listed suffix and equal to no literal. Suffixes are
 *     nested or unrelated, so they form a tree;
 *   - `other`: every name matching nothing listed.
 * Each class has the addresses its names resolve to and whether it is the
 * adversary (scenario-format: any name the design does not own, except the
 * first-party services the catalog does not count).
 */
import { readFileSync } from 'node:fs';
import { IntervalSet } from '../headerspace/interval-set.js';
import { classifyTag } from '../catalog/tag-classes.js';
import { managedServices } from '../catalog/managed-services.js';
import { expandFqdn, knownResourceTypes, resourceType } from '../catalog/resource-types.js';
import { packageFile } from '../util/package-root.js';
import type { Scenario } from '../scenario/types.js';
import { ALL_ADDRESSES, type AddressResolver } from './addresses.js';
import type { NameClass, NameKind } from './types.js';

interface TrustedName {
  readonly pattern: string;
  /** The service tag whose addresses serve the name. */
  readonly tag?: string;
  /** Or the fixed addresses it resolves to (the KMS hosts). */
  readonly addresses?: readonly string[];
  /** An Azure Firewall FQDN tag that covers the name (F4.4.4). */
  readonly fqdnTag?: string;
}

interface TrustedFile {
  readonly names: readonly TrustedName[];
  readonly infrastructure: { label: string };
}

let trusted: TrustedFile | undefined;
function trustedNames(): TrustedFile {
  return (trusted ??= JSON.parse(readFileSync(packageFile('models', 'trusted-fqdns.json'), 'utf8')) as TrustedFile);
}

function addressSet(list: readonly string[]): IntervalSet {
  return IntervalSet.fromRanges(
    list.map((ip) => {
      const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
      return [n, n] as [number, number];
    }),
  );
}

/** Addresses of first-party names that resolve to fixed hosts (the KMS hosts): Microsoft's, never another tenant's. */
export function trustedAddresses(): IntervalSet {
  return addressSet(trustedNames().names.flatMap((n) => n.addresses ?? []));
}

/** FQDN tags (F4.4.4) and the service tags whose addresses serve them. */
const FQDN_TAG_SERVICE: Record<string, string> = {
  windowsvirtualdesktop: 'WindowsVirtualDesktop',
  azurebackup: 'AzureBackup',
  azurekubernetesservice: 'AzureCloud',
  azurehdinsight: 'HDInsight',
};

export const NAME_NONE = 0;

interface SuffixInfo {
  readonly suffix: string;
  origin: 'template' | 'trusted' | 'rule';
  tag?: string;
  adversarial?: boolean;
  reason?: string;
}

export interface NameUniverse {
  readonly classes: readonly NameClass[];
  /** Class ids a firewall FQDN pattern matches (`*`, `a.b.c`, `*.b.c`, `*b.c`). */
  matchPattern(pattern: string): IntervalSet;
  /** The class a concrete name belongs to. */
  classOf(fqdn: string): number;
  /** The class of an FQDN tag used in an application rule. */
  /** The names an FQDN tag matches (F4.4.4). */
  fqdnTagClasses(tag: string): IntervalSet;
  readonly infrastructure: number;
}

export interface NameInputs {
  readonly scenario: Scenario;
  readonly resolver: AddressResolver;
  readonly region: string;
  /** Public addresses of the design (NIC, firewall, NAT gateway public IPs). */
  readonly ownPublic: IntervalSet;
  readonly trustedOnly: IntervalSet;
}

export function buildNames(inputs: NameInputs): NameUniverse {
  const { scenario, resolver } = inputs;
  const publicSpace = resolver.publicSpace;
  const nonPublic = ALL_ADDRESSES.subtract(publicSpace);
  const adversarialSpace = publicSpace.subtract(inputs.ownPublic).subtract(inputs.trustedOnly).subtract(resolver.claimOnly).subtract(trustedAddresses());
  const tagRegion = (tag: string) => resolver.catalogTag(tag).intersect(publicSpace);

  const classes: NameClass[] = [];
  const add = (c: Omit<NameClass, 'id'>): number => {
    classes.push({ ...c, id: classes.length });
    return classes.length - 1;
  };
  add({
    kind: 'none',
    label: '(addressed by IP)',
    // Addresses only intents name (AddressResolver.claimOnly) are reached by address as well.
    ipRegion: nonPublic.union(inputs.ownPublic).union(resolver.claimOnly),
    adversarial: false,
    adversarialStrict: false,
    reason: 'a private, platform or design-owned address, or one only intents name',
  });

  // Suffixes: resource type templates (foreign tenants' resources), trusted patterns, rule patterns.
  const suffixes = new Map<string, SuffixInfo>();
  for (const type of knownResourceTypes()) {
    const info = resourceType(type)!;
    for (const group of Object.values(info.groups)) {
      for (const template of group.fqdns) {
        const suffix = templateSuffix(template);
        if (!suffix || suffixes.has(suffix)) continue;
        const cls = classifyTag(info.serviceTag);
        suffixes.set(suffix, { suffix, origin: 'template', tag: info.serviceTag, adversarial: cls.exfiltration, reason: cls.reason });
      }
    }
  }
  const trustedLiterals = new Map<string, TrustedName>();
  const tagMembers = new Map<string, string[]>();
  for (const t of trustedNames().names) {
    const p = t.pattern.toLowerCase();
    if (t.fqdnTag) tagMembers.set(t.fqdnTag.toLowerCase(), [...(tagMembers.get(t.fqdnTag.toLowerCase()) ?? []), p]);
    if (p.startsWith('*')) {
      const suffix = p.slice(1);
      const prev = suffixes.get(suffix);
      suffixes.set(suffix, { suffix, origin: 'trusted', tag: t.tag, adversarial: false, reason: prev?.reason ?? classifyTag(t.tag ?? 'AzureCloud').reason });
    } else trustedLiterals.set(p, t);
  }
  const ruleLiterals = new Set<string>();
  const fqdnTags = new Set<string>();
  for (const policy of scenario.firewallPolicies.values()) {
    for (const g of policy.ruleCollectionGroups) for (const rc of g.ruleCollections) for (const r of rc.rules) {
      for (const f of [...r.targetFqdns, ...r.destinationFqdns]) {
        const p = f.value.trim().toLowerCase().replace(/\.$/, '');
        if (p === '*') continue;
        if (p.startsWith('*')) {
          const suffix = p.slice(1);
          if (!suffixes.has(suffix)) suffixes.set(suffix, { suffix, origin: 'rule' });
        } else ruleLiterals.add(p);
      }
      for (const t of r.fqdnTags) fqdnTags.add(t.value.toLowerCase());
    }
  }
  for (const r of scenario.resources.values()) {
    for (const rule of r.managedNetwork?.outboundRules.values() ?? []) {
      if (rule.type.value !== 'FQDN') continue;
      const p = rule.destination.value.trim().toLowerCase();
      if (p.startsWith('*')) {
        if (!suffixes.has(p.slice(1))) suffixes.set(p.slice(1), { suffix: p.slice(1), origin: 'rule' });
      } else if (p !== '') ruleLiterals.add(p);
    }
  }

  // The deepest listed suffix a name ends with: suffix classes inherit from their nearest template/trusted ancestor.
  const sortedSuffixes = [...suffixes.keys()].sort((a, b) => b.length - a.length);
  const deepestSuffix = (name: string, exceptSelf?: string): string | undefined => sortedSuffixes.find((s) => s !== exceptSelf && name.endsWith(s));
  const heritage = (suffix: string | undefined): SuffixInfo | undefined => {
    let cur = suffix;
    while (cur !== undefined) {
      const info = suffixes.get(cur)!;
      if (info.origin !== 'rule') return info;
      cur = deepestSuffix(cur, cur);
    }
    return undefined;
  };

  // Literal classes.
  const literalClass = new Map<string, number>();
  const own = new Map<string, { resource: string; groupId: string; region: string; tag: string }>();
  for (const r of scenario.resources.values()) {
    const info = resourceType(r.type.value);
    if (!info) continue;
    const region = (r.region?.value ?? inputs.region).toLowerCase();
    for (const [groupId, group] of Object.entries(info.groups)) {
      for (const template of group.fqdns) {
        if (template.includes('{region}') && !region) continue;
        own.set(expandFqdn(template, r.name, region), { resource: r.name, groupId, region, tag: info.serviceTag });
      }
    }
  }
  for (const [fqdn, o] of own) {
    const regional = resolver.catalog.regional(o.tag, o.region);
    const region = regional ? tagRegion(regional.name) : tagRegion(o.tag);
    literalClass.set(
      fqdn,
      add({ kind: 'own', label: fqdn, ipRegion: region, adversarial: false, adversarialStrict: false, reason: `the design's own ${o.resource} (${o.groupId})`, resource: { name: o.resource, groupId: o.groupId }, literal: fqdn }),
    );
  }
  for (const [fqdn, t] of trustedLiterals) {
    if (literalClass.has(fqdn)) continue;
    const ipRegion = t.addresses ? addressSet(t.addresses).intersect(publicSpace) : tagRegion(t.tag!);
    const reason = t.addresses ? `a Microsoft host at ${t.addresses.join(', ')}` : `${t.tag}: ${classifyTag(t.tag!).reason}`;
    literalClass.set(fqdn, add({ kind: 'trusted', label: fqdn, ipRegion, adversarial: false, adversarialStrict: true, reason, literal: fqdn }));
  }
  for (const fqdn of ruleLiterals) {
    if (literalClass.has(fqdn)) continue;
    const h = heritage(deepestSuffix(fqdn));
    if (h?.tag) {
      const kind: NameKind = h.adversarial === false ? 'trusted' : 'foreign';
      literalClass.set(
        fqdn,
        add({ kind, label: fqdn, ipRegion: tagRegion(h.tag), adversarial: h.adversarial !== false, adversarialStrict: true, reason: h.adversarial === false ? `${h.tag}: ${h.reason}` : `not the design's: ${h.reason}`, literal: fqdn }),
      );
    } else {
      literalClass.set(fqdn, add({ kind: 'literal', label: fqdn, ipRegion: adversarialSpace, adversarial: true, adversarialStrict: true, reason: 'a name outside the design: whoever controls it receives the data', literal: fqdn }));
    }
  }

  // Suffix classes.
  const suffixClass = new Map<string, number>();
  for (const suffix of sortedSuffixes) {
    const h = heritage(suffix);
    const label = `any other name ending in ${suffix.startsWith('.') ? `*${suffix}` : `*${suffix}`}`;
    if (h?.tag) {
      const adversarial = h.adversarial !== false;
      suffixClass.set(
        suffix,
        add({ kind: adversarial ? 'foreign' : 'trusted', label: adversarial ? `another tenant's *${suffix}` : label, ipRegion: tagRegion(h.tag), adversarial, adversarialStrict: true, reason: adversarial ? h.reason ?? 'another tenant' : `${h.tag}: ${h.reason}`, suffix }),
      );
    } else {
      suffixClass.set(suffix, add({ kind: 'suffix', label, ipRegion: adversarialSpace, adversarial: true, adversarialStrict: true, reason: 'names outside the design: whoever controls them receives the data', suffix }));
    }
  }
  // Microsoft-managed accounts (AML's Batch storage...): names under the suffixes that only a policy alias admits.
  const managedClass = new Map<number, string>();
  for (const m of managedServices()) {
    const regional = inputs.region ? resolver.catalog.regional(m.tag, inputs.region) : undefined;
    const region = tagRegion(regional?.name ?? m.tag);
    for (const suffix of m.suffixes) {
      const id = add({ kind: 'trusted', label: `${m.label} (*${suffix})`, ipRegion: region, adversarial: false, adversarialStrict: true, reason: `Microsoft-managed, admitted by the service endpoint policy alias ${m.alias}`, suffix, managed: m.id });
      managedClass.set(id, suffix);
    }
  }
  const other = add({ kind: 'other', label: 'any other Internet name', ipRegion: adversarialSpace, adversarial: true, adversarialStrict: true, reason: 'an address or name outside the design' });
  const infrastructure = add({
    kind: 'infrastructure',
    label: trustedNames().infrastructure.label,
    ipRegion: tagRegion('AzureCloud'),
    adversarial: false,
    adversarialStrict: false,
    reason: 'Azure Firewall infrastructure FQDNs serve the platform only (F4.2.7)',
  });
  const fqdnTagClasses = new Map<string, number>();
  for (const t of fqdnTags) {
    const service = FQDN_TAG_SERVICE[t] ?? 'AzureCloud';
    fqdnTagClasses.set(t, add({ kind: 'fqdn-tag', label: `FQDN tag ${t}`, ipRegion: tagRegion(service), adversarial: false, adversarialStrict: true, reason: 'a Microsoft-maintained FQDN list (F4.4.4)' }));
  }

  const classOf = (fqdn: string): number => {
    const f = fqdn.toLowerCase().replace(/\.$/, '');
    const lit = literalClass.get(f);
    if (lit !== undefined) return lit;
    const s = deepestSuffix(f);
    return s !== undefined ? suffixClass.get(s)! : other;
  };

  const matchCache = new Map<string, IntervalSet>();
  const matchPattern = (pattern: string): IntervalSet => {
    const p = pattern.trim().toLowerCase().replace(/\.$/, '');
    let hit = matchCache.get(p);
    if (hit) return hit;
    if (p === '*') {
      // Every real name, infrastructure names included: a last deny-all
      // application collection is how Azure overrides the infrastructure collection (F4.2.7).
      hit = IntervalSet.of(1, classes.length - 1);
    } else if (!p.startsWith('*')) {
      hit = IntervalSet.point(classOf(p));
    } else {
      const s = p.slice(1);
      const ids: [number, number][] = [];
      for (const [lit, id] of literalClass) if (lit.endsWith(s)) ids.push([id, id]);
      for (const [suffix, id] of suffixClass) if (suffix.endsWith(s)) ids.push([id, id]);
      for (const [id, suffix] of managedClass) if (suffix.endsWith(s)) ids.push([id, id]);
      hit = IntervalSet.fromRanges(ids);
    }
    matchCache.set(p, hit);
    return hit;
  };

  return {
    classes,
    matchPattern,
    classOf,
    fqdnTagClasses: (tag) => {
      // The tag's own abstract names, and the concrete names the catalog knows it covers.
      const own = fqdnTagClasses.get(tag.toLowerCase());
      let set = own === undefined ? IntervalSet.EMPTY : IntervalSet.point(own);
      for (const p of tagMembers.get(tag.toLowerCase()) ?? []) set = set.union(matchPattern(p));
      return set;
    },
    infrastructure,
  };
}

/** `{name}.blob.core.windows.net` -> `.blob.core.windows.net`; `{name}.{region}.data.azurecr.io` -> `.data.azurecr.io`. */
function templateSuffix(template: string): string | undefined {
  const last = template.lastIndexOf('}');
  if (last < 0) return undefined;
  const suffix = template.slice(last + 1).toLowerCase();
  return suffix.startsWith('.') || suffix.startsWith('-') ? suffix : undefined;
}
