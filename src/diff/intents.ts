/**
 * Which intents change status between two versions. An intent is checked
 * again only where a changed region meets its packets; every other intent
 * provably keeps its status (regions.ts).
 *
 * Deciding that an intent is untouched needs the packets it is about.
 * Deriving them for every intent costs more than the rest of a small
 * what-if, and they depend on the compiled endpoints only, so they are
 * derived once, with the analysis (`rememberIntents`), and a version derived
 * by rule edits, which reads the very same compiled endpoints (claims never
 * read rule programs), takes them over. An analysis also remembers the
 * verdicts it has computed; the verdicts of the intents a change leaves
 * untouched carry over to the head, which is what lets `topo watch` chain
 * what-ifs without re-deriving anything. A verdict is never shared
 * otherwise: it belongs to one analysis.
 */
import { addressIndex, type AddressIndex } from '../headerspace/address-index.js';
import { sameBoxes } from '../headerspace/box.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import type { PacketSet } from '../headerspace/packet-set.js';
import { DIM } from '../headerspace/packet.js';
import type { Network } from '../model/types.js';
import type { Intent } from '../scenario/types.js';
import type { SourceLoc } from '../scenario/source-loc.js';
import { checkClaim, claimQuery, type Claim } from '../verify/check.js';
import type { IntentResult, IntentStatus } from '../verify/results.js';
import { propagate, type Start } from '../verify/propagate.js';
import { claimsOf } from '../verify/verify.js';
import type { Analysis } from './analysis.js';
import { oneByOne, type Replay } from './replay.js';
import { canonical, type ChangeSet } from './structure.js';

export interface IntentChange {
  readonly name: string;
  readonly before: IntentStatus | 'absent';
  readonly after: IntentStatus | 'absent';
  readonly regression: boolean;
  readonly result?: IntentResult;
  readonly loc?: SourceLoc;
}

const RANK: Record<IntentStatus | 'absent', number> = { pass: 0, unknown: 1, fail: 2, absent: -1 };

interface Verdict {
  readonly status: IntentStatus;
  readonly result?: IntentResult;
}

interface Memory {
  /** Packets each intent is about, by text; shared by every version with the same compiled endpoints. */
  readonly queries: Map<string, Query>;
  /** Verdicts decided in this analysis, by text. */
  readonly verdicts: Map<string, IntentStatus>;
  /**
   * Verdicts carried over from the version this one was derived from, for these texts (the version's
   * intents): those a change left untouched keep the verdict they had there. Decided ones are in `verdicts`.
   */
  inherited?: { readonly from: Memory; readonly texts: ReadonlySet<string>; readonly depth: number };
}

const memories = new WeakMap<Analysis, Memory>();

function memoryOf(a: Analysis): Memory {
  let m = memories.get(a);
  if (!m) memories.set(a, (m = { queries: new Map(), verdicts: new Map() }));
  return m;
}

/** The verdict an analysis knows for an intent's text, decided there or carried over. */
function knownVerdict(m: Memory, text: string): IntentStatus | undefined {
  for (let cur: Memory | undefined = m; cur; ) {
    const v = cur.verdicts.get(text);
    if (v !== undefined) return v;
    if (!cur.inherited?.texts.has(text)) return undefined;
    cur = cur.inherited.from;
  }
  return undefined;
}

// A chain of versions (topo watch) is cut now and then, so that a verdict is found in a few steps.
const MAX_INHERITED_DEPTH = 16;

function inherit(head: Memory, base: Memory, texts: ReadonlySet<string>): void {
  const depth = (base.inherited?.depth ?? 0) + 1;
  if (depth <= MAX_INHERITED_DEPTH) {
    head.inherited = { from: base, texts, depth };
    return;
  }
  for (const t of texts) {
    if (head.verdicts.has(t)) continue;
    const v = knownVerdict(base, t);
    if (v !== undefined) head.verdicts.set(t, v);
  }
}

/** An intent's text without source locations: an edit is a change of this text. */
const texts = new WeakMap<Intent, string>();

function textOf(intent: Intent): string {
  let t = texts.get(intent);
  if (t === undefined) texts.set(intent, (t = canonical(intent)));
  return t;
}

/**
 * What a version derived by rule edits has of its own. The packets an intent
 * is about never depend on rule programs nor on the uncertainty; they do
 * depend on the scenario, but only on parts that are equal when no change is
 * structural (endpoints, resources, regions), and on the firewalls, whose
 * DNAT rules give destinations a public entry.
 */
const RULE_PROGRAMS = new Set(['scenario', 'nsgProgram', 'withRuleEdits', 'uncertain']);

