/**
 * Values of template evaluation: plain JSON, plus Unresolved for whatever
 * is not literal (reference(), listKeys(), utcNow(), linked templates...).
 * An Unresolved keeps the expression and the template line it came from, so
 * the importer can report it once, where it is written, and never guess it.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What reference() named: a resource id and the property path read from its runtime state. */
export interface RuntimeRead {
  readonly resourceId: string;
  readonly path: readonly (string | number)[];
}

/** Where an unknown value first appears: the template expression that cannot be evaluated. */
export interface Cause {
  readonly expr: string;
  readonly file: string;
  readonly line?: number;
}

export class Unresolved {
  constructor(
    readonly reason: string,
    /** The expression of the template string where the value is used. */
    readonly expr?: string,
    readonly file?: string,
    readonly line?: number,
    readonly runtime?: RuntimeRead,
    /** The first expression that could not be evaluated (a parameter default, a variable...), reported once. */
    readonly cause?: Cause,
  ) {}

  /** The same unknown, seen at another template string (a variable used in a property). */
  at(expr: string, file: string, line: number | undefined): Unresolved {
    if (this.file === file && this.line === line && this.expr === expr) return this;
    const cause = this.cause ?? (this.file && this.expr ? { expr: this.expr, file: this.file, line: this.line } : { expr, file, line });
    return new Unresolved(this.reason, expr, file, line, this.runtime, cause);
  }

  /** A property read of a runtime value (reference(x).properties.y) stays a runtime read. */
  read(key: string | number): Unresolved {
    if (!this.runtime) return this;
    return new Unresolved(this.reason, this.expr, this.file, this.line, { resourceId: this.runtime.resourceId, path: [...this.runtime.path, key] }, this.cause);
  }

  /** Combined with anything else, a runtime read is just unknown. */
  opaque(): Unresolved {
    return this.runtime ? new Unresolved(this.reason, this.expr, this.file, this.line, undefined, this.cause) : this;
  }
}

/** A lambda() closure: evaluated only when filter/map/... apply it. */
export class Lambda {
  constructor(
    readonly params: readonly string[],
    readonly apply: (args: readonly Value[]) => Value,
  ) {}
}

export type Value = string | number | boolean | null | Unresolved | Lambda | Value[] | { [key: string]: Value };

export function isUnresolved(v: unknown): v is Unresolved {
  return v instanceof Unresolved;
}

export function isObject(v: unknown): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unresolved) && !(v instanceof Lambda);
}

/** The first unresolved value anywhere inside v, if any. */
export function firstUnresolved(v: unknown, depth = 0): Unresolved | undefined {
  if (v instanceof Unresolved) return v;
  if (depth > 64) return undefined;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = firstUnresolved(x, depth + 1);
      if (u) return u;
    }
  } else if (isObject(v)) {
    for (const x of Object.values(v)) {
      const u = firstUnresolved(x, depth + 1);
      if (u) return u;
    }
  }
  return undefined;
}

/** ARM reads object members case-insensitively. */
export function member(obj: { [key: string]: Value }, key: string): Value | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Lambda) return 'lambda';
  if (v instanceof Unresolved) return 'unresolved';
  return typeof v === 'object' ? 'object' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'number') : typeof v;
}
