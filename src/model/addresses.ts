/**
 * Address fields -> address sets. Service tags resolve through the catalog;
 * the pseudo tags through their definitions (F1.6): VirtualNetwork per
 * subnet, Internet as the public space outside the VNet, AzureLoadBalancer
 * and AzurePlatformDNS as 168.63.129.16, AzurePlatformIMDS as
 * 169.254.169.254. With the compact catalog, a literal public prefix that
 * overlaps Azure's footprint is recorded as an approximation.
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import { AZURE_HOST_IP, AZURE_IMDS_IP, IPV4_MAX, NON_PUBLIC, prefixLast, type Ipv4Prefix } from '../net/ipv4.js';
import { pseudoTag } from '../catalog/pseudo-tags.js';
import { classifyTag } from '../catalog/tag-classes.js';
import type { ServiceTagCatalog } from '../catalog/service-tags.js';
import { addressToken } from '../scenario/address-token.js';
import type { Located, SourceLoc } from '../scenario/source-loc.js';
import type { Approximation } from './types.js';

export const ALL_ADDRESSES = IntervalSet.of(0, IPV4_MAX);
export const PLATFORM_ADDRESSES = IntervalSet.fromRanges([
  [AZURE_HOST_IP, AZURE_HOST_IP],
  [AZURE_IMDS_IP, AZURE_IMDS_IP],
]);
/** Documented Azure KMS endpoints (azkms.core.windows.net, kms.core.windows.net) used by AzurePlatformLKM. */
export const AZURE_KMS_ADDRESSES = IntervalSet.fromRanges(
  ['20.118.99.224', '40.83.235.53', '23.102.135.246'].map((ip) => {
    const [a, b, c, d] = ip.split('.').map(Number);
    const n = ((a * 256 + b) * 256 + c) * 256 + d;
    return [n, n] as [number, number];
  }),
);

export function prefixSet(p: Ipv4Prefix): IntervalSet {
  return IntervalSet.of(p.addr, prefixLast(p));
}

export function prefixesSet(list: readonly Ipv4Prefix[]): IntervalSet {
  return IntervalSet.fromRanges(list.map((p) => [p.addr, prefixLast(p)] as [number, number]));
}

const NON_PUBLIC_SET = prefixesSet(NON_PUBLIC);

let everyPublic: IntervalSet | undefined;

/** Every address the Internet routes: not private, shared, reserved or an Azure platform address. */
export function everyPublicAddress(): IntervalSet {
  everyPublic ??= ALL_ADDRESSES.subtract(NON_PUBLIC_SET).subtract(PLATFORM_ADDRESSES);
  return everyPublic;
}

/** The context a tag is read in: VirtualNetwork differs per subnet, Internet per VNet. */
export interface TagContext {
  readonly virtualNetwork: IntervalSet;
  readonly vnetSpace: IntervalSet;
}

/** What a catalog alone decides, computed once per catalog and shared by every compile. */
interface CatalogSets {
  readonly tags: Map<string, IntervalSet>;
  readonly footprint: IntervalSet;
  readonly publicSpace: IntervalSet;
  trustedOnly?: IntervalSet;
}

const catalogSets = new WeakMap<ServiceTagCatalog, CatalogSets>();

function setsOf(catalog: ServiceTagCatalog): CatalogSets {
  let sets = catalogSets.get(catalog);
  if (sets) return sets;
  const tags = new Map<string, IntervalSet>();
  const everyPublic = everyPublicAddress();
  const footprint = IntervalSet.fromRanges(catalog.footprint().map((r) => [r[0], r[1]] as [number, number]));
  let publicSpace = everyPublic;
  if (!catalog.exact) {
    // The compact catalog represents each tag-membership region of the
    // footprint by one address; other footprint addresses stand for nothing.
    // One merge of every tag's intervals: a union per tag is quadratic in the catalog size.
    const ranges: [number, number][] = [];
    for (const e of catalog.entries()) for (const r of catalog.ranges(e)) ranges.push([r[0], r[1]]);
    publicSpace = everyPublic.subtract(footprint).union(IntervalSet.fromRanges(ranges).intersect(everyPublic));
  }
  sets = { tags, footprint, publicSpace };
  catalogSets.set(catalog, sets);
  return sets;
}

export class AddressResolver {
  readonly approximations: Approximation[] = [];
  private readonly tagCache: Map<string, IntervalSet>;
  /** Every public address topo models (see Adversary.publicSpace). */
  publicSpace: IntervalSet;
  /**
   * Compact catalog only: representative addresses whose relation to a
   * literal prefix of the design the catalog cannot decide. Verdicts that
   * depend on packets to or from them are unknown.
   */
  uncertain: IntervalSet = IntervalSet.EMPTY;
  private readonly footprint: IntervalSet;

  constructor(readonly catalog: ServiceTagCatalog) {
    const sets = setsOf(catalog);
    this.tagCache = sets.tags;
    this.footprint = sets.footprint;
    this.publicSpace = sets.publicSpace;
  }

  /** Addresses of a catalog tag (not the pseudo tags). */
  catalogTag(name: string): IntervalSet {
    const entry = this.catalog.lookup(name);
    if (!entry) return IntervalSet.EMPTY;
    let hit = this.tagCache.get(entry.name);
    if (!hit) {
      hit = IntervalSet.fromRanges(this.catalog.ranges(entry).map((r) => [r[0], r[1]] as [number, number]));
      this.tagCache.set(entry.name, hit);
    }
    return hit;
  }

