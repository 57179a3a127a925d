/**
 * The verifier over Azure ML managed networks (service-flows §2): verdicts
 * with their deciding rules, what stays unknown and why, that the managed
 * network's parts are invisible to the design's own endpoints, and that the
 * symbolic verifier and the packet simulator agree packet by packet on
 * claims from the managed compute (they share the compiled model and nothing
 * else).
 */
import { describe, expect, it } from 'vitest';
import type { Box } from '../headerspace/box.js';
import { IntervalSet } from '../headerspace/interval-set.js';
import { PacketSet } from '../headerspace/packet-set.js';
import { DIM, type Packet } from '../headerspace/packet.js';
import { compile } from '../model/compile.js';
import { destinationOf, sourcesOf, tagAddresses } from '../model/endpoints.js';
import { portSet } from '../model/nsg.js';
import type { Network } from '../model/types.js';
import { PORT_MAX } from '../net/ports.js';
import { resolveEndpoint } from '../scenario/endpoints.js';
import { builtinLoc } from '../scenario/source-loc.js';
import { describePacket, simulate } from '../sim/simulate.js';
import { loadYaml, yaml } from '../../test/helpers/scenario-fixture.js';
import { checkClaim, claimStarts, protocolSet, type Claim } from './check.js';
import { buildGraph } from './graph.js';
import { propagate } from './propagate.js';
import { prng } from '../../test/property/claims.js';

const design = (mode: string, rules: string) => yaml`
  name: mvnet
  region: westeurope
  vnets:
    corp:
      addressSpace: [10.255.0.0/16]
      subnets:
        apps: { addressPrefix: 10.255.1.0/24, networkSecurityGroup: n }
  networkSecurityGroups: { n: {} }
  resources:
    mlw:
      type: Microsoft.MachineLearningServices/workspaces
      storageAccount: lake
      keyVault: kv
      managedNetwork:
        isolationMode: ${mode}
        outboundRules: ${rules}
    lake: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: Disabled }
    kv: { type: Microsoft.KeyVault/vaults }
`;

