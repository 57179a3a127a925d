/**
 * `topo validate` output compared exactly with the files in test/golden/validate/.
 * After an intended change of output, regenerate them with
 *   UPDATE_GOLDEN=1 npx vitest run test/golden
 * and review the diff like code.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runValidate } from '../../src/cli/validate.js';
import { packageRoot } from '../../src/util/package-root.js';

const root = packageRoot();
const update = process.env.UPDATE_GOLDEN === '1';

/** A terminal that is not a TTY and asks for no colour: what CI sees. */
function fakeIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (t) => void out.push(t), isTTY: false }, stderr: { write: (t) => void err.push(t), isTTY: false }, cwd: root, env: { NO_COLOR: '1' } },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

async function run(files: string[], format: 'text' | 'json'): Promise<string> {
  const f = fakeIo();
  const code = await runValidate(files, { format }, f.io);
  if (format === 'json') {
    expect(f.stderr()).toBe('');
    return f.stdout();
  }
  return `$ topo validate ${files.join(' ')}\nexit ${code}\n--- stdout\n${f.stdout()}--- stderr\n${f.stderr()}`;
}

function golden(name: string, actual: string): void {
  const path = join(root, 'test', 'golden', 'validate', name);
  if (update) {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${path}; create it with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

const VALID = 'test/fixtures/validate/valid-with-warnings.yaml';
const INVALID = 'test/fixtures/validate/many-errors.yaml';

describe('topo validate golden output', () => {
  it('valid file with warnings: text (exit 0)', async () => {
    const text = await run([VALID], 'text');
    expect(text).toContain('exit 0\n');
    golden('valid-with-warnings.txt', text);
  });

  it('valid file with warnings: JSON (exit 0)', async () => {
    const json = await run([VALID], 'json');
    expect(JSON.parse(json)).toMatchObject({ schemaVersion: 1, valid: true, summary: { errors: 0 } });
    golden('valid-with-warnings.json', json);
  });

  it('file with many errors: text (exit 2)', async () => {
    const text = await run([INVALID], 'text');
    expect(text).toContain('exit 2\n');
    golden('many-errors.txt', text);
  });

  it('file with many errors: JSON (exit 2)', async () => {
    const json = await run([INVALID], 'json');
    const parsed = JSON.parse(json) as { valid: boolean; diagnostics: { code: string }[] };
    expect(parsed.valid).toBe(false);
    // The fixture is meant to show many different errors; keep it that way.
    expect(new Set(parsed.diagnostics.map((d) => d.code)).size).toBeGreaterThanOrEqual(20);
    golden('many-errors.json', json);
  });

  it('both files at once: one summary line each, exit 2', async () => {
    const text = await run([VALID, INVALID], 'text');
    golden('both.txt', text);
  });

  it('prints no colour codes when NO_COLOR is set, even on a TTY', async () => {
    const f = fakeIo();
    const io = { ...f.io, stderr: { ...f.io.stderr, isTTY: true } };
    await runValidate([INVALID], { format: 'text' }, io);
    expect(f.stderr()).not.toContain('\u001b[');
  });
});
