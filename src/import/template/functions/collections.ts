/** Array, object and lambda functions of ARM templates. */
import { EvalError, type FunctionImpl } from '../evaluate.js';
import { isObject, isUnresolved, member, typeName, Unresolved, type Value } from '../values.js';
import { arr, deepEqual, int, lambdaArg, str, strict, toText } from './args.js';

type Obj = { [key: string]: Value };

function lengthOf(v: Value): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  throw new EvalError(`length() expects a string, an array or an object, not ${typeName(v)}`);
}

function unionOf(args: Value[]): Value {
  if (args.every(Array.isArray)) {
    const out: Value[] = [];
    for (const a of args as Value[][]) for (const x of a) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  }
  if (args.every(isObject)) return args.reduce<Obj>((acc, o) => mergeObjects(acc, o as Obj), {});
  throw new EvalError('union() expects arrays or objects, all of one kind');
}

/** union() of objects merges nested objects member by member; the later value wins otherwise. */
function mergeObjects(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const existing = Object.keys(out).find((x) => x.toLowerCase() === k.toLowerCase());
    if (existing !== undefined && isObject(out[existing]) && isObject(v)) out[existing] = mergeObjects(out[existing] as Obj, v);
    else {
      if (existing !== undefined) delete out[existing];
      out[k] = v;
    }
  }
  return out;
}

function takeOrSkip(v: Value, n: number, take: boolean): Value {
  if (v === null) return null;
  if (typeof v === 'string') return take ? v.slice(0, Math.max(0, n)) : v.slice(Math.max(0, n));
  const a = arr(v, take ? 'take' : 'skip');
  return take ? a.slice(0, Math.max(0, n)) : a.slice(Math.max(0, n));
}

function contains(c: Value, x: Value): boolean {
  if (typeof c === 'string') return c.toLowerCase().includes(toText(x).toLowerCase());
  if (Array.isArray(c)) return c.some((y) => deepEqual(y, x));
  if (isObject(c)) return member(c, str(x, 'contains')) !== undefined;
  throw new EvalError(`contains() expects a string, an array or an object, not ${typeName(c)}`);
}

