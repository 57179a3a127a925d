/**
 * Evaluates one parsed expression against a deployment scope. Functions
 * live in functions/*; here only dispatch, member access and the rule that
 * an unresolved argument makes the result unresolved (the lazy functions -
 * if, and, or, coalesce, lambda - decide for themselves).
 */
import type { Expr } from './expr.js';
import { FUNCTIONS } from './functions/index.js';
import { isObject, isUnresolved, Lambda, member, typeName, Unresolved, type Value } from './values.js';

/** What an expression can ask of the deployment it is evaluated in. */
export interface Scope {
  parameter(name: string): Value;
  variable(name: string): Value;
  copyIndex(loop: string | undefined): number | undefined;
  lambdaVariable(name: string): Value | undefined;
  withLambda(bindings: ReadonlyMap<string, Value>): Scope;
  subscription(): Value;
  resourceGroup(): Value;
  deployment(): Value;
  tenant(): Value;
  /** Builds a resource id at this deployment's scope (or the given subscription and group). */
  resourceId(subscriptionId: string | undefined, resourceGroup: string | undefined, type: string, names: readonly string[], level: 'group' | 'subscription' | 'tenant'): Value;
  reference(target: string, full: boolean): Value;
  userFunction(name: string, args: readonly Value[]): Value | undefined;
}

export class EvalError extends Error {}

export type FunctionImpl = (args: readonly Expr[], scope: Scope, ev: (e: Expr, s?: Scope) => Value) => Value;

export function evaluate(e: Expr, scope: Scope): Value {
  switch (e.kind) {
    case 'string':
    case 'number':
      return e.value;
    case 'property':
      return access(evaluate(e.target, scope), e.name);
    case 'index': {
      const index = evaluate(e.index, scope);
      if (isUnresolved(index)) return index.opaque();
      if (typeof index !== 'string' && typeof index !== 'number') throw new EvalError(`an index must be a string or a number, not ${typeName(index)}`);
      return access(evaluate(e.target, scope), index);
    }
    case 'call': {
      const name = e.name.toLowerCase();
      const fn = FUNCTIONS[name];
      if (fn) return fn(e.args, scope, (x, s = scope) => evaluate(x, s));
      if (name.includes('.')) {
        const args = e.args.map((a) => evaluate(a, scope));
        const u = args.find(isUnresolved);
        if (u) return u.opaque();
        const r = scope.userFunction(name, args);
        if (r !== undefined) return r;
      }
      return new Unresolved(`${e.name}() is not a template function topo evaluates`);
    }
  }
}

function access(target: Value, key: string | number): Value {
  if (isUnresolved(target)) return target.read(key);
  if (Array.isArray(target)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) throw new EvalError(`an array index must be an integer, not '${key}'`);
    if (key < 0 || key >= target.length) throw new EvalError(`index ${key} is outside the array (length ${target.length})`);
    return target[key];
  }
  if (isObject(target)) {
    const v = member(target, String(key));
    if (v === undefined) throw new EvalError(`the object has no member '${key}'`);
    return v;
  }
  if (target instanceof Lambda) throw new EvalError('a lambda has no members');
  throw new EvalError(`cannot read '${key}' of ${typeName(target)}`);
}
