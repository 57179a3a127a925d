/**
 * The benchmark harness on a tiny tier, in process: its JSON line carries
 * every figure, planted bugs are all found, and the clean twin is clean.
 * The real tiers run with `npm run bench`, never in the test suite.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/util/package-root.js';
import { runBench, table, TINY } from './harness.js';

const KEYS = ['cliVerifyMs', 'cliPeakRssMb', 'tier', 'loadMs', 'compileMs', 'verifyMs', 'verifyOverLoad', 'intentsPerSecond', 'whatifP95Ms', 'whatifOverFull', 'whatifWarmMs', 'whatifCollectP50Ms', 'whatifCollectP95Ms', 'whatifDiffP95Ms', 'whatifDiffOverFull', 'z3Speedup', 'peakRssMb', 'plantedFound', 'plantedTotal', 'falsePositives'];

describe('npm run bench (tiny tier)', () => {
  it('measures every figure and finds every planted bug', async () => {
    const { figures, notes } = await runBench(TINY, { seed: 2, z3: false });
    const json = JSON.parse(JSON.stringify(figures)) as Record<string, unknown>;
    for (const k of KEYS) expect(json, k).toHaveProperty(k);
    expect(figures.tier).toBe('tiny');
    expect(figures.z3Speedup).toBeNull();
    expect(figures.plantedTotal).toBe(6);
    expect(figures.plantedFound, notes.join('\n')).toBe(6);
    expect(figures.falsePositives, notes.join('\n')).toBe(0);
    expect(figures.cleanChecked).toBe(true);
    expect(figures.simulatorAgreement).toBeGreaterThan(0);
    expect(figures.loadMs).toBeGreaterThan(0);
    // The watch series warms its analysis and collects the young generation before each edit, timed apart.
    expect(figures.whatifWarmMs).toBeGreaterThan(0);
    expect(figures.whatifCollectP50Ms).toBeGreaterThan(0);
    expect(table(figures)).toContain('planted bugs');
    // `topo verify` in a process of its own runs the built CLI (CI builds it on npm ci).
    if (existsSync(join(packageRoot(), 'dist/bench/verify-child.js'))) expect(figures.cliPeakRssMb).toBeGreaterThan(0);
    else expect(figures.cliVerifyMs).toBeNull();
  }, 120_000);
});
