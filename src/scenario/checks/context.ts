/** Shared state and helpers of the semantic checks. */
import { didYouMean } from '../../net/text.js';
import { parsePrefix, type Ipv4Prefix } from '../../net/ipv4.js';
import { parsePortSpec } from '../../net/ports.js';
import type { ServiceTagCatalog } from '../../catalog/service-tags.js';
import { pseudoTag, PSEUDO_TAG_NAMES } from '../../catalog/pseudo-tags.js';
import { diag, type Diagnostic, type DiagnosticCode } from '../diagnostics.js';
import type { Located, SourceLoc } from '../source-loc.js';
import type { Scenario } from '../types.js';
import { addressToken, type AddressToken } from '../address-token.js';

/** What a reference is checked against: a scenario collection, or a set of ids. */
export type NameIndex = { has(name: string): boolean; keys(): Iterable<string> };

export class CheckContext {
  readonly out: Diagnostic[] = [];
  constructor(
    readonly s: Scenario,
    readonly catalog: ServiceTagCatalog,
  ) {}

  report(code: DiagnosticCode, message: string, loc: SourceLoc | undefined, extra: { hint?: string; related?: Diagnostic['related'] } = {}): void {
    this.out.push(diag(code, message, loc, extra));
  }

  /**
   * A reference to a named thing; reports TOPO205 with a hint when it names
   * nothing. Names come as a map or set, so that a design with thousands of
   * subnets checks each reference in constant time.
   */
  ref(value: Located<string> | undefined, names: NameIndex, what: string, context: string): boolean {
    if (!value) return false;
    if (names.has(value.value)) return true;
    const list = [...names.keys()];
    const guess = didYouMean(value.value, list);
    this.report('TOPO205', `${context} refers to ${what} '${value.value}', which is not defined`, value.loc, {
      hint: guess ? `did you mean '${guess}'?` : list.length ? `defined ${what}s: ${list.slice(0, 8).join(', ')}${list.length > 8 ? ', ...' : ''}` : `no ${what} is defined`,
    });
    return false;
  }

  /** Parses a CIDR or address, reporting TOPO200/201/220. */
  prefix(value: Located<string>, what: string): Ipv4Prefix | undefined {
    const p = parsePrefix(value.value.trim());
    if (p.ok) return p.prefix;
    if (p.reason === 'ipv6') this.report('TOPO220', `${what} '${value.value}' is IPv6, which topo does not model yet`, value.loc, { hint: 'remove IPv6 prefixes from the scenario for now' });
    else if (p.reason === 'host-bits') this.report('TOPO201', `${what} '${value.value}' has host bits set`, value.loc, { hint: `Azure rejects it; did you mean ${p.canonical}?` });
    else this.report('TOPO200', `${what} '${value.value}' is not an IPv4 address or CIDR prefix`, value.loc);
    return undefined;
  }

  /** Checks a port spec, reporting TOPO209. */
  port(value: Located<string>, what: string): boolean {
    const p = parsePortSpec(value.value);
    if (!p.ok) this.report('TOPO209', `${what}: ${p.message}`, value.loc);
    return p.ok;
  }

  /** Classifies an address field and reports what is wrong with it. */
  address(value: Located<string>, what: string, opts: { ranges: boolean }): AddressToken {
    const t = addressToken(value.value, opts.ranges);
    if (t.kind === 'invalid') {
      if (t.reason === 'ipv6') this.report('TOPO220', `${what} '${value.value}' is IPv6, which topo does not model yet`, value.loc);
      else if (t.reason === 'host-bits') this.report('TOPO201', `${what} '${value.value}' has host bits set`, value.loc, { hint: `did you mean ${t.canonical}?` });
      else if (t.reason === 'range-not-allowed') this.report('TOPO200', `${what} '${value.value}' is an address range, which only Azure Firewall rules and IP groups accept`, value.loc, { hint: 'write it as CIDR prefixes (F1.1.4, F4.3.3)' });
      else this.report('TOPO200', `${what} '${value.value}' is not an IPv4 address, CIDR prefix or service tag`, value.loc);
    } else if (t.kind === 'tag') {
      this.tag({ value: t.name, loc: value.loc }, `${what} '${value.value}'`);
    }
    return t;
  }

  /** Reports TOPO206 (with a "did you mean") when a service tag name is unknown. */
  tag(name: Located<string>, what: string): boolean {
    if (this.knownTag(name.value)) return true;
    const guess = didYouMean(name.value, [...PSEUDO_TAG_NAMES, ...this.catalog.entries().map((e) => e.name)]);
    this.report('TOPO206', `${what} is not a known service tag (${catalogLabel(this.catalog)})`, name.loc, {
      hint: guess ? `did you mean '${guess}'?` : 'check the spelling, or pass a newer service tags file with --service-tags',
    });
    return false;
  }

  knownTag(name: string): boolean {
    return pseudoTag(name) !== undefined || this.catalog.lookup(name) !== undefined;
  }

  private subnetIndex?: ReadonlySet<string>;

  subnetIds(): ReadonlySet<string> {
    this.subnetIndex ??= new Set([...this.s.vnets.values()].flatMap((v) => [...v.subnets.values()].map((x) => x.id)));
    return this.subnetIndex;
  }

  subnet(id: string) {
    const slash = id.indexOf('/');
    if (slash < 0) return undefined;
    return this.s.vnets.get(id.slice(0, slash))?.subnets.get(id.slice(slash + 1));
  }

  /** Reports names used twice within one list (TOPO229): "rule 'a' is defined twice in NSG 'n'". */
  uniqueNames(items: readonly { name: string; loc: SourceLoc }[], what: string, within?: string): void {
    const seen = new Map<string, SourceLoc>();
    for (const item of items) {
      const first = seen.get(item.name);
      if (first) this.report('TOPO229', `${what} '${item.name}' is defined twice${within ? ` in ${within}` : ''}`, item.loc, { related: [{ message: 'first defined here', loc: first }] });
      else seen.set(item.name, item.loc);
    }
  }
}

export function catalogLabel(catalog: ServiceTagCatalog): string {
  const src = catalog.source;
  return src.kind === 'shipped' ? `shipped catalog, change ${src.changeNumber} of ${src.date}` : `${src.file}, change ${src.changeNumber}`;
}

export const SPECIAL_SUBNETS = ['AzureFirewallSubnet', 'AzureFirewallManagementSubnet', 'GatewaySubnet', 'AzureBastionSubnet', 'RouteServerSubnet'] as const;
