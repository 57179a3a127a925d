/**
 * Checks of Azure ML workspaces' managed networks and associated resources
 * (service-flows §2, models/azureml-managed-network.json; a topo extension of
 * the format, docs/scenario-format.md).
 */
import { managedNetworkCatalog } from '../../catalog/azureml-managed-network.js';
import { pseudoTag } from '../../catalog/pseudo-tags.js';
import { canonicalGroupId, resourceType } from '../../catalog/resource-types.js';
import { parsePortSpec } from '../../net/ports.js';
import { didYouMean } from '../../net/text.js';
import { hasManagedNetwork } from '../endpoints.js';
import type { Located } from '../source-loc.js';
import type { ManagedOutboundRule, Resource } from '../types.js';
import type { CheckContext } from './context.js';
import { fqdnProblem } from './firewall.js';

const WORKSPACE = 'Microsoft.MachineLearningServices/workspaces';

const ASSOCIATIONS = [
  { key: 'storageAccount', type: 'Microsoft.Storage/storageAccounts', what: 'default storage account' },
  { key: 'keyVault', type: 'Microsoft.KeyVault/vaults', what: 'key vault' },
  { key: 'containerRegistry', type: 'Microsoft.ContainerRegistry/registries', what: 'container registry' },
] as const;

const PROTOCOLS = ['TCP', 'UDP', 'ICMP', '*'];

function isWorkspace(r: Resource): boolean {
  return r.type.value.toLowerCase() === WORKSPACE.toLowerCase();
}

export function checkManagedNetworks(c: CheckContext): void {
  for (const r of c.s.resources.values()) {
    checkAssociations(c, r);
    if (!r.managedNetwork) continue;
    const what = `resource '${r.name}'`;
    if (!isWorkspace(r)) {
      c.report('TOPO236', `${what} is a ${r.type.value}: managedNetwork belongs to Azure ML workspaces (${WORKSPACE})`, r.managedNetwork.loc);
      continue;
    }
    const mode = r.managedNetwork.isolationMode?.value ?? 'Disabled';
    const rules = [...r.managedNetwork.outboundRules.values()];
    if (!hasManagedNetwork(r)) {
      if (rules.length > 0) {
        c.report('TOPO312', `workspace '${r.name}' has isolationMode ${r.managedNetwork.isolationMode ? 'Disabled' : 'Disabled (the default)'}: it has no managed network, and its ${rules.length} outbound rule${rules.length === 1 ? ' is' : 's are'} ignored`, rules[0].loc, { hint: 'set isolationMode to AllowOnlyApprovedOutbound or AllowInternetOutbound' });
      }
      continue;
    }
    const missing = ASSOCIATIONS.filter((a) => !r[a.key]);
    if (missing.length > 0) {
      const ids = managedNetworkCatalog().requiredPrivateEndpoints.filter((p) => missing.some((m) => m.key === p.target)).map((p) => p.id);
      c.report('TOPO312', `workspace '${r.name}' does not name its ${missing.map((m) => m.key).join(', ')}: the private endpoints its managed network creates to them (${ids.join(', ')}) are not modelled, so its compute reaches them only where another rule allows it`, r.managedNetwork.isolationMode!.loc, {
        hint: `add ${missing.map((m) => `${m.key}: <resources key>`).join(', ')} to the workspace (ARM properties.${missing[0].key})`,
      });
    }
    for (const rule of rules) checkRule(c, r, mode, rule);
  }
}

function checkAssociations(c: CheckContext, r: Resource): void {
  for (const a of ASSOCIATIONS) {
    const v = r[a.key];
    if (!v) continue;
    if (!isWorkspace(r)) {
      c.report('TOPO236', `${a.key} is a property of Azure ML workspaces; resource '${r.name}' is a ${r.type.value}`, v.loc);
      continue;
    }
    if (!c.ref(v, c.s.resources, 'resource', `${a.key} of workspace '${r.name}'`)) continue;
    const target = c.s.resources.get(v.value)!;
    if (target.type.value.toLowerCase() !== a.type.toLowerCase()) {
      c.report('TOPO236', `${a.key} of workspace '${r.name}' is '${v.value}', a ${target.type.value}, not a ${a.what} (${a.type})`, v.loc);
    }
  }
}

