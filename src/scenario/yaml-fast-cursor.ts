/**
 * The fast YAML parser's cursor and bookkeeping: position in the text,
 * line and column, blank and comment lines between tokens, which of those
 * comments end a collection (as the `yaml` package's syntax tree attaches
 * them), the depth and alias budgets, and how the parser stops: an error,
 * or a feature it leaves to the reference parser. The grammar is in
 * yaml-fast.ts.
 */
import { diag } from './diagnostics.js';
import type { SourceLoc } from './source-loc.js';
import type { FastParse } from './yaml-fast.js';
import {
  codeAt, COLON, COMMA, CR, DASH, EOF, GT, HASH, isBlank, isDocMarker, isJsSpace, LBRACE, LBRACKET, LF, lineBreakIn, PERCENT, PIPE, QUESTION, scanPlain, SPACE, TAB,
  type PlainScan,
} from './yaml-fast-lexer.js';
import { keyText, resolvePlain, type ScalarResult } from './yaml-fast-scalars.js';
import { MAX_DEPTH, MAX_EXPANDED_NODES } from './yaml-limits.js';
import { YAML_HINTS } from './yaml-reference.js';
import type { LNode, LScalar } from './yaml-tree.js';

/** Thrown to end parsing with a result. */
export class Stop {
  constructor(readonly result: FastParse) {}
}

/** What skipLines() stopped at. */
export const T_EOF = 0;
export const T_CONTENT = 1;
export const T_DOC_START = 2;
export const T_DOC_END = 3;

/** "No position" for optional ends. */
export const NONE = 0;

export class FastCursor {
  protected readonly n: number;
  protected pos = 0;
  protected line = 1;
  protected lineStart = 0;

  /** skipLines() results: what comes next and the comments passed on the way. */
  protected tKind: number = T_EOF;
  protected tCol = 0;
  /** Last comment (line, col) overall, and the last one of the leading run indented deeper than the threshold. */
  protected allEndL = NONE;
  protected allEndC = 0;
  protected deepEndL = NONE;
  protected deepEndC = 0;
  protected deepMax = -1;
  protected restEndL = NONE;
  protected restEndC = 0;
  protected restMax = -1;
  /** Offset of a blank line with a tab in it that skipLines() passed, or -1. */
  protected tabLine = -1;
  /** skipRestOfLine() result: the comment on the line a token ended on. */
  protected sameEndL = NONE;
  protected sameEndC = 0;

  /** Effective end of the node parsed last, as its parent collection counts it. */
  protected rEndL = 0;
  protected rEndC = 0;
  /** Trailing comments not yet claimed by a collection: their deepest indent and last end. */
  protected pendMax = -1;
  protected pendEndL = 0;
  protected pendEndC = 0;

  /** The last plain scalar scanned (one object, reused). */
  protected readonly scan: PlainScan = { end: 0, stop: 0, multiline: false, key: false, odd: -1 };
  /** Map keys repeat thousands of times in big scenarios: one string each keeps the tree smaller. */
  private readonly keys = new Map<string, string>();
  /** Nodes built so far, aliases counted at their full size (MAX_EXPANDED_NODES). */
  protected expanded = 0;

  constructor(
    protected readonly src: string,
    protected readonly file: string,
    /** Read past node properties instead of reporting them unsupported (checkFast). */
    protected readonly lenient: boolean,
  ) {
    this.n = src.length;
  }

  /**
   * A collection ends: trailing comments travelling up stay with it if any is
   * at least as deep as its own column (and it is not at column 0), as the
   * reference parser's syntax tree keeps them; its end for its parent moves.
   */
  protected closeCollection(node: LNode, col: number, vEndL: number, vEndC: number): LNode {
    if (this.pendMax >= 0 && col !== 0 && this.pendMax >= col) {
      this.rEndL = this.pendEndL;
      this.rEndC = this.pendEndC;
      this.pendMax = -1;
    } else {
      this.rEndL = vEndL;
      this.rEndC = vEndC;
    }
    return node;
  }

