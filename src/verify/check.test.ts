/**
 * How `to: <resource>` is read by allow intents: through a private endpoint
 * in reach of the source, else the public endpoint (scenario-format, "An
 * allow to a resource"; F5.1.6, F2.1.5).
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../model/compile.js';
import { loadYaml, yaml } from '../../test/helpers/scenario-fixture.js';
import { verifyNetwork } from './verify.js';

function verify(text: string) {
  const loaded = loadYaml(text);
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  const { network } = compile(loaded.scenario, loaded.catalog!);
  return new Map(verifyNetwork(network, []).intents.map((r) => [r.name, r]));
}

const design = (publicNetworkAccess: 'Enabled' | 'Disabled') => yaml`
  name: pe-reach
  region: eastus
  vnets:
    data:
      addressSpace: [10.1.0.0/16]
      subnets:
        endpoints: { addressPrefix: 10.1.2.0/24, networkSecurityGroup: open }
    island:
      addressSpace: [10.9.0.0/16]
      subnets:
        apps: { addressPrefix: 10.9.1.0/24, networkSecurityGroup: open }
  networkSecurityGroups:
    open:
      securityRules:
        - { name: https-in, priority: 100, direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "443" }
  resources:
    lake: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: ${publicNetworkAccess} }
  privateEndpoints:
    lake-blob: { subnet: data/endpoints, privateIpAddress: 10.1.2.5, resource: lake, groupId: blob }
  intents:
    - name: from-internet
      allow: { from: internet, to: lake/blob, protocol: Tcp, ports: [443] }
    - name: from-unpeered-vnet
      allow: { from: island/apps, to: lake/blob, protocol: Tcp, ports: [443] }
    - name: from-endpoint-vnet
      allow: { from: data/endpoints, to: lake/blob, protocol: Tcp, ports: [443] }
`;

describe('allow intents to a resource with a private endpoint', () => {
  it('F5.1.6: the Internet is judged at the public endpoint, which a disabled public network access closes', () => {
    const r = verify(design('Disabled'));
    expect(r.get('from-internet')!.status).toBe('fail');
    expect(r.get('from-internet')!.witness!.trace.delivery?.kind).not.toBe('private-endpoint');
    expect(verify(design('Enabled')).get('from-internet')!.status).toBe('pass');
  });

  it('F2.1.5: a VNet with no route to the endpoint (not peered) uses the public endpoint', () => {
    expect(verify(design('Enabled')).get('from-unpeered-vnet')!.status).toBe('pass');
    const closed = verify(design('Disabled')).get('from-unpeered-vnet')!;
    expect(closed.status).toBe('fail');
    expect(closed.witness!.packet.dstIp).not.toBe(0x0a010205);
  });

  it('a source in reach of the private endpoint is judged through it, whatever the public access', () => {
    expect(verify(design('Disabled')).get('from-endpoint-vnet')!.status).toBe('pass');
  });
});
