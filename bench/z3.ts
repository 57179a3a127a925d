/**
 * The SMT side of the benchmark: the independent encoding of test/oracle
 * (encode.ts) decided by z3 in a child process (test/oracle/z3-runner.mjs),
 * one request per claim. z3's WASM build aborts its whole process when it
 * runs out of heap, so it never runs in the benchmark's own process.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Network } from '../src/model/types.js';
import { packageFile } from '../src/util/package-root.js';
import type { Claim } from '../src/verify/check.js';
import type { IntentStatus } from '../src/verify/results.js';
import { encodeClaim } from '../test/oracle/encode.js';

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
  private child?: ChildProcessWithoutNullStreams;
  private waiting?: (line: string) => void;
  private ready?: Promise<void>;
  private next = 0;

  private start(): Promise<void> {
    const child = spawn(process.execPath, [packageFile('test', 'oracle', 'z3-runner.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const lines = createInterface({ input: child.stdout });
    this.ready = new Promise((resolve, reject) => {
      let first = true;
      lines.on('line', (line) => {
        if (first) {
          first = false;
          resolve();
          return;
        }
        const w = this.waiting;
        this.waiting = undefined;
        w?.(line);
      });
      child.on('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        if (first) reject(new Error(`z3 child exited before it was ready (${code ?? signal}): ${stderr}`));
        const w = this.waiting;
        this.waiting = undefined;
        w?.(JSON.stringify({ crashed: `${code ?? signal}`, stderr }));
      });
    });
    return this.ready;
  }

  /** The claim's verdict by z3: deny passes iff no query packet reaches; allow passes iff none is missed; unknown when undecided packets decide it. */
  async decide(net: Network, claim: Claim, timeoutMs = 5_000): Promise<SmtVerdict> {
    const encoding = encodeClaim(net, claim);
    if (!encoding.ok) return { status: 'skipped', reason: encoding.skip, solveMs: 0 };
    const { enc } = encoding;
    const f = enc.f;
    const target = claim.kind === 'deny' ? enc.reach : f.and(f.not(enc.reach), f.not(enc.unknown));
    if (!this.child) await this.start();
    else await this.ready;
    const child = this.child!;
    const id = this.next++;
    const line = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        resolve(undefined);
      }, timeoutMs * 3);
      this.waiting = (l) => {
        clearTimeout(timer);
        resolve(l);
      };
      child.stdin.write(
        `${JSON.stringify({
          id,
          nodes: f.nodes,
          checks: [
            { name: 'target', assert: [enc.query, target] },
            { name: 'unknown', assert: claim.kind === 'deny' ? [enc.query, enc.unknown] : [enc.query, f.not(enc.reach), enc.unknown] },
          ],
          timeoutMs,
        })}\n`,
      );
    });
    if (line === undefined) {
      this.kill();
      return { status: 'skipped', reason: 'z3 did not answer in time', solveMs: timeoutMs * 3 };
    }
    const msg = JSON.parse(line) as { results?: { name: string; status: string; ms: number }[]; error?: string; crashed?: string };
    if (!msg.results) return { status: 'skipped', reason: msg.error ?? `z3 child died (${msg.crashed})`, solveMs: 0 };
    const byName = new Map(msg.results.map((r) => [r.name, r]));
    const solveMs = msg.results.reduce((a, r) => a + r.ms, 0);
    const t = byName.get('target')!.status;
    const u = byName.get('unknown')!.status;
    if (t === 'unknown' || u === 'unknown') return { status: 'skipped', reason: 'z3 gave up (timeout)', solveMs };
    return { status: t === 'sat' ? 'fail' : u === 'sat' ? 'unknown' : 'pass', solveMs };
  }

  kill(): void {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) child.kill('SIGKILL');
  }

  /** Asks the child to release z3's threads and exit; kills it if it does not. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.stdin.write(`${JSON.stringify({ quit: true })}\n`);
    const timer = setTimeout(() => this.kill(), 5000);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }
}