/** Whether every intent is about the same packets in both versions. */
export function sameEndpoints(base: Analysis, head: Analysis, changes: ChangeSet): boolean {
  if (base.net === head.net) return true;
  // The scenario objects claims are resolved against (hosts, resources, endpoints, VNets...) are equal when
  // nothing structural changed; the compiled network must be the same objects, not just equal ones.
  if (changes.structural.length > 0 || changes.routeTables.size > 0 || base.catalog !== head.catalog) return false;
  const a = base.net as unknown as Record<string, unknown>;
  const b = head.net as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (!RULE_PROGRAMS.has(k) && a[k] !== b[k]) return false;
  return true;
}

/** The packets an intent is about, with their sources and destinations for a quick first test. */
interface Query {
  readonly sets: readonly PacketSet[];
  readonly srcIps: IntervalSet;
  readonly dstIps: IntervalSet;
}

function queryOf(net: Network, intent: Intent): Query {
  const { claims, problem } = claimsOf(net, intent);
  const sets = problem ? [] : claims.map((c) => claimQuery(net, c)).filter((q) => !q.isEmpty);
  let srcIps = IntervalSet.EMPTY;
  let dstIps = IntervalSet.EMPTY;
  for (const q of sets) {
    srcIps = srcIps.union(q.project(DIM.srcIp));
    dstIps = dstIps.union(q.project(DIM.dstIp));
  }
  return { sets, srcIps, dstIps };
}

function sameQuery(a: Query, b: Query): boolean {
  return a.sets.length === b.sets.length && a.sets.every((x, k) => x === b.sets[k] || (x.subsetOf(b.sets[k]) && b.sets[k].subsetOf(x)));
}

/** Derives the packets of every intent of an analysis that it does not know yet. */
export function rememberIntents(a: Analysis): void {
  const m = memoryOf(a);
  for (const intent of a.scenario.intents) {
    const text = textOf(intent);
    if (!m.queries.has(text)) m.queries.set(text, queryOf(a.net, intent));
  }
}

interface Extent {
  readonly set: PacketSet;
  readonly srcIps: IntervalSet;
  readonly dstIps: IntervalSet;
}

function meets(q: Query, regions: readonly Extent[], hull: { readonly srcIps: IntervalSet; readonly dstIps: IntervalSet }): boolean {
  if (!q.srcIps.intersects(hull.srcIps) || !q.dstIps.intersects(hull.dstIps)) return false;
  for (const r of regions) {
    // Sets whose sources or destinations are apart are apart: most intents are told from a region this way.
    if (!q.srcIps.intersects(r.srcIps) || !q.dstIps.intersects(r.dstIps)) continue;
    for (const set of q.sets) if (set.intersects(r.set)) return true;
  }
  return false;
}

/** Intent names in report order, with each version's intent by name; remembered per list of intents. */
const orders = new WeakMap<readonly Intent[], Map<string, Intent>>();

function byName(intents: readonly Intent[]): Map<string, Intent> {
  let m = orders.get(intents);
  if (!m) orders.set(intents, (m = new Map(intents.map((i) => [i.name, i]))));
  return m;
}

const sortedNames = new WeakMap<readonly Intent[], string[]>();

function namesOf(base: readonly Intent[], head: readonly Intent[]): readonly string[] {
  if (base !== head) return [...new Set([...byName(base).keys(), ...byName(head).keys()])].sort();
  let names = sortedNames.get(base);
  if (!names) sortedNames.set(base, (names = [...byName(base).keys()].sort()));
  return names;
}

/** Head starts equal, box for box, to the base's starts of the same claim are replaced by those: a replay recognises its inputs by identity. */
function aligned(starts: readonly Start[], prior: readonly Start[] | undefined): readonly Start[] {
  if (!prior || prior.length !== starts.length) return starts;
  return starts.map((s, k) => {
    const p = prior[k];
    return p.node === s.node && p.state === s.state && sameBoxes(p.set.boxes, s.set.boxes) ? p : s;
  });
}

/**
 * What the flows found: the packets propagated in both versions (the affected regions within the real
 * packet space) and those of them whose fate differs.
 */
export interface Fates {
  readonly starts: readonly Start[];
  readonly changed: readonly PacketSet[];
}

/** Whether every packet of `piece` was propagated in both versions. */
function propagated(piece: PacketSet, starts: readonly Start[], sources: readonly IntervalSet[]): boolean {
  let rest = piece;
  const ips = piece.project(DIM.srcIp);
  for (let k = 0; k < starts.length && !rest.isEmpty; k++) if (sources[k].intersects(ips)) rest = rest.subtract(starts[k].set);
  return rest.isEmpty;
}

