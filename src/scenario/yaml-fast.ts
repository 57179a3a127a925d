/**
 * The fast YAML front end: a single-pass parser for the YAML that scenario
 * files use, building the located tree directly. It must agree exactly with
 * the reference front end (yaml-reference.ts) on every tree, value and
 * position it produces, so anything it cannot reproduce exactly is reported
 * as `unsupported` and left to the reference parser. It stops at the first
 * syntax error and never recurses deeper than MAX_DEPTH, so hostile input
 * costs time and memory linear in the text at worst.
 *
 * The grammar is here; the cursor, positions, comments and budgets are in
 * yaml-fast-cursor.ts, where tokens end in yaml-fast-lexer.ts, and scalar
 * values in yaml-fast-scalars.ts.
 */
import { diag, type Diagnostic } from './diagnostics.js';
import type { SourceLoc } from './source-loc.js';
import { FastCursor, NONE, Stop, T_CONTENT, T_DOC_END, T_DOC_START, T_EOF } from './yaml-fast-cursor.js';
import {
  AMP, AT, BACKTICK, BANG, blockHeaderScan, blockScalarEnd, COLON, COMMA, CR, DASH, DQUOTE, endsName, EOF, GT, HASH, isBlank, isDocMarker, isFlowIndicator, isJsSpace,
  LBRACE, LBRACKET, LF, lineBreakIn, PERCENT, PIPE, QUESTION, quotedEnd, RBRACE, RBRACKET, SPACE, SQUOTE, STAR, TAB, tagEnd,
} from './yaml-fast-lexer.js';
import { blockHeader, blockScalarValue, doubleQuotedValue, keyText, resolvePlain, singleQuotedValue, unfoldLines } from './yaml-fast-scalars.js';
import { MAX_ALIASED_NODES } from './yaml-limits.js';
import { aliasLimit, YAML_HINTS } from './yaml-reference.js';
import type { LEntry, LNode } from './yaml-tree.js';

export type FastParse =
  | { readonly kind: 'ok'; readonly root: LNode | undefined }
  | { readonly kind: 'unsupported'; readonly feature: string; readonly loc: SourceLoc }
  | { readonly kind: 'error'; readonly diagnostics: readonly Diagnostic[]; readonly definitive: boolean };

export function parseFast(text: string, file: string): FastParse {
  return run(new FastParser(text, file, false));
}

/**
 * Checks the syntax of a file the fast parser cannot read exactly, reading
 * past node properties (tags, anchors on keys or on empty values) and
 * directives: they change values, not structure, so any syntax
 * error after them is found as well. `ok` means the file is well-formed as
 * far as the subset goes; its root is not returned.
 */
export function checkFast(text: string, file: string): FastParse {
  const result = run(new FastParser(text, file, true));
  return result.kind === 'ok' ? { kind: 'ok', root: undefined } : result;
}

function run(parser: FastParser): FastParse {
  try {
    return { kind: 'ok', root: parser.document() };
  } catch (stop) {
    if (stop instanceof Stop) return stop.result;
    throw stop;
  }
}

/** Where a node starts, which decides what it may be. */
const AT_LINE_START = 0;
const AFTER_DASH = 1;
const AFTER_COLON = 2;

interface Anchor {
  node: LNode | undefined;
  size: number;
}

class FastParser extends FastCursor {
  /** nextKey() result. */
  private keyOut = '';
  private flowLevel = 0;
  /** Of the nodes built, those reached through aliases (MAX_ALIASED_NODES). */
  private aliased = 0;
  private readonly anchors = new Map<string, Anchor>();

  // ---------------------------------------------------------------- document

  document(): LNode | undefined {
    // After a byte order mark the reference parser stops counting indentation on line 1.
    if (this.n > 0 && this.src.charCodeAt(0) === 0xfeff) this.unsupported('a byte order mark', 0);
    this.lastLineOfBlanksWithTab();
    this.skipLines(-1, true);
    if (this.tKind === T_EOF) return undefined;
    if (this.tKind === T_DOC_END) {
      // An empty document: the reference parser places its null at the marker.
      const line = this.line;
      const col = this.pos - this.lineStart + 1;
      this.charge(1, line, col);
      const root = this.scalarAt(null, false, line, col, line, col);
      this.documentEnd();
      return root;
    }
    if (this.tKind === T_CONTENT && this.tCol === 0 && this.code(this.pos) === PERCENT) this.directives();
    let root: LNode;
    if (this.tKind === T_DOC_START) {
      this.pos += 3;
      this.skipSpaces();
      const nullLine = this.line;
      const nullCol = this.pos - this.lineStart + 1;
      const c = this.code(this.pos);
      if (c !== HASH && c !== LF && c !== CR && c !== EOF) this.unsupported('content on the --- line', this.pos);
      this.skipRestOfLine();
      this.skipLines(-1);
      const next = this.kind();
      if (next === T_CONTENT) {
        root = this.node(-1, 0, AT_LINE_START);
      } else {
        if (next === T_DOC_START) this.multipleDocuments();
        if (this.tabLine >= 0) this.unsupported('a blank line with a tab after an empty value', this.tabLine);
        this.charge(1, nullLine, nullCol);
        root = this.scalarAt(null, false, nullLine, nullCol, nullLine, nullCol);
      }
    } else {
      root = this.node(-1, 0, AT_LINE_START);
    }
    this.documentEnd();
    return root;
  }

