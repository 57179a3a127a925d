/**
 * Azure ML managed networks and workspace associations (service-flows §2;
 * models/azureml-managed-network.json): what Azure refuses (TOPO236, and the
 * shared codes for references, tags, ports and FQDNs), what topo models only
 * in part (TOPO312), then a complete configuration that loads clean.
 */
import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../../test/helpers/scenario-fixture.js';

// Line 5-7: the associations; line 9: isolationMode; line 10: the outbound rules (one flow map).
const workspace = (mode: string, rules: string, assoc: { keyVault: string; containerRegistry: string } = { keyVault: 'kv', containerRegistry: 'acr' }) => yaml`
  name: x
  resources:
    mlw:
      type: Microsoft.MachineLearningServices/workspaces
      storageAccount: lake
      keyVault: ${assoc.keyVault}
      containerRegistry: ${assoc.containerRegistry}
      managedNetwork:
        isolationMode: ${mode}
        outboundRules: ${rules}
    lake: { type: Microsoft.Storage/storageAccounts }
    kv: { type: Microsoft.KeyVault/vaults }
    acr: { type: Microsoft.ContainerRegistry/registries }
`;

describe('workspace associations (storageAccount, keyVault, containerRegistry)', () => {
  it('TOPO236: an association on a resource that is not a workspace', () => {
    const r = loadYaml(yaml`
      name: x
      resources:
        lake: { type: Microsoft.Storage/storageAccounts, keyVault: kv }
        kv: { type: Microsoft.KeyVault/vaults }
    `);
    expect(r.at('TOPO236', 3, 62).message).toBe("keyVault is a property of Azure ML workspaces; resource 'lake' is a Microsoft.Storage/storageAccounts");
  });

  it('TOPO205: an association naming no resource, with "did you mean"', () => {
    const r = loadYaml(workspace('AllowOnlyApprovedOutbound', '{}', { keyVault: 'kb', containerRegistry: 'acr' }));
    const d = r.at('TOPO205', 6, 15);
    expect(d.message).toBe("keyVault of workspace 'mlw' refers to resource 'kb', which is not defined");
    expect(d.hint).toBe("did you mean 'kv'?");
  });

  it('TOPO236: an association of the wrong type', () => {
    const r = loadYaml(workspace('AllowOnlyApprovedOutbound', '{}', { keyVault: 'acr', containerRegistry: 'kv' }));
    expect(r.with('TOPO236').map((d) => d.message)).toEqual([
      "keyVault of workspace 'mlw' is 'acr', a Microsoft.ContainerRegistry/registries, not a key vault (Microsoft.KeyVault/vaults)",
      "containerRegistry of workspace 'mlw' is 'kv', a Microsoft.KeyVault/vaults, not a container registry (Microsoft.ContainerRegistry/registries)",
    ]);
  });
});

