/**
 * Route selection (F2): the §2.9 routing example row by row (RT-1..RT-12) over the
 * compiled effective routes, and the selection rules of F2.4 and F2.7.2 on
 * hand-made candidates.
 */
import { describe, expect, it } from 'vitest';
import { at, fixture, ip, traceFrom, expectTrace } from '../../test/helpers/semantics.js';
import { builtinLoc } from '../scenario/source-loc.js';
import { chooseRoute, lookupRoute, resolveRoutes, routeRank } from './routes.js';
import type { NextHop, RouteEntry, RouteModel, RouteSource } from './types.js';

const F = 'routing-example.yaml';

function winner(subnet: string, addr: string | number) {
  const net = fixture(F).network;
  const seg = lookupRoute(net.subnets.get(subnet)!.routes, typeof addr === 'number' ? addr : ip(addr));
  if (!seg) throw new Error(`no route for ${addr} in ${subnet}`);
  return { id: seg.route.ref.id, nextHop: seg.route.nextHop, len: seg.len, source: seg.route.source, loc: `@${seg.route.ref.loc.file}:${seg.route.ref.loc.line}` };
}

const NVA = { type: 'VirtualAppliance', ip: ip('10.0.100.4') };

describe('§2.9 routing example: Subnet1 (with its route table)', () => {
  it('RT-1 F2.4.1: 10.0.0.5 goes VnetLocal by the UDR 10.0.0.0/24 (longer than /16)', () => {
    expect(winner('vnet1/subnet1', '10.0.0.5')).toEqual({ id: 'subnet1-routes/Within-Subnet1', nextHop: { type: 'VnetLocal' }, len: 24, source: 'user', loc: at(F, 'Within-Subnet1') });
  });

  it('RT-2 F2.4.2: 10.0.1.5 goes to the NVA by the UDR 10.0.0.0/16, which beats the equal system VNet route', () => {
    expect(winner('vnet1/subnet1', '10.0.1.5')).toEqual({ id: 'subnet1-routes/Within-VNet1', nextHop: NVA, len: 16, source: 'user', loc: at(F, 'Within-VNet1') });
  });

  it('RT-3 F3.3.2: 10.1.0.5 and 10.2.0.5 are dropped: the None UDRs override the VNet-peering routes', () => {
    expect(winner('vnet1/subnet1', '10.1.0.5')).toMatchObject({ id: 'subnet1-routes/ToVNet2-1-Drop', nextHop: { type: 'None' }, len: 16, source: 'user' });
    expect(winner('vnet1/subnet1', '10.2.0.5')).toMatchObject({ id: 'subnet1-routes/ToVNet2-2-Drop', nextHop: { type: 'None' }, len: 16, source: 'user' });
  });

  it('RT-4 F2.4.2: 10.10.0.5 goes to the NVA: the UDR beats the gateway route of the same prefix (User > BGP)', () => {
    expect(winner('vnet1/subnet1', '10.10.0.5')).toMatchObject({ id: 'subnet1-routes/To-On-Prem', nextHop: NVA, len: 16, source: 'user' });
  });

  it('RT-5 F2.4.5, F2.8.1: a Storage prefix goes VirtualNetworkServiceEndpoint (longer than the 0/0 UDR)', () => {
    const net = fixture(F).network;
    const entry = net.catalog.regional('Storage', 'eastus')!;
    const storage = net.catalog.ranges(entry)[0][0];
    const w = winner('vnet1/subnet1', storage);
    expect(w).toMatchObject({ id: 'service endpoint Microsoft.Storage', source: 'service-endpoint', nextHop: { type: 'VirtualNetworkServiceEndpoint', service: 'Microsoft.Storage', tag: 'Storage' } });
    expect(w.len).toBeGreaterThan(0);
    // Subnet2 has no service endpoint: the same address follows its system default route.
    expect(winner('vnet1/subnet2', storage)).toMatchObject({ id: 'system 0.0.0.0/0 Internet', nextHop: { type: 'Internet' } });
  });

  it('RT-6 F2.4.2: 8.8.8.8 goes to the NVA by the 0/0 UDR (the system 0/0 is invalid)', () => {
    expect(winner('vnet1/subnet1', '8.8.8.8')).toEqual({ id: 'subnet1-routes/Default-NVA', nextHop: NVA, len: 0, source: 'user', loc: at(F, 'Default-NVA') });
  });

  it('RT-7 F2.1.5, §8.8: 192.168.5.5 goes to the NVA: the 0/0 UDR removed the reserved None routes', () => {
    expect(winner('vnet1/subnet1', '192.168.5.5')).toMatchObject({ id: 'subnet1-routes/Default-NVA', nextHop: NVA, len: 0 });
    expect(winner('vnet1/subnet1', '10.3.0.1')).toMatchObject({ id: 'subnet1-routes/Default-NVA', nextHop: NVA });
    const entries = fixture(F).network.subnets.get('vnet1/subnet1')!.routes.entries;
    expect(entries.filter((e) => e.route.systemKind === 'reserved')).toEqual([]);
  });
});