  /**
   * A last line of spaces and tabs with no line break after it: the reference
   * parser rejects its tab or not depending on which syntax tree item it ends.
   */
  private lastLineOfBlanksWithTab(): void {
    let tab = -1;
    let i = this.n - 1;
    for (; i >= 0; i--) {
      const c = this.src.charCodeAt(i);
      if (c === TAB) tab = i;
      else if (c !== SPACE) break;
    }
    if (tab >= 0 && (i < 0 || this.src.charCodeAt(i) === LF)) this.unsupported('a last line of blanks with a tab', tab);
  }

  /** `%YAML`/`%TAG` lines (lenient mode): they must end with a --- line. */
  private directives(): void {
    this.skippable('a YAML directive (%)', this.pos);
    while (this.kind() === T_CONTENT && this.tCol === 0 && this.code(this.pos) === PERCENT) {
      const eol = this.src.indexOf('\n', this.pos);
      this.pos = eol < 0 ? this.n : this.src.charCodeAt(eol - 1) === CR ? eol - 1 : eol;
      this.skipLines(-1);
    }
    if (this.code(this.pos) === 0xfeff) this.unsupported('a byte order mark', this.pos);
    if (this.kind() !== T_DOC_START) this.fail('missing directives-end indicator line (---) after the directives', this.pos);
  }

  private documentEnd(): void {
    if (this.tKind === T_EOF) return;
    if (this.tKind === T_DOC_START) this.multipleDocuments();
    if (this.tKind === T_CONTENT) {
      this.fail('this line does not fit the structure above it; check its indentation', this.pos);
    }
    // `...`: only comments may follow.
    this.pos += 3;
    this.skipSpaces();
    const c = this.code(this.pos);
    if (c !== HASH && c !== LF && c !== CR && c !== EOF) this.unsupported('content after a document end marker (...)', this.pos);
    this.skipRestOfLine();
    this.skipLines(-1);
    if (this.tKind !== T_EOF) this.unsupported('content after a document end marker (...)', this.pos);
  }

  private multipleDocuments(): never {
    const loc = this.pointLoc(this.pos);
    throw new Stop({
      kind: 'error',
      diagnostics: [diag('TOPO014', 'the file holds more than one YAML document', loc, { hint: YAML_HINTS.MULTIPLE_DOCS })],
      definitive: false,
    });
  }

  // ------------------------------------------------------------ block nodes

  /**
   * A node starting at the current content character. `pc` is the column of
   * the enclosing block collection (-1 at the root).
   */
  private node(pc: number, depth: number, where: number, propsAt = -1): LNode {
    const start = this.pos;
    const c = this.code(start);
    const next = this.code(start + 1);
    switch (c) {
      case DASH:
        if (isBlank(next)) {
          if (where === AFTER_COLON) this.fail('a list cannot start on the same line as its key; start it on the next line', start);
          return this.blockSeq(start - this.lineStart, depth);
        }
        break;
      case QUESTION:
      case COLON:
        if (isBlank(next)) {
          if (where === AFTER_COLON) this.fail('nested mappings are not allowed in compact mappings; start the inner map on its own line', start);
          this.unsupported(c === QUESTION ? 'an explicit map key (?)' : 'a map entry without a key', start);
        }
        break;
      case BANG:
      case AMP:
        return this.withProperties(pc, depth, where);
      case STAR:
        return this.aliasValue(pc, depth, where);
      case PIPE:
      case GT:
        return this.blockScalar(pc, depth);
      case DQUOTE:
      case SQUOTE:
        return this.quotedNode(pc, depth, where, propsAt);
      case LBRACKET:
      case LBRACE: {
        const node = this.flow(depth, pc + 1);
        if (this.colonIndicatorAhead()) {
          // `key: [x]: y` is valid: the reference parser reads `: y` as a second entry with an empty key.
          if (where === AFTER_COLON) this.unsupported('a map entry without a key', this.pos);
          this.complexKey(propsAt >= 0 ? propsAt : start);
        }
        this.afterInlineValue(pc);
        return node;
      }
      case RBRACKET:
      case RBRACE:
        this.fail(`unexpected ${String.fromCharCode(c)} outside a flow collection`, start);
        break;
      case COMMA:
      case PERCENT:
      case AT:
      case BACKTICK:
        this.badPlainStart(c, start);
        break;
    }
    return this.plainNode(pc, depth, where, propsAt);
  }