  /**
   * After a value that ends on this line (scalar, alias, flow collection):
   * the rest of the line, then the lines up to the next content. Comments
   * indented deeper than the enclosing collection right after the value
   * extend it; the others travel up as pending.
   */
  protected afterInlineValue(pc: number): void {
    const tokL = this.rEndL;
    const tokC = this.rEndC;
    this.skipRestOfLine();
    if (this.sameEndL === NONE && this.code(this.pos) !== LF && this.code(this.pos) !== CR && this.code(this.pos) !== EOF) {
      if (this.code(this.pos) === COLON && isBlank(this.code(this.pos + 1))) {
        this.fail('nested mappings are not allowed in compact mappings; start the inner map on its own line', this.pos);
      }
      this.fail('unexpected content after the value', this.pos);
    }
    this.skipLines(pc);
    let eL = tokL;
    let eC = tokC;
    if (this.sameEndL !== NONE) {
      eL = this.sameEndL;
      eC = this.sameEndC;
    }
    if (this.deepEndL !== NONE) {
      eL = this.deepEndL;
      eC = this.deepEndC;
    }
    this.rEndL = eL;
    this.rEndC = eC;
    if (this.restMax >= 0) {
      this.pendMax = this.restMax;
      this.pendEndL = this.restEndL;
      this.pendEndC = this.restEndC;
    } else {
      this.pendMax = -1;
    }
  }

  // --------------------------------------------------------------- scalars

  /** Scans the plain scalar at `start` into `scan`. */
  protected scanPlain(start: number, inFlow: boolean, indentNext: number): void {
    scanPlain(this.src, start, inFlow, indentNext, this.scan);
    const odd = this.scan.odd;
    if (odd >= 0) this.unsupported(this.src.charCodeAt(odd) === CR ? 'a carriage return without a line feed' : 'a control character', odd);
  }

  // ------------------------------------------------------------ white space

  /** Spaces and tabs on this line; returns the offset of the first tab, or -1. */
  protected skipSpaces(): number {
    const src = this.src;
    let i = this.pos;
    let tab = -1;
    for (;;) {
      const c = src.charCodeAt(i);
      if (c === SPACE) i++;
      else if (c === TAB) {
        if (tab < 0) tab = i;
        i++;
      } else break;
    }
    this.pos = i;
    return tab;
  }

  /**
   * After a token: spaces and an optional comment up to the end of the line.
   * Leaves the cursor on the line break (or on other content, for the caller
   * to reject) and records the comment's end in sameEnd.
   */
  protected skipRestOfLine(): void {
    const src = this.src;
    const tokenEnd = this.pos;
    this.skipSpaces();
    this.sameEndL = NONE;
    const c = this.code(this.pos);
    if (c !== HASH) return;
    if (this.pos === tokenEnd && this.pos > this.lineStart) {
      const prev = src.charCodeAt(this.pos - 1);
      if (prev !== SPACE && prev !== TAB) this.fail('comments must be separated from other tokens by white space characters', this.pos);
    }
    let eol = src.indexOf('\n', this.pos);
    if (eol < 0) eol = this.n;
    this.sameEndL = this.line;
    this.sameEndC = this.lastNonSpace(this.pos, eol) - this.lineStart + 1;
    this.pos = src.charCodeAt(eol - 1) === CR ? eol - 1 : eol;
  }

  /**
   * From the end of a line (or a line start): blank and comment lines up to
   * the next content, a document marker or the end. Records in tKind/tCol
   * what comes next, and the comments passed: the leading run indented
   * deeper than `threshold` (deepEnd) and the rest (restEnd, restMax).
   */
  protected skipLines(threshold: number, atLineStart = false): void {
    const src = this.src;
    const n = this.n;
    let i = this.pos;
    if (atLineStart) this.sameEndL = NONE;
    this.allEndL = this.sameEndL;
    this.allEndC = this.sameEndC;
    this.deepEndL = NONE;
    this.deepMax = -1;
    this.restEndL = NONE;
    this.restMax = -1;
    this.tabLine = -1;
    let deep = true;
    let line = this.line;
    let lineStart = this.lineStart;
    if (!atLineStart) {
      // On the line break that ends a token's line.
      if (i < n && src.charCodeAt(i) === CR) {
        if (src.charCodeAt(i + 1) !== LF) this.unsupported('a carriage return without a line feed', i);
        i += 1;
      }
      if (i >= n) {
        this.pos = n;
        this.tKind = T_EOF;
        return;
      }
      i += 1;
      line += 1;
      lineStart = i;
    }
    for (;;) {
      if (i >= n) {
        this.line = line;
        this.lineStart = lineStart;
        this.pos = n;
        this.tKind = T_EOF;
        return;
      }
      let j = i;
      while (j < n && src.charCodeAt(j) === SPACE) j++;
      const indent = j - i;
      let k = j;
      while (k < n && (src.charCodeAt(k) === SPACE || src.charCodeAt(k) === TAB)) k++;
      const c = k < n ? src.charCodeAt(k) : EOF;
      if (c === LF || c === EOF || (c === CR && src.charCodeAt(k + 1) === LF)) {
        if (k > j) this.tabLine = i;
        if (c === EOF) {
          i = k;
          continue;
        }
        i = c === CR ? k + 2 : k + 1;
        line += 1;
        lineStart = i;
        continue;
      }
      if (c === HASH) {
        let eol = src.indexOf('\n', k);
        if (eol < 0) eol = n;
        const endL = line;
        const endC = this.lastNonSpace(k, eol) - lineStart + 1;
        this.allEndL = endL;
        this.allEndC = endC;
        if (deep && indent > threshold) {
          this.deepEndL = endL;
          this.deepEndC = endC;
          if (indent > this.deepMax) this.deepMax = indent;
        } else {
          deep = false;
          this.restEndL = endL;
          this.restEndC = endC;
          if (indent > this.restMax) this.restMax = indent;
        }
        if (eol >= n) {
          i = n;
          continue;
        }
        i = eol + 1;
        line += 1;
        lineStart = i;
        continue;
      }
      if (c === CR) this.unsupported('a carriage return without a line feed', k);
      this.line = line;
      this.lineStart = lineStart;
      if (k > j) {
        this.pos = k;
        // At the document root the reference parser allows a tab before a flow collection.
        if (j === i && c !== LBRACKET && c !== LBRACE) this.fail('tabs are not allowed as indentation', i, YAML_HINTS.TAB_AS_INDENT, true);
        this.unsupported('a tab in the indentation', j);
      }
      this.pos = j;
      this.tCol = indent;
      if (indent === 0 && isDocMarker(src, j)) {
        this.tKind = c === DASH ? T_DOC_START : T_DOC_END;
      } else {
        this.tKind = T_CONTENT;
      }
      return;
    }
  }

