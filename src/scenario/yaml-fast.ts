/**
 * The fast YAML front end: a single-pass parser for the YAML that scenario
 * files use, building the located tree directly. It must agree exactly with
 * the reference front end (yaml-reference.ts) on every tree, value and
 * position it produces, so anything it cannot reproduce exactly is reported
 * as `unsupported` and left to the reference parser. It stops at the first
 * syntax error and never recurses deeper than MAX_DEPTH, so hostile input
 * costs time and memory linear in the text at worst.
 *
 * Positions: a node's end is the last non-whitespace character before the
 * end of what the reference parser counts as its value. For collections that
 * end includes some trailing comments, attached as the `yaml` package's
 * concrete syntax tree attaches them; the "pending" fields below track those
 * comments while the collections they may belong to close.
 */
import { diag, type Diagnostic } from './diagnostics.js';
import type { SourceLoc } from './source-loc.js';
import { blockHeader, blockScalarValue, doubleQuotedValue, keyText, resolvePlain, singleQuotedValue, unfoldLines, type ScalarResult } from './yaml-fast-scalars.js';
import { MAX_DEPTH, MAX_EXPANDED_NODES } from './yaml-limits.js';
import { YAML_HINTS } from './yaml-reference.js';
import type { LEntry, LNode, LScalar } from './yaml-tree.js';

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

class Stop {
  constructor(readonly result: FastParse) {}
}

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const PERCENT = 37;
const AMP = 38;
const SQUOTE = 39;
const STAR = 42;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const GT = 62;
const QUESTION = 63;
const AT = 64;
const LBRACKET = 91;
const RBRACKET = 93;
const BACKTICK = 96;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;
const EOF = -1;

/** What skipLines() stopped at. */
const T_EOF = 0;
const T_CONTENT = 1;
const T_DOC_START = 2;
const T_DOC_END = 3;

/** Where a node starts, which decides what it may be. */
const AT_LINE_START = 0;
const AFTER_DASH = 1;
const AFTER_COLON = 2;

/** "No position" for optional ends. */
const NONE = 0;

interface Anchor {
  node: LNode | undefined;
  size: number;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR || c === EOF;
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

/** Characters JavaScript's \s matches: the reference trims them off the end of every range. */
function isJsSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const TAG_CHARS = new Uint8Array(128);
for (const ch of "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()") TAG_CHARS[ch.charCodeAt(0)] = 1;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Characters that end an anchor or alias name. */
function endsName(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB || c === EOF || isFlowIndicator(c);
}

class FastParser {
  private readonly n: number;
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  /** skipLines() results: what comes next and the comments passed on the way. */
  private tKind: number = T_EOF;
  private tCol = 0;
  /** Last comment (line, col) overall, and the last one of the leading run indented deeper than the threshold. */
  private allEndL = NONE;
  private allEndC = 0;
  private deepEndL = NONE;
  private deepEndC = 0;
  private deepMax = -1;
  private restEndL = NONE;
  private restEndC = 0;
  private restMax = -1;
  /** skipRestOfLine() result: the comment on the line a token ended on. */
  private sameEndL = NONE;
  private sameEndC = 0;

  /** Effective end of the node parsed last, as its parent collection counts it. */
  private rEndL = 0;
  private rEndC = 0;
  /** Trailing comments not yet claimed by a collection: their deepest indent and last end. */
  private pendMax = -1;
  private pendEndL = 0;
  private pendEndC = 0;

  /** Plain scalar scan results. */
  private scanEnd = 0;
  private scanStop = 0;
  private scanMultiline = false;
  /** The scan stopped at a ':' indicator on the line the scalar ends on: the scalar is a key. */
  private scanKey = false;

  /** nextKey() result. */
  private keyOut = '';
  /** Map keys repeat thousands of times in big scenarios: one string each keeps the tree smaller. */
  private readonly keys = new Map<string, string>();
  private flowLevel = 0;
  private expanded = 0;
  private readonly anchors = new Map<string, Anchor>();