  /** A plain scalar that is either a value or the first key of a block map. */
  private plainNode(pc: number, depth: number, where: number, propsAt: number): LNode {
    const start = this.pos;
    const startLine = this.line;
    const startCol = start - this.lineStart + 1;
    this.scanPlain(start, false, pc + 1);
    const end = this.scan.end;
    const multiline = this.scan.multiline;
    const isKey = this.scan.key;
    if (isKey) {
      if (where === AFTER_COLON) this.fail('nested mappings are not allowed in compact mappings; start the inner map on its own line', start);
      if (multiline) this.fail('implicit keys need to be on a single line', start);
      const key = this.plainKey(start, end);
      const keyLoc = this.keyLoc(startLine, startCol, start, end);
      this.pos = this.scan.stop;
      return this.blockMap(this.mapColumn(startCol - 1, propsAt), depth, key, keyLoc, start);
    }
    const raw = this.src.slice(start, end);
    const value = resolvePlain(multiline ? unfoldLines(raw) : raw);
    this.advanceTo(end, multiline);
    this.depthCheck(depth, start);
    this.charge(1, startLine, startCol);
    this.tokenEnd(start, end);
    const node = this.scalarAt(value, false, startLine, startCol, this.rEndL, this.rEndC);
    this.afterInlineValue(pc);
    return node;
  }

  private quotedNode(pc: number, depth: number, where: number, propsAt: number): LNode {
    const start = this.pos;
    const startLine = this.line;
    const startCol = start - this.lineStart + 1;
    const value = this.quoted(pc + 1);
    const end = this.pos;
    if (this.colonIndicatorAhead()) {
      if (where === AFTER_COLON) this.fail('nested mappings are not allowed in compact mappings; start the inner map on its own line', start);
      if (this.line !== startLine) this.fail('implicit keys need to be on a single line', start);
      return this.blockMap(this.mapColumn(startCol - 1, propsAt), depth, value, this.keyLoc(startLine, startCol, start, end), start);
    }
    this.depthCheck(depth, start);
    this.charge(1, startLine, startCol);
    this.tokenEnd(start, end);
    const node = this.scalarAt(value, true, startLine, startCol, this.rEndL, this.rEndC);
    this.afterInlineValue(pc);
    return node;
  }

  /**
   * Node properties (`&anchor`, and `!tag` in lenient mode) before a node on
   * this line, or before a block node on the next lines.
   */
  private withProperties(pc: number, depth: number, where: number): LNode {
    const at = this.pos;
    const anchor = this.properties();
    const c = this.code(this.pos);
    const entry: Anchor | undefined = anchor === undefined ? undefined : { node: undefined, size: 0 };
    const before = this.expanded;
    let node: LNode;
    if (c === HASH || c === LF || c === CR || c === EOF) {
      if (where === AT_LINE_START) this.skippable('an anchor on a line of its own', at);
      const nullLine = this.line;
      const nullCol = this.pos - this.lineStart + 1;
      this.skipRestOfLine();
      this.skipLines(pc);
      const sameIndentSeq = where === AFTER_COLON && this.tCol === pc && this.dashAhead();
      if (this.tKind !== T_CONTENT || (this.tCol <= pc && !sameIndentSeq)) {
        this.skippable('an anchor on an empty value', at);
        if (this.tabLine >= 0) this.unsupported('a blank line with a tab after an empty value', this.tabLine);
        node = this.scalarAt(null, false, nullLine, nullCol, nullLine, nullCol);
        if (entry) this.anchors.set(anchor as string, entry);
        this.rEndL = nullLine;
        this.rEndC = nullCol;
        this.pendMax = -1;
      } else {
        if (entry) this.anchors.set(anchor as string, entry);
        node = this.node(pc, depth, AT_LINE_START);
      }
    } else {
      if (c === DASH && isBlank(this.code(this.pos + 1))) {
        this.skippable('an anchor before a list item on the same line', at);
        this.fail('a block sequence cannot start on the same line as its anchor or tag; start it on the next line', this.pos);
      }
      if (c === STAR) this.fail('an alias node must not specify any properties', at);
      if (entry) this.anchors.set(anchor as string, entry);
      node = this.node(pc, depth, where, at);
    }
    if (entry) {
      entry.node = node;
      entry.size = this.expanded - before;
    }
    return node;
  }

  /**
   * Reads `&anchor` and `!tag` properties and the white space after them;
   * returns the anchor name. Tags change values, not structure, so only the
   * lenient mode reads past them.
   */
  private properties(): string | undefined {
    const at = this.pos;
    let anchor: string | undefined;
    let tagged = false;
    for (;;) {
      const c = this.code(this.pos);
      if (c === AMP) {
        if (anchor !== undefined) this.fail('a node can have at most one anchor', this.pos);
        anchor = this.anchorName();
      } else if (c === BANG) {
        this.skippable('a YAML tag (!)', this.pos);
        if (tagged) this.fail('a node can have at most one tag', this.pos);
        this.pos = tagEnd(this.src, this.pos);
        tagged = true;
      } else {
        return anchor;
      }
      const d = this.code(this.pos);
      if (d !== SPACE && d !== TAB && d !== LF && d !== CR && d !== EOF && !(this.flowLevel > 0 && (d === COMMA || d === RBRACKET || d === RBRACE))) {
        this.skippable('an anchor not followed by white space', at);
        // Inside flow sequences the reference parser skips this check.
        if (this.flowLevel > 0) this.unsupported('a tag not followed by white space', at);
        this.fail('tags and anchors must be separated from the next token by white space', this.pos);
      }
      this.skipSpaces();
    }
  }

