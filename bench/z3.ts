/**
 * The SMT side of the benchmark: the independent encoding of test/oracle
 * (encode.ts) decided by z3 in a child process (test/oracle/z3-runner.mjs),
 * one request per claim. z3's WASM build aborts its whole process when it
 * runs out of heap, so it never runs in the benchmark's own process.
 */
import { existsSync } from 'node:fs';
import type { Network } from '../src/model/types.js';
import { packageFile } from '../src/util/package-root.js';
import type { Claim } from '../src/verify/check.js';
import type { IntentStatus } from '../src/verify/results.js';
import { encodeClaim } from '../test/oracle/encode.js';
import { Z3Child } from '../test/oracle/solver.js';

export interface SmtVerdict {
  readonly status: IntentStatus | 'skipped';
  readonly reason?: string;
  /** z3 solving time as the child measured it. */
  readonly solveMs: number;
}

export function z3Available(): boolean {
  return existsSync(packageFile('test', 'oracle', 'z3-runner.mjs')) && existsSync(packageFile('node_modules', 'z3-solver', 'package.json'));
}

export class SmtOracle {
  private readonly z3 = new Z3Child();

  /** The claim's verdict by z3: deny passes iff no query packet reaches; allow passes iff none is missed; unknown when undecided packets decide it. */
  async decide(net: Network, claim: Claim, timeoutMs = 5_000): Promise<SmtVerdict> {
    const encoding = encodeClaim(net, claim);
    if (!encoding.ok) return { status: 'skipped', reason: encoding.skip, solveMs: 0 };
    const { enc } = encoding;
    const f = enc.f;
    const target = claim.kind === 'deny' ? enc.reach : f.and(f.not(enc.reach), f.not(enc.unknown));
    const answer = await this.z3.solve(
      f.nodes,
      [
        { name: 'target', assert: [enc.query, target] },
        { name: 'unknown', assert: claim.kind === 'deny' ? [enc.query, enc.unknown] : [enc.query, f.not(enc.reach), enc.unknown] },
      ],
      { timeoutMs, watchdogMs: timeoutMs * 3 },
    );
    if (!answer.ok) return answer.why === 'timeout' ? { status: 'skipped', reason: 'z3 did not answer in time', solveMs: timeoutMs * 3 } : { status: 'skipped', reason: answer.detail, solveMs: 0 };
    const byName = new Map(answer.results.map((r) => [r.name, r]));
    const solveMs = answer.results.reduce((a, r) => a + r.ms, 0);
    const t = byName.get('target')!.status;
    const u = byName.get('unknown')!.status;
    if (t === 'unknown' || u === 'unknown') return { status: 'skipped', reason: 'z3 gave up (timeout)', solveMs };
    return { status: t === 'sat' ? 'fail' : u === 'sat' ? 'unknown' : 'pass', solveMs };
  }

  /** Asks the z3 child to release its threads and exit. */
  close(): Promise<void> {
    return this.z3.close();
  }
}