describe('managedNetwork: what Azure does not accept', () => {
  it('TOPO236: managedNetwork on a resource that is not an Azure ML workspace', () => {
    const r = loadYaml(yaml`
      name: x
      resources:
        lake:
          type: Microsoft.Storage/storageAccounts
          managedNetwork: { isolationMode: AllowOnlyApprovedOutbound }
    `);
    expect(r.at('TOPO236', 5, 21).message).toBe("resource 'lake' is a Microsoft.Storage/storageAccounts: managedNetwork belongs to Azure ML workspaces (Microsoft.MachineLearningServices/workspaces)");
  });

  it('TOPO236: FQDN and ServiceTag rules in AllowInternetOutbound mode, where only PrivateEndpoint rules can be added (S6 §2.1)', () => {
    const r = loadYaml(workspace('AllowInternetOutbound', '{ pypi: { type: FQDN, destination: pypi.org }, blob: { type: PrivateEndpoint, destination: lake, subresourceTarget: blob } }'));
    const d = r.at('TOPO236', 10, 38);
    expect(d.message).toBe("outbound rule 'pypi' of workspace 'mlw' is an FQDN rule, but in AllowInternetOutbound mode only PrivateEndpoint rules can be added: everything else already goes out (S6)");
    expect(r.with('TOPO236')).toHaveLength(1);
  });

  it('TOPO205 and TOPO236: a PrivateEndpoint rule to no resource, to a groupId the type lacks, or without one; no ports on it', () => {
    const r = loadYaml(
      workspace(
        'AllowOnlyApprovedOutbound',
        '{ a: { type: PrivateEndpoint, destination: laek, subresourceTarget: blob }, b: { type: PrivateEndpoint, destination: lake, subresourceTarget: blbo }, c: { type: PrivateEndpoint, destination: lake }, d: { type: PrivateEndpoint, destination: lake, subresourceTarget: file, portRanges: "445" } }',
      ),
    );
    expect(r.with('TOPO205').map((d) => [d.message, d.hint])).toEqual([
      ["outbound rule 'a' of workspace 'mlw' refers to resource 'laek', which is not defined", "did you mean 'lake'?"],
      ["outbound rule 'b' of workspace 'mlw' targets subresource 'blbo', which a storage account does not have (F5.1.3)", "did you mean 'blob'?"],
    ]);
    expect(r.with('TOPO236').map((d) => d.message)).toEqual([
      "outbound rule 'c' of workspace 'mlw' needs subresourceTarget: the groupId its private endpoint connects to (F5.1.2)",
      "outbound rule 'd' of workspace 'mlw' is a PrivateEndpoint rule, which takes no portRanges",
    ]);
  });

  it('TOPO206, TOPO217, TOPO103, TOPO209: ServiceTag rules need a catalog tag, a protocol Azure knows, valid ports', () => {
    const r = loadYaml(
      workspace(
        'AllowOnlyApprovedOutbound',
        '{ a: { type: ServiceTag, destination: AzureMachineLearnin }, b: { type: ServiceTag, destination: Internet }, c: { type: ServiceTag, destination: AzureMonitor, protocol: SCTP, portRanges: "443, 99999" } }',
      ),
    );
    expect(r.with('TOPO206').map((d) => d.hint)).toEqual(["did you mean 'AzureMachineLearning'?"]);
    expect(r.with('TOPO217').map((d) => d.message)).toEqual(["outbound rule 'b' of workspace 'mlw' names 'Internet', which is not a service tag of the catalog; ServiceTag rules name Azure service tags (S6, F7.1)"]);
    expect(r.with('TOPO103').map((d) => d.message)).toEqual(["protocol 'SCTP' of outbound rule 'c' of workspace 'mlw' is not one of TCP, UDP, ICMP, *"]);
    expect(r.with('TOPO209').map((d) => d.message)).toEqual(["port of outbound rule 'c' of workspace 'mlw': '99999' is outside 0-65535"]);
  });

  it('TOPO218 and TOPO236: FQDN rules take a valid pattern (not `*`) and ports 80 and 443 only (S6)', () => {
    const r = loadYaml(
      workspace('AllowOnlyApprovedOutbound', '{ a: { type: FQDN, destination: "pypi.*" }, b: { type: FQDN, destination: "*" }, c: { type: FQDN, destination: pypi.org, portRanges: "443, 8080" } }'),
    );
    expect(r.with('TOPO218').map((d) => d.message)).toEqual([
      "destination 'pypi.*' of outbound rule 'a' of workspace 'mlw' has a wildcard that is not at the far left (Azure Firewall accepts *.contoso.com or *contoso.com only)",
      "destination '*' of outbound rule 'b' of workspace 'mlw' matches every name: that is AllowInternetOutbound for HTTP and HTTPS",
    ]);
    const d = r.at('TOPO236', 10, 155);
    expect(d.message).toBe("outbound rule 'c' of workspace 'mlw' opens port 8080, but FQDN rules support ports 80 and 443 only (S6)");
  });
});

