/**
 * The reference YAML front end: the `yaml` package's full YAML 1.2 parser,
 * turned into the located tree. Slower than the fast subset parser, so it is
 * used for features the subset does not cover and to explain syntax errors.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node as YNode } from 'yaml';
import { diag, type Diagnostic } from './diagnostics.js';
import type { SourceLoc } from './source-loc.js';
import { MAX_ALIASED_NODES, MAX_DEPTH, MAX_EXPANDED_NODES, MAX_SYNTAX_ERRORS } from './yaml-limits.js';
import type { LEntry, LNode } from './yaml-tree.js';

export interface YamlParse {
  readonly root?: LNode;
  readonly diagnostics: readonly Diagnostic[];
}

class TreeLimit extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export function parseWithReference(text: string, file: string): YamlParse {
  const lineCounter = new LineCounter();
  const locAt = (start: number, end: number): SourceLoc => {
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(Math.max(start, trimEnd(text, end)));
    return { file, line: s.line, col: s.col, endLine: e.line, endCol: e.col };
  };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, strict: true, prettyErrors: false, merge: false, version: '1.2' });
  } catch (error) {
    if (error instanceof RangeError) {
      return { diagnostics: [diag('TOPO013', `${file} nests too deeply to be a scenario`, locAt(0, 0))] };
    }
    throw error;
  }
  const errors = doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => yamlErrorToDiagnostic(e, text, locAt));
  if (doc.errors.length > MAX_SYNTAX_ERRORS) {
    errors.push(diag('TOPO010', `${doc.errors.length - MAX_SYNTAX_ERRORS} more YAML errors not shown`, locAt(0, 0)));
  }
  if (errors.length > 0) return { diagnostics: errors };
  try {
    const root = doc.contents ? convert(doc, doc.contents, locAt, 0, { expanded: 0, aliased: 0, memo: new Map(), targets: undefined }) : undefined;
    return { root, diagnostics: [] };
  } catch (error) {
    if (error instanceof TreeLimit) return { diagnostics: [error.diagnostic] };
    if (error instanceof RangeError) return { diagnostics: [diag('TOPO013', `${file} nests too deeply to be a scenario`, locAt(0, 0))] };
    throw error;
  }
}

interface Budget {
  expanded: number;
  /** Of those, nodes reached through aliases. */
  aliased: number;
  memo: Map<YNode, { node: LNode; size: number }>;
  /** What each alias stands for, found in one pass when the first alias comes up. */
  targets: Map<Alias, YNode> | undefined;
}

/**
 * The node each alias refers to: the last node before it (in document order)
 * with its anchor, as Alias.resolve() finds it. One walk for all aliases;
 * resolve() without a context walks the whole document for every alias.
 */
function aliasTargets(doc: Document): Map<Alias, YNode> {
  const targets = new Map<Alias, YNode>();
  const latest = new Map<string, YNode>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        const target = latest.get(node.source);
        if (target) targets.set(node, target);
      } else if ((isScalar(node) || isCollection(node)) && node.anchor) {
        latest.set(node.anchor, node);
      }
    },
  });
  return targets;
}

