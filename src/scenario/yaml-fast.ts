/**
 * Placeholder until the fast subset parser lands: always defers to the
 * reference parser.
 */
import type { Diagnostic } from './diagnostics.js';
import type { SourceLoc } from './source-loc.js';
import type { LNode } from './yaml-tree.js';

export type FastParse =
  | { readonly kind: 'ok'; readonly root: LNode | undefined }
  | { readonly kind: 'unsupported'; readonly feature: string; readonly loc: SourceLoc }
  | { readonly kind: 'error'; readonly diagnostics: readonly Diagnostic[]; readonly definitive: boolean };

export function parseFast(_text: string, file: string): FastParse {
  return { kind: 'unsupported', feature: 'YAML', loc: { file, line: 1, col: 1, endLine: 1, endCol: 1 } };
}