function network(text: string): Network {
  const loaded = loadYaml(text);
  if (!loaded.scenario) throw new Error(loaded.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return compile(loaded.scenario, loaded.catalog!).network;
}

const approved = network(design('AllowOnlyApprovedOutbound', '{ pypi: { type: FQDN, destination: pypi.org }, blobs: { type: FQDN, destination: "*.blob.core.windows.net" }, queue: { type: PrivateEndpoint, destination: lake, subresourceTarget: queue } }'));
const plain = network(design('AllowOnlyApprovedOutbound', '{}'));
const blobs = network(design('AllowOnlyApprovedOutbound', '{ blobs: { type: FQDN, destination: "*.blob.core.windows.net" } }'));
const open = network(design('AllowInternetOutbound', '{ queue: { type: PrivateEndpoint, destination: lake, subresourceTarget: queue } }'));

function claim(net: Network, kind: 'allow' | 'deny', from: string, to: string, protocol?: string, ports?: string[]): Claim {
  const ref = (text: string) => {
    const r = resolveEndpoint(net.scenario, text);
    if (!r.ok) throw new Error(r.message);
    return r.ref;
  };
  return {
    name: `${kind} ${from} -> ${to}`,
    kind,
    loc: builtinLoc('test'),
    from: ref(from),
    to: ref(to),
    fromText: from,
    toText: to,
    protocols: protocolSet(protocol),
    protocolText: protocol ?? '*',
    ports: ports ? portSet(ports) : IntervalSet.of(0, PORT_MAX),
    portsText: ports?.join(',') ?? '*',
    sourcePorts: IntervalSet.of(0, PORT_MAX),
    adversary: 'default',
  };
}

const check = (net: Network, ...args: Parameters<typeof claim> extends [Network, ...infer R] ? R : never) => checkClaim(net, buildGraph(net), claim(net, ...args));

describe('verdicts from the managed compute', () => {
  it('S6 §2.1: AllowInternetOutbound lets data out; the witness is admitted by the isolation mode, at its line', () => {
    const r = check(open, 'deny', 'managed:mlw', 'internet');
    expect(r.status).toBe('fail');
    const fw = r.witness!.trace.hops.find((h) => h.kind === 'firewall')!;
    expect([fw.ruleId, fw.loc?.line]).toEqual(['mlw/managedNetwork/isolationMode/AllowInternetOutbound', 15]);
  });

  it('MVNET-13: AllowOnlyApprovedOutbound keeps one channel to other tenants, Azure Monitor on TCP 443, and nothing else', () => {
    const r = check(plain, 'deny', 'managed:mlw', 'internet');
    expect(r.status).toBe('fail');
    expect(r.witness!.trace.hops.find((h) => h.kind === 'firewall')!.ruleId).toBe('mlw/managedNetwork/required/MVNET-13');
    expect(check(plain, 'deny', 'managed:mlw', 'internet', 'Udp').status).toBe('pass');
    expect(check(plain, 'deny', 'managed:mlw', 'internet', 'Tcp', ['0-442', '444-65535']).status).toBe('pass');
  });

  it('an FQDN rule to a name outside the design is a path to the adversary (scenario format, "internet")', () => {
    const r = check(approved, 'deny', 'managed:mlw', 'fqdn:pypi.org');
    expect(r.status).toBe('fail');
    expect(r.witness!.trace.hops.find((h) => h.kind === 'firewall')!.ruleId).toBe('mlw/managedNetwork/outboundRules/pypi');
  });

  it('S6: an FQDN rule for Azure Storage makes other tenants\' storage unknown, with the reason', () => {
    const r = check(blobs, 'deny', 'managed:mlw', 'tag:Storage');
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('mlw/managedNetwork/outboundRules/blobs names Azure Storage (*.blob.core.windows.net): S6');
    expect(check(plain, 'deny', 'managed:mlw', 'tag:Storage').status).toBe('pass');
  });

  it('MVNET-12: Microsoft\'s images are certain in the workspace region only', () => {
    expect(check(plain, 'allow', 'managed:mlw', 'tag:MicrosoftContainerRegistry.WestEurope', 'Tcp', ['443']).status).toBe('pass');
    const r = check(plain, 'allow', 'managed:mlw', 'tag:MicrosoftContainerRegistry', 'Tcp', ['443']);
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('mlw/managedNetwork/required/MVNET-12: S6 lists MicrosoftContainerRegistry');
  });

  it('MVNET-02..MVNET-04 and a PrivateEndpoint rule: the storage, its queue and the key vault through the managed endpoints', () => {
    for (const to of ['lake/blob', 'lake/file', 'lake/queue', 'kv']) expect(check(approved, 'allow', 'managed:mlw', to, 'Tcp', ['443']).status, to).toBe('pass');
    expect(check(plain, 'allow', 'managed:mlw', 'lake/queue', 'Tcp', ['443']).status).toBe('fail');
  });

  it('MVNET-15: intents to the managed compute are unknown: Microsoft manages its inbound side', () => {
    const r = check(plain, 'deny', 'internet', 'managed:mlw');
    expect(r.status).toBe('unknown');
    expect(r.reason).toContain('S6 lists an inbound AzureMachineLearning rule (MVNET-15) without its port');
  });
});

describe("the managed network's parts are not the design's", () => {
  it('F5.1.6: the design reaches its resources through its own endpoints only; the managed ones are not in its reach', () => {
    const r = check(plain, 'allow', 'corp/apps', 'lake/blob', 'Tcp', ['443']);
    expect(r.status).toBe('fail');
    expect(r.witness!.trace.delivery).toBeUndefined();
    expect(r.blockers!.map((b) => b.ref?.label)).toContain('lake publicNetworkAccess Disabled');
  });

  it('a CIDR source holds the design\'s interfaces only, never the managed network\'s placeholder addresses', () => {
    const ref = resolveEndpoint(plain.scenario, '10.0.0.0/8');
    if (!ref.ok) throw new Error(ref.message);
    expect(sourcesOf(plain, ref.ref).map((s) => (s.kind === 'nic' ? s.nic.id : s.kind))).toEqual(['subnet:corp/apps']);
  });
});

// ---------------------------------------------------------------------------
// The two engines, packet by packet

/** Values worth testing in each dimension: the ports of the rules, the edges of the tags they name, every name class. */
function interesting(net: Network): number[][] {
  const ips = new Set<number>();
  for (const tag of ['AzureMachineLearning', 'BatchNodeManagement', 'BatchNodeManagement.WestEurope', 'MicrosoftContainerRegistry', 'MicrosoftContainerRegistry.WestEurope', 'AzureMonitor', 'Storage.WestEurope', 'AzureActiveDirectory', 'AzureFrontDoor.FirstParty']) {
    const set = tagAddresses(net, tag);
    for (const [lo, hi] of [...set.intervals()].slice(0, 4)) for (const v of [lo - 1, lo, hi, hi + 1]) ips.add(v >>> 0);
  }
  for (const pe of net.privateEndpoints.values()) ips.add(pe.ip);
  const ports = [0, 22, 79, 80, 81, 442, 443, 444, 445, 1433, 5831, 8080, 65535];
  return [[1, 6, 17], [], ports, [...ips], ports, net.names.map((c) => c.id)];
}

function member(set: IntervalSet, rnd: () => number): number {
  const list = [...set.intervals()];
  const [lo, hi] = list[Math.floor(rnd() * list.length)];
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

function packetsOf(box: Box, values: number[][], rnd: () => number, n: number): Packet[] {
  const inside = box.map((set, dim) => values[dim].filter((v) => set.has(v)));
  return Array.from({ length: n }, () => {
    const v = box.map((set, dim) => (inside[dim].length && rnd() < 0.8 ? inside[dim][Math.floor(rnd() * inside[dim].length)] : member(set, rnd)));
    return { protocol: v[DIM.proto], srcIp: v[DIM.srcIp], srcPort: v[DIM.srcPort], dstIp: v[DIM.dstIp], dstPort: v[DIM.dstPort], dstName: v[DIM.dstName] };
  });
}

describe('the symbolic verifier and the packet simulator agree on managed networks', () => {
  const targets = ['internet', 'tag:Storage', 'tag:AzureMonitor', 'tag:BatchNodeManagement', 'tag:MicrosoftContainerRegistry', 'lake', 'lake/queue', 'kv', 'mlw', 'fqdn:pypi.org', 'corp/apps', '10.254.0.0/16'];
  for (const [label, net] of [['AllowOnlyApprovedOutbound with FQDN rules', approved], ['AllowInternetOutbound', open]] as const) {
    it(`${label}: every sampled packet of ${targets.length} claims from managed:mlw`, () => {
      const graph = buildGraph(net);
      const rnd = prng(20261122);
      const values = interesting(net);
      let packets = 0;
      for (const kind of ['deny', 'allow'] as const) {
        for (const to of targets) {
          const c = claim(net, kind, 'managed:mlw', to);
          const sources = sourcesOf(net, c.from);
          const dest = destinationOf(net, c.to, { forAllow: kind === 'allow', sourceVnets: ['managed:mlw'], sources });
          const { starts, query } = claimStarts(sources, dest, c);
          const prop = propagate(graph, starts, { net });
          let reached = PacketSet.EMPTY;
          for (const d of prop.delivered) reached = reached.union(dest.acceptedPart(d.sink, d.set, c.adversary));
          let undecided = PacketSet.EMPTY;
          for (const u of prop.undecided) undecided = undecided.union(u.set);
          for (const box of query.boxes) {
            for (const p of packetsOf(box, values, rnd, 12)) {
              packets += 1;
              const t = simulate(net, { kind: 'nic', nic: net.managedNetworks.get('mlw')!.compute }, p);
              const simReached = t.verdict === 'delivered' && dest.accepts(t.delivery!, p.dstIp, p.dstName, c.adversary);
              const agree = t.verdict === 'unknown' ? undecided.has(p) && !reached.has(p) : simReached === reached.has(p) && !undecided.has(p);
              expect(agree, `${c.name}: ${describePacket(net, p)}: simulator ${t.verdict} (${t.reason}); verifier ${reached.has(p) ? 'reached' : 'not reached'}${undecided.has(p) ? ', undecided' : ''}`).toBe(true);
            }
          }
        }
      }
      expect(packets).toBeGreaterThan(500);
    });
  }
});
