/**
 * Reads a resource list item by item in fixed-size chunks, so that a
 * Resource Graph export of any size needs memory for one item at a time
 * (plus what the caller keeps). Accepted shapes: a top-level array, or an
 * object whose `data` or `value` member is the array (Resource Graph, ARM
 * REST). Other members of that object are small and kept as the envelope.
 *
 * Only the envelope is checked byte by byte here; each item is cut out by
 * bracket counting and handed to JSON.parse, and when that fails the item
 * is parsed again by the positional reader for an exact line:col.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { JsonSyntaxError, parseJsonWithPositions } from './parse.js';

const CHUNK = 1 << 20;
const LIST_KEYS = new Set(['data', 'value']);

export interface StreamedList {
  readonly shape: 'array' | 'data' | 'value';
  readonly envelope: Readonly<Record<string, unknown>>;
  readonly items: number;
}

type Mode = 'start' | 'obj-key-or-end' | 'obj-key' | 'obj-colon' | 'obj-value' | 'obj-comma-or-end' | 'list-item-or-end' | 'list-item' | 'list-comma-or-end' | 'done';

export function streamResourceList(path: string, onItem: (item: unknown, line: number) => void, chunkBytes = CHUNK): StreamedList {
  const fd = openSync(path, 'r');
  try {
    return new ListScanner(onItem).run((buf) => readSync(fd, buf, 0, buf.length, null), chunkBytes);
  } finally {
    closeSync(fd);
  }
}

class ListScanner {
  private mode: Mode = 'start';
  private line = 1;
  private lineStart = 0;
  private pos = 0;
  private shape: StreamedList['shape'] = 'array';
  private readonly envelope: Record<string, unknown> = {};
  private items = 0;
  private key = '';
  private listFound = false;
  // The value being cut out: its bytes so far, nesting depth, string state.
  private capture: Buffer[] | undefined;
  private captureLine = 0;
  private captureCol = 0;
  private captureDepth = 0;
  private captureIsList = false;
  private captureIsKey = false;
  private inString = false;
  private escaped = false;
  private primitive = false;

  constructor(private readonly onItem: (item: unknown, line: number) => void) {}

  run(read: (buf: Buffer) => number, chunkBytes: number): StreamedList {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let first = true;
    for (;;) {
      const n = read(buf);
      if (n === 0) break;
      let start = 0;
      if (first && n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      first = false;
      this.chunk(buf, start, n);
    }
    if (this.capture && this.primitive) this.finish(Buffer.alloc(0));
    if (this.capture || this.mode !== 'done') {
      if (this.mode === 'start') throw new JsonSyntaxError('the file holds no JSON value', this.line, 1);
      throw new JsonSyntaxError('unexpected end of file: the JSON is cut short', this.line, this.pos - this.lineStart + 1);
    }
    if (!this.listFound) throw new JsonSyntaxError('no resource list here: expected a JSON array, or an object with a "data" or "value" array', 1, 1);
    return { shape: this.shape, envelope: this.envelope, items: this.items };
  }

  private fail(message: string, at: number): never {
    throw new JsonSyntaxError(message, this.line, at - this.lineStart + 1);
  }

  private chunk(buf: Buffer, from: number, n: number): void {
    let captureFrom = from;
    for (let i = from; i < n; i++) {
      const c = buf[i];
      const abs = this.pos + i;
      if (c === 10) {
        this.line++;
        this.lineStart = abs + 1;
      }
      if (this.capture) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === 92) this.escaped = true;
          else if (c === 34) {
            this.inString = false;
            if (this.captureIsKey) {
              this.capture.push(buf.subarray(captureFrom, i + 1));
              this.finish(Buffer.alloc(0));
              captureFrom = i + 1;
            } else if (this.captureDepth === 0) {
              this.capture.push(buf.subarray(captureFrom, i + 1));
              this.finish(Buffer.alloc(0));
            }
          }
          continue;
        }
        if (this.primitive) {
          if (c === 44 || c === 93 || c === 125 || c === 32 || c === 10 || c === 13 || c === 9) {
            this.capture.push(buf.subarray(captureFrom, i));
            this.finish(Buffer.alloc(0));
            // The terminator belongs to the envelope: read it again there.
            i--;
            if (c === 10) this.line--;
          }
          continue;
        }
        if (c === 34) this.inString = true;
        else if (c === 123 || c === 91) this.captureDepth++;
        else if (c === 125 || c === 93) {
          if (--this.captureDepth === 0) {
            this.capture.push(buf.subarray(captureFrom, i + 1));
            this.finish(Buffer.alloc(0));
          }
        }
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      this.structural(c, abs);
      if (this.capture) captureFrom = i;
    }
    if (this.capture) this.capture.push(Buffer.from(buf.subarray(captureFrom, n)));
    this.pos += n;
  }

  /** One non-blank byte outside any captured value. */
  private structural(c: number, abs: number): void {
    switch (this.mode) {
      case 'start':
        if (c === 91) {
          this.mode = 'list-item-or-end';
          this.listFound = true;
        } else if (c === 123) this.mode = 'obj-key-or-end';
        else this.fail(`unexpected '${String.fromCharCode(c)}'; expected a JSON array or object`, abs);
        return;
      case 'obj-key-or-end':
      case 'obj-key':
        if (c === 34) return this.begin(abs, false, true);
        if (c === 125 && this.mode === 'obj-key-or-end') {
          this.mode = 'done';
          return;
        }
        return this.fail(c === 125 ? 'a comma before } is not allowed in JSON' : 'expected a quoted member name', abs);
      case 'obj-colon':
        if (c !== 58) this.fail("expected ':' after the member name", abs);
        this.mode = 'obj-value';
        return;
      case 'obj-value':
        if (c === 91 && LIST_KEYS.has(this.key) && !this.listFound) {
          this.listFound = true;
          this.shape = this.key as 'data' | 'value';
          this.mode = 'list-item-or-end';
          return;
        }
        return this.begin(abs, false, false, c);
      case 'obj-comma-or-end':
        if (c === 44) this.mode = 'obj-key';
        else if (c === 125) this.mode = 'done';
        else this.fail("expected ',' or '}'", abs);
        return;
      case 'list-item-or-end':
      case 'list-item':
        if (c === 93) {
          if (this.mode === 'list-item') this.fail('a comma before ] is not allowed in JSON', abs);
          this.mode = this.shape === 'array' ? 'done' : 'obj-comma-or-end';
          return;
        }
        return this.begin(abs, true, false, c);
      case 'list-comma-or-end':
        if (c === 44) this.mode = 'list-item';
        else if (c === 93) this.mode = this.shape === 'array' ? 'done' : 'obj-comma-or-end';
        else this.fail("expected ',' or ']' between resources", abs);
        return;
      case 'done':
        this.fail('unexpected text after the JSON value', abs);
    }
  }

  private begin(abs: number, isList: boolean, isKey: boolean, c = 34): void {
    this.capture = [];
    this.captureLine = this.line;
    this.captureCol = abs - this.lineStart + 1;
    this.captureIsList = isList;
    this.captureIsKey = isKey;
    this.captureDepth = c === 123 || c === 91 ? 1 : 0;
    this.inString = c === 34;
    this.escaped = false;
    this.primitive = !(c === 123 || c === 91 || c === 34);
  }

  private finish(tail: Buffer): void {
    const text = Buffer.concat([...this.capture!, tail]).toString('utf8');
    const { captureLine: line, captureCol: col } = this;
    this.capture = undefined;
    this.primitive = false;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      try {
        parseJsonWithPositions(text);
      } catch (error) {
        if (error instanceof JsonSyntaxError) throw new JsonSyntaxError(error.message, line + error.line - 1, error.line === 1 ? col + error.col - 1 : error.col);
        throw error;
      }
      throw new JsonSyntaxError('invalid JSON value', line, col);
    }
    if (this.captureIsKey) {
      this.key = value as string;
      this.mode = 'obj-colon';
    } else if (this.captureIsList) {
      this.items++;
      this.mode = 'list-comma-or-end';
      this.onItem(value, line);
    } else {
      this.envelope[this.key] = value;
      this.mode = 'obj-comma-or-end';
    }
  }
}