describe('§2.9 routing example: Subnet2 (system routes only)', () => {
  it('RT-8 F3.3.1: 10.1.0.5 goes over the system VNet-peering route', () => {
    expect(winner('vnet1/subnet2', '10.1.0.5')).toEqual({ id: 'system 10.1.0.0/16 VNetPeering', nextHop: { type: 'VNetPeering', peer: 'vnet2' }, len: 16, source: 'system', loc: at(F, 'vnet1-to-vnet2') });
    expect(winner('vnet1/subnet2', '10.2.0.5')).toMatchObject({ id: 'system 10.2.0.0/16 VNetPeering', nextHop: { type: 'VNetPeering', peer: 'vnet2' } });
  });

  it('RT-9 F2.6.3: 10.10.0.5 goes to the virtual network gateway by its route', () => {
    expect(winner('vnet1/subnet2', '10.10.0.5')).toEqual({ id: 'gateway vpn-gw 10.10.0.0/16', nextHop: { type: 'VirtualNetworkGateway', gateway: 'vpn-gw' }, len: 16, source: 'bgp', loc: at(F, 'vpn-gw:') });
  });

  it('RT-10 F2.1: 8.8.8.8 goes to the Internet by the system 0/0', () => {
    expect(winner('vnet1/subnet2', '8.8.8.8')).toMatchObject({ id: 'system 0.0.0.0/0 Internet', nextHop: { type: 'Internet' }, len: 0, source: 'system' });
  });

  it('RT-11 F2.1.3: 10.3.0.1 is dropped by the system 10.0.0.0/8 None route (the VNet /16 sits inside it)', () => {
    expect(winner('vnet1/subnet2', '10.3.0.1')).toMatchObject({ id: 'system 10.0.0.0/8 None', nextHop: { type: 'None' }, len: 8, source: 'system' });
  });

  it('RT-12 F2.1.2: 192.168.5.5 is dropped by the system 192.168.0.0/16 None route', () => {
    expect(winner('vnet1/subnet2', '192.168.5.5')).toMatchObject({ id: 'system 192.168.0.0/16 None', nextHop: { type: 'None' }, len: 16, source: 'system' });
  });
});