  constructor(
    private readonly src: string,
    private readonly file: string,
    /** Read past node properties instead of reporting them unsupported (checkFast). */
    private readonly lenient: boolean,
  ) {
    this.n = src.length;
  }

  // ---------------------------------------------------------------- document

  document(): LNode | undefined {
    // After a byte order mark the reference parser stops counting indentation on line 1.
    if (this.n > 0 && this.src.charCodeAt(0) === 0xfeff) this.unsupported('a byte order mark', 0);
    this.skipLines(-1, true);
    if (this.tKind === T_EOF) return undefined;
    if (this.tKind === T_DOC_END) this.unsupported('a document end marker (...) before any content', this.pos);
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
        this.charge(1, nullLine, nullCol);
        root = this.scalarAt(null, false, nullLine, nullCol, nullLine, nullCol);
      }
    } else {
      root = this.node(-1, 0, AT_LINE_START);
    }
    this.documentEnd();
    return root;
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
        return this.aliasValue(pc, depth);
      case PIPE:
      case GT:
        return this.blockScalar(pc, depth);
      case DQUOTE:
      case SQUOTE:
        return this.quotedNode(pc, depth, where, propsAt);
      case LBRACKET:
      case LBRACE: {
        const node = this.flow(depth, pc + 1);
        if (this.colonIndicatorAhead()) this.complexKey(propsAt >= 0 ? propsAt : start);
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
      case HASH:
        this.fail('comments must be separated from other tokens by white space characters', start);
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
    const end = this.scanEnd;
    const multiline = this.scanMultiline;
    const isKey = this.scanKey;
    if (isKey) {
      if (where === AFTER_COLON) this.fail('nested mappings are not allowed in compact mappings; start the inner map on its own line', start);
      if (multiline) this.fail('implicit keys need to be on a single line', start);
      const key = this.plainKey(start, end);
      const keyLoc = this.keyLoc(startLine, startCol, start, end);
      this.pos = this.scanStop;
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
        node = this.scalarAt(null, false, nullLine, nullCol, nullLine, nullCol);
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
        this.tagToken();
        tagged = true;
      } else {
        return anchor;
      }
      const d = this.code(this.pos);
      if (d !== SPACE && d !== TAB && d !== LF && d !== CR && d !== EOF) {
        if (this.flowLevel === 0 || (d !== COMMA && d !== RBRACKET && d !== RBRACE)) {
          this.skippable('an anchor not followed by white space', at);
          this.fail('tags and anchors must be separated from the next token by white space', this.pos);
        }
      }
      this.skipSpaces();
    }
  }

  /** The yaml lexer's extent of a tag token. */
  private tagToken(): void {
    let i = this.pos + 1;
    if (this.code(i) === 60 /* < */) {
      i += 1;
      while (!isBlank(this.code(i)) && this.code(i) !== 62 /* > */) i++;
      if (this.code(i) === 62) i++;
    } else {
      for (;;) {
        const c = this.code(i);
        if (c >= 0 && c < 128 && TAG_CHARS[c] === 1) i++;
        else if (c === PERCENT && isHex(this.code(i + 1)) && isHex(this.code(i + 2))) i += 3;
        else break;
      }
    }
    this.pos = i;
  }

  /** A map's column: its first key's, or that of the properties before it (lenient mode only). */
  private mapColumn(keyCol: number, propsAt: number): number {
    if (propsAt < 0) return keyCol;
    this.skippable('an anchor on a map key', propsAt);
    return propsAt - this.lineStart;
  }

  private aliasValue(pc: number, depth: number): LNode {
    const start = this.pos;
    const name = this.aliasName();
    if (this.colonIndicatorAhead()) this.complexKey(start);
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
    if (!this.scanKey) this.keyWithoutValue(start, this.scanEnd);
    if (this.scanMultiline) this.fail('implicit keys need to be on a single line', start);
    const end = this.scanEnd;
    const loc = this.keyLoc(this.line, start - this.lineStart + 1, start, end);
    this.pos = this.scanStop;
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

  /**
   * A collection ends: trailing comments travelling up stay with it if any is
   * at least as deep as its own column (and it is not at column 0), as the
   * reference parser's syntax tree keeps them; its end for its parent moves.
   */
  private closeCollection(node: LNode, col: number, vEndL: number, vEndC: number): LNode {
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
  private afterInlineValue(pc: number): void {
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

  // ---------------------------------------------------------- block scalars

  private blockScalar(pc: number, depth: number): LNode {
    const start = this.pos;
    const startLine = this.line;
    const startCol = start - this.lineStart + 1;
    const src = this.src;
    let explicit = -1;
    let keep = false;
    for (let i = start + 1; ; i++) {
      const ch = src.charCodeAt(i);
      if (ch === 43 /* + */) keep = true;
      else if (ch > 48 && ch <= 57) explicit = ch - 49;
      else if (ch !== DASH) break;
    }
    let headerEnd = start;
    while (!isBlank(this.code(headerEnd)) && this.code(headerEnd) !== HASH) headerEnd++;
    const header = blockHeader(src.slice(start, headerEnd));
    if ('at' in header) this.fail(`block scalar header includes extra characters: ${src.slice(start, headerEnd)}`, start + header.at);
    this.pos = headerEnd;
    const tabAt = this.skipSpaces();
    void tabAt;
    const c = this.code(this.pos);
    if (c === HASH && this.pos === headerEnd) this.fail('comments must be separated from other tokens by white space characters', this.pos);
    if (c === CR && this.code(this.pos + 1) !== LF) this.unsupported('a carriage return without a line feed', this.pos);
    if (c !== HASH && c !== LF && c !== CR && c !== EOF) this.fail('unexpected content after a block scalar header', this.pos);
    let lineEnd = src.indexOf('\n', this.pos);
    if (lineEnd < 0) lineEnd = this.n;
    const contentStart = Math.min(this.n, lineEnd + 1);
    const nl = this.blockScalarEnd(contentStart, explicit, keep, pc < 0 ? 0 : pc + 1);
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
    for (let i = this.lineBreakIn(start, last); i >= 0; i = this.lineBreakIn(i + 1, last)) {
      endLine++;
      endLineStart = i + 1;
    }
    const node = this.scalarAt((value as { value: string }).value, false, startLine, startCol, endLine, last - endLineStart + 1);
    // Move to the line after the scalar.
    let line = this.line;
    let lineStart = this.lineStart;
    for (let i = this.lineBreakIn(this.pos, stop); i >= 0; i = this.lineBreakIn(i + 1, stop)) {
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

  /** The yaml lexer's block scalar extent: index of the newline ending its last line. */
  private blockScalarEnd(from: number, explicit: number, keep: boolean, indentNextIn: number): number {
    const src = this.src;
    let nl = from - 1;
    let indent = 0;
    let i = from;
    let ch = 0;
    for (; i < this.n; i++) {
      ch = src.charCodeAt(i);
      if (ch === SPACE) indent += 1;
      else if (ch === LF) {
        nl = i;
        indent = 0;
      } else if (ch !== CR || this.code(i + 1) !== LF) break;
    }
    let indentNext = indentNextIn;
    if (indent >= indentNext) {
      indentNext = explicit === -1 ? indent : explicit + (indentNext === 0 ? 1 : indentNext);
      do {
        const cs = this.continueScalar(nl + 1, indentNext);
        if (cs === -1) break;
        nl = src.indexOf('\n', cs);
      } while (nl !== -1);
      if (nl === -1) nl = this.n;
    }
    let j = nl + 1;
    let c = this.code(j);
    while (c === SPACE) c = this.code(++j);
    if (c === TAB) {
      while (c === TAB || c === SPACE || c === CR || c === LF) c = this.code(++j);
      nl = j - 1;
    } else if (!keep) {
      for (;;) {
        let k = nl - 1;
        let d = this.code(k);
        if (d === CR) d = this.code(--k);
        const lastChar = k;
        while (d === SPACE) d = this.code(--k);
        if (d === LF && k >= from && k + 1 + indent > lastChar) nl = k;
        else break;
      }
    }
    return nl;
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
    const end = this.scanEnd;
    const multiline = this.scanMultiline;
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
          return this.scalarAt(null, false, startLine, startCol, startLine, startCol);
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
    const end = this.scanEnd;
    const raw = this.src.slice(start, end);
    const multiline = this.scanMultiline;
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
        if (indent === 0 && (first === DASH || first === DOT) && this.docMarkerAt(j)) {
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

  // --------------------------------------------------------------- scalars

  /**
   * The yaml lexer's plain scalar extent from `start`: sets scanEnd (after its
   * last character), scanStop (where scanning stopped) and scanMultiline.
   */
  private scanPlain(start: number, inFlow: boolean, indentNext: number): void {
    const src = this.src;
    const n = this.n;
    let end = start - 1;
    let i = start - 1;
    let multiline = false;
    let nlBeforeEnd = false;
    let lastNl = -1;
    for (;;) {
      if (++i >= n) break;
      let ch = src.charCodeAt(i);
      if (ch === COLON) {
        const next = i + 1 < n ? src.charCodeAt(i + 1) : EOF;
        if (isBlank(next) || (inFlow && isFlowIndicator(next))) break;
        end = i;
        if (multiline) nlBeforeEnd = true;
      } else if (ch === SPACE || ch === TAB || ch === LF || ch === CR) {
        let next = i + 1 < n ? src.charCodeAt(i + 1) : EOF;
        if (ch === CR) {
          if (next === LF) {
            i += 1;
            ch = LF;
            next = i + 1 < n ? src.charCodeAt(i + 1) : EOF;
          } else {
            this.unsupported('a carriage return without a line feed', i);
          }
        }
        if (next === HASH || (inFlow && isFlowIndicator(next))) break;
        if (ch === LF) {
          lastNl = i;
          const cs = this.continueScalar(i + 1, indentNext);
          if (cs === -1) break;
          multiline = true;
          i = Math.max(i, cs - 2);
        }
      } else {
        if (inFlow && isFlowIndicator(ch)) break;
        if (ch < SPACE || ch === 0x7f) this.unsupported('a control character', i);
        end = i;
        if (multiline) nlBeforeEnd = true;
      }
    }
    this.scanEnd = end + 1;
    this.scanStop = i;
    this.scanMultiline = nlBeforeEnd;
    this.scanKey = i < n && src.charCodeAt(i) === COLON && lastNl < end + 1;
  }

  /** The yaml lexer's test whether a scalar continues on the line starting at `offset`. */
  private continueScalar(offset: number, indentNext: number): number {
    const src = this.src;
    let ch = this.code(offset);
    if (indentNext > 0) {
      let indent = 0;
      while (ch === SPACE) ch = this.code(++indent + offset);
      if (ch === CR && this.code(indent + offset + 1) === LF) return offset + indent + 1;
      return ch === LF || indent >= indentNext ? offset + indent : -1;
    }
    if ((ch === DASH || ch === DOT) && this.docMarkerAt(offset)) return -1;
    void src;
    return offset;
  }

  /** A quoted scalar at the cursor; the cursor ends after its closing quote. */
  private quoted(indentNext: number): string {
    const src = this.src;
    const start = this.pos;
    const quote = src.charCodeAt(start);
    let end: number;
    if (quote === SQUOTE) {
      end = src.indexOf("'", start + 1);
      while (end !== -1 && src.charCodeAt(end + 1) === SQUOTE) end = src.indexOf("'", end + 2);
    } else {
      end = src.indexOf('"', start + 1);
      while (end !== -1) {
        let k = 0;
        while (src.charCodeAt(end - 1 - k) === 92) k += 1;
        if (k % 2 === 0) break;
        end = src.indexOf('"', end + 1);
      }
    }
    // Line breaks inside the quotes: each next line must be indented enough.
    const limit = end === -1 ? 0 : end;
    let nl = this.lineBreakIn(start, limit);
    if (nl !== -1) {
      while (nl !== -1) {
        const cs = this.continueScalar(nl + 1, indentNext);
        if (cs === -1) break;
        nl = this.lineBreakIn(cs, limit);
      }
      if (nl !== -1) end = nl - (src.charCodeAt(nl - 1) === CR ? 2 : 1);
    }
    if (end === -1) end = this.n;
    const stop = Math.min(this.n, end + 1);
    const token = src.slice(start, stop);
    const result = quote === SQUOTE ? singleQuotedValue(token) : doubleQuotedValue(token);
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
    this.rEndL = startLine;
    this.rEndC = end - this.lineStart;
    return anchor.node;
  }

  // ------------------------------------------------------------ white space

  /** Spaces and tabs on this line; returns the offset of the first tab, or -1. */
  private skipSpaces(): number {
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
  private skipRestOfLine(): void {
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
  private skipLines(threshold: number, atLineStart = false): void {
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
        if (j === i) this.fail('tabs are not allowed as indentation', i, YAML_HINTS.TAB_AS_INDENT, true);
        this.unsupported('a tab in the indentation', j);
      }
      this.pos = j;
      this.tCol = indent;
      if (indent === 0 && (c === DASH || c === DOT) && this.docMarkerAt(j)) {
        this.tKind = c === DASH ? T_DOC_START : T_DOC_END;
      } else {
        this.tKind = T_CONTENT;
      }
      return;
    }
  }

  // --------------------------------------------------------------- helpers

  /** What skipLines() found (a method, so that type narrowing does not outlive a skip). */
  private kind(): number {
    return this.tKind;
  }

  /** A plain key [start, end) spelled as the reference converter spells it. */
  private plainKey(start: number, end: number): string {
    const key = keyText(resolvePlain(this.src.slice(start, end)));
    if (key.length > 40) return key;
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    if (this.keys.size < 10_000) this.keys.set(key, key);
    return key;
  }

  private code(i: number): number {
    return i < this.n && i >= 0 ? this.src.charCodeAt(i) : EOF;
  }

  private docMarkerAt(i: number): boolean {
    const src = this.src;
    const c = src.charCodeAt(i);
    return src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === c && isBlank(this.code(i + 3));
  }

  private dashAhead(): boolean {
    return this.code(this.pos) === DASH && isBlank(this.code(this.pos + 1));
  }

  /** After a quoted scalar, flow collection or alias: spaces then ':' and white space? Leaves the cursor on the ':'. */
  private colonIndicatorAhead(): boolean {
    const save = this.pos;
    this.skipSpaces();
    if (this.code(this.pos) === COLON && isBlank(this.code(this.pos + 1))) return true;
    this.pos = save;
    return false;
  }

  /** Moves the cursor to `end`, counting the lines passed when the token spans several. */
  private advanceTo(end: number, multiline: boolean): void {
    if (multiline) {
      for (let i = this.lineBreakIn(this.pos, end); i >= 0; i = this.lineBreakIn(i + 1, end)) {
        this.line += 1;
        this.lineStart = i + 1;
      }
    }
    this.pos = end;
  }

  /** The first '\n' in [from, to), or -1; never looks past `to` (lines can be megabytes long). */
  private lineBreakIn(from: number, to: number): number {
    const src = this.src;
    for (let i = from; i < to; i++) if (src.charCodeAt(i) === LF) return i;
    return -1;
  }

  /** Offset of the last non-white-space character in [from, to), at least `from`. */
  private lastNonSpace(from: number, to: number): number {
    let e = to - 1;
    while (e > from && isJsSpace(this.src.charCodeAt(e))) e--;
    return e;
  }

  /**
   * The end (line, col) of a token [start, end) that lies on the current line
   * or ends on it, trimmed as the reference trims ranges.
   */
  private tokenEnd(start: number, end: number): void {
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

  private trimmedEnd(end: number): number {
    let e = Math.min(end, this.n);
    while (e > 0 && isJsSpace(this.src.charCodeAt(e - 1))) e -= 1;
    return Math.max(0, e - 1);
  }

  /** (line, col) of any offset, counted from the current line: for errors and rare trims only. */
  private positionOf(offset: number): [number, number] {
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
  private keyLoc(line: number, col: number, start: number, end: number): SourceLoc {
    this.tokenEnd(start, end);
    return this.loc(line, col, this.rEndL, this.rEndC);
  }

  private pointLoc(offset: number): SourceLoc {
    const [line, col] = this.positionOf(Math.min(offset, this.n));
    return this.loc(line, col, line, col);
  }

  private loc(line: number, col: number, endLine: number, endCol: number): SourceLoc {
    return { file: this.file, line, col, endLine, endCol };
  }

  private scalarAt(value: LScalar['value'], quoted: boolean, line: number, col: number, endLine: number, endCol: number): LScalar {
    return { kind: 'scalar', value, quoted, loc: { file: this.file, line, col, endLine, endCol } };
  }

  // ---------------------------------------------------- limits and failures

  private depthCheck(depth: number, offset: number): void {
    if (depth > MAX_DEPTH) this.tooDeep(this.pointLoc(offset));
  }

  private depthCheckAt(depth: number, line: number, col: number): void {
    if (depth > MAX_DEPTH) this.tooDeep(this.loc(line, col, line, col));
  }

  private tooDeep(loc: SourceLoc): never {
    throw new Stop({ kind: 'error', diagnostics: [diag('TOPO013', `the YAML nests deeper than ${MAX_DEPTH} levels here`, loc)], definitive: true });
  }

  /** Counts nodes as the reference converter does, aliases at their full size. */
  private charge(nodes: number, line: number, col: number): void {
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
  private complexKey(at: number): never {
    throw new Stop({
      kind: 'error',
      diagnostics: [diag('TOPO016', 'a map key here is itself a map or list; scenario keys are plain names', this.pointLoc(at))],
      definitive: false,
    });
  }

  /** A map key line without its ':'; the reference parser accepts the ':' on a later, deeper line. */
  private keyWithoutValue(start: number, end: number): never {
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

  private badIndent(): never {
    const c = this.code(this.pos);
    if ((c === COLON || c === QUESTION) && isBlank(this.code(this.pos + 1))) this.unsupported(c === COLON ? 'a map entry without a key' : 'an explicit map key (?)', this.pos);
    this.fail('all items of a map or list must start at the same column; this line is indented differently', this.pos);
  }

  private badPlainStart(c: number, at: number): never {
    const what = c === COMMA ? 'flow indicator character ,' : c === PERCENT ? 'directive indicator character %' : c === PIPE || c === GT ? `block scalar indicator ${String.fromCharCode(c)}` : `reserved character ${String.fromCharCode(c)}`;
    this.fail(`plain value cannot start with ${what}`, at);
  }

  private failResult(result: ScalarResult, base: number): never {
    const bad = result as { at: number; message: string };
    this.fail(bad.message, base + bad.at);
  }

  private fail(message: string, offset: number, hint?: string, definitive = false): never {
    throw new Stop({ kind: 'error', diagnostics: [diag('TOPO010', message, this.pointLoc(offset), hint ? { hint } : {})], definitive });
  }

  /** A feature lenient mode reads past: it changes values, never structure. */
  private skippable(feature: string, offset: number): void {
    if (!this.lenient) this.unsupported(feature, offset);
  }

  private unsupported(feature: string, offset: number): never {
    throw new Stop({ kind: 'unsupported', feature, loc: this.pointLoc(offset) });
  }
}
