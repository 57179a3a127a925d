/**
 * Tags that NSGs accept but the service tags file does not list (F1.6, F7.1):
 * VirtualNetwork, Internet and AzureLoadBalancer (with their classic
 * spellings), and the AzurePlatform* tags that control platform traffic.
 */
export type PseudoTag = 'VirtualNetwork' | 'Internet' | 'AzureLoadBalancer' | 'AzurePlatformDNS' | 'AzurePlatformIMDS' | 'AzurePlatformLKM';

const SPELLINGS: Record<string, PseudoTag> = {
  virtualnetwork: 'VirtualNetwork',
  virtual_network: 'VirtualNetwork',
  internet: 'Internet',
  azureloadbalancer: 'AzureLoadBalancer',
  azure_loadbalancer: 'AzureLoadBalancer',
  azureplatformdns: 'AzurePlatformDNS',
  azureplatformimds: 'AzurePlatformIMDS',
  azureplatformlkm: 'AzurePlatformLKM',
};

export function pseudoTag(name: string): PseudoTag | undefined {
  return SPELLINGS[name.toLowerCase()];
}

export const PSEUDO_TAG_NAMES: readonly PseudoTag[] = ['VirtualNetwork', 'Internet', 'AzureLoadBalancer', 'AzurePlatformDNS', 'AzurePlatformIMDS', 'AzurePlatformLKM'];

/** F2.3.4 / F7.1: tags a UDR may not use. */
export function notAllowedInRoutes(name: string): boolean {
  return pseudoTag(name) !== undefined;
}

/** F7.1: VirtualNetwork, Internet, AzureLoadBalancer are not usable in Azure Firewall. */
export function notAllowedInFirewall(name: string): boolean {
  return pseudoTag(name) !== undefined;
}
