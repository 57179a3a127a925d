/**
 * Writes a Resource Graph export of a given size, the way a large estate
 * looks: most bytes are VMs, disks, extensions and storage; each "landing
 * zone" also has a VNet (/22, four subnets), an NSG, a route table and NICs.
 * Rows are written one at a time, so generating never holds the file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const SUB = '0b6b7ad5-0000-4000-8000-00000000b16e';

function id(rg: string, type: string, name: string): string {
  return `/subscriptions/${SUB}/resourceGroups/${rg}/providers/${type}/${name}`;
}

function row(rg: string, type: string, name: string, properties: object, extra: object = {}): string {
  return JSON.stringify({ id: id(rg, type, name), name, type: type.toLowerCase(), kind: '', location: 'westeurope', resourceGroup: rg, subscriptionId: SUB, tenantId: SUB, managedBy: '', sku: null, plan: null, identity: null, zones: null, extendedLocation: null, tags: { costCenter: 'cc-1234', owner: 'platform-team@example.org', environment: 'production' }, properties, ...extra });
}

function group(g: number): string[] {
  const rg = `rg-lz-${g}`;
  const a = g >> 6;
  const b = (g & 63) << 2;
  const base = `10.${a}.${b}`;
  const vnet = `vnet-lz-${g}`;
  const sub = (s: number) => ({ id: `${id(rg, 'Microsoft.Network/virtualNetworks', vnet)}/subnets/snet-${s}` });
  const out: string[] = [];
  out.push(
    row(rg, 'Microsoft.Network/virtualNetworks', vnet, {
      addressSpace: { addressPrefixes: [`${base}.0/22`] },
      provisioningState: 'Succeeded',
      resourceGuid: `00000000-0000-4000-8000-${String(g).padStart(12, '0')}`,
      enableDdosProtection: false,
      subnets: [0, 1, 2, 3].map((s) => ({
        id: sub(s).id,
        name: `snet-${s}`,
        type: 'Microsoft.Network/virtualNetworks/subnets',
        etag: 'W/"00000000-0000-0000-0000-000000000000"',
        properties: { addressPrefix: `10.${a}.${b + s}.0/24`, provisioningState: 'Succeeded', privateEndpointNetworkPolicies: 'Disabled', privateLinkServiceNetworkPolicies: 'Enabled', networkSecurityGroup: { id: id(rg, 'Microsoft.Network/networkSecurityGroups', `nsg-lz-${g}`) }, routeTable: { id: id(rg, 'Microsoft.Network/routeTables', `rt-lz-${g}`) }, serviceEndpoints: s === 0 ? [{ service: 'Microsoft.Storage', locations: ['westeurope', 'northeurope'] }] : [] },
      })),
    }),
  );
  out.push(
    row(rg, 'Microsoft.Network/networkSecurityGroups', `nsg-lz-${g}`, {
      provisioningState: 'Succeeded',
      securityRules: Array.from({ length: 8 }, (_, r) => ({
        name: `rule-${r}`,
        id: `${id(rg, 'Microsoft.Network/networkSecurityGroups', `nsg-lz-${g}`)}/securityRules/rule-${r}`,
        properties: { priority: 100 + r * 10, direction: r % 2 ? 'Outbound' : 'Inbound', access: r === 7 ? 'Deny' : 'Allow', protocol: 'Tcp', sourceAddressPrefix: r % 2 ? `${base}.0/22` : 'VirtualNetwork', sourceAddressPrefixes: [], sourcePortRange: '*', sourcePortRanges: [], destinationAddressPrefix: r % 2 ? 'AzureCloud' : `${base}.0/24`, destinationAddressPrefixes: [], destinationPortRange: String(443 + r), destinationPortRanges: [], provisioningState: 'Succeeded' },
      })),
      defaultSecurityRules: [],
    }),
  );
  out.push(row(rg, 'Microsoft.Network/routeTables', `rt-lz-${g}`, { disableBgpRoutePropagation: true, routes: [{ name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'Internet' } }, { name: 'block', properties: { addressPrefix: '192.168.0.0/16', nextHopType: 'None' } }] }));
  for (let v = 0; v < 4; v++) {
    const vm = `vm-lz-${g}-${v}`;
    out.push(row(rg, 'Microsoft.Network/networkInterfaces', `${vm}-nic`, { provisioningState: 'Succeeded', enableIPForwarding: false, ipConfigurations: [{ name: 'ipconfig1', properties: { primary: true, privateIPAddress: `10.${a}.${b + (v % 4)}.${10 + v}`, privateIPAllocationMethod: 'Dynamic', subnet: sub(v % 4) } }], virtualMachine: { id: id(rg, 'Microsoft.Compute/virtualMachines', vm) }, macAddress: '00-0D-3A-00-00-00' }));
    out.push(
      row(rg, 'Microsoft.Compute/virtualMachines', vm, {
        vmId: `00000000-0000-4000-8000-${String(g * 4 + v).padStart(12, '0')}`,
        hardwareProfile: { vmSize: 'Standard_D4s_v5' },
        storageProfile: { imageReference: { publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2', version: 'latest' }, osDisk: { osType: 'Linux', name: `${vm}-os`, createOption: 'FromImage', caching: 'ReadWrite', managedDisk: { storageAccountType: 'Premium_LRS', id: id(rg, 'Microsoft.Compute/disks', `${vm}-os`) }, diskSizeGB: 64 }, dataDisks: [{ lun: 0, name: `${vm}-data`, createOption: 'Attach', caching: 'None', managedDisk: { id: id(rg, 'Microsoft.Compute/disks', `${vm}-data`) } }] },
        osProfile: { computerName: vm, adminUsername: 'azureuser', linuxConfiguration: { disablePasswordAuthentication: true, provisionVMAgent: true, patchSettings: { patchMode: 'AutomaticByPlatform', assessmentMode: 'AutomaticByPlatform' } }, secrets: [], allowExtensionOperations: true },
        networkProfile: { networkInterfaces: [{ id: id(rg, 'Microsoft.Network/networkInterfaces', `${vm}-nic`) }] },
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        provisioningState: 'Succeeded',
        extended: { instanceView: { powerState: { code: 'PowerState/running', level: 'Info', displayStatus: 'VM running' } } },
      }),
    );
    for (const d of ['os', 'data']) out.push(row(rg, 'Microsoft.Compute/disks', `${vm}-${d}`, { creationData: { createOption: d === 'os' ? 'FromImage' : 'Empty', imageReference: d === 'os' ? { id: '/Subscriptions/x/Providers/Microsoft.Compute/Locations/westeurope/Publishers/Canonical/ArtifactTypes/VMImage/Offers/ubuntu/Skus/22_04-lts-gen2/Versions/22.04.202401010' } : null }, diskSizeGB: 64, diskIOPSReadWrite: 240, diskMBpsReadWrite: 50, encryption: { type: 'EncryptionAtRestWithPlatformKey' }, networkAccessPolicy: 'AllowAll', publicNetworkAccess: 'Enabled', timeCreated: '2024-01-01T00:00:00.0000000+00:00', provisioningState: 'Succeeded', diskState: 'Attached', diskSizeBytes: 68719476736, uniqueId: `00000000-0000-4000-8000-${String(g).padStart(12, '0')}` }, { sku: { name: 'Premium_LRS', tier: 'Premium' }, managedBy: id(rg, 'Microsoft.Compute/virtualMachines', vm) }));
    for (const e of ['AzureMonitorLinuxAgent', 'DependencyAgentLinux']) out.push(row(rg, 'Microsoft.Compute/virtualMachines/extensions', `${vm}/${e}`, { publisher: 'Microsoft.Azure.Monitor', type: e, typeHandlerVersion: '1.0', autoUpgradeMinorVersion: true, enableAutomaticUpgrade: true, provisioningState: 'Succeeded', settings: { workspaceId: '00000000-0000-0000-0000-000000000000', stopOnMultipleConnections: false, authentication: { managedIdentity: { 'identifier-name': 'mi_res_id', 'identifier-value': id(rg, 'Microsoft.ManagedIdentity/userAssignedIdentities', 'uami') } } } }));
  }
  out.push(row(rg, 'Microsoft.Storage/storageAccounts', `stlz${g}`, { publicNetworkAccess: 'Enabled', minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false, supportsHttpsTrafficOnly: true, networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [{ id: sub(0).id, action: 'Allow', state: 'Succeeded' }] }, primaryEndpoints: { blob: `https://stlz${g}.blob.core.windows.net/`, file: `https://stlz${g}.file.core.windows.net/` }, encryption: { keySource: 'Microsoft.Storage', services: { blob: { enabled: true, keyType: 'Account' }, file: { enabled: true, keyType: 'Account' } } }, accessTier: 'Hot', provisioningState: 'Succeeded', creationTime: '2024-01-01T00:00:00.0000000Z' }, { sku: { name: 'Standard_LRS', tier: 'Standard' }, kind: 'StorageV2' }));
  return out;
}

/** Writes `bytes` or a little more; returns the number of landing zones and rows. */
export function writeBigExport(path: string, bytes: number): { groups: number; rows: number; bytes: number } {
  const fd = openSync(path, 'w');
  let written = 0;
  let rows = 0;
  let g = 0;
  const put = (s: string) => {
    written += writeSync(fd, s);
  };
  put('{\n  "count": 0,\n  "data": [\n');
  while (written < bytes) {
    for (const r of group(g)) {
      put(`${rows === 0 ? '    ' : ',\n    '}${r}`);
      rows++;
    }
    g++;
  }
  put(`\n  ],\n  "skip_token": null,\n  "total_records": ${rows}\n}\n`);
  closeSync(fd);
  return { groups: g, rows, bytes: written };
}
