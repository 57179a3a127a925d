/**
 * `require:` intents over the shipped flow sets: the expansion into claims
 * (one per flow, or per private endpoint for `via: private-endpoints`), and
 * the verdicts each flow gets on small designs that meet or break it.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../model/compile.js';
import { loadYaml, yaml } from '../../test/helpers/scenario-fixture.js';
import type { IntentResult } from './results.js';
import { verifyNetwork } from './verify.js';

function verify(text: string): IntentResult[] {
  const loaded = loadYaml(text);
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return [...verifyNetwork(compile(loaded.scenario, loaded.catalog!).network, []).intents];
}
const statuses = (results: IntentResult[]) => results.map((r) => `${r.flow?.id ?? r.name} ${r.status}`);

describe('privatelink/client: one flow per private endpoint, on its groupId\'s ports (models/private-link.json)', () => {
  const design = (nsgRule: string) => yaml`
    name: pl
    region: westeurope
    vnets:
      spoke:
        addressSpace: [10.1.0.0/16]
        subnets:
          apps: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: open }
          endpoints: { addressPrefix: 10.1.2.0/24, networkSecurityGroup: pe-nsg, privateEndpointNetworkPolicies: Enabled }
    networkSecurityGroups:
      open: {}
      pe-nsg:
        securityRules:
          - ${nsgRule}
          - { name: deny-in, priority: 4000, direction: Inbound, access: Deny, protocol: "*", sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }
    resources:
      lake: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: Disabled }
      ai: { type: Microsoft.CognitiveServices/accounts, publicNetworkAccess: Disabled }
    privateEndpoints:
      lake-file: { subnet: spoke/endpoints, privateIpAddress: 10.1.2.6, resource: lake, groupId: file }
      lake-blob: { subnet: spoke/endpoints, privateIpAddress: 10.1.2.5, resource: lake, groupId: blob }
      ai-account: { subnet: spoke/endpoints, privateIpAddress: 10.1.2.7, resource: ai, groupId: account }
    intents:
      - name: apps-use-lake
        require: privatelink/client
        from: spoke/apps
        with: { resource: lake }
      - name: apps-use-ai
        require: privatelink/client
        from: spoke/apps
        with: { resource: ai }
  `;
  const https = '{ name: https, priority: 100, direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: 10.1.1.0/24, sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "443" }';
  const httpsSmb = https.replace('destinationPortRange: "443"', 'destinationPortRanges: ["443", "445"]');

  it('PE-02, PE-03: blob on 443, file on 443 and 445 (SMB), each claim to its endpoint', () => {
    const r = verify(design(httpsSmb)).filter((x) => x.name.startsWith('apps-use-lake'));
    expect(r.map((x) => `${x.name} -> ${x.to} ${x.protocol} ${x.ports} ${x.status}`)).toEqual([
      'apps-use-lake PL-01 lake-blob -> pe:lake-blob Tcp 443 pass',
      'apps-use-lake PL-01 lake-file -> pe:lake-file Tcp 443,445 pass',
    ]);
  });

  it('F1.9.1: an endpoint NSG that lets 443 but not 445 through fails the file flow, naming the rule that denies', () => {
    const file = verify(design(https)).find((x) => x.name === 'apps-use-lake PL-01 lake-file')!;
    expect(file.status).toBe('fail');
    expect(file.witness!.packet.dstPort).toBe(445);
    expect(file.blockers!.map((b) => b.ref?.id)).toEqual(['pe-nsg/deny-in']);
  });

  it('F5.2.1, §8.14: the reason names the private DNS zone the client needs, which topo cannot check', () => {
    const blob = verify(design(httpsSmb)).find((x) => x.name === 'apps-use-lake PL-01 lake-blob')!;
    expect(blob.flow).toMatchObject({ set: 'privatelink/client', id: 'PL-01:lake-blob' });
    expect(blob.flow!.reason).toBe(
      'the client connects to the resource through its private endpoint (F5.1.2, F5.3.3): private endpoint lake-blob of lake/blob (PE-02, TCP 443); the client resolves lake.blob.core.windows.net to 10.1.2.5 only with the private DNS zone privatelink.blob.core.windows.net linked to its VNet (or a DNS server that forwards to it); the scenario format has no DNS zones, so topo does not check that (§8.14, F5.2.1)',
    );
    expect(blob.flow!.source).toContain('S10: Azure Private Endpoint DNS configuration');
  });

  it('a sub-resource whose ports no fact-checked source states is unknown, with why (not a guess of 443)', () => {
    const ai = verify(design(httpsSmb)).find((x) => x.name.startsWith('apps-use-ai'))!;
    expect(ai.status).toBe('unknown');
    expect(ai.reason).toBe('the ports of Microsoft.CognitiveServices/accounts/account through a private endpoint are not known: no fact-checked source states the ports of an Azure AI services endpoint');
    expect(ai.flow!.reason).toContain('with the private DNS zone privatelink.cognitiveservices.azure.com and privatelink.openai.azure.com');
  });
});

describe('bastion/host: AzureBastionSubnet and Bastion -> target (F6.1.2, F6.1.3)', () => {
  const rule = (name: string, priority: number, direction: string, access: string, protocol: string, src: string, dst: string, ports: string) =>
    `- { name: ${name}, priority: ${priority}, direction: ${direction}, access: ${access}, protocol: "${protocol}", sourceAddressPrefix: "${src}", sourcePortRange: "*", destinationAddressPrefix: "${dst}", destinationPortRanges: [${ports}] }`;
  const bastionRules = [
    rule('https-in', 100, 'Inbound', 'Allow', 'Tcp', 'Internet', '*', '"443"'),
    rule('gateway-manager-in', 110, 'Inbound', 'Allow', 'Tcp', 'GatewayManager', '*', '"443"'),
    rule('load-balancer-in', 120, 'Inbound', 'Allow', 'Tcp', 'AzureLoadBalancer', '*', '"443"'),
    rule('data-plane-in', 130, 'Inbound', 'Allow', '*', 'VirtualNetwork', 'VirtualNetwork', '"8080", "5701"'),
    rule('deny-in', 4000, 'Inbound', 'Deny', '*', '*', '*', '"*"'),
    rule('sessions-out', 100, 'Outbound', 'Allow', 'Tcp', '*', 'VirtualNetwork', '"22", "3389"'),
    rule('data-plane-out', 110, 'Outbound', 'Allow', '*', 'VirtualNetwork', 'VirtualNetwork', '"8080", "5701"'),
    rule('azure-cloud-out', 120, 'Outbound', 'Allow', 'Tcp', '*', 'AzureCloud', '"443"'),
    rule('http-out', 130, 'Outbound', 'Allow', 'Tcp', '*', 'Internet', '"80"'),
    rule('deny-out', 4000, 'Outbound', 'Deny', '*', '*', '*', '"*"'),
  ].join('\n          ');
  const design = (vmRules: string) => yaml`
    name: bastion
    region: westeurope
    vnets:
      hub:
        addressSpace: [10.0.0.0/16]
        subnets:
          AzureBastionSubnet: { addressPrefix: 10.0.1.0/26, networkSecurityGroup: nsg-bastion }
          vms: { addressPrefix: 10.0.2.0/24, networkSecurityGroup: nsg-vms, defaultOutboundAccess: false }
    networkSecurityGroups:
      nsg-bastion:
        securityRules:
          ${bastionRules}
      nsg-vms:
        securityRules:
          ${vmRules}
          ${rule('deny-in', 4000, 'Inbound', 'Deny', '*', '*', '*', '"*"')}
    hosts:
      bastion: { subnet: hub/AzureBastionSubnet, privateIpAddress: 10.0.1.4, publicIpAddress: 203.0.113.20, role: bastion }
      vm1: { subnet: hub/vms, privateIpAddress: 10.0.2.4 }
    intents:
      - name: bastion
        require: bastion/host
        from: bastion
        with: { target: vm1, rdp: true }
  `;

  it('a design with the documented rule set meets every flow; SSH is not required when only rdp is bound', () => {
    const r = verify(design(rule('rdp-from-bastion', 100, 'Inbound', 'Allow', 'Tcp', '10.0.1.0/26', '*', '"3389"')));
    expect(statuses(r)).toEqual(['BAS-01 pass', 'BAS-02 pass', 'BAS-04 pass', 'BAS-05-RDP pass', 'BAS-07 pass', 'BAS-08 pass', 'BAS-D01 pass', 'BAS-D02 pass']);
  });

  it('BAS-09: the target\'s own NSG decides too: the posture lint reads only AzureBastionSubnet, the flow fails at the target', () => {
    const r = verify(design(rule('rdp-from-jump', 100, 'Inbound', 'Allow', 'Tcp', '10.9.0.0/24', '*', '"3389"')));
    const rdp = r.find((x) => x.flow?.id === 'BAS-05-RDP')!;
    expect(rdp.status).toBe('fail');
    expect(rdp.blockers!.map((b) => b.ref?.id)).toEqual(['nsg-vms/deny-in']);
  });

  it('F6.1.3: a target that the Internet reaches on 3389 fails BAS-D01, with the witness through its public IP', () => {
    const text = design(rule('rdp-any', 100, 'Inbound', 'Allow', 'Tcp', '*', '*', '"3389"')).replace('vm1: { subnet: hub/vms, privateIpAddress: 10.0.2.4 }', 'vm1: { subnet: hub/vms, privateIpAddress: 10.0.2.4, publicIpAddress: 203.0.113.30 }');
    const d01 = verify(text).find((x) => x.flow?.id === 'BAS-D01')!;
    expect(d01.status).toBe('fail');
    expect(d01.witness!.trace.hops.map((h) => h.ruleId).filter(Boolean)).toContain('nsg-vms/rdp-any');
  });
});

describe('avd/session-host: outbound only (F6.2.1, F6.2.2), here through Azure Firewall as S20 describes', () => {
  const design = (names: string) => yaml`
    name: avd
    region: westeurope
    vnets:
      avd:
        addressSpace: [10.2.0.0/16]
        subnets:
          AzureFirewallSubnet: { addressPrefix: 10.2.0.0/26 }
          hosts: { addressPrefix: 10.2.1.0/24, networkSecurityGroup: open, routeTable: to-fw, defaultOutboundAccess: false }
    networkSecurityGroups: { open: {} }
    routeTables:
      to-fw: { routes: [{ name: default, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.2.0.4 }] }
    firewallPolicies:
      avd-policy:
        ruleCollectionGroups:
          - name: avd
            priority: 100
            ruleCollections:
              - name: network
                priority: 100
                ruleCollectionType: FirewallPolicyFilterRuleCollection
                action: Allow
                rules:
                  - { name: service-tags, ruleType: NetworkRule, ipProtocols: [TCP], sourceAddresses: [10.2.1.0/24], destinationAddresses: [WindowsVirtualDesktop, AzureMonitor, AzureFrontDoor.Frontend], destinationPorts: ["443"] }
              - name: names
                priority: 200
                ruleCollectionType: FirewallPolicyFilterRuleCollection
                action: Allow
                rules:
                  - { name: https, ruleType: ApplicationRule, sourceAddresses: [10.2.1.0/24], protocols: [{ protocolType: Https, port: 443 }], targetFqdns: [${names}] }
                  - { name: http, ruleType: ApplicationRule, sourceAddresses: [10.2.1.0/24], protocols: [{ protocolType: Http, port: 80 }], targetFqdns: [oneocsp.microsoft.com, www.microsoft.com] }
    firewalls:
      fw: { vnet: avd, privateIpAddress: 10.2.0.4, publicIpAddresses: [198.51.100.4], firewallPolicy: avd-policy }
    intents:
      - name: hosts
        require: avd/session-host
        from: avd/hosts
  `;
  const allNames = 'login.microsoftonline.com, gcs.prod.monitoring.core.windows.net, mrsglobalsteus2prod.blob.core.windows.net, wvdportalstorageblob.blob.core.windows.net';

  it('every required flow holds and nothing from the Internet reaches the hosts (AVD-IN-00); the KMS hosts are unknown with the shipped catalog', () => {
    const r = verify(design(allNames));
    expect(statuses(r)).toEqual([
      'AVD-01 pass', 'AVD-02 pass', 'AVD-03 pass', 'AVD-04 pass', 'AVD-05 pass', 'AVD-06a unknown', 'AVD-06b unknown', 'AVD-08 pass', 'AVD-09 pass', 'AVD-12a pass', 'AVD-12b pass', 'AVD-IN-00 pass',
    ]);
    expect(r.find((x) => x.flow?.id === 'AVD-06a')!.reason).toBe('the verdict depends on packets to or from addresses whose relation to service tags the shipped catalog cannot decide (see TOPO307); pass the official service tags file (--service-tags) for an exact answer');
  });

  it('AVD-01: without login.microsoftonline.com in the application rules, sign-in fails at the firewall\'s default deny (F4.2.8)', () => {
    const r = verify(design(allNames.replace('login.microsoftonline.com, ', '')));
    const login = r.find((x) => x.flow?.id === 'AVD-01')!;
    expect([login.status, login.blockers?.map((b) => b.ref?.id)]).toEqual(['fail', ['fw/default-deny']]);
    expect(statuses(r).filter((x) => x.endsWith('fail'))).toEqual(['AVD-01 fail']);
  });
});

describe('azureml/managed-compute from managed:<workspace> (service-flows §2)', () => {
  const design = (mode: string, lakeAccess: string) => yaml`
    name: m
    region: westeurope
    resources:
      mlw:
        type: Microsoft.MachineLearningServices/workspaces
        storageAccount: lake
        managedNetwork: { isolationMode: ${mode} }
      lake: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: ${lakeAccess} }
    intents:
      - name: needs
        require: azureml/managed-compute
        from: managed:mlw
        with: { workspace: mlw, storage: lake }
  `;
  const all = ['MVNET-01', 'MVNET-02', 'MVNET-03', 'AML-OUT-01', 'AML-OUT-02', 'AML-OUT-05', 'AML-OUT-06', 'AML-OUT-07', 'AML-OUT-11', 'AML-OUT-12'];

  it('AllowOnlyApprovedOutbound: the required rules and private endpoints meet every flow', () => {
    expect(statuses(verify(design('AllowOnlyApprovedOutbound', 'Disabled')))).toEqual(all.map((id) => `${id} pass`));
  });

  it('AllowInternetOutbound: a public storage account has no managed endpoint and is reached at its public endpoint (S6 §2.1, F5.3.2)', () => {
    const r = verify(design('AllowInternetOutbound', 'Enabled'));
    expect(statuses(r)).toEqual(all.map((id) => `${id} pass`));
    expect(r.find((x) => x.flow?.id === 'MVNET-02')!.to).toBe('lake/blob');
  });
});
