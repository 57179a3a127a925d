/**
 * Budgets that keep hostile YAML bounded in time and memory. Real scenarios
 * nest about ten levels deep and rarely use aliases at all.
 */
export const MAX_DEPTH = 64;
/** Nodes a document may expand to once aliases are followed (alias bombs). */
export const MAX_EXPANDED_NODES = 5_000_000;
/**
 * Nodes a document may reach through aliases. Every later stage walks the
 * expanded tree, so a small file of aliases must not stand for millions of
 * nodes; real scenarios reuse a few rule lists, a few thousand nodes.
 */
export const MAX_ALIASED_NODES = 100_000;
/** Files up to this size may fall back to the full YAML parser. */
export const FULL_PARSER_MAX_BYTES = 4 * 1024 * 1024;
/** The full parser is slow on pathological junk; it explains syntax errors only in files this small. */
export const FULL_PARSER_ERROR_MAX_BYTES = 128 * 1024;
export const MAX_SYNTAX_ERRORS = 20;

/**
 * Deepest flow nesting (`[` / `{`) outside quotes and comments. The `yaml`
 * package aborts the whole process on extreme flow nesting, so this runs first.
 */
export function flowDepthExceeds(text: string, limit: number): { line: number; col: number } | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      line += 1;
      lineStart = i + 1;
      if (quote === undefined) continue;
    }
    if (quote !== undefined) {
      if (quote === '"' && ch === 92) i += 1;
      else if (text[i] === quote) quote = undefined;
      continue;
    }
    if (ch === 35 /* # */ && (i === 0 || text.charCodeAt(i - 1) <= 32)) {
      while (i < text.length && text.charCodeAt(i) !== 10) i += 1;
      i -= 1;
      continue;
    }
    if (ch === 34 || ch === 39) {
      const prev = i === 0 ? 32 : text.charCodeAt(i - 1);
      if (prev <= 32 || prev === 91 || prev === 123 || prev === 44 || prev === 58) quote = text[i] as '"' | "'";
      continue;
    }
    if (ch === 91 || ch === 123) {
      depth += 1;
      if (depth > limit) return { line, col: i - lineStart + 1 };
    } else if ((ch === 93 || ch === 125) && depth > 0) {
      depth -= 1;
    }
  }
  return undefined;
}
