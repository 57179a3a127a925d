/**
 * compile(Scenario) -> Network: the one bridge from the user's YAML to the
 * semantics both engines read. Azure defaults are applied here and remember
 * that they are defaults, so traces can say "(default)".
 */
import { readFileSync } from 'node:fs';
import { IntervalSet } from '../headerspace/interval-set.js';
import { AZURE_HOST_IP, formatIpv4, parsePrefix, prefixContains, prefixLast, rangeToPrefixes, RFC1918, SHARED_ADDRESS_SPACE, type Ipv4Prefix } from '../net/ipv4.js';
import { classifyTag } from '../catalog/tag-classes.js';
import { managedServiceByAlias } from '../catalog/managed-services.js';
import { canonicalGroupId, resourceType } from '../catalog/resource-types.js';
import type { ServiceTagCatalog } from '../catalog/service-tags.js';
import { diag, type Diagnostic } from '../scenario/diagnostics.js';
import { builtinLoc, type SourceLoc } from '../scenario/source-loc.js';
import type { FirewallPolicy, Nsg, Scenario, SecurityRule } from '../scenario/types.js';
import { packageFile } from '../util/package-root.js';
import { literalAddresses } from './literals.js';
import { trustedAddresses } from './names.js';
import { AddressResolver, prefixesSet } from './addresses.js';
import { compileFirewallProgram, infrastructureRule, parseIp, policyChain } from './firewall.js';
import { desugarManagedNetworks, managedEgress } from './managed-network.js';
import { buildNames } from './names.js';
import { compileNsg, compileRule, type NsgContext, type RuleCompiler } from './nsg.js';
import { resolveRoutes } from './routes.js';
import type * as M from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

let regionPairs: Record<string, string> | undefined;
function pairedRegion(region: string): string | undefined {
  regionPairs ??= (JSON.parse(readFileSync(packageFile('models', 'region-pairs.json'), 'utf8')) as { secondary: Record<string, string> }).secondary;
  return regionPairs[region];
}

const SERVICE_ENDPOINT_TAGS: Record<string, string> = {
  'Microsoft.Storage': 'Storage',
  'Microsoft.Storage.Global': 'Storage',
  'Microsoft.Sql': 'Sql',
  'Microsoft.AzureActiveDirectory': 'AzureActiveDirectory',
  'Microsoft.AzureCosmosDB': 'AzureCosmosDB',
  'Microsoft.Web': 'AppService',
  'Microsoft.KeyVault': 'AzureKeyVault',
  'Microsoft.EventHub': 'EventHub',
  'Microsoft.ServiceBus': 'ServiceBus',
  'Microsoft.ContainerRegistry': 'AzureContainerRegistry',
  'Microsoft.CognitiveServices': 'CognitiveServicesFrontend',
};

const SPECIAL = new Set(['AzureFirewallSubnet', 'AzureFirewallManagementSubnet', 'GatewaySubnet', 'AzureBastionSubnet', 'RouteServerSubnet']);

function flag(value: { value: boolean; loc: SourceLoc } | undefined, dflt: boolean, at: SourceLoc): M.Flag {
  return value ? { value: value.value, explicit: true, loc: value.loc } : { value: dflt, explicit: false, loc: at };
}

function prefixes(values: readonly { value: string }[]): Ipv4Prefix[] {
  return values.flatMap((v) => {
    const p = parsePrefix(v.value.trim());
    return p.ok ? [p.prefix] : [];
  });
}

function usableOf(list: readonly Ipv4Prefix[]): IntervalSet {
  // Azure keeps the first four and the last address of each prefix.
  return IntervalSet.fromRanges(list.filter((p) => p.len <= 29).map((p) => [p.addr + 4, prefixLast(p) - 1] as [number, number]));
}

export interface Compiled {
  readonly network: M.Network;
  readonly diagnostics: readonly Diagnostic[];
}

