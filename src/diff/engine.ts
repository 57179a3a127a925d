/**
 * The what-if engine: which flows a change opens or closes, and which
 * intents change status. Only the affected regions are propagated (see
 * regions.ts), in both versions, from compressed source classes; each
 * change is then explained by simulating one witness packet in both
 * versions and naming the hop where their paths part.
 */
import { addressIndex, type AddressIndex } from '../headerspace/address-index.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import { DEFAULT_PREFERENCES, PacketSet, pickPacket } from '../headerspace/packet-set.js';
import { DIM, type Packet } from '../headerspace/packet.js';
import { parseIpv4 } from '../net/ipv4.js';
import { ALL_ADDRESSES } from '../model/addresses.js';
import type { Sink } from '../model/endpoints.js';
import type { Network, Nic } from '../model/types.js';
import type { SourceLoc } from '../scenario/source-loc.js';
import { simulate, type Origin } from '../sim/simulate.js';
import type { Hop, Trace } from '../sim/trace.js';
import { propagate, type Propagation, type Start } from '../verify/propagate.js';
import { natMap } from '../verify/nat.js';
import { routedByInternet } from '../verify/graph.js';
import { describeSet } from '../verify/summary.js';
import type { Analysis } from './analysis.js';
import { intentChanges, type IntentChange } from './intents.js';
import { oneByOne, Replay } from './replay.js';
import { concernedStarts, type ClassStart } from './concerned.js';
import { affectedRegions, withinUniverse } from './regions.js';
import { sourceClasses, type SourceClass } from './sources.js';
import type { ChangedObject, ChangeSet } from './structure.js';

export type { IntentChange };

export interface Decider {
  readonly decision: string;
  readonly rule?: string;
  readonly loc?: SourceLoc;
  readonly detail?: string;
  readonly at: string;
}

export interface FlowChange {
  readonly direction: 'newly-allowed' | 'newly-blocked';
  readonly from: string;
  readonly to: string;
  /** The changed header sets, summarised (prefixes x protocols x port ranges). */
  readonly packets: readonly string[];
  /** Exactly the packets whose fate changed, as sent (for tools and the property tests; reports show `packets`). */
  readonly set: PacketSet;
  readonly packet: Packet;
  readonly before: Decider;
  readonly after: Decider;
  /** The changed object this flow is attributed to (its key in `objects`), or 'other'. */
  readonly cause: string;
  readonly beforeTrace: Trace;
  readonly afterTrace: Trace;
}

export interface DiffResult {
  readonly objects: readonly ChangedObject[];
  readonly mode: 'incremental' | 'full';
  readonly fullReasons: readonly string[];
  readonly flows: readonly FlowChange[];
  readonly intents: readonly IntentChange[];
  readonly stats: { readonly starts: number; readonly steps: number; readonly claimsChecked: number };
}

const EXAMPLE_INTERNET = parseIpv4('203.0.113.10')!;

/** Where a flow ends, for diffs: a delivery sink, Microsoft first-party services, or undecided. */
type FlowSink = Sink | { readonly kind: 'first-party' } | { readonly kind: 'undecided' };

function sinkKey(s: FlowSink): string {
  return JSON.stringify(s);
}

interface Collected {
  readonly delivered: Map<string, { sink: FlowSink; set: PacketSet }>;
  readonly steps: number;
}

function collect(a: Analysis, starts: readonly Start[], run: (starts: readonly Start[]) => Propagation): Collected {
  const prop = run(starts);
  const delivered = new Map<string, { sink: FlowSink; set: PacketSet }>();
  const add = (sink: FlowSink, set: PacketSet) => {
    const k = sinkKey(sink);
    const prev = delivered.get(k);
    delivered.set(k, { sink, set: prev ? prev.set.union(set) : set });
  };
  for (const d of prop.delivered) {
    // Internet deliveries split by whether the name counts as the adversary (translated view).
    if (d.sink.kind === 'internet') {
      const adversarial = IntervalSet.fromRanges(a.net.names.filter((c) => c.adversarial).map((c) => [c.id, c.id] as [number, number]));
      const hostile = natMap(d.set, d.state.nat, (v) => v.restrict(DIM.dstName, adversarial));
      if (!hostile.isEmpty) add({ kind: 'internet' }, hostile);
      const trusted = d.set.subtract(hostile);
      if (!trusted.isEmpty) add({ kind: 'first-party' }, trusted);
    } else add(d.sink, d.set);
  }
  for (const u of prop.undecided) add({ kind: 'undecided' }, u.set);
  return { delivered, steps: prop.steps };
}

function sinkLabel(net: Network, k: FlowSink): string {
  switch (k.kind) {
    case 'nic':
    case 'private-endpoint': {
      const nic = net.nicById.get(k.nicId);
      return nic ? endpointOfNic(nic) : k.nicId;
    }
    case 'paas-public':
      return `${k.resource}/${k.groupId} (public endpoint)`;
    case 'internet':
      return 'internet';
    case 'external':
      return `external ${k.name}`;
    case 'on-premises':
      return `on premises (${k.gateway})`;
    case 'platform':
      return 'Azure platform (168.63.129.16, 169.254.169.254)';
    case 'first-party':
      return 'Microsoft first-party services';
    case 'undecided':
      return 'undecided (unknown)';
  }
}