/**
 * `fates` undefined: the whole packet space changed (a structural change) and every intent is checked again.
 * Otherwise an intent is checked again only if some of its packets are in a changed region and either
 * changed fate or were not propagated (an intent may be about packets no source class sends).
 */
export function intentChanges(base: Analysis, head: Analysis, changes: ChangeSet, regions: readonly PacketSet[], fates: Fates | undefined, replay?: Replay): { changes: IntentChange[]; checked: number } {
  const full = fates === undefined;
  const out: IntentChange[] = [];
  let checked = 0;
  const mb = memoryOf(base);
  let mh = memoryOf(head);
  if (mh !== mb && !full && mh.queries !== mb.queries && sameEndpoints(base, head, changes)) {
    mh = { queries: mb.queries, verdicts: mh.verdicts };
    memories.set(head, mh);
  }
  // With the same claims (endpoints) and the same uncertain addresses (a verdict about them is unknown) in
  // both versions, a verdict is a function of the fates of its claims' packets alone: an intent none of whose
  // packets changed fate keeps its verdict, and the head takes over the base's.
  const sameClaims = mh !== mb && mh.queries === mb.queries && base.net.uncertain.equals(head.net.uncertain);
  const extents: Extent[] = full ? [] : regions.filter((r) => !r.isEmpty).map((set) => ({ set, srcIps: set.project(DIM.srcIp), dstIps: set.project(DIM.dstIp) }));
  // Most intents are told from every region at once by the union of their sources and destinations.
  const hull = { srcIps: IntervalSet.EMPTY, dstIps: IntervalSet.EMPTY };
  for (const r of extents) {
    hull.srcIps = hull.srcIps.union(r.srcIps);
    hull.dstIps = hull.dstIps.union(r.dstIps);
  }
  const baseIntents = byName(base.scenario.intents);
  const headIntents = byName(head.scenario.intents);
  // Starts of the claims checked in the base, for the head's replay of the same claims.
  const baseStarts = new Map<string, readonly Start[]>();
  const verdictOf = (a: Analysis, m: Memory, intent: Intent, text: string, side: 'base' | 'head'): Verdict => {
    const known = side === 'base' ? knownVerdict(m, text) : undefined;
    if (known !== undefined) return { status: known };
    const { claims, problem } = claimsOf(a.net, intent);
    if (problem) {
      m.verdicts.set(text, 'unknown');
      return { status: 'unknown' };
    }
    let worst: IntentResult | undefined;
    for (const c of claims as readonly Claim[]) {
      checked += 1;
      const shared = !replay
        ? oneByOne((starts) => propagate(a.graph, starts, { net: a.net }))
        : side === 'base'
          ? (starts: readonly Start[]) => (baseStarts.set(c.name, starts), oneByOne((s) => replay.recordBase(s))(starts))
          : (starts: readonly Start[]) => oneByOne((s) => replay.replayHead(s))(aligned(starts, baseStarts.get(c.name)));
      const r = checkClaim(a.net, a.graph, c, shared);
      if (!worst || RANK[r.status] > RANK[worst.status]) worst = r;
    }
    const v: Verdict = { status: worst?.status ?? 'pass', result: worst };
    m.verdicts.set(text, v.status);
    return v;
  };
  let sources: IntervalSet[] | undefined;
  const touched = (intent: Intent, text: string): boolean => {
    let q = mh.queries.get(text);
    if (!q) mh.queries.set(text, (q = queryOf(head.net, intent)));
    if (mh.queries !== mb.queries) {
      // Claims derived from each version (a route edit can change how a client reaches a resource): an intent
      // about other packets in the head is checked again, wherever they are.
      let qb = mb.queries.get(text);
      if (!qb) mb.queries.set(text, (qb = queryOf(base.net, intent)));
      if (!sameQuery(qb, q)) return true;
    }
    if (extents.length === 0) return false;
    if (!meets(q, extents, hull)) return false;
    if (!sameClaims) return true;
    sources ??= fates!.starts.map((s) => s.set.project(DIM.srcIp));
    for (const set of q.sets) {
      for (const r of extents) {
        if (!set.intersects(r.set)) continue;
        const piece = set.intersect(r.set);
        if (fates!.changed.some((c) => c.intersects(piece)) || !propagated(piece, fates!.starts, sources)) return true;
      }
    }
    return false;
  };
  const compare = (name: string, bi: Intent | undefined, hi: Intent | undefined, bt: string | undefined, ht: string | undefined) => {
    const before = bi ? verdictOf(base, mb, bi, bt!, 'base') : undefined;
    const after = hi ? verdictOf(head, mh, hi, ht!, 'head') : undefined;
    const bs: IntentStatus | 'absent' = before?.status ?? 'absent';
    const as: IntentStatus | 'absent' = after?.status ?? 'absent';
    if (bs === as) return;
    out.push({ name, before: bs, after: as, regression: as !== 'absent' && bs !== 'absent' && RANK[as] > RANK[bs], ...(after?.result ? { result: after.result } : {}), ...(hi ? { loc: hi.loc } : bi ? { loc: bi.loc } : {}) });
  };
  if (sameClaims && !full && base.scenario.intents === head.scenario.intents) {
    // The same intents about the same packets (rule edits): only those the index finds near the regions can be
    // touched; every other one keeps its verdict, carried over from the base as the head's.
    const index = indexOf(mb.queries, head.scenario.intents, head.net);
    for (const k of candidates(index, hull)) {
      const { name, intent, text } = index.entries[k];
      if (touched(intent, text)) compare(name, intent, intent, text, text);
    }
    inherit(mh, mb, index.texts);
    return { changes: out, checked };
  }
  for (const name of namesOf(base.scenario.intents, head.scenario.intents)) {
    const bi = baseIntents.get(name);
    const hi = headIntents.get(name);
    const bt = bi ? textOf(bi) : undefined;
    const ht = hi ? textOf(hi) : undefined;
    const edited = bt === undefined || ht === undefined || bt !== ht;
    if (!edited && !full && !touched(hi!, ht!)) {
      // Untouched: the head decides it as the base does, whenever the base has decided it.
      const known = sameClaims ? knownVerdict(mb, bt!) : undefined;
      if (known !== undefined) mh.verdicts.set(ht!, known);
      continue;
    }
    compare(name, bi, hi, bt, ht);
  }
  return { changes: out, checked };
}

