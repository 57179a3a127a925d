/**
 * The benchmark: generated hub-and-spoke designs (family AZ-HS) measured
 * side by side in one process, because shared machines are noisy: ratios
 * and medians, not single times. For one tier it measures load+validate,
 * compile, the exfiltration verdict of every subnet, the required-flow
 * intents, single NSG-rule what-ifs and peak memory; against the same work
 * it runs the packet simulator by sampling (the naive baseline) and, on
 * tier S, the independent z3 encoding; and it checks that every planted
 * misconfiguration is reported with a correct witness while the clean twin
 * reports none.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze as analyzeVersion, deriveAnalysis } from '../src/diff/analysis.js';
import { diffAnalyses } from '../src/diff/engine.js';
import { warmForWhatIfs } from '../src/diff/warm.js';
import { generateHubSpoke, syntheticServiceTags, type GeneratedScenario, type HubSpokeOptions } from '../src/generate/hub-spoke.js';
import type { Box } from '../src/headerspace/box.js';
import type { Packet } from '../src/headerspace/packet.js';
import { runLints, activeFindings } from '../src/lint/run.js';
import { compile } from '../src/model/compile.js';
import { destinationOf, sourcesOf } from '../src/model/endpoints.js';
import type { Network } from '../src/model/types.js';
import type { Diagnostic } from '../src/scenario/diagnostics.js';
import { loadScenario, type Loaded } from '../src/scenario/load.js';
import type { Nsg, Scenario } from '../src/scenario/types.js';
import { simulate } from '../src/sim/simulate.js';
import { checkClaim, claimQuery, type Claim } from '../src/verify/check.js';
import { buildGraph, type ReachGraph } from '../src/verify/graph.js';
import type { IntentResult } from '../src/verify/results.js';
import { startVerifyPool, type VerifyPool } from '../src/verify/pool.js';
import { claimsOf, verifyNetwork } from '../src/verify/verify.js';
import { prng } from '../src/generate/hub-spoke.js';
import { SmtOracle, z3Available } from './z3.js';
import { packageRoot } from '../src/util/package-root.js';
import { collectYoungGeneration } from '../src/util/idle-collect.js';

export type TierName = 'S' | 'M' | 'L';

export interface TierConfig {
  readonly name: string;
  readonly design: Omit<HubSpokeOptions, 'seed' | 'clean' | 'serviceTags'>;
  /** Times load, compile and verification are repeated (medians are reported). */
  readonly repeats: number;
  /** What-if edits measured. */
  readonly whatIfs: number;
  /** Packets the simulator baseline samples per intent. */
  readonly samples: number;
  /** Cross-check with z3 (small designs only). */
  readonly z3: boolean;
  /** Required flows given to z3 besides every exfiltration intent (default 40). */
  readonly z3Flows?: number;
}

export const TIERS: Record<TierName, TierConfig> = {
  S: { name: 'S', design: { spokes: 10, subnets: 4, rules: 20, firewallRules: 50 }, repeats: 3, whatIfs: 20, samples: 32, z3: true },
  M: { name: 'M', design: { spokes: 100, subnets: 10, rules: 50, firewallRules: 500 }, repeats: 3, whatIfs: 20, samples: 16, z3: false },
  L: { name: 'L', design: { spokes: 500, subnets: 20, rules: 200, firewallRules: 1000, sharedNsg: true, nicNsgFraction: 0.1, nicRules: 50 }, repeats: 1, whatIfs: 20, samples: 4, z3: false },
};

/** A tier small enough for tests. */
export const TINY: TierConfig = { name: 'tiny', design: { spokes: 6, subnets: 3, rules: 8, firewallRules: 20, flows: 30 }, repeats: 1, whatIfs: 3, samples: 4, z3: false };

export interface BenchOptions {
  readonly seed?: number;
  /** Skip the clean twin (its verification doubles the run). */
  readonly clean?: boolean;
  readonly z3?: boolean;
  readonly log?: (line: string) => void;
  /** Worker threads that share the exfiltration verdicts with the main thread (0: none; at most 1 is used). */
  readonly workers?: number;
}

