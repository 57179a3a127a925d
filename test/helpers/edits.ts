/**
 * Rule edits and flow-change views shared by the what-if tests: a scenario
 * with one NSG rule's access flipped, and the changed packets of a diff per
 * (direction, source, destination).
 */
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
