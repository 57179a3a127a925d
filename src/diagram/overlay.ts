/**
 * Intent overlays: what each intent puts on the picture. A failing intent
 * draws its witness (the verifier's concrete packet and trace); a failing
 * allow also marks every component that blocks some of its packets. A
 * passing intent draws one representative packet, simulated the way
 * `topo trace` would: delivered for an allow, stopped for a deny. The proof
 * covers all packets; the drawn one is only an example.
 */
import { describePacket, simulate } from '../sim/simulate.js';
import { buildTraceRequest } from '../sim/request.js';
import type { Trace } from '../sim/trace.js';
import type { Network } from '../model/types.js';
import type { IntentResult } from '../verify/results.js';
import { resolveEndpoint } from '../scenario/endpoints.js';
import type { MutableEdge } from './build.js';
import type { IntentOverlay, NodeKind, OverlayBlocker, OverlayHop, OverlayPathKind } from './types.js';

/** How hop element ids map onto the diagram. */
export interface ElementIndex {
  /** A diagram node with this id exists. */
  has(id: string): boolean;
  /** The diagram node drawing an element id (itself, or the node it is an alias of). */
  resolve(id: string): string | undefined;
  parentOf(id: string): string | undefined;
  kindOf(id: string): NodeKind | undefined;
  /** The diagram edge drawing an element id (a peering link). */
  edgeFor(id: string): string | undefined;
}

const CONTAINERS: ReadonlySet<NodeKind | undefined> = new Set<NodeKind | undefined>(['vnet', 'subnet']);

function isAncestor(elements: ElementIndex, ancestor: string, id: string): boolean {
  for (let p = elements.parentOf(id); p !== undefined; p = elements.parentOf(p)) if (p === ancestor) return true;
  return false;
}

/** `at` texts of traces and blockers, mapped to diagram elements. */
function atIndex(net: Network, elements: ElementIndex): Map<string, string> {
  const m = new Map<string, string>();
  const put = (at: string, id: string | undefined) => {
    if (id !== undefined && !m.has(at)) m.set(at, id);
  };
  for (const nic of net.nics) {
    const el = elements.resolve(`nic:${nic.id}`);
    put(nic.label, el);
    put(`${nic.label} inbound`, el);
    put(`${nic.label} outbound`, el);
  }
  for (const s of net.subnets.values()) put(s.id, elements.resolve(`subnet:${s.id}`));
  for (const v of net.vnets.values()) {
    put(v.name, elements.resolve(`vnet:${v.name}`));
    for (const l of v.peerings) put(`peering ${l.local}/${l.name}`, elements.edgeFor(`peering:${l.local}/${l.name}`));
  }
  for (const g of net.gateways.values()) put(g.name, elements.resolve(`gateway:${g.name}`));
  for (const r of net.resources.values()) {
    const el = elements.resolve(`resource:${r.name}`);
    for (const groupId of new Set([...(r.info?.publicGroups ?? []), ...r.privateEndpoints.map((p) => p.groupId)])) put(`${r.name} public endpoint (${groupId})`, el);
  }
  put('Internet', elements.resolve('internet'));
  return m;
}

function elementOfHop(elements: ElementIndex, node: string | undefined, at: string, ats: Map<string, string>): string | undefined {
  if (node !== undefined) return elements.edgeFor(node) ?? elements.resolve(node) ?? ats.get(at);
  return ats.get(at);
}

const STOPPING = new Set(['drop', 'deny', 'unknown']);

interface PathPieces {
  readonly hops: OverlayHop[];
  readonly nodes: string[];
  readonly edges: string[];
  readonly blocking: string[];
  readonly pathEdges: MutableEdge[];
}

function tracePieces(trace: Trace, elements: ElementIndex, ats: Map<string, string>, stops: boolean): PathPieces {
  const last = trace.hops.length - 1;
  const hops: OverlayHop[] = [];
  const visited: string[] = [];
  const edges: string[] = [];
  const blocking: string[] = [];
  trace.hops.forEach((h, i) => {
    const element = elementOfHop(elements, h.node, h.at, ats);
    const isBlocking = stops && i === last && STOPPING.has(h.decision);
    hops.push({
      at: h.at,
      ...(element !== undefined ? { element } : {}),
      kind: h.kind,
      decision: h.decision,
      ...(h.rule !== undefined ? { rule: h.rule } : {}),
      ...(h.loc !== undefined ? { loc: h.loc } : {}),
      ...(h.detail !== undefined ? { detail: h.detail } : {}),
      blocking: isBlocking,
    });
    if (element === undefined) return;
    if (elements.has(element)) visited.push(element);
    else if (!edges.includes(element)) edges.push(element);
    if (isBlocking && !blocking.includes(element)) blocking.push(element);
    // Delivered to a named external: the path ends at its box.
    if (h.kind === 'delivery' && h.decision === 'deliver' && h.rule?.startsWith('external ')) {
      const ext = elements.resolve(`external:${h.rule.slice('external '.length)}`);
      if (ext) visited.push(ext);
    }
  });

  const nodes: string[] = [];
  for (const v of visited) if (!nodes.includes(v)) nodes.push(v);

  // Stops drawn as arrows: leaves, and containers only where the packet is not inside a leaf of them.
  const kept: string[] = [];
  visited.forEach((v, i) => {
    const prev = kept[kept.length - 1];
    if (prev === v) return;
    if (CONTAINERS.has(elements.kindOf(v))) {
      if (prev !== undefined && isAncestor(elements, v, prev)) return;
      const next = visited.slice(i + 1).find((x) => x !== v);
      if (next !== undefined && isAncestor(elements, v, next)) return;
    }
    if (prev !== undefined && CONTAINERS.has(elements.kindOf(prev)) && isAncestor(elements, prev, v)) {
      kept[kept.length - 1] = v;
      return;
    }
    kept.push(v);
  });
  const pathEdges: MutableEdge[] = [];
  for (let i = 1; i < kept.length; i++) {
    const [source, target] = [kept[i - 1], kept[i]];
    const id = `path:${source}~${target}`;
    pathEdges.push({ id, kind: 'path', source, target, details: [], aliases: [] });
    if (!edges.includes(id)) edges.push(id);
  }
  return { hops, nodes, edges, blocking, pathEdges };
}

