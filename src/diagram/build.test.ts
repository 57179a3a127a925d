import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../test/helpers/scenario-fixture.js';
import { compile } from '../model/compile.js';
import type { Network } from '../model/types.js';
import { loadScenario } from '../scenario/load.js';
import { verifyNetwork } from '../verify/verify.js';
import { allNodes, buildDiagram, type DiagramOptions } from './build.js';
import type { Diagram, DiagramNode } from './types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function fixture(file: string): Network {
  const loaded = loadScenario(file, { cwd: ROOT });
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return compile(loaded.scenario, loaded.catalog!).network;
}

function inline(text: string): Network {
  const loaded = loadYaml(text);
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return compile(loaded.scenario, loaded.catalog!).network;
}

function diagramOf(net: Network, options: DiagramOptions = {}): Diagram {
  return buildDiagram(net, verifyNetwork(net, []), options);
}

function nodeMap(d: Diagram): Map<string, DiagramNode> {
  return new Map(allNodes(d.roots).map((n) => [n.id, n]));
}

describe('the diagram model of two-spokes.yaml', () => {
  const net = fixture('test/fixtures/two-spokes.yaml');
  const d = diagramOf(net);
  const nodes = nodeMap(d);

  it('has every VNet, subnet and host, nested in the Azure convention', () => {
    for (const v of net.vnets.values()) {
      const vn = nodes.get(`vnet:${v.name}`)!;
      expect(vn.kind).toBe('vnet');
      expect(vn.parent).toBeUndefined();
      for (const s of v.subnets) {
        const sn = nodes.get(`subnet:${s.id}`)!;
        expect(sn.parent).toBe(vn.id);
        expect(vn.children).toContain(sn);
      }
    }
    for (const host of ['app1', 'db1', 'hubvm']) {
      const h = nodes.get(`nic:host:${host}`)!;
      expect(h.kind).toBe('host');
      expect(h.parent).toBe(`subnet:${net.nicById.get(`host:${host}`)!.subnet.id}`);
    }
    // The firewall sits in its hub subnet; the Internet at the edge.
    expect(nodes.get('firewall:fw')!.parent).toBe('subnet:hub/AzureFirewallSubnet');
    expect(nodes.get('firewall:fw')!.aliases).toContain('nic:firewall:fw');
    expect(nodes.get('internet')!.parent).toBeUndefined();
    // The addresses no declared NIC holds are the subnet box itself.
    expect(nodes.get('subnet:spoke1/app')!.aliases).toContain('nic:subnet:spoke1/app');
  });

  it('draws every peering once per VNet pair, carrying both links', () => {
    const peerings = d.edges.filter((e) => e.kind === 'peering');
    expect(peerings.map((e) => e.id)).toEqual(['peering:hub~spoke1', 'peering:hub~spoke2']);
    const p = peerings[0];
    expect([p.source, p.target].sort()).toEqual(['vnet:hub', 'vnet:spoke1']);
    expect(p.aliases).toEqual(['peering:hub/hub-to-spoke1', 'peering:spoke1/spoke1-to-hub']);
    expect(p.details.some((x) => x.loc?.line === 10)).toBe(true);
  });

  it('puts NSG and route table badges on subnets, with their rules and file:line', () => {
    const app = nodes.get('subnet:spoke1/app')!;
    expect(app.badges.map((b) => `${b.kind}:${b.label}`)).toEqual(['nsg:open-nsg', 'route-table:spoke-rt']);
    const nsg = app.badges[0];
    expect(nsg.loc.file).toBe('test/fixtures/two-spokes.yaml');
    expect(nsg.details.some((x) => x.text.includes('open-nsg/allow-10-in') && x.loc?.line === 27)).toBe(true);
    const rt = app.badges[1];
    expect(rt.details).toEqual([expect.objectContaining({ text: expect.stringContaining('spoke-rt/default-fw'), loc: expect.objectContaining({ line: 32 }) })]);
    // Every element keeps its source location.
    for (const n of allNodes(d.roots)) if (n.kind !== 'internet') expect(n.loc, n.id).toBeDefined();
  });

  it('marks the witness of a failing deny: hops, nodes and path edges', () => {
    const o = d.intents.find((i) => i.name === 'app-no-exfiltration')!;
    expect(o.status).toBe('fail');
    expect(o.pathKind).toBe('witness');
    expect(o.nodes).toEqual(['nic:host:app1', 'subnet:spoke1/app', 'firewall:fw', 'subnet:hub/AzureFirewallSubnet', 'internet']);
    expect(o.edges).toEqual(['peering:hub~spoke1', 'path:nic:host:app1~firewall:fw', 'path:firewall:fw~internet']);
    expect(o.blocking).toEqual([]);
    expect(o.hops.map((h) => h.element)).toEqual([
      'nic:host:app1',
      'subnet:spoke1/app',
      'peering:hub~spoke1',
      'firewall:fw',
      'firewall:fw',
      'firewall:fw',
      'subnet:hub/AzureFirewallSubnet',
      'subnet:hub/AzureFirewallSubnet',
      'internet',
    ]);
    const pypi = o.hops.find((h) => h.rule?.startsWith('policy/rcg/web/pypi'))!;
    expect(pypi.loc).toMatchObject({ file: 'test/fixtures/two-spokes.yaml', line: 53 });
    // The path edges are in the diagram, between drawn nodes.
    const edgeIds = new Set(d.edges.map((e) => e.id));
    for (const id of o.edges) expect(edgeIds.has(id), id).toBe(true);
    expect(d.edges.find((e) => e.id === 'path:firewall:fw~internet')).toMatchObject({ kind: 'path', source: 'firewall:fw', target: 'internet' });
  });

  it('marks the blocking hop and component of a failing allow, and its destination', () => {
    const o = d.intents.find((i) => i.name === 'app-reaches-db')!;
    expect(o.pathKind).toBe('witness');
    expect(o.blocking).toEqual(['peering:hub~spoke2']);
    expect(o.hops[o.hops.length - 1]).toMatchObject({ element: 'peering:hub~spoke2', decision: 'drop', blocking: true });
    expect(o.blockers).toEqual([expect.objectContaining({ element: 'peering:hub~spoke2', rule: 'spoke2/spoke2-to-hub (to hub)', loc: expect.objectContaining({ line: 23 }) })]);
    expect(o.endpoints).toEqual({ from: 'nic:host:app1', to: 'nic:host:db1' });
  });

  it('draws an example packet for a passing deny, stopped where the proof says', () => {
    const o = d.intents.find((i) => i.name === 'db-no-exfiltration')!;
    expect(o.status).toBe('pass');
    expect(o.pathKind).toBe('example');
    expect(o.nodes[0]).toBe('nic:host:db1');
    expect(o.blocking).toEqual([o.hops[o.hops.length - 1].element]);
    expect(o.packet).toMatch(/^Tcp 10\.2\.1\.4:49152 -> /);
  });

  it('is deterministic and sorted by id', () => {
    const again = diagramOf(fixture('test/fixtures/two-spokes.yaml'));
    expect(JSON.stringify(again)).toBe(JSON.stringify(d));
    const sorted = (ids: string[]) => [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(d.roots.map((n) => n.id)).toEqual(sorted(d.roots.map((n) => n.id)));
    expect(d.edges.map((e) => e.id)).toEqual(sorted(d.edges.map((e) => e.id)));
    for (const n of allNodes(d.roots)) expect(n.children.map((c) => c.id)).toEqual(sorted(n.children.map((c) => c.id)));
  });

  it('draws only the intents asked for', () => {
    const only = diagramOf(net, { intents: ['app-reaches-db'] });
    expect(only.intents.map((o) => o.name)).toEqual(['app-reaches-db']);
    expect(only.edges.filter((e) => e.kind === 'path').map((e) => e.id)).toEqual(['path:nic:host:app1~firewall:fw']);
  });
});

describe('the diagram model of hub-spoke.yaml', () => {
  const net = fixture('test/fixtures/hub-spoke.yaml');
  const d = diagramOf(net);
  const nodes = nodeMap(d);

  it('has the private endpoint in its subnet, linked to its PaaS resource outside the VNets', () => {
    const pe = nodes.get('nic:pe:securestore-blob')!;
    expect(pe.kind).toBe('private-endpoint');
    expect(pe.parent).toBe('subnet:research/endpoints');
    const res = nodes.get('resource:securestore')!;
    expect(res.parent).toBeUndefined();
    expect(res.sublabel).toBe('storage account');
    const link = d.edges.find((e) => e.kind === 'private-link')!;
    expect(link).toMatchObject({ id: 'private-link:securestore-blob', source: pe.id, target: res.id, label: 'blob' });
  });

  it('draws the allowed path of a passing allow from one representative packet', () => {
    const o = d.intents.find((i) => i.name === 'compute-reaches-storage')!;
    expect(o.status).toBe('pass');
    expect(o.pathKind).toBe('allowed');
    expect(o.nodes).toEqual(['nic:host:dsvm-1', 'subnet:research/compute', 'nic:pe:securestore-blob']);
    expect(o.edges).toEqual(['path:nic:host:dsvm-1~nic:pe:securestore-blob']);
    expect(o.verdict).toMatch(/^delivered to securestore\/blob/);
    expect(o.blocking).toEqual([]);
  });

  it('can leave passing intents undrawn', () => {
    const bare = diagramOf(net, { representativePaths: false });
    expect(bare.intents.every((o) => o.pathKind === 'none')).toBe(true);
    expect(bare.edges.some((e) => e.kind === 'path')).toBe(false);
  });
});

describe('the diagram model of other shapes', () => {
  const net = inline(yaml`
    name: shapes
    region: westeurope
    vnets:
      hub:
        addressSpace: [10.0.0.0/16]
        subnets:
          GatewaySubnet: { addressPrefix: 10.0.0.0/27 }
          shared: { addressPrefix: 10.0.1.0/24, natGateway: egress }
        peerings:
          hub-to-a: { remoteVirtualNetwork: a }
      a:
        addressSpace: [10.1.0.0/16]
        subnets:
          web: { addressPrefix: 10.1.1.0/24 }
      b:
        addressSpace: [10.2.0.0/16]
        subnets:
          web: { addressPrefix: 10.2.1.0/24 }
        peerings:
          b-to-hub: { remoteVirtualNetwork: hub }
    natGateways:
      egress: { publicIpAddresses: [52.1.1.1] }
    virtualNetworkGateways:
      vpn: { vnet: hub, gatewayType: Vpn, remoteAddressPrefixes: [192.168.0.0/16] }
    externals:
      campus: { addressPrefixes: [192.168.10.0/24] }
      partner: { addressPrefixes: [203.0.113.0/24] }
    hosts:
      web1: { subnet: a/web, privateIpAddress: 10.1.1.4 }
  `);
  const d = diagramOf(net);
  const nodes = nodeMap(d);

  it('draws one-sided peerings differently, from the side that declares them', () => {
    const kinds = Object.fromEntries(d.edges.filter((e) => e.id.startsWith('peering:')).map((e) => [e.id, e.kind]));
    expect(kinds).toEqual({ 'peering:a~hub': 'peering-one-sided', 'peering:b~hub': 'peering-one-sided' });
    const ab = d.edges.find((e) => e.id === 'peering:a~hub')!;
    expect(ab).toMatchObject({ source: 'vnet:hub', target: 'vnet:a', label: 'one-sided: hub-to-a' });
    expect(ab.details[0].text).toContain('one-sided');
  });

  it('puts the gateway in its subnet, on-premises externals behind it and public externals at the edge', () => {
    expect(nodes.get('gateway:vpn')!.parent).toBe('subnet:hub/GatewaySubnet');
    expect(nodes.get('external:campus')!.parent).toBeUndefined();
    expect(nodes.get('external:partner')!.parent).toBeUndefined();
    const links = d.edges.filter((e) => e.kind === 'gateway-link');
    expect(links.map((e) => `${e.source}->${e.target}`)).toEqual(['gateway:vpn->external:campus']);
    expect(nodes.get('subnet:hub/shared')!.badges.map((b) => b.kind)).toEqual(['nat-gateway']);
  });
});
