/**
 * Verification shared with a worker thread gives the results of the main
 * thread alone, in the same order. The worker runs compiled code, so this
 * runs the built package (dist/) in a child process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateHubSpoke } from '../generate/hub-spoke.js';
import { packageRoot } from '../util/package-root.js';

const dist = join(packageRoot(), 'dist/src/verify');

describe.skipIf(!existsSync(join(dist, 'verify-worker.js')))('verification with a worker thread', () => {
  it('gives the results of one thread, claim by claim', () => {
    const gen = generateHubSpoke({ spokes: 20, subnets: 5, rules: 12, firewallRules: 30, flows: 20, seed: 3 });
    const dir = mkdtempSync(join(tmpdir(), 'topo-pool-'));
    try {
      const file = join(dir, 'd.yaml');
      writeFileSync(file, gen.text);
      const mod = (f: string) => JSON.stringify(`file://${join(packageRoot(), 'dist/src', f)}`);
      const script = `
        const { loadScenario } = await import(${mod('scenario/load.js')});
        const { compile } = await import(${mod('model/compile.js')});
        const { buildGraph } = await import(${mod('verify/graph.js')});
        const { verifyNetwork } = await import(${mod('verify/verify.js')});
        const { startVerifyPool } = await import(${mod('verify/pool.js')});
        const file = ${JSON.stringify(file)};
        const only = ${JSON.stringify(gen.exfiltrationIntents)};
        const pool = startVerifyPool(file);
        const ready = await pool.ready();
        const l = loadScenario(file);
        const run = (options) => { const net = compile(l.scenario, l.catalog).network; return verifyNetwork(net, [], options, buildGraph(net)).intents; };
        const alone = run({ only });
        const shared = [run({ only, pool }), run({ only, pool })];
        await pool.close();
        process.stdout.write(JSON.stringify({ ready, alone, shared }));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 28 });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { ready: boolean; alone: { status: string }[]; shared: unknown[][] };
      expect(out.ready).toBe(true);
      expect(out.alone.length).toBe(gen.exfiltrationIntents.length);
      expect(out.alone.some((x) => x.status === 'fail')).toBe(true);
      for (const s of out.shared) expect(s).toEqual(out.alone);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