  /** A map's column: its first key's, or that of the properties before it (lenient mode only). */
  private mapColumn(keyCol: number, propsAt: number): number {
    if (propsAt < 0) return keyCol;
    this.skippable('an anchor on a map key', propsAt);
    return propsAt - this.lineStart;
  }

  private aliasValue(pc: number, depth: number, where: number): LNode {
    const start = this.pos;
    const name = this.aliasName();
    if (this.colonIndicatorAhead()) {
      if (where === AFTER_COLON) this.fail('nested mappings are not allowed in compact mappings; start the inner map on its own line', start);
      this.complexKey(start);
    }
    const node = this.resolveAlias(name, start, depth);
    this.afterInlineValue(pc);
    return node;
  }

  /** A block map whose first key has been read; the cursor is on its ':'. */
  private blockMap(m: number, depth: number, firstKey: string, firstKeyLoc: SourceLoc, firstKeyStart: number): LNode {
    this.depthCheck(depth, firstKeyStart);
    const startLine = firstKeyLoc.line;
    const startCol = firstKeyLoc.col;
    this.charge(1, startLine, startCol);
    const entries: LEntry[] = [];
    let key = firstKey;
    let keyLoc = firstKeyLoc;
    let keyStart = firstKeyStart;
    for (;;) {
      // On the ':' after a key.
      if (this.pos - keyStart > 1024) this.fail('the : indicator must be at most 1024 chars after the start of an implicit block mapping key', keyStart);
      const colonLine = this.line;
      const colonCol = this.pos - this.lineStart + 1;
      this.pos += 1;
      this.skipSpaces();
      const value = this.valueAfterIndicator(m, depth + 1, AFTER_COLON, colonLine, colonCol);
      entries.push({ key, keyLoc, value });
      const vEndL = this.rEndL;
      const vEndC = this.rEndC;
      if (this.tKind === T_CONTENT && this.tCol === m) {
        if (this.dashAhead()) this.fail('a list item at the indentation of the map keys; indent the list under its key', this.pos);
        this.pendMax = -1;
        keyStart = this.pos;
        keyLoc = this.nextKey();
        key = this.keyOut;
        continue;
      }
      if (this.tKind === T_CONTENT && this.tCol > m) this.badIndent();
      return this.closeCollection({ kind: 'map', entries, loc: this.loc(startLine, startCol, vEndL, vEndC) }, m, vEndL, vEndC);
    }
  }

  /** The key of a further entry of a block map, up to its ':': its location; the key goes to keyOut. */
  private nextKey(): SourceLoc {
    const start = this.pos;
    const c = this.code(start);
    const next = this.code(start + 1);
    switch (c) {
      case DQUOTE:
      case SQUOTE: {
        const startLine = this.line;
        const startCol = start - this.lineStart + 1;
        const key = this.quoted(Number.MAX_SAFE_INTEGER);
        const end = this.pos;
        if (this.line !== startLine) this.fail('implicit keys need to be on a single line', start);
        if (!this.colonIndicatorAhead()) this.keyWithoutValue(start, this.pos);
        this.keyOut = key;
        return this.keyLoc(startLine, startCol, start, end);
      }
      case AMP:
      case BANG:
        this.skippable(c === AMP ? 'an anchor on a map key' : 'a YAML tag (!)', start);
        this.properties();
        if (isBlank(this.code(this.pos))) this.unsupported('an anchor or tag on a line of its own', start);
        return this.nextKey();
      case STAR:
        this.complexKey(start);
        break;
      case LBRACKET:
      case LBRACE:
        this.complexKey(start);
        break;
      case QUESTION:
        if (isBlank(next)) this.unsupported('an explicit map key (?)', start);
        break;
      case COLON:
        if (isBlank(next)) this.unsupported('a map entry without a key', start);
        break;
      case PIPE:
      case GT:
      case RBRACKET:
      case RBRACE:
        this.fail('implicit map keys need to be followed by map values', start);
        break;
      case COMMA:
      case PERCENT:
      case AT:
      case BACKTICK:
        this.badPlainStart(c, start);
        break;
    }
    this.scanPlain(start, false, this.pos - this.lineStart + 1);
    if (!this.scan.key) this.keyWithoutValue(start, this.scan.end);
    if (this.scan.multiline) this.fail('implicit keys need to be on a single line', start);
    const end = this.scan.end;
    const loc = this.keyLoc(this.line, start - this.lineStart + 1, start, end);
    this.pos = this.scan.stop;
    this.keyOut = this.plainKey(start, end);
    return loc;
  }

