/**
 * Evaluates a JSON value of a template: expression strings, nested arrays
 * and objects, and property copy loops (`"copy": [{name, count, input}]`
 * inside resource properties). Whatever cannot be evaluated becomes an
 * Unresolved located at its template line; evaluation never throws for a
 * template problem.
 */
import { evaluate, EvalError } from './evaluate.js';
import { expressionOf, ExprSyntaxError, literalOf, parseExpression, type Expr } from './expr.js';
import type { TemplateScope } from './scope-impl.js';
import { isObject, isUnresolved, Lambda, Unresolved, type Value } from './values.js';

const parsed = new Map<string, Expr | ExprSyntaxError>();

function parseCached(source: string): Expr | ExprSyntaxError {
  let hit = parsed.get(source);
  if (!hit) {
    try {
      hit = parseExpression(source);
    } catch (error) {
      if (!(error instanceof ExprSyntaxError)) throw error;
      hit = error;
    }
    if (parsed.size > 50_000) parsed.clear();
    parsed.set(source, hit);
  }
  return hit;
}

/** Evaluates one template string: a literal, or an expression. */
export function evalString(text: string, scope: TemplateScope, line: number | undefined): Value {
  const source = expressionOf(text);
  if (source === undefined) return literalOf(text);
  const expr = parseCached(source);
  let value: Value;
  if (expr instanceof ExprSyntaxError) value = new Unresolved(`not a valid template expression: ${expr.message}`);
  else {
    try {
      value = evaluate(expr, scope);
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
      value = new Unresolved(`cannot be evaluated: ${error.message}`);
    }
  }
  return locate(value, source, scope.file, line, 0);
}

/** Gives every Unresolved inside a value the place of the expression that produced it (if it has none). */
function locate(v: Value, source: string, file: string, line: number | undefined, depth: number): Value {
  if (isUnresolved(v)) return v.at(source, file, line);
  if (depth > 32 || v instanceof Lambda) return v;
  if (Array.isArray(v)) return v.some((x) => typeof x === 'object' && x !== null) ? v.map((x) => locate(x, source, file, line, depth + 1)) : v;
  if (isObject(v)) {
    let changed = false;
    const out: { [k: string]: Value } = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = typeof x === 'object' && x !== null ? locate(x, source, file, line, depth + 1) : x;
      changed ||= out[k] !== x;
    }
    return changed ? out : v;
  }
  return v;
}

export interface EvalJsonOptions {
  /** Inside resource properties, `copy` arrays are property loops. */
  readonly propertyCopy?: boolean;
  /** The loop also answers copyIndex() without a name (output loops). */
  readonly unnamedIndex?: boolean;
}

export function evalJson(v: unknown, scope: TemplateScope, container: object | undefined, key: string | number | undefined, opts: EvalJsonOptions = {}): Value {
  if (typeof v === 'string') return evalString(v, scope, container ? scope.lineOf(container, key) : undefined);
  if (v === null || typeof v !== 'object') return v as Value;
  if (Array.isArray(v)) return v.map((x, i) => evalJson(x, scope, v, i, opts));
  const obj = v as Record<string, unknown>;
  const out: { [k: string]: Value } = {};
  for (const [k, x] of Object.entries(obj)) {
    if (opts.propertyCopy && k === 'copy' && Array.isArray(x)) {
      for (const [i, spec] of x.entries()) {
        if (!isObject(spec as Value)) continue;
        const loop = spec as Record<string, unknown>;
        const name = evalJson(loop.name, scope, loop, 'name');
        if (typeof name !== 'string') continue;
        out[name] = evalLoop(loop, name, scope, x, i, opts);
      }
      continue;
    }
    out[k] = evalJson(x, scope, obj, k, opts);
  }
  return out;
}

/** A property or variable copy loop: `input` evaluated `count` times, copyIndex('name') counting. */
export function evalLoop(loop: Record<string, unknown>, name: string, scope: TemplateScope, specs: unknown[], at: number, opts: EvalJsonOptions = {}): Value {
  const count = evalJson(loop.count, scope, loop, 'count');
  if (isUnresolved(count)) return count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return new Unresolved(`the copy count of '${name}' is not a whole number`, undefined, scope.file, scope.lineOf(specs, at));
  const items: Value[] = [];
  for (let i = 0; i < count; i++) items.push(evalJson(loop.input, scope.withCopy(name, i, opts.unnamedIndex), loop, 'input', opts));
  return items;
}