export interface BenchFigures {
  tier: string;
  seed: number;
  subnets: number;
  nsgRules: number;
  firewallRules: number;
  intents: number;
  fileMb: number;
  loadMs: number;
  compileMs: number;
  verifyMs: number;
  verifyOverLoad: number;
  exfiltrationIntents: number;
  exfiltrationPerSecond: number;
  flowMs: number;
  flowIntents: number;
  intentsPerSecond: number;
  lintMs: number;
  /** The first what-if of an analysis, outside the percentiles: it also works out what every later one reuses. */
  whatifFirstMs: number | null;
  whatifP50Ms: number;
  whatifP95Ms: number;
  whatifOverFull: number;
  /** The watch's warming of the verified analysis before its first what-if (diff/warm.ts; not in the what-if's time). */
  whatifWarmMs: number;
  /** The young-generation collection before each watched edit (not in the what-if's time). */
  whatifCollectP50Ms: number;
  whatifCollectP95Ms: number;
  /** The same edits on an analysis nothing was verified on, as `topo diff FILE` runs them (the whatif* figures are after a verification, as `topo watch` runs them). */
  whatifDiffFirstMs: number | null;
  whatifDiffP50Ms: number;
  whatifDiffP95Ms: number;
  whatifDiffOverFull: number;
  simulatorMs: number;
  simulatorSamples: number;
  simulatorAgreement: number;
  simulatorOverVerify: number;
  z3Ms: number | null;
  topoExactMs: number | null;
  z3Speedup: number | null;
  z3Intents: number | null;
  z3Agreement: number | null;
  z3Skipped: number | null;
  peakRssMb: number;
  /** `topo verify FILE` (every intent and the lints, JSON report) in a process of its own: wall time and peak memory. */
  cliVerifyMs: number | null;
  cliPeakRssMb: number | null;
  plantedFound: number;
  plantedTotal: number;
  falsePositives: number;
  cleanChecked: boolean;
  /** Worker threads used for the exfiltration verdicts besides the main thread. */
  workers: number;
}

export interface BenchResult {
  readonly figures: BenchFigures;
  readonly notes: readonly string[];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 3) : 0);

/**
 * `topo verify FILE --format json` in a child process with the CLI's own flags (bin.ts), timed from the
 * outside; undefined when there is no built child to run (the harness run from its sources before a build).
 */