  private blockSeq(s: number, depth: number): LNode {
    const start = this.pos;
    this.depthCheck(depth, start);
    const startLine = this.line;
    const startCol = s + 1;
    this.charge(1, startLine, startCol);
    const items: LNode[] = [];
    for (;;) {
      // On a '-' followed by white space.
      const dashLine = this.line;
      const dashCol = this.pos - this.lineStart + 1;
      this.pos += 1;
      const tabAt = this.skipSpaces();
      if (tabAt >= 0) {
        const c = this.code(this.pos);
        if (c !== HASH && c !== LF && c !== CR && c !== EOF) this.unsupported('a tab after a list item indicator', tabAt);
      }
      items.push(this.valueAfterIndicator(s, depth + 1, AFTER_DASH, dashLine, dashCol));
      const vEndL = this.rEndL;
      const vEndC = this.rEndC;
      if (this.tKind === T_CONTENT && this.tCol === s && this.dashAhead()) {
        this.pendMax = -1;
        continue;
      }
      if (this.tKind === T_CONTENT && this.tCol > s) this.badIndent();
      return this.closeCollection({ kind: 'seq', items, loc: this.loc(startLine, startCol, vEndL, vEndC) }, s, vEndL, vEndC);
    }
  }

  /**
   * The value after a map's ':' or a list's '-' (spaces skipped): on the same
   * line, on the following lines, or empty. (indL, indC) is the indicator.
   */
  private valueAfterIndicator(pc: number, depth: number, where: number, indL: number, indC: number): LNode {
    const c = this.code(this.pos);
    if (c !== HASH && c !== LF && c !== CR && c !== EOF) return this.node(pc, depth, where);
    const nullLine = this.line;
    const nullCol = this.pos - this.lineStart + 1;
    this.skipRestOfLine();
    this.skipLines(pc);
    if (this.tKind === T_CONTENT && (this.tCol > pc || (where === AFTER_COLON && this.tCol === pc && this.dashAhead()))) {
      return this.node(pc, depth, AT_LINE_START);
    }
    // An empty value: every comment up to the next content belongs to it.
    // Whether a tab-led blank line among them is an error depends on where the reference parser's syntax tree splits them.
    if (this.tabLine >= 0) this.unsupported('a blank line with a tab after an empty value', this.tabLine);
    this.depthCheckAt(depth, nullLine, nullCol);
    this.charge(1, nullLine, nullCol);
    const node = this.scalarAt(null, false, nullLine, nullCol, nullLine, nullCol);
    if (this.allEndL !== NONE) {
      this.rEndL = this.allEndL;
      this.rEndC = this.allEndC;
    } else {
      this.rEndL = indL;
      this.rEndC = indC;
    }
    this.pendMax = -1;
    return node;
  }

  // ---------------------------------------------------------- block scalars

  private blockScalar(pc: number, depth: number): LNode {
    const start = this.pos;
    const startLine = this.line;
    const startCol = start - this.lineStart + 1;
    const src = this.src;
    const { end: headerEnd, explicit, keep } = blockHeaderScan(src, start);
    const header = blockHeader(src.slice(start, headerEnd));
    if ('at' in header) this.fail(`block scalar header includes extra characters: ${src.slice(start, headerEnd)}`, start + header.at);
    this.pos = headerEnd;
    this.skipSpaces();
    const c = this.code(this.pos);
    if (c === HASH && this.pos === headerEnd) this.fail('comments must be separated from other tokens by white space characters', this.pos);
    if (c === CR && this.code(this.pos + 1) !== LF) this.unsupported('a carriage return without a line feed', this.pos);
    if (c !== HASH && c !== LF && c !== CR && c !== EOF) this.fail('unexpected content after a block scalar header', this.pos);
    let lineEnd = src.indexOf('\n', this.pos);
    if (lineEnd < 0) lineEnd = this.n;
    const contentStart = Math.min(this.n, lineEnd + 1);
    const nl = blockScalarEnd(src, contentStart, explicit, keep, pc < 0 ? 0 : pc + 1);
    const stop = Math.min(this.n, nl + 1);
    const source = src.slice(contentStart, stop);
    if (source.indexOf('\t') >= 0 && /(^|\n) *\t/.test(source)) this.unsupported('a tab in the indentation of a block scalar', start);
    if (source.indexOf('\r') >= 0 && /\r(?!\n)/.test(source)) this.unsupported('a carriage return without a line feed', start);
    const value = blockScalarValue(source, header, pc < 0 ? 0 : pc, depth === 0);
    if (!value.ok) this.failResult(value, contentStart);
    this.depthCheck(depth, start);
    this.charge(1, startLine, startCol);
    // The value ends at the last non-space character of the header and content lines.
    let last = stop - 1;
    while (last > start && isJsSpace(src.charCodeAt(last))) last--;
    let endLine = startLine;
    let endLineStart = this.lineStart;
    for (let i = lineBreakIn(this.src, start, last); i >= 0; i = lineBreakIn(this.src, i + 1, last)) {
      endLine++;
      endLineStart = i + 1;
    }
    const node = this.scalarAt(value.value, false, startLine, startCol, endLine, last - endLineStart + 1);
    // Move to the line after the scalar.
    let line = this.line;
    let lineStart = this.lineStart;
    for (let i = lineBreakIn(this.src, this.pos, stop); i >= 0; i = lineBreakIn(this.src, i + 1, stop)) {
      line++;
      lineStart = i + 1;
    }
    this.line = line;
    this.lineStart = lineStart;
    this.pos = stop;
    this.rEndL = endLine;
    this.rEndC = last - endLineStart + 1;
    const tokL = this.rEndL;
    const tokC = this.rEndC;
    this.skipLines(pc, this.pos === this.lineStart);
    // Nothing attaches to a block scalar: all comments after it travel up.
    this.rEndL = tokL;
    this.rEndC = tokC;
    const max = Math.max(this.deepMax, this.restMax);
    if (max >= 0) {
      this.pendMax = max;
      this.pendEndL = this.allEndL;
      this.pendEndC = this.allEndC;
    } else {
      this.pendMax = -1;
    }
    return node;
  }

