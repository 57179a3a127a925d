/**
 * A JSON reader that remembers where every object member and array item
 * starts, so that an unresolved template expression can be reported at its
 * file:line, and a syntax error at line:col (JSON.parse gives neither).
 * ARM templates may carry // and /* comments; they are accepted.
 */
import { lineColAt } from './position.js';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

/** Offsets of a container's members (object keys, array indexes) and of the container itself. */
interface Where {
  readonly at: number;
  readonly members: Map<string | number, number>;
}

export interface ParsedJson {
  readonly value: unknown;
  /** 1-based line of a container, or of one of its members. */
  lineOf(container: object, member?: string | number): number | undefined;
}

export function parseJsonWithPositions(text: string): ParsedJson {
  const where = new WeakMap<object, Where>();
  const p = new Parser(text, where);
  const value = p.document();
  const lineStarts = lineStartsOf(text);
  return {
    value,
    lineOf(container, member) {
      const w = where.get(container);
      if (!w) return undefined;
      const offset = member === undefined ? w.at : w.members.get(member);
      return offset === undefined ? undefined : lineOfOffset(lineStarts, offset);
    },
  };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOfOffset(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

const MAX_DEPTH = 512;

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly s: string,
    private readonly where: WeakMap<object, Where>,
  ) {
    if (s.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  document(): unknown {
    this.space();
    if (this.i >= this.s.length) this.fail('the file holds no JSON value');
    const v = this.value();
    this.space();
    if (this.i < this.s.length) this.fail(`unexpected ${this.describe()} after the JSON value`);
    return v;
  }

  private fail(message: string, at = this.i): never {
    const { line, col } = lineColAt(this.s, at);
    throw new JsonSyntaxError(message, line, col);
  }

  private describe(): string {
    if (this.i >= this.s.length) return 'end of file';
    const ch = this.s[this.i];
    return /[\x20-\x7e]/.test(ch) ? `'${ch}'` : `character U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  }

  private space(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.i++;
      else if (c === 47 && s.charCodeAt(this.i + 1) === 47) {
        const end = s.indexOf('\n', this.i);
        this.i = end < 0 ? s.length : end + 1;
      } else if (c === 47 && s.charCodeAt(this.i + 1) === 42) {
        const end = s.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('a /* comment is never closed');
        this.i = end + 2;
      } else return;
    }
  }

  private value(): unknown {
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    if (c === "'") this.fail("JSON strings take double quotes, not single quotes");
    return this.fail(`unexpected ${this.describe()}; expected a JSON value`);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`the JSON nests deeper than ${MAX_DEPTH} levels`);
  }

  private object(): Record<string, unknown> {
    this.enter();
    const out: Record<string, unknown> = {};
    const w: Where = { at: this.i, members: new Map() };
    this.where.set(out, w);
    this.i++;
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      this.depth--;
      return out;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] !== '"') this.fail(this.s[this.i] === '}' ? 'a comma before } is not allowed in JSON' : `unexpected ${this.describe()}; expected a quoted member name`);
      const keyAt = this.i;
      const key = this.string();
      this.space();
      if (this.s[this.i] !== ':') this.fail(`unexpected ${this.describe()}; expected ':' after the member name`);
      this.i++;
      this.space();
      w.members.set(key, keyAt);
      // A "__proto__" member must become data, not the prototype.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.space();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        this.depth--;
        return out;
      }
      this.fail(`unexpected ${this.describe()}; expected ',' or '}'`);
    }
  }

  private array(): unknown[] {
    this.enter();
    const out: unknown[] = [];
    const w: Where = { at: this.i, members: new Map() };
    this.where.set(out, w);
    this.i++;
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      this.depth--;
      return out;
    }
    for (;;) {
      this.space();
      if (this.s[this.i] === ']') this.fail('a comma before ] is not allowed in JSON');
      w.members.set(out.length, this.i);
      out.push(this.value());
      this.space();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        this.depth--;
        return out;
      }
      this.fail(`unexpected ${this.describe()}; expected ',' or ']'`);
    }
  }

  private string(): string {
    const s = this.s;
    const start = ++this.i;
    // Fast path: no escapes.
    let j = start;
    for (;;) {
      const c = s.charCodeAt(j);
      if (c === 34) {
        this.i = j + 1;
        return s.slice(start, j);
      }
      if (c === 92 || c < 32 || Number.isNaN(c)) break;
      j++;
    }
    let out = s.slice(start, j);
    this.i = j;
    for (;;) {
      if (this.i >= s.length) this.fail('a string is never closed', start - 1);
      const c = s[this.i];
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c.charCodeAt(0) < 32) this.fail('a control character inside a string must be escaped');
      if (c !== '\\') {
        out += c;
        this.i++;
        continue;
      }
      const e = s[this.i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) {
        out += simple[e];
        this.i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 2, this.i + 6))) {
        out += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16));
        this.i += 6;
      } else this.fail(`invalid escape '\\${e ?? ''}' in a string`);
    }
  }

  private number(): number {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail(`unexpected ${this.describe()}; expected a number`);
    this.i += m[0].length;
    return Number(m[0]);
  }
}
