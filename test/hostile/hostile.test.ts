/**
 * Hostile input through the real CLI: every case must end in exit code 2
 * with a file:line:col diagnostic, in about a second and bounded memory;
 * never a stack trace, never exit 3 (internal error). Each case runs
 * `topo validate` in its own process, built from the current sources, with a
 * preload that reports the process's peak RSS and CPU time.
 *
 * The measured table goes to test-artifacts/hostile/results.md on every run;
 * UPDATE_HOSTILE_README=1 also rewrites the table in test/hostile/README.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const BUILD = join(ROOT, 'test-artifacts/hostile-dist');
const BIN = join(BUILD, 'src/cli/bin.js');
// One directory per run: the suite may run twice at once in one working tree.
const INPUTS = join(ROOT, `test-artifacts/hostile-inputs-${process.pid}`);
const RESULTS = join(ROOT, 'test-artifacts/hostile/results.md');
const README = join(HERE, 'README.md');

const MAX_SECONDS = 2;
const MAX_RSS_MB = 300;

type Input = string | Buffer | 'directory' | 'missing';

interface Case {
  readonly name: string;
  readonly file: string;
  readonly make: () => Input;
  readonly code: string;
  /** line:col of the first diagnostic, when it is known exactly. */
  readonly at?: string;
}

const junkLine = 'ab: : ]] [[ {{ \n';

function billionLaughs(): string {
  const names = 'abcdefghij';
  let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < names.length; i++) text += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]\n`;
  return text;
}

function cidrs(n: number): string {
  return Array.from({ length: n }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/24`).join(', ');
}

function flatMap(entries: number): string {
  const parts: string[] = ['name: flat\n'];
  for (let i = 0; i < entries; i++) parts.push(`k${i}: value-${i}\n`);
  return parts.join('');
}

const CASES: readonly Case[] = [
  { name: 'empty file', file: 'empty.yaml', make: () => '', code: 'TOPO003', at: '1:1' },
  { name: 'binary data', file: 'binary.yaml', make: () => Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i * 7919 + 13) % 256)), code: 'TOPO004' },
  { name: 'a directory', file: 'a-directory.yaml', make: () => 'directory', code: 'TOPO002', at: '1:1' },
  { name: 'a missing file', file: 'missing.yaml', make: () => 'missing', code: 'TOPO001', at: '1:1' },
  { name: 'not UTF-8 (Latin-1)', file: 'latin1.yaml', make: () => Buffer.from('name: caf\u00e9\n', 'latin1'), code: 'TOPO005', at: '1:10' },
  { name: 'UTF-16 LE with BOM', file: 'utf16le.yaml', make: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: x\n', 'utf16le')]), code: 'TOPO005', at: '1:1' },
  { name: 'UTF-16 BE with BOM', file: 'utf16be.yaml', make: () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('name: x\n', 'utf16le').swap16()]), code: 'TOPO005', at: '1:1' },
  { name: 'UTF-16 LE without BOM', file: 'utf16-nobom.yaml', make: () => Buffer.from('name: x\n', 'utf16le'), code: 'TOPO004', at: '1:2' },
  { name: '8 MB of syntax junk', file: 'junk.yaml', make: () => junkLine.repeat(500_000), code: 'TOPO010', at: '1:5' },
  { name: '3 MB of junk after a tag', file: 'junk-after-tag.yaml', make: () => `name: !tag x\n${junkLine.repeat(190_000)}`, code: 'TOPO010', at: '2:5' },
  { name: '3 MB of junk after an explicit key', file: 'junk-after-explicit-key.yaml', make: () => `? name\n: x\n${junkLine.repeat(190_000)}`, code: 'TOPO010', at: '1:1' },
  { name: '20 MB single scalar', file: 'huge-scalar.yaml', make: () => 'x'.repeat(20_000_000), code: 'TOPO015', at: '1:1' },
  { name: '20 MB quoted string', file: 'huge-string.yaml', make: () => `name: big\nnote: "${'n'.repeat(20_000_000)}"\n`, code: 'TOPO100', at: '2:1' },
  { name: '6 MB single line (500k items)', file: 'long-line.yaml', make: () => `name: long\nregion: [${Array.from({ length: 500_000 }, (_, i) => `asg-${i}`).join(', ')}]\n`, code: 'TOPO102', at: '2:9' },
  { name: '4 MB flat map, broken last line', file: 'flat-map-broken.yaml', make: () => `${flatMap(200_000)}last: [\n`, code: 'TOPO010', at: '200003:1' },
  { name: '4 MB flat map of 200k unknown keys', file: 'flat-map-unknown.yaml', make: () => flatMap(200_000), code: 'TOPO100', at: '2:1' },
  { name: '0.8 MB flat map of IP groups, no name', file: 'flat-ip-groups.yaml', make: () => `ipGroups:\n${Array.from({ length: 30_000 }, (_, i) => `  g${i}: [10.${(i >> 8) & 255}.${i & 255}.0/24]\n`).join('')}`, code: 'TOPO101', at: '1:1' },
  { name: '5 MB of comments only', file: 'comments.yaml', make: () => '# just a comment line\n'.repeat(230_000), code: 'TOPO003', at: '1:1' },
  { name: 'alias bomb (billion laughs)', file: 'billion-laughs.yaml', make: billionLaughs, code: 'TOPO012', at: '6:8' },
  { name: 'alias fan-out under the node budget', file: 'alias-fanout.yaml', make: () => `ipGroups:\n  g0: &a [${cidrs(10_000)}]\n${Array.from({ length: 399 }, (_, i) => `  g${i + 1}: *a\n`).join('')}`, code: 'TOPO012', at: '12:8' },
  { name: 'flow nesting 100k deep', file: 'deep-flow.yaml', make: () => `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, code: 'TOPO013', at: '1:66' },
  { name: 'flow maps 100k deep', file: 'deep-flow-map.yaml', make: () => `${'{a: '.repeat(100_000)}${'}'.repeat(100_000)}\n`, code: 'TOPO013', at: '1:261' },
  { name: 'block list 50k deep', file: 'deep-block-seq.yaml', make: () => `${'- '.repeat(50_000)}x\n`, code: 'TOPO013', at: '1:131' },
  { name: 'block maps 1000 deep', file: 'deep-block-map.yaml', make: () => Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:\n`).join(''), code: 'TOPO013', at: '66:66' },
];

