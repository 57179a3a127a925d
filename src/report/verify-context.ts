/** What every `topo verify` renderer gets: the verified scenarios and the facts of the run. */
import type { LintReport } from '../lint/run.js';
import type { FindingThreshold } from './lint-findings.js';
import type { Network } from '../model/types.js';
import type { VerifyResults } from '../verify/results.js';
import type { Palette } from './color.js';

export type FailOn = 'error' | 'unknown' | 'warning';

export interface VerifiedScenario {
  /** The scenario file as named on the command line. */
  readonly file: string;
  readonly network: Network;
  readonly results: VerifyResults;
  /** The posture lints of the scenario, unless the run skipped them. */
  readonly lint?: LintReport;
  /** Wall time to load, compile and verify it. */
  readonly seconds: number;
}

export interface ToolInfo {
  readonly name: string;
  readonly version: string;
  readonly informationUri: string;
}

export interface RenderContext {
  /** Colour for the human format on a terminal; machine formats never get one. */
  readonly palette?: Palette;
  /** File names are written relative to it. */
  readonly cwd: string;
  readonly exitCode: number;
  readonly failOn: FailOn;
  readonly tool: ToolInfo;
  /** `topo lint` reports findings only: no intent rules, and its own threshold. */
  readonly mode?: 'verify' | 'lint';
  readonly findingThreshold?: FindingThreshold;
}

/** Which findings fail a run: `topo lint`'s --fail-on; for verify errors always, warnings with --fail-on warning. */
export function findingThresholdOf(ctx: { readonly failOn: FailOn; readonly findingThreshold?: FindingThreshold }): FindingThreshold {
  return ctx.findingThreshold ?? (ctx.failOn === 'warning' ? 'warning' : 'error');
}

/** Whether an undecided intent fails the run: then the test formats must show it failed, not skipped. */
export function unknownFails(failOn: FailOn): boolean {
  return failOn === 'unknown' || failOn === 'warning';
}
