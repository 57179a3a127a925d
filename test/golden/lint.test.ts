/**
 * `topo lint`: usage and exit codes, then the reports in every format,
 * compared exactly with test/golden/lint/ (regenerate with UPDATE_GOLDEN=1
 * and review the diff like code).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runLint } from '../../src/cli/lint.js';
import { lintRules } from '../../src/lint/registry.js';
import { childrenNamed, fakeIo, FIXED, githubProblems, HUB_SPOKE, parseXml, root, validateSarif } from './verify-helpers.js';

const POSTURE = 'test/fixtures/lint-posture.yaml';
const update = process.env.UPDATE_GOLDEN === '1';
const out = mkdtempSync(join(tmpdir(), 'topo-lint-golden-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function golden(name: string, actual: string): void {
  const path = join(root, 'test', 'golden', 'lint', name);
  if (update) {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${path}; create it with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

async function topo(...args: string[]) {
  const f = fakeIo();
  const exit = await main(['lint', ...args], f.io);
  return { exit, stdout: f.stdout(), stderr: f.stderr() };
}

describe('topo lint usage', () => {
  it('exits 2 without a file, with an unknown lint, or an unknown threshold', async () => {
    expect((await topo()).exit).toBe(2);
    const unknown = await topo(POSTURE, '--rule', 'no-such-lint');
    expect(unknown.exit).toBe(2);
    expect(unknown.stderr).toContain('--rule no-such-lint: no such lint');
    expect((await topo(POSTURE, '--fail-on', 'fatal')).stderr).toContain('--fail-on must be error, warning, note, never');
    expect((await topo('--explain', 'TOPO-L999')).exit).toBe(2);
  });

  it('exits 2 with file:line:col on bad input, and writes no report', async () => {
    const r = await topo('test/fixtures/validate/many-errors.yaml');
    expect(r.exit).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/many-errors\.yaml:\d+:\d+: error TOPO\d+/);
  });

  it('--list prints every lint; --explain prints one with its facts and sources', async () => {
    const list = await topo('--list');
    expect(list.exit).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(lintRules().length);
    expect(list.stdout).toMatch(/^TOPO-L004 +error +management-port-from-internet +SSH \(22\)/m);
    const explain = await topo('--explain', 'nsg-rule-shadowed');
    expect(explain.stdout).toContain('TOPO-L009 nsg-rule-shadowed (warning)');
    expect(explain.stdout).toContain('Azure facts: F1.2.2, F1.6.1');
  });

  it('fails at --fail-on: errors by default, warnings and notes on request, never with never', async () => {
    expect((await topo(HUB_SPOKE)).exit).toBe(0);
    expect((await topo(POSTURE)).exit).toBe(1);
    expect((await topo(POSTURE, '--fail-on', 'never')).exit).toBe(0);
    expect((await topo(POSTURE, '--rule', 'TOPO-L009')).exit).toBe(0);
    expect((await topo(POSTURE, '--rule', 'TOPO-L009', '--fail-on', 'warning')).exit).toBe(1);
    expect((await topo(POSTURE, '--rule', 'TOPO-L010', '--rule', 'TOPO-L013', '--fail-on', 'warning')).exit).toBe(1);
  });

  it('--rule runs only the named lints', async () => {
    const r = await topo(POSTURE, '--rule', 'compute-public-ip', '--format', 'json');
    const doc = JSON.parse(r.stdout) as { lints: string[]; findings: { rule: string }[] };
    expect(doc.lints).toEqual(['TOPO-L003']);
    expect(doc.findings.map((f) => f.rule)).toEqual(['TOPO-L003']);
  });
});

describe('topo verify runs the lints too', () => {
  it('reports findings with the intents, fails on an error finding, and skips them with --no-lint', async () => {
    const f = fakeIo();
    expect(await main(['verify', POSTURE, '--format', 'json'], f.io)).toBe(1);
    const doc = JSON.parse(f.stdout()) as { summary: { intents: number; findings: { errors: number } }; findings: unknown[] };
    expect(doc.summary.intents).toBe(0);
    expect(doc.summary.findings.errors).toBe(3);
    const quiet = fakeIo();
    expect(await main(['verify', POSTURE, '--no-lint', '--format', 'json'], quiet.io)).toBe(0);
    expect((JSON.parse(quiet.stdout()) as { findings: unknown[] }).findings).toEqual([]);
  });
});

describe(`topo lint ${POSTURE}, all formats in one run`, () => {
  let all: { exit: number; text: string; json: string; sarif: string; junit: string };
  beforeAll(async () => {
    const f = fakeIo();
    const path = (ext: string) => join(out, `posture.${ext}`);
    const exit = await runLint([POSTURE], { format: ['text', `json=${path('json')}`, `sarif=${path('sarif')}`, `junit=${path('xml')}`] }, f.io, FIXED);
    all = {
      exit,
      text: `$ topo lint ${POSTURE}\nexit ${exit}\n--- stdout\n${f.stdout()}--- stderr\n${f.stderr()}`,
      json: readFileSync(path('json'), 'utf8'),
      sarif: readFileSync(path('sarif'), 'utf8'),
      junit: readFileSync(path('xml'), 'utf8'),
    };
  });

  it('exits 1 (it has error findings)', () => expect(all.exit).toBe(1));
  it('text', () => golden('posture.text', all.text));
  it('json', () => golden('posture.json', all.json));

  it('sarif: valid, GitHub-ready, no intent rules, the accepted finding carried as a suppression', () => {
    const log = JSON.parse(all.sarif);
    expect(validateSarif(log)).toEqual([]);
    expect(githubProblems(log)).toEqual([]);
    const run = log.runs[0];
    expect(run.tool.driver.rules.every((r: { id: string }) => !r.id.startsWith('TOPO-I'))).toBe(true);
    const suppressed = run.results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].suppressions[0]).toMatchObject({ kind: 'inSource', status: 'accepted' });
    golden('posture.sarif', all.sarif);
  });

  it('junit: one test per lint, failing where an error was found', () => {
    const suite = childrenNamed(parseXml(all.junit), 'testsuite')[0];
    const cases = childrenNamed(suite, 'testcase');
    expect(cases).toHaveLength(lintRules().length);
    expect(cases.filter((c) => childrenNamed(c, 'failure').length > 0).map((c) => c.attrs.name)).toEqual(['lint/management-port-from-internet', 'lint/bastion-subnet-rules']);
    golden('posture.junit', all.junit);
  });
});
