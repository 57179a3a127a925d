/**
 * Exit 3: topo's own failures. They cannot be provoked through a scenario
 * (that would be a bug to fix), so the verifier is replaced here by one that
 * fails on demand.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { EngineDisagreement } from '../../src/verify/check.js';
import { fakeIo, HUB_SPOKE } from './verify-helpers.js';

const failure = vi.hoisted(() => ({ error: undefined as Error | undefined }));

vi.mock('../../src/verify/verify.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/verify/verify.js')>();
  return {
    ...real,
    verifyNetwork: (...args: Parameters<typeof real.verifyNetwork>) => {
      if (failure.error) throw failure.error;
      return real.verifyNetwork(...args);
    },
  };
});

afterEach(() => {
  failure.error = undefined;
});

async function topo(...args: string[]) {
  const f = fakeIo();
  const exit = await main(['verify', ...args], f.io);
  return { exit, stdout: f.stdout(), stderr: f.stderr() };
}

describe('topo verify internal errors', () => {
  it('3 when the two engines disagree, saying it is a bug, and writes no report', async () => {
    failure.error = new EngineDisagreement("intent 'x': the symbolic verifier says A, but the packet simulator says B");
    const r = await topo(HUB_SPOKE, '--format', 'sarif');
    expect(r.exit).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('topo: internal error: the packet simulator and the symbolic verifier disagree.');
    expect(r.stderr).toContain('This is a bug in topo');
  });

  it('3 for any other unexpected error', async () => {
    failure.error = new TypeError('cannot read properties of undefined');
    const r = await topo(HUB_SPOKE);
    expect(r.exit).toBe(3);
    expect(r.stderr).toContain('topo: internal error: cannot read properties of undefined');
  });

  it('0 again once the verifier works (the stand-in is transparent)', async () => {
    expect((await topo(HUB_SPOKE)).exit).toBe(0);
  });
});
