/**
 * Random small Azure designs for the engine cross-checks: 1-3 VNets with
 * 1-4 subnets each, hosts, NSGs whose rules come from SMALL pools of
 * prefixes, ports and protocols (so rules overlap often), route tables, an
 * optional hub Azure Firewall, a storage account with a private endpoint,
 * service endpoints, NAT gateways and public IPs. Every scenario is meant to
 * load without errors; `loadGenerated` fails loudly when one does not, so a
 * generator bug cannot hide as a skipped case.
 *
 * Designs use a small official-format service tags file by default
 * (test/fixtures/property/service-tags-small.json): the catalog is then exact,
 * tags are a handful of prefixes, and the SMT oracle can encode them.
 */
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { compile } from '../../src/model/compile.js';
import type { Network } from '../../src/model/types.js';
import { loadScenario } from '../../src/scenario/load.js';
import { hasErrors } from '../../src/scenario/diagnostics.js';
import { packageRoot } from '../../src/util/package-root.js';
import { describeDiagnostic, writeFixture } from '../helpers/scenario-fixture.js';

export const SMALL_TAGS = resolve(packageRoot(), 'test/fixtures/property/service-tags-small.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/** What the properties need to know about a generated design besides its YAML. */
export interface GeneratedDesign {
  readonly doc: Obj;
  readonly vnets: readonly string[];
  readonly subnets: readonly string[];
  readonly hosts: readonly string[];
  /** Hosts with a public IP. */
  readonly publicHosts: readonly string[];
  readonly storage?: string;
  readonly privateEndpoint?: string;
  readonly firewall?: string;
  readonly externals: readonly string[];
  /** Which catalog the design is written for. */
  readonly catalog: 'small' | 'shipped';
}

export interface GeneratorOptions {
  /** Largest number of custom rules per NSG (default 30). */
  readonly maxRules?: number;
  /** Write for the shipped compact catalog (only private literals, so verdicts stay exact). */
  readonly catalog?: 'small' | 'shipped';
  /** How often (percent) the design has a hub Azure Firewall (default 45). */
  readonly firewallPercent?: number;
  /** How often (percent) a firewall with a public address has DNAT rules to hosts (default 0: no draws). */
  readonly dnatPercent?: number;
}

const PORTS: Json[] = ['*', '22', '80', '443', '1000-2000', '3389', '53', ['80', '443'], ['22', '1000-2000']];
const SRC_PORTS: Json[] = ['*', '*', '*', '*', '1000-2000', '443', '0-1023'];
const PROTOCOLS = ['Tcp', 'Tcp', 'Udp', 'Icmp', '*', '*', 'Esp'];
const HOST_OCTETS = [4, 5, 10, 100, 254];

const hasPublicLiterals = (c: 'small' | 'shipped') => c === 'small';

export function designArbitrary(opts: GeneratorOptions = {}): fc.Arbitrary<GeneratedDesign> {
  const maxRules = opts.maxRules ?? 30;
  const catalog = opts.catalog ?? 'small';
  const firewallPercent = opts.firewallPercent ?? 45;
  const dnatPercent = opts.dnatPercent ?? 0;
  return fc.gen().map((g) => build(g, maxRules, catalog, firewallPercent, dnatPercent));
}

type Gen = fc.GeneratorValue;

function pick<T>(g: Gen, list: readonly T[]): T {
  return list[g(fc.integer, { min: 0, max: list.length - 1 })];
}

function chance(g: Gen, percent: number): boolean {
  return g(fc.integer, { min: 0, max: 99 }) < percent;
}

function subsetOf<T>(g: Gen, list: readonly T[], percent: number): T[] {
  return list.filter(() => chance(g, percent));
}

function build(g: Gen, maxRules: number, catalog: 'small' | 'shipped', firewallPercent: number, dnatPercent: number): GeneratedDesign {
  const withFirewall = chance(g, firewallPercent);
  const vnetCount = withFirewall && chance(g, 50) ? 3 : g(fc.integer, { min: 1, max: 3 });
  // Half the firewall designs follow the hub-and-spoke recipe (F3.4): spokes peered with the hub, 0/0 to the firewall.
  const hubSpoke = withFirewall && vnetCount >= 2 && chance(g, 50);
  const vnets: Obj = {};
  const vnetNames: string[] = [];
  const subnetIds: string[] = [];
  const subnetPrefix = new Map<string, string>();
  const hosts: Obj = {};
  const hostNames: string[] = [];
  const publicHosts: string[] = [];
  const hostIp = new Map<string, string>();
  const hostVnet = new Map<string, number>();
  const docs: Obj = { name: 'generated', region: 'eastus' };
  if (catalog === 'small') docs.serviceTags = './service-tags-small.json';

  // ---- VNets, subnets, hosts -------------------------------------------------------------
  for (let i = 0; i < vnetCount; i++) {
    const name = `v${i}`;
    vnetNames.push(name);
    const subnets: Obj = {};
    const n = g(fc.integer, { min: 1, max: 4 });
    for (let j = 1; j <= n; j++) {
      const id = `${name}/s${j}`;
      const prefix = `10.${i}.${j}.0/24`;
      subnetIds.push(id);
      subnetPrefix.set(id, prefix);
      subnets[`s${j}`] = { addressPrefix: prefix };
      const count = g(fc.integer, { min: 0, max: 2 });
      const octets = subsetOf(g, HOST_OCTETS, 50).slice(0, count);
      for (const o of octets) {
        const h = `h${i}${j}x${o}`;
        const ip = `10.${i}.${j}.${o}`;
        const host: Obj = { subnet: id, privateIpAddress: ip };
        hostNames.push(h);
        hostIp.set(h, ip);
        hostVnet.set(h, i);
        if (chance(g, 30)) {
          host.publicIpAddress = `198.51.100.${10 + hostNames.length}`;
          if (chance(g, 40)) host.publicIpSku = pick(g, ['Standard', 'Basic']);
          publicHosts.push(h);
        }
        hosts[h] = host;
      }
    }
    if (i === 0 && withFirewall) subnets.AzureFirewallSubnet = { addressPrefix: '10.0.250.0/26' };
    vnets[name] = { addressSpace: [`10.${i}.0.0/16`], subnets };
  }
  // Peerings: each pair none, both ways, or one-sided; flags random (sometimes left to defaults).
  for (let i = 0; i < vnetCount; i++) {
    for (let k = i + 1; k < vnetCount; k++) {
      // With a hub firewall, spokes mostly peer with the hub both ways (F3.4), so transit through it is common.
      // Spokes of a hub are rarely peered with each other: their traffic transits the firewall.
      const mode = (hubSpoke && i === 0) || (withFirewall && i === 0 && chance(g, 70)) ? 'both' : hubSpoke && chance(g, 70) ? 'none' : pick(g, ['none', 'both', 'both', 'both', 'ik', 'ki']);
      const link = (from: number, to: number) => {
        const p: Obj = { remoteVirtualNetwork: `v${to}` };
        const fwd = pick(g, [true, false, undefined]);
        if (fwd !== undefined) p.allowForwardedTraffic = fwd;
        if (chance(g, 15)) p.allowVirtualNetworkAccess = false;
        const peerings = ((vnets[`v${from}`] as Obj).peerings ??= {}) as Obj;
        peerings[`v${from}-to-v${to}`] = p;
      };
      if (mode === 'both' || mode === 'ik') link(i, k);
      if (mode === 'both' || mode === 'ki') link(k, i);
    }
  }
  docs.vnets = vnets;

  // ---- Storage, private endpoint, service endpoints ------------------------------------------
  let storage: string | undefined;
  let peName: string | undefined;
  const seSubnets: string[] = [];
  if (chance(g, 60)) {
    storage = 'stdata';
    const res: Obj = { type: 'Microsoft.Storage/storageAccounts' };
    const pna = pick(g, ['Enabled', 'Disabled', undefined]);
    if (pna) res.publicNetworkAccess = pna;
    for (const id of subnetIds) {
      if (!chance(g, 25)) continue;
      const [v, s] = id.split('/');
      const sub = ((vnets[v] as Obj).subnets as Obj)[s] as Obj;
      sub.serviceEndpoints = ['Microsoft.Storage'];
      seSubnets.push(id);
      if (chance(g, 30)) sub.serviceEndpointPolicies = [{ resources: [pick(g, [storage, storage])] }];
    }
    if (chance(g, 60)) {
      const acls: Obj = { defaultAction: pick(g, ['Allow', 'Deny']) };
      if (chance(g, 40)) acls.ipRules = ['203.0.113.0/24'];
      const vnr = subsetOf(g, seSubnets, 60);
      if (vnr.length) acls.virtualNetworkRules = vnr;
      res.networkAcls = acls;
    }
    docs.resources = { [storage]: res };
    if (chance(g, 70)) {
      const id = pick(g, subnetIds);
      const [v, s] = id.split('/');
      const sub = ((vnets[v] as Obj).subnets as Obj)[s] as Obj;
      const policies = pick(g, ['Disabled', 'Enabled', 'NetworkSecurityGroupEnabled', 'RouteTableEnabled', undefined]);
      if (policies) sub.privateEndpointNetworkPolicies = policies;
      peName = 'pe-blob';
      const pe: Obj = { subnet: id, privateIpAddress: subnetPrefix.get(id)!.replace(/0\/24$/, '200'), resource: storage, groupId: 'blob' };
      if (chance(g, 15)) pe.connectionState = 'Pending';
      docs.privateEndpoints = { [peName]: pe };
    }
  }

  // ---- Egress: defaultOutboundAccess, NAT gateway -------------------------------------------------
  const natSubnet = chance(g, 20) ? pick(g, subnetIds) : undefined;
  if (natSubnet) docs.natGateways = { nat1: { publicIpAddresses: ['198.51.100.200'] } };
  for (const id of subnetIds) {
    const [v, s] = id.split('/');
    const sub = ((vnets[v] as Obj).subnets as Obj)[s] as Obj;
    const doa = pick(g, [true, false, undefined]);
    if (doa !== undefined) sub.defaultOutboundAccess = doa;
    if (id === natSubnet) sub.natGateway = 'nat1';
  }
  const externals: string[] = [];
  if (hasPublicLiterals(catalog) && chance(g, 30)) {
    docs.externals = { partner: { addressPrefixes: ['203.0.113.0/24'] } };
    externals.push('partner');
  }

  // ---- Address pools for rules ------------------------------------------------------------------
  const privateLiterals: Json[] = [...vnetNames.map((v, i) => `10.${i}.0.0/16`), ...subnetIds.map((s) => subnetPrefix.get(s)!), ...hostNames.slice(0, 4).map((h) => hostIp.get(h)!), '10.0.0.0/8', [subnetPrefix.get(subnetIds[0])!, `10.${vnetCount - 1}.1.0/24`]];
  const publicLiterals: Json[] = hasPublicLiterals(catalog) ? ['203.0.113.0/24', '20.60.0.0/16', '8.8.8.0/24'] : [];
  const tags = ['*', '*', 'VirtualNetwork', 'VirtualNetwork', 'Internet', 'Internet', 'Storage', 'Storage.EastUS', 'AzureCloud', 'AzureLoadBalancer'];
  const addressPool: Json[] = [...tags, ...privateLiterals, ...publicLiterals];

  // ---- ASGs (members in one VNet, F1.7.3) ---------------------------------------------------------------
  const asgs: string[] = [];
  const asgHosts = hostNames.filter((h) => hostVnet.get(h) === hostVnet.get(hostNames[0]));
  if (asgHosts.length > 0 && chance(g, 40)) {
    asgs.push('asg-web', 'asg-db');
    for (const h of asgHosts) {
      const member = subsetOf(g, asgs, 50);
      if (member.length) (hosts[h] as Obj).applicationSecurityGroups = member;
    }
    docs.applicationSecurityGroups = asgs;
  }

  // ---- NSGs -----------------------------------------------------------------------------------------------------
  const nsgCount = g(fc.integer, { min: 0, max: 3 });
  const nsgs: Obj = {};
  for (let k = 0; k < nsgCount; k++) {
    const name = `nsg${k}`;
    const rules: Json[] = [];
    const count = g(fc.integer, { min: 0, max: maxRules });
    const used = { Inbound: new Set<number>(), Outbound: new Set<number>() };
    for (let r = 0; r < count; r++) {
      const direction = pick(g, ['Inbound', 'Outbound'] as const);
      // Priorities leave 100 free so that metamorphic tests can add a rule above all others.
      let priority = 110 + 10 * g(fc.integer, { min: 0, max: 60 });
      while (used[direction].has(priority)) priority += 1;
      used[direction].add(priority);
      const rule: Obj = { name: `r${r}`, priority, direction, access: pick(g, ['Allow', 'Deny']), protocol: pick(g, PROTOCOLS) };
      side(g, rule, 'source', addressPool, asgs);
      side(g, rule, 'destination', addressPool, asgs);
      ports(rule, 'sourcePort', pick(g, SRC_PORTS));
      ports(rule, 'destinationPort', pick(g, PORTS));
      rules.push(rule);
    }
    nsgs[name] = { securityRules: rules };
  }
  const nsgNames = Object.keys(nsgs);
  if (nsgNames.length) {
    docs.networkSecurityGroups = nsgs;
    for (const id of subnetIds) {
      if (!chance(g, 65)) continue;
      const [v, s] = id.split('/');
      ((vnets[v] as Obj).subnets as Obj)[s] = { ...(((vnets[v] as Obj).subnets as Obj)[s] as Obj), networkSecurityGroup: pick(g, nsgNames) };
    }
    for (const h of hostNames) if (chance(g, 25)) (hosts[h] as Obj).networkSecurityGroup = pick(g, nsgNames);
  }

  // ---- Firewall -------------------------------------------------------------------------------------------------
  const fwIp = '10.0.250.4';
  if (withFirewall) {
    docs.firewallPolicies = { pol: firewallPolicy(g, privateLiterals, catalog, storage, hubSpoke) };
    const fw: Obj = { vnet: 'v0', privateIpAddress: fwIp, firewallPolicy: 'pol' };
    if (chance(g, 60)) fw.publicIpAddresses = ['198.51.100.250'];
    docs.firewalls = { fw1: fw };
    // DNAT from the firewall's public address to hosts, or to an address no interface holds (F4.5.4).
    if (fw.publicIpAddresses && dnatPercent > 0 && chance(g, dnatPercent)) {
      const targets = [...hostNames.map((h) => hostIp.get(h)!), '10.0.9.9'];
      const rules: Json[] = [];
      const n = g(fc.integer, { min: 1, max: 3 });
      for (let r = 0; r < n; r++) {
        rules.push({ name: `dnat${r}`, ruleType: 'NatRule', ipProtocols: pick(g, [['TCP'], ['TCP', 'UDP']]), sourceAddresses: [pick(g, ['*', '*', '203.0.113.0/24'])], destinationAddresses: ['198.51.100.250'], destinationPorts: [String(2200 + r)], translatedAddress: pick(g, targets), translatedPort: pick(g, ['22', '443', '3389']) });
      }
      const policy = (docs.firewallPolicies as Record<string, { ruleCollectionGroups: Json[] }>).pol;
      policy.ruleCollectionGroups = [{ name: 'dnat', priority: 100, ruleCollections: [{ name: 'inbound', priority: 100, ruleCollectionType: 'FirewallPolicyNatRuleCollection', action: 'Dnat', rules }] }, ...policy.ruleCollectionGroups];
    }
  }

  // ---- Route tables --------------------------------------------------------------------------------------------------
  const tables: Obj = {};
  const tableCount = g(fc.integer, { min: hubSpoke ? 1 : 0, max: 2 });
  const nextHops = (): Obj => {
    const options: Obj[] = [{ nextHopType: 'Internet' }, { nextHopType: 'None' }, { nextHopType: 'VnetLocal' }];
    if (withFirewall) options.push({ nextHopType: 'VirtualAppliance', nextHopIpAddress: fwIp }, { nextHopType: 'VirtualAppliance', nextHopIpAddress: fwIp });
    if (hostNames.length && chance(g, 15)) {
      // A host as next hop: a network virtual appliance when IP forwarding is on (undecided), else a drop (F2.3.2).
      const nva = pick(g, hostNames);
      if (chance(g, 60)) (hosts[nva] as Obj).enableIpForwarding = true;
      options.push({ nextHopType: 'VirtualAppliance', nextHopIpAddress: hostIp.get(nva)! });
    }
    if (chance(g, 5)) options.push({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.9.9' });
    return pick(g, options);
  };
  for (let t = 0; t < tableCount; t++) {
    const routes: Json[] = [];
    const prefixes = new Set<string>();
    const candidates = ['0.0.0.0/0', '0.0.0.0/0', ...vnetNames.map((_, i) => `10.${i}.0.0/16`), ...subnetIds.map((s) => subnetPrefix.get(s)!), 'Storage', '10.0.0.0/8', ...(hasPublicLiterals(catalog) ? ['20.60.0.0/16', '8.8.8.0/24'] : [])];
    // The hub-and-spoke recipe (F3.4.1): spokes send 0/0 to the firewall.
    if (withFirewall && t === 0 && (hubSpoke || chance(g, 60))) {
      prefixes.add('0.0.0.0/0');
      routes.push({ name: 'default-to-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: fwIp });
    }
    const n = g(fc.integer, { min: 0, max: 5 });
    for (let r = 0; r < n; r++) {
      const prefix = pick(g, candidates);
      if (prefixes.has(prefix)) continue;
      prefixes.add(prefix);
      routes.push({ name: `u${r}`, addressPrefix: prefix, ...nextHops() });
    }
    const table: Obj = { routes };
    if (chance(g, 30)) table.disableBgpRoutePropagation = true;
    tables[`rt${t}`] = table;
  }
  // The firewall's own subnet sometimes gets 0/0 -> Internet (F3.4.4), rarely a route back to itself.
  if (withFirewall && chance(g, 25)) tables.rtfw = { routes: [chance(g, 85) ? { name: 'fw-out', addressPrefix: '0.0.0.0/0', nextHopType: 'Internet' } : { name: 'fw-loop', addressPrefix: '10.0.0.0/8', nextHopType: 'VirtualAppliance', nextHopIpAddress: fwIp }] };
  const tableNames = Object.keys(tables).filter((t) => t !== 'rtfw');
  if (Object.keys(tables).length) {
    docs.routeTables = tables;
    for (const id of subnetIds) {
      const [v, s] = id.split('/');
      const spoke = hubSpoke && v !== 'v0';
      if (!tableNames.length || !chance(g, spoke ? 85 : 55)) continue;
      (((vnets[v] as Obj).subnets as Obj)[s] as Obj).routeTable = spoke ? 'rt0' : pick(g, tableNames);
    }
    if (tables.rtfw) (((vnets.v0 as Obj).subnets as Obj).AzureFirewallSubnet as Obj).routeTable = 'rtfw';
  }
  if (hostNames.length) docs.hosts = hosts;

  return {
    doc: docs,
    vnets: vnetNames,
    subnets: subnetIds,
    hosts: hostNames,
    publicHosts,
    storage,
    privateEndpoint: peName,
    firewall: withFirewall ? 'fw1' : undefined,
    externals,
    catalog,
  };
}

/** One side of an NSG rule: a prefix, a list of prefixes, or an ASG. */
function side(g: Gen, rule: Obj, which: 'source' | 'destination', pool: readonly Json[], asgs: readonly string[]): void {
  if (asgs.length && chance(g, 15)) {
    rule[`${which}ApplicationSecurityGroups`] = [pick(g, asgs)];
    return;
  }
  const v = pick(g, pool);
  if (Array.isArray(v)) rule[`${which}AddressPrefixes`] = v;
  else rule[`${which}AddressPrefix`] = v;
}

function ports(rule: Obj, field: 'sourcePort' | 'destinationPort', v: Json): void {
  if (Array.isArray(v)) rule[`${field}Ranges`] = v;
  else rule[`${field}Range`] = v;
}

function firewallPolicy(g: Gen, privateLiterals: readonly Json[], catalog: 'small' | 'shipped', storage: string | undefined, hubSpoke: boolean): Obj {
  const flat = privateLiterals.flatMap((p) => (Array.isArray(p) ? p : [p])) as string[];
  const sources = ['*', '*', ...flat];
  const destinations = ['*', 'Storage', 'AzureCloud', ...flat, ...(catalog === 'small' ? ['8.8.8.0/24', '20.60.0.0/16', '203.0.113.0/24'] : [])];
  const fqdns = ['pypi.org', '*.blob.core.windows.net', 'files.pythonhosted.org', '*.pythonhosted.org', ...(storage ? [`${storage}.blob.core.windows.net`] : [])];
  const policy: Obj = {};
  const dnsProxy = chance(g, 50);
  if (dnsProxy) policy.dnsProxy = true;
  if (chance(g, 50)) policy.threatIntelMode = pick(g, ['Off', 'Alert', 'Deny']);
  if (chance(g, 35)) policy.snat = { privateRanges: pick(g, [['IANAPrivateRanges'], ['0.0.0.0/0'], ['255.255.255.255/32'], ['10.1.0.0/16'], catalog === 'small' ? ['IANAPrivateRanges', '20.60.0.0/16'] : ['IANAPrivateRanges']]) };
  const groups: Json[] = [];
  // Spoke-to-spoke transit (F3.4.2): a broad private allow, so forwarded traffic reaches the peering gates.
  if (chance(g, hubSpoke ? 70 : 40)) {
    const rule: Obj = { name: 'transit', ruleType: 'NetworkRule', ipProtocols: ['Any'], sourceAddresses: ['10.0.0.0/8'], destinationAddresses: ['10.0.0.0/8'], destinationPorts: ['*'] };
    groups.push({ name: 'transit', priority: 150, ruleCollections: [{ name: 'transit', priority: 100, ruleCollectionType: 'FirewallPolicyFilterRuleCollection', action: 'Allow', rules: [rule] }] });
  }
  const groupCount = g(fc.integer, { min: 1, max: 2 });
  for (let gi = 0; gi < groupCount; gi++) {
    const collections: Json[] = [];
    const rcCount = g(fc.integer, { min: 1, max: 3 });
    for (let ci = 0; ci < rcCount; ci++) {
      const app = chance(g, 40);
      const rules: Json[] = [];
      const ruleCount = g(fc.integer, { min: 1, max: 4 });
      for (let ri = 0; ri < ruleCount; ri++) {
        const name = `g${gi}c${ci}r${ri}`;
        const src = chance(g, 25) ? [pick(g, sources), pick(g, sources)] : [pick(g, sources)];
        if (app) {
          rules.push({
            name,
            ruleType: 'ApplicationRule',
            sourceAddresses: [...new Set(src)],
            protocols: pick(g, [[{ protocolType: 'Https', port: 443 }], [{ protocolType: 'Http', port: 80 }], [{ protocolType: 'Http', port: 80 }, { protocolType: 'Https', port: 443 }]]),
            targetFqdns: [...new Set([pick(g, fqdns), ...(chance(g, 30) ? [pick(g, fqdns)] : [])])],
          });
        } else {
          const rule: Obj = { name, ruleType: 'NetworkRule', ipProtocols: pick(g, [['TCP'], ['TCP'], ['UDP'], ['ICMP'], ['Any'], ['TCP', 'UDP']]), sourceAddresses: [...new Set(src)], destinationPorts: pick(g, [['*'], ['443'], ['80', '443'], ['22'], ['1000-2000'], ['53']]) };
          if (chance(g, 12)) rule.destinationFqdns = [pick(g, ['pypi.org', 'files.pythonhosted.org'])];
          else rule.destinationAddresses = [...new Set([pick(g, destinations), ...(chance(g, 25) ? [pick(g, destinations)] : [])])];
          rules.push(rule);
        }
      }
      collections.push({ name: `c${ci}`, priority: 100 + 10 * ci, ruleCollectionType: 'FirewallPolicyFilterRuleCollection', action: pick(g, ['Allow', 'Allow', 'Deny']), rules });
    }
    groups.push({ name: `g${gi}`, priority: 200 + 100 * gi, ruleCollections: collections });
  }
  policy.ruleCollectionGroups = groups;
  return policy;
}

// ---------------------------------------------------------------------------
// Loading

export interface LoadedDesign {
  readonly design: GeneratedDesign;
  readonly net: Network;
  readonly yaml: string;
}

/** Writes, loads and compiles a generated design; throws with the diagnostics when it does not load cleanly. */
export function loadGenerated(design: GeneratedDesign): LoadedDesign {
  const text = stringify(design.doc);
  const dir = writeFixture({ 'main.yaml': text });
  if (design.catalog === 'small') copyFileSync(SMALL_TAGS, join(dir, 'service-tags-small.json'));
  const loaded = loadScenario('main.yaml', { cwd: dir });
  if (!loaded.scenario || hasErrors(loaded.diagnostics)) {
    throw new Error(`generated scenario does not load:\n${loaded.diagnostics.map(describeDiagnostic).join('\n')}\n---\n${text}`);
  }
  const { network } = compile(loaded.scenario, loaded.catalog!);
  return { design, net: network, yaml: text };
}

/** Seeds: fixed so that failures reproduce; TOPO_PROPERTY_SEED picks another run. */
export function propertySeed(offset = 0): number {
  const env = process.env.TOPO_PROPERTY_SEED ?? process.env.FC_SEED;
  return (env !== undefined && env !== '' ? Number(env) : 20251122) + offset;
}

/** Run counts, overridable for longer local runs (TOPO_PROPERTY_RUNS=500). */
export function propertyRuns(dflt: number): number {
  const env = process.env.TOPO_PROPERTY_RUNS;
  return env !== undefined && env !== '' ? Number(env) : dflt;
}
