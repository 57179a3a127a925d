/** Shared argument handling for the template functions. */
import { EvalError, type FunctionImpl, type Scope } from '../evaluate.js';
import { firstUnresolved, isObject, isUnresolved, Lambda, typeName, Unresolved, type Value } from '../values.js';

/**
 * A function whose arguments are all evaluated first; any unresolved
 * argument makes the result unresolved. `deep` also looks inside arrays and
 * objects, for functions whose result depends on every element.
 */
export function strict(name: string, impl: (args: Value[], scope: Scope) => Value, arity: [number, number] = [0, Infinity], deep = false): FunctionImpl {
  return (exprs, scope, ev) => {
    if (exprs.length < arity[0] || exprs.length > arity[1]) {
      throw new EvalError(`${name}() takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1] === Infinity ? 'any number of' : arity[1]}`} arguments, not ${exprs.length}`);
    }
    const args = exprs.map((x) => ev(x));
    for (const a of args) {
      const u = deep ? firstUnresolved(a) : isUnresolved(a) ? a : undefined;
      if (u) return u.opaque();
    }
    return impl(args, scope);
  };
}

export function str(v: Value, fn: string): string {
  if (typeof v !== 'string') throw new EvalError(`${fn}() expects a string, not ${typeName(v)}`);
  return v;
}

export function int(v: Value, fn: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new EvalError(`${fn}() expects an integer, not ${typeName(v)}`);
}

export function arr(v: Value, fn: string): Value[] {
  if (!Array.isArray(v)) throw new EvalError(`${fn}() expects an array, not ${typeName(v)}`);
  return v;
}

export function lambdaArg(v: Value, fn: string): Lambda {
  if (!(v instanceof Lambda)) throw new EvalError(`${fn}() expects a lambda, not ${typeName(v)}`);
  return v;
}

/** ARM's string conversion: booleans as .NET prints them, containers as compact JSON. */
export function toText(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return '';
  return JSON.stringify(v);
}

export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

export const unresolvedCall = (what: string): FunctionImpl => () => new Unresolved(what);
