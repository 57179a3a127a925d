/**
 * The HTML diagram in a real browser: headless Chromium (Debian's `chromium`
 * package, driven by playwright-core; no browser download) opens the page
 * from disk and checks what a reader sees: boxes inside their parents, every
 * subnet and host name visible, the witness drawn in red when its intent is
 * clicked, hover text with file:line, and no console errors. Screenshots go
 * to test-artifacts/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { compile } from '../src/model/compile.js';
import { loadScenario } from '../src/scenario/load.js';
import { packageRoot } from '../src/util/package-root.js';

/* The page's globals, for the functions evaluated in the browser (kept out of the project's lib: Node only). */
declare const document: any;
declare function getComputedStyle(element: unknown): any;
type Rect = { left: number; top: number; right: number; bottom: number; width: number; height: number };

const CHROMIUM = '/usr/bin/chromium';
/** The launch flags measured for a closed CI network (see the ecosystem notes, A3.4). */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const root = packageRoot();
const artifacts = join(root, 'test-artifacts');

const quietIo: CliIo = { stdout: { write: () => {} }, stderr: { write: (t) => void process.stderr.write(t) }, cwd: root, env: { NO_COLOR: '1' } };

async function writeHtml(fixture: string, name: string): Promise<string> {
  mkdirSync(artifacts, { recursive: true });
  const out = join(artifacts, `diagram-${name}.html`);
  const code = await main(['diagram', fixture, '-o', out], quietIo);
  expect(code).toBe(0);
  return out;
}

function namesOf(fixture: string): { subnets: { id: string; name: string }[]; hosts: { id: string; name: string }[] } {
  const loaded = loadScenario(fixture, { cwd: root });
  const { network } = compile(loaded.scenario!, loaded.catalog!);
  return {
    subnets: [...network.subnets.values()].map((s) => ({ id: `subnet:${s.id}`, name: s.name })),
    hosts: network.nics.filter((n) => n.kind === 'host').map((n) => ({ id: `nic:${n.id}`, name: n.name })),
  };
}

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser test needs Debian's chromium package (apt-get install -y chromium); .ci/run installs it in CI`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  readonly page: Page;
  readonly errors: string[];
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (globalThis as unknown as { __topo?: { ready?: boolean } }).__topo?.ready === true);
  return { page, errors };
}

/** Boxes outside their parent box, and labels outside their own box. */
async function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const boxOf = new Map<string, Rect>();
    const nodes: any[] = [...document.querySelectorAll('svg g.node[data-id]')];
    for (const g of nodes) boxOf.set(g.getAttribute('data-id'), g.querySelector(':scope > rect.box').getBoundingClientRect());
    const within = (a: Rect, b: Rect) => a.left >= b.left - 1 && a.top >= b.top - 1 && a.right <= b.right + 1 && a.bottom <= b.bottom + 1;
    for (const g of nodes) {
      const id: string = g.getAttribute('data-id');
      const box = boxOf.get(id)!;
      const parent = g.getAttribute('data-parent');
      if (parent && !within(box, boxOf.get(parent)!)) bad.push(`${id} overflows ${parent}`);
      for (const t of g.querySelectorAll(':scope > text, :scope > g.badge')) if (!within(t.getBoundingClientRect(), box)) bad.push(`'${t.textContent}' overflows ${id}`);
    }
    return bad;
  });
}

/** Names that are not drawn, or not visible on the fitted page. */
async function invisible(page: Page, wanted: readonly { id: string; name: string }[]): Promise<string[]> {
  return page.evaluate((items) => {
    const canvas = document.getElementById('topo-canvas')!.getBoundingClientRect();
    const bad: string[] = [];
    for (const { id, name } of items) {
      const g = ([...document.querySelectorAll('svg g.node[data-id]')] as any[]).find((x) => x.getAttribute('data-id') === id);
      const text = g && ([...g.querySelectorAll(':scope > text.name')] as any[]).find((t) => t.textContent === name);
      if (!text) {
        bad.push(`${id}: no label '${name}'`);
        continue;
      }
      const r = text.getBoundingClientRect();
      const style = getComputedStyle(text);
      const shown = style.display !== 'none' && style.visibility === 'visible' && Number(style.opacity) > 0 && parseFloat(style.fontSize) >= 9;
      const onScreen = r.width > 0 && r.height > 0 && r.left >= canvas.left && r.right <= canvas.right && r.top >= canvas.top && r.bottom <= canvas.bottom;
      if (!shown || !onScreen) bad.push(`${id}: '${name}' not visible`);
    }
    return bad;
  }, wanted);
}