describe('managedNetwork: what topo models only in part (TOPO312)', () => {
  it('outbound rules of a workspace without a managed network are ignored', () => {
    const r = loadYaml(workspace('Disabled', '{ pypi: { type: FQDN, destination: pypi.org } }'));
    expect(r.at('TOPO312', 10, 24).message).toBe("workspace 'mlw' has isolationMode Disabled: it has no managed network, and its 1 outbound rule is ignored");
  });

  it('a managed workspace that does not name its associated resources: their required private endpoints (MVNET-04, MVNET-05) are not modelled', () => {
    const r = loadYaml(yaml`
      name: x
      resources:
        mlw:
          type: Microsoft.MachineLearningServices/workspaces
          storageAccount: lake
          managedNetwork: { isolationMode: AllowOnlyApprovedOutbound }
        lake: { type: Microsoft.Storage/storageAccounts }
    `);
    const d = r.at('TOPO312', 6, 38);
    expect(d.message).toBe("workspace 'mlw' does not name its keyVault, containerRegistry: the private endpoints its managed network creates to them (MVNET-04, MVNET-05) are not modelled, so its compute reaches them only where another rule allows it");
    expect(d.hint).toBe('add keyVault: <resources key>, containerRegistry: <resources key> to the workspace (ARM properties.keyVault)');
  });

  it('an FQDN rule that names Azure Storage, which S6 says FQDN rules cannot reach in approved-only mode', () => {
    const r = loadYaml(workspace('AllowOnlyApprovedOutbound', '{ blobs: { type: FQDN, destination: "*.blob.core.windows.net" }, all: { type: FQDN, destination: "*.core.windows.net" }, pypi: { type: FQDN, destination: pypi.org } }'));
    expect(r.with('TOPO312').map((d) => `${d.loc?.line}:${d.loc?.col}`)).toEqual(['10:58', '10:119']);
    expect(r.with('TOPO312')[0].message).toContain("outbound rule 'blobs' of workspace 'mlw' names Azure Storage (*.blob.core.windows.net): S6: in AllowOnlyApprovedOutbound mode Azure Storage cannot be reached through an FQDN rule");
  });
});

describe('managedNetwork: a complete configuration', () => {
  it('loads without diagnostics: every kind of rule, and the intents that name the managed compute', () => {
    const r = loadYaml(yaml`
      name: x
      region: westeurope
      resources:
        mlw:
          type: Microsoft.MachineLearningServices/workspaces
          storageAccount: lake
          keyVault: kv
          containerRegistry: acr
          managedNetwork:
            isolationMode: allowonlyapprovedoutbound
            outboundRules:
              queue: { type: PrivateEndpoint, destination: lake, subresourceTarget: Queue }
              monitor: { type: ServiceTag, destination: AzureMonitor, protocol: tcp, portRanges: "443" }
              mcr: { type: FQDN, destination: mcr.microsoft.com, portRanges: "443" }
        lake: { type: Microsoft.Storage/storageAccounts }
        kv: { type: Microsoft.KeyVault/vaults }
        acr: { type: Microsoft.ContainerRegistry/registries }
      intents:
        - name: out
          deny: { from: managed:mlw, to: internet }
        - name: needs
          require: azureml/managed-compute
          from: managed:mlw
          with: { workspace: mlw, storage: lake }
    `);
    expect(r.diagnostics).toEqual([]);
  });

  it('TOPO221: an intent naming the managed compute of a workspace without one', () => {
    const r = loadYaml(yaml`
      name: x
      resources:
        mlw: { type: Microsoft.MachineLearningServices/workspaces }
      intents:
        - name: out
          deny: { from: managed:mlw, to: internet }
    `);
    expect(r.at('TOPO221', 6, 19).message).toBe("from of intent 'out': 'managed:mlw': workspace 'mlw' has no managed virtual network (isolationMode Disabled (default)), so its compute runs in the design's own VNets");
  });
});
