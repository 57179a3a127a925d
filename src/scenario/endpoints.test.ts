import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../test/helpers/scenario-fixture.js';
import { endpointLabel, resolveEndpoint } from './endpoints.js';
import type { Scenario } from './types.js';

// One name per kind, plus `shared` (a host and a VNet) and `1vm` (a name that starts with a digit).
const scenario: Scenario = (() => {
  const r = loadYaml(
    yaml`
      name: x
      vnets:
        research:
          addressSpace: [10.1.0.0/16]
          subnets:
            compute: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: n }
            endpoints: { addressPrefix: 10.1.2.0/24, networkSecurityGroup: n }
        shared:
          addressSpace: [10.2.0.0/16]
      networkSecurityGroups:
        n: {}
      hosts:
        dsvm: { subnet: research/compute, privateIpAddress: 10.1.1.4 }
        shared: { subnet: research/compute, privateIpAddress: 10.1.1.5 }
        1vm: { subnet: research/compute, privateIpAddress: 10.1.1.6 }
      resources:
        mldata: { type: Microsoft.Storage/storageAccounts }
        widget: { type: Contoso.Widgets/widgets }
      privateEndpoints:
        mldata-blob: { subnet: research/endpoints, privateIpAddress: 10.1.2.4, resource: mldata, groupId: blob }
      externals:
        campus: { addressPrefixes: [192.168.10.0/24] }
    `,
    { checks: false },
  );
  if (!r.scenario) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.scenario;
})();

const ok = (text: string) => {
  const r = resolveEndpoint(scenario, text);
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return r.ref;
};
const fail = (text: string) => {
  const r = resolveEndpoint(scenario, text);
  if (r.ok) throw new Error(`${text} resolved to ${JSON.stringify(r.ref)}`);
  return r;
};

describe('resolveEndpoint: the forms of the format', () => {
  it('resolves internet in any case, tags, CIDRs and addresses', () => {
    expect(ok('internet')).toEqual({ kind: 'internet' });
    expect(ok(' Internet ')).toEqual({ kind: 'internet' });
    expect(ok('tag:Storage.EastUS')).toEqual({ kind: 'tag', tag: 'Storage.EastUS' });
    expect(ok('TAG: storage')).toEqual({ kind: 'tag', tag: 'storage' });
    expect(ok('10.0.0.0/8')).toEqual({ kind: 'cidr', text: '10.0.0.0/8' });
    expect(ok('203.0.113.7')).toEqual({ kind: 'cidr', text: '203.0.113.7' });
  });

  it('resolves each kind of name, vnet/subnet and resource/groupId', () => {
    expect(ok('dsvm')).toEqual({ kind: 'host', name: 'dsvm' });
    expect(ok('research')).toEqual({ kind: 'vnet', name: 'research' });
    expect(ok('research/compute')).toEqual({ kind: 'subnet', vnet: 'research', subnet: 'compute' });
    expect(ok('mldata-blob')).toEqual({ kind: 'privateEndpoint', name: 'mldata-blob' });
    expect(ok('mldata')).toEqual({ kind: 'resource', name: 'mldata' });
    expect(ok('campus')).toEqual({ kind: 'external', name: 'campus' });
  });

  it('F5.1.3: resolves resource/groupId to the canonical groupId spelling', () => {
    expect(ok('mldata/blob')).toEqual({ kind: 'resource', name: 'mldata', groupId: 'blob' });
    expect(ok('mldata/DFS')).toEqual({ kind: 'resource', name: 'mldata', groupId: 'dfs' });
    expect(ok('resource:mldata/File')).toEqual({ kind: 'resource', name: 'mldata', groupId: 'file' });
    // A type topo has no model for keeps what is written.
    expect(ok('widget/anything')).toEqual({ kind: 'resource', name: 'widget', groupId: 'anything' });
  });

  it('F5.1.3: rejects a groupId the resource type does not have, with "did you mean"', () => {
    const r = fail('mldata/blbo');
    expect(r.message).toBe("'mldata/blbo': a storage account has no sub-resource 'blbo' (F5.1.3)");
    expect(r.hint).toBe('did you mean mldata/blob?');
    expect(fail('resource:mldata/vault').hint).toContain('its sub-resources: blob, blob_secondary');
    expect(fail('mldata/').message).toBe("'mldata/' names no sub-resource after '/'");
  });

  it('needs a kind prefix for a name two kinds share, and offers both spellings', () => {
    const r = fail('shared');
    expect(r.message).toBe("'shared' is ambiguous: it names a host and a VNet");
    expect(r.hint).toBe('write host:shared or vnet:shared');
    expect(ok('host:shared')).toEqual({ kind: 'host', name: 'shared' });
    expect(ok('vnet:shared')).toEqual({ kind: 'vnet', name: 'shared' });
  });

  it('accepts every kind prefix', () => {
    expect(ok('pe:mldata-blob')).toEqual({ kind: 'privateEndpoint', name: 'mldata-blob' });
    expect(ok('privateEndpoint:mldata-blob')).toEqual({ kind: 'privateEndpoint', name: 'mldata-blob' });
    expect(ok('subnet:research/endpoints')).toEqual({ kind: 'subnet', vnet: 'research', subnet: 'endpoints' });
    expect(ok('external:campus')).toEqual({ kind: 'external', name: 'campus' });
    expect(ok('resource:mldata')).toEqual({ kind: 'resource', name: 'mldata' });
  });

  it('resolves a name that starts with a digit as that name, not as an address', () => {
    expect(ok('1vm')).toEqual({ kind: 'host', name: '1vm' });
    expect(fail('1vn').message).toBe("'1vn' is not an IPv4 address or CIDR prefix");
  });
});