export function compile(input: Scenario, catalog: ServiceTagCatalog): Compiled {
  const diagnostics: Diagnostic[] = [];
  // Azure ML managed networks become marked VNets, routes, an egress program and private endpoints (managed-network.ts).
  const { scenario: s, plans: managedPlans } = desugarManagedNetworks(input);
  const managedVnets = new Map([...managedPlans.values()].map((p) => [p.vnet, p]));
  const resolver = new AddressResolver(catalog);
  const region = (s.region?.value ?? '').toLowerCase();

  // ---- VNets, peerings, gateways ------------------------------------------
  const vnets = new Map<string, M.VNetModel>();
  for (const v of s.vnets.values()) {
    const list = prefixes(v.addressSpace);
    const managed = managedVnets.get(v.name)?.mark;
    vnets.set(v.name, { name: v.name, loc: v.loc, region: (v.region?.value ?? region).toLowerCase(), prefixes: list, space: prefixesSet(list), subnets: [], peerings: [], gateways: [], ...(managed ? { managed } : {}) });
  }
  for (const v of s.vnets.values()) {
    const model = vnets.get(v.name)!;
    for (const p of v.peerings.values()) {
      const remote = s.vnets.get(p.remoteVirtualNetwork.value);
      const back = remote ? [...remote.peerings.values()].some((b) => b.remoteVirtualNetwork.value === v.name) : false;
      model.peerings.push({
        name: p.name,
        loc: p.loc,
        local: v.name,
        remote: p.remoteVirtualNetwork.value,
        connected: back && remote !== undefined && remote.name !== v.name,
        allowVirtualNetworkAccess: flag(p.allowVirtualNetworkAccess, true, p.loc),
        allowForwardedTraffic: flag(p.allowForwardedTraffic, false, p.loc),
        allowGatewayTransit: flag(p.allowGatewayTransit, false, p.loc),
        useRemoteGateways: flag(p.useRemoteGateways, false, p.loc),
      });
    }
  }
  const gateways = new Map<string, M.GatewayModel>();
  for (const g of s.virtualNetworkGateways.values()) {
    const list = prefixes(g.remoteAddressPrefixes);
    const model: M.GatewayModel = { name: g.name, loc: g.loc, vnet: g.vnet.value, type: g.gatewayType.value, remote: prefixesSet(list), remotePrefixes: list, bgp: g.bgp?.value ?? g.gatewayType.value === 'ExpressRoute' };
    gateways.set(g.name, model);
    vnets.get(g.vnet.value)?.gateways.push(model);
  }
  // F3.2: useRemoteGateways brings the peer's gateway routes in, when the peer allows transit.
  for (const v of vnets.values()) {
    for (const link of v.peerings) {
      if (!link.connected || !link.useRemoteGateways.value) continue;
      const remote = vnets.get(link.remote)!;
      const back = remote.peerings.find((b) => b.remote === v.name);
      if (back?.allowGatewayTransit.value) {
        for (const g of [...gateways.values()].filter((x) => x.vnet === remote.name)) if (!v.gateways.includes(g)) v.gateways.push(g);
      }
    }
  }

  // ---- Subnets ---------------------------------------------------------------
  const subnets = new Map<string, Mutable<M.SubnetModel>>();
  for (const v of s.vnets.values()) {
    for (const sub of v.subnets.values()) {
      const list = prefixes(sub.addressPrefixes);
      const nat = sub.natGateway ? s.natGateways.get(sub.natGateway.value) : undefined;
      const sep = sub.serviceEndpointPolicies.flatMap((p) => p.resources.map((r) => r.value));
      const model: Mutable<M.SubnetModel> = {
        id: sub.id,
        name: sub.name,
        vnet: v.name,
        loc: sub.loc,
        prefixes: list,
        space: prefixesSet(list),
        usable: usableOf(list),
        nsg: sub.networkSecurityGroup ? { name: sub.networkSecurityGroup.value, loc: sub.networkSecurityGroup.loc } : undefined,
        routeTable: sub.routeTable ? { name: sub.routeTable.value, loc: sub.routeTable.loc } : undefined,
        natGateway: sub.natGateway && nat ? { name: nat.name, loc: sub.natGateway.loc, publicIps: prefixesSet(prefixes(nat.publicIpAddresses)) } : undefined,
        defaultOutboundAccess: flag(sub.defaultOutboundAccess, true, sub.loc),
        serviceEndpoints: sub.serviceEndpoints.map((e) => ({ service: canonicalService(e.value), loc: e.loc })),
        serviceEndpointPolicy:
          sub.serviceEndpointPolicies.length > 0
            ? { resources: sep, aliases: sub.serviceEndpointPolicies.flatMap((p) => p.aliases.map((a) => managedServiceByAlias(a.value)?.id ?? a.value)), loc: sub.serviceEndpointPolicies[0].loc }
            : undefined,
        privateEndpointNetworkPolicies: sub.privateEndpointNetworkPolicies
          ? { value: sub.privateEndpointNetworkPolicies.value, explicit: true, loc: sub.privateEndpointNetworkPolicies.loc }
          : { value: 'Disabled', explicit: false, loc: sub.loc },
        virtualNetworkTag: IntervalSet.EMPTY,
        routes: { entries: [], segments: [] },
        nics: [],
        special: SPECIAL.has(sub.name) ? (sub.name as M.SubnetModel['special']) : undefined,
        ...(managedVnets.has(v.name) ? { managed: managedVnets.get(v.name)!.mark } : {}),
      };
      subnets.set(sub.id, model);
      vnets.get(v.name)!.subnets.push(model);
    }
  }

  // ---- Interfaces --------------------------------------------------------------
  const nics: M.Nic[] = [];
  const firewallsByIp = new Map<number, string>();
  const addNic = (nic: M.Nic) => {
    nics.push(nic);
    subnets.get(nic.subnet.id)!.nics.push(nic);
  };
  for (const h of s.hosts.values()) {
    const subnet = subnets.get(h.subnet.value)!;
    const ip = parseIp(h.privateIpAddress.value)!;
    const pip = h.publicIpAddress ? parseIp(h.publicIpAddress.value) : undefined;
    addNic({
      id: `host:${h.name}`,
      kind: 'host',
      name: h.name,
      label: subnet.managed ? `${h.name} (the managed compute of workspace ${subnet.managed.workspace}, ${formatIpv4(ip)})` : `${h.name} (${formatIpv4(ip)})`,
      loc: h.loc,
      subnet,
      addresses: IntervalSet.point(ip),
      nsg: h.networkSecurityGroup ? { name: h.networkSecurityGroup.value, loc: h.networkSecurityGroup.loc } : undefined,
      asgs: h.applicationSecurityGroups.map((a) => a.value),
      publicIp: pip !== undefined ? { addr: pip, sku: h.publicIpSku?.value ?? 'Standard', loc: h.publicIpAddress!.loc } : undefined,
      ipForwarding: h.enableIpForwarding?.value ?? false,
      role: h.role?.value,
      ...(subnet.managed ? { managed: subnet.managed } : {}),
    });
  }
  const privateEndpoints = new Map<string, M.PrivateEndpointModel>();
  for (const pe of s.privateEndpoints.values()) {
    const subnet = subnets.get(pe.subnet.value)!;
    const ip = parseIp(pe.privateIpAddress.value)!;
    const res = s.resources.get(pe.resource.value);
    const info = res ? resourceType(res.type.value) : undefined;
    const groupId = info ? canonicalGroupId(info, pe.groupId.value) ?? pe.groupId.value : pe.groupId.value;
    const state = pe.connectionState?.value ?? 'Approved';
    const managed = subnet.managed ? { managed: subnet.managed } : {};
    const model: M.PrivateEndpointModel = { name: pe.name, loc: pe.loc, resource: pe.resource.value, groupId, ip, approved: state === 'Approved', state, nicId: `pe:${pe.name}`, ...managed };
    privateEndpoints.set(pe.name, model);
    const kind = subnet.managed ? 'managed private endpoint' : 'private endpoint';
    addNic({ id: model.nicId, kind: 'private-endpoint', name: pe.name, label: `${pe.name} (${kind} ${formatIpv4(ip)} -> ${pe.resource.value}/${groupId})`, loc: pe.loc, subnet, addresses: IntervalSet.point(ip), asgs: pe.applicationSecurityGroups.map((a) => a.value), ipForwarding: false, privateEndpoint: model, ...managed });
  }
  for (const fw of s.firewalls.values()) {
    const subnet = subnets.get(`${fw.vnet.value}/AzureFirewallSubnet`)!;
    const ip = parseIp(fw.privateIpAddress.value)!;
    firewallsByIp.set(ip, fw.name);
    const managed = subnet.managed ? { managed: subnet.managed } : {};
    const label = subnet.managed ? `${fw.name} (the managed network's egress rules, ${formatIpv4(ip)})` : `${fw.name} (Azure Firewall ${formatIpv4(ip)})`;
    addNic({ id: `firewall:${fw.name}`, kind: 'firewall', name: fw.name, label, loc: fw.loc, subnet, addresses: IntervalSet.point(ip), asgs: [], ipForwarding: true, firewall: fw.name, ...managed });
  }
  for (const g of gateways.values()) {
    const subnet = subnets.get(`${g.vnet}/GatewaySubnet`);
    if (subnet) addNic({ id: `gateway:${g.name}`, kind: 'gateway', name: g.name, label: `${g.name} (${g.type} gateway)`, loc: g.loc, subnet, addresses: subnet.usable, asgs: [], ipForwarding: true });
  }
  for (const subnet of subnets.values()) {
    if ((subnet.special && subnet.special !== 'AzureBastionSubnet') || subnet.managed) continue;
    let free = subnet.usable;
    for (const n of subnet.nics) free = free.subtract(n.addresses);
    if (free.isEmpty) continue;
    const label = subnet.special === 'AzureBastionSubnet' ? `${subnet.id} (Azure Bastion instances)` : `${subnet.id} (any other address of the subnet)`;
    addNic({ id: `subnet:${subnet.id}`, kind: 'subnet', name: subnet.id, label, loc: subnet.loc, subnet, addresses: free, asgs: [], ipForwarding: false, role: subnet.special === 'AzureBastionSubnet' ? 'bastion' : undefined });
  }
  let ownPublic = IntervalSet.EMPTY;
  for (const n of nics) if (n.publicIp) ownPublic = ownPublic.union(IntervalSet.point(n.publicIp.addr));
  for (const fw of s.firewalls.values()) ownPublic = ownPublic.union(prefixesSet(prefixes(fw.publicIpAddresses)));
  for (const nat of s.natGateways.values()) ownPublic = ownPublic.union(prefixesSet(prefixes(nat.publicIpAddresses)));
  resolver.includeOwnPublic(ownPublic);
  const literals = literalAddresses(s);
  // First-party hosts with fixed addresses (the KMS hosts) are public, Microsoft's, and approximate like any literal.
  resolver.includeLiterals(literals.all.union(trustedAddresses()));
  resolver.includeClaimLiterals(IntervalSet.fromRanges(literals.claims.flatMap((l) => [...l.set.intervals()])), literals.all);
  for (const l of literals.claims) resolver.literal(l.set, l.text, l.loc, false);
  const asgMembers = new Map<string, IntervalSet>();
  for (const n of nics) for (const a of n.asgs) asgMembers.set(a, (asgMembers.get(a) ?? IntervalSet.EMPTY).union(n.addresses));

  // ---- VirtualNetwork tags (F1.6.1) -----------------------------------------
  for (const subnet of subnets.values()) {
    const vnet = vnets.get(subnet.vnet)!;
    let tag = vnet.space.union(IntervalSet.point(AZURE_HOST_IP));
    for (const link of vnet.peerings) {
      if (link.connected && link.allowVirtualNetworkAccess.value) tag = tag.union(vnets.get(link.remote)!.space);
    }
    for (const g of vnet.gateways) tag = tag.union(g.remote);
    const table = subnet.routeTable ? s.routeTables.get(subnet.routeTable.name) : undefined;
    // F1.6.1 (MicrosoftDocs/azure-docs#22178, #124192): prefixes used in the subnet's UDRs join the tag.
    for (const r of table?.routes ?? []) tag = tag.union(resolver.address(r.addressPrefix, undefined, false));
    subnet.virtualNetworkTag = tag;
  }

  // ---- Effective routes (F2) ------------------------------------------------------
  const routeCache = new Map<string, M.EffectiveRoutes>();
  const subnetOfNic = new Map<string, M.SubnetModel>();
  for (const sub of subnets.values()) for (const n of sub.nics) if (!subnetOfNic.has(n.id)) subnetOfNic.set(n.id, sub);
  for (const subnet of subnets.values()) {
    const key = `${subnet.vnet}|${subnet.routeTable?.name ?? ''}|${subnet.serviceEndpoints.map((e) => e.service).sort().join(',')}`;
    let routes = routeCache.get(key);
    if (!routes) {
      routes = buildRoutes(subnet, vnets, subnetOfNic, privateEndpoints, s, resolver, catalog, region);
      routeCache.set(key, routes);
    }
    subnet.routes = routes;
  }

  // ---- Adversary, names ------------------------------------------------------------
  const trustedOnly = resolver.trustedOnly();
  const names = buildNames({ scenario: s, resolver, region, ownPublic, trustedOnly });

  // ---- Firewalls (F4) ------------------------------------------------------------------
  const buildFirewall = (scenario: Scenario, fw: Scenario['firewalls'] extends ReadonlyMap<string, infer F> ? F : never, report: boolean): M.FirewallModel => {
    const program = compileFirewallProgram(scenario, fw.firewallPolicy?.value, resolver, names);
    const nic = nics.find((n) => n.id === `firewall:${fw.name}`)!;
    const forced = fw.forcedTunneling?.value ?? false;
    if (report && forced && program.dnat.length > 0) diagnostics.push(diag('TOPO309', `firewall '${fw.name}' is in forced-tunnel mode, where Azure does not support DNAT; its ${program.dnat.length} DNAT rules are ignored (F4.7.6)`, fw.loc));
    if (report) for (const note of program.notes) diagnostics.push(diag('TOPO306', note, fw.firewallPolicy?.loc ?? fw.loc));
    return {
      name: fw.name,
      loc: fw.loc,
      nic,
      privateIp: parseIp(fw.privateIpAddress.value)!,
      publicIps: prefixesSet(prefixes(fw.publicIpAddresses)),
      policy: fw.firewallPolicy?.value,
      dnat: forced ? [] : program.dnat,
      network: program.network,
      application: program.application,
      infrastructure: infrastructureRule(names),
      defaultDeny: { kind: 'firewall-default', id: `${fw.name}/default-deny`, label: `${fw.name}: no rule matches, default deny (F4.2.8)`, loc: fw.firewallPolicy?.loc ?? fw.loc },
      snatExempt: program.snatExempt,
      threatIntelMode: program.threatIntelMode,
      forcedTunneling: forced,
      dnsProxy: program.dnsProxy,
    };
  };
  const firewalls = new Map<string, M.FirewallModel>();
  const managedNetworks = new Map<string, M.ManagedNetworkModel>();
  for (const fw of s.firewalls.values()) {
    const plan = managedVnets.get(fw.vnet.value);
    if (!plan) {
      firewalls.set(fw.name, buildFirewall(s, fw, true));
      continue;
    }
    const egress = managedEgress(plan, resolver, names, catalog);
    const base = buildFirewall(s, fw, false);
    firewalls.set(fw.name, { ...base, network: egress.network, application: egress.application, infrastructure: egress.infrastructure, defaultDeny: egress.defaultDeny, threatIntelMode: 'Off', managed: plan.mark });
    managedNetworks.set(plan.workspace, {
      workspace: plan.workspace,
      loc: plan.mark.loc,
      isolationMode: plan.mode,
      modeLoc: plan.modeLoc,
      vnet: plan.vnet,
      compute: nics.find((n) => n.id === `host:${plan.host}`)!,
      firewall: fw.name,
      privateEndpoints: plan.endpoints.map((e) => privateEndpoints.get(e.name)!),
      unknowns: egress.unknowns,
    });
  }

  // ---- PaaS (F5) -------------------------------------------------------------------------
  const resources = new Map<string, M.ResourceModel>();
  for (const r of s.resources.values()) {
    const info = resourceType(r.type.value);
    if (!info) diagnostics.push(diag('TOPO310', `resource '${r.name}' has type ${r.type.value}, which topo has no model of: paths to it are unknown`, r.type.loc));
    const acls = r.networkAcls;
    const publicNames = new Map<string, number>();
    for (const c of names.classes) if (c.kind === 'own' && c.resource?.name === r.name && !publicNames.has(c.resource.groupId)) publicNames.set(c.resource.groupId, c.id);
    let ipRules = IntervalSet.EMPTY;
    for (const ip of acls?.ipRules ?? []) ipRules = ipRules.union(resolver.address(ip, undefined, false));
    const pna = r.publicNetworkAccess;
    resources.set(r.name, {
      name: r.name,
      loc: r.loc,
      type: r.type.value,
      info,
      region: (r.region?.value ?? region).toLowerCase(),
      publicNetworkAccess: { ...flag(pna ? { value: pna.value === 'Enabled', loc: pna.loc } : undefined, true, r.loc), enabled: pna ? pna.value === 'Enabled' : true },
      defaultAction: acls?.defaultAction ? { value: acls.defaultAction.value, explicit: true, loc: acls.defaultAction.loc } : { value: 'Allow', explicit: false, loc: acls?.loc ?? r.loc },
      bypass: acls?.bypass.map((b) => b.value) ?? ['AzureServices'],
      ipRules,
      ipRulesLoc: acls?.ipRules[0]?.loc,
      virtualNetworkRules: new Map((acls?.virtualNetworkRules ?? []).map((v) => [v.value, v.loc])),
      privateEndpoints: [...privateEndpoints.values()].filter((pe) => pe.resource === r.name && !pe.managed),
      managedPrivateEndpoints: [...privateEndpoints.values()].filter((pe) => pe.resource === r.name && pe.managed),
      publicNames,
    });
  }

  // ---- Externals -----------------------------------------------------------------------------
  const externals = new Map<string, { name: string; loc: SourceLoc; space: IntervalSet; onPremises: boolean }>();
  let onPrem = IntervalSet.EMPTY;
  for (const g of gateways.values()) onPrem = onPrem.union(g.remote);
  for (const e of s.externals.values()) {
    let space = IntervalSet.EMPTY;
    for (const p of e.addressPrefixes) space = space.union(resolver.address(p, undefined, false));
    externals.set(e.name, { name: e.name, loc: e.loc, space, onPremises: space.subsetOf(onPrem) && !space.isEmpty });
  }

  // NSG programs compile lazily per subnet; their literal prefixes are read
  // now so that the compact-catalog uncertainty is complete before any verdict.
  for (const nsg of s.networkSecurityGroups.values()) {
    for (const r of nsg.securityRules) {
      for (const p of [...r.sourceAddressPrefixes, ...r.destinationAddressPrefixes]) if (/^[0-9]/.test(p.value.trim())) resolver.address(p, undefined, false);
    }
  }
  for (const a of resolver.approximations) diagnostics.push(diag('TOPO307', a.message, a.loc, { hint: 'pass the official service tags file (serviceTags: FILE or --service-tags FILE) for exact results' }));

  // A rule edit compiles the edited NSG's programs again: its unchanged rules (the very same objects) in the
  // same context are taken from the programs compiled before.
  const compiledRules = new WeakMap<SecurityRule, { ctx: NsgContext; rule: M.NsgRule }[]>();
  const compileOne: RuleCompiler = (r, ctx, res) => {
    let list = compiledRules.get(r);
    if (!list) compiledRules.set(r, (list = []));
    const hit = list.find((x) => x.ctx.virtualNetwork === ctx.virtualNetwork && x.ctx.vnetSpace === ctx.vnetSpace && x.ctx.asgMembers === ctx.asgMembers && x.ctx.ignoreSourcePorts === ctx.ignoreSourcePorts);
    if (hit) return hit.rule;
    const rule = compileRule(r, ctx, res);
    list.push({ ctx, rule });
    return rule;
  };
  const programs = (nsgs: Scenario['networkSecurityGroups']) => {
    // A subnet's program depends on it through its VNet and its VirtualNetwork tag only: the subnets of a VNet
    // that share an NSG (and a tag) share one program.
    const cache = new Map<string, { tag: IntervalSet; program: M.NsgProgram }[]>();
    return (nsg: string, direction: 'Inbound' | 'Outbound', subnet: M.SubnetModel, ignoreSourcePorts = false): M.NsgProgram => {
      const key = `${nsg}|${direction}|${subnet.vnet}|${ignoreSourcePorts ? 1 : 0}`;
      let list = cache.get(key);
      if (!list) cache.set(key, (list = []));
      const tag = subnet.virtualNetworkTag;
      let hit = list.find((x) => x.tag === tag) ?? list.find((x) => x.tag.equals(tag));
      if (!hit) {
        const vnet = vnets.get(subnet.vnet)!;
        hit = { tag, program: compileNsg(nsgs.get(nsg)!, direction, { virtualNetwork: tag, vnetSpace: vnet.space, asgMembers, ignoreSourcePorts }, resolver, compileOne) };
        list.push(hit);
      }
      return hit.program;
    };
  };
  const byVnetIp = new Map<string, M.Nic[]>();
  for (const n of nics) {
    const list = byVnetIp.get(n.subnet.vnet) ?? [];
    list.push(n);
    byVnetIp.set(n.subnet.vnet, list);
  }
  const adversaryDescribe = (addr: number): string => describeAddress(addr, resolver, catalog, ownPublic);
  /** Literal prefixes of edited rules must not change the compact-catalog uncertainty, or the edit needs a full compile. */
  const sameUncertainty = (values: readonly { value: string; loc: SourceLoc }[]): boolean => {
    const before = resolver.uncertain;
    for (const v of values) if (/^[0-9]/.test(v.value.trim())) resolver.address(v, undefined, true);
    return resolver.uncertain.equals(before);
  };
  const fqdnSignature = (scenario: Scenario): string =>
    [...scenario.firewallPolicies.values()]
      .flatMap((p) => p.ruleCollectionGroups.flatMap((g) => g.ruleCollections.flatMap((c) => c.rules.flatMap((r) => [...r.targetFqdns, ...r.destinationFqdns, ...r.fqdnTags].map((f) => f.value.toLowerCase())))))
      .sort()
      .join('|');
  const network: M.Network = {
    scenario: input,
    catalog,
    region,
    vnets,
    subnets,
    nics,
    nicById: new Map(nics.map((n) => [n.id, n])),
    firewalls,
    gateways,
    resources,
    privateEndpoints,
    managedNetworks,
    names: names.classes,
    adversary: { publicSpace: resolver.publicSpace, ownPublic, trustedOnly, claimOnly: catalog.exact ? resolver.claimOnly : resolver.claimOnly.union(resolver.inFootprint(trustedAddresses()) ? trustedAddresses() : IntervalSet.EMPTY), describe: adversaryDescribe },
    externals,
    approximations: resolver.approximations,
    get uncertain() {
      return resolver.uncertain;
    },
    nsgProgram: programs(s.networkSecurityGroups),
    classOfName: (fqdn) => names.classOf(fqdn),
    nicAt(vnet, addr) {
      for (const n of byVnetIp.get(vnet) ?? []) if (n.addresses.has(addr)) return n;
      return undefined;
    },
    withRuleEdits(edits) {
      return edited(new Map(edits.nsgs ?? []), new Map(edits.firewallPolicies ?? []));
    },
  };
  /**
   * A view of this network with NSG and firewall-policy rules replaced: the
   * topology, routes and graph stay valid, only the edited programs are
   * compiled again. Views compose: editing a view edits the base with all
   * edits so far.
   */
  function edited(nsgEdits: Map<string, Nsg>, policyEdits: Map<string, FirewallPolicy>): M.Network | undefined {
    const literals = [
      ...[...nsgEdits.values()].flatMap((n) => n.securityRules.flatMap((r) => [...r.sourceAddressPrefixes, ...r.destinationAddressPrefixes])),
      ...[...policyEdits.values()].flatMap((p) => p.ruleCollectionGroups.flatMap((g) => g.ruleCollections.flatMap((c) => c.rules.flatMap((r) => [...r.sourceAddresses, ...r.destinationAddresses])))),
    ];
    if (!sameUncertainty(literals)) return undefined;
    const scenario: Scenario = { ...s, networkSecurityGroups: new Map([...s.networkSecurityGroups, ...nsgEdits]), firewallPolicies: new Map([...s.firewallPolicies, ...policyEdits]) };
    // New FQDNs change the name classes of the whole network: that needs a full compile.
    if (policyEdits.size > 0 && fqdnSignature(scenario) !== fqdnSignature(s)) return undefined;
    const editedPrograms = programs(scenario.networkSecurityGroups);
    const base = network.nsgProgram;
    let fws = firewalls;
    if (policyEdits.size > 0) {
      fws = new Map(firewalls);
      for (const fw of s.firewalls.values()) {
        const chain = fw.firewallPolicy ? policyChain(scenario, fw.firewallPolicy.value).map((p) => p.name) : [];
        if (chain.some((p) => policyEdits.has(p))) fws.set(fw.name, buildFirewall(scenario, fw, false));
      }
    }
    return {
      ...network,
      uncertain: resolver.uncertain,
      scenario: { ...input, networkSecurityGroups: scenario.networkSecurityGroups, firewallPolicies: scenario.firewallPolicies },
      firewalls: fws,
      nsgProgram: (nsg, d, sub, isp) => (nsgEdits.has(nsg) ? editedPrograms(nsg, d, sub, isp) : base(nsg, d, sub, isp)),
      withRuleEdits: (more) => edited(new Map([...nsgEdits, ...(more.nsgs ?? [])]), new Map([...policyEdits, ...(more.firewallPolicies ?? [])])),
    };
  }

  return { network, diagnostics };
}