async function strokes(page: Page, selector: string): Promise<{ id: string; stroke: string }[]> {
  return page.evaluate(
    (sel) =>
      ([...document.querySelectorAll(sel)] as any[]).map((g) => ({
        id: g.getAttribute('data-id') as string,
        stroke: getComputedStyle(g.querySelector(':scope > path.line, :scope > rect.box')).stroke as string,
      })),
    selector,
  );
}

describe('the HTML diagram in Chromium', () => {
  it('two-spokes.yaml: boxes nest, names show, the failing intent highlights its witness', async () => {
    const fixture = 'test/fixtures/two-spokes.yaml';
    const file = await writeHtml(fixture, 'two-spokes');
    const { page, errors } = await open(file);

    expect(await overflows(page)).toEqual([]);
    const { subnets, hosts } = namesOf(fixture);
    expect(subnets.length).toBe(4);
    expect(hosts.length).toBe(3);
    expect(await invisible(page, [...subnets, ...hosts])).toEqual([]);

    // Nothing highlighted until an intent is clicked.
    expect(await page.locator('svg .ov-witness').count()).toBe(0);
    await page.click('.intent[data-intent="app-no-exfiltration"]');
    const data = JSON.parse(readFileSync(file, 'utf8').match(/<script type="application\/json" id="topo-data">([^<]*)<\/script>/)![1]) as {
      intents: { name: string; nodes: string[]; edges: string[]; hops: unknown[] }[];
    };
    const witness = data.intents.find((i) => i.name === 'app-no-exfiltration')!;
    const edges = await strokes(page, 'svg g.edge.ov-witness');
    expect(edges.map((e) => e.id).sort()).toEqual([...witness.edges].sort());
    expect(edges.filter((e) => e.id.startsWith('path:')).length).toBeGreaterThanOrEqual(2);
    for (const e of edges) expect(e.stroke, e.id).toBe('rgb(209, 36, 47)');
    const nodes = await strokes(page, 'svg g.node.ov-witness');
    expect(nodes.map((n) => n.id).sort()).toEqual([...witness.nodes].sort());
    for (const n of nodes) expect(n.stroke, n.id).toBe('rgb(209, 36, 47)');
    // The panel lists the witness hop by hop, with rule names and file:line.
    const hops = page.locator('#topo-hops ol').first().locator(':scope > li');
    expect(await hops.count()).toBe(witness.hops.length);
    expect(await hops.nth(4).textContent()).toContain('policy/rcg/web/pypi');
    expect(await hops.nth(4).textContent()).toContain('test/fixtures/two-spokes.yaml:53');
    await page.screenshot({ path: join(artifacts, 'diagram-two-spokes.png') });

    // The failing allow: its blocking peering, in the blocking colour.
    await page.click('.intent[data-intent="app-reaches-db"]');
    expect(await page.locator('svg .ov-witness').count()).toBeGreaterThan(0);
    const blocked = await strokes(page, 'svg g.edge.ov-block');
    expect(blocked).toEqual([{ id: 'peering:hub~spoke2', stroke: 'rgb(188, 76, 0)' }]);
    expect(await page.locator('#topo-hops').textContent()).toContain('Blocked by');

    // Hover text names the rules with file:line.
    await page.hover('svg g.badge[data-id="subnet:spoke1/app#nsg"]');
    await expect.poll(() => page.locator('#topo-tip').textContent()).toContain('open-nsg/allow-10-in');
    expect(await page.locator('#topo-tip').textContent()).toContain('test/fixtures/two-spokes.yaml:27');

    // Zooming moves the view box.
    const before = await page.getAttribute('#topo-canvas > svg', 'viewBox');
    await page.mouse.move(500, 400);
    await page.mouse.wheel(0, -400);
    expect(await page.getAttribute('#topo-canvas > svg', 'viewBox')).not.toBe(before);

    expect(errors).toEqual([]);
    await page.close();
  });

  it('hub-spoke.yaml: the passing allow draws its path in green', async () => {
    const fixture = 'test/fixtures/hub-spoke.yaml';
    const file = await writeHtml(fixture, 'hub-spoke');
    const { page, errors } = await open(file);
    expect(await overflows(page)).toEqual([]);
    const { subnets, hosts } = namesOf(fixture);
    expect(await invisible(page, [...subnets, ...hosts])).toEqual([]);
    await page.click('.intent[data-intent="compute-reaches-storage"]');
    const edges = await strokes(page, 'svg g.edge.path.ov-allowed');
    expect(edges).toEqual([{ id: 'path:nic:host:dsvm-1~nic:pe:securestore-blob', stroke: 'rgb(26, 127, 55)' }]);
    await page.screenshot({ path: join(artifacts, 'diagram-hub-spoke.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
