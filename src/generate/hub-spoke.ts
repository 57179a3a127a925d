/**
 * A deterministic generator of hub-and-spoke landing zones (benchmark family
 * AZ-HS): one hub with Azure Firewall, N spokes peered to it, S subnets per
 * spoke, NSGs with realistic rule mixes (service tags, overlapping
 * prefixes, port lists, shared NSGs), route tables that send everything to
 * the hub firewall, storage accounts behind private endpoints, and intents:
 * an exfiltration intent per subnet and required application flows.
 *
 * Misconfigurations are planted with known ground truth (which lint or
 * diagnostic reports each, which intents fail because of it); `clean: true`
 * gives the clean twin, the same design with every planted spot fixed.
 * The same options give the same bytes.
 */
import { formatIpv4 } from '../net/ipv4.js';

export interface HubSpokeOptions {
  /** Spoke VNets around the hub (Azure allows 500 peerings per VNet). */
  readonly spokes: number;
  /** Subnets per spoke, at most 32 (/25 each in a /20 spoke). */
  readonly subnets: number;
  /** Custom rules per NSG. */
  readonly rules: number;
  /** Firewall policy rules (network and application). */
  readonly firewallRules: number;
  readonly seed: number;
  /** Required-flow intents (allow A -> B on a port). Default 1000. */
  readonly flows?: number;
  /** One NSG per spoke shared by its subnets, instead of one per subnet. */
  readonly sharedNsg?: boolean;
  /** Fraction of subnets that get a VM whose NIC has its own NSG. Default 0. */
  readonly nicNsgFraction?: number;
  /** Custom rules of each NIC-level NSG. Default 50. */
  readonly nicRules?: number;
  /** The clean twin: the same design without the planted misconfigurations. */
  readonly clean?: boolean;
  /** Written as `serviceTags:` (an official ServiceTags_Public file, e.g. from syntheticServiceTags()). */
  readonly serviceTags?: string;
  /** Scenario name. */
  readonly name?: string;
}

export type PlantedKind = 'firewall-bypass' | 'any-to-any' | 'missing-nsg' | 'one-sided-peering' | 'pe-network-policies' | 'wildcard-fqdn';

export interface Planted {
  readonly kind: PlantedKind;
  /** The object at fault, as findings name it (`vnet/subnet`, `nsg/rule`, `policy/group/collection/rule`). */
  readonly target: string;
  /** The lint (TOPO-Lnnn) or loader diagnostic (TOPOnnn) that reports it. */
  readonly reportedBy: string;
  /** Intents that fail because of it, with a witness whose trace names `element`. */
  readonly failingIntents: readonly string[];
  /** Id of the route or rule a witness trace crosses (undefined when the witness is a blocked path). */
  readonly element?: string;
  readonly description: string;
}

export interface GeneratedScenario {
  readonly text: string;
  readonly planted: readonly Planted[];
  /** Intents expected to fail (the union of the planted bugs' failing intents); every other intent passes. */
  readonly expectedFailures: readonly string[];
  readonly exfiltrationIntents: readonly string[];
  readonly flowIntents: readonly string[];
  readonly stats: {
    readonly vnets: number;
    readonly subnets: number;
    readonly nsgs: number;
    readonly nsgRules: number;
    readonly firewallRules: number;
    readonly hosts: number;
    readonly privateEndpoints: number;
    readonly intents: number;
  };
}

// ---------------------------------------------------------------------------
// Deterministic randomness

