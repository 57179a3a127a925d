/** Checks of `require:` intents against the shipped flow sets (models/flowsets). */
import { flowSet, flowSets, type FlowSetData } from '../../catalog/flowsets.js';
import { didYouMean } from '../../net/text.js';
import { resolveEndpoint } from '../endpoints.js';
import type { Scenario } from '../types.js';
import type { CheckContext } from './context.js';

export interface BindingProblem {
  /** The binding at fault, when there is one to point at. */
  readonly param?: string;
  readonly message: string;
}

export function bindingProblems(set: FlowSetData, s: Scenario, bindings: ReadonlyMap<string, string>): BindingProblem[] {
  const problems: BindingProblem[] = [];
  for (const [name, p] of Object.entries(set.parameters)) {
    const v = bindings.get(name);
    if (v === undefined) {
      if (!p.optional && !p.flag) problems.push({ message: `flow set ${set.name} needs with: { ${name}: <${p.type ?? 'value'}> }` });
      continue;
    }
    if (p.flag && !/^(true|false|yes|no|1|0|on|off)$/i.test(v)) problems.push({ param: name, message: `${name} is a flag of ${set.name}: write true or false, not '${v}'` });
    if (p.endpoint) {
      const r = resolveEndpoint(s, v);
      if (!r.ok) problems.push({ param: name, message: `${name}: ${r.message}${r.hint ? ` (${r.hint})` : ''}` });
    }
    if (p.type) {
      const res = s.resources.get(v);
      if (!res) problems.push({ param: name, message: `${name}: '${v}' is not a resource of the scenario` });
      else if (p.type !== '*' && res.type.value.toLowerCase() !== p.type.toLowerCase()) problems.push({ param: name, message: `${name}: '${v}' is a ${res.type.value}, but ${set.name} expects a ${p.type}` });
      else if (set.flows.some((f) => f.flow.via === 'private-endpoints' && f.flow.to === `{${name}}`) && ![...s.privateEndpoints.values()].some((pe) => pe.resource.value === v)) {
        problems.push({ param: name, message: `${name}: '${v}' has no private endpoint, and ${set.name} reaches it through its private endpoints` });
      }
    }
  }
  for (const name of bindings.keys()) {
    if (!(name in set.parameters)) problems.push({ param: name, message: `${set.name} has no parameter '${name}' (it takes: ${Object.keys(set.parameters).join(', ') || 'none'})` });
  }
  return problems;
}

export function checkRequireIntents(c: CheckContext): void {
  for (const intent of c.s.intents) {
    if (intent.kind !== 'require') continue;
    const set = flowSet(intent.set.value);
    if (!set) {
      const guess = didYouMean(intent.set.value, flowSets().keys());
      c.report('TOPO233', `intent '${intent.name}' requires flow set '${intent.set.value}', which topo does not ship`, intent.set.loc, { hint: guess ? `did you mean '${guess}'?` : `flow sets: ${[...flowSets().keys()].join(', ')}` });
      continue;
    }
    const bindings = new Map([...intent.with].map(([k, v]) => [k, v.value]));
    for (const problem of bindingProblems(set, c.s, bindings)) {
      const at = problem.param !== undefined ? intent.with.get(problem.param)?.loc : undefined;
      c.report('TOPO234', `intent '${intent.name}': ${problem.message}`, at ?? intent.set.loc);
    }
  }
}
