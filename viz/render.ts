/**
 * Rendering: the laid-out diagram as SVG, built with d3-selection on a
 * linkedom document in Node. The same SVG is written standalone (static,
 * with title, source file, topo version, legend and intent list; the
 * chosen intents' overlays baked in) or inlined in the HTML page, where the
 * page script toggles overlays. Output is deterministic: elements in id
 * order, coordinates rounded, no timestamps.
 */
import { parseHTML } from 'linkedom';
import { select, type Selection } from 'd3-selection';
import { line } from 'd3-shape';
import type { Diagram, DiagramNode, IntentOverlay } from '../src/diagram/types.js';
import type { SourceLoc } from '../src/scenario/source-loc.js';
import { EDGE_LABEL_FONT_SIZE, layoutDiagram, type Layout, type PlacedEdge, type PlacedNode } from './layout.js';
import { textWidth } from './metrics.js';
import { resolveColors, svgStyles, type Theme } from './styles.js';
import { htmlPage } from './page.js';

export interface RenderOptions {
  readonly theme?: Theme;
  /** The topo version printed in the header. */
  readonly version: string;
  /** Intents whose overlays the static SVG shows (default: the failing ones). */
  readonly highlight?: readonly string[];
}

type Sel = Selection<any, unknown, null, undefined>;

const MARGIN = 16;
const TITLE_H = 58;