interface IndexEntry {
  readonly name: string;
  readonly intent: Intent;
  readonly text: string;
}

/** Intents about packets with equal destinations, found by their sources (entry numbers). */
interface DestinationGroup {
  readonly dstIps: IntervalSet;
  readonly members: AddressIndex<number>;
}

interface IntentIndex {
  readonly list: readonly Intent[];
  /** In report order (by name). */
  readonly entries: readonly IndexEntry[];
  readonly texts: ReadonlySet<string>;
  readonly groups: readonly DestinationGroup[];
}

// Per queries (the compiled endpoints they were derived from) and list of intents.
const indexes = new WeakMap<Map<string, Query>, IntentIndex>();

/**
 * Intents grouped by the destinations of their packets: a hub design has thousands of exfiltration intents
 * with one destination (the Internet), each from another subnet. A region is told from a whole group by its
 * destinations, and within one by binary search over the sources.
 */
function indexOf(queries: Map<string, Query>, list: readonly Intent[], net: Network): IntentIndex {
  const known = indexes.get(queries);
  if (known && known.list === list) return known;
  const intents = byName(list);
  const entries: IndexEntry[] = namesOf(list, list).map((name) => {
    const intent = intents.get(name)!;
    return { name, intent, text: textOf(intent) };
  });
  const byDestination = new Map<number, { dstIps: IntervalSet; members: number[] }[]>();
  entries.forEach((e, k) => {
    let q = queries.get(e.text);
    if (!q) queries.set(e.text, (q = queryOf(net, e.intent)));
    if (q.srcIps.isEmpty || q.dstIps.isEmpty) return;
    const bucket = byDestination.get(q.dstIps.hash) ?? [];
    if (bucket.length === 0) byDestination.set(q.dstIps.hash, bucket);
    let g = bucket.find((x) => x.dstIps === q!.dstIps || x.dstIps.equals(q!.dstIps));
    if (!g) bucket.push((g = { dstIps: q.dstIps, members: [] }));
    g.members.push(k);
  });
  const groups: DestinationGroup[] = [];
  for (const bucket of byDestination.values()) {
    for (const g of bucket) groups.push({ dstIps: g.dstIps, members: addressIndex(g.members, (k) => queries.get(entries[k].text)!.srcIps) });
  }
  const index: IntentIndex = { list, entries, texts: new Set(entries.map((e) => e.text)), groups };
  indexes.set(queries, index);
  return index;
}

/** The entries (in report order) whose sources and destinations meet those of the regions. */
function candidates(index: IntentIndex, hull: { readonly srcIps: IntervalSet; readonly dstIps: IntervalSet }): number[] {
  if (hull.srcIps.isEmpty || hull.dstIps.isEmpty) return [];
  const out: number[] = [];
  for (const g of index.groups) if (g.dstIps.intersects(hull.dstIps)) out.push(...g.members.meeting(hull.srcIps));
  return out.sort((x, y) => x - y);
}