/** The element an intent endpoint (`app1`, `spoke1/app`, `store/blob`, `internet`...) is drawn as. */
function endpointElement(net: Network, elements: ElementIndex, text: string): string | undefined {
  const r = resolveEndpoint(net.scenario, text);
  if (!r.ok) return undefined;
  const ref = r.ref;
  switch (ref.kind) {
    case 'internet':
      return elements.resolve('internet');
    case 'host':
      return elements.resolve(`nic:host:${ref.name}`);
    case 'subnet':
      return elements.resolve(`subnet:${ref.vnet}/${ref.subnet}`);
    case 'vnet':
      return elements.resolve(`vnet:${ref.name}`);
    case 'privateEndpoint':
      return elements.resolve(`nic:pe:${ref.name}`);
    case 'resource':
      return elements.resolve(`resource:${ref.name}`);
    case 'external':
      return elements.resolve(`external:${ref.name}`);
    case 'managed':
      return elements.resolve(`nic:host:managed:${ref.workspace}`);
    default:
      return undefined;
  }
}

function firstPort(ports: string): number | undefined {
  const m = /^(\d+)/.exec(ports.trim());
  return m ? Number(m[1]) : undefined;
}

/** One representative packet of a passing intent, traced; undefined when none can be built. */
function representative(net: Network, r: IntentResult): { trace: Trace; reached: boolean } | undefined {
  try {
    const protocol = r.protocol === '*' || r.protocol === '' ? 'Tcp' : r.protocol.split(',')[0];
    const request = buildTraceRequest(net, { from: r.from, to: r.to, protocol, port: firstPort(r.ports) });
    const trace = simulate(net, request.origin, request.packet);
    const reached = trace.verdict === 'delivered' && trace.delivery !== undefined && request.dest.accepts(trace.delivery, trace.packet.dstIp, trace.packet.dstName, r.adversary);
    return { trace, reached };
  } catch {
    return undefined;
  }
}

export function buildOverlays(
  net: Network,
  results: readonly IntentResult[],
  elements: ElementIndex,
  options: { readonly representativePaths: boolean },
): { overlays: IntentOverlay[]; pathEdges: MutableEdge[] } {
  const ats = atIndex(net, elements);
  const pathEdges = new Map<string, MutableEdge>();
  const overlays = results.map((r): IntentOverlay => {
    let trace: Trace | undefined;
    let pathKind: OverlayPathKind = 'none';
    if (r.witness) {
      trace = r.witness.trace;
      pathKind = 'witness';
    } else if (r.status === 'pass' && options.representativePaths) {
      const rep = representative(net, r);
      // Drawn only when the example agrees with the proof.
      if (rep && r.kind === 'allow' && rep.reached) [trace, pathKind] = [rep.trace, 'allowed'];
      if (rep && r.kind === 'deny' && !rep.reached && rep.trace.verdict !== 'unknown') [trace, pathKind] = [rep.trace, 'example'];
    }
    const pieces = trace ? tracePieces(trace, elements, ats, pathKind !== 'witness' || r.kind === 'allow') : undefined;
    for (const e of pieces?.pathEdges ?? []) pathEdges.set(e.id, e);

    const blockers: OverlayBlocker[] = (r.blockers ?? []).map((b) => {
      const element = b.node !== undefined ? elementOfHop(elements, b.node, b.at, ats) : pieces?.hops.find((h) => h.at === b.at)?.element ?? ats.get(b.at);
      return { at: b.at, ...(element !== undefined ? { element } : {}), reason: b.reason, ...(b.ref ? { rule: b.ref.label, loc: b.ref.loc } : {}) };
    });
    const blocking = [...(pieces?.blocking ?? [])];
    for (const b of blockers) if (b.element !== undefined && !blocking.includes(b.element)) blocking.push(b.element);

    return {
      name: r.name,
      kind: r.kind,
      status: r.status,
      loc: r.loc,
      from: r.from,
      to: r.to,
      protocol: r.protocol,
      ports: r.ports,
      ...(r.description !== undefined ? { description: r.description } : {}),
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      pathKind,
      ...(trace ? { packet: describePacket(net, trace.packet), verdict: trace.reason } : {}),
      hops: pieces?.hops ?? [],
      nodes: pieces?.nodes ?? [],
      edges: pieces?.edges ?? [],
      blocking,
      blockers,
      endpoints: {
        ...((from) => (from !== undefined ? { from } : {}))(endpointElement(net, elements, r.from)),
        ...((to) => (to !== undefined ? { to } : {}))(endpointElement(net, elements, r.to)),
      },
    };
  });
  return { overlays, pathEdges: [...pathEdges.values()] };
}
