/**
 * The README shows real output: its diagram is what `topo diagram` draws
 * today (UPDATE_GOLDEN=1 redraws it), and the commands it tells a newcomer
 * to run exist with the exit codes it promises.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { packageFile, packageRoot } from '../../src/util/package-root.js';
import { fakeIo } from '../golden/verify-helpers.js';

const readme = readFileSync(packageFile('README.md'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'topo-readme-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('README.md', () => {
  it('embeds the diagram topo draws of the broken secure research twin, with its exfiltration path', async () => {
    const image = 'docs/images/secure-research-broken.svg';
    expect(readme).toContain(`](${image})`);
    const out = join(tmp, 'diagram.svg');
    const f = fakeIo(packageRoot());
    expect(await main(['diagram', 'scenarios/secure-research-broken.yaml', '-o', out, '--intent', 'dsvm-no-internet'], f.io)).toBe(0);
    const drawn = readFileSync(out, 'utf8');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(packageFile(image), drawn);
    expect(readFileSync(packageFile(image), 'utf8')).toBe(drawn);
    expect(drawn).toContain('dsvm-no-internet');
  });

  it('gives the quick start as two commands and the test command CI runs', () => {
    expect(readme).toContain('npm ci && npx topo verify scenarios/secure-research.yaml');
    expect(readme).toContain('npm test');
    expect(readFileSync(packageFile('.ci/run'), 'utf8')).toContain('npm test');
  });

  it('builds an executable topo, so that npx runs it whatever npm links (npm ci builds it with `prepare`)', () => {
    const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.scripts.prepare).toBe('npm run build');
    const bin = packageFile(pkg.bin.topo);
    expect(pkg.scripts.build).toContain(`chmodSync('${pkg.bin.topo.replace(/^\.\//, '')}', 0o755)`);
    if (existsSync(bin)) expect(statSync(bin).mode & 0o111).toBe(0o111);
  });

  it('quotes the example scenario as it is shipped, and its verify and diff output as topo prints them', async () => {
    const example = readFileSync(packageFile('docs/examples/one-spoke.yaml'), 'utf8');
    expect(readme).toContain('```yaml\n' + example + '```');
    const verify = fakeIo(packageRoot());
    expect(await main(['verify', 'docs/examples/one-spoke.yaml'], verify.io)).toBe(0);
    expect(readme).toContain('$ npx topo verify docs/examples/one-spoke.yaml\n' + verify.stdout());
    const diff = fakeIo(packageRoot());
    expect(await main(['diff', 'docs/examples/one-spoke.yaml', 'docs/examples/one-spoke-datasets.yaml'], diff.io)).toBe(1);
    expect(readme).toContain('$ npx topo diff docs/examples/one-spoke.yaml docs/examples/one-spoke-datasets.yaml\n' + diff.stdout());
  });

  it('quotes the witness of the broken secure research twin as topo prints it', async () => {
    const f = fakeIo(packageRoot());
    expect(await main(['verify', 'scenarios/secure-research-broken.yaml'], f.io)).toBe(1);
    const failure = f.stdout().split('\n\n').find((block) => block.startsWith('FAIL dsvm-no-internet'))!;
    expect(readme).toContain(failure);
  });

  it('quotes the verdict summaries of the shipped scenarios as topo prints them', async () => {
    for (const [file, exit] of [
      ['scenarios/secure-research.yaml', 0],
      ['scenarios/secure-research-broken.yaml', 1],
    ] as const) {
      const f = fakeIo(packageRoot());
      expect(await main(['verify', file], f.io)).toBe(exit);
      const summary = f.stdout().trim().split('\n').at(-1)!;
      expect(readme).toContain(summary);
    }
  });

  it('states the verdicts of every shipped scenario pair in its table as topo reaches them', async () => {
    const rows = [...readme.matchAll(/^\| `([a-z-]+)` \(.*\) \| (\d+)\/(\d+) pass \| (\d+) fail \|$/gm)];
    expect(rows.map((r) => r[1])).toEqual(['secure-research', 'aml-customer-vnet', 'aml-managed-vnet', 'regulated-platform']);
    for (const [, name, passed, total, failed] of rows) {
      const clean = fakeIo(packageRoot());
      expect(await main(['verify', `scenarios/${name}.yaml`, '--format', 'json'], clean.io)).toBe(0);
      expect(JSON.parse(clean.stdout()).summary).toMatchObject({ intents: Number(total), passed: Number(passed), failed: 0, unknown: 0 });
      const broken = fakeIo(packageRoot());
      expect(await main(['verify', `scenarios/${name}-broken.yaml`, '--format', 'json'], broken.io)).toBe(1);
      expect(JSON.parse(broken.stdout()).summary).toMatchObject({ failed: Number(failed), unknown: 0 });
    }
  });
});