  /**
   * Public addresses served only by first-party services the default
   * adversary does not count (trusted tags minus exfiltration tags;
   * aggregate tags such as AzureCloud are judged by what they hold).
   */
  trustedOnly(): IntervalSet {
    const sets = setsOf(this.catalog);
    if (!sets.trustedOnly) {
      const trusted: [number, number][] = [];
      const exfil: [number, number][] = [];
      for (const e of this.catalog.entries()) {
        const c = classifyTag(e.name);
        if (c.aggregate) continue;
        for (const iv of this.catalogTag(e.name).intervals()) (c.exfiltration ? exfil : trusted).push(iv);
      }
      sets.trustedOnly = IntervalSet.fromRanges(trusted).subtract(IntervalSet.fromRanges(exfil)).intersect(sets.publicSpace);
    }
    return sets.trustedOnly;
  }

  /** Addresses of any tag, pseudo tags included, in a subnet's context. */
  tag(name: string, ctx: TagContext | undefined): IntervalSet {
    switch (pseudoTag(name)) {
      case 'VirtualNetwork':
        return ctx?.virtualNetwork ?? IntervalSet.EMPTY;
      case 'Internet':
        return this.publicSpace.subtract(ctx?.vnetSpace ?? IntervalSet.EMPTY);
      case 'AzureLoadBalancer':
      case 'AzurePlatformDNS':
        return IntervalSet.point(AZURE_HOST_IP);
      case 'AzurePlatformIMDS':
        return IntervalSet.point(AZURE_IMDS_IP);
      case 'AzurePlatformLKM':
        return AZURE_KMS_ADDRESSES;
      default:
        return this.catalogTag(name);
    }
  }

  /**
   * An address field value (CIDR, IP, range, tag, `*`). Literal public
   * prefixes that overlap the compact catalog's footprint are recorded.
   */
  address(value: Located<string>, ctx: TagContext | undefined, allowRanges: boolean): IntervalSet {
    const t = addressToken(value.value, allowRanges);
    switch (t.kind) {
      case 'any':
        return ALL_ADDRESSES;
      case 'prefix':
        return this.literal(IntervalSet.of(t.prefix.addr, prefixLast(t.prefix)), value.value, value.loc);
      case 'range':
        return this.literal(IntervalSet.of(t.lo, t.hi), value.value, value.loc);
      case 'tag':
        return this.tag(t.name, ctx);
      case 'invalid':
        throw new Error(`topo: invalid address '${value.value}' reached the model (validation should have stopped it)`);
    }
  }

  private ownPublic: IntervalSet = IntervalSet.EMPTY;

  /**
   * The design's own public addresses are public whatever the catalog says
   * about them, and they are the design's: a rule that names one (a DNAT
   * destination, a storage IP rule) is about that address, not about the
   * tags around it, so naming it makes nothing approximate.
   */
  includeOwnPublic(ips: IntervalSet): void {
    this.ownPublic = this.ownPublic.union(ips);
    this.publicSpace = this.publicSpace.union(ips);
  }

  /**
   * Public addresses the design writes down (rule prefixes, externals, IP
   * rules, intent and flow-set CIDRs) are real addresses of the Internet.
   * The compact catalog keeps one address per tag-membership region of
   * Azure's footprint; a literal inside the footprint joins the public space
   * as itself, and `literal()` marks it (and the tag regions near it) as
   * approximate, so verdicts that depend on it are unknown, not wrong.
   */
  includeLiterals(ips: IntervalSet): void {
    this.publicSpace = this.publicSpace.union(ips.intersect(everyPublicAddress()));
  }

  /**
   * Addresses only intents name (a flow set's KMS hosts, a partner range in
   * an intent): public, but not where names of unknown place resolve to.
   * Their tag membership is unknown with the compact catalog, and an
   * unknown must stay with the claims about them rather than spread to
   * every claim about "any address on the Internet".
   */
  claimOnly: IntervalSet = IntervalSet.EMPTY;

  includeClaimLiterals(ips: IntervalSet, ruleLiterals: IntervalSet): void {
    const pub = ips.intersect(everyPublicAddress());
    this.publicSpace = this.publicSpace.union(pub);
    if (!this.catalog.exact) this.claimOnly = this.claimOnly.union(pub.subtract(ruleLiterals).intersect(this.footprint).subtract(this.ownPublic));
  }

  /**
   * A literal of the design. With the compact catalog, where it overlaps
   * Azure's footprint, two things are unknown: which tags its own addresses
   * belong to, and (when a rule names it, `inRule`) which part of the tag
   * regions near it the rule really matches. Packets to or from those
   * addresses get unknown verdicts (Network.uncertain).
   */
  literal(set: IntervalSet, text: string, loc: SourceLoc, inRule = true): IntervalSet {
    if (!this.catalog.exact) {
      const overlap = set.subtract(this.ownPublic).intersect(this.footprint);
      if (!overlap.isEmpty) {
        const near = inRule ? IntervalSet.fromRanges(this.catalog.uncertainNear([...overlap.intervals()]).map((r) => [r[0], r[1]] as [number, number])) : IntervalSet.EMPTY;
        this.uncertain = this.uncertain.union(near).union(overlap.intersect(this.publicSpace));
      }
      if (!overlap.isEmpty && !this.approximations.some((a) => a.loc === loc)) {
        this.approximations.push({
          message: `${text} overlaps Azure service tag address ranges; the shipped catalog knows those ranges only up to their tag-membership regions, so how ${text} relates to service tags is approximate`,
          loc,
          region: overlap,
        });
      }
    }
    return set;
  }

  /** True when an address is in the compact catalog's approximate area. */
  inFootprint(set: IntervalSet): boolean {
    return !this.catalog.exact && set.intersects(this.footprint);
  }
}

export function isPlatformAddress(addr: number): boolean {
  return addr === AZURE_HOST_IP || addr === AZURE_IMDS_IP;
}
