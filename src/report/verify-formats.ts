/** The output formats of `topo verify`, one renderer each. */
import type { Network } from '../model/types.js';
import type { Diagnostic } from '../scenario/diagnostics.js';
import type { VerifyResults } from '../verify/results.js';
import { PLAIN, type Palette } from './color.js';
import { verifyJson } from './verify-json.js';
import { formatVerifyText } from './verify-text.js';

export const VERIFY_FORMATS = ['text', 'json'] as const;
export type VerifyFormat = (typeof VERIFY_FORMATS)[number];

export interface RenderContext {
  readonly palette?: Palette;
  readonly cwd: string;
  readonly warnings: readonly Diagnostic[];
}

export function renderVerify(format: VerifyFormat, net: Network, results: VerifyResults, ctx: RenderContext): string {
  switch (format) {
    case 'text':
      return formatVerifyText(net, results, ctx.palette ?? PLAIN);
    case 'json':
      return JSON.stringify(verifyJson(net, results), null, 2);
  }
}
