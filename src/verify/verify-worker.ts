/**
 * The worker of pool.ts: loads and compiles the network once, then, for each
 * job, takes units of batched claims from the shared counter until none is
 * left and sends back the results of the claims it passes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compile } from '../model/compile.js';
import { loadScenario, type LoadOptions } from '../scenario/load.js';
import { buildGraph } from './graph.js';
import type { JobMessage, UnitMessage } from './pool.js';
import type { IntentResult } from './results.js';
import { planVerification } from './verify.js';

const { file, options } = workerData as { file: string; options: LoadOptions };
const loaded = loadScenario(file, options);
const net = loaded.scenario && loaded.catalog ? compile(loaded.scenario, loaded.catalog).network : undefined;
const graph = net ? buildGraph(net) : undefined;

parentPort!.postMessage(net ? 'ready' : 'failed');

parentPort!.on('message', (job: JobMessage) => {
  const ctrl = new Int32Array(job.ctrl);
  try {
    if (!net || !graph) return;
    const plan = planVerification(net, graph, job.only);
    // Planned from the same files as the caller's, the units must be the same: if not, take none.
    if (plan.units.length !== job.units) return;
    for (let u = Atomics.add(ctrl, 0, 1); u < job.units; u = Atomics.add(ctrl, 0, 1)) {
      const passed: (readonly [number, IntentResult])[] = [];
      try {
        plan.units[u].forEach((c, k) => {
          const r = plan.quick(c);
          if (r) passed.push([k, r]);
        });
        job.port.postMessage({ unit: u, passed } satisfies UnitMessage);
      } catch {
        // The caller checks every claim of the unit it was not sent.
        job.port.postMessage({ unit: u, passed: [] } satisfies UnitMessage);
      } finally {
        Atomics.add(ctrl, 1, 1);
        Atomics.notify(ctrl, 1);
      }
    }
  } finally {
    job.port.close();
  }
});
