/**
 * Geometry invariants of the layout, in Node: boxes nest inside their
 * parents, siblings do not overlap, measured text fits its box, headers sit
 * above the children, every drawn edge has a route.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../src/model/compile.js';
import { loadScenario } from '../src/scenario/load.js';
import { verifyNetwork } from '../src/verify/verify.js';
import { buildDiagram } from '../src/diagram/build.js';
import type { Diagram } from '../src/diagram/types.js';
import { packageRoot } from '../src/util/package-root.js';
import { layoutDiagram, PAD, type Layout, type PlacedNode } from './layout.js';
import { fitText, textWidth } from './metrics.js';

const EPS = 0.5;

function diagramOf(file: string): Diagram {
  const loaded = loadScenario(file, { cwd: packageRoot() });
  const { network } = compile(loaded.scenario!, loaded.catalog!);
  return buildDiagram(network, verifyNetwork(network, []));
}

function inside(inner: PlacedNode, outer: PlacedNode): boolean {
  return inner.x >= outer.x - EPS && inner.y >= outer.y - EPS && inner.x + inner.w <= outer.x + outer.w + EPS && inner.y + inner.h <= outer.y + outer.h + EPS;
}

function overlap(a: PlacedNode, b: PlacedNode): boolean {
  return a.x < b.x + b.w - EPS && b.x < a.x + a.w - EPS && a.y < b.y + b.h - EPS && b.y < a.y + a.h - EPS;
}

function checkGeometry(layout: Layout): void {
  const byId = new Map(layout.nodes.map((p) => [p.node.id, p]));
  for (const p of layout.nodes) {
    // Text and badges fit the box.
    for (const l of p.lines) expect(l.dx + l.width, `${p.node.id}: '${l.text}'`).toBeLessThanOrEqual(p.w - PAD / 2);
    for (const b of p.badges) expect(b.dx + b.w, `${p.node.id} badge ${b.text}`).toBeLessThanOrEqual(p.w - PAD / 2);
    const headerBottom = Math.max(0, ...p.lines.map((l) => l.dy + 4), ...p.badges.map((b) => b.dy + b.h));
    expect(headerBottom, p.node.id).toBeLessThanOrEqual(p.h);
    if (p.node.parent !== undefined) {
      const parent = byId.get(p.node.parent)!;
      expect(inside(p, parent), `${p.node.id} inside ${parent.node.id}`).toBe(true);
      // Children start below the parent's header.
      const parentHeader = Math.max(...parent.lines.map((l) => l.dy + 4), ...parent.badges.map((b) => b.dy + b.h));
      expect(p.y - parent.y, `${p.node.id} below the header of ${parent.node.id}`).toBeGreaterThanOrEqual(parentHeader);
    }
    expect(p.x).toBeGreaterThanOrEqual(0);
    expect(p.y).toBeGreaterThanOrEqual(0);
    expect(p.x + p.w).toBeLessThanOrEqual(layout.width + EPS);
    expect(p.y + p.h).toBeLessThanOrEqual(layout.height + EPS);
  }
  // Siblings never overlap.
  const siblings = new Map<string, PlacedNode[]>();
  for (const p of layout.nodes) siblings.set(p.node.parent ?? '', [...(siblings.get(p.node.parent ?? '') ?? []), p]);
  for (const group of siblings.values()) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) expect(overlap(group[i], group[j]), `${group[i].node.id} / ${group[j].node.id}`).toBe(false);
  }
  for (const e of layout.edges) expect(e.points.length, e.edge.id).toBeGreaterThanOrEqual(2);
}

describe('layout', () => {
  it('measures text with the fixed metrics table', () => {
    expect(textWidth('', { size: 12 })).toBe(0);
    expect(textWidth('W', { size: 10 })).toBe(10);
    expect(textWidth('AzureBastionSubnet', { size: 12, bold: true })).toBeGreaterThan(textWidth('AzureBastionSubnet', { size: 12 }));
    expect(textWidth('\u00e9', { size: 10 })).toBe(10);
    const cut = fitText('a-very-long-host-name-indeed', { size: 11 }, 60);
    expect(cut.endsWith('...')).toBe(true);
    expect(textWidth(cut, { size: 11 })).toBeLessThanOrEqual(60);
  });

  for (const file of ['test/fixtures/two-spokes.yaml', 'test/fixtures/hub-spoke.yaml']) {
    it(`nests every box in its parent, with nothing overflowing: ${file}`, async () => {
      const d = diagramOf(file);
      const layout = await layoutDiagram(d);
      expect(layout.nodes.map((p) => p.node.id).sort()).toEqual(
        (function all(ns: Diagram['roots']): string[] {
          return ns.flatMap((n) => [n.id, ...all(n.children)]);
        })(d.roots).sort(),
      );
      checkGeometry(layout);
      // Every edge of the model is routed, and nothing else (grid helpers stay hidden).
      expect(layout.edges.map((e) => e.edge.id)).toEqual(d.edges.map((e) => e.id));
      for (const o of d.intents) for (const id of o.edges) expect(layout.edges.some((e) => e.edge.id === id), id).toBe(true);
    });
  }

  it('folds many sibling subnets into a grid rather than one column', async () => {
    const d = diagramOf('test/fixtures/two-spokes.yaml');
    const hub = d.roots.find((n) => n.id === 'vnet:hub')!;
    const subnets = Array.from({ length: 9 }, (_, i) => ({ ...hub.children[1], id: `subnet:hub/s${i}`, label: `s${i}`, children: [] }));
    const wide: Diagram = { ...d, roots: d.roots.map((n) => (n.id === 'vnet:hub' ? { ...n, children: [...n.children, ...subnets] } : n)), intents: [] };
    const layout = await layoutDiagram(wide);
    checkGeometry(layout);
    const xs = new Set(layout.nodes.filter((p) => p.node.id.startsWith('subnet:hub/s')).map((p) => Math.round(p.x)));
    expect(xs.size).toBeGreaterThan(1);
  });

  it('is deterministic', async () => {
    const a = await layoutDiagram(diagramOf('test/fixtures/two-spokes.yaml'));
    const b = await layoutDiagram(diagramOf('test/fixtures/two-spokes.yaml'));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
