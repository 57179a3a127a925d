/**
 * `topo verify` as a command: exit codes, --fail-on, several outputs in one
 * run, --intent. Through main(), so commander's wiring and the mapping of
 * usage errors to exit 2 are part of what is tested.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runVerify } from '../../src/cli/verify.js';
import { packageVersion } from '../../src/util/package-root.js';
import { lintRules } from '../../src/lint/registry.js';
import { childrenNamed, fakeIo, FIXED, HUB_SPOKE, parseXml, TWO_SPOKES, UNDECIDED, validateSarif, WARNINGS_ONLY } from './verify-helpers.js';

const out = mkdtempSync(join(tmpdir(), 'topo-verify-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
let n = 0;
/** A fresh output path per use, so tests never read each other's files. */
const fresh = (ext: string) => join(out, `out-${++n}.${ext}`);

async function topo(...args: string[]): Promise<{ exit: number; stdout: string; stderr: string }> {
  const f = fakeIo();
  const exit = await main(['verify', ...args], f.io);
  return { exit, stdout: f.stdout(), stderr: f.stderr() };
}

describe('topo verify exit codes', () => {
  it('0 when every intent holds', async () => {
    expect((await topo(HUB_SPOKE)).exit).toBe(0);
  });

  it('1 when an intent fails', async () => {
    const r = await topo(TWO_SPOKES);
    expect(r.exit).toBe(1);
    expect(r.stdout).toContain('3 intents: 1 passed, 2 failed, 0 unknown');
  });

  it('2 for a missing file, with the diagnostic on stderr and nothing on stdout', async () => {
    const r = await topo('test/fixtures/no-such-file.yaml');
    expect(r).toMatchObject({ exit: 2, stdout: '' });
    expect(r.stderr).toContain('TOPO001');
  });

  it('2 for invalid files, reporting the errors of every one of them before stopping', async () => {
    const r = await topo('test/fixtures/no-such-file.yaml', 'test/fixtures/validate/many-errors.yaml');
    expect(r.exit).toBe(2);
    expect(r.stderr).toContain('TOPO001');
    expect(r.stderr).toContain('test/fixtures/validate/many-errors.yaml:');
  });

  it('2 for an --intent that no file has', async () => {
    const r = await topo(TWO_SPOKES, '--intent', 'no-such-intent');
    expect(r).toMatchObject({ exit: 2, stdout: '' });
    expect(r.stderr).toBe('topo: --intent no-such-intent: test/fixtures/two-spokes.yaml has no intent of that name\n');
    const several = await topo(TWO_SPOKES, HUB_SPOKE, '--intent', 'no-such-intent');
    expect(several).toEqual({ exit: 2, stdout: '', stderr: 'topo: --intent no-such-intent: none of the files has an intent of that name\n' });
  });

  it.each([
    [['--format', 'xml'], '--format xml: the formats are text, json, sarif, junit (optionally =FILE)'],
    [['--format', 'sarif='], "--format sarif=: name a file after '=' (or '-' for standard output)"],
    [['--format', 'json', '--format', 'sarif'], 'several --format without =FILE would all go to standard output; give each but one a file'],
    [['--format', 'json=same.out', '--format', 'sarif=same.out'], '--format json and --format sarif both write same.out; give each its own file'],
    [['--format', 'json=a.out', '-o', 'b.out'], '--output names a file, but every --format already has one'],
    [['--fail-on', 'never'], "--fail-on must be error, unknown or warning, not 'never'"],
  ])('2 for bad usage: %j', async (args, message) => {
    const r = await topo(HUB_SPOKE, ...args);
    expect(r).toEqual({ exit: 2, stdout: '', stderr: `topo: ${message}\n` });
  });

  it('2 when an output file cannot be written', async () => {
    const dir = join(out, 'a-directory');
    mkdirSync(dir);
    const r = await topo(HUB_SPOKE, '--format', `sarif=${dir}`);
    expect(r.exit).toBe(2);
    expect(r.stderr).toMatch(/^topo: cannot write .*a-directory: EISDIR/);
  });
});

describe('topo verify --fail-on', () => {
  it('ignores unknown intents by default, fails on them with unknown or warning', async () => {
    expect((await topo(UNDECIDED)).exit).toBe(0);
    expect((await topo(UNDECIDED, '--fail-on', 'error')).exit).toBe(0);
    expect((await topo(UNDECIDED, '--fail-on', 'unknown')).exit).toBe(1);
    expect((await topo(UNDECIDED, '--fail-on', 'warning')).exit).toBe(1);
  });

  it('fails on warnings only with warning', async () => {
    expect((await topo(WARNINGS_ONLY)).exit).toBe(0);
    expect((await topo(WARNINGS_ONLY, '--fail-on', 'unknown')).exit).toBe(0);
    expect((await topo(WARNINGS_ONLY, '--fail-on', 'warning')).exit).toBe(1);
  });

  it('passes a clean design at every level', async () => {
    for (const level of ['error', 'unknown', 'warning']) expect((await topo(HUB_SPOKE, '--fail-on', level)).exit).toBe(0);
  });

  it('prints the warnings on stderr with the default text output too', async () => {
    const r = await topo(WARNINGS_ONLY);
    expect(r.stderr).toContain('warning TOPO');
    expect(r.stdout).not.toContain('warning TOPO');
  });
});