function verifyInChild(file: string, output: string): { code: number; ms: number; peakRssMb: number } | undefined {
  const beside = fileURLToPath(new URL('./verify-child.js', import.meta.url));
  const child = [beside, join(packageRoot(), 'dist/bench/verify-child.js')].find((f) => existsSync(f));
  if (!child) return undefined;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--max-semi-space-size=32', child, 'verify', file, '--format', 'json', '--output', output], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const ms = performance.now() - t0;
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  let parsed: { code: number; peakRssMb: number };
  try {
    parsed = JSON.parse(line) as { code: number; peakRssMb: number };
  } catch {
    throw new Error(`bench: topo verify in a child process gave no figures (status ${r.status}): ${r.stderr.slice(-500)}`);
  }
  return { code: parsed.code, ms, peakRssMb: parsed.peakRssMb };
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

function loadOrThrow(file: string, serviceTagsFile?: string): Loaded {
  const l = loadScenario(file, { ...(serviceTagsFile ? { serviceTagsFile } : {}) });
  if (!l.scenario) throw new Error(`the generated design does not validate: ${l.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`).slice(0, 3).join('; ')}`);
  return l;
}

function intentsOf(net: Network, names: readonly string[]): Claim[] {
  const wanted = new Set(names);
  return net.scenario.intents.filter((i) => wanted.has(i.name)).flatMap((i) => claimsOf(net, i).claims);
}

// ---------------------------------------------------------------------------
// The naive baseline: sampled packets through the simulator

function randomIn(set: Box[number], rnd: () => number): number {
  const k = Math.floor(rnd() * set.intervalCount);
  const lo = set.data[2 * k];
  const hi = set.data[2 * k + 1];
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

/** Each claim checked by `samples` random packets of its query; returns the sampled verdicts. */
function sampleClaims(net: Network, claims: readonly Claim[], samples: number, seed: number): { statuses: Map<string, 'pass' | 'fail'>; packets: number } {
  const rnd = prng(seed);
  const statuses = new Map<string, 'pass' | 'fail'>();
  let packets = 0;
  for (const c of claims) {
    const query = claimQuery(net, c);
    const sources = sourcesOf(net, c.from);
    const sourceVnets = [...new Set(sources.flatMap((s) => (s.kind === 'nic' ? [s.nic.subnet.vnet] : [])))];
    const dest = destinationOf(net, c.to, { forAllow: c.kind === 'allow', sourceVnets, sources });
    let verdict: 'pass' | 'fail' = 'pass';
    for (let k = 0; k < samples && !query.isEmpty; k++) {
      const b = query.boxes[Math.floor(rnd() * query.boxes.length)];
      const p: Packet = { protocol: randomIn(b[0], rnd), srcIp: randomIn(b[1], rnd), srcPort: randomIn(b[2], rnd), dstIp: randomIn(b[3], rnd), dstPort: randomIn(b[4], rnd), dstName: randomIn(b[5], rnd) };
      const source = sources.find((s) => s.ips.has(p.srcIp));
      if (!source) continue;
      const origin = source.kind === 'nic' ? { kind: 'nic' as const, nic: source.nic } : source.kind === 'internet' ? { kind: 'internet' as const } : { kind: 'on-premises' as const, gateway: source.gateway };
      const t = simulate(net, origin, p);
      packets += 1;
      const reached = t.verdict === 'delivered' && t.delivery !== undefined && dest.accepts(t.delivery, t.packet.dstIp, t.packet.dstName, c.adversary);
      if (c.kind === 'deny' ? reached : !reached) {
        verdict = 'fail';
        break;
      }
    }
    statuses.set(c.name, verdict);
  }
  return { statuses, packets };
}

// ---------------------------------------------------------------------------
// What-if: one NSG rule flipped

function flipRule(s: Scenario, nsgName: string, index: number): Scenario {
  const nsg = s.networkSecurityGroups.get(nsgName)!;
  const rules = nsg.securityRules.map((r, i) => (i === index ? { ...r, access: { ...r.access, value: r.access.value === 'Allow' ? ('Deny' as const) : ('Allow' as const) } } : r));
  const edited: Nsg = { ...nsg, securityRules: rules };
  return { ...s, networkSecurityGroups: new Map([...s.networkSecurityGroups, [nsgName, edited]]) };
}

// ---------------------------------------------------------------------------
// Planted-bug recall

interface Recall {
  found: number;
  total: number;
  falsePositives: number;
  notes: string[];
}

const PLANTED_LINTS = new Set(['TOPO-L001', 'TOPO-L005', 'TOPO-L008', 'TOPO-L013']);

function recall(gen: GeneratedScenario, results: readonly IntentResult[], findings: ReturnType<typeof activeFindings>, diagnostics: readonly Diagnostic[]): Recall {
  const notes: string[] = [];
  const byName = new Map(results.map((r) => [r.name, r]));
  let found = 0;
  for (const p of gen.planted) {
    let ok = true;
    if (p.reportedBy.startsWith('TOPO-L')) ok = findings.some((f) => f.rule === p.reportedBy && f.target === p.target);
    else if (p.reportedBy.startsWith('TOPO')) ok = diagnostics.some((d) => d.code === p.reportedBy && d.message.includes(`'${p.target.split('/')[1]}'`));
    for (const name of p.failingIntents) {
      const r = byName.get(name);
      const w = r?.witness;
      // A correct witness: re-simulated (the trace is the simulator's), and it crosses the planted element when there is one.
      const crosses = !p.element || (w?.trace.hops.some((h) => h.ruleId === p.element || (h.rule ?? '').startsWith(p.element!)) ?? false);
      if (r?.status !== 'fail' || !w || !crosses) ok = false;
    }
    if (ok) found += 1;
    else notes.push(`planted ${p.kind} at ${p.target} was not reported as expected`);
  }
  const expected = new Set(gen.expectedFailures);
  let falsePositives = 0;
  for (const r of results) {
    if (r.status !== 'pass' && !expected.has(r.name)) {
      falsePositives += 1;
      notes.push(`intent ${r.name} is ${r.status}, but no planted bug explains it`);
    }
  }
  return { found, total: gen.planted.length, falsePositives, notes };
}

function cleanReports(results: readonly IntentResult[], findings: ReturnType<typeof activeFindings>, diagnostics: readonly Diagnostic[]): string[] {
  return [
    ...results.filter((r) => r.status !== 'pass').map((r) => `clean twin: intent ${r.name} is ${r.status}`),
    ...findings.filter((f) => PLANTED_LINTS.has(f.rule)).map((f) => `clean twin: ${f.rule} on ${f.target}`),
    ...diagnostics.filter((d) => d.code === 'TOPO300').map((d) => `clean twin: ${d.code} ${d.message}`),
  ];
}

// ---------------------------------------------------------------------------

export async function runBench(tier: TierConfig, options: BenchOptions = {}): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 1;
  const notes: string[] = [];
  let pool: VerifyPool | undefined;
  let poolUsed = false;
  const dir = mkdtempSync(join(tmpdir(), 'topo-bench-'));
  try {
    // ---- generate ------------------------------------------------------------------------------------------
    const gen = generateHubSpoke({ ...tier.design, seed });
    const file = join(dir, `az-hs-${tier.name}.yaml`);
    writeFileSync(file, gen.text);
    // The worker loads and compiles its own copy of the design before anything is timed: its start-up is in no figure.
    if ((options.workers ?? 0) > 0) {
      const started = startVerifyPool(file);
      if (await started.ready()) pool = started;
      else await started.close();
      poolUsed = pool !== undefined;
    }
    // ---- topo verify as a user runs it, in a process of its own (its memory is not the benchmark's) -------------
    const cli = verifyInChild(file, join(dir, 'results.json'));
    if (cli) log(`tier ${tier.name}: topo verify in ${cli.ms.toFixed(0)} ms (exit ${cli.code}), peak RSS ${cli.peakRssMb.toFixed(0)} MiB`);
    else notes.push('topo verify was not measured in a process of its own: build first (npm run build)');
    log(`tier ${tier.name}: ${gen.stats.subnets} subnets, ${gen.stats.nsgRules} NSG rules, ${gen.stats.firewallRules} firewall rules, ${gen.stats.intents} intents, ${(gen.text.length / 2 ** 20).toFixed(1)} MiB`);

    // ---- load + validate, compile -----------------------------------------------------------------------------
    const loads: number[] = [];
    const compiles: number[] = [];
    let loaded!: Loaded;
    let net!: Network;
    let graph!: ReachGraph;
    let compileDiagnostics: readonly Diagnostic[] = [];
    for (let k = 0; k < tier.repeats; k++) {
      const l = timed(() => loadOrThrow(file));
      loads.push(l.ms);
      loaded = l.value;
      const c = timed(() => {
        const compiled = compile(loaded.scenario!, loaded.catalog!);
        return { compiled, graph: buildGraph(compiled.network) };
      });
      compiles.push(c.ms);
      net = c.value.compiled.network;
      compileDiagnostics = c.value.compiled.diagnostics;
      graph = c.value.graph;
    }
    const loadMs = median(loads);
    const compileMs = median(compiles);
    log(`load+validate ${loadMs.toFixed(0)} ms, compile ${compileMs.toFixed(0)} ms (medians of ${tier.repeats})`);

    // ---- verification: exfiltration of every subnet, then the required flows --------------------------------------
    const exfil: number[] = [];
    const flowTimes: number[] = [];
    let exfilResults: readonly IntentResult[] = [];
    let flowResults: readonly IntentResult[] = [];
    for (let k = 0; k < tier.repeats; k++) {
      // Each repeat on a fresh compile: no cache of an earlier verification helps it.
      const fresh = k === 0 ? { net, graph } : (() => {
        const compiled = compile(loaded.scenario!, loaded.catalog!);
        return { net: compiled.network, graph: buildGraph(compiled.network) };
      })();
      const e = timed(() => verifyNetwork(fresh.net, [], { only: gen.exfiltrationIntents, ...(pool ? { pool } : {}) }, fresh.graph));
      exfil.push(e.ms);
      exfilResults = e.value.intents;
      const f = timed(() => verifyNetwork(fresh.net, [], { only: gen.flowIntents }, fresh.graph));
      flowTimes.push(f.ms);
      flowResults = f.value.intents;
    }
    const verifyMs = median(exfil);
    const flowMs = median(flowTimes);
    // The worker holds a compiled copy of the design: it goes once its share is done.
    await pool?.close();
    pool = undefined;
    log(`exfiltration: ${exfilResults.length} verdicts in ${verifyMs.toFixed(0)} ms; required flows: ${flowResults.length} in ${flowMs.toFixed(0)} ms`);

    // ---- lints, recall ---------------------------------------------------------------------------------------------------
    let lint = timed(() => runLints(net, { graph }));
    const results = [...exfilResults, ...flowResults];
    const rec = recall(gen, results, activeFindings(lint.value), [...loaded.diagnostics, ...compileDiagnostics]);
    notes.push(...rec.notes.slice(0, 20));
    let falsePositives = rec.falsePositives;
    let cleanChecked = false;
    if (options.clean !== false) {
      const twin = generateHubSpoke({ ...tier.design, seed, clean: true });
      const twinFile = join(dir, `az-hs-${tier.name}-clean.yaml`);
      writeFileSync(twinFile, twin.text);
      const tl = loadOrThrow(twinFile);
      const tc = compile(tl.scenario!, tl.catalog!);
      const tg = buildGraph(tc.network);
      const tr = verifyNetwork(tc.network, [], {}, tg);
      const reports = cleanReports(tr.intents, activeFindings(runLints(tc.network, { graph: tg })), [...tl.diagnostics, ...tc.diagnostics]);
      falsePositives += reports.length;
      notes.push(...reports.slice(0, 20));
      cleanChecked = true;
    }
    log(`planted: ${rec.found}/${rec.total} found; false positives ${falsePositives}${cleanChecked ? ' (with the clean twin)' : ''}`);

    // ---- the naive baseline: sampling with the packet simulator --------------------------------------------------------------
    const sim = (() => {
      const claims = intentsOf(net, gen.flowIntents);
      const run = timed(() => sampleClaims(net, claims, tier.samples, seed));
      const exact = new Map(flowResults.map((r) => [r.name, r.status]));
      const agree = claims.filter((c) => run.value.statuses.get(c.name) === exact.get(c.name)).length;
      return { ms: run.ms, packets: run.value.packets, agree, claims: claims.length };
    })();
    log(`simulator baseline: ${sim.packets} sampled packets in ${sim.ms.toFixed(0)} ms, same verdict for ${sim.agree}/${sim.claims} intents`);
    const lintMs = lint.ms;
    // The what-if builds its own analysis: the verification's network, graph, lint and intent results are let go
    // first (their counts are kept), so its memory is its own.
    const counts = { intents: results.length, exfiltration: exfilResults.length, flows: flowResults.length };
    results.length = 0;
    exfilResults = [];
    flowResults = [];
    net = undefined as unknown as Network;
    graph = undefined as unknown as ReachGraph;
    lint = undefined as unknown as typeof lint;

    // ---- what-if: one NSG rule flipped at a time ------------------------------------------------------------------------------
    // The same edits twice. As `topo diff FILE` runs them: on an analysis nothing was verified on yet, so each
    // edit also compiles the NSG programs its packets meet for the first time. As `topo watch` runs them: after
    // the verification of the base, which compiles every program the intents reach (the watch's first cycle),
    // and the warming the watch does while it waits for the first save (diff/warm.ts), each edit preceded by
    // a collection of the young generation, as the watch runs one between loading the saved file and its
    // what-if (both timed apart).
    const nsgNames = [...loaded.scenario!.networkSecurityGroups.keys()].filter((n) => loaded.scenario!.networkSecurityGroups.get(n)!.securityRules.length > 0);
    const collects: number[] = [];
    let warmMs = 0;
    const whatIfSeries = (verified: boolean) => {
      const base = analyzeVersion(loaded.scenario!, loaded.catalog!);
      if (verified) {
        verifyNetwork(base.net, base.diagnostics, {}, base.graph);
        warmMs = timed(() => warmForWhatIfs(base)).ms;
      }
      const rnd = prng(seed + 1);
      const times: number[] = [];
      let first: number | null = null;
      // The first edit also pays what an analysis works out once for all its what-ifs (the destinations'
      // split, the source classes): reported on its own.
      for (let k = -1; k < tier.whatIfs && nsgNames.length > 0; k++) {
        const nsg = nsgNames[Math.floor(rnd() * nsgNames.length)];
        const rules = loaded.scenario!.networkSecurityGroups.get(nsg)!.securityRules;
        const head = flipRule(loaded.scenario!, nsg, Math.floor(rnd() * rules.length));
        if (verified) collects.push(timed(() => collectYoungGeneration()).ms);
        const w = timed(() => {
          const derived = deriveAnalysis(base, head, loaded.catalog!);
          return diffAnalyses(base, derived.analysis, derived.changes);
        });
        if (w.value.mode !== 'incremental') notes.push(`what-if on ${nsg} needed a full analysis`);
        if (k < 0) first = w.ms;
        else times.push(w.ms);
      }
      return { first, times };
    };
    const cold = whatIfSeries(false);
    const watched = whatIfSeries(true);
    const whatifs = watched.times;
    const whatifFirstMs = watched.first;
    const fullMs = verifyMs + flowMs;
    log(`what-if (one NSG rule) as topo diff: first ${cold.first?.toFixed(1)} ms, then p50 ${median(cold.times).toFixed(1)} ms, p95 ${quantile(cold.times, 0.95).toFixed(1)} ms over ${cold.times.length} edits`);
    log(`what-if (one NSG rule) as topo watch: first ${whatifFirstMs?.toFixed(1)} ms, then p50 ${median(whatifs).toFixed(1)} ms, p95 ${quantile(whatifs, 0.95).toFixed(1)} ms over ${whatifs.length} edits (after warming the analysis for ${warmMs.toFixed(0)} ms; each after a young-generation collection: p50 ${median(collects).toFixed(1)} ms, p95 ${quantile(collects, 0.95).toFixed(1)} ms)`);

    // ---- z3 on the same intents (exact service tags: the encoding needs them) --------------------------------------------------
    let z3Ms: number | null = null;
    let topoExactMs: number | null = null;
    let z3Agreement: number | null = null;
    let z3Skipped: number | null = null;
    let z3Intents: number | null = null;
    if ((options.z3 ?? tier.z3) && z3Available()) {
      const tags = join(dir, 'service-tags.json');
      writeFileSync(tags, syntheticServiceTags());
      const xl = loadOrThrow(file, tags);
      const xnet = compile(xl.scenario!, xl.catalog!).network;
      const xgraph = buildGraph(xnet);
      // Every exfiltration intent and the first required flows: z3 takes seconds where topo takes milliseconds.
      const xclaims = intentsOf(xnet, [...gen.exfiltrationIntents, ...gen.flowIntents.slice(0, tier.z3Flows ?? 40)]);
      const topo = timed(() => xclaims.map((c) => checkClaim(xnet, xgraph, c).status));
      const smt = new SmtOracle();
      let same = 0;
      let skipped = 0;
      const t0 = performance.now();
      try {
        for (const [i, c] of xclaims.entries()) {
          const v = await smt.decide(xnet, c);
          if (v.status === 'skipped') skipped += 1;
          else if (v.status === topo.value[i]) same += 1;
          else notes.push(`z3 says ${v.status} for ${c.name}, topo says ${topo.value[i]}`);
        }
      } finally {
        await smt.close();
      }
      z3Ms = performance.now() - t0;
      topoExactMs = topo.ms;
      z3Agreement = same;
      z3Skipped = skipped;
      z3Intents = xclaims.length;
      log(`z3: ${xclaims.length} intents in ${z3Ms.toFixed(0)} ms (topo ${topo.ms.toFixed(0)} ms on the same intents), same verdict ${same}, skipped ${skipped}`);
    }

    const intents = counts.intents;
    const figures: BenchFigures = {
      tier: tier.name,
      seed,
      subnets: gen.stats.subnets,
      nsgRules: gen.stats.nsgRules,
      firewallRules: gen.stats.firewallRules,
      intents,
      fileMb: round(gen.text.length / 2 ** 20, 2),
      loadMs: round(loadMs),
      compileMs: round(compileMs),
      verifyMs: round(verifyMs),
      verifyOverLoad: ratio(verifyMs, loadMs),
      exfiltrationIntents: counts.exfiltration,
      exfiltrationPerSecond: round(counts.exfiltration / (verifyMs / 1000)),
      flowMs: round(flowMs),
      flowIntents: counts.flows,
      intentsPerSecond: round(intents / ((verifyMs + flowMs) / 1000)),
      lintMs: round(lintMs),
      whatifFirstMs: whatifFirstMs === null ? null : round(whatifFirstMs, 2),
      whatifP50Ms: round(median(whatifs), 2),
      whatifP95Ms: round(quantile(whatifs, 0.95), 2),
      whatifOverFull: ratio(quantile(whatifs, 0.95), fullMs),
      whatifWarmMs: round(warmMs),
      whatifCollectP50Ms: round(median(collects), 2),
      whatifCollectP95Ms: round(quantile(collects, 0.95), 2),
      whatifDiffFirstMs: cold.first === null ? null : round(cold.first, 2),
      whatifDiffP50Ms: round(median(cold.times), 2),
      whatifDiffP95Ms: round(quantile(cold.times, 0.95), 2),
      whatifDiffOverFull: ratio(quantile(cold.times, 0.95), fullMs),
      simulatorMs: round(sim.ms),
      simulatorSamples: sim.packets,
      simulatorAgreement: sim.claims ? round(sim.agree / sim.claims, 3) : 1,
      simulatorOverVerify: ratio(sim.ms, flowMs),
      z3Ms: z3Ms === null ? null : round(z3Ms),
      topoExactMs: topoExactMs === null ? null : round(topoExactMs),
      z3Speedup: z3Ms === null || topoExactMs === null ? null : round(z3Ms / topoExactMs, 1),
      z3Intents,
      z3Agreement,
      z3Skipped,
      peakRssMb: round(process.resourceUsage().maxRSS / 1024),
      plantedFound: rec.found,
      plantedTotal: rec.total,
      falsePositives,
      cleanChecked,
      workers: poolUsed ? 1 : 0,
      cliVerifyMs: cli ? round(cli.ms) : null,
      cliPeakRssMb: cli ? round(cli.peakRssMb) : null,
    };
    return { figures, notes };
  } finally {
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The human table. */
export function table(f: BenchFigures): string {
  const rows: [string, string][] = [
    ['tier', `${f.tier} (${f.subnets} subnets, ${f.nsgRules} NSG rules, ${f.firewallRules} firewall rules, ${f.intents} intents, ${f.fileMb} MiB)`],
    ['load + validate', `${f.loadMs} ms`],
    ['compile + graph', `${f.compileMs} ms`],
    ['exfiltration, every subnet', `${f.verifyMs} ms (${f.exfiltrationIntents} verdicts, ${f.exfiltrationPerSecond}/s); verify/load ${f.verifyOverLoad}${f.workers ? `; ${f.workers + 1} threads` : ''}`],
    ['required flows', `${f.flowMs} ms (${f.flowIntents} intents); all intents ${f.intentsPerSecond}/s`],
    ['lints', `${f.lintMs} ms`],
    ['what-if, one NSG rule (watch)', `first ${f.whatifFirstMs} ms, then p50 ${f.whatifP50Ms} ms, p95 ${f.whatifP95Ms} ms; p95/full ${f.whatifOverFull} (after warming ${f.whatifWarmMs} ms; young-generation collection before each: p50 ${f.whatifCollectP50Ms} ms, p95 ${f.whatifCollectP95Ms} ms)`],
    ['what-if, one NSG rule (diff)', `first ${f.whatifDiffFirstMs} ms, then p50 ${f.whatifDiffP50Ms} ms, p95 ${f.whatifDiffP95Ms} ms; p95/full ${f.whatifDiffOverFull}`],
    ['simulator sampling', `${f.simulatorMs} ms for ${f.simulatorSamples} packets (${f.simulatorOverVerify}x the verifier), same verdict ${f.simulatorAgreement * 100}%`],
    ['z3 (SMT)', f.z3Ms === null ? 'not run' : `${f.z3Intents} intents: ${f.z3Ms} ms vs topo ${f.topoExactMs} ms: ${f.z3Speedup}x; same verdict ${f.z3Agreement}, skipped ${f.z3Skipped}`],
    ['peak RSS', `${f.peakRssMb} MiB (this process)`],
    ['topo verify (own process)', f.cliVerifyMs === null ? 'not run (build first)' : `${f.cliVerifyMs} ms, peak RSS ${f.cliPeakRssMb} MiB`],
    ['planted bugs', `${f.plantedFound}/${f.plantedTotal} found, ${f.falsePositives} false positives${f.cleanChecked ? ' (clean twin checked)' : ''}`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}