describe('§2.9 routing example through traces', () => {
  const net = () => fixture(F).network;

  it('RT-1: a packet to another VM of Subnet1 is delivered by the Within-Subnet1 route', () => {
    expectTrace(traceFrom(net(), 'host:vm1', { dst: '10.0.0.5' }), 'delivered', ['nsg allow', `route forward subnet1-routes/Within-Subnet1 ${at(F, 'Within-Subnet1')}`, 'nsg allow']);
  });

  it('RT-2: a packet to Subnet2 reaches the NVA, whose own forwarding topo reports as unknown', () => {
    const t = traceFrom(net(), 'host:vm1', { dst: '10.0.1.5' });
    expectTrace(t, 'unknown', ['nsg allow', `route forward subnet1-routes/Within-VNet1 ${at(F, 'Within-VNet1')}`, 'forwarding unknown']);
    expect(t.reason).toContain('network virtual appliance');
  });

  it('RT-3: a packet to VNet2 is dropped by the None UDR, naming it', () => {
    const t = traceFrom(net(), 'host:vm1', { dst: '10.1.0.5' });
    expectTrace(t, 'dropped', ['nsg allow', `route drop subnet1-routes/ToVNet2-1-Drop ${at(F, 'ToVNet2-1-Drop')}`]);
  });

  it('RT-8, RT-9, RT-11: from Subnet2 the peering delivers, the gateway reaches on premises, 10.3.0.1 is dropped', () => {
    expectTrace(traceFrom(net(), 'host:vm2', { dst: '10.1.0.5' }), 'delivered', ['nsg allow', `route forward system 10.1.0.0/16 VNetPeering ${at(F, 'vnet1-to-vnet2')}`, `peering allow vnet2/vnet2-to-vnet1 ${at(F, 'vnet2-to-vnet1')}`, 'nsg allow']);
    expectTrace(traceFrom(net(), 'host:vm2', { dst: '10.10.0.5' }), 'delivered', ['nsg allow', `route forward gateway vpn-gw 10.10.0.0/16 ${at(F, 'vpn-gw:')}`, `delivery deliver ${at(F, 'vpn-gw:')}`]);
    expectTrace(traceFrom(net(), 'host:vm2', { dst: '10.3.0.1' }), 'dropped', ['nsg allow', 'route drop system 10.0.0.0/8 None']);
  });
});

describe('F2.1.3: address space that equals, contains or sits inside a reserved prefix', () => {
  const R = 'reserved-ranges.yaml';
  const route = (addr: string) => {
    const seg = lookupRoute(fixture(R).network.subnets.get('big/a')!.routes, ip(addr))!;
    return `${seg.route.ref.id} /${seg.len}`;
  };

  it('a VNet range equal to 10.0.0.0/8 turns that reserved route into VnetLocal', () => {
    expect(route('10.200.0.1')).toBe('system 10.0.0.0/8 VnetLocal /8');
    expect(fixture(R).network.subnets.get('big/a')!.routes.entries.some((e) => e.route.ref.id === 'system 10.0.0.0/8 None')).toBe(false);
  });

  it('a VNet range inside 172.16.0.0/12 keeps the /12 None route for the rest of it', () => {
    expect(route('172.16.1.9')).toBe('system 172.16.1.0/24 VnetLocal /24');
    expect(route('172.17.0.1')).toBe('system 172.16.0.0/12 None /12');
  });

  it('the other reserved routes stay None', () => {
    expect(route('192.168.0.1')).toBe('system 192.168.0.0/16 None /16');
    expect(route('100.64.0.1')).toBe('system 100.64.0.0/10 None /10');
  });
});

// ---------------------------------------------------------------------------
// F2.4 on hand-made candidates: the chain of routes containing one address.

function entry(len: number, source: RouteSource, extra: Partial<RouteModel> = {}, nextHop: NextHop = { type: 'None' }): RouteEntry {
  const size = 2 ** (32 - len);
  const lo = Math.floor(ip('10.1.2.3') / size) * size;
  const id = `${source}/${len}${extra.tag ? `/${extra.tag}` : ''}${extra.systemKind ? `/${extra.systemKind}` : ''}`;
  return { lo, hi: lo + size - 1, len, route: { source, nextHop, prefixText: id, ref: { kind: source === 'user' ? 'route' : 'system-route', id, label: id, loc: builtinLoc('test') }, ...extra } };
}
const never = () => false;
const pick = (...c: RouteEntry[]) => chooseRoute(c, never)?.route.ref.id;

