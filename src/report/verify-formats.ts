/**
 * The output formats of `topo verify`, one renderer each. Every renderer
 * gets all scenario files of the run at once, because the CI formats hold
 * one document per run: one SARIF run, one JUnit <testsuites>.
 */
import { PLAIN } from './color.js';
import type { RenderContext, VerifiedScenario } from './verify-context.js';
import { verifyJson } from './verify-json.js';
import { formatVerifyJunit } from './verify-junit.js';
import { formatVerifySarif } from './verify-sarif.js';
import { formatVerifyText } from './verify-text.js';

export const VERIFY_FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
export type VerifyFormat = (typeof VERIFY_FORMATS)[number];

export type { FailOn, RenderContext, ToolInfo, VerifiedScenario } from './verify-context.js';

export function renderVerify(format: VerifyFormat, runs: readonly VerifiedScenario[], ctx: RenderContext): string {
  switch (format) {
    case 'text':
      return runs.map((s) => formatVerifyText(s.network, s.results, ctx.palette ?? PLAIN, s.lint?.findings)).join('\n\n');
    case 'json': {
      // One file: the results object of the scenario format. Several: an array of them, still one JSON document.
      const docs = runs.map((s) => verifyJson(s.network, s.results, s.lint?.findings));
      return JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2);
    }
    case 'sarif':
      return formatVerifySarif(runs, ctx);
    case 'junit':
      return formatVerifyJunit(runs, ctx);
  }
}