export const COLLECTION_FUNCTIONS: Record<string, FunctionImpl> = {
  array: strict('array', ([v]) => (Array.isArray(v) ? v : [v]), [1, 1]),
  createarray: strict('createArray', (args) => args),
  createobject: strict('createObject', (args) => {
    if (args.length % 2 !== 0) throw new EvalError('createObject() takes key, value pairs');
    const out: Obj = {};
    for (let i = 0; i < args.length; i += 2) out[str(args[i], 'createObject')] = args[i + 1];
    return out;
  }),
  union: strict('union', unionOf, [1, Infinity]),
  intersection: strict(
    'intersection',
    (args) => {
      if (args.every(Array.isArray)) return (args[0] as Value[]).filter((x, i, all) => all.findIndex((y) => deepEqual(x, y)) === i && (args as Value[][]).every((a) => a.some((y) => deepEqual(x, y))));
      if (args.every(isObject)) {
        const out: Obj = {};
        for (const [k, v] of Object.entries(args[0] as Obj)) if ((args as Obj[]).every((o) => Object.prototype.hasOwnProperty.call(o, k) && deepEqual(o[k], v))) out[k] = v;
        return out;
      }
      throw new EvalError('intersection() expects arrays or objects, all of one kind');
    },
    [2, Infinity],
    true,
  ),
  json: strict(
    'json',
    ([v]) => {
      try {
        return JSON.parse(str(v, 'json')) as Value;
      } catch {
        throw new EvalError(`json(): '${String(v).slice(0, 60)}' is not JSON`);
      }
    },
    [1, 1],
  ),
  range: strict('range', ([s, n]) => Array.from({ length: Math.max(0, int(n, 'range')) }, (_, i) => int(s, 'range') + i), [2, 2]),
  length: strict('length', ([v]) => lengthOf(v), [1, 1]),
  empty: strict('empty', ([v]) => v === null || (typeof v === 'string' ? v === '' : Array.isArray(v) ? v.length === 0 : isObject(v) ? Object.keys(v).length === 0 : false), [1, 1]),
  contains: strict('contains', ([c, x]) => contains(c, x), [2, 2], true),
  first: strict('first', ([v]) => (v === null ? null : typeof v === 'string' ? v.slice(0, 1) : arr(v, 'first')[0] ?? null), [1, 1]),
  last: strict('last', ([v]) => (v === null ? null : typeof v === 'string' ? v.slice(-1) : arr(v, 'last').at(-1) ?? null), [1, 1]),
  take: strict('take', ([v, n]) => takeOrSkip(v, int(n, 'take'), true), [2, 2]),
  skip: strict('skip', ([v, n]) => takeOrSkip(v, int(n, 'skip'), false), [2, 2]),
  min: strict('min', (args) => Math.min(...(args.length === 1 && Array.isArray(args[0]) ? args[0] : args).map((x) => int(x, 'min'))), [1, Infinity], true),
  max: strict('max', (args) => Math.max(...(args.length === 1 && Array.isArray(args[0]) ? args[0] : args).map((x) => int(x, 'max'))), [1, Infinity], true),
  indexof: strict('indexOf', ([c, x]) => (Array.isArray(c) ? c.findIndex((y) => deepEqual(y, x)) : str(c, 'indexOf').toLowerCase().indexOf(toText(x).toLowerCase())), [2, 2], true),
  flatten: strict('flatten', ([v]) => arr(v, 'flatten').flatMap((x) => (Array.isArray(x) ? x : [x])), [1, 1]),
  items: strict('items', ([o]) => {
    if (!isObject(o)) throw new EvalError(`items() expects an object, not ${typeName(o)}`);
    return Object.keys(o)
      .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))
      .map((k) => ({ key: k, value: o[k] }));
  }, [1, 1]),
  objectkeys: strict('objectKeys', ([o]) => (isObject(o) ? Object.keys(o) : []), [1, 1]),
  tryget: strict('tryGet', ([o, k]) => (isObject(o) ? member(o, toText(k)) ?? null : Array.isArray(o) && typeof k === 'number' ? o[k] ?? null : null), [2, 2]),
  coalesce: (exprs, _scope, ev) => {
    for (const x of exprs) {
      const v = ev(x);
      if (isUnresolved(v)) return v.opaque();
      if (v !== null) return v;
    }
    return null;
  },
  filter: strict('filter', ([a, f]) => {
    const fn = lambdaArg(f, 'filter');
    const out: Value[] = [];
    for (const [i, x] of arr(a, 'filter').entries()) {
      const keep = fn.apply([x, i]);
      if (isUnresolved(keep)) return keep.opaque();
      if (keep === true) out.push(x);
    }
    return out;
  }, [2, 2]),
  map: strict('map', ([a, f]) => arr(a, 'map').map((x, i) => lambdaArg(f, 'map').apply([x, i])), [2, 2]),
  reduce: strict('reduce', ([a, init, f]) => arr(a, 'reduce').reduce<Value>((acc, x, i) => (isUnresolved(acc) ? acc : lambdaArg(f, 'reduce').apply([acc, x, i])), init), [3, 3]),
  sort: strict('sort', ([a, f]) => {
    const fn = lambdaArg(f, 'sort');
    const list = [...arr(a, 'sort')];
    let unknown: Unresolved | undefined;
    list.sort((x, y) => {
      const less = fn.apply([x, y]);
      if (isUnresolved(less)) unknown ??= less;
      return less === true ? -1 : 1;
    });
    return unknown ? unknown.opaque() : list;
  }, [2, 2]),
  toobject: strict('toObject', ([a, kf, vf]) => {
    const out: Obj = {};
    for (const x of arr(a, 'toObject')) {
      const k = lambdaArg(kf, 'toObject').apply([x]);
      if (isUnresolved(k)) return k.opaque();
      out[toText(k)] = vf === undefined ? x : lambdaArg(vf, 'toObject').apply([x]);
    }
    return out;
  }, [2, 3]),
};
