/**
 * `topo watch FILE`: verifies, then re-verifies on every save and prints only
 * what changed since the previous version (incrementally where the edit
 * allows). Runs until interrupted; exit 0.
 */
import { watch, type FSWatcher } from 'node:fs';
import { resolve } from 'node:path';
import { analyze, deriveAnalysis, type Analysis } from '../diff/analysis.js';
import { diffAnalyses } from '../diff/engine.js';
import { warmingSteps } from '../diff/warm.js';
import { loadScenario } from '../scenario/load.js';
import { paletteFor } from '../report/color.js';
import { formatDiagnostic } from '../report/diagnostics-text.js';
import { formatDiffText } from '../report/diff-text.js';
import { formatVerifyText } from '../report/verify-text.js';
import { collectYoungGeneration } from '../util/idle-collect.js';
import { verifyNetwork } from '../verify/verify.js';
import { EXIT, sourceReader, type CliIo } from './io.js';

export interface WatchOptions {
  readonly serviceTags?: string;
  /** Stops watching (tests, signals). */
  readonly signal?: AbortSignal;
  /** Called after each analysed version (tests). */
  readonly onCycle?: (cycle: number) => void;
  readonly debounceMs?: number;
}

export async function runWatch(file: string, opts: WatchOptions, io: CliIo): Promise<number> {
  const out = paletteFor(io.stdout, io.env);
  const source = sourceReader(io.cwd);
  let current: Analysis | undefined;
  let cycle = 0;
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let warming = 0;

  // What an edit's first arrivals would compile is worked out while the user edits, a few ms at a time so that a
  // save is answered at once; a newer full analysis takes over.
  const warmWhileIdle = (a: Analysis) => {
    const generation = ++warming;
    const steps = warmingSteps(a);
    const slice = () => {
      if (stopped || generation !== warming) return;
      const until = performance.now() + 10;
      while (performance.now() < until) if (steps.next().done) return;
      setImmediate(slice);
    };
    setImmediate(slice);
  };

  const load = () => {
    const loaded = loadScenario(file, { cwd: io.cwd, serviceTagsFile: opts.serviceTags });
    return { loaded, files: loaded.scenario?.files ?? [file] };
  };
  const rewatch = (files: readonly string[]) => {
    for (const w of watchers) w.close();
    // Editors often replace files on save; watching the path again each cycle keeps up with that.
    watchers = files.map((f) => watch(resolve(io.cwd, f), () => schedule()));
  };
  const run = () => {
    cycle += 1;
    const { loaded, files } = load();
    if (!loaded.scenario) {
      io.stdout.write(`\n[${cycle}] ${file} has errors; keeping the last good version\n`);
      for (const d of loaded.diagnostics.filter((x) => x.severity === 'error')) io.stdout.write(`${formatDiagnostic(d, source, out)}\n`);
    } else if (!current) {
      current = analyze(loaded.scenario, loaded.catalog!);
      const results = verifyNetwork(current.net, current.diagnostics, {}, current.graph);
      io.stdout.write(`${formatVerifyText(current.net, results, out)}\n`);
      io.stdout.write(`\nwatching ${files.join(', ')} (Ctrl-C to stop)\n`);
      warmWhileIdle(current);
    } else {
      // Loading the saved file leaves the young generation partly full; emptied now, a collection seldom lands
      // inside the what-if, where it would copy the edit's working set only for it to die a moment later.
      collectYoungGeneration();
      const started = performance.now();
      const derived = deriveAnalysis(current, loaded.scenario, loaded.catalog!);
      const result = diffAnalyses(current, derived.analysis, derived.changes);
      const ms = performance.now() - started;
      io.stdout.write(`\n[${cycle}] ${derived.incremental ? 'incremental' : 'full'} what-if in ${ms.toFixed(1)} ms\n`);
      io.stdout.write(`${formatDiffText(result, { base: 'previous', head: 'saved' }, out)}\n`);
      current = derived.analysis;
      if (!derived.incremental) warmWhileIdle(current);
    }
    rewatch(files);
    opts.onCycle?.(cycle);
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, opts.debounceMs ?? 150);
  };

  run();
  await new Promise<void>((resolveDone) => {
    const stop = () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
      resolveDone();
    };
    if (opts.signal?.aborted) stop();
    opts.signal?.addEventListener('abort', stop, { once: true });
    if (!opts.signal) process.once('SIGINT', stop);
  });
  return EXIT.ok;
}