  // --------------------------------------------------------------- helpers

  /** What skipLines() found (a method, so that type narrowing does not outlive a skip). */
  protected kind(): number {
    return this.tKind;
  }

  /** A plain key [start, end) spelled as the reference converter spells it. */
  protected plainKey(start: number, end: number): string {
    const key = keyText(resolvePlain(this.src.slice(start, end)));
    if (key.length > 40) return key;
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    if (this.keys.size < 10_000) this.keys.set(key, key);
    return key;
  }

  protected code(i: number): number {
    return codeAt(this.src, i);
  }

  protected dashAhead(): boolean {
    return this.code(this.pos) === DASH && isBlank(this.code(this.pos + 1));
  }

  /** After a quoted scalar, flow collection or alias: spaces then ':' and white space? Leaves the cursor on the ':'. */
  protected colonIndicatorAhead(): boolean {
    const save = this.pos;
    this.skipSpaces();
    if (this.code(this.pos) === COLON && isBlank(this.code(this.pos + 1))) return true;
    this.pos = save;
    return false;
  }

  /** Moves the cursor to `end`, counting the lines passed when the token spans several. */
  protected advanceTo(end: number, multiline: boolean): void {
    if (multiline) {
      for (let i = lineBreakIn(this.src, this.pos, end); i >= 0; i = lineBreakIn(this.src, i + 1, end)) {
        this.line += 1;
        this.lineStart = i + 1;
      }
    }
    this.pos = end;
  }

  /** Offset of the last non-white-space character in [from, to), at least `from`. */
  protected lastNonSpace(from: number, to: number): number {
    let e = to - 1;
    while (e > from && isJsSpace(this.src.charCodeAt(e))) e--;
    return e;
  }

  /**
   * The end (line, col) of a token [start, end) that lies on the current line
   * or ends on it, trimmed as the reference trims ranges.
   */
  protected tokenEnd(start: number, end: number): void {
    let last = end - 1;
    if (isJsSpace(this.src.charCodeAt(last))) last = Math.max(start, this.trimmedEnd(end));
    if (last >= this.lineStart) {
      this.rEndL = this.line;
      this.rEndC = last - this.lineStart + 1;
      return;
    }
    const [line, col] = this.positionOf(last);
    this.rEndL = line;
    this.rEndC = col;
  }

  protected trimmedEnd(end: number): number {
    let e = Math.min(end, this.n);
    while (e > 0 && isJsSpace(this.src.charCodeAt(e - 1))) e -= 1;
    return Math.max(0, e - 1);
  }

  /** (line, col) of any offset, counted from the current line: for errors and rare trims only. */
  protected positionOf(offset: number): [number, number] {
    let line = this.line;
    let lineStart = this.lineStart;
    while (offset < lineStart) {
      line -= 1;
      lineStart = this.src.lastIndexOf('\n', lineStart - 2) + 1;
    }
    for (let i = lineStart; i < offset; i++) {
      if (this.src.charCodeAt(i) === LF) {
        line += 1;
        lineStart = i + 1;
      }
    }
    return [line, offset - lineStart + 1];
  }