function endpointOfNic(nic: Nic): string {
  if (nic.kind === 'host') return nic.name;
  if (nic.kind === 'private-endpoint') return `${nic.privateEndpoint!.resource}/${nic.privateEndpoint!.groupId} via ${nic.name}`;
  if (nic.kind === 'subnet') return nic.subnet.id;
  return nic.label;
}

interface SourceEndpoint {
  readonly label: string;
  readonly ips: IntervalSet;
  readonly origin: (srcIp: number) => Origin;
}

// Versions derived by rule edits share their source classes, and so their endpoints.
const endpointsOfClasses = new WeakMap<readonly SourceClass[], SourceEndpoint[]>();

/** Sources reported per subnet (and per class within it): a host behaves like its subnet unless its NIC differs. */
function sourceEndpoints(classes: readonly SourceClass[]): SourceEndpoint[] {
  const known = endpointsOfClasses.get(classes);
  if (known) return known;
  const out: SourceEndpoint[] = [];
  endpointsOfClasses.set(classes, out);
  for (const c of classes) {
    if (c.kind === 'nic') {
      const bySubnet = new Map<string, Nic[]>();
      for (const nic of c.nics) bySubnet.set(nic.subnet.id, [...(bySubnet.get(nic.subnet.id) ?? []), nic]);
      for (const [subnet, nics] of bySubnet) {
        let ips = IntervalSet.EMPTY;
        for (const n of nics) ips = ips.union(n.addresses);
        const hosts = nics.filter((n) => n.kind === 'host').map((n) => n.name);
        const whole = nics.some((n) => n.kind === 'subnet');
        const label = whole ? subnet : hosts.length === 1 ? hosts[0] : `${subnet} (${hosts.join(', ')})`;
        out.push({ label, ips, origin: (srcIp) => ({ kind: 'nic', nic: nics.find((n) => n.addresses.has(srcIp)) ?? nics[0] }) });
      }
    } else if (c.kind === 'internet') out.push({ label: 'internet', ips: c.ips, origin: () => ({ kind: 'internet' }) });
    else out.push({ label: `on premises (${c.start.slice('rt:gateway:'.length)})`, ips: c.ips, origin: () => ({ kind: 'on-premises', gateway: c.start.slice('rt:gateway:'.length) }) });
  }
  return out;
}

const endpointIndexes = new WeakMap<readonly SourceEndpoint[], AddressIndex<SourceEndpoint>>();

/** The endpoints some of whose addresses are among `senders`, in their order. */
function endpointsMeeting(endpoints: readonly SourceEndpoint[], senders: IntervalSet): SourceEndpoint[] {
  let index = endpointIndexes.get(endpoints);
  if (!index) endpointIndexes.set(endpoints, (index = addressIndex(endpoints, (ep) => ep.ips)));
  return index.meeting(senders);
}

function decider(t: Trace, index: number): Decider {
  const h: Hop | undefined = t.hops[Math.min(index, t.hops.length - 1)];
  if (!h) return { decision: t.verdict, at: '-', detail: t.reason };
  return { decision: h.decision, at: h.at, ...(h.rule ? { rule: h.rule } : {}), ...(h.loc ? { loc: h.loc } : {}), ...(h.detail ? { detail: h.detail } : {}) };
}

/** The first hop where the two versions' paths differ. */
function divergence(a: Trace, b: Trace): number {
  const n = Math.max(a.hops.length, b.hops.length);
  for (let i = 0; i < n; i++) {
    const x = a.hops[i];
    const y = b.hops[i];
    if (!x || !y || x.decision !== y.decision || x.rule !== y.rule || x.ruleId !== y.ruleId || x.at !== y.at) return i;
  }
  return n - 1;
}

function causeOf(changes: ChangeSet, hops: readonly (Hop | undefined)[]): string {
  for (const h of hops) {
    const id = h?.ruleId ?? '';
    for (const o of changes.objects) {
      if (o.kind === 'nsg' && id.startsWith(`${o.name}/`)) return `${o.kind}:${o.name}`;
      if (o.kind === 'firewallPolicy' && id.startsWith(`${o.name}/`)) return `${o.kind}:${o.name}`;
      if (o.kind === 'routeTable' && id.startsWith(`${o.name}/`)) return `${o.kind}:${o.name}`;
      if (o.kind === 'peering' && id === o.name) return `${o.kind}:${o.name}`;
    }
  }
  const first = changes.objects[0];
  return changes.objects.length === 1 && first ? `${first.kind}:${first.name}` : 'other';
}

function internetBound(c: ClassStart, base: Network, head: Network): ClassStart[] {
  const [a, b] = [routedByInternet(base), routedByInternet(head)];
  const routed = a === b ? a : a.union(b);
  const set = c.start.set.restrict(DIM.dstIp, routed);
  return set.isEmpty ? [] : [{ cls: c.cls, start: { ...c.start, set } }];
}