  // ------------------------------------------------------------ flow nodes

  /** A flow collection at '[' or '{'; the cursor ends after its closing bracket. */
  private flow(depth: number, indentNext: number): LNode {
    const start = this.pos;
    const open = this.code(start);
    const isMap = open === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const startLine = this.line;
    const startCol = start - this.lineStart + 1;
    this.depthCheck(depth, start);
    this.charge(1, startLine, startCol);
    this.flowLevel += 1;
    this.pos += 1;
    const entries: LEntry[] | null = isMap ? [] : null;
    const items: LNode[] | null = isMap ? null : [];
    const name = isMap ? 'flow map' : 'flow sequence';
    for (;;) {
      this.skipFlowSpace(indentNext);
      let c = this.code(this.pos);
      if (c === close) break;
      if (c === RBRACKET || c === RBRACE) this.fail(`${name} must end with a ${String.fromCharCode(close)}`, this.pos);
      if (c === EOF) this.fail(`${name} must end with a ${String.fromCharCode(close)}`, this.pos);
      if (c === COMMA) this.fail(`unexpected , in ${name}`, this.pos);
      if (entries) {
        const keyStart = this.pos;
        const keyLine = this.line;
        const keyCol = keyStart - this.lineStart + 1;
        const key = this.flowKey(indentNext);
        const keyLoc = this.keyLoc(keyLine, keyCol, keyStart, this.pos);
        this.skipSpaces();
        c = this.code(this.pos);
        if (c === COLON) {
          this.pos += 1;
          this.skipSpaces();
          const nullLine = this.line;
          const nullCol = this.pos - this.lineStart + 1;
          this.skipFlowSpace(indentNext);
          c = this.code(this.pos);
          let value: LNode;
          if (c === COMMA || c === RBRACE || c === RBRACKET) {
            this.depthCheckAt(depth + 1, nullLine, nullCol);
            this.charge(1, nullLine, nullCol);
            value = this.scalarAt(null, false, nullLine, nullCol, nullLine, nullCol);
          } else {
            value = this.flowNode(depth + 1, indentNext);
            this.skipFlowSpace(indentNext, true);
          }
          entries.push({ key, keyLoc, value });
        } else {
          // The reference parser drops properties between a key and the end of its entry.
          if (c === AMP || c === BANG) this.unsupported('an anchor or tag after a flow map key', this.pos);
          this.skipFlowSpace(indentNext);
          c = this.code(this.pos);
          if (c === COLON) this.unsupported('a flow map key and its : on different lines', this.pos);
          entries.push({ key, keyLoc, value: { kind: 'scalar', value: null, quoted: false, loc: keyLoc } });
        }
      } else if (items) {
        const item = this.flowNode(depth + 1, indentNext);
        this.skipSpaces();
        if (this.code(this.pos) === COLON) this.unsupported('a key: value pair inside a flow sequence', this.pos);
        items.push(item);
      }
      this.skipFlowSpace(indentNext);
      c = this.code(this.pos);
      if (c === COMMA) {
        this.pos += 1;
        continue;
      }
      if (c === close) break;
      if (c === RBRACKET || c === RBRACE || c === EOF) this.fail(`${name} must end with a ${String.fromCharCode(close)}`, this.pos);
      if (c === COLON) this.fail(`missing space after : in ${name}`, this.pos);
      this.fail(`missing , between ${name} items`, this.pos);
    }
    const endLine = this.line;
    const endCol = this.pos - this.lineStart + 1;
    this.pos += 1;
    this.flowLevel -= 1;
    this.rEndL = endLine;
    this.rEndC = endCol;
    const loc = this.loc(startLine, startCol, endLine, endCol);
    return entries ? { kind: 'map', entries, loc } : { kind: 'seq', items: items ?? [], loc };
  }