function canonicalService(name: string): string {
  return Object.keys(SERVICE_ENDPOINT_TAGS).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

function describeAddress(addr: number, resolver: AddressResolver, catalog: ServiceTagCatalog, ownPublic: IntervalSet): string {
  if (ownPublic.has(addr)) return 'a public address of the design';
  for (const e of catalog.entries()) {
    if (e.region || classifyTag(e.name).aggregate) continue;
    if (resolver.catalogTag(e.name).has(addr)) {
      const c = classifyTag(e.name);
      return `${e.name}${c.exfiltration ? `: ${c.reason}` : ` (${c.reason})`}`;
    }
  }
  if (resolver.catalogTag('AzureCloud').has(addr)) return `AzureCloud: ${classifyTag('AzureCloud').reason}`;
  return 'a public address outside the design';
}

// ---------------------------------------------------------------------------
// Effective routes of one subnet (F2.1-F2.8)

const RESERVED: readonly Ipv4Prefix[] = [...RFC1918, SHARED_ADDRESS_SPACE];

function buildRoutes(
  subnet: M.SubnetModel,
  vnets: ReadonlyMap<string, M.VNetModel>,
  /** The subnet of each NIC id: every subnet's routes look up every private endpoint's. */
  subnetOfNic: ReadonlyMap<string, M.SubnetModel>,
  pes: ReadonlyMap<string, M.PrivateEndpointModel>,
  s: Scenario,
  resolver: AddressResolver,
  catalog: ServiceTagCatalog,
  region: string,
): M.EffectiveRoutes {
  const vnet = vnets.get(subnet.vnet)!;
  const entries: M.RouteEntry[] = [];
  const addPrefix = (p: Ipv4Prefix, route: M.RouteModel) => entries.push({ lo: p.addr, hi: prefixLast(p), len: p.len, route });
  const addSet = (set: IntervalSet, route: M.RouteModel) => {
    for (const [lo, hi] of set.intervals()) for (const p of rangeToPrefixes(lo, hi)) addPrefix(p, route);
  };
  const sys = (id: string, label: string, nextHop: M.NextHop, systemKind: M.RouteModel['systemKind'], loc: SourceLoc, prefixText: string, source: M.RouteSource = 'system'): M.RouteModel => ({
    source,
    nextHop,
    systemKind,
    prefixText,
    ref: { kind: 'system-route', id, label, loc },
  });
  const table = subnet.routeTable ? s.routeTables.get(subnet.routeTable.name) : undefined;
  const userDefault = table?.routes.some((r) => r.addressPrefix.value.trim() === '0.0.0.0/0') ?? false;

  // F2.1: one VnetLocal route per address range, never per subnet.
  for (const p of vnet.prefixes) addPrefix(p, sys(`system ${fmt(p)} VnetLocal`, `system route ${fmt(p)} -> VnetLocal (VNet '${vnet.name}')`, { type: 'VnetLocal' }, 'vnet', vnet.loc, fmt(p)));
  // F2.1.3: reserved None routes, adjusted for address spaces that equal or contain them; F2.1.5: a 0/0 UDR removes them.
  if (!userDefault) {
    for (const r of RESERVED) {
      if (vnet.prefixes.some((p) => prefixContains(p, r))) continue;
      addPrefix(r, sys(`system ${fmt(r)} None`, `system route ${fmt(r)} -> None (drop)`, { type: 'None' }, 'reserved', builtinLoc('system-routes'), fmt(r)));
    }
  }
  addPrefix({ addr: 0, len: 0 }, sys('system 0.0.0.0/0 Internet', 'system route 0.0.0.0/0 -> Internet', { type: 'Internet' }, 'default', builtinLoc('system-routes'), '0.0.0.0/0'));
  // F2.2 / F3.3: peering routes for connected peerings.
  for (const link of vnet.peerings) {
    if (!link.connected) continue;
    for (const p of vnets.get(link.remote)!.prefixes) addPrefix(p, sys(`system ${fmt(p)} VNetPeering`, `system route ${fmt(p)} -> VNet peering '${link.name}' (to '${link.remote}')`, { type: 'VNetPeering', peer: link.remote }, 'peering', link.loc, fmt(p)));
  }
  // F2.6: gateway routes unless propagation is disabled on the subnet's route table.
  if (!table?.disableBgpRoutePropagation?.value) {
    for (const g of vnet.gateways) {
      for (const p of g.remotePrefixes) {
        addPrefix(p, { source: 'bgp', nextHop: { type: 'VirtualNetworkGateway', gateway: g.name }, prefixText: fmt(p), ref: { kind: 'system-route', id: `gateway ${g.name} ${fmt(p)}`, label: `gateway route ${fmt(p)} -> VirtualNetworkGateway '${g.name}'${g.bgp ? ' (BGP)' : ''}`, loc: g.loc } });
      }
    }
  }
  // F2.8: service endpoint routes to the service's prefixes, on this subnet only.
  for (const se of subnet.serviceEndpoints) {
    const tag = SERVICE_ENDPOINT_TAGS[se.service];
    if (!tag) continue;
    let set: IntervalSet;
    if (se.service === 'Microsoft.Storage' || se.service === 'Microsoft.Sql') {
      // F2.8.5: Storage covers the region and its pair; SQL the region only.
      const regions = se.service === 'Microsoft.Storage' ? [vnet.region, pairedRegion(vnet.region)] : [vnet.region];
      set = IntervalSet.EMPTY;
      for (const r of regions) {
        const entry = r ? catalog.regional(tag, r) : undefined;
        if (entry) set = set.union(resolver.catalogTag(entry.name));
      }
    } else set = resolver.catalogTag(tag);
    addSet(set, { source: 'service-endpoint', nextHop: { type: 'VirtualNetworkServiceEndpoint', service: se.service, tag }, prefixText: tag, ref: { kind: 'system-route', id: `service endpoint ${se.service}`, label: `service endpoint route ${se.service} -> VirtualNetworkServiceEndpoint`, loc: se.loc } });
  }
  // F2.7.1: a /32 per private endpoint in this VNet and in directly peered VNets.
  const peVnets = new Set([vnet.name, ...vnet.peerings.filter((l) => l.connected).map((l) => l.remote)]);
  for (const pe of pes.values()) {
    const nic = subnetOfNic.get(pe.nicId);
    if (!nic || !peVnets.has(nic.vnet)) continue;
    addPrefix({ addr: pe.ip, len: 32 }, { source: 'private-endpoint', nextHop: { type: 'InterfaceEndpoint', privateEndpoint: pe.name, vnet: nic.vnet }, prefixText: `${formatIpv4(pe.ip)}/32`, ref: { kind: 'system-route', id: `private endpoint ${pe.name}`, label: `private endpoint route ${formatIpv4(pe.ip)}/32 -> InterfaceEndpoint '${pe.name}'`, loc: pe.loc } });
  }
  // F2.3: user-defined routes.
  for (const r of table?.routes ?? []) {
    const hop = r.nextHopType.value;
    const nextHop: M.NextHop =
      hop === 'VirtualAppliance'
        ? { type: 'VirtualAppliance', ip: parseIp(r.nextHopIpAddress!.value)! }
        : hop === 'VirtualNetworkGateway'
          ? { type: 'VirtualNetworkGateway', gateway: vnet.gateways[0]?.name ?? '' }
          : hop === 'VnetLocal'
            ? { type: 'VnetLocal' }
            : hop === 'Internet'
              ? { type: 'Internet' }
              : { type: 'None' };
    const text = r.addressPrefix.value.trim();
    const isTag = !/^[0-9]/.test(text);
    const route: M.RouteModel = {
      source: 'user',
      nextHop,
      prefixText: text,
      tag: isTag ? text : undefined,
      ref: { kind: 'route', id: `${r.table}/${r.name}`, label: `${r.table}/${r.name} ${text} -> ${hop}${r.nextHopIpAddress ? ` ${r.nextHopIpAddress.value}` : ''}`, loc: r.loc },
    };
    addSet(resolver.address(r.addressPrefix, undefined, false), route);
  }
  const peSubnetPolicies = (peName: string) => {
    const pe = pes.get(peName)!;
    const sub = subnetOfNic.get(pe.nicId)!;
    return { policies: sub.privateEndpointNetworkPolicies.value, vnet: vnets.get(sub.vnet)! };
  };
  return resolveRoutes(entries, (peRoute, udr) => {
    if (peRoute.nextHop.type !== 'InterfaceEndpoint') return false;
    const { policies, vnet: peVnet } = peSubnetPolicies(peRoute.nextHop.privateEndpoint);
    if (policies !== 'RouteTableEnabled' && policies !== 'Enabled') return false;
    // F2.7.2 (2024 wording): the UDR must be at least as specific as the PE VNet's address-space prefix.
    const ip = pes.get(peRoute.nextHop.privateEndpoint)!.ip;
    const containing = peVnet.prefixes.find((p) => p.addr <= ip && ip <= prefixLast(p));
    return containing !== undefined && udr.len >= containing.len && udr.lo <= ip && ip <= udr.hi;
  });
}

function fmt(p: Ipv4Prefix): string {
  return `${formatIpv4(p.addr)}/${p.len}`;
}

