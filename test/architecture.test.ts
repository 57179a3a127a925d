/**
 * The layers of docs/architecture.md, enforced: an import may point only to
 * a lower layer or within its own folder. Tests may cross layers (a model
 * test can drive the CLI); production code may not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/util/package-root.js';

/** Folder -> layer. Equal layers do not import each other. */
const LAYER: Record<string, number> = {
  'src/util': 0,
  'src/net': 0,
  'src/headerspace': 1,
  'src/catalog': 1,
  'src/scenario': 2,
  'src/import': 3,
  'src/generate': 3,
  'src/model': 3,
  'src/sim': 4,
  'src/verify': 5,
  'src/lint': 6,
  'src/diff': 6,
  'src/diagram': 7,
  'src/report': 8,
  'viz': 8,
  'src/cli': 9,
};

const root = packageRoot();

function folderOf(file: string): string | undefined {
  const rel = relative(root, file).split(sep).join('/');
  return Object.keys(LAYER).find((f) => rel === f || rel.startsWith(`${f}/`));
}

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => m[1]);
}

describe('layering', () => {
  it('knows every source folder', () => {
    const folders = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `src/${e.name}`);
    expect(folders.filter((f) => !(f in LAYER))).toEqual([]);
  });

  it('imports point down the layers only (scenario -> model -> analyses -> reports -> cli)', () => {
    const violations: string[] = [];
    let crossing = 0;
    for (const file of [...sources('src'), ...sources('viz')]) {
      const from = folderOf(file)!;
      for (const spec of imports(file)) {
        const target = join(file, '..', spec);
        const to = folderOf(target);
        if (to === undefined || to === from) continue;
        crossing++;
        if (LAYER[to] >= LAYER[from]) violations.push(`${relative(root, file)} imports ${spec} (${from} may not use ${to})`);
      }
    }
    expect(crossing).toBeGreaterThan(200);
    expect(violations).toEqual([]);
  });
});
