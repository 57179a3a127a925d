import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { runDiff } from './diff.js';
import { runWatch } from './watch.js';
import { main } from './main.js';

function fakeIo(cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: { write: (t) => void out.push(t), isTTY: false }, stderr: { write: (t) => void err.push(t), isTTY: false }, cwd, env: { NO_COLOR: '1' } };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

const BASE = 'test/fixtures/diff/base.yaml';
const RULES = 'test/fixtures/diff/head-rules.yaml';
const GOLDEN = 'test/golden/diff';

function golden(name: string, actual: string) {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe('topo diff (CLI)', () => {
  it('rejects bad usage with exit 2 before doing any work', async () => {
    const bad = fakeIo();
    expect(await main(['diff', BASE, RULES, '--format', 'yaml'], bad.io)).toBe(2);
    expect(await main(['diff', BASE, RULES, BASE], fakeIo().io)).toBe(2);
    const missing = fakeIo();
    expect(await main(['diff', BASE, 'nope.yaml'], missing.io)).toBe(2);
    expect(missing.err()).toContain('TOPO001');
  });

  it('exits 0 when nothing changes and 1 when flows or intents change (git diff --exit-code style)', async () => {
    expect(await runDiff([BASE, BASE], { format: 'text' }, fakeIo().io)).toBe(0);
    expect(await runDiff([BASE, RULES], { format: 'text' }, fakeIo().io)).toBe(1);
  });

  it('with --fail-on intent-regression fails only when an intent gets worse', async () => {
    expect(await runDiff([BASE, RULES], { format: 'text', failOn: 'intent-regression' }, fakeIo().io)).toBe(0);
    expect(await runDiff([RULES, BASE], { format: 'text', failOn: 'intent-regression' }, fakeIo().io)).toBe(1);
  });

  for (const format of ['text', 'json', 'markdown'] as const) {
    it(`matches the golden ${format} report`, async () => {
      const f = fakeIo();
      await runDiff([BASE, RULES], { format }, f.io);
      golden(`rules.${format === 'markdown' ? 'md' : format === 'json' ? 'json' : 'txt'}`, f.out());
    });
  }

  it('compares a file with its version in git (--base REV, default HEAD), includes read at that revision too', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'topo-git-'));
    temps.push(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('config', 'user.email', 'ci@example.com');
    git('config', 'user.name', 'ci');
    copyFileSync(resolve(BASE), join(repo, 'net.yaml'));
    writeFileSync(join(repo, 'scenario.yaml'), 'name: with-include\ninclude: [net.yaml]\n');
    git('add', '.');
    git('commit', '-qm', 'base');
    // Only the included file changes in the working copy.
    copyFileSync(resolve(RULES), join(repo, 'net.yaml'));
    const f = fakeIo(repo);
    expect(await runDiff(['scenario.yaml'], { format: 'json' }, f.io)).toBe(1);
    const report = JSON.parse(f.out());
    expect(report.base).toBe('scenario.yaml@HEAD');
    expect(report.changedObjects.map((o: { name: string }) => o.name)).toEqual(['open-nsg', 'policy']);
    expect(report.summary.newlyBlocked).toBeGreaterThan(0);
    const same = fakeIo(repo);
    expect(await runDiff(['scenario.yaml'], { format: 'text', base: 'HEAD' }, same.io)).toBe(1);
    const badRev = fakeIo(repo);
    expect(await main(['diff', 'scenario.yaml', '--base', 'no-such-rev'], badRev.io)).toBe(2);
    expect(badRev.err()).toContain("'no-such-rev' is not a revision");
  });

  it('topo watch prints what each save changes, incrementally for rule edits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topo-watch-'));
    temps.push(dir);
    const file = join(dir, 'scenario.yaml');
    copyFileSync(resolve(BASE), file);
    const f = fakeIo(dir);
    const controller = new AbortController();
    let cycles = 0;
    const saved = new Promise<void>((done) => {
      const done2 = () => done();
      void runWatch('scenario.yaml', { signal: controller.signal, debounceMs: 20, onCycle: (n) => {
        cycles = n;
        if (n === 1) setTimeout(() => copyFileSync(resolve(RULES), file), 50);
        if (n === 2) done2();
      } }, f.io);
    });
    await saved;
    controller.abort();
    expect(cycles).toBe(2);
    const out = f.out();
    expect(out).toContain('3 intents: 1 passed, 2 failed');
    expect(out).toMatch(/\[2\] incremental what-if in [\d.]+ ms/);
    expect(out).toContain('open-nsg/deny-web-out (priority 200)');
    expect(out).toContain('app-no-exfiltration: fail -> pass');
  });
});