export function fmt(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

export function formatLocShort(loc: SourceLoc | undefined): string {
  if (!loc || loc.line === 0) return loc ? loc.file : '';
  return `${loc.file}:${loc.line}`;
}

function detailText(lines: readonly { text: string; loc?: SourceLoc }[]): string {
  return lines.map((l) => (l.loc && l.loc.line > 0 ? `${l.text}  (${formatLocShort(l.loc)})` : l.text)).join('\n');
}

function kindClass(n: DiagramNode): string {
  return `node ${n.kind}`;
}

function addMarkers(defs: Sel, theme: Theme): void {
  const markers: [string, string][] = [
    ['topo-arrow', 'var(--edge)'],
    ['topo-arrow-one-sided', 'var(--one-sided)'],
    ['topo-arrow-private', 'var(--private)'],
    ['topo-arrow-witness', 'var(--witness)'],
    ['topo-arrow-allowed', 'var(--allowed)'],
    ['topo-arrow-example', 'var(--example)'],
  ];
  for (const [id, color] of markers) {
    defs
      .append('marker')
      .attr('id', id)
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerWidth', 7)
      .attr('markerHeight', 7)
      .attr('markerUnits', 'userSpaceOnUse')
      .attr('orient', 'auto-start-reverse')
      .append('path')
      .attr('d', 'M0,0L10,5L0,10z')
      .attr('style', `fill:${resolveColors(color, theme)}`);
  }
  // Arrowheads scale with the stroke in userSpaceOnUse units: make them readable.
  defs.selectAll('marker').attr('markerWidth', 10).attr('markerHeight', 10);
}

/** Which overlay classes each element gets for a set of intents. */
export function overlayClasses(intents: readonly IntentOverlay[]): Map<string, Set<string>> {
  const classes = new Map<string, Set<string>>();
  const add = (id: string, cls: string) => {
    if (!classes.has(id)) classes.set(id, new Set());
    classes.get(id)!.add(cls);
  };
  for (const o of intents) {
    if (o.pathKind === 'none') {
      for (const id of o.blocking) add(id, 'ov-block');
      continue;
    }
    const cls = `ov-${o.pathKind}`;
    for (const id of o.nodes) add(id, cls);
    for (const id of o.edges) add(id, cls);
    for (const id of o.blocking) add(id, o.pathKind === 'example' ? 'ov-stop' : 'ov-block');
    if (o.endpoints.to !== undefined) add(o.endpoints.to, 'ov-target');
  }
  return classes;
}

function drawNode(g: Sel, p: PlacedNode, classes: Map<string, Set<string>>, titles: boolean): void {
  const n = p.node;
  const extra = [...(classes.get(n.id) ?? [])].sort().join(' ');
  const ng = g
    .append('g')
    .attr('class', `${kindClass(n)}${extra ? ` ${extra}` : ''}`)
    .attr('data-id', n.id)
    .attr('data-kind', n.kind)
    .attr('data-parent', n.parent ?? null)
    .attr('transform', `translate(${fmt(p.x)},${fmt(p.y)})`);
  if (p.node.collapsed) {
    ng.append('rect').attr('class', 'stack').attr('x', 6).attr('y', -6).attr('width', fmt(p.w)).attr('height', fmt(p.h)).attr('rx', 4);
    ng.append('rect').attr('class', 'stack').attr('x', 3).attr('y', -3).attr('width', fmt(p.w)).attr('height', fmt(p.h)).attr('rx', 4);
  }
  const radius = n.kind === 'internet' || n.kind === 'external' ? 14 : n.kind === 'vnet' || n.kind === 'vnet-group' ? 6 : 4;
  ng.append('rect').attr('class', 'box').attr('width', fmt(p.w)).attr('height', fmt(p.h)).attr('rx', radius);
  const leaf = !(n.kind === 'vnet' || n.kind === 'vnet-group' || n.kind === 'subnet');
  if (leaf && n.kind !== 'internet' && n.kind !== 'external') ng.append('rect').attr('class', 'accent').attr('width', 4).attr('height', fmt(p.h)).attr('rx', 2);
  if (titles) ng.append('title').text(detailText(n.details));
  for (const l of p.lines) {
    ng.append('text')
      .attr('class', l.cls)
      .attr('x', l.dx)
      .attr('y', l.dy)
      .attr('style', `font-size:${l.font.size}px${l.font.bold ? ';font-weight:bold' : ''}`)
      .text(l.text);
  }
  for (const b of p.badges) {
    const bg = ng
      .append('g')
      .attr('class', `badge ${b.badge.kind}`)
      .attr('data-id', `${n.id}#${b.badge.kind}`)
      .attr('transform', `translate(${b.dx},${b.dy})`);
    bg.append('rect').attr('width', b.w).attr('height', b.h).attr('rx', 8);
    bg.append('text').attr('x', 6).attr('y', 12).text(b.text);
    if (titles) bg.append('title').text(detailText([{ text: `${b.badge.kind === 'nsg' ? 'network security group' : b.badge.kind === 'route-table' ? 'route table' : 'NAT gateway'} ${b.badge.label}`, loc: b.badge.loc }, ...b.badge.details]));
  }
}

const pathLine = line<readonly [number, number]>()
  .x((d) => d[0])
  .y((d) => d[1]);

function roundedPoints(points: readonly (readonly [number, number])[]): [number, number][] {
  return points.map(([x, y]) => [Number(fmt(x)), Number(fmt(y))]);
}

function drawEdge(g: Sel, e: PlacedEdge, classes: Map<string, Set<string>>, titles: boolean): void {
  const extra = [...(classes.get(e.edge.id) ?? [])].sort().join(' ');
  const eg = g
    .append('g')
    .attr('class', `edge ${e.edge.kind}${extra ? ` ${extra}` : ''}`)
    .attr('data-id', e.edge.id)
    .attr('data-source', e.edge.source)
    .attr('data-target', e.edge.target);
  const d = pathLine(roundedPoints(e.points)) ?? '';
  // A wide transparent twin makes thin lines easy to hover.
  eg.append('path').attr('class', 'hit').attr('d', d).attr('style', 'fill:none;stroke:transparent;stroke-width:10');
  eg.append('path').attr('class', 'line').attr('d', d);
  if (titles && e.edge.details.length) eg.append('title').text(detailText(e.edge.details));
  if (e.label) {
    const lg = eg.append('g').attr('class', 'label').attr('transform', `translate(${fmt(e.label.x)},${fmt(e.label.y)})`);
    lg.append('rect').attr('width', fmt(e.label.w)).attr('height', fmt(e.label.h)).attr('rx', 3);
    lg.append('text').attr('x', 3).attr('y', EDGE_LABEL_FONT_SIZE + 1).text(e.label.text);
  }
}

const LEGEND: { label: string; kind: 'box' | 'line'; cls: string }[] = [
  { label: 'VNet', kind: 'box', cls: 'node vnet' },
  { label: 'subnet', kind: 'box', cls: 'node subnet' },
  { label: 'host / private endpoint', kind: 'box', cls: 'node host' },
  { label: 'PaaS resource', kind: 'box', cls: 'node resource' },
  { label: 'Internet / external', kind: 'box', cls: 'node external' },
  { label: 'peering (both sides)', kind: 'line', cls: 'edge peering' },
  { label: 'peering, one side only', kind: 'line', cls: 'edge peering-one-sided' },
  { label: 'private link', kind: 'line', cls: 'edge private-link' },
  { label: 'witness of a failing intent', kind: 'line', cls: 'edge ov-witness' },
  { label: 'path of a passing allow', kind: 'line', cls: 'edge ov-allowed' },
  { label: 'example packet of a passing deny', kind: 'line', cls: 'edge ov-example' },
  { label: 'blocking hop', kind: 'line', cls: 'edge ov-block' },
  { label: 'destination an intent names', kind: 'box', cls: 'node host ov-target' },
];

const LEGEND_ROW = 18;
const LEGEND_W = 250;

function drawLegend(g: Sel, x: number, y: number): number {
  const lg = g.append('g').attr('class', 'legend').attr('transform', `translate(${x},${y})`);
  const h = LEGEND.length * LEGEND_ROW + 34;
  lg.append('rect').attr('class', 'legend-box').attr('width', LEGEND_W).attr('height', h).attr('rx', 4);
  lg.append('text').attr('x', 10).attr('y', 18).attr('style', 'font-weight:bold').text('Legend');
  LEGEND.forEach((item, i) => {
    const iy = 28 + i * LEGEND_ROW;
    const ig = lg.append('g').attr('class', item.cls).attr('transform', `translate(10,${iy})`);
    if (item.kind === 'box') ig.append('rect').attr('class', 'box').attr('width', 28).attr('height', 12).attr('rx', 2);
    else ig.append('path').attr('class', 'line').attr('d', 'M0,6L28,6');
    lg.append('text').attr('x', 48).attr('y', iy + 10).text(item.label);
  });
  return h;
}

const STATUS_TEXT = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN' } as const;

function intentLine(o: IntentOverlay): string {
  return `${o.name}: ${o.from} -> ${o.to}${o.protocol !== '*' || o.ports !== '*' ? ` (${o.protocol}${o.ports !== '*' ? ` ${o.ports}` : ''})` : ''}  ${formatLocShort(o.loc)}`;
}

/** Intent list under the diagram: status, claim, and for highlighted ones the packet drawn. */
function drawIntents(g: Sel, d: Diagram, shown: ReadonlySet<string>, x: number, y: number): { w: number; h: number } {
  const ig = g.append('g').attr('class', 'intents').attr('transform', `translate(${x},${y})`);
  ig.append('text').attr('x', 0).attr('y', 14).attr('style', 'font-weight:bold;font-size:12px').text(`Intents (${d.intents.length})`);
  let cy = 34;
  let w = textWidth(`Intents (${d.intents.length})`, { size: 12, bold: true });
  for (const o of d.intents) {
    const t = ig.append('text').attr('x', 0).attr('y', cy);
    t.append('tspan').attr('class', `status-${o.status}`).text(STATUS_TEXT[o.status]);
    t.append('tspan').attr('x', 64).text(intentLine(o));
    w = Math.max(w, 64 + textWidth(intentLine(o), { size: 11 }));
    cy += 16;
    if (shown.has(o.name) && o.pathKind !== 'none' && o.packet) {
      const what = o.pathKind === 'witness' ? 'witness' : o.pathKind === 'allowed' ? 'allowed path' : 'example packet';
      const text = `${what}: ${o.packet} => ${o.verdict ?? ''}`;
      ig.append('text').attr('x', 64).attr('y', cy).attr('class', 'meta').text(text);
      w = Math.max(w, 64 + textWidth(text, { size: 11 }));
      cy += 16;
    }
  }
  return { w, h: cy };
}

export interface SvgParts {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

function buildSvg(d: Diagram, layout: Layout, opts: RenderOptions, mode: 'svg' | 'html'): SvgParts {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const theme = opts.theme ?? 'light';
  const shownNames = new Set(mode === 'html' ? [] : (opts.highlight ?? d.intents.filter((o) => o.status === 'fail').map((o) => o.name)));
  const shown = d.intents.filter((o) => shownNames.has(o.name));
  const classes = overlayClasses(shown);
  const titles = mode === 'svg';

  const title = `topo diagram: ${d.title}`;
  const meta = `source: ${d.files.join(', ')}  |  region: ${d.region}  |  topo ${opts.version}`;
  const headerW = Math.max(textWidth(title, { size: 18, bold: true }), textWidth(meta, { size: 11 }), d.description ? textWidth(d.description, { size: 11 }) : 0);
  const titleH = TITLE_H + (d.description ? 14 : 0);

  const svg = select(document.body)
    .append('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('class', 'topo-diagram')
    .attr('role', 'img')
    .attr('aria-labelledby', 'topo-title');
  svg.append('title').attr('id', 'topo-title').text(`${title} (${d.files.join(', ')}, topo ${opts.version})`);
  svg.append('style').text(svgStyles(theme));
  addMarkers(svg.append('defs'), theme);
  const bg = svg.append('rect').attr('class', 'bg');

  const root = svg.append('g').attr('id', 'topo-viewport');
  const head = root.append('g').attr('class', 'header').attr('transform', `translate(${MARGIN},${MARGIN})`);
  head.append('text').attr('class', 'title').attr('x', 0).attr('y', 18).text(title);
  head.append('text').attr('class', 'meta').attr('x', 0).attr('y', 36).text(meta);
  if (d.description) head.append('text').attr('class', 'meta').attr('x', 0).attr('y', 50).text(d.description);
  if (d.collapse.groups > 0) {
    const text = `${d.collapse.vnets} spoke VNets drawn as ${d.collapse.groups} group${d.collapse.groups === 1 ? '' : 's'} of identical structure (more than ${d.collapse.threshold} VNets)`;
    head.append('text').attr('class', 'meta').attr('x', 0).attr('y', d.description ? 64 : 50).text(text);
  }

  const body = root.append('g').attr('class', 'body').attr('transform', `translate(${MARGIN},${MARGIN + titleH})`);
  const nodesG = body.append('g').attr('class', 'nodes');
  for (const p of layout.nodes) drawNode(nodesG, p, classes, titles);
  const edgesG = body.append('g').attr('class', 'edges');
  for (const e of layout.edges) {
    if (mode === 'svg' && e.edge.kind === 'path' && !classes.has(e.edge.id)) continue;
    drawEdge(edgesG, e, classes, titles);
  }

  let width = Math.max(layout.width, headerW) + 2 * MARGIN;
  let height = MARGIN + titleH + layout.height;
  if (mode === 'svg') {
    const footY = height + 8;
    const lh = drawLegend(root, MARGIN, footY);
    const list = drawIntents(root, d, shownNames, MARGIN + LEGEND_W + 24, footY);
    width = Math.max(width, MARGIN + LEGEND_W + 24 + list.w + MARGIN);
    height = footY + Math.max(lh, list.h) + MARGIN;
  } else {
    height += MARGIN;
  }
  width = Math.ceil(width);
  height = Math.ceil(height);
  bg.attr('width', width).attr('height', height);
  svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  return { svg: (svg.node() as { outerHTML: string }).outerHTML, width, height };
}

export function renderSvg(d: Diagram, layout: Layout, opts: RenderOptions): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${buildSvg(d, layout, opts, 'svg').svg}\n`;
}

export function renderHtml(d: Diagram, layout: Layout, opts: RenderOptions): string {
  const parts = buildSvg(d, layout, opts, 'html');
  return htmlPage(d, parts, { theme: opts.theme ?? 'light', version: opts.version, highlight: opts.highlight });
}

/** Layout and render in one call. */
export async function renderDiagram(d: Diagram, format: 'svg' | 'html', opts: RenderOptions): Promise<string> {
  const layout = await layoutDiagram(d);
  return format === 'svg' ? renderSvg(d, layout, opts) : renderHtml(d, layout, opts);
}

