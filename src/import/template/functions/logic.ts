/** Logical, comparison and numeric functions. if/and/or are lazy: an unresolved value in a branch not taken does not matter. */
import { EvalError, type FunctionImpl } from '../evaluate.js';
import { firstUnresolved, isUnresolved, typeName, Unresolved, type Value } from '../values.js';
import { deepEqual, int, strict } from './args.js';

function bool(v: Value, fn: string): boolean {
  if (typeof v === 'boolean') return v;
  throw new EvalError(`${fn}() expects a boolean, not ${typeName(v)}`);
}

function compare(a: Value, b: Value, fn: string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new EvalError(`${fn}() compares two numbers or two strings, not ${typeName(a)} and ${typeName(b)}`);
}

/** and()/or(): a decisive known argument wins even if another one is unresolved. */
function junction(name: string, decisive: boolean): FunctionImpl {
  return (exprs, _scope, ev) => {
    if (exprs.length < 2) throw new EvalError(`${name}() takes at least 2 arguments`);
    let unknown: Unresolved | undefined;
    for (const x of exprs) {
      const v = ev(x);
      if (isUnresolved(v)) unknown ??= v.opaque();
      else if (bool(v, name) === decisive) return decisive;
    }
    return unknown ?? !decisive;
  };
}

export const LOGIC_FUNCTIONS: Record<string, FunctionImpl> = {
  if: (exprs, _scope, ev) => {
    if (exprs.length !== 3) throw new EvalError(`if() takes 3 arguments, not ${exprs.length}`);
    const c = ev(exprs[0]);
    if (isUnresolved(c)) return c.opaque();
    return ev(bool(c, 'if') ? exprs[1] : exprs[2]);
  },
  and: junction('and', false),
  or: junction('or', true),
  not: strict('not', ([v]) => !bool(v, 'not'), [1, 1]),
  equals: (exprs, _scope, ev) => {
    if (exprs.length !== 2) throw new EvalError('equals() takes 2 arguments');
    const [a, b] = exprs.map((x) => ev(x));
    const u = firstUnresolved(a) ?? firstUnresolved(b);
    return u ? u.opaque() : deepEqual(a, b);
  },
  true: () => true,
  false: () => false,
  null: () => null,
  bool: strict('bool', ([v]) => (typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : String(v).toLowerCase() === 'true'), [1, 1]),
  int: strict('int', ([v]) => {
    const n = typeof v === 'number' ? Math.trunc(v) : Number.parseInt(String(v), 10);
    if (Number.isNaN(n)) throw new EvalError(`int(): '${String(v)}' is not a number`);
    return n;
  }, [1, 1]),
  float: strict('float', ([v]) => Number(v), [1, 1]),
  add: strict('add', ([a, b]) => int(a, 'add') + int(b, 'add'), [2, 2]),
  sub: strict('sub', ([a, b]) => int(a, 'sub') - int(b, 'sub'), [2, 2]),
  mul: strict('mul', ([a, b]) => int(a, 'mul') * int(b, 'mul'), [2, 2]),
  div: strict('div', ([a, b]) => {
    if (int(b, 'div') === 0) throw new EvalError('div(): division by zero');
    return Math.trunc(int(a, 'div') / int(b, 'div'));
  }, [2, 2]),
  mod: strict('mod', ([a, b]) => {
    if (int(b, 'mod') === 0) throw new EvalError('mod(): division by zero');
    return int(a, 'mod') % int(b, 'mod');
  }, [2, 2]),
  greater: strict('greater', ([a, b]) => compare(a, b, 'greater') > 0, [2, 2]),
  greaterorequals: strict('greaterOrEquals', ([a, b]) => compare(a, b, 'greaterOrEquals') >= 0, [2, 2]),
  less: strict('less', ([a, b]) => compare(a, b, 'less') < 0, [2, 2]),
  lessorequals: strict('lessOrEquals', ([a, b]) => compare(a, b, 'lessOrEquals') <= 0, [2, 2]),
};
