import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../../test/helpers/scenario-fixture.js';

// require: intents against the shipped flow sets (flowsets.ts). The intent starts on line 8.
const requiring = (set: string, bindings: string) => yaml`
  name: x
  vnets:
    ml: { addressSpace: [10.1.0.0/16], subnets: { training: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: n } } }
  networkSecurityGroups: { n: {} }
  resources:
    { ws: { type: Microsoft.MachineLearningServices/workspaces }, lake: { type: Microsoft.Storage/storageAccounts } }
  intents:
    - name: cluster
      require: ${set}
      from: ml/training
      with: ${bindings}
`;

describe('require: intents', () => {
  it('TOPO233: a flow set topo does not ship, with a did-you-mean', () => {
    const r = loadYaml(requiring('azureml/compute-clusters', '{ workspace: ws }'));
    const d = r.at('TOPO233', 9, 14);
    expect(d.message).toBe("intent 'cluster' requires flow set 'azureml/compute-clusters', which topo does not ship");
    expect(d.hint).toBe("did you mean 'azureml/compute-cluster'?");
  });

  it('TOPO234: a missing required binding, at the set', () => {
    const r = loadYaml(requiring('azureml/compute-cluster', '{ storage: lake }'));
    expect(r.at('TOPO234', 9, 14).message).toBe("intent 'cluster': flow set azureml/compute-cluster needs with: { workspace: <Microsoft.MachineLearningServices/workspaces> }");
  });

  it('TOPO234: a binding of the wrong resource type, an unknown parameter, and a flag that is not a boolean, each at the binding', () => {
    const r = loadYaml(requiring('azureml/compute-cluster', '{ workspace: lake, colour: blue, publicIp: maybe }'));
    expect(r.with('TOPO234').map((d) => d.message).sort()).toEqual([
      "intent 'cluster': azureml/compute-cluster has no parameter 'colour' (it takes: workspace, storage, keyvault, registry, publicIp)",
      "intent 'cluster': publicIp is a flag of azureml/compute-cluster: write true or false, not 'maybe'",
      "intent 'cluster': workspace: 'lake' is a Microsoft.Storage/storageAccounts, but azureml/compute-cluster expects a Microsoft.MachineLearningServices/workspaces",
    ]);
    expect(r.with('TOPO234').every((d) => d.loc?.line === 11)).toBe(true);
  });

  it('accepts a complete binding', () => {
    expect(loadYaml(requiring('azureml/compute-cluster', '{ workspace: ws, storage: lake, publicIp: false }')).diagnostics).toEqual([]);
  });
});

describe('require: intents, parameter kinds of the newer flow sets', () => {
  const design = (intent: string) => yaml`
    name: x
    vnets:
      hub:
        addressSpace: [10.0.0.0/16]
        subnets:
          AzureBastionSubnet: { addressPrefix: 10.0.1.0/26, networkSecurityGroup: n }
          vms: { addressPrefix: 10.0.2.0/24, networkSecurityGroup: n }
    networkSecurityGroups: { n: {} }
    resources:
      lake: { type: Microsoft.Storage/storageAccounts }
      vault: { type: Microsoft.KeyVault/vaults }
    privateEndpoints:
      lake-blob: { subnet: hub/vms, privateIpAddress: 10.0.2.5, resource: lake, groupId: blob }
    intents:
      - ${intent}
  `;

  it('TOPO234: an endpoint parameter (bastion/host target) that names nothing, with the resolver\'s hint', () => {
    const r = loadYaml(design('{ name: b, require: bastion/host, from: hub/AzureBastionSubnet, with: { target: hub/vm, rdp: true } }'));
    expect(r.with('TOPO234').map((d) => d.message)).toEqual(["intent 'b': target: VNet 'hub' has no subnet 'vm' (did you mean hub/vms?)"]);
  });

  it('TOPO234: privatelink/client takes a resource of any type, but only one with a private endpoint', () => {
    const r = loadYaml(design('{ name: pl, require: privatelink/client, from: hub/vms, with: { resource: vault } }'));
    expect(r.with('TOPO234').map((d) => d.message)).toEqual(["intent 'pl': resource: 'vault' has no private endpoint, and privatelink/client reaches it through its private endpoints"]);
    expect(loadYaml(design('{ name: pl, require: privatelink/client, from: hub/vms, with: { resource: lake } }')).diagnostics).toEqual([]);
  });

  it('accepts the shipped sets with complete bindings', () => {
    expect(loadYaml(design('{ name: b, require: bastion/host, from: hub/AzureBastionSubnet, with: { target: hub/vms, ssh: true } }')).diagnostics).toEqual([]);
    expect(loadYaml(design('{ name: avd, require: avd/session-host, from: hub/vms }')).diagnostics).toEqual([]);
  });
});
