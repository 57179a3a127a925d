/** The Azure resource types the importer maps, in ARM's spelling; lookups are case-insensitive (Resource Graph prints them in lower case). */
import { knownResourceTypes } from '../catalog/resource-types.js';

export const T = {
  vnet: 'Microsoft.Network/virtualNetworks',
  subnet: 'Microsoft.Network/virtualNetworks/subnets',
  peering: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
  nsg: 'Microsoft.Network/networkSecurityGroups',
  nsgRule: 'Microsoft.Network/networkSecurityGroups/securityRules',
  asg: 'Microsoft.Network/applicationSecurityGroups',
  routeTable: 'Microsoft.Network/routeTables',
  route: 'Microsoft.Network/routeTables/routes',
  natGateway: 'Microsoft.Network/natGateways',
  publicIp: 'Microsoft.Network/publicIPAddresses',
  publicIpPrefix: 'Microsoft.Network/publicIPPrefixes',
  nic: 'Microsoft.Network/networkInterfaces',
  firewall: 'Microsoft.Network/azureFirewalls',
  firewallPolicy: 'Microsoft.Network/firewallPolicies',
  ruleCollectionGroup: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
  ipGroup: 'Microsoft.Network/ipGroups',
  gateway: 'Microsoft.Network/virtualNetworkGateways',
  localGateway: 'Microsoft.Network/localNetworkGateways',
  connection: 'Microsoft.Network/connections',
  privateEndpoint: 'Microsoft.Network/privateEndpoints',
  serviceEndpointPolicy: 'Microsoft.Network/serviceEndpointPolicies',
  bastion: 'Microsoft.Network/bastionHosts',
  vm: 'Microsoft.Compute/virtualMachines',
} as const;

/** Types that say nothing about reachability and are not counted as skipped: deployment scaffolding. */
const SCAFFOLDING = new Set(['microsoft.resources/deployments', 'microsoft.resources/resourcegroups']);

let canonical: Map<string, string> | undefined;

function table(): Map<string, string> {
  canonical ??= new Map([...Object.values(T), ...knownResourceTypes()].map((t) => [t.toLowerCase(), t]));
  return canonical;
}

/** ARM's spelling of a type topo knows, or the type as given. */
export function canonicalType(type: string): string {
  return table().get(type.toLowerCase()) ?? type;
}

/** Whether the importer reads this type's properties. */
export function isMappedType(type: string): boolean {
  return table().has(type.toLowerCase());
}

export function isScaffolding(type: string): boolean {
  return SCAFFOLDING.has(type.toLowerCase());
}