  /** A key inside a flow map: a plain or quoted scalar. The cursor ends after it. */
  private flowKey(indentNext: number): string {
    const start = this.pos;
    const c = this.code(start);
    const next = this.code(start + 1);
    switch (c) {
      case DQUOTE:
      case SQUOTE:
        return this.quoted(indentNext);
      case AMP:
      case BANG: {
        this.skippable(c === AMP ? 'an anchor on a map key' : 'a YAML tag (!)', start);
        this.properties();
        const d = this.code(this.pos);
        if (isBlank(d) || isFlowIndicator(d) || d === COLON || d === HASH) this.unsupported('an anchor or tag on an empty key', start);
        return this.flowKey(indentNext);
      }
      case STAR:
        this.complexKey(start);
        break;
      case LBRACKET:
      case LBRACE:
        this.complexKey(start);
        break;
      case QUESTION:
        if (isBlank(next) || isFlowIndicator(next)) this.unsupported('an explicit map key (?)', start);
        break;
      case COLON:
        if (isBlank(next) || isFlowIndicator(next)) this.unsupported('a map entry without a key', start);
        break;
      case DASH:
        if (isBlank(next) || isFlowIndicator(next)) this.fail('a block list item cannot appear inside a flow collection', start);
        break;
      case HASH:
        this.fail('comments must be separated from other tokens by white space characters', start);
        break;
      case PIPE:
      case GT:
      case PERCENT:
      case AT:
      case BACKTICK:
        this.badPlainStart(c, start);
        break;
    }
    this.scanPlain(start, true, indentNext);
    const end = this.scan.end;
    const multiline = this.scan.multiline;
    this.advanceTo(end, multiline);
    return multiline ? keyText(resolvePlain(unfoldLines(this.src.slice(start, end)))) : this.plainKey(start, end);
  }

  /** A value inside a flow collection. */
  private flowNode(depth: number, indentNext: number): LNode {
    const start = this.pos;
    const c = this.code(start);
    const next = this.code(start + 1);
    const startLine = this.line;
    const startCol = start - this.lineStart + 1;
    switch (c) {
      case LBRACKET:
      case LBRACE:
        return this.flow(depth, indentNext);
      case DQUOTE:
      case SQUOTE: {
        const value = this.quoted(indentNext);
        this.depthCheck(depth, start);
        this.charge(1, startLine, startCol);
        this.tokenEnd(start, this.pos);
        return this.scalarAt(value, true, startLine, startCol, this.rEndL, this.rEndC);
      }
      case STAR:
        return this.resolveAlias(this.aliasName(), start, depth);
      case AMP:
      case BANG: {
        const anchor = this.properties();
        let d = this.code(this.pos);
        if (d === LF || d === CR || d === HASH) {
          this.skippable('an anchor not followed by a value on the same line', start);
          this.skipFlowSpace(indentNext);
          d = this.code(this.pos);
        }
        if (d === COMMA || d === RBRACKET || d === RBRACE || d === EOF || (d === COLON && isBlank(this.code(this.pos + 1)))) {
          this.skippable('an anchor on an empty value', start);
          const empty = this.scalarAt(null, false, startLine, startCol, startLine, startCol);
          if (anchor !== undefined) this.anchors.set(anchor, { node: empty, size: 1 });
          return empty;
        }
        if (d === STAR) this.fail('an alias node must not specify any properties', start);
        const entry: Anchor = { node: undefined, size: 0 };
        if (anchor !== undefined) this.anchors.set(anchor, entry);
        const before = this.expanded;
        const node = this.flowNode(depth, indentNext);
        entry.node = node;
        entry.size = this.expanded - before;
        return node;
      }
      case QUESTION:
        if (isBlank(next) || isFlowIndicator(next)) this.unsupported('an explicit map key (?)', start);
        break;
      case COLON:
        if (isBlank(next) || isFlowIndicator(next)) this.unsupported('a map entry without a key', start);
        break;
      case DASH:
        if (isBlank(next) || isFlowIndicator(next)) this.fail('a block list item cannot appear inside a flow collection', start);
        break;
      case HASH:
        this.fail('comments must be separated from other tokens by white space characters', start);
        break;
      case PIPE:
      case GT:
      case PERCENT:
      case AT:
      case BACKTICK:
        this.badPlainStart(c, start);
        break;
    }
    this.scanPlain(start, true, indentNext);
    const end = this.scan.end;
    const raw = this.src.slice(start, end);
    const multiline = this.scan.multiline;
    this.advanceTo(end, multiline);
    this.depthCheck(depth, start);
    this.charge(1, startLine, startCol);
    this.tokenEnd(start, end);
    return this.scalarAt(resolvePlain(multiline ? unfoldLines(raw) : raw), false, startLine, startCol, this.rEndL, this.rEndC);
  }