describe('topo verify with several outputs', () => {
  it('writes text to stdout and SARIF, JUnit and JSON files in one run', async () => {
    const [sarif, junit, json] = [fresh('sarif'), fresh('xml'), fresh('json')];
    const r = await topo(TWO_SPOKES, '--format', `sarif=${sarif}`, '--format', `junit=${junit}`, '--format', 'text', '--format', `json=${json}`);
    expect(r.exit).toBe(1);
    expect(r.stdout).toMatch(/^topo verify: two-spokes-through-firewall/);
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(validateSarif(log)).toEqual([]);
    expect(log.runs[0].invocations[0].exitCode).toBe(1);
    expect(log.runs[0].tool.driver.semanticVersion).toBe(packageVersion());
    // Three intents and one test per lint; the lints find warnings only, which fail nothing by default.
    expect(parseXml(readFileSync(junit, 'utf8')).attrs).toMatchObject({ tests: String(3 + lintRules().length), failures: '2' });
    expect(JSON.parse(readFileSync(json, 'utf8')).summary).toMatchObject({ intents: 3, passed: 1, failed: 2, unknown: 0 });
  });

  it('sends the first format without a file to -o, and the rest to stdout', async () => {
    const sarif = fresh('sarif');
    const r = await topo(TWO_SPOKES, '--format', 'sarif', '-o', sarif);
    expect(r.stdout).toBe('');
    expect(validateSarif(JSON.parse(readFileSync(sarif, 'utf8')))).toEqual([]);
    const text = fresh('txt');
    const both = await topo(TWO_SPOKES, '-o', text, '--format', 'text', '--format', 'json=-');
    expect(JSON.parse(both.stdout).scenario).toBe('two-spokes-through-firewall');
    expect(readFileSync(text, 'utf8')).toMatch(/^topo verify: two-spokes-through-firewall/);
  });

  it('colours only the text on a terminal, never a file', async () => {
    const f = fakeIo();
    const io = { ...f.io, stdout: { ...f.io.stdout, isTTY: true }, env: {} };
    const sarif = fresh('sarif');
    await runVerify([TWO_SPOKES], { format: ['text', `sarif=${sarif}`] }, io, FIXED);
    expect(f.stdout()).toContain('\u001b[');
    expect(readFileSync(sarif, 'utf8')).not.toContain('\u001b[');
  });

  it('holds several scenario files in one document per format', async () => {
    const [sarif, junit, json] = [fresh('sarif'), fresh('xml'), fresh('json')];
    const r = await topo(TWO_SPOKES, HUB_SPOKE, '--format', 'text', '--format', `sarif=${sarif}`, '--format', `junit=${junit}`, '--format', `json=${json}`);
    expect(r.exit).toBe(1);
    expect(r.stdout).toContain('topo verify: two-spokes-through-firewall');
    expect(r.stdout).toContain('topo verify: hub-spoke-basic');
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs).toHaveLength(1);
    expect(childrenNamed(parseXml(readFileSync(junit, 'utf8')), 'testsuite').map((s) => s.attrs.name)).toEqual([TWO_SPOKES, HUB_SPOKE]);
    expect((JSON.parse(readFileSync(json, 'utf8')) as { scenario: string }[]).map((d) => d.scenario)).toEqual(['two-spokes-through-firewall', 'hub-spoke-basic']);
  });
});

describe('topo verify --intent', () => {
  it('checks only the named intent, and the exit code follows it', async () => {
    const junit = fresh('xml');
    const r = await topo(TWO_SPOKES, '--intent', 'db-no-exfiltration', '--format', 'text', '--format', `junit=${junit}`);
    expect(r.exit).toBe(0);
    expect(r.stdout).toContain('1 intent: 1 passed, 0 failed, 0 unknown');
    expect(childrenNamed(childrenNamed(parseXml(readFileSync(junit, 'utf8')), 'testsuite')[0], 'testcase').map((c) => c.attrs.name)).toEqual(['db-no-exfiltration']);
  });

  it('is repeatable', async () => {
    const r = await topo(TWO_SPOKES, '--intent', 'db-no-exfiltration', '--intent', 'app-reaches-db', '--format', 'json');
    expect(r.exit).toBe(1);
    expect((JSON.parse(r.stdout) as { intents: { name: string }[] }).intents.map((i) => i.name)).toEqual(['app-reaches-db', 'db-no-exfiltration']);
  });

  it('accepts a name that only some of the files have', async () => {
    const r = await topo(TWO_SPOKES, HUB_SPOKE, '--intent', 'compute-reaches-storage', '--format', 'json');
    expect(r.exit).toBe(0);
    expect((JSON.parse(r.stdout) as { summary: { intents: number } }[]).map((d) => d.summary.intents)).toEqual([0, 1]);
  });
});
