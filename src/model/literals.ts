/**
 * Every address the design writes down literally: rule prefixes and ranges,
 * IP groups, routes, externals, PaaS IP rules, translated addresses, and the
 * CIDRs of intents and of the flow sets they require. Compile makes the
 * public ones part of the modelled Internet before anything is decided.
 */
import { flowSet } from '../catalog/flowsets.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import { prefixLast } from '../net/ipv4.js';
import { addressToken } from '../scenario/address-token.js';
import type { SourceLoc } from '../scenario/source-loc.js';
import type { Scenario } from '../scenario/types.js';

function parse(raw: string): IntervalSet | undefined {
  const t = addressToken(raw, true);
  if (t.kind === 'prefix') return IntervalSet.of(t.prefix.addr, prefixLast(t.prefix));
  if (t.kind === 'range') return IntervalSet.of(t.lo, t.hi);
  return undefined;
}

function add(acc: IntervalSet[], raw: string): void {
  const set = parse(raw);
  if (set) acc.push(set);
}

/** A CIDR an intent (or a flow set it requires) is about, where the intent is written. */
export interface ClaimLiteral {
  readonly set: IntervalSet;
  readonly text: string;
  readonly loc: SourceLoc;
}

export interface Literals {
  /** Addresses rules, routes, IP groups, externals and PaaS IP rules name. */
  readonly all: IntervalSet;
  /** The intents' own CIDRs: rules record theirs when they compile; these are recorded at once. */
  readonly claims: readonly ClaimLiteral[];
}

export function literalAddresses(s: Scenario): Literals {
  const acc: IntervalSet[] = [];
  const claims: ClaimLiteral[] = [];
  const claim = (raw: string, loc: SourceLoc) => {
    const set = parse(raw);
    if (set) claims.push({ set, text: raw, loc });
  };
  const all = (list: readonly { readonly value: string }[]) => {
    for (const x of list) add(acc, x.value);
  };
  for (const nsg of s.networkSecurityGroups.values()) {
    for (const r of nsg.securityRules) {
      all(r.sourceAddressPrefixes);
      all(r.destinationAddressPrefixes);
    }
  }
  for (const g of s.ipGroups.values()) all(g.addresses);
  for (const p of s.firewallPolicies.values()) {
    for (const g of p.ruleCollectionGroups) {
      for (const rc of g.ruleCollections) {
        for (const r of rc.rules) {
          all(r.sourceAddresses);
          all(r.destinationAddresses);
          if (r.translatedAddress) add(acc, r.translatedAddress.value);
        }
      }
    }
  }
  for (const t of s.routeTables.values()) for (const r of t.routes) add(acc, r.addressPrefix.value);
  for (const e of s.externals.values()) all(e.addressPrefixes);
  for (const r of s.resources.values()) all(r.networkAcls?.ipRules ?? []);
  for (const i of s.intents) {
    if (i.kind === 'require') {
      for (const f of flowSet(i.set.value)?.flows ?? []) for (const end of [f.flow.from, f.flow.to]) if (end) claim(end, i.set.loc);
      continue;
    }
    claim(i.flow.from.value, i.flow.from.loc);
    claim(i.flow.to.value, i.flow.to.loc);
  }
  return { all: IntervalSet.fromRanges(acc.flatMap((x) => [...x.intervals()])), claims };
}