function checkRule(c: CheckContext, ws: Resource, mode: string, rule: ManagedOutboundRule): void {
  const where = `outbound rule '${rule.name}' of workspace '${ws.name}'`;
  const type = rule.type.value;
  const kind = `${type === 'FQDN' ? 'an' : 'a'} ${type} rule`;
  const extra = (field: Located<string> | undefined, name: string) => {
    if (field) c.report('TOPO236', `${where} is ${kind}, which takes no ${name}`, field.loc);
  };
  if (mode === 'AllowInternetOutbound' && type !== 'PrivateEndpoint') {
    c.report('TOPO236', `${where} is ${kind}, but in AllowInternetOutbound mode only PrivateEndpoint rules can be added: everything else already goes out (S6)`, rule.type.loc, { hint: 'remove the rule, or set isolationMode to AllowOnlyApprovedOutbound' });
    return;
  }
  if (type === 'PrivateEndpoint') {
    extra(rule.protocol, 'protocol');
    extra(rule.portRanges, 'portRanges');
    if (!c.ref(rule.destination, c.s.resources, 'resource', where)) return;
    if (!rule.subresourceTarget) {
      c.report('TOPO236', `${where} needs subresourceTarget: the groupId its private endpoint connects to (F5.1.2)`, rule.loc);
      return;
    }
    const info = resourceType(c.s.resources.get(rule.destination.value)!.type.value);
    if (info && !canonicalGroupId(info, rule.subresourceTarget.value)) {
      const groups = Object.keys(info.groups);
      const guess = didYouMean(rule.subresourceTarget.value, groups);
      c.report('TOPO205', `${where} targets subresource '${rule.subresourceTarget.value}', which a ${info.label} does not have (F5.1.3)`, rule.subresourceTarget.loc, { hint: guess ? `did you mean '${guess}'?` : `groupIds: ${groups.join(', ')}` });
    }
    return;
  }
  extra(rule.subresourceTarget, 'subresourceTarget');
  const ports = (rule.portRanges?.value ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  for (const p of ports) c.port({ value: p, loc: rule.portRanges!.loc }, `port of ${where}`);
  if (type === 'ServiceTag') {
    if (pseudoTag(rule.destination.value)) {
      c.report('TOPO217', `${where} names '${rule.destination.value}', which is not a service tag of the catalog; ServiceTag rules name Azure service tags (S6, F7.1)`, rule.destination.loc);
    } else c.tag(rule.destination, `destination of ${where} '${rule.destination.value}'`);
    if (rule.protocol && !PROTOCOLS.includes(rule.protocol.value.trim().toUpperCase())) {
      const guess = didYouMean(rule.protocol.value, PROTOCOLS);
      c.report('TOPO103', `protocol '${rule.protocol.value}' of ${where} is not one of ${PROTOCOLS.join(', ')}`, rule.protocol.loc, guess ? { hint: `did you mean '${guess}'?` } : {});
    }
    return;
  }
  // FQDN rules: Azure Firewall application rules on 80 and 443 only (S6).
  extra(rule.protocol, 'protocol');
  const problem = fqdnProblem(rule.destination.value);
  if (problem || rule.destination.value.trim() === '*') {
    c.report('TOPO218', `destination '${rule.destination.value}' of ${where} ${problem ?? 'matches every name: that is AllowInternetOutbound for HTTP and HTTPS'}`, rule.destination.loc);
    return;
  }
  const allowed = managedNetworkCatalog().fqdnRules.ports;
  for (const p of ports) {
    const spec = parsePortSpec(p);
    if (spec.ok && !(spec.lo === spec.hi && allowed.includes(spec.lo))) {
      c.report('TOPO236', `${where} opens port ${p}, but FQDN rules support ports ${allowed.join(' and ')} only (S6)`, rule.portRanges!.loc, { hint: 'use a ServiceTag rule or a PrivateEndpoint rule for other ports' });
    }
  }
  if (namesStorage(rule.destination.value)) {
    c.report('TOPO312', `${where} names Azure Storage (${rule.destination.value}): ${managedNetworkCatalog().fqdnRules.storageUnsupported}; topo leaves packets it matches unknown`, rule.destination.loc, { hint: 'reach the account with a PrivateEndpoint rule (subresourceTarget blob, file, ...)' });
  }
}

/** Whether an FQDN pattern matches names of Azure Storage accounts (`x.blob.core.windows.net`, `*.core.windows.net`). */
function namesStorage(pattern: string): boolean {
  const p = pattern.trim().toLowerCase();
  const info = resourceType('Microsoft.Storage/storageAccounts')!;
  const suffixes = Object.values(info.groups).flatMap((g) => g.fqdns.map((t) => t.slice(t.indexOf('.'))));
  const wild = p.startsWith('*') ? p.slice(1) : undefined;
  return suffixes.some((x) => p.endsWith(x) || (wild !== undefined && x.endsWith(wild)));
}
