/**
 * Scalar values for the fast YAML parser, computed exactly as the `yaml`
 * package (2.x, YAML 1.2 core schema, default options) computes them, so
 * that both front ends give every scenario the same values. The rules and
 * their order are those of yaml/dist/schema/core and
 * yaml/dist/compose/resolve-flow-scalar.js / resolve-block-scalar.js.
 */
import type { ScalarValue } from './yaml-tree.js';

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** First characters of every non-string core-schema scalar: names, most values skip all the tests. */
const MAY_BE_TYPED = new Uint8Array(128);
for (const ch of '~nNtTfF0123456789-+.') MAY_BE_TYPED[ch.charCodeAt(0)] = 1;

/** The value of a plain (unquoted) scalar whose folded text is `s`. */
export function resolvePlain(s: string): ScalarValue {
  if (s.length === 0) return null;
  const c = s.charCodeAt(0);
  if (c >= 128 || MAY_BE_TYPED[c] === 0) return s;
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return c === 116 /* t */ || c === 84 /* T */;
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

/** A map key as the reference converter spells it: `String(value)`, null as ''. */
export function keyText(value: ScalarValue): string {
  return value === null ? '' : String(value);
}

const TRIM_END = /(?<![ \t])[ \t]+$/;
const TRIM_BOTH = /^[ \t]+|(?<![ \t])[ \t]+$/g;

/** Line folding of multi-line plain and single-quoted scalars. */
export function unfoldLines(source: string): string {
  const line = /(.*?)\r?\n/sy;
  let match = line.exec(source);
  if (!match) return source;
  let res = match[1].replace(TRIM_END, '');
  let sep = ' ';
  let pos = line.lastIndex;
  while ((match = line.exec(source))) {
    const lm = match[1].replace(TRIM_BOTH, '');
    if (lm === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + lm;
      sep = ' ';
    }
    pos = line.lastIndex;
  }
  const last = /[ \t]*(.*)/sy;
  last.lastIndex = pos;
  match = last.exec(source);
  return res + sep + (match?.[1] ?? '');
}

/** A scalar value, or where (offset into the token) and why it is malformed. */
export type ScalarResult = { ok: true; value: string } | { ok: false; at: number; message: string };

/** `source` is the whole token, quotes included. */
export function singleQuotedValue(source: string): ScalarResult {
  if (source.length === 1 || source.charCodeAt(source.length - 1) !== 39) return { ok: false, at: source.length, message: "missing closing 'quote" };
  const inner = source.slice(1, -1);
  if (inner.indexOf('\n') < 0 && inner.indexOf("'") < 0) return { ok: true, value: inner };
  return { ok: true, value: unfoldLines(inner).replace(/''/g, "'") };
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

/** `source` is the whole token, quotes included. */
export function doubleQuotedValue(source: string): ScalarResult {
  const last = source.length - 1;
  if (source.length === 1 || source.charCodeAt(last) !== 34) return { ok: false, at: source.length, message: 'missing closing "quote' };
  let plain = true;
  for (let i = 1; i < last; i++) {
    const c = source.charCodeAt(i);
    if (c === 92 || c === 10 || c === 13) {
      plain = false;
      break;
    }
  }
  if (plain) return { ok: true, value: source.slice(1, last) };
  let res = '';
  for (let i = 1; i < last; ++i) {
    const ch = source[i];
    if (ch === '\r' && source[i + 1] === '\n') continue;
    if (ch === '\n') {
      const { fold, offset } = foldNewline(source, i);
      res += fold;
      i = offset;
    } else if (ch === '\\') {
      let next = source[++i];
      const cc = ESCAPES[next];
      if (cc) res += cc;
      else if (next === '\n') {
        next = source[i + 1];
        while (next === ' ' || next === '\t') next = source[++i + 1];
      } else if (next === '\r' && source[i + 1] === '\n') {
        next = source[++i + 1];
        while (next === ' ' || next === '\t') next = source[++i + 1];
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const cc = source.substr(i + 1, length);
        const code = cc.length === length && /^[0-9a-fA-F]+$/.test(cc) ? parseInt(cc, 16) : NaN;
        if (!(code <= 0x10ffff)) return { ok: false, at: i - 1, message: `invalid escape sequence ${source.substr(i - 1, length + 2)}` };
        res += String.fromCodePoint(code);
        i += length;
      } else {
        return { ok: false, at: i - 1, message: `invalid escape sequence ${source.substr(i - 1, 2)}` };
      }
    } else if (ch === ' ' || ch === '\t') {
      const wsStart = i;
      let next = source[i + 1];
      while (next === ' ' || next === '\t') next = source[++i + 1];
      if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n')) res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
    } else {
      res += ch;
    }
  }
  return { ok: true, value: res };
}

function foldNewline(source: string, offset: number): { fold: string; offset: number } {
  let fold = '';
  let ch = source[offset + 1];
  while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
    if (ch === '\r' && source[offset + 2] !== '\n') break;
    if (ch === '\n') fold += '\n';
    offset += 1;
    ch = source[offset + 1];
  }
  return { fold: fold || ' ', offset };
}

export interface BlockHeader {
  readonly folded: boolean;
  /** Explicit indentation indicator, 0 when absent. */
  readonly indent: number;
  readonly chomp: '' | '-' | '+';
}

/** The `|2-` part of a block scalar header, or the offset of its first stray character. */
export function blockHeader(source: string): BlockHeader | { at: number } {
  let indent = 0;
  let chomp: '' | '-' | '+' = '';
  for (let i = 1; i < source.length; ++i) {
    const ch = source[i];
    if (!chomp && (ch === '-' || ch === '+')) chomp = ch;
    else {
      const n = Number(ch);
      if (!indent && n) indent = n;
      else return { at: i };
    }
  }
  return { folded: source[0] === '>', indent, chomp };
}

/**
 * The value of a block scalar whose content lines are `source` (from the line
 * after the header up to and including its last newline). `parentIndent` is
 * the indentation of the collection holding it (0 at the document root).
 * Returns the offset into `source` of the first error instead of a value.
 */
export function blockScalarValue(source: string, header: BlockHeader, parentIndent: number, atRoot: boolean): ScalarResult {
  const lines = source ? splitLines(source) : [];
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    const content = lines[i][1];
    if (content === '' || content === '\r') chompStart = i;
    else break;
  }
  if (chompStart === 0) {
    return { ok: true, value: header.chomp === '+' && lines.length > 0 ? '\n'.repeat(Math.max(1, lines.length - 1)) : '' };
  }
  let trimIndent = parentIndent + header.indent;
  let offset = 0;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const [indent, content] = lines[i];
    if (content === '' || content === '\r') {
      if (header.indent === 0 && indent.length > trimIndent) trimIndent = indent.length;
    } else {
      if (indent.length < trimIndent) {
        return { ok: false, at: offset + indent.length, message: 'block scalars with more-indented leading empty lines must use an explicit indentation indicator' };
      }
      if (header.indent === 0) trimIndent = indent.length;
      contentStart = i;
      if (trimIndent === 0 && !atRoot) return { ok: false, at: offset, message: 'block scalar values in collections must be indented' };
      break;
    }
    offset += indent.length + content.length + 1;
  }
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if (lines[i][0].length > trimIndent) chompStart = i + 1;
  }
  let value = '';
  let sep = '';
  let prevMoreIndented = false;
  for (let i = 0; i < contentStart; ++i) value += lines[i][0].slice(trimIndent) + '\n';
  for (let i = contentStart; i < chompStart; ++i) {
    const [indent, raw] = lines[i];
    offset += indent.length + raw.length + 1;
    const crlf = raw[raw.length - 1] === '\r';
    const content = crlf ? raw.slice(0, -1) : raw;
    if (content && indent.length < trimIndent) {
      const what = header.indent ? 'explicit indentation indicator' : 'first line';
      return { ok: false, at: offset - content.length - (crlf ? 2 : 1), message: `block scalar lines must not be less indented than their ${what}` };
    }
    if (!header.folded) {
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
    } else if (indent.length > trimIndent || content[0] === '\t') {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + content;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  switch (header.chomp) {
    case '-':
      break;
    case '+':
      for (let i = chompStart; i < lines.length; ++i) value += '\n' + lines[i][0].slice(trimIndent);
      if (value[value.length - 1] !== '\n') value += '\n';
      break;
    default:
      value += '\n';
  }
  return { ok: true, value };
}

function splitLines(source: string): [string, string][] {
  const split = source.split(/\n( *)/);
  const first = split[0];
  const m = /^( *)/.exec(first);
  const lines: [string, string][] = [m?.[1] ? [m[1], first.slice(m[1].length)] : ['', first]];
  for (let i = 1; i < split.length; i += 2) lines.push([split[i], split[i + 1]]);
  return lines;
}
