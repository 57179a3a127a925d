/**
 * The test process's handle on the z3 child process (z3-runner.mjs): one
 * request at a time, a watchdog per request, and a fresh child after a
 * timeout or a crash (an out-of-memory abort kills the child, never the tests).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { packageFile } from '../../src/util/package-root.js';
import type { Node, NodeId } from './formula.js';

// From the sources, not from a build: the runner is plain JavaScript and is not compiled.
const RUNNER = packageFile('test', 'oracle', 'z3-runner.mjs');

export interface Check {
  readonly name: string;
  readonly assert: readonly NodeId[];
}

export interface CheckResult {
  readonly name: string;
  readonly status: 'sat' | 'unsat' | 'unknown';
  readonly model?: Record<'proto' | 'srcIp' | 'srcPort' | 'dstIp' | 'dstPort' | 'dstName', number>;
  readonly ms: number;
}

export type Answer = { readonly ok: true; readonly results: readonly CheckResult[] } | { readonly ok: false; readonly why: 'timeout' | 'crash' | 'error'; readonly detail: string };

export class Z3Child {
  private child?: ChildProcessWithoutNullStreams;
  private waiting?: (line: string) => void;
  private ready?: Promise<void>;
  private next = 0;
  private stderr = '';

  private start(): Promise<void> {
    const child = spawn(process.execPath, [RUNNER], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.stderr = '';
    child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    // A child that died mid-request makes the next write fail with EPIPE; its exit already answers the request as a crash.
    child.stdin.on('error', () => {});
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
        if (first) reject(new Error(`z3 child exited before it was ready (${code ?? signal}): ${this.stderr}`));
        const w = this.waiting;
        this.waiting = undefined;
        w?.(JSON.stringify({ crashed: `${code ?? signal}`, stderr: this.stderr }));
      });
    });
    return this.ready;
  }

  async solve(nodes: readonly Node[], checks: readonly Check[], opts: { timeoutMs: number; watchdogMs: number }): Promise<Answer> {
    if (!this.child) await this.start();
    else await this.ready;
    const child = this.child!;
    const id = this.next++;
    const line = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        resolve(undefined);
      }, opts.watchdogMs);
      this.waiting = (l) => {
        clearTimeout(timer);
        resolve(l);
      };
      child.stdin.write(`${JSON.stringify({ id, nodes, checks, timeoutMs: opts.timeoutMs })}\n`);
    });
    if (line === undefined) {
      this.kill();
      return { ok: false, why: 'timeout', detail: `no answer within ${opts.watchdogMs} ms` };
    }
    const msg = JSON.parse(line) as { id?: number; results?: CheckResult[]; error?: string; crashed?: string; stderr?: string };
    if (msg.crashed !== undefined) return { ok: false, why: 'crash', detail: `z3 child died (${msg.crashed}): ${msg.stderr ?? ''}`.slice(0, 2000) };
    if (msg.error !== undefined) return { ok: false, why: 'error', detail: msg.error };
    return { ok: true, results: msg.results! };
  }

  /** Ends the child this handle started (and only it). */
  kill(): void {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) child.kill('SIGKILL');
  }

  /** Asks the child to call killThreads and exit; kills it if it does not. */
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