export function diffAnalyses(base: Analysis, head: Analysis, changes: ChangeSet): DiffResult {
  const classes = sourceClasses(head.net);
  const { regions, full, reasons, inbound } = affectedRegions(base, head, changes, classes);
  // One start per source class: the union of the regions that concern it, within the real packet space.
  // The real packets of a region are worked out once for every source; a class takes those from its addresses
  // (a universe's boxes differ between sources in the source address only).
  const real = new Map<PacketSet, PacketSet>();
  const realOf = (set: PacketSet): PacketSet => {
    let r = real.get(set);
    if (!r) real.set(set, (r = withinUniverse(set, head.net, ALL_ADDRESSES)));
    return r;
  };
  const sources = new Map<PacketSet, IntervalSet>();
  const sourcesOf = (set: PacketSet): IntervalSet => {
    let r = sources.get(set);
    if (!r) sources.set(set, (r = set.project(DIM.srcIp)));
    return r;
  };
  const classStarts: ClassStart[] = [];
  for (const c of classes) {
    let set = PacketSet.EMPTY;
    for (const r of regions) {
      if (r.classes && !r.classes.has(c.start)) continue;
      if (!sourcesOf(r.set).intersects(c.ips)) continue;
      const mine = realOf(r.set).restrict(DIM.srcIp, c.ips);
      set = set.isEmpty ? mine : set.union(mine);
    }
    if (!set.isEmpty) classStarts.push({ start: { node: c.start, set }, cls: c });
  }
  const starts = classStarts.map((c) => c.start);
  // The Internet drops what is not addressed to the public space or the design's public addresses in both
  // versions alike (when neither is structurally changed): those packets are settled without a walk.
  const live = full ? classStarts : classStarts.flatMap((c) => (c.cls.kind === 'internet' ? internetBound(c, base.net, head.net) : [c]));
  // Of an NSG edit's regions, only the classes whose packets can get to the NSG's interfaces are propagated.
  const concerned = full ? undefined : concernedStarts(base, changes, live, inbound);
  const propagated = concerned?.exact ?? live.map((c) => c.start);
  // A head derived by rule edits shares the graph: its propagation repeats the base's up to the edited programs.
  const replay = base !== head && head.graph === base.graph ? new Replay(base.graph, base.net, head.net) : undefined;
  const before = collect(base, propagated, oneByOne(replay ? (s) => replay.recordBase(s) : (s) => propagate(base.graph, s, { net: base.net })));
  const after = collect(head, propagated, oneByOne(replay ? (s) => replay.replayHead(s) : (s) => propagate(head.graph, s, { net: head.net })));
  // Worked out when a flow changed: most edits change none, and a large design has thousands of classes.
  let endpoints: SourceEndpoint[] | undefined;
  const flows: FlowChange[] = [];
  // Every propagated packet whose fate differs between the versions, whichever source reports it.
  const changed: PacketSet[] = [];
  const keys = [...new Set([...before.delivered.keys(), ...after.delivered.keys()])].sort();
  for (const key of keys) {
    const b = before.delivered.get(key)?.set ?? PacketSet.EMPTY;
    const a = after.delivered.get(key)?.set ?? PacketSet.EMPTY;
    const sink = (after.delivered.get(key) ?? before.delivered.get(key))!.sink;
    for (const [direction, set] of [['newly-allowed', a.subtract(b)], ['newly-blocked', b.subtract(a)]] as const) {
      if (set.isEmpty) continue;
      changed.push(set);
      endpoints ??= sourceEndpoints(classes);
      for (const ep of endpointsMeeting(endpoints, set.project(DIM.srcIp))) {
        const part = set.restrict(DIM.srcIp, ep.ips);
        if (part.isEmpty) continue;
        const packet = pickPacket(part, { ...DEFAULT_PREFERENCES, dstIps: [EXAMPLE_INTERNET] })!;
        const beforeTrace = simulate(base.net, ep.origin(packet.srcIp), packet);
        const afterTrace = simulate(head.net, ep.origin(packet.srcIp), packet);
        const at = divergence(beforeTrace, afterTrace);
        flows.push({
          direction,
          from: ep.label,
          to: sinkLabel(head.net, sink),
          packets: describeSet(head.net, part, 3),
          set: part,
          packet,
          before: decider(beforeTrace, at),
          after: decider(afterTrace, at),
          cause: causeOf(changes, [afterTrace.hops[at], beforeTrace.hops[at]]),
          beforeTrace,
          afterTrace,
        });
      }
    }
  }
  // Settled starts count as propagated: their packets' fates are the same in both versions.
  const intents = intentChanges(base, head, changes, regions.map((r) => r.set), full ? undefined : { starts, changed }, replay);
  return { objects: changes.objects, mode: full ? 'full' : 'incremental', fullReasons: reasons, flows, intents: intents.changes, stats: { starts: propagated.length, steps: before.steps + after.steps, claimsChecked: intents.checked } };
}
