/**
 * `topo diagram`: the static SVG compared exactly with the files in this
 * directory, and the command's exit codes. After an intended change of the
 * picture, regenerate with
 *   UPDATE_GOLDEN=1 npx vitest run test/golden/diagram
 * and look at the new SVG before committing it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from 'linkedom';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { packageRoot, packageVersion } from '../../../src/util/package-root.js';

const root = packageRoot();
const update = process.env.UPDATE_GOLDEN === '1';
const out = mkdtempSync(join(tmpdir(), 'topo-diagram-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function fakeIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  const o: string[] = [];
  const e: string[] = [];
  return {
    io: { stdout: { write: (t) => void o.push(t), isTTY: false }, stderr: { write: (t) => void e.push(t), isTTY: false }, cwd: root, env: { NO_COLOR: '1' } },
    stdout: () => o.join(''),
    stderr: () => e.join(''),
  };
}

async function topo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const f = fakeIo();
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

/** The class attribute of the element drawing `id`. */
function classOf(svg: string, id: string): string | undefined {
  const doc = new DOMParser().parseFromString(svg.replace(/^<\?xml[^>]*>\n/, ''), 'image/svg+xml');
  for (const el of doc.querySelectorAll('[data-id]')) if (el.getAttribute('data-id') === id) return el.getAttribute('class') ?? undefined;
  return undefined;
}

/** The version is the one thing allowed to change without a new golden file. */
function stable(svg: string): string {
  return svg.split(`topo ${packageVersion()}`).join('topo VERSION');
}

function golden(name: string, actual: string): void {
  const path = join(root, 'test', 'golden', 'diagram', name);
  if (update) {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${path}; create it with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('topo diagram golden SVG', () => {
  it('two-spokes.yaml: the failing intents drawn (exit 0)', async () => {
    const file = join(out, 'two-spokes.svg');
    const r = await topo('diagram', 'test/fixtures/two-spokes.yaml', '-o', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`topo diagram: wrote ${file} (svg, 3 intents, 2 failing)\n`);
    const svg = readFileSync(file, 'utf8');
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('source: test/fixtures/two-spokes.yaml');
    expect(svg).toContain(`topo ${packageVersion()}`);
    // Witness edges are marked (and nothing refers outside the file).
    expect(classOf(svg, 'path:nic:host:app1~firewall:fw')).toBe('edge path ov-witness');
    expect(classOf(svg, 'path:firewall:fw~internet')).toBe('edge path ov-witness');
    expect(classOf(svg, 'peering:hub~spoke2')).toBe('edge peering ov-block ov-witness');
    expect(classOf(svg, 'internet')).toBe('node internet ov-target ov-witness');
    expect(classOf(svg, 'nic:host:db1')).toBe('node host ov-target');
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    golden('two-spokes.svg', stable(svg));
  });

  it('hub-spoke.yaml --intent compute-reaches-storage --theme dark: the allowed path', async () => {
    const file = join(out, 'hub-spoke.svg');
    const r = await topo('diagram', 'test/fixtures/hub-spoke.yaml', '-o', file, '--intent', 'compute-reaches-storage', '--theme', 'dark');
    expect(r.code).toBe(0);
    const svg = readFileSync(file, 'utf8');
    expect(classOf(svg, 'path:nic:host:dsvm-1~nic:pe:securestore-blob')).toBe('edge path ov-allowed');
    golden('hub-spoke-dark.svg', stable(svg));
  });

  it('is byte-identical across runs', async () => {
    const a = join(out, 'a.svg');
    const b = join(out, 'b.svg');
    await topo('diagram', 'test/fixtures/two-spokes.yaml', '-o', a);
    await topo('diagram', 'test/fixtures/two-spokes.yaml', '-o', b);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
  });
});

describe('topo diagram exit codes', () => {
  it('writes a single self-contained HTML file (exit 0)', async () => {
    const file = join(out, 'two-spokes.html');
    const r = await topo('diagram', 'test/fixtures/two-spokes.yaml', '-o', file);
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/);
    const data = JSON.parse(/<script type="application\/json" id="topo-data">([^<]*)<\/script>/.exec(html)![1]) as { intents: { name: string; hops: { loc?: string }[] }[] };
    expect(data.intents.map((i) => i.name)).toEqual(['app-no-exfiltration', 'app-reaches-db', 'db-no-exfiltration']);
    expect(data.intents[0].hops[0].loc).toBe('test/fixtures/two-spokes.yaml:26');
  });

  it('2 for an output that is neither .html nor .svg', async () => {
    const r = await topo('diagram', 'test/fixtures/two-spokes.yaml', '-o', join(out, 'x.png'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.html (interactive) or .svg (static)');
  });

  it('2 for an unknown intent, theme or missing -o', async () => {
    expect((await topo('diagram', 'test/fixtures/two-spokes.yaml', '-o', join(out, 'x.svg'), '--intent', 'nope')).code).toBe(2);
    expect((await topo('diagram', 'test/fixtures/two-spokes.yaml', '-o', join(out, 'x.svg'), '--theme', 'pink')).code).toBe(2);
    expect((await topo('diagram', 'test/fixtures/two-spokes.yaml')).code).toBe(2);
  });

  it('2 for a scenario that does not load', async () => {
    const r = await topo('diagram', 'test/fixtures/missing.yaml', '-o', join(out, 'x.svg'));
    expect(r.code).toBe(2);
    expect(existsSync(join(out, 'x.svg'))).toBe(false);
  });
});