describe('resolveEndpoint: what names nothing', () => {
  it('suggests the closest name', () => {
    const r = fail('dsvn');
    expect(r.message).toBe("'dsvn' names no host, VNet, private endpoint, resource or external");
    expect(r.hint).toBe("did you mean 'dsvm'?");
    expect(fail('internett').hint).toBe("did you mean 'internet'?");
    expect(fail('zzzzzz').hint).toBe('a subnet is written vnet/subnet, a service tag tag:Name');
  });

  it('suggests the subnet of a known VNet, and the VNet of a subnet', () => {
    expect(fail('research/compte')).toEqual({ ok: false, message: "VNet 'research' has no subnet 'compte'", hint: 'did you mean research/compute?' });
    expect(fail('reserch/compute').hint).toBe('did you mean research/compute?');
  });

  it('names the missing thing of a kind prefix, and rejects unknown prefixes', () => {
    expect(fail('host:dsvn')).toEqual({ ok: false, message: "'host:dsvn': no host 'dsvn'", hint: "did you mean 'dsvm'?" });
    expect(fail('subnet:research').message).toBe("'subnet:research': no subnet 'research'");
    expect(fail('vm:dsvm')).toMatchObject({ message: "'vm:' is not an endpoint kind", hint: expect.stringContaining('tag:, host:, vnet:') });
    expect(fail('tag:').message).toBe("'tag:' names no service tag");
  });

  it('F1.1.4: rejects CIDRs with host bits, suggesting the network', () => {
    expect(fail('10.1.1.4/24')).toEqual({ ok: false, message: "'10.1.1.4/24' has host bits set", hint: 'did you mean 10.1.1.0/24?' });
    expect(fail('10.0.0.1-10.0.0.9').message).toBe("'10.0.0.1-10.0.0.9' is not an IPv4 address or CIDR prefix");
  });

  it('rejects IPv6 as not modelled, including forms that contain a colon', () => {
    for (const v6 of ['2001:db8::/32', 'fe80::1', '::1']) expect(fail(v6).message, v6).toContain('looks like IPv6');
  });

  it('rejects an empty endpoint', () => {
    expect(fail('  ').message).toBe('the endpoint is empty');
  });
});

describe('endpointLabel', () => {
  it('writes each endpoint back the way the format spells it', () => {
    for (const text of ['internet', 'tag:Storage', '10.0.0.0/8', 'research/compute', 'mldata/blob', 'mldata', 'dsvm', 'campus']) expect(endpointLabel(ok(text))).toBe(text);
  });
});

describe('resolveEndpoint: managed:<workspace>, the compute of an Azure ML managed network (service-flows §2)', () => {
  const managedScenario: Scenario = (() => {
    const r = loadYaml(
      yaml`
        name: x
        resources:
          mlw: { type: Microsoft.MachineLearningServices/workspaces, managedNetwork: { isolationMode: AllowOnlyApprovedOutbound } }
          mlw-open: { type: Microsoft.MachineLearningServices/workspaces, managedNetwork: { isolationMode: AllowInternetOutbound } }
          mlw-vnet: { type: Microsoft.MachineLearningServices/workspaces, managedNetwork: { isolationMode: Disabled } }
          mlw-plain: { type: Microsoft.MachineLearningServices/workspaces }
          lake: { type: Microsoft.Storage/storageAccounts }
      `,
      { checks: false },
    );
    if (!r.scenario) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    return r.scenario;
  })();
  const resolve = (text: string) => resolveEndpoint(managedScenario, text);

  it('rejects an empty name, naming a workspace that has one', () => {
    expect(resolve('managed:')).toEqual({ ok: false, message: "'managed:' names no workspace", hint: 'write managed:mlw' });
  });

  it('rejects a name that is no resource, with "did you mean" among the workspaces with a managed network', () => {
    expect(resolve('managed:mlv')).toEqual({ ok: false, message: "'managed:mlv': no resource 'mlv'", hint: "did you mean 'managed:mlw'?" });
  });

  it('rejects a resource that is not a workspace', () => {
    expect(resolve('managed:lake')).toEqual({
      ok: false,
      message: "'managed:lake': 'lake' is a Microsoft.Storage/storageAccounts, not an Azure ML workspace (Microsoft.MachineLearningServices/workspaces)",
      hint: 'workspaces with a managed network: mlw, mlw-open',
    });
  });

  it('rejects a workspace without a managed network: isolationMode Disabled, written or by default (S6 §2.1)', () => {
    const disabled = resolve('managed:mlw-vnet');
    expect(disabled.ok).toBe(false);
    expect(!disabled.ok && disabled.message).toBe("'managed:mlw-vnet': workspace 'mlw-vnet' has no managed virtual network (isolationMode Disabled), so its compute runs in the design's own VNets");
    expect(!disabled.ok && disabled.hint).toContain('name the compute subnet or host instead');
    const plain = resolve('managed:mlw-plain');
    expect(!plain.ok && plain.message).toContain('(isolationMode Disabled (default))');
  });

  it('resolves both managed modes, in any case of the prefix, and writes them back the same way', () => {
    expect(resolve('managed:mlw')).toEqual({ ok: true, ref: { kind: 'managed', workspace: 'mlw' } });
    expect(resolve(' Managed:mlw-open ')).toEqual({ ok: true, ref: { kind: 'managed', workspace: 'mlw-open' } });
    expect(endpointLabel({ kind: 'managed', workspace: 'mlw' })).toBe('managed:mlw');
  });
});
