/**
 * A worker thread that holds its own copy of a network (loaded and compiled
 * from the same files) and takes independent units of batched claims while
 * the calling thread takes others: verification stays synchronous for its
 * callers, and uses both cores. Units are handed out through a shared
 * counter, so whichever thread is free takes the next one; the worker only
 * answers the claims its merged propagation passes (a pass depends on the
 * packets alone), everything else is checked by the caller, so results do
 * not depend on which thread did what.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { LoadOptions } from '../scenario/load.js';
import type { IntentResult } from './results.js';

/** Shared counters of a job: the next unit to take, units the worker finished. */
const NEXT = 0;
const FINISHED = 1;
/** How long the caller waits for the worker's last units before checking them itself. */
const PATIENCE_MS = 2000;

export interface PoolJob {
  /** The next unit for the calling thread, undefined when none is left. */
  next(): number | undefined;
  /** Waits for the units the worker took; the results it passed, by `${unit}:${index in unit}`. */
  finish(): Map<string, IntentResult>;
  /** Whether the worker answered the unit (after finish); the caller checks every other unit's claims itself. */
  theirs(unit: number): boolean;
}

export interface VerifyPool {
  /** Resolves when the worker holds its network (true) or could not build it (false). */
  ready(): Promise<boolean>;
  start(units: number, only: readonly string[] | undefined): PoolJob;
  close(): Promise<void>;
}

export interface JobMessage {
  readonly ctrl: SharedArrayBuffer;
  readonly units: number;
  readonly only: readonly string[] | undefined;
  readonly port: MessagePort;
}

export interface UnitMessage {
  readonly unit: number;
  readonly passed: readonly (readonly [number, IntentResult])[];
}

/**
 * Starts a worker that loads `file` (with `options`) and builds its graph,
 * so that it is ready by the time verification begins. The worker is
 * unreferenced: it never keeps the process alive.
 */
export function startVerifyPool(file: string, options: Pick<LoadOptions, 'serviceTagsFile' | 'cwd'> = {}): VerifyPool {
  // The worker runs a file: a caller's --input-type (for its own -e script) would stop it from starting. Heap
  // sizes are not a worker's flags: its young generation is sized as the process's (bin.ts: 32 MB semi-spaces).
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type') && !/^--max-(semi|old)-space-size/.test(a));
  const worker = new Worker(new URL('./verify-worker.js', import.meta.url), { workerData: { file, options }, execArgv, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
  worker.unref();
  // A worker that cannot start or load only means the caller does all the work.
  const ready = new Promise<boolean>((resolve) => {
    worker.once('message', (m: unknown) => resolve(m === 'ready'));
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
  worker.on('error', () => {});
  return {
    ready: () => ready,
    start(units, only) {
      const ctrl = new Int32Array(new SharedArrayBuffer(8));
      const { port1, port2 } = new MessageChannel();
      const mine = new Set<number>();
      let done = new Set<number>();
      worker.postMessage({ ctrl: ctrl.buffer, units, only, port: port2 } satisfies JobMessage, [port2]);
      return {
        next() {
          const u = Atomics.add(ctrl, NEXT, 1);
          if (u >= units) return undefined;
          mine.add(u);
          return u;
        },
        finish() {
          // Every unit has been taken; wait for the one the worker may still hold, but never on a worker that
          // died or stalled: after a while its unreported units are left to the caller, which checks them itself.
          const reported = new Set<number>();
          const passed = new Map<string, IntentResult>();
          const drain = () => {
            for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
              const msg = m.message as UnitMessage;
              reported.add(msg.unit);
              for (const [k, r] of msg.passed) passed.set(`${msg.unit}:${k}`, r);
            }
          };
          const deadline = Date.now() + PATIENCE_MS;
          for (;;) {
            drain();
            const taken = Math.min(units, Atomics.load(ctrl, NEXT)) - mine.size;
            if (reported.size >= taken || Date.now() >= deadline) break;
            Atomics.wait(ctrl, FINISHED, Atomics.load(ctrl, FINISHED), 20);
          }
          port1.close();
          done = reported;
          return passed;
        },
        theirs: (u) => done.has(u),
      };
    },
    async close() {
      await worker.terminate();
    },
  };
}
