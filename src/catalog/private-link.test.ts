/**
 * models/private-link.json: per groupId, the ports through a private endpoint
 * and the private DNS zones (F5.1.3, F5.2.2; service-flows §3 PE-01..PE-08).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageFile } from '../util/package-root.js';
import { parsePrivateLinkCatalog, privateLinkCatalog, privateLinkGroup, PrivateLinkCatalogError, zonesFor } from './private-link.js';
import { canonicalGroupId, resourceType } from './resource-types.js';

const file = (groups: unknown[], sources: Record<string, string> = { S10: 'x' }) => JSON.stringify({ format: 'topo-private-link/1', read: '2026-11-22', sources, groups });
const entry = (extra: Record<string, unknown> = {}) => ({ id: 'PE-02', type: 'Microsoft.Storage/storageAccounts', groupId: 'blob', zones: ['privatelink.blob.core.windows.net'], protocol: 'Tcp', ports: ['443'], sources: ['S10'], date: '10/11/2023', facts: ['F5.2.2'], ...extra });

describe('parsePrivateLinkCatalog: what a malformed file is', () => {
  it('rejects another format, an entry citing an unknown source or without a date, and repeated entries', () => {
    expect(() => parsePrivateLinkCatalog(JSON.stringify({ format: 'x', groups: [] }), 'f')).toThrow(PrivateLinkCatalogError);
    expect(() => parsePrivateLinkCatalog(file([entry({ sources: ['S99'] })]), 'f')).toThrow('f: PE-02 cites unknown source S99');
    expect(() => parsePrivateLinkCatalog(file([entry({ date: '' })]), 'f')).toThrow('f: PE-02 needs sources and a date');
    expect(() => parsePrivateLinkCatalog(file([entry(), entry({ id: 'PE-09', groupId: 'Blob' })]), 'f')).toThrow('repeats');
  });

  it('rejects an entry that both states and disclaims its ports or zones, or gives ports without a protocol', () => {
    expect(() => parsePrivateLinkCatalog(file([entry({ portsUnknown: 'why' })]), 'f')).toThrow('needs ports (with a protocol) or portsUnknown, not both');
    expect(() => parsePrivateLinkCatalog(file([entry({ ports: undefined })]), 'f')).toThrow('needs ports (with a protocol) or portsUnknown');
    expect(() => parsePrivateLinkCatalog(file([entry({ protocol: undefined })]), 'f')).toThrow('gives ports without a protocol');
    expect(() => parsePrivateLinkCatalog(file([entry({ zonesUnknown: 'why' })]), 'f')).toThrow('needs zones or zonesUnknown, not both');
  });
});

describe('the shipped private-link catalog', () => {
  const shipped = privateLinkCatalog();

  it('parses, and every entry is a groupId its resource type has (F5.1.3)', () => {
    expect(parsePrivateLinkCatalog(readFileSync(packageFile('models', 'private-link.json'), 'utf8'), 'models/private-link.json').groups.length).toBe(shipped.groups.length);
    for (const g of shipped.groups) {
      const info = resourceType(g.type);
      expect(info, g.id).toBeDefined();
      expect(canonicalGroupId(info!, g.groupId), g.id).toBe(g.groupId);
    }
  });

  it('holds the rows PE-01..PE-08 of service-flows §3 with their ports: file is 443 and 445, the others 443', () => {
    const ids = shipped.groups.filter((g) => g.id.startsWith('PE-')).map((g) => `${g.id} ${g.groupId} ${g.ports?.join(',')}`);
    expect(ids).toEqual(['PE-01 amlworkspace 443', 'PE-02 blob 443', 'PE-03 file 443,445', 'PE-04 queue 443', 'PE-05 table 443', 'PE-06 vault 443', 'PE-07 registry 443', 'PE-08 amlregistry 443']);
  });

  it('F5.2.2: agrees with models/resource-types.json on every zone and port both know', () => {
    for (const g of shipped.groups) {
      const known = resourceType(g.type)!.groups[g.groupId];
      if (g.zones) for (const z of known.zones) expect(g.zones, `${g.id} zones`).toContain(z);
      if (g.ports) expect([...known.ports].sort(), `${g.id} ports`).toEqual([...g.ports].sort());
    }
  });

  it('says what it does not know instead of guessing: AI services ports, the Azure ML registry zone', () => {
    expect(privateLinkGroup('Microsoft.CognitiveServices/accounts', 'account')!.portsUnknown).toContain('no fact-checked source');
    expect(privateLinkGroup('microsoft.machinelearningservices/registries', 'AMLREGISTRY')!.zonesUnknown).toContain('not verified');
    expect(privateLinkGroup('Microsoft.DocumentDB/databaseAccounts', 'Sql')).toBeUndefined();
  });

  it('fills in the region of regional zones (F5.2.2: {regionName}.privatelink.azurecr.io)', () => {
    expect(zonesFor(privateLinkGroup('Microsoft.ContainerRegistry/registries', 'registry')!, 'WestEurope')).toEqual(['privatelink.azurecr.io', 'westeurope.privatelink.azurecr.io']);
  });
});
