import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../test/helpers/scenario-fixture.js';
import { compile } from '../model/compile.js';
import type { Network } from '../model/types.js';
import { verifyNetwork } from '../verify/verify.js';
import { layoutDiagram } from '../../viz/layout.js';
import { renderHtml, renderSvg } from '../../viz/render.js';
import { allNodes, buildDiagram, type DiagramOptions } from './build.js';
import { spokeSignature } from './collapse.js';

interface HubSpokeOptions {
  readonly spokes: number;
  readonly subnets: number;
  /** Spokes (1-based) given an extra subnet, so their structure differs. */
  readonly odd?: readonly number[];
  /** Each spoke gets its own storage account behind a private endpoint in its last subnet. */
  readonly storage?: boolean;
  readonly intents?: boolean;
}

const pad = (i: number) => String(i).padStart(3, '0');

/**
 * A deterministic hub-and-spoke design: a hub with Azure Firewall, a VPN
 * gateway and a shared subnet; `spokes` spokes of `subnets` subnets, each
 * with one host, an NSG and a route table through the firewall; optionally
 * one storage account per spoke behind a private endpoint.
 */
export function hubSpokeYaml(o: HubSpokeOptions): string {
  const out: string[] = [];
  out.push('name: generated-hub-spoke', 'region: westeurope', 'vnets:');
  out.push('  hub:', '    addressSpace: [10.0.0.0/16]', '    subnets:');
  out.push('      AzureFirewallSubnet: { addressPrefix: 10.0.1.0/26 }', '      GatewaySubnet: { addressPrefix: 10.0.2.0/27 }', '      shared: { addressPrefix: 10.0.3.0/24, networkSecurityGroup: spoke-nsg }');
  out.push('    peerings:');
  for (let i = 1; i <= o.spokes; i++) out.push(`      hub-to-spoke-${pad(i)}: { remoteVirtualNetwork: spoke-${pad(i)}, allowGatewayTransit: true }`);
  for (let i = 1; i <= o.spokes; i++) {
    const a = Math.floor(i / 256) + 16;
    const b = i % 256;
    out.push(`  spoke-${pad(i)}:`, `    addressSpace: [${a}.${b}.0.0/16]`, '    subnets:');
    const count = o.subnets + (o.odd?.includes(i) ? 1 : 0);
    for (let s = 0; s < count; s++) out.push(`      snet-${s}: { addressPrefix: ${a}.${b}.${s}.0/24, networkSecurityGroup: spoke-nsg, routeTable: to-firewall, defaultOutboundAccess: false }`);
    out.push('    peerings:', `      spoke-${pad(i)}-to-hub: { remoteVirtualNetwork: hub, allowForwardedTraffic: true, useRemoteGateways: true }`);
  }
  out.push('networkSecurityGroups:', '  spoke-nsg:', '    securityRules:');
  out.push('      - { name: allow-internal, priority: 100, direction: Inbound, access: Allow, protocol: "*", sourceAddressPrefix: 10.0.0.0/8, sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }');
  out.push('routeTables:', '  to-firewall:', '    routes:', '      - { name: default, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.1.4 }');
  out.push('firewalls:', '  hub-fw: { vnet: hub, privateIpAddress: 10.0.1.4, publicIpAddresses: [52.0.0.10] }');
  out.push('virtualNetworkGateways:', '  onprem-gw: { vnet: hub, gatewayType: Vpn, remoteAddressPrefixes: [192.168.0.0/16] }');
  out.push('externals:', '  campus: { addressPrefixes: [192.168.10.0/24] }');
  out.push('hosts:');
  for (let i = 1; i <= o.spokes; i++) {
    const a = Math.floor(i / 256) + 16;
    const b = i % 256;
    const last = o.storage ? o.subnets - 1 : o.subnets;
    for (let s = 0; s < last; s++) out.push(`  vm-${pad(i)}-${s}: { subnet: spoke-${pad(i)}/snet-${s}, privateIpAddress: ${a}.${b}.${s}.4 }`);
  }
  if (o.storage) {
    out.push('resources:');
    for (let i = 1; i <= o.spokes; i++) out.push(`  data${pad(i)}: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: Disabled }`);
    out.push('privateEndpoints:');
    for (let i = 1; i <= o.spokes; i++) {
      const a = Math.floor(i / 256) + 16;
      const b = i % 256;
      out.push(`  data${pad(i)}-blob: { subnet: spoke-${pad(i)}/snet-${o.subnets - 1}, privateIpAddress: ${a}.${b}.${o.subnets - 1}.5, resource: data${pad(i)}, groupId: blob }`);
    }
  }
  if (o.intents) {
    out.push('intents:');
    out.push('  - name: spoke-001-no-exfiltration', '    deny: { from: spoke-001/snet-0, to: internet }');
    out.push('  - name: spoke-002-reaches-campus', '    allow: { from: vm-002-0, to: campus, protocol: Tcp, ports: [443] }');
  }
  return `${out.join('\n')}\n`;
}

function compiled(o: HubSpokeOptions): Network {
  const loaded = loadYaml(hubSpokeYaml(o));
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return compile(loaded.scenario, loaded.catalog!).network;
}

function build(net: Network, options: DiagramOptions = {}) {
  return buildDiagram(net, verifyNetwork(net, []), options);
}