function convert(doc: Document, node: YNode, locAt: (s: number, e: number) => SourceLoc, depth: number, budget: Budget): LNode {
  if (depth > MAX_DEPTH) {
    const [s, e] = node.range ?? [0, 0];
    throw new TreeLimit(diag('TOPO013', `the YAML nests deeper than ${MAX_DEPTH} levels here`, locAt(s, e)));
  }
  if (isAlias(node)) {
    budget.targets ??= aliasTargets(doc);
    const target = budget.targets.get(node);
    const [s, e] = node.range ?? [0, 0];
    if (!target) throw new TreeLimit(diag('TOPO010', `the alias *${node.source} has no anchor`, locAt(s, e)));
    const cached = budget.memo.get(target);
    if (cached) {
      charge(budget, cached.size, locAt(s, e));
      budget.aliased += cached.size;
      if (budget.aliased > MAX_ALIASED_NODES) throw new TreeLimit(aliasLimit(locAt(s, e)));
      return cached.node;
    }
    return convert(doc, target, locAt, depth, budget);
  }
  const before = budget.expanded;
  const [start, valueEnd] = node.range ?? [0, 0, 0];
  const loc = locAt(start, valueEnd);
  let out: LNode;
  if (isScalar(node)) {
    charge(budget, 1, loc);
    const v = node.value;
    const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
    out = { kind: 'scalar', value, quoted: node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE', loc };
  } else if (isSeq(node)) {
    charge(budget, 1, loc);
    const items = node.items.map((item) => convert(doc, item as YNode, locAt, depth + 1, budget));
    out = { kind: 'seq', items, loc };
  } else if (isMap(node)) {
    charge(budget, 1, loc);
    const entries: LEntry[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YNode | null;
      let key: string;
      let keyLoc: SourceLoc;
      if (keyNode === null || keyNode === undefined) {
        key = '';
        keyLoc = loc;
      } else if (isScalar(keyNode)) {
        key = keyNode.value === null ? '' : String(keyNode.value);
        const [ks, ke] = keyNode.range ?? [start, start];
        keyLoc = locAt(ks, ke);
      } else {
        const [ks, ke] = keyNode.range ?? [start, start];
        throw new TreeLimit(diag('TOPO016', 'a map key here is itself a map or list; scenario keys are plain names', locAt(ks, ke)));
      }
      const valueNode = pair.value as YNode | null;
      const value: LNode = valueNode
        ? convert(doc, valueNode, locAt, depth + 1, budget)
        : { kind: 'scalar', value: null, quoted: false, loc: keyLoc };
      entries.push({ key, keyLoc, value });
    }
    out = { kind: 'map', entries, loc };
  } else {
    throw new TreeLimit(diag('TOPO010', 'unsupported YAML node', loc));
  }
  if (node.anchor) budget.memo.set(node, { node: out, size: budget.expanded - before });
  return out;
}

/** Shared with the fast parser, which enforces the same budget. */
export function aliasLimit(loc: SourceLoc): Diagnostic {
  return diag('TOPO012', `YAML aliases repeat more than ${MAX_ALIASED_NODES.toLocaleString('en-US')} nodes in this document (an alias bomb?)`, loc, {
    hint: 'write the repeated part out, or split the file; topo reads aliases of a few thousand nodes',
  });
}

function charge(budget: Budget, nodes: number, loc: SourceLoc): void {
  budget.expanded += nodes;
  if (budget.expanded > MAX_EXPANDED_NODES) {
    throw new TreeLimit(diag('TOPO012', `YAML aliases expand this document beyond ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes (an alias bomb?)`, loc));
  }
}

function trimEnd(text: string, end: number): number {
  let e = Math.min(end, text.length);
  while (e > 0 && /\s/.test(text[e - 1])) e -= 1;
  return Math.max(0, e - 1);
}

/** Hints for the YAML mistakes scenario authors make most; the fast parser gives the same ones. */
export const YAML_HINTS = {
  BAD_ALIAS: 'a bare * starts a YAML alias; write "*" in quotes for "any"',
  TAB_AS_INDENT: 'YAML indents with spaces only; replace the tabs',
  MULTIPLE_DOCS: 'a scenario file holds one document; remove the extra ---, or split the file and use include:',
  DUPLICATE_KEY: 'every key of a map must be unique',
  BAD_INDENT: 'check that this line lines up with its siblings',
  MISSING_CHAR: 'a quote or bracket is not closed',
} as const;
const HINTS: Record<string, string> = YAML_HINTS;

function yamlErrorToDiagnostic(
  error: { code: string; message: string; pos: [number, number] },
  text: string,
  locAt: (s: number, e: number) => SourceLoc,
): Diagnostic {
  const [s, e] = error.pos;
  const loc = locAt(s, Math.max(s + 1, e));
  const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '');
  if (error.code === 'MULTIPLE_DOCS') return diag('TOPO014', 'the file holds more than one YAML document', loc, { hint: HINTS.MULTIPLE_DOCS });
  if (error.code === 'DUPLICATE_KEY') return diag('TOPO011', message, loc, { hint: HINTS.DUPLICATE_KEY });
  if (error.code === 'RESOURCE_EXHAUSTION') return diag('TOPO013', 'the YAML nests too deeply to be a scenario', loc);
  let hint = HINTS[error.code];
  if (error.code === 'BAD_ALIAS' || (error.code === 'UNEXPECTED_TOKEN' && text.slice(s, s + 1) === '*')) hint = HINTS.BAD_ALIAS;
  return diag('TOPO010', message.charAt(0).toLowerCase() + message.slice(1), loc, hint ? { hint } : {});
}
