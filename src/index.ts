/**
 * topo as a library: the same steps the CLI runs, for tools that embed it
 * (a CI bot, an editor extension, a notebook).
 *
 *   const loaded = loadScenario('design.yaml');            // diagnostics, never throws on bad input
 *   const { network } = compile(loaded.scenario!, loaded.catalog!);
 *   const results = verifyNetwork(network, loaded.diagnostics);
 *   const lint = runLints(network);
 *   const trace = simulate(network, origin, packet);
 */
export { loadScenario, type Loaded, type LoadOptions } from './scenario/load.js';
export { CODES, type Diagnostic, type DiagnosticCode, type Severity } from './scenario/diagnostics.js';
export type { Scenario } from './scenario/types.js';
export type { SourceLoc } from './scenario/source-loc.js';
export { compile, type Compiled } from './model/compile.js';
export type { Network } from './model/types.js';
export { verifyNetwork, type VerifyOptions } from './verify/verify.js';
export { EngineDisagreement } from './verify/check.js';
export type { IntentResult, IntentStatus, VerifyResults, Witness, Blocker } from './verify/results.js';
export { runLints, type LintOptions, type LintReport } from './lint/run.js';
export type { LintFinding } from './lint/types.js';
export { simulate, describePacket, type Origin } from './sim/simulate.js';
export type { Trace, Hop } from './sim/trace.js';
export { verifyJson } from './report/verify-json.js';
export { scenarioSchema } from './scenario/schema-source.js';