  /** The location of a key token [start, end) that began at (line, col) and ends on the current line. */
  protected keyLoc(line: number, col: number, start: number, end: number): SourceLoc {
    this.tokenEnd(start, end);
    return this.loc(line, col, this.rEndL, this.rEndC);
  }

  protected pointLoc(offset: number): SourceLoc {
    const [line, col] = this.positionOf(Math.min(offset, this.n));
    return this.loc(line, col, line, col);
  }

  protected loc(line: number, col: number, endLine: number, endCol: number): SourceLoc {
    return { file: this.file, line, col, endLine, endCol };
  }

  protected scalarAt(value: LScalar['value'], quoted: boolean, line: number, col: number, endLine: number, endCol: number): LScalar {
    return { kind: 'scalar', value, quoted, loc: { file: this.file, line, col, endLine, endCol } };
  }

  // ---------------------------------------------------- limits and failures

  protected depthCheck(depth: number, offset: number): void {
    if (depth > MAX_DEPTH) this.tooDeep(this.pointLoc(offset));
  }

  protected depthCheckAt(depth: number, line: number, col: number): void {
    if (depth > MAX_DEPTH) this.tooDeep(this.loc(line, col, line, col));
  }

  protected tooDeep(loc: SourceLoc): never {
    throw new Stop({ kind: 'error', diagnostics: [diag('TOPO013', `the YAML nests deeper than ${MAX_DEPTH} levels here`, loc)], definitive: true });
  }

  /** Counts nodes as the reference converter does, aliases at their full size. */
  protected charge(nodes: number, line: number, col: number): void {
    this.expanded += nodes;
    if (this.expanded > MAX_EXPANDED_NODES && !this.lenient) {
      throw new Stop({
        kind: 'error',
        diagnostics: [diag('TOPO012', `YAML aliases expand this document beyond ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes (an alias bomb?)`, this.loc(line, col, line, col))],
        definitive: true,
      });
    }
  }

  /** A key that is a map, a list or an alias: the YAML may be valid, but no scenario key is one. */
  protected complexKey(at: number): never {
    throw new Stop({
      kind: 'error',
      diagnostics: [diag('TOPO016', 'a map key here is itself a map or list; scenario keys are plain names', this.pointLoc(at))],
      definitive: false,
    });
  }

  /** A map key line without its ':'; the reference parser accepts the ':' on a later, deeper line. */
  protected keyWithoutValue(start: number, end: number): never {
    const src = this.src;
    let i = end;
    for (;;) {
      const c = this.code(i);
      if (c === SPACE || c === TAB || c === LF || c === CR) i++;
      else if (c === HASH) {
        const eol = src.indexOf('\n', i);
        i = eol < 0 ? this.n : eol;
      } else break;
    }
    if (this.code(i) === COLON && isBlank(this.code(i + 1))) this.unsupported('a map key with its : on a later line', i);
    this.fail('implicit map keys need to be followed by map values', start);
  }

  protected badIndent(): never {
    const c = this.code(this.pos);
    if ((c === COLON || c === QUESTION) && isBlank(this.code(this.pos + 1))) this.unsupported(c === COLON ? 'a map entry without a key' : 'an explicit map key (?)', this.pos);
    this.fail('all items of a map or list must start at the same column; this line is indented differently', this.pos);
  }

  protected badPlainStart(c: number, at: number): never {
    const what = c === COMMA ? 'flow indicator character ,' : c === PERCENT ? 'directive indicator character %' : c === PIPE || c === GT ? `block scalar indicator ${String.fromCharCode(c)}` : `reserved character ${String.fromCharCode(c)}`;
    this.fail(`plain value cannot start with ${what}`, at);
  }

  /** A malformed scalar (ScalarResult not ok); `base` is where its text starts. */
  protected failResult(result: Extract<ScalarResult, { ok: false }>, base: number): never {
    this.fail(result.message, base + result.at);
  }

  protected fail(message: string, offset: number, hint?: string, definitive = false): never {
    throw new Stop({ kind: 'error', diagnostics: [diag('TOPO010', message, this.pointLoc(offset), hint ? { hint } : {})], definitive });
  }

  /** A feature lenient mode reads past: it changes values, never structure. */
  protected skippable(feature: string, offset: number): void {
    if (!this.lenient) this.unsupported(feature, offset);
  }

  protected unsupported(feature: string, offset: number): never {
    throw new Stop({ kind: 'unsupported', feature, loc: this.pointLoc(offset) });
  }
}