interface Run {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rssMb: number;
}

function validate(file: string): Run {
  const usageFile = join(INPUTS, `${file}.usage.json`);
  rmSync(usageFile, { force: true });
  const started = performance.now();
  const child = spawnSync(process.execPath, [...binFlags(), '--import', pathToFileURL(join(HERE, 'measure-usage.mjs')).href, BIN, 'validate', file], {
    cwd: INPUTS,
    env: { ...process.env, TOPO_HOSTILE_USAGE: usageFile, NO_COLOR: '1', TOPO_DEBUG: '' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30_000,
  });
  const wallMs = performance.now() - started;
  const usage = existsSync(usageFile) ? (JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKiB: number; cpuMs: number }) : { maxRssKiB: NaN, cpuMs: NaN };
  return { status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr, wallMs, cpuMs: usage.cpuMs, rssMb: usage.maxRssKiB / 1024 };
}

/** The Node flags of the executable's `#!/usr/bin/env -S node ...` line: each case runs as `topo` runs. */
function binFlags(): string[] {
  const first = readFileSync(BIN, 'utf8').split('\n', 1)[0];
  const m = /^#!\/usr\/bin\/env (?:-S )?node(.*)$/.exec(first);
  if (!m) throw new Error(`unexpected first line of ${BIN}: ${first}`);
  return m[1].trim().split(/\s+/).filter(Boolean);
}

/** Builds the CLI into a private directory unless that build is newer than every source. */
function buildCli(): void {
  const newest = (dir: string): number => {
    let latest = 0;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) latest = Math.max(latest, newest(path));
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) latest = Math.max(latest, stat.mtimeMs);
    }
    return latest;
  };
  const sources = Math.max(newest(join(ROOT, 'src')), statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs, statSync(join(ROOT, 'package.json')).mtimeMs);
  if (existsSync(BIN) && statSync(BIN).mtimeMs > sources) return;
  // Type errors elsewhere in a work in progress do not stop tsc from emitting; only a missing CLI does.
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', BUILD], { cwd: ROOT, encoding: 'utf8' });
  if (!existsSync(BIN)) throw new Error(`building the CLI into ${relative(ROOT, BUILD)} failed`);
}

const rows: string[] = [];

beforeAll(() => {
  buildCli();
  rmSync(INPUTS, { recursive: true, force: true });
  mkdirSync(INPUTS, { recursive: true });
  for (const c of CASES) {
    const input = c.make();
    if (input === 'directory') mkdirSync(join(INPUTS, c.file));
    else if (input !== 'missing') writeFileSync(join(INPUTS, c.file), input);
  }
});

afterAll(() => {
  // About 75 MB of generated input; the table below is what is kept.
  rmSync(INPUTS, { recursive: true, force: true });
  const table = ['| input | size | wall time | CPU time | peak RSS | exit | message |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${table}\n`);
  if (process.env.UPDATE_HOSTILE_README) {
    const readme = readFileSync(README, 'utf8');
    writeFileSync(README, readme.replace(/<!-- table -->[\s\S]*<!-- \/table -->/, `<!-- table -->\n${table}\n<!-- /table -->`));
  }
});

function sizeOf(file: string): string {
  const path = join(INPUTS, file);
  if (!existsSync(path)) return '-';
  const stat = statSync(path);
  if (stat.isDirectory()) return 'dir';
  const bytes = stat.size;
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(0)} kB` : `${bytes} B`;
}

describe('topo validate on hostile input', () => {
  it.each(CASES)('$name: exit 2 with $code, fast and small', (c) => {
    const run = validate(c.file);
    const first = run.stderr.split('\n')[0] ?? '';
    rows.push(`| ${c.name} | ${sizeOf(c.file)} | ${(run.wallMs / 1000).toFixed(2)} s | ${(run.cpuMs / 1000).toFixed(2)} s | ${run.rssMb.toFixed(0)} MB | ${run.status ?? run.signal} | \`${first.replace(/\|/g, '\\|').slice(0, 200)}\` |`);
    expect(run.signal).toBeNull();
    expect(run.status).toBe(2);
    const match = /^(\S+):(\d+):(\d+): error (TOPO\d{3}): /.exec(first);
    expect(match, first).not.toBeNull();
    expect(match?.[1]).toBe(c.file);
    expect(match?.[4]).toBe(c.code);
    if (c.at) expect(`${match?.[2]}:${match?.[3]}`).toBe(c.at);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at \S+ \(|TOPO_DEBUG/);
    expect(run.stdout).toMatch(new RegExp(`^${c.file.replace('.', '\\.')}: invalid`, 'm'));
    // CPU time, so that other test files running beside this one do not make it flaky; wall time is in the table.
    expect(run.cpuMs).toBeLessThan(MAX_SECONDS * 1000);
    expect(run.rssMb).toBeLessThan(MAX_RSS_MB);
  });
});
