/**
 * models/azureml-managed-network.json: the rules an Azure ML managed network
 * creates by itself (service-flows §2.1-§2.2, MVNET-01..MVNET-15).
 */
import { describe, expect, it } from 'vitest';
import { managedNetworkCatalog, parseManagedNetworkCatalog, ManagedNetworkCatalogError } from './azureml-managed-network.js';
import { shippedCatalog } from './service-tags.js';

const shipped = managedNetworkCatalog();
const withChange = (change: (doc: Record<string, unknown>) => void) => {
  const doc = JSON.parse(JSON.stringify({ ...shipped, format: 'topo-azureml-managed-network/1' })) as Record<string, unknown>;
  change(doc);
  return JSON.stringify(doc);
};

describe('parseManagedNetworkCatalog: what a malformed file is', () => {
  it('rejects another format, unknown or missing sources, repeated ids, unknown targets and protocols', () => {
    expect(() => parseManagedNetworkCatalog('{"format":"x"}', 'f')).toThrow(ManagedNetworkCatalogError);
    expect(() => parseManagedNetworkCatalog(withChange((d) => ((d.requiredServiceTags as { sources: string[] }[])[0].sources = ['S99'])), 'f')).toThrow('f: MVNET-06 cites unknown source S99');
    expect(() => parseManagedNetworkCatalog(withChange((d) => ((d.requiredServiceTags as { sources: string[] }[])[0].sources = [])), 'f')).toThrow('f: MVNET-06 cites no source');
    expect(() => parseManagedNetworkCatalog(withChange((d) => ((d.requiredServiceTags as { id: string }[])[1].id = 'MVNET-06')), 'f')).toThrow('id MVNET-06 repeats');
    expect(() => parseManagedNetworkCatalog(withChange((d) => ((d.requiredPrivateEndpoints as { target: string }[])[0].target = 'lake')), 'f')).toThrow("targets 'lake'");
    expect(() => parseManagedNetworkCatalog(withChange((d) => ((d.requiredServiceTags as { protocol: string }[])[0].protocol = 'Sctp')), 'f')).toThrow('needs a protocol');
  });
});

describe('the shipped managed-network rules', () => {
  it('MVNET-01..MVNET-05: private endpoints to the workspace and the three resources it names', () => {
    expect(shipped.requiredPrivateEndpoints.map((p) => `${p.id} ${p.target}/${p.groupId}`)).toEqual([
      'MVNET-01 workspace/amlworkspace',
      'MVNET-02 storageAccount/blob',
      'MVNET-03 storageAccount/file',
      'MVNET-04 keyVault/vault',
      'MVNET-05 containerRegistry/registry',
    ]);
  });

  it('MVNET-06..MVNET-13: service tag rules on tags the shipped catalog knows, regional where the documents disagree on scope', () => {
    const catalog = shippedCatalog();
    expect(shipped.requiredServiceTags.map((t) => `${t.id} ${t.tag} ${t.protocol} ${t.ports.join(',')}${t.regionOnly ? ' (region only)' : ''}`)).toEqual([
      'MVNET-06 AzureActiveDirectory Tcp 80,443',
      'MVNET-07 AzureMachineLearning Tcp 443',
      'MVNET-08 AzureMachineLearning Udp 5831',
      'MVNET-09 BatchNodeManagement Tcp 443 (region only)',
      'MVNET-10 AzureResourceManager Tcp 443',
      'MVNET-11 AzureFrontDoor.FirstParty * *',
      'MVNET-12 MicrosoftContainerRegistry Tcp 443 (region only)',
      'MVNET-13 AzureMonitor Tcp 443',
    ]);
    for (const t of shipped.requiredServiceTags) {
      expect(catalog.lookup(t.tag), t.id).toBeDefined();
      if (t.regionOnly) expect(catalog.regional(t.tag, 'westeurope'), t.id).toBeDefined();
    }
  });

  it('MVNET-14 and MVNET-15 are not rules, each with how topo reads them; FQDN rules are 80 and 443 only (S6)', () => {
    expect(shipped.notModelledAsRules.map((n) => n.id)).toEqual(['MVNET-14', 'MVNET-15']);
    expect(shipped.fqdnRules.ports).toEqual([80, 443]);
  });
});
