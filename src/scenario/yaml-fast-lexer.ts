/**
 * Where YAML tokens end, for the fast parser: the rules of the `yaml`
 * package's lexer (yaml/dist/parse/lexer.js, 2.x), which decide for example
 * whether a plain scalar goes on over the next line. They are ported as they
 * are, quirks included, since the two front ends must cut the text alike.
 * Pure functions of the text; nothing here looks further than the token.
 */

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const BANG = 33;
export const DQUOTE = 34;
export const HASH = 35;
export const PERCENT = 37;
export const AMP = 38;
export const SQUOTE = 39;
export const STAR = 42;
export const PLUS = 43;
export const COMMA = 44;
export const DASH = 45;
export const DOT = 46;
export const COLON = 58;
export const LT = 60;
export const GT = 62;
export const QUESTION = 63;
export const AT = 64;
export const LBRACKET = 91;
export const BACKSLASH = 92;
export const RBRACKET = 93;
export const BACKTICK = 96;
export const LBRACE = 123;
export const PIPE = 124;
export const RBRACE = 125;
export const EOF = -1;

export function codeAt(src: string, i: number): number {
  return i >= 0 && i < src.length ? src.charCodeAt(i) : EOF;
}

/** The lexer's "empty" characters, end of input included. */
export function isBlank(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR || c === EOF;
}

export function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

/** Characters JavaScript's \s matches: the reference converter trims them off the end of every range. */
export function isJsSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Characters that end an anchor or alias name. */
export function endsName(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB || c === EOF || isFlowIndicator(c);
}

/** `---` or `...` followed by white space, at offset `i`. */
export function isDocMarker(src: string, i: number): boolean {
  const c = src.charCodeAt(i);
  return (c === DASH || c === DOT) && src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === c && isBlank(codeAt(src, i + 3));
}

/** The first '\n' in [from, to), or -1; never looks past `to` (lines can be megabytes long). */
export function lineBreakIn(src: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (src.charCodeAt(i) === LF) return i;
  return -1;
}

/**
 * Whether a scalar goes on over the line starting at `offset`: the offset to
 * resume at, or -1. `indentNext` is the column the line must reach (one more
 * than the enclosing block collection's); at the root only a document marker
 * stops it.
 */
export function continueScalar(src: string, offset: number, indentNext: number): number {
  let ch = codeAt(src, offset);
  if (indentNext > 0) {
    let indent = 0;
    while (ch === SPACE) ch = codeAt(src, ++indent + offset);
    if (ch === CR && codeAt(src, indent + offset + 1) === LF) return offset + indent + 1;
    return ch === LF || indent >= indentNext ? offset + indent : -1;
  }
  return isDocMarker(src, offset) ? -1 : offset;
}

export interface PlainScan {
  /** After the scalar's last character. */
  end: number;
  /** Where scanning stopped: a ':' indicator, a comment, a flow indicator, a line it does not go on over, the end. */
  stop: number;
  /** The scalar spans several lines. */
  multiline: boolean;
  /** It stopped at a ':' indicator on the line the scalar ends on: the scalar is a key. */
  key: boolean;
  /** Offset of a character the fast parser does not read (a lone CR, a control character), or -1. */
  odd: number;
}

/** The extent of the plain scalar starting at `start`. */
export function scanPlain(src: string, start: number, inFlow: boolean, indentNext: number, out: PlainScan): void {
  const n = src.length;
  let end = start - 1;
  let i = start - 1;
  let multiline = false;
  let nlBeforeEnd = false;
  let lastNl = -1;
  out.odd = -1;
  for (;;) {
    if (++i >= n) break;
    let ch = src.charCodeAt(i);
    if (ch === COLON) {
      const next = codeAt(src, i + 1);
      if (isBlank(next) || (inFlow && isFlowIndicator(next))) break;
      end = i;
      if (multiline) nlBeforeEnd = true;
    } else if (ch === SPACE || ch === TAB || ch === LF || ch === CR) {
      let next = codeAt(src, i + 1);
      if (ch === CR) {
        if (next !== LF) {
          out.odd = i;
          break;
        }
        i += 1;
        ch = LF;
        next = codeAt(src, i + 1);
      }
      if (next === HASH || (inFlow && isFlowIndicator(next))) break;
      if (ch === LF) {
        lastNl = i;
        const cs = continueScalar(src, i + 1, indentNext);
        if (cs === -1) break;
        multiline = true;
        i = Math.max(i, cs - 2);
      }
    } else {
      if (inFlow && isFlowIndicator(ch)) break;
      if (ch < SPACE || ch === 0x7f) {
        out.odd = i;
        break;
      }
      end = i;
      if (multiline) nlBeforeEnd = true;
    }
  }
  out.end = end + 1;
  out.stop = i;
  out.multiline = nlBeforeEnd;
  out.key = i < n && src.charCodeAt(i) === COLON && lastNl < end + 1;
}