  /**
   * Spaces, line breaks and comments inside a flow collection. A new line
   * must be indented deeper than the enclosing block collection, except a
   * closing bracket of the outermost collection, one column less.
   */
  private skipFlowSpace(indentNext: number, afterMapValue = false): void {
    const src = this.src;
    const n = this.n;
    let i = this.pos;
    // After a flow map value, the reference parser takes a comment at the very start of the next line as glued to it.
    let glued = afterMapValue;
    for (;;) {
      const c = i < n ? src.charCodeAt(i) : EOF;
      if (c === SPACE || c === TAB) {
        i++;
      } else if (c === LF || (c === CR && src.charCodeAt(i + 1) === LF)) {
        i += c === CR ? 2 : 1;
        this.line += 1;
        this.lineStart = i;
        let j = i;
        while (j < n && src.charCodeAt(j) === SPACE) j++;
        const indent = j - i;
        while (j < n && (src.charCodeAt(j) === SPACE || src.charCodeAt(j) === TAB)) j++;
        const first = j < n ? src.charCodeAt(j) : EOF;
        if (glued && j === i && first === HASH) {
          this.pos = j;
          this.fail('comments must be separated from other tokens by white space characters', j);
        }
        glued = false;
        i = j;
        if (first === LF || first === CR) continue;
        if (indent < indentNext && first !== HASH) {
          const atEndMarker = indent === indentNext - 1 && this.flowLevel === 1 && (first === RBRACKET || first === RBRACE);
          if (!atEndMarker) {
            this.pos = i;
            this.fail('a flow collection inside a block collection must be indented deeper than it, and closed', i);
          }
        }
        if (indent === 0 && isDocMarker(src, j)) {
          this.pos = i;
          this.fail('a document marker inside a flow collection', i);
        }
      } else if (c === CR) {
        this.unsupported('a carriage return without a line feed', i);
      } else if (c === HASH) {
        const prev = src.charCodeAt(i - 1);
        if (prev !== SPACE && prev !== TAB && prev !== LF) {
          this.pos = i;
          this.fail('comments must be separated from other tokens by white space characters', i);
        }
        const eol = src.indexOf('\n', i);
        i = eol < 0 ? n : eol;
        if (src.charCodeAt(i - 1) === CR) i -= 1;
      } else {
        break;
      }
    }
    this.pos = i;
  }

  /** A quoted scalar at the cursor; the cursor ends after its closing quote. */
  private quoted(indentNext: number): string {
    const src = this.src;
    const start = this.pos;
    const stop = quotedEnd(src, start, indentNext);
    const token = src.slice(start, stop);
    const result = src.charCodeAt(start) === SQUOTE ? singleQuotedValue(token) : doubleQuotedValue(token);
    if (!result.ok) this.failResult(result, start);
    if (token.indexOf('\r') >= 0 && /\r(?!\n)/.test(token)) this.unsupported('a carriage return without a line feed', start);
    this.advanceTo(stop, token.indexOf('\n') >= 0);
    return result.value;
  }

  private anchorName(): string {
    const start = this.pos;
    let i = start + 1;
    while (!endsName(this.code(i))) i++;
    const name = this.src.slice(start + 1, i);
    if (name === '') this.fail('anchor cannot be an empty string', start);
    if (name.endsWith(':')) this.unsupported('an anchor name ending in :', start);
    this.pos = i;
    return name;
  }

  private aliasName(): string {
    const start = this.pos;
    let i = start + 1;
    while (!endsName(this.code(i))) i++;
    const name = this.src.slice(start + 1, i);
    if (name === '') this.fail('alias cannot be an empty string', start, YAML_HINTS.BAD_ALIAS);
    if (name.endsWith(':')) this.unsupported('an alias name ending in :', start);
    this.pos = i;
    return name;
  }

  /** The node an alias stands for: the same object, charged with its full size. */
  private resolveAlias(name: string, start: number, depth: number): LNode {
    const end = this.pos;
    const startLine = this.line;
    const startCol = start - this.lineStart + 1;
    this.depthCheck(depth, start);
    const anchor = this.anchors.get(name);
    if (!anchor) this.fail(`the alias *${name} has no anchor`, start, YAML_HINTS.BAD_ALIAS);
    if (!anchor.node) {
      if (this.lenient) return this.scalarAt(null, false, startLine, startCol, startLine, startCol);
      throw new Stop({
        kind: 'error',
        diagnostics: [diag('TOPO012', `the alias *${name} refers to a node that contains it, which would expand forever`, this.loc(startLine, startCol, startLine, end - this.lineStart))],
        definitive: true,
      });
    }
    this.charge(anchor.size, startLine, startCol);
    this.aliased += anchor.size;
    if (this.aliased > MAX_ALIASED_NODES && !this.lenient) {
      throw new Stop({ kind: 'error', diagnostics: [aliasLimit(this.loc(startLine, startCol, startLine, end - this.lineStart))], definitive: true });
    }
    this.rEndL = startLine;
    this.rEndC = end - this.lineStart;
    return anchor.node;
  }
}