describe('F2.4 route selection rules', () => {
  it('F2.4.1: the longest prefix wins whatever the source', () => {
    expect(pick(entry(16, 'user'), entry(24, 'system', { systemKind: 'reserved' }))).toBe('system/24/reserved');
  });

  it('F2.4.2, §8.9: on an equal prefix User > BGP > System, in any input order', () => {
    const u = entry(16, 'user');
    const b = entry(16, 'bgp');
    const s = entry(16, 'system', { systemKind: 'reserved' });
    expect(pick(s, b, u)).toBe('user/16');
    expect(pick(b, s)).toBe('bgp/16');
    expect(pick(s, b)).toBe('bgp/16');
  });

  it('F2.4.3, §8.9: VNet, peering and service-endpoint system routes beat a MORE specific BGP route', () => {
    for (const kind of ['vnet', 'peering'] as const) expect(pick(entry(16, 'system', { systemKind: kind }), entry(24, 'bgp'))).toBe(`system/16/${kind}`);
    expect(pick(entry(16, 'service-endpoint'), entry(24, 'bgp'))).toBe('service-endpoint/16');
    // ...but not the default or reserved system routes, and never a UDR.
    expect(pick(entry(8, 'system', { systemKind: 'reserved' }), entry(24, 'bgp'))).toBe('bgp/24');
    expect(pick(entry(16, 'system', { systemKind: 'vnet' }), entry(24, 'user'))).toBe('user/24');
  });

  it('F2.4.4, §8.9: on an equal prefix an explicit-prefix UDR beats a service-tag UDR; tag UDRs rank regional tag, tag, regional AzureCloud, AzureCloud', () => {
    const tags = ['AzureCloud', 'AzureCloud.eastus', 'Storage', 'Storage.EastUS'].map((tag) => entry(20, 'user', { tag }));
    expect(pick(...tags, entry(20, 'user'))).toBe('user/20');
    expect(pick(...tags)).toBe('user/20/Storage.EastUS');
    expect(pick(tags[0], tags[1], tags[2])).toBe('user/20/Storage');
    expect(pick(tags[0], tags[1])).toBe('user/20/AzureCloud.eastus');
    expect(tags.map((t) => routeRank(t.route))).toEqual([4, 3, 2, 1]);
  });

  it('F2.4.5: a UDR with the same prefix as a service-endpoint route wins (2023 doc), a shorter one does not', () => {
    expect(pick(entry(20, 'service-endpoint'), entry(20, 'user'))).toBe('user/20');
    expect(pick(entry(20, 'service-endpoint'), entry(0, 'user'))).toBe('service-endpoint/20');
  });

  it('F2.7.2: a private endpoint /32 loses only to the UDRs the invalidation callback names', () => {
    const pe = entry(32, 'private-endpoint', {}, { type: 'InterfaceEndpoint', privateEndpoint: 'pe', vnet: 'v' });
    const udr16 = entry(16, 'user');
    const udr0 = entry(0, 'user');
    const byLength = (_pe: RouteModel, udr: RouteEntry) => udr.len >= 16;
    expect(chooseRoute([pe, udr16, udr0], never)?.route.ref.id).toBe('private-endpoint/32');
    expect(chooseRoute([pe, udr16, udr0], byLength)?.route.ref.id).toBe('user/16');
    expect(chooseRoute([pe, udr0], byLength)?.route.ref.id).toBe('private-endpoint/32');
  });

  it('resolveRoutes partitions the space so that lookupRoute agrees with chooseRoute at every boundary', () => {
    const list = [entry(0, 'system', { systemKind: 'default' }), entry(8, 'system', { systemKind: 'reserved' }), entry(16, 'system', { systemKind: 'vnet' }), entry(24, 'bgp'), entry(28, 'user')];
    const routes = resolveRoutes(list, never);
    const probes = list.flatMap((e) => [e.lo, e.hi, Math.max(0, e.lo - 1), Math.min(0xffffffff, e.hi + 1)]);
    for (const addr of probes) {
      const containing = list.filter((e) => e.lo <= addr && addr <= e.hi);
      expect(lookupRoute(routes, addr)?.route, `address ${addr}`).toBe(chooseRoute(containing, never)?.route);
    }
  });
});
