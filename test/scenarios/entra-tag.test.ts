/**
 * Allowing the AzureActiveDirectory service tag is not an exfiltration path.
 * AML-OUT-01 (service-flows.md §1.2), which the shipped azureml flow sets
 * require, allows Entra ID by tag; 100 of its prefixes are shared with
 * AzureActiveDirectoryDomainServices, the management endpoints of Microsoft
 * Entra Domain Services, where no other tenant receives data. Unclassified,
 * that tag counted as a multi-tenant service and made every such design fail
 * its no-exfiltration intent (models/service-tag-classes.json now classes it
 * with AzureActiveDirectory).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { classifyTag } from '../../src/catalog/tag-classes.js';
import { writeFixture, yaml } from '../helpers/scenario-fixture.js';
import { verify } from './helpers.js';

describe('AzureActiveDirectory by tag (AML-OUT-01)', () => {
  it('classes AzureActiveDirectoryDomainServices with Entra ID, not as an exfiltration channel', () => {
    expect(classifyTag('AzureActiveDirectoryDomainServices')).toMatchObject({ exfiltration: false, aggregate: false });
  });

  it('a subnet that may reach the whole AzureActiveDirectory tag and nothing else sends nothing to the Internet', async () => {
    const dir = writeFixture({
      'entra.yaml': yaml`
        name: entra-by-tag
        region: eastus
        vnets:
          v:
            addressSpace: [10.9.0.0/16]
            subnets:
              s: { addressPrefix: 10.9.1.0/24, networkSecurityGroup: n, natGateway: nat }
        natGateways:
          nat: { publicIpAddresses: [192.0.2.90] }
        networkSecurityGroups:
          n:
            securityRules:
              - { name: entra, priority: 100, direction: Outbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: AzureActiveDirectory, destinationPortRange: "443" }
              - { name: deny-all, priority: 4000, direction: Outbound, access: Deny, protocol: "*", sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }
        intents:
          - name: entra
            allow: { from: v/s, to: "tag:AzureActiveDirectory", protocol: Tcp, ports: [443] }
          - name: no-exfiltration
            deny: { from: v/s, to: internet }
      `,
    });
    const r = await verify(join(dir, 'entra.yaml'));
    expect(r.report.intents.map((i) => [i.name, i.status])).toEqual([
      ['entra', 'pass'],
      ['no-exfiltration', 'pass'],
    ]);
    expect(r.exit).toBe(0);
  });
});
