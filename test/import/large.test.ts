/**
 * A 100 MB Resource Graph export imports within bounded memory. Opt-in
 * (TOPO_IMPORT_BENCH=1): it writes ~100 MB to a temporary directory and
 * runs the built command (dist/) in a child process, so that time and peak
 * RSS are those of `topo import` alone. TOPO_IMPORT_BENCH_MB sets the size.
 * The figures are printed; the assertions are generous ceilings.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';
import { writeBigExport } from './helpers/big-export.js';

const enabled = process.env.TOPO_IMPORT_BENCH === '1';
const MB = Number(process.env.TOPO_IMPORT_BENCH_MB ?? 100);

/** Runs `topo import` in a fresh node and reports wall time and peak RSS. */
function measure(file: string, out: string, nodeArgs: string[] = []): { ms: number; maxRssMb: number; code: number; stderr: string } {
  const bin = join(packageRoot(), 'dist/src/cli/main.js');
  const script = `
    const { main } = await import(${JSON.stringify(`file://${bin}`)});
    const { processIo } = await import(${JSON.stringify(`file://${join(packageRoot(), 'dist/src/cli/io.js')}`)});
    const t0 = performance.now();
    const code = await main(${JSON.stringify(['import', file, '-o', out])}, processIo());
    const ms = performance.now() - t0;
    process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, code }));
  `;
  const r = spawnSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const figures = JSON.parse(r.stdout) as { ms: number; maxRssMb: number; code: number };
  return { ...figures, stderr: r.stderr };
}

/** For comparison: reading the whole file with JSON.parse (undefined when it runs out of heap). */
function wholeFileParse(file: string, nodeArgs: string[] = []): { ms: number; maxRssMb: number } | undefined {
  const script = `const t0 = performance.now(); const v = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8')); process.stdout.write(JSON.stringify({ ms: performance.now() - t0, maxRssMb: process.resourceUsage().maxRSS / 1024, n: v.data.length }));`;
  const r = spawnSync(process.execPath, [...nodeArgs, '-e', script], { encoding: 'utf8' });
  return r.status === 0 ? (JSON.parse(r.stdout) as { ms: number; maxRssMb: number }) : undefined;
}

/** The heap the import is held to: well under the file's size. */
const HEAP_MB = 128;

describe.skipIf(!enabled)(`topo import: a ${MB} MB Resource Graph export (TOPO_IMPORT_BENCH=1)`, () => {
  it('imports item by item, in bounded memory', () => {
    if (!existsSync(join(packageRoot(), 'dist/src/import/import.js'))) spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: packageRoot(), stdio: 'inherit' });
    const dir = mkdtempSync(join(tmpdir(), 'topo-import-bench-'));
    try {
      const file = join(dir, 'export.json');
      const t0 = performance.now();
      const gen = writeBigExport(file, MB * 1024 * 1024);
      const genMs = performance.now() - t0;
      const size = statSync(file).size / 1024 / 1024;
      const run = measure(file, join(dir, 'network.yaml'));
      const yamlMb = statSync(join(dir, 'network.yaml')).size / 1024 / 1024;
      const capped = measure(file, join(dir, 'capped.yaml'), [`--max-old-space-size=${HEAP_MB}`]);
      const baseline = wholeFileParse(file)!;
      const baselineCapped = wholeFileParse(file, [`--max-old-space-size=${HEAP_MB}`]);
      console.log(
        [
          `generated ${size.toFixed(1)} MB (${gen.rows} rows, ${gen.groups} landing zones) in ${(genMs / 1000).toFixed(1)} s`,
          `topo import: ${(run.ms / 1000).toFixed(1)} s (${(size / (run.ms / 1000)).toFixed(1)} MB/s), peak RSS ${run.maxRssMb.toFixed(0)} MB, wrote ${yamlMb.toFixed(1)} MB of YAML`,
          `with the JavaScript heap held to ${HEAP_MB} MB: ${(capped.ms / 1000).toFixed(1)} s, peak RSS ${capped.maxRssMb.toFixed(0)} MB (exit ${capped.code})`,
          `for comparison, JSON.parse of the whole file alone: ${(baseline.ms / 1000).toFixed(1)} s, peak RSS ${baseline.maxRssMb.toFixed(0)} MB; with the ${HEAP_MB} MB heap: ${baselineCapped ? 'fits' : 'out of memory'}`,
        ].join('\n'),
      );
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      // Bounded: the import fits a heap smaller than the file (a whole-file parse does not).
      expect(capped.code, capped.stderr.slice(-2000)).toBe(0);
      expect(run.maxRssMb).toBeLessThan(Math.max(400, size * 3));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
