/**
 * The ARM template expression language: `[fn(arg, ...).prop[index]]`.
 * A JSON string is an expression when it starts with `[` and ends with `]`;
 * `[[` escapes a literal `[`. Strings inside use single quotes, doubled to
 * escape. Function names are case-insensitive.
 */

export type Expr =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] }
  | { readonly kind: 'property'; readonly target: Expr; readonly name: string }
  | { readonly kind: 'index'; readonly target: Expr; readonly index: Expr };

export class ExprSyntaxError extends Error {}

/** The expression inside a template string, or undefined when the string is a literal. */
export function expressionOf(text: string): string | undefined {
  if (text.length < 2 || text[0] !== '[' || text[text.length - 1] !== ']') return undefined;
  if (text[1] === '[') return undefined;
  return text.slice(1, -1);
}

/** A literal template string with its `[[` escape undone. */
export function literalOf(text: string): string {
  return text.startsWith('[[') && text.endsWith(']') ? text.slice(1) : text;
}

export function parseExpression(source: string): Expr {
  const p = new ExprParser(source);
  const e = p.expr();
  p.blank();
  if (!p.atEnd()) throw new ExprSyntaxError(`unexpected '${source.slice(p.i, p.i + 12)}' in the expression`);
  return e;
}

class ExprParser {
  i = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  blank(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  expr(): Expr {
    this.blank();
    let e = this.primary();
    for (;;) {
      this.blank();
      const c = this.s[this.i];
      if (c === '.') {
        this.i++;
        this.blank();
        e = { kind: 'property', target: e, name: this.identifier() };
      } else if (c === '[') {
        this.i++;
        const index = this.expr();
        this.blank();
        if (this.s[this.i] !== ']') throw new ExprSyntaxError("expected ']' after an index");
        this.i++;
        e = { kind: 'index', target: e, index };
      } else return e;
    }
  }

  private primary(): Expr {
    const c = this.s[this.i];
    if (c === "'") return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(\.\d+)?/.exec(this.s.slice(this.i));
      if (!m) throw new ExprSyntaxError('expected a number');
      this.i += m[0].length;
      return { kind: 'number', value: Number(m[0]) };
    }
    let name = this.identifier();
    // User-defined functions are namespaced: ns.fn(...)
    while (this.s[this.i] === '.' && /[A-Za-z_]/.test(this.s[this.i + 1] ?? '')) {
      const save = this.i;
      this.i++;
      const more = this.identifier();
      this.blank();
      if (this.s[this.i] === '(') name = `${name}.${more}`;
      else {
        this.i = save;
        break;
      }
    }
    this.blank();
    if (this.s[this.i] !== '(') {
      const lower = name.toLowerCase();
      if (lower === 'true' || lower === 'false' || lower === 'null') return { kind: 'call', name: lower, args: [] };
      throw new ExprSyntaxError(`expected '(' after ${name}`);
    }
    this.i++;
    const args: Expr[] = [];
    this.blank();
    if (this.s[this.i] === ')') {
      this.i++;
      return { kind: 'call', name, args };
    }
    for (;;) {
      args.push(this.expr());
      this.blank();
      const d = this.s[this.i];
      if (d === ',') {
        this.i++;
        continue;
      }
      if (d === ')') {
        this.i++;
        return { kind: 'call', name, args };
      }
      throw new ExprSyntaxError(`expected ',' or ')' in the arguments of ${name}`);
    }
  }

  private identifier(): string {
    const m = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(this.s.slice(this.i));
    if (!m) throw new ExprSyntaxError(`expected a name at '${this.s.slice(this.i, this.i + 12)}'`);
    this.i += m[0].length;
    return m[0];
  }

  private string(): Expr {
    let out = '';
    this.i++;
    for (;;) {
      if (this.i >= this.s.length) throw new ExprSyntaxError('a string is never closed');
      const c = this.s[this.i];
      if (c === "'") {
        if (this.s[this.i + 1] === "'") {
          out += "'";
          this.i += 2;
          continue;
        }
        this.i++;
        return { kind: 'string', value: out };
      }
      out += c;
      this.i++;
    }
  }
}
