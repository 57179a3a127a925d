/**
 * Rule edits and flow-change views shared by the what-if tests: a scenario
 * with one NSG rule's access flipped, the changed packets of a diff per
 * (direction, source, destination), and the check that two diffs agree.
 */
import { expect } from 'vitest';
import type { DiffResult } from '../../src/diff/engine.js';
import { PacketSet } from '../../src/headerspace/packet-set.js';
import type { Nsg, Scenario } from '../../src/scenario/types.js';

/** The scenario with rule `index` of NSG `nsgName` turned from Allow to Deny or back; every other object is shared. */
export function flipRule(s: Scenario, nsgName: string, index: number): Scenario {
  const nsg = s.networkSecurityGroups.get(nsgName)!;
  const rules = nsg.securityRules.map((r, i) => (i === index ? { ...r, access: { ...r.access, value: r.access.value === 'Allow' ? ('Deny' as const) : ('Allow' as const) } } : r));
  const edited: Nsg = { ...nsg, securityRules: rules };
  return { ...s, networkSecurityGroups: new Map([...s.networkSecurityGroups, [nsgName, edited]]) };
}

/** The packets of a diff's flow changes, per `direction from -> to`. */
export function flowSets(r: DiffResult): Map<string, PacketSet> {
  const out = new Map<string, PacketSet>();
  for (const f of r.flows) {
    const k = `${f.direction} ${f.from} -> ${f.to}`;
    out.set(k, (out.get(k) ?? PacketSet.EMPTY).union(f.set));
  }
  return out;
}

/** The two diffs open and close the same packets between the same endpoints; with `intents`, the same intents change status alike. */
export function expectSameChanges(a: DiffResult, b: DiffResult, label: string, options: { intents?: boolean } = {}): void {
  const [x, y] = [flowSets(a), flowSets(b)];
  expect([...x.keys()].sort(), label).toEqual([...y.keys()].sort());
  for (const [k, set] of x) expect(set.subsetOf(y.get(k)!) && y.get(k)!.subsetOf(set), `${label}: ${k}`).toBe(true);
  if (options.intents !== false) expect(a.intents.map((i) => `${i.name}:${i.before}->${i.after}`), label).toEqual(b.intents.map((i) => `${i.name}:${i.before}->${i.after}`));
}