/**
 * The end (after the closing quote) of the quoted scalar at `start`. A line
 * inside the quotes that is not indented enough cuts it short before that
 * line, and an unclosed quote runs to the end: both leave the closing quote
 * missing, which the value rules report.
 */
export function quotedEnd(src: string, start: number, indentNext: number): number {
  const quote = src.charCodeAt(start);
  let end: number;
  if (quote === SQUOTE) {
    end = src.indexOf("'", start + 1);
    while (end !== -1 && src.charCodeAt(end + 1) === SQUOTE) end = src.indexOf("'", end + 2);
  } else {
    end = src.indexOf('"', start + 1);
    while (end !== -1) {
      let k = 0;
      while (src.charCodeAt(end - 1 - k) === BACKSLASH) k += 1;
      if (k % 2 === 0) break;
      end = src.indexOf('"', end + 1);
    }
  }
  const limit = end === -1 ? 0 : end;
  let nl = lineBreakIn(src, start, limit);
  if (nl !== -1) {
    while (nl !== -1) {
      const cs = continueScalar(src, nl + 1, indentNext);
      if (cs === -1) break;
      nl = lineBreakIn(src, cs, limit);
    }
    if (nl !== -1) end = nl - (src.charCodeAt(nl - 1) === CR ? 2 : 1);
  }
  if (end === -1) end = src.length;
  return Math.min(src.length, end + 1);
}

const TAG_CHARS = new Uint8Array(128);
for (const ch of "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()") TAG_CHARS[ch.charCodeAt(0)] = 1;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** The end of the tag token (`!x`, `!!str`, `!<verbatim>`) at `at`. */
export function tagEnd(src: string, at: number): number {
  let i = at + 1;
  if (codeAt(src, i) === LT) {
    i += 1;
    while (!isBlank(codeAt(src, i)) && codeAt(src, i) !== GT) i++;
    return codeAt(src, i) === GT ? i + 1 : i;
  }
  for (;;) {
    const c = codeAt(src, i);
    if (c >= 0 && c < 128 && TAG_CHARS[c] === 1) i++;
    else if (c === PERCENT && isHex(codeAt(src, i + 1)) && isHex(codeAt(src, i + 2))) i += 3;
    else return i;
  }
}

/** What the lexer reads from a block scalar header at `start`: its end, an explicit indentation (less one, or -1) and keep chomping. */
export function blockHeaderScan(src: string, start: number): { end: number; explicit: number; keep: boolean } {
  let explicit = -1;
  let keep = false;
  for (let i = start + 1; ; i++) {
    const ch = src.charCodeAt(i);
    if (ch === PLUS) keep = true;
    else if (ch > 48 && ch <= 57) explicit = ch - 49;
    else if (ch !== DASH) break;
  }
  let end = start;
  while (!isBlank(codeAt(src, end)) && codeAt(src, end) !== HASH) end++;
  return { end, explicit, keep };
}

/**
 * The index of the line break that ends a block scalar's content starting at
 * `from` (the line after its header), or the text's length.
 */
export function blockScalarEnd(src: string, from: number, explicit: number, keep: boolean, indentNextIn: number): number {
  let nl = from - 1;
  let indent = 0;
  for (let i = from; i < src.length; i++) {
    const ch = src.charCodeAt(i);
    if (ch === SPACE) indent += 1;
    else if (ch === LF) {
      nl = i;
      indent = 0;
    } else if (ch !== CR || codeAt(src, i + 1) !== LF) break;
  }
  let indentNext = indentNextIn;
  if (indent >= indentNext) {
    indentNext = explicit === -1 ? indent : explicit + (indentNext === 0 ? 1 : indentNext);
    do {
      const cs = continueScalar(src, nl + 1, indentNext);
      if (cs === -1) break;
      nl = src.indexOf('\n', cs);
    } while (nl !== -1);
    if (nl === -1) nl = src.length;
  }
  let j = nl + 1;
  let c = codeAt(src, j);
  while (c === SPACE) c = codeAt(src, ++j);
  if (c === TAB) {
    while (c === TAB || c === SPACE || c === CR || c === LF) c = codeAt(src, ++j);
    nl = j - 1;
  } else if (!keep) {
    // Trailing lines that are blank, or no more indented than the content, are not part of it.
    for (;;) {
      let k = nl - 1;
      let d = codeAt(src, k);
      if (d === CR) d = codeAt(src, --k);
      const lastChar = k;
      while (d === SPACE) d = codeAt(src, --k);
      if (d === LF && k >= from && k + 1 + indent > lastChar) nl = k;
      else break;
    }
  }
  return nl;
}
