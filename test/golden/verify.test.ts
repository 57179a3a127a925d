/**
 * `topo verify` output in every format, compared exactly with the files in
 * test/golden/verify/<scenario>.<format>. Each scenario is verified once with
 * all four formats (text to standard output, the others to files), the way CI
 * runs it. After an intended change of output, regenerate them with
 *   UPDATE_GOLDEN=1 npx vitest run test/golden
 * and review the diff like code.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerify } from '../../src/cli/verify.js';
import { fakeIo, FIXED, githubProblems, HUB_SPOKE, root, TWO_SPOKES, UNDECIDED, validateSarif } from './verify-helpers.js';

const update = process.env.UPDATE_GOLDEN === '1';
const out = mkdtempSync(join(tmpdir(), 'topo-verify-golden-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function golden(name: string, actual: string): void {
  const path = join(root, 'test', 'golden', 'verify', name);
  if (update) {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${path}; create it with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

interface AllFormats {
  readonly exit: number;
  readonly text: string;
  readonly json: string;
  readonly sarif: string;
  readonly junit: string;
}

async function verifyAll(file: string): Promise<AllFormats> {
  const name = basename(file, '.yaml');
  const f = fakeIo();
  const path = (ext: string) => join(out, `${name}.${ext}`);
  const exit = await runVerify([file], { format: ['text', `json=${path('json')}`, `sarif=${path('sarif')}`, `junit=${path('xml')}`] }, f.io, FIXED);
  return {
    exit,
    text: `$ topo verify ${file}\nexit ${exit}\n--- stdout\n${f.stdout()}--- stderr\n${f.stderr()}`,
    json: readFileSync(path('json'), 'utf8'),
    sarif: readFileSync(path('sarif'), 'utf8'),
    junit: readFileSync(path('xml'), 'utf8'),
  };
}

describe.each([
  { file: TWO_SPOKES, exit: 1 },
  { file: HUB_SPOKE, exit: 0 },
  { file: UNDECIDED, exit: 0 },
])('topo verify $file, all formats in one run', ({ file, exit }) => {
  const name = basename(file, '.yaml');
  let all: AllFormats;
  beforeAll(async () => {
    all = await verifyAll(file);
  });

  it(`exits ${exit}`, () => expect(all.exit).toBe(exit));

  it('text', () => golden(`${name}.text`, all.text));

  it('json', () => {
    expect(() => JSON.parse(all.json)).not.toThrow();
    golden(`${name}.json`, all.json);
  });

  it('sarif (valid against the SARIF 2.1.0 schema and GitHub rules)', () => {
    const log = JSON.parse(all.sarif);
    expect(validateSarif(log)).toEqual([]);
    expect(githubProblems(log)).toEqual([]);
    expect(log.runs[0].invocations[0].exitCode).toBe(exit);
    golden(`${name}.sarif`, all.sarif);
  });

  it('junit', () => {
    expect(all.junit.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    golden(`${name}.junit`, all.junit);
  });

  it('holds no absolute path, time or colour', () => {
    for (const text of [all.text, all.json, all.sarif, all.junit]) {
      expect(text).not.toContain(root);
      expect(text).not.toContain(tmpdir());
      expect(text).not.toContain('\u001b[');
      expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    }
  });
});
