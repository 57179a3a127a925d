/** Every lint: its catalog entry (models/lints.yaml) joined with its check. */
import { lintCatalog } from '../catalog/lints.js';
import { anyToAny } from './rules/any-to-any.js';
import { bastionSubnetRules } from './rules/bastion-subnet.js';
import { computePublicIp } from './rules/compute-public-ip.js';
import { defaultOutbound } from './rules/default-outbound.js';
import { firewallShadowed } from './rules/firewall-shadowed.js';
import { firewallSourceAny } from './rules/firewall-source-any.js';
import { managementPorts } from './rules/management-ports.js';
import { nsgRuleOnPublicIp } from './rules/nsg-public-ip.js';
import { nsgShadowed } from './rules/nsg-shadowed.js';
import { paasPublicAccess } from './rules/paas-public-access.js';
import { peSubnetPolicies } from './rules/pe-subnet-policies.js';
import { storageEgress } from './rules/storage-egress.js';
import { subnetWithoutNsg } from './rules/subnet-without-nsg.js';
import { wildcardFqdn } from './rules/wildcard-fqdn.js';
import type { LintCheck, LintRule } from './types.js';

export const CHECKS: readonly LintCheck[] = [
  subnetWithoutNsg,
  paasPublicAccess,
  computePublicIp,
  managementPorts,
  anyToAny,
  firewallSourceAny,
  storageEgress,
  peSubnetPolicies,
  nsgShadowed,
  firewallShadowed,
  defaultOutbound,
  nsgRuleOnPublicIp,
  wildcardFqdn,
  bastionSubnetRules,
];

let rules: readonly LintRule[] | undefined;

/** The lints in id order. A catalog entry without a check, or a check without an entry, is a bug in topo. */
export function lintRules(): readonly LintRule[] {
  if (rules) return rules;
  const byId = new Map(CHECKS.map((c) => [c.id, c]));
  const joined = lintCatalog().map((info): LintRule => {
    const check = byId.get(info.id);
    if (!check) throw new Error(`topo: models/lints.yaml has ${info.id} (${info.name}), but no check implements it`);
    byId.delete(info.id);
    return { ...info, run: check.run };
  });
  if (byId.size > 0) throw new Error(`topo: checks ${[...byId.keys()].join(', ')} have no entry in models/lints.yaml`);
  rules = joined.sort((a, b) => (a.id < b.id ? -1 : 1));
  return rules;
}