describe('collapsing identical spokes', () => {
  it('leaves designs at or under the threshold alone', () => {
    const net = compiled({ spokes: 5, subnets: 2 });
    const d = build(net, { collapseAbove: 6 });
    expect(d.collapse.groups).toBe(0);
    expect(d.roots.filter((n) => n.kind === 'vnet')).toHaveLength(6);
  });

  it('signs spokes by structure, not by names', () => {
    const net = compiled({ spokes: 3, subnets: 2, odd: [3] });
    const sig = (name: string) => spokeSignature(net, net.vnets.get(name)!);
    expect(sig('spoke-001')).toBeDefined();
    expect(sig('spoke-001')).toBe(sig('spoke-002'));
    expect(sig('spoke-003')).not.toBe(sig('spoke-001'));
    expect(sig('hub')).toBeUndefined();
  });

  it('draws identical spokes as one box with a count, keeping spokes an intent touches', () => {
    const net = compiled({ spokes: 30, subnets: 3, odd: [7, 8], storage: true, intents: true });
    const d = build(net);
    const groups = d.roots.filter((n) => n.kind === 'vnet-group');
    const sizes = groups.map((g) => g.collapsed!.count).sort((a, b) => a - b);
    // 30 spokes: 001 and 002 are pinned by intents; 007 and 008 share a different structure.
    expect(sizes).toEqual([2, 26]);
    expect(d.collapse).toEqual({ groups: 2, vnets: 28, threshold: 20 });
    const big = groups.find((g) => g.collapsed!.count === 26)!;
    expect(big.id).toBe('vnets:spoke-003+25');
    expect(big.collapsed!.members[0]).toBe('spoke-003');
    expect(big.collapsed!.members).not.toContain('spoke-001');
    expect(big.aliases).toContain('vnet:spoke-030');
    // The representative's subnets are drawn inside the group.
    expect(big.children.map((c) => c.id)).toEqual(['subnet:spoke-003/snet-0', 'subnet:spoke-003/snet-1', 'subnet:spoke-003/snet-2']);
    expect(big.children.every((c) => c.parent === big.id)).toBe(true);
    // Pinned spokes stay whole.
    const vnets = d.roots.filter((n) => n.kind === 'vnet').map((n) => n.id);
    expect(vnets).toEqual(['vnet:hub', 'vnet:spoke-001', 'vnet:spoke-002']);
    // One peering edge stands for the group's 26, with a count.
    const peering = d.edges.filter((e) => e.target === 'vnet:hub' && e.source === big.id);
    expect(peering).toHaveLength(1);
    expect(peering[0].label).toBe('peerings x26');
    expect(peering[0].aliases).toHaveLength(52);
    // The storage accounts only the group reaches collapse with it; the private link edges merge.
    const res = d.roots.find((n) => n.id === 'resources:data003+25')!;
    expect(res.collapsed!.count).toBe(26);
    const links = d.edges.filter((e) => e.kind === 'private-link' && e.target === res.id);
    expect(links).toHaveLength(1);
    expect(links[0].source).toBe('nic:pe:data003-blob');
    // Every edge ends at a drawn node.
    const ids = new Set(allNodes(d.roots).map((n) => n.id));
    for (const e of d.edges) {
      expect(ids.has(e.source), e.id).toBe(true);
      expect(ids.has(e.target), e.id).toBe(true);
    }
  });

  it('never collapses when told so', () => {
    const net = compiled({ spokes: 25, subnets: 1 });
    expect(build(net).collapse.groups).toBe(1);
    expect(build(net, { collapseAbove: Infinity }).collapse.groups).toBe(0);
  });
});

/**
 * The medium benchmark tier, measured. Drawn the default way (identical
 * spokes collapsed) every run; drawn with every VNet expanded at 30 spokes
 * every run, and at the full 100 with TOPO_DIAGRAM_FULL=1 (about 15 s).
 */
describe('the medium benchmark tier (100 spokes x 10 subnets)', () => {
  const cases = [
    { label: 'collapsed (default)', spokes: 100, options: {} },
    { label: 'every VNet drawn', spokes: process.env.TOPO_DIAGRAM_FULL === '1' ? 100 : 30, options: { collapseAbove: Infinity } },
  ];
  for (const c of cases) {
    it(`lays out and renders in seconds: ${c.label}, ${c.spokes} spokes`, async () => {
      const net = compiled({ spokes: c.spokes, subnets: 10, storage: true, intents: true });
      const results = verifyNetwork(net, []);
      const t0 = performance.now();
      const d = buildDiagram(net, results, c.options);
      const t1 = performance.now();
      const layout = await layoutDiagram(d);
      const t2 = performance.now();
      const svg = renderSvg(d, layout, { version: 'test' });
      const html = renderHtml(d, layout, { version: 'test' });
      const t3 = performance.now();
      const nodes = allNodes(d.roots).length;
      console.log(
        `[diagram scale] ${c.label}: ${net.vnets.size} VNets, ${net.subnets.size} subnets -> ${nodes} boxes, ${d.edges.length} edges; ` +
          `model ${Math.round(t1 - t0)} ms, layout ${Math.round(t2 - t1)} ms, render ${Math.round(t3 - t2)} ms (SVG ${Math.round(svg.length / 1024)} KiB, HTML ${Math.round(html.length / 1024)} KiB)`,
      );
      expect(t3 - t0).toBeLessThan(20_000);
      expect(svg).toContain('spoke-001');
    }, 60_000);
  }
});