/** sfc32 seeded through splitmix32: fast, and the same sequence on every platform. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

class Rand {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** k distinct elements, in the order drawn. */
  sample<T>(xs: readonly T[], k: number): T[] {
    const idx = xs.map((_, i) => i);
    const out: T[] = [];
    for (let i = 0; i < Math.min(k, xs.length); i++) {
      const j = i + this.int(idx.length - i);
      [idx[i], idx[j]] = [idx[j], idx[i]];
      out.push(xs[idx[i]]);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------
// Address plan

const BASE = 0x0a000000; // 10.0.0.0
const SPOKE_SIZE = 4096; // /20
const SUBNET_SIZE = 128; // /25
const FIREWALL_IP = '10.0.0.4';
const FIREWALL_PUBLIC_IP = '52.0.0.40';
const REGION = 'eastus';

const cidr = (addr: number, len: number) => `${formatIpv4(addr >>> 0)}/${len}`;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Public prefixes outside every service tag, so verdicts stay exact with the shipped catalog. */
const THREAT_BLOCKS = [0x2d3c0000 /* 45.60.0.0 */, 0x5bc6ae00 /* 91.198.174.0 */, 0xb90f3800 /* 185.15.56.0 */, 0x17000000 /* 23.0.0.0 */];
const PUBLIC_BLOCKS = [0x22000000 /* 34.0.0.0 */, 0x03050000 /* 3.5.0.0 */, 0x40e9a000 /* 64.233.160.0 */];
/** A SaaS range some teams route straight to the Internet: the planted firewall bypass. */
const BYPASS_PREFIX = '162.159.0.0/16';
const ON_PREM = [0xac100000 /* 172.16.0.0 */, 0xc0a80000 /* 192.168.0.0 */];
/** Service tags that reach other tenants (exfiltration channels): NSG rules use them. */
const LARGE_TAGS = ['Storage', 'Sql', 'AzureCloud', 'AzureMonitor', 'AzureKeyVault', 'EventHub'];
/**
 * First-party service tags the firewall may allow without opening a channel
 * out: addresses that only Microsoft's own services serve (AzureActiveDirectory
 * shares front-end addresses with multi-tenant services, so it is not one).
 */
const PLATFORM_TAGS = ['AzureResourceManager', 'MicrosoftContainerRegistry'];
const COMMON_PORTS = [22, 53, 80, 123, 443, 445, 1433, 3306, 3389, 5432, 5671, 6379, 8080, 8443, 9000, 27017];
const PORT_RANGES = ['1024-2047', '49152-65535', '8000-8099', '30000-32767', '5000-5099'];
/** Ports of the required application flows. */
const FLOW_PORTS = [443, 1433, 5432, 6379, 8080, 8443];

interface SpokeInfo {
  readonly index: number;
  readonly name: string;
  readonly base: number;
  readonly subnets: SubnetInfo[];
}

interface SubnetInfo {
  readonly spoke: SpokeInfo;
  readonly name: string;
  readonly id: string;
  readonly base: number;
  readonly prefix: string;
  readonly pe: boolean;
  nsg?: string;
  host?: { name: string; ip: string; nsg: string };
}

interface Flow {
  readonly name: string;
  readonly from: SubnetInfo;
  readonly to: SubnetInfo;
  /** The private endpoint the flow goes to, else the subnet. */
  readonly pe?: string;
  readonly port: number;
}

interface NsgRuleText {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol: string;
  readonly src: readonly string[];
  readonly dst: readonly string[];
  readonly ports: readonly string[];
}

function yamlList(xs: readonly string[]): string {
  return `[${xs.map(yamlScalar).join(', ')}]`;
}

function yamlScalar(s: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(s) && !/^[0-9]+$/.test(s) ? s : `"${s}"`;
}

function ruleYaml(r: NsgRuleText): string {
  return `      - { name: ${r.name}, priority: ${r.priority}, direction: ${r.direction}, access: ${r.access}, protocol: ${yamlScalar(r.protocol)}, sourceAddressPrefixes: ${yamlList(r.src)}, sourcePortRange: "*", destinationAddressPrefixes: ${yamlList(r.dst)}, destinationPortRanges: ${yamlList(r.ports)} }`;
}

function checkOptions(o: HubSpokeOptions): void {
  const int = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${name} must be an integer from ${lo} to ${hi}, not ${v}`);
  };
  int('spokes', o.spokes, 1, 500);
  int('subnets', o.subnets, 1, 32);
  int('rules', o.rules, 0, 1000);
  int('firewallRules', o.firewallRules, 0, 10000);
  int('seed', o.seed, 0, 2 ** 32 - 1);
  int('flows', o.flows ?? 1000, 0, 100000);
  int('nicRules', o.nicRules ?? 50, 0, 1000);
  const f = o.nicNsgFraction ?? 0;
  if (!(f >= 0 && f <= 1)) throw new RangeError(`nicNsgFraction must be from 0 to 1, not ${f}`);
}

export function generateHubSpoke(options: HubSpokeOptions): GeneratedScenario {
  checkOptions(options);
  const o = { flows: 1000, sharedNsg: false, nicNsgFraction: 0, nicRules: 50, clean: false, ...options };
  const rnd = new Rand(prng(o.seed));
  const lines: string[] = [];
  const out = (s: string) => lines.push(s);

  // ---- topology --------------------------------------------------------------------------------------
  const spokes: SpokeInfo[] = [];
  for (let i = 0; i < o.spokes; i++) {
    const base = BASE + (i + 1) * SPOKE_SIZE;
    const spoke: SpokeInfo = { index: i, name: `spoke-${pad(i + 1, 3)}`, base, subnets: [] };
    for (let j = 0; j < o.subnets; j++) {
      const pe = o.subnets >= 2 && j === o.subnets - 1;
      const name = pe ? 'snet-pe' : `snet-${pad(j + 1, 2)}`;
      const sBase = base + j * SUBNET_SIZE;
      spoke.subnets.push({ spoke, name, id: `${spoke.name}/${name}`, base: sBase, prefix: cidr(sBase, 25), pe });
    }
    spokes.push(spoke);
  }
  const allSubnets = spokes.flatMap((s) => s.subnets);
  const workloadSubnets = allSubnets.filter((s) => !s.pe);
  const spokePrefix = (s: SpokeInfo) => cidr(s.base, 20);
  const storageOf = (s: SpokeInfo) => `st${s.name.replace(/-/g, '')}`;
  const peOf = (s: SpokeInfo) => `pe-${s.name}-blob`;
  const peIp = (s: SpokeInfo) => {
    const pe = s.subnets.find((x) => x.pe);
    return pe ? formatIpv4(pe.base + 4) : undefined;
  };

  // ---- where the misconfigurations go: one spoke per kind (more in large designs) -------------------------
  const perKind = Math.max(1, Math.floor(o.spokes / 100));
  const kinds: PlantedKind[] = ['firewall-bypass', 'any-to-any', 'missing-nsg', 'one-sided-peering', 'pe-network-policies', 'wildcard-fqdn'];
  const order = rnd.sample(spokes, spokes.length);
  const plantAt = new Map<PlantedKind, SpokeInfo[]>();
  kinds.forEach((k, ki) => {
    const list: SpokeInfo[] = [];
    for (let n = 0; n < perKind; n++) {
      const s = order[ki + n * kinds.length];
      if (s && (k !== 'pe-network-policies' || s.subnets.some((x) => x.pe))) list.push(s);
    }
    plantAt.set(k, list);
  });
  const isPlanted = (k: PlantedKind, s: SpokeInfo) => !o.clean && (plantAt.get(k) ?? []).includes(s);
  const bypassSubnet = (s: SpokeInfo) => s.subnets[0];
  const missingNsgSubnet = (s: SpokeInfo) => s.subnets[Math.min(1, s.subnets.length - 1)];

  // ---- hosts with NIC-level NSGs ------------------------------------------------------------------------
  for (const s of workloadSubnets) {
    if (o.nicNsgFraction > 0 && rnd.chance(o.nicNsgFraction)) {
      const name = `vm-${s.spoke.name}-${s.name.slice(5)}`;
      s.host = { name, ip: formatIpv4(s.base + 10), nsg: `nsg-${name}` };
    }
  }
  for (const s of allSubnets) s.nsg = o.sharedNsg ? `nsg-${s.spoke.name}` : `nsg-${s.spoke.name}-${s.name.slice(5)}`;

  // ---- required flows ----------------------------------------------------------------------------------------
  const flows: Flow[] = [];
  const flowKeys = new Set<string>();
  for (let tries = 0; flows.length < o.flows && workloadSubnets.length > 0 && tries < o.flows * 20; tries++) {
    const from = rnd.pick(workloadSubnets);
    let to: SubnetInfo;
    let pe: string | undefined;
    const r = rnd.next();
    if (r < 0.1 && from.spoke.subnets.some((x) => x.pe)) {
      to = from.spoke.subnets.find((x) => x.pe)!;
      pe = peOf(from.spoke);
    } else if (r < 0.3) to = rnd.pick(from.spoke.subnets.filter((x) => !x.pe));
    else to = rnd.pick(workloadSubnets);
    const port = pe ? 443 : rnd.pick(FLOW_PORTS);
    const key = `${from.id}>${pe ?? to.id}:${port}`;
    if (flowKeys.has(key)) continue;
    flowKeys.add(key);
    flows.push({ name: `flow-${pad(flows.length + 1, 5)}-${from.spoke.name}-${from.name.slice(5)}-to-${to.spoke.name}-${to.name.slice(5)}-${port}`, from, to, pe, port });
  }
  const crossesFirewall = (f: Flow) => f.from.spoke !== f.to.spoke;

  // ---- ground truth ------------------------------------------------------------------------------------------
  const exfilName = (s: SubnetInfo) => `no-exfiltration-${s.spoke.name}-${s.name.slice(5)}`;
  const planted: Planted[] = [];
  if (!o.clean) {
    for (const s of plantAt.get('firewall-bypass')!) {
      const sub = bypassSubnet(s);
      planted.push({ kind: 'firewall-bypass', target: sub.id, reportedBy: 'intent', failingIntents: [exfilName(sub)], element: `rt-${sub.spoke.name}-${sub.name.slice(5)}-breakout/saas-direct`, description: `${sub.id} routes ${BYPASS_PREFIX} straight to the Internet, around the hub firewall` });
    }
    for (const s of plantAt.get('any-to-any')!) {
      const nsg = s.subnets[0].nsg!;
      planted.push({ kind: 'any-to-any', target: `${nsg}/allow-any-inbound`, reportedBy: 'TOPO-L005', failingIntents: [], description: `${nsg} allows any source to any destination on every port, above its deny rules` });
    }
    for (const s of plantAt.get('missing-nsg')!) {
      const sub = missingNsgSubnet(s);
      planted.push({ kind: 'missing-nsg', target: sub.id, reportedBy: 'TOPO-L001', failingIntents: [], description: `${sub.id} has no NSG` });
    }
    for (const s of plantAt.get('one-sided-peering')!) {
      const failing = flows.filter((f) => crossesFirewall(f) && (f.from.spoke === s || f.to.spoke === s)).map((f) => f.name);
      planted.push({ kind: 'one-sided-peering', target: `${s.name}/${s.name}-to-hub`, reportedBy: 'TOPO300', failingIntents: failing, description: `the hub declares no peering back to ${s.name}` });
    }
    for (const s of plantAt.get('pe-network-policies')!) {
      const sub = s.subnets.find((x) => x.pe)!;
      planted.push({ kind: 'pe-network-policies', target: sub.id, reportedBy: 'TOPO-L008', failingIntents: [], description: `${sub.id} holds a private endpoint with network policies disabled` });
    }
    for (const s of plantAt.get('wildcard-fqdn')!) {
      planted.push({ kind: 'wildcard-fqdn', target: `hub-policy/application/web-egress/blob-${s.name}`, reportedBy: 'TOPO-L013', failingIntents: s.subnets.map(exfilName), element: `hub-policy/application/web-egress/blob-${s.name}`, description: `the firewall allows ${s.name} to *.blob.core.windows.net: any tenant's storage account` });
    }
  }
  const expectedFailures = [...new Set(planted.flatMap((p) => p.failingIntents))].sort();

  // ---- header ----------------------------------------------------------------------------------------------------
  const name = o.name ?? `az-hs-n${o.spokes}-s${o.subnets}-r${o.rules}-f${o.firewallRules}-seed${o.seed}${o.clean ? '-clean' : ''}`;
  out('# yaml-language-server: $schema=https://unpkg.com/topo-azure/schema/scenario.schema.json');
  out(`# Generated by topo generate hub-spoke --spokes ${o.spokes} --subnets ${o.subnets} --rules ${o.rules} --firewall-rules ${o.firewallRules} --seed ${o.seed}${o.flows !== 1000 ? ` --flows ${o.flows}` : ''}${o.sharedNsg ? ' --shared-nsg' : ''}${o.nicNsgFraction ? ` --nic-nsg-fraction ${o.nicNsgFraction}` : ''}${o.nicNsgFraction && o.nicRules !== 50 ? ` --nic-rules ${o.nicRules}` : ''}${o.clean ? ' --clean' : ''}`);
  if (planted.length > 0) {
    out('# Planted misconfigurations (ground truth):');
    for (const p of planted) out(`#   ${p.kind}: ${p.description} (${p.reportedBy === 'intent' ? 'a failing intent' : p.reportedBy})`);
  }
  out(`name: ${name}`);
  out(`description: Hub-and-spoke landing zone, ${o.spokes} spokes x ${o.subnets} subnets, generated (family AZ-HS).`);
  out(`region: ${REGION}`);
  if (o.serviceTags) out(`serviceTags: ${yamlScalar(o.serviceTags)}`);
  out('');

  // ---- VNets ----------------------------------------------------------------------------------------------------
  out('vnets:');
  out('  hub:');
  out(`    addressSpace: [${cidr(BASE, 20)}]`);
  out('    subnets:');
  out(`      AzureFirewallSubnet: { addressPrefix: ${cidr(BASE, 26)} }`);
  out('    peerings:');
  for (const s of spokes) {
    if (isPlanted('one-sided-peering', s)) continue;
    out(`      hub-to-${s.name}: { remoteVirtualNetwork: ${s.name}, allowForwardedTraffic: true }`);
  }
  for (const s of spokes) {
    out(`  ${s.name}:`);
    out(`    addressSpace: [${spokePrefix(s)}]`);
    out('    subnets:');
    for (const sub of s.subnets) {
      const fields = [`addressPrefix: ${sub.prefix}`];
      if (!(isPlanted('missing-nsg', s) && sub === missingNsgSubnet(s))) fields.push(`networkSecurityGroup: ${sub.nsg}`);
      fields.push(`routeTable: ${isPlanted('firewall-bypass', s) && sub === bypassSubnet(s) ? `rt-${s.name}-${sub.name.slice(5)}-breakout` : `rt-${s.name}`}`);
      // The planted bypass subnet also keeps Azure's default outbound access, its way out.
      if (!(isPlanted('firewall-bypass', s) && sub === bypassSubnet(s))) fields.push('defaultOutboundAccess: false');
      if (sub.pe) fields.push(`privateEndpointNetworkPolicies: ${isPlanted('pe-network-policies', s) ? 'Disabled' : 'Enabled'}`);
      out(`      ${sub.name}: { ${fields.join(', ')} }`);
    }
    out('    peerings:');
    out(`      ${s.name}-to-hub: { remoteVirtualNetwork: hub, allowForwardedTraffic: true }`);
  }
  out('');

  // ---- NSGs ------------------------------------------------------------------------------------------------------------
  const onPremPrefix = () => cidr(rnd.pick(ON_PREM) + rnd.int(64) * 256, 24);
  const publicPrefix = () => {
    const len = 24 + rnd.int(9);
    const size = 2 ** (32 - len);
    return cidr(rnd.pick(PUBLIC_BLOCKS) + rnd.int(256) * 256 + Math.floor(rnd.int(256) / size) * size, len);
  };
  const otherSubnets = () => rnd.sample(allSubnets, 1 + rnd.int(3)).map((x) => x.prefix);
  const peerSide = (): string[] => {
    const r = rnd.next();
    if (r < 0.45) return otherSubnets();
    if (r < 0.6) return rnd.sample(spokes, 1 + rnd.int(2)).map(spokePrefix);
    if (r < 0.7) return [onPremPrefix()];
    if (r < 0.85) return [publicPrefix()];
    if (r < 0.9) return [rnd.pick(LARGE_TAGS)];
    if (r < 0.95) return ['VirtualNetwork'];
    return ['Internet'];
  };
  const ownSide = (subs: readonly SubnetInfo[]): string[] => {
    const r = rnd.next();
    if (r < 0.4) return [rnd.pick(subs).prefix];
    if (r < 0.75) return [spokePrefix(subs[0].spoke)];
    return ['*'];
  };
  const randomPorts = (): string[] => {
    if (rnd.chance(0.85)) return rnd.sample(COMMON_PORTS, 1 + rnd.int(4)).sort((a, b) => a - b).map(String);
    return [rnd.pick(PORT_RANGES)];
  };
  const randomProtocol = () => {
    const r = rnd.next();
    return r < 0.6 ? 'Tcp' : r < 0.85 ? 'Udp' : '*';
  };
  /** `count` rules of the random mix from `priority` on. */
  const randomRules = (subs: readonly SubnetInfo[], count: number, start: number): NsgRuleText[] => {
    const rules: NsgRuleText[] = [];
    const step = Math.max(1, Math.min(10, Math.floor((4000 - start) / Math.max(1, count))));
    let priority = start;
    for (let n = 0; n < count; n++) {
      const direction = rnd.chance(0.5) ? 'Outbound' : 'Inbound';
      const own = ownSide(subs);
      const peer = peerSide();
      const access = rnd.chance(0.7) ? 'Allow' : 'Deny';
      rules.push({ name: `${access === 'Allow' ? 'allow' : 'deny'}-${direction === 'Inbound' ? 'in' : 'out'}-${pad(priority, 4)}`, priority, direction, access, protocol: randomProtocol(), src: direction === 'Outbound' ? own : peer, dst: direction === 'Outbound' ? peer : own, ports: randomPorts() });
      priority += 1 + rnd.int(step);
    }
    return rules;
  };
  /** Custom rules of one NSG: the application flows first, then the random mix, by priority. */
  const nsgRules = (subs: readonly SubnetInfo[], count: number, planted: { anyToAny: boolean; clean: boolean }): NsgRuleText[] => {
    const rules: NsgRuleText[] = [];
    const inSet = new Set(subs);
    const outFlows = flows.filter((f) => inSet.has(f.from));
    const inFlows = flows.filter((f) => inSet.has(f.to));
    const uniq = (xs: string[]) => [...new Set(xs)].sort();
    const portsOf = (fs: Flow[]) => [...new Set(fs.map((f) => f.port))].sort((a, b) => a - b).map(String);
    if (outFlows.length > 0 && rules.length < count) {
      rules.push({ name: 'allow-app-outbound', priority: 100, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', src: uniq(outFlows.map((f) => f.from.prefix)), dst: uniq(outFlows.map((f) => f.to.prefix)), ports: portsOf(outFlows) });
    }
    if (inFlows.length > 0 && rules.length < count) {
      rules.push({ name: 'allow-app-inbound', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', src: uniq(inFlows.map((f) => f.from.prefix)), dst: uniq(inFlows.map((f) => f.to.prefix)), ports: portsOf(inFlows) });
    }
    if (rules.length < count) {
      // HTTPS out, left to the hub firewall to filter (the default route sends it there).
      rules.push({ name: 'allow-https-outbound', priority: 120, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', src: uniq(subs.map((x) => x.prefix)), dst: ['Internet'], ports: ['443'] });
    }
    if (rules.length < count) {
      // The planted rule, or its clean twin: the same slot, scoped to the spoke and HTTPS.
      const spoke = spokePrefix(subs[0].spoke);
      if (planted.anyToAny) rules.push({ name: 'allow-any-inbound', priority: 150, direction: 'Inbound', access: 'Allow', protocol: '*', src: ['*'], dst: ['*'], ports: ['*'] });
      else if (planted.clean) rules.push({ name: 'allow-any-inbound', priority: 150, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', src: [spoke], dst: [spoke], ports: ['443'] });
    }
    rules.push(...randomRules(subs, count - rules.length, 200));
    return rules;
  };
  /** NIC-level rules: the application ports within the private space first, management from the hub, then the mix. */
  const nicRules = (sub: SubnetInfo, count: number): NsgRuleText[] => {
    const ports = FLOW_PORTS.map(String);
    const rules: NsgRuleText[] = [];
    if (rules.length < count) rules.push({ name: 'allow-app-outbound', priority: 100, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', src: [sub.prefix], dst: ['10.0.0.0/8'], ports });
    if (rules.length < count) rules.push({ name: 'allow-app-inbound', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', src: ['10.0.0.0/8'], dst: [sub.prefix], ports });
    if (rules.length < count) rules.push({ name: 'deny-mgmt-internet', priority: 120, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', src: ['Internet'], dst: ['*'], ports: ['22', '3389'] });
    return [...rules, ...randomRules([sub], count - rules.length, 200)];
  };

  let nsgCount = 0;
  let nsgRuleCount = 0;
  out('networkSecurityGroups:');
  const nsgGroups = new Map<string, SubnetInfo[]>();
  for (const s of allSubnets) nsgGroups.set(s.nsg!, [...(nsgGroups.get(s.nsg!) ?? []), s]);
  for (const [nsg, subs] of nsgGroups) {
    const spoke = subs[0].spoke;
    // A missing NSG leaves no unattached NSG behind (one NSG per subnet).
    if (!o.sharedNsg && isPlanted('missing-nsg', spoke) && subs[0] === missingNsgSubnet(spoke)) continue;
    const anyToAny = isPlanted('any-to-any', spoke) && subs[0] === spoke.subnets[0];
    const twin = o.clean && (plantAt.get('any-to-any') ?? []).includes(spoke) && subs[0] === spoke.subnets[0];
    const rules = nsgRules(subs, o.rules, { anyToAny, clean: twin });
    nsgCount += 1;
    nsgRuleCount += rules.length;
    out(`  ${nsg}:`);
    if (rules.length === 0) {
      out('    securityRules: []');
      continue;
    }
    out('    securityRules:');
    for (const r of rules) out(ruleYaml(r));
  }
  for (const sub of allSubnets) {
    if (!sub.host) continue;
    const rules = nicRules(sub, o.nicRules);
    nsgCount += 1;
    nsgRuleCount += rules.length;
    out(`  ${sub.host.nsg}:`);
    if (rules.length === 0) {
      out('    securityRules: []');
      continue;
    }
    out('    securityRules:');
    for (const r of rules) out(ruleYaml(r));
  }
  out('');

  // ---- route tables -------------------------------------------------------------------------------------------------------
  out('routeTables:');
  const hubRoutes = [
    `      - { name: default-to-firewall, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: ${FIREWALL_IP} }`,
    `      - { name: private-to-firewall, addressPrefix: 10.0.0.0/8, nextHopType: VirtualAppliance, nextHopIpAddress: ${FIREWALL_IP} }`,
    `      - { name: on-premises-to-firewall, addressPrefix: 172.16.0.0/12, nextHopType: VirtualAppliance, nextHopIpAddress: ${FIREWALL_IP} }`,
  ];
  for (const s of spokes) {
    out(`  rt-${s.name}:`);
    out('    disableBgpRoutePropagation: true');
    out('    routes:');
    for (const r of hubRoutes) out(r);
    if (isPlanted('firewall-bypass', s)) {
      const sub = bypassSubnet(s);
      out(`  rt-${s.name}-${sub.name.slice(5)}-breakout:`);
      out('    disableBgpRoutePropagation: true');
      out('    routes:');
      for (const r of hubRoutes) out(r);
      out(`      - { name: saas-direct, addressPrefix: ${BYPASS_PREFIX}, nextHopType: Internet }`);
    }
  }
  out('');

  // ---- firewall --------------------------------------------------------------------------------------------------------------
  interface FwRule {
    readonly text: string;
  }
  const collections: { group: 'platform' | 'spokes' | 'application'; name: string; priority: number; action: 'Allow' | 'Deny'; rules: FwRule[] }[] = [];
  const net = (name: string, protocols: string[], src: string[], dst: string[], ports: string[]): FwRule => ({ text: `              - { name: ${name}, ruleType: NetworkRule, ipProtocols: ${yamlList(protocols)}, sourceAddresses: ${yamlList(src)}, destinationAddresses: ${yamlList(dst)}, destinationPorts: ${yamlList(ports)} }` });
  const app = (name: string, src: string[], fqdns: string[]): FwRule => ({ text: `              - { name: ${name}, ruleType: ApplicationRule, sourceAddresses: ${yamlList(src)}, protocols: [{ protocolType: Https, port: 443 }], targetFqdns: ${yamlList(fqdns)} }` });
  let budget = o.firewallRules;
  const take = (n: number) => {
    const k = Math.max(0, Math.min(n, budget));
    budget -= k;
    return k;
  };
  // Threat denies first (public destinations only, so they never touch east-west flows).
  const threats = { group: 'platform' as const, name: 'deny-threat-intel', priority: 100, action: 'Deny' as const, rules: [] as FwRule[] };
  for (let k = take(Math.max(1, Math.floor(o.firewallRules * 0.05))); k > 0; k--) {
    const len = 24 + rnd.int(9);
    const size = 2 ** (32 - len);
    threats.rules.push(net(`threat-${pad(threats.rules.length + 1, 4)}`, ['Any'], ['10.0.0.0/8'], [cidr(rnd.pick(THREAT_BLOCKS) + rnd.int(64) * 256 + Math.floor(rnd.int(256) / size) * size, len)], ['*']));
  }
  collections.push(threats);
  // The application flows between spokes, one rule per source spoke.
  const eastWest = { group: 'spokes' as const, name: 'east-west-apps', priority: 100, action: 'Allow' as const, rules: [] as FwRule[] };
  for (const s of spokes) {
    const fs = flows.filter((f) => f.from.spoke === s && crossesFirewall(f));
    if (fs.length === 0) continue;
    if (take(1) === 0) break;
    eastWest.rules.push(net(`apps-from-${s.name}`, ['TCP'], [spokePrefix(s)], [...new Set(fs.map((f) => f.to.prefix))].sort(), [...new Set(fs.map((f) => f.port))].sort((a, b) => a - b).map(String)));
  }
  collections.push(eastWest);
  // First-party services: the only public destinations the firewall lets out (an egress allow list).
  const platform = { group: 'platform' as const, name: 'azure-platform', priority: 200, action: 'Allow' as const, rules: [] as FwRule[] };
  const web = { group: 'application' as const, name: 'web-egress', priority: 100, action: 'Allow' as const, rules: [] as FwRule[] };
  // The planted wildcard storage rule, or its clean twin naming the spoke's own account.
  for (const s of plantAt.get('wildcard-fqdn') ?? []) {
    if (take(1) === 0) break;
    web.rules.push(app(`blob-${s.name}`, [spokePrefix(s)], [o.clean ? `${storageOf(s)}.blob.core.windows.net` : '*.blob.core.windows.net']));
  }
  // The rest: ten or more collections of random rules, 90 % allow.
  const randomCollections: { group: 'platform' | 'spokes' | 'application'; name: string; priority: number; action: 'Allow' | 'Deny'; rules: FwRule[] }[] = [];
  const extra = 6;
  for (let c = 0; c < extra; c++) randomCollections.push({ group: 'spokes', name: `apps-${pad(c + 1, 2)}`, priority: 300 + c * 10, action: 'Allow', rules: [] });
  const denyEastWest = { group: 'spokes' as const, name: 'deny-east-west', priority: 900, action: 'Deny' as const, rules: [] as FwRule[] };
  const fwSource = (): string[] => {
    const r = rnd.next();
    if (r < 0.3) return [rnd.pick(allSubnets).prefix];
    if (r < 0.6) return [spokePrefix(rnd.pick(spokes))];
    if (r < 0.8) return rnd.sample(spokes, Math.min(10, spokes.length)).map(spokePrefix).sort();
    return ['10.0.0.0/8'];
  };
  let n = 0;
  for (let k = budget; k > 0; k--) {
    n += 1;
    const kind = rnd.next();
    const ports = randomPorts();
    const protocols = [rnd.pick(['TCP', 'TCP', 'UDP', 'Any'])];
    if (kind < 0.1) denyEastWest.rules.push(net(`deny-${pad(n, 4)}`, protocols, fwSource(), rnd.chance(0.5) ? [rnd.pick(allSubnets).prefix] : [spokePrefix(rnd.pick(spokes))], ports));
    else if (kind < 0.25) platform.rules.push(net(`platform-${pad(n, 4)}`, ['TCP'], fwSource(), rnd.sample(PLATFORM_TAGS, 1 + rnd.int(2)).sort(), ['443']));
    else if (kind < 0.42) {
      const s = rnd.pick(spokes);
      web.rules.push(app(`own-storage-${pad(n, 4)}`, [spokePrefix(s)], [`${storageOf(s)}.blob.core.windows.net`]));
    } else {
      const dst = rnd.chance(0.6) ? rnd.sample(allSubnets, 1 + rnd.int(3)).map((x) => x.prefix).sort() : [rnd.chance(0.5) ? spokePrefix(rnd.pick(spokes)) : cidr(rnd.pick(ON_PREM) + rnd.int(64) * 256, 24)];
      rnd.pick(randomCollections).rules.push(net(`app-${pad(n, 4)}`, protocols, fwSource(), dst, ports));
    }
  }
  collections.push(platform, web, ...randomCollections, denyEastWest);
  let fwRuleCount = 0;
  out('firewallPolicies:');
  out('  hub-policy:');
  out('    threatIntelMode: Alert');
  out(collections.some((c) => c.rules.length > 0) ? '    ruleCollectionGroups:' : '    ruleCollectionGroups: []');
  const groups: ['platform' | 'spokes' | 'application', number][] = [
    ['platform', 100],
    ['spokes', 200],
    ['application', 300],
  ];
  for (const [group, priority] of groups) {
    const cs = collections.filter((c) => c.group === group && c.rules.length > 0);
    if (cs.length === 0) continue;
    out(`      - name: ${group}`);
    out(`        priority: ${priority}`);
    out('        ruleCollections:');
    for (const c of cs) {
      out(`          - name: ${c.name}`);
      out(`            priority: ${c.priority}`);
      out('            ruleCollectionType: FirewallPolicyFilterRuleCollection');
      out(`            action: ${c.action}`);
      out('            rules:');
      for (const r of c.rules) out(r.text);
      fwRuleCount += c.rules.length;
    }
  }
  out('firewalls:');
  out(`  hub-fw: { vnet: hub, privateIpAddress: ${FIREWALL_IP}, publicIpAddresses: [${FIREWALL_PUBLIC_IP}], firewallPolicy: hub-policy }`);
  out('');

  // ---- hosts, storage, private endpoints ------------------------------------------------------------------
  const hosts = allSubnets.filter((s) => s.host);
  if (hosts.length > 0) {
    out('hosts:');
    for (const s of hosts) out(`  ${s.host!.name}: { subnet: ${s.id}, privateIpAddress: ${s.host!.ip}, networkSecurityGroup: ${s.host!.nsg} }`);
    out('');
  }
  const withPe = spokes.filter((s) => s.subnets.some((x) => x.pe));
  out('resources:');
  for (const s of spokes) out(`  ${storageOf(s)}: { type: Microsoft.Storage/storageAccounts, publicNetworkAccess: Disabled }`);
  out('');
  if (withPe.length > 0) {
    out('privateEndpoints:');
    for (const s of withPe) out(`  ${peOf(s)}: { subnet: ${s.name}/snet-pe, privateIpAddress: ${peIp(s)}, resource: ${storageOf(s)}, groupId: blob }`);
    out('');
  }

  // ---- intents ---------------------------------------------------------------------------------------------------------------
  out('intents:');
  const exfiltrationIntents: string[] = [];
  for (const s of allSubnets) {
    const n1 = exfilName(s);
    exfiltrationIntents.push(n1);
    out(`  - { name: ${n1}, deny: { from: ${s.id}, to: internet } }`);
  }
  const flowIntents: string[] = [];
  for (const f of flows) {
    flowIntents.push(f.name);
    out(`  - { name: ${f.name}, allow: { from: ${f.from.id}, to: ${f.pe ?? f.to.id}, protocol: Tcp, ports: [${f.port}] } }`);
  }
  const text = `${lines.join('\n')}\n`;
  return {
    text,
    planted,
    expectedFailures,
    exfiltrationIntents,
    flowIntents,
    stats: {
      vnets: spokes.length + 1,
      subnets: allSubnets.length + 1,
      nsgs: nsgCount,
      nsgRules: nsgRuleCount,
      firewallRules: fwRuleCount,
      hosts: hosts.length,
      privateEndpoints: withPe.length,
      intents: exfiltrationIntents.length + flowIntents.length,
    },
  };
}

/**
 * An official-format ServiceTags_Public file with the tags the generator
 * writes, a few prefixes each, for exact verdicts without the shipped
 * catalog's approximation (and for SMT cross-checks, which need exact tags).
 */
export function syntheticServiceTags(): string {
  const tag = (name: string, prefixes: string[], region = '') => ({
    name,
    id: name,
    properties: { changeNumber: 1, region, regionId: 0, platform: 'Azure', systemService: name.split('.')[0], addressPrefixes: prefixes, networkFeatures: ['API', 'NSG', 'UDR', 'FW'] },
  });
  const values = [
    tag('AzureCloud', ['20.0.0.0/8', '40.64.0.0/10']),
    tag('AzureCloud.eastus', ['20.0.0.0/9', '40.64.0.0/11'], 'eastus'),
    tag('Storage', ['20.60.0.0/16', '20.150.0.0/16', '20.38.96.0/19']),
    tag('Storage.EastUS', ['20.60.0.0/17'], 'eastus'),
    tag('Sql', ['20.40.0.0/16', '20.140.0.0/16']),
    tag('Sql.EastUS', ['20.40.0.0/17'], 'eastus'),
    tag('AzureMonitor', ['20.47.0.0/24', '20.47.16.0/20']),
    tag('AzureKeyVault', ['20.46.0.0/24']),
    tag('EventHub', ['20.48.0.0/24', '20.48.64.0/18']),
    tag('AzureActiveDirectory', ['40.126.0.0/18', '20.190.128.0/18']),
    tag('AzureResourceManager', ['40.79.128.0/20', '20.37.128.0/18']),
    tag('MicrosoftContainerRegistry', ['20.42.0.0/24']),
  ];
  return `${JSON.stringify({ changeNumber: 1, cloud: 'Public', values }, null, 1)}\n`;
}
