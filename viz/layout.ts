/**
 * Layout: the diagram model as an ELK graph (layered, nested boxes with
 * hierarchyHandling INCLUDE_CHILDREN, orthogonal edges routed across
 * levels), every box sized from its measured text so that nothing
 * overflows. Coordinates come back absolute (shapeCoords/edgeCoords ROOT).
 */
import elkBundled from 'elkjs/lib/elk.bundled.js';
import type { ELK as ElkEngine, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { Badge, Diagram, DiagramEdge, DiagramNode, NodeKind } from '../src/diagram/types.js';
import { textWidth, type FontSpec } from './metrics.js';

export interface TextLine {
  readonly text: string;
  readonly font: FontSpec;
  readonly cls: string;
  /** Left edge and baseline, relative to the box. */
  readonly dx: number;
  readonly dy: number;
  readonly width: number;
}

export interface BadgeBox {
  readonly badge: Badge;
  readonly text: string;
  readonly dx: number;
  readonly dy: number;
  readonly w: number;
  readonly h: number;
}

export interface PlacedNode {
  readonly node: DiagramNode;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly depth: number;
  readonly lines: readonly TextLine[];
  readonly badges: readonly BadgeBox[];
}

export interface PlacedEdge {
  readonly edge: DiagramEdge;
  readonly points: readonly (readonly [number, number])[];
  readonly label?: { readonly text: string; readonly x: number; readonly y: number; readonly w: number; readonly h: number };
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  /** Parents before children, siblings by id. */
  readonly nodes: readonly PlacedNode[];
  /** By id. */
  readonly edges: readonly PlacedEdge[];
}

// ---------------------------------------------------------------------------
// Box geometry (shared with the renderer through the Layout)

export const PAD = 10;
const BADGE_FONT: FontSpec = { size: 10 };
const BADGE_H = 16;
const BADGE_PAD = 6;
const BADGE_GAP = 4;
const EDGE_LABEL_FONT: FontSpec = { size: 10 };
export const EDGE_LABEL_FONT_SIZE = EDGE_LABEL_FONT.size;

const CAPTIONS: Partial<Record<NodeKind, string>> = {
  host: 'HOST',
  'private-endpoint': 'PRIVATE ENDPOINT',
  firewall: 'AZURE FIREWALL',
  gateway: 'GATEWAY',
  resource: 'PAAS',
  external: 'EXTERNAL',
  internet: 'PUBLIC NETWORK',
};

const LEAF_MIN_W = 96;
const CONTAINER_MIN_W = 140;

function lineHeight(f: FontSpec): number {
  return Math.ceil(f.size * 1.3);
}

const BADGE_PREFIX: Record<Badge['kind'], string> = { nsg: 'NSG', 'route-table': 'RT', 'nat-gateway': 'NAT' };

interface Header {
  readonly lines: TextLine[];
  readonly badges: BadgeBox[];
  readonly width: number;
  readonly height: number;
}

/** The text block at the top of a box (containers) or filling it (leaves). */
function header(n: DiagramNode): Header {
  const specs: { text: string; font: FontSpec; cls: string }[] = [];
  const container = n.kind === 'vnet' || n.kind === 'vnet-group' || n.kind === 'subnet';
  if (!container) {
    const caption = n.kind === 'resource' ? (n.sublabel ?? 'PaaS').toUpperCase() : n.kind === 'external' && n.details[0]?.text.endsWith('(on premises)') ? 'ON-PREMISES' : CAPTIONS[n.kind];
    if (caption) specs.push({ text: caption, font: { size: 9 }, cls: 'caption' });
  }
  const titleFont: FontSpec = n.kind === 'vnet' || n.kind === 'vnet-group' ? { size: 14, bold: true } : { size: 12, bold: true };
  specs.push({ text: n.label, font: titleFont, cls: 'name' });
  if (n.sublabel && n.kind !== 'resource') specs.push({ text: n.sublabel, font: { size: 11 }, cls: 'sub' });
  if (n.collapsed && n.kind === 'resource') specs.push({ text: `${n.collapsed.count} resources, one per spoke`, font: { size: 11 }, cls: 'sub' });

  const lines: TextLine[] = [];
  let y = PAD;
  let width = 0;
  for (const s of specs) {
    const lh = lineHeight(s.font);
    const w = textWidth(s.text, s.font);
    lines.push({ text: s.text, font: s.font, cls: s.cls, dx: PAD, dy: y + Math.round(s.font.size * 0.95), width: w });
    y += lh;
    width = Math.max(width, w);
  }
  const badges: BadgeBox[] = [];
  if (n.badges.length > 0 && (container || n.kind === 'host')) {
    y += 3;
    let x = PAD;
    for (const b of n.badges) {
      const text = `${BADGE_PREFIX[b.kind]} ${b.label}`;
      const w = textWidth(text, BADGE_FONT) + 2 * BADGE_PAD;
      badges.push({ badge: b, text, dx: x, dy: y, w, h: BADGE_H });
      x += w + BADGE_GAP;
    }
    width = Math.max(width, x - BADGE_GAP - PAD);
    y += BADGE_H;
  }
  return { lines, badges, width: width + 2 * PAD, height: y + PAD };
}

// ---------------------------------------------------------------------------

const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.spacing.nodeNode': '24',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '8',
  'elk.spacing.edgeLabel': '4',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.randomSeed': '1',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

/** Big graphs: the faster node placement and crossing minimisation (seconds, not tens of seconds). */
const LARGE = 400;
const LARGE_OPTIONS: Record<string, string> = {
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.thoroughness': '1',
  'elk.layered.greedySwitch.type': 'OFF',
};

/**
 * Peerings point from spoke to hub and paths run from workloads outwards, so
 * spokes come first (left), hubs next, and the Internet and externals sit at
 * the right edge.
 */
function layerConstraint(kind: NodeKind): string | undefined {
  if (kind === 'internet' || kind === 'external') return 'LAST';
  return undefined;
}

const isContainer = (n: DiagramNode): boolean => n.children.length > 0 || n.kind === 'vnet' || n.kind === 'vnet-group' || n.kind === 'subnet';

/**
 * Siblings with no edges among them all land in one layer: one tall column.
 * Invisible edges (never drawn, ids `layout:...`) from sibling i to sibling
 * i + rows fold them into a grid of about square shape instead.
 */
const GRID_FROM = 4;

interface Size {
  readonly w: number;
  readonly h: number;
}

/** Grid shape for k siblings of average size w x h: columns * w ~ rows * h. */
function gridShape(k: number, w: number, h: number, widen = 1): { columns: number; rows: number } {
  const columns = Math.max(1, Math.min(k, Math.round(widen * Math.sqrt((k * h) / Math.max(w, 1)))));
  return { columns, rows: Math.ceil(k / columns) };
}

function gridEdges(siblings: readonly DiagramNode[], sizes: ReadonlyMap<string, Size>, out: ElkExtendedEdge[], widen = 1): void {
  const k = siblings.length;
  if (k < GRID_FROM) return;
  const w = siblings.reduce((a, s) => a + sizes.get(s.id)!.w, 0) / k;
  const h = siblings.reduce((a, s) => a + sizes.get(s.id)!.h, 0) / k;
  const { rows } = gridShape(k, w, h, widen);
  for (let i = 0; i + rows < k; i++) out.push({ id: `layout:${siblings[i].id}~${siblings[i + rows].id}`, sources: [siblings[i].id], targets: [siblings[i + rows].id] });
}

interface Built {
  readonly headers: Map<string, Header>;
  /** Estimated sizes before layout, for the grid shapes. */
  readonly sizes: Map<string, Size>;
  readonly hidden: ElkExtendedEdge[];
}

function toElk(n: DiagramNode, b: Built): ElkNode {
  const h = header(n);
  b.headers.set(n.id, h);
  const options: Record<string, string> = {};
  const lc = layerConstraint(n.kind);
  if (lc) options['elk.layered.layering.layerConstraint'] = lc;
  if (!isContainer(n)) {
    const size = { w: Math.max(LEAF_MIN_W, h.width), h: h.height };
    b.sizes.set(n.id, size);
    return { id: n.id, width: size.w, height: size.h, layoutOptions: options };
  }
  const minW = Math.max(CONTAINER_MIN_W, h.width);
  const gap = n.kind === 'subnet' ? 12 : 20;
  options['elk.padding'] = `[top=${h.height + 4},left=${PAD},bottom=${PAD},right=${PAD}]`;
  options['elk.nodeSize.constraints'] = 'MINIMUM_SIZE';
  options['elk.nodeSize.minimum'] = `(${minW},${h.height + 8})`;
  options['elk.spacing.nodeNode'] = String(gap);
  const children = n.children.map((c) => toElk(c, b));
  gridEdges(n.children, b.sizes, b.hidden);
  // Estimate: children in the grid (or one column), plus padding and header.
  const k = n.children.length;
  let inner: Size = { w: 0, h: 0 };
  if (k > 0) {
    const cw = Math.max(...n.children.map((c) => b.sizes.get(c.id)!.w));
    const ch = Math.max(...n.children.map((c) => b.sizes.get(c.id)!.h));
    const { columns, rows } = k >= GRID_FROM ? gridShape(k, cw, ch) : { columns: 1, rows: k };
    inner = { w: columns * cw + (columns - 1) * 48, h: rows * ch + (rows - 1) * gap };
  }
  b.sizes.set(n.id, { w: Math.max(minW, inner.w + 2 * PAD), h: h.height + 4 + inner.h + PAD });
  return { id: n.id, width: minW, height: h.height + 8, layoutOptions: options, children };
}

/** Top-level VNets peered only with one and the same hub: grid them too. */
function spokeGrids(d: Diagram, b: Built): void {
  const peerOf = new Map<string, Set<string>>();
  for (const e of d.edges) {
    if (e.kind !== 'peering' && e.kind !== 'peering-one-sided') continue;
    for (const [x, y] of [[e.source, e.target], [e.target, e.source]]) {
      if (!peerOf.has(x)) peerOf.set(x, new Set());
      peerOf.get(x)!.add(y);
    }
  }
  const byHub = new Map<string, DiagramNode[]>();
  for (const n of d.roots) {
    const peers = peerOf.get(n.id);
    if (!peers || peers.size !== 1) continue;
    const [hub] = peers;
    if ((peerOf.get(hub)?.size ?? 0) < 2) continue;
    byHub.set(hub, [...(byHub.get(hub) ?? []), n]);
  }
  // Edges to the hub and the spokes' PaaS share the layers and spread each column: more, shorter columns.
  for (const spokes of byHub.values()) gridEdges(spokes, b.sizes, b.hidden, 1.5);
}

function edgeToElk(e: DiagramEdge): ElkExtendedEdge {
  const label = e.label;
  return {
    id: e.id,
    sources: [e.source],
    targets: [e.target],
    ...(label ? { labels: [{ id: `${e.id}#label`, text: label, width: textWidth(label, EDGE_LABEL_FONT) + 6, height: lineHeight(EDGE_LABEL_FONT) + 2 }] } : {}),
  };
}

/** elkjs is CommonJS: its constructor is the module itself (and its `default`). */
const ElkConstructor = ((elkBundled as unknown as { default?: unknown }).default ?? elkBundled) as new () => ElkEngine;
let engine: ElkEngine | undefined;

/** `overrides`: extra ELK options on the root (for experiments and tests). */
export async function layoutDiagram(d: Diagram, overrides: Readonly<Record<string, string>> = {}): Promise<Layout> {
  engine ??= new ElkConstructor();
  const b: Built = { headers: new Map(), sizes: new Map(), hidden: [] };
  const children = d.roots.map((n) => toElk(n, b));
  spokeGrids(d, b);
  let count = 0;
  const countNodes = (n: DiagramNode) => {
    count++;
    n.children.forEach(countNodes);
  };
  d.roots.forEach(countNodes);
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: { ...ROOT_OPTIONS, ...(count > LARGE ? LARGE_OPTIONS : {}), ...overrides },
    children,
    edges: [...d.edges.map(edgeToElk), ...b.hidden],
  };
  const out = await engine.layout(graph);

  const byId = new Map<string, DiagramNode>();
  const walkModel = (n: DiagramNode) => {
    byId.set(n.id, n);
    n.children.forEach(walkModel);
  };
  d.roots.forEach(walkModel);

  const nodes: PlacedNode[] = [];
  const walk = (e: ElkNode, depth: number) => {
    const n = byId.get(e.id)!;
    const h = b.headers.get(e.id)!;
    nodes.push({ node: n, x: e.x ?? 0, y: e.y ?? 0, w: e.width ?? 0, h: e.height ?? 0, depth, lines: h.lines, badges: h.badges });
    for (const c of e.children ?? []) walk(c, depth + 1);
  };
  for (const c of out.children ?? []) walk(c, 0);

  const edgeModel = new Map(d.edges.map((e) => [e.id, e]));
  const edges: PlacedEdge[] = (out.edges ?? []).filter((e: ElkExtendedEdge) => edgeModel.has(e.id)).map((e: ElkExtendedEdge) => {
    const ext = e as ElkExtendedEdge;
    const points: [number, number][] = [];
    for (const s of ext.sections ?? []) {
      const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
      for (const p of pts) {
        const last = points[points.length - 1];
        if (!last || last[0] !== p.x || last[1] !== p.y) points.push([p.x, p.y]);
      }
    }
    const l = ext.labels?.[0];
    return {
      edge: edgeModel.get(e.id)!,
      points,
      ...(l && l.text ? { label: { text: l.text, x: l.x ?? 0, y: l.y ?? 0, w: l.width ?? 0, h: l.height ?? 0 } } : {}),
    };
  });
  edges.sort((a, b) => (a.edge.id < b.edge.id ? -1 : a.edge.id > b.edge.id ? 1 : 0));
  return { width: out.width ?? 0, height: out.height ?? 0, nodes, edges };
}
