/**
 * Semantic checks beyond the schema, all run in one pass so the user sees
 * every problem at once. Each problem has a stable code (diagnostics.ts).
 */
import type { ServiceTagCatalog } from '../../catalog/service-tags.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Scenario } from '../types.js';
import { CheckContext } from './context.js';
import { checkFirewallPolicies, checkFirewalls } from './firewall.js';
import { checkIntents } from './intents.js';
import { checkLintIgnores } from './lint-ignores.js';
import { checkManagedNetworks } from './managed-network.js';
import { checkRequireIntents } from './flowsets.js';
import { checkGateways, checkRegion, checkVnets } from './network.js';
import { checkNodes } from './nodes.js';
import { checkAttachments, checkIpGroups, checkNsgs, checkRouteTables } from './security.js';

export function checkScenario(s: Scenario, catalog: ServiceTagCatalog): Diagnostic[] {
  const c = new CheckContext(s, catalog);
  if (s.region) checkRegion(c, s.region.value, s.region.loc);
  checkVnets(c);
  checkGateways(c);
  checkNsgs(c);
  checkRouteTables(c);
  checkIpGroups(c);
  checkFirewallPolicies(c);
  checkFirewalls(c);
  checkNodes(c);
  checkManagedNetworks(c);
  checkAttachments(c);
  checkIntents(c);
  checkRequireIntents(c);
  checkLintIgnores(c);
  return c.out;
}
