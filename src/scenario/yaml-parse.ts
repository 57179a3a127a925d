/**
 * YAML text -> located tree. The fast subset parser handles what scenarios
 * use; the reference `yaml` package takes over for other YAML features and
 * explains syntax errors in small files. Both are bounded against hostile
 * input (depth, alias expansion, error counts).
 */
import { diag, type Diagnostic } from './diagnostics.js';
import { pointLoc } from './read-file.js';
import { parseFast } from './yaml-fast.js';
import { FULL_PARSER_ERROR_MAX_BYTES, FULL_PARSER_MAX_BYTES, MAX_DEPTH, flowDepthExceeds } from './yaml-limits.js';
import { parseWithReference, type YamlParse } from './yaml-reference.js';

export function parseYaml(text: string, file: string): YamlParse {
  const deep = flowDepthExceeds(text, MAX_DEPTH);
  if (deep) return { diagnostics: [diag('TOPO013', `the YAML nests deeper than ${MAX_DEPTH} levels`, pointLoc(file, deep.line, deep.col))] };
  const fast = parseFast(text, file);
  if (fast.kind === 'ok') return { root: fast.root, diagnostics: [] };
  if (fast.kind === 'error') {
    if (fast.definitive || text.length > FULL_PARSER_ERROR_MAX_BYTES) return { diagnostics: fast.diagnostics };
    const reference = parseWithReference(text, file);
    // The reference parser explains errors better; if it finds none, the subset parser was stricter than YAML.
    return reference.diagnostics.length > 0 ? reference : reference;
  }
  if (text.length > FULL_PARSER_MAX_BYTES) {
    return {
      diagnostics: [
        diag('TOPO010', `this file uses ${fast.feature}, which topo reads only in files up to ${FULL_PARSER_MAX_BYTES / 2 ** 20} MiB`, fast.loc, {
          hint: 'write the value without that YAML feature, or split the file and use include:',
        }) as Diagnostic,
      ],
    };
  }
  return parseWithReference(text, file);
}
