/**
 * The benchmark harness on a tiny tier, in process: its JSON line carries
 * every figure, planted bugs are all found, and the clean twin is clean.
 * The real tiers run with `npm run bench`, never in the test suite.
 */
import { describe, expect, it } from 'vitest';
import { runBench, table, TINY } from './harness.js';

const KEYS = ['tier', 'loadMs', 'compileMs', 'verifyMs', 'verifyOverLoad', 'intentsPerSecond', 'whatifP95Ms', 'whatifOverFull', 'z3Speedup', 'peakRssMb', 'plantedFound', 'plantedTotal', 'falsePositives'];

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
    expect(table(figures)).toContain('planted bugs');
  }, 120_000);
});
