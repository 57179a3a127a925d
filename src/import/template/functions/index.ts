/** Every template function topo evaluates, by lower-case name. */
import type { FunctionImpl } from '../evaluate.js';
import { CIDR_FUNCTIONS } from './cidr.js';
import { COLLECTION_FUNCTIONS } from './collections.js';
import { LOGIC_FUNCTIONS } from './logic.js';
import { isListFunction, listUnresolved, SCOPE_FUNCTIONS } from './scope.js';
import { STRING_FUNCTIONS } from './strings.js';

const TABLE: Record<string, FunctionImpl> = { ...STRING_FUNCTIONS, ...COLLECTION_FUNCTIONS, ...LOGIC_FUNCTIONS, ...SCOPE_FUNCTIONS, ...CIDR_FUNCTIONS };

/** Lookups fall back to list*() (runtime secrets, always unresolved). */
export const FUNCTIONS: Record<string, FunctionImpl> = new Proxy(TABLE, {
  get(target, name: string) {
    if (Object.prototype.hasOwnProperty.call(target, name)) return target[name];
    return isListFunction(name) ? () => listUnresolved(name) : undefined;
  },
});

/** Names for the documentation and the tests. */
export function evaluatedFunctionNames(): string[] {
  return Object.keys(TABLE).sort();
}
