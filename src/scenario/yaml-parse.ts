/**
 * YAML text -> located tree. The fast subset parser handles what scenarios
 * use; the reference `yaml` package takes over for other YAML features and
 * explains syntax errors in small files. Both are bounded against hostile
 * input (depth, alias expansion, error counts), and the reference parser is
 * only given large files that the fast parser has checked for syntax errors:
 * on a few hundred kilobytes of junk it needs seconds and gigabytes.
 */
import { diag } from './diagnostics.js';
import { pointLoc } from './read-file.js';
import { checkFast, parseFast } from './yaml-fast.js';
import { FULL_PARSER_ERROR_MAX_BYTES, FULL_PARSER_MAX_BYTES, MAX_DEPTH, flowDepthExceeds } from './yaml-limits.js';
import { parseWithReference, type YamlParse } from './yaml-reference.js';

export function parseYaml(text: string, file: string): YamlParse {
  const fast = parseFast(text, file);
  if (fast.kind === 'ok') return { root: fast.root, diagnostics: [] };
  if (fast.kind === 'error') {
    if (fast.definitive || text.length > FULL_PARSER_ERROR_MAX_BYTES) return { diagnostics: fast.diagnostics };
    // The reference parser words errors the way YAML users know and lists them all.
    // Should it find none, the subset parser was stricter than YAML, and the reference tree stands.
    return reference(text, file);
  }
  if (text.length <= FULL_PARSER_ERROR_MAX_BYTES) return reference(text, file);
  const check = checkFast(text, file);
  if (check.kind === 'error') return { diagnostics: check.diagnostics };
  if (check.kind === 'ok' && text.length <= FULL_PARSER_MAX_BYTES) return reference(text, file);
  const [feature, loc, limit] = check.kind === 'unsupported' && text.length <= FULL_PARSER_MAX_BYTES ? [check.feature, check.loc, FULL_PARSER_ERROR_MAX_BYTES] : [fast.feature, fast.loc, FULL_PARSER_MAX_BYTES];
  return {
    diagnostics: [
      diag('TOPO010', `this file uses ${feature} (line ${loc.line}), which topo reads only in files up to ${sizeText(limit)}`, loc, {
        hint: 'write the value without that YAML feature, or split the file and use include:',
      }),
    ],
  };
}

function reference(text: string, file: string): YamlParse {
  // The `yaml` package aborts the whole process on extreme flow nesting.
  const deep = flowDepthExceeds(text, MAX_DEPTH);
  if (deep) return { diagnostics: [diag('TOPO013', `the YAML nests deeper than ${MAX_DEPTH} levels`, pointLoc(file, deep.line, deep.col))] };
  return parseWithReference(text, file);
}

function sizeText(bytes: number): string {
  return bytes >= 2 ** 20 ? `${bytes / 2 ** 20} MiB` : `${bytes / 2 ** 10} KiB`;
}
