/**
 * ArmResource[] -> ScenarioDraft. Order matters: names first (every
 * reference needs the other side's key), then stand-in addresses (they need
 * every subnet and every interface), then each collection.
 */
import { ImportFailure, type Issues } from '../issues.js';
import { idParts, parentId, typeKey, type ArmResource } from '../resource.js';
import { isObject, type Value } from '../template/values.js';
import { T } from '../types.js';
import { AddressBook } from './addresses.js';
import { MapContext } from './context.js';
import { emptyDraft, type ScenarioDraft } from './draft.js';
import { classicPolicyCandidates, firewallSlots, mapFirewalls, vnetFirewalls } from './firewall.js';
import { mapFirewallPolicies } from './firewall-policy.js';
import { mapGateways } from './gateway.js';
import { hostCandidates, hostConfigs, hostSlots, mapHosts } from './hosts.js';
import { mapIpGroups } from './ip-group.js';
import type { Collection, NameCandidate } from './names.js';
import { mapNatGateways } from './nat-gateway.js';
import { asgCandidates, mapAsgs, mapNsgs } from './nsg.js';
import { mapPaas, paasCandidates, planPaas } from './paas.js';
import { importablePrivateEndpoints, mapPrivateEndpoints, peTarget, privateEndpointSlots } from './private-endpoint.js';
import { mapRouteTables } from './route-table.js';
import { subnetPrefixTexts, subnetsOf } from './subnet.js';
import { findStubs, mapVnets, normRegion, vnetCandidates } from './vnet.js';

export interface MapOptions {
  readonly name: string;
  readonly region?: string;
}

/** Types whose presence makes an input a network (VMs and public IPs alone do not). */
const NETWORK_TYPES = [T.vnet, T.subnet, T.nsg, T.routeTable, T.firewall, T.firewallPolicy, T.privateEndpoint, T.gateway, T.nic, T.natGateway, T.ipGroup, T.asg];

/** Property names whose literal addresses can tell a subnet's addresses apart. */
const ADDRESS_KEYS = new Set(['sourceaddressprefix', 'sourceaddressprefixes', 'destinationaddressprefix', 'destinationaddressprefixes', 'sourceaddresses', 'destinationaddresses', 'ipaddresses', 'translatedaddress', 'nexthopipaddress', 'addressprefix']);

function literalAddresses(resources: readonly ArmResource[]): string[] {
  const out: string[] = [];
  const walk = (v: Value, key: string, depth: number): void => {
    if (depth > 12) return;
    if (typeof v === 'string' && ADDRESS_KEYS.has(key) && /^\d/.test(v)) out.push(v);
    else if (Array.isArray(v)) for (const x of v) walk(x, key, depth + 1);
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, k.toLowerCase(), depth + 1);
  };
  const kinds = new Set([T.nsg, T.nsgRule, T.routeTable, T.route, T.ruleCollectionGroup, T.ipGroup, T.firewall].map((t) => t.toLowerCase()));
  for (const r of resources) if (kinds.has(typeKey(r.type))) walk(r.properties as Value, '', 0);
  return out;
}

function simple(rs: readonly ArmResource[]): NameCandidate[] {
  return rs.map((r) => ({ id: r.id, name: r.name, resourceGroup: r.resourceGroup ?? idParts(r.id).resourceGroup }));
}

function mostCommonRegion(ctx: MapContext): string | undefined {
  const counts = new Map<string, number>();
  const pool = ctx.of(T.vnet).length > 0 ? ctx.of(T.vnet) : ctx.resources;
  for (const r of pool) {
    if (typeof r.location === 'string' && r.location.trim() !== '' && normRegion(r.location) !== 'global') counts.set(normRegion(r.location), (counts.get(normRegion(r.location)) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

export function mapScenario(resources: readonly ArmResource[], otherTypes: ReadonlyMap<string, number>, issues: Issues, options: MapOptions): ScenarioDraft {
  const ctx = new MapContext(resources, issues, { region: options.region });
  if (!NETWORK_TYPES.some((t) => ctx.of(t).length > 0)) {
    const others = [...otherTypes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([t, n]) => `${t} (${n})`);
    throw new ImportFailure(
      `the input holds no network resources${resources.length + otherTypes.size > 0 ? ` (only ${[...new Set([...resources.map((r) => r.type), ...others])].slice(0, 6).join(', ')})` : ''}`,
      undefined,
      'import VNets, NSGs, route tables, firewalls, NICs or private endpoints, e.g. az graph query -q "Resources | where type startswith \'microsoft.network/\'" -o json',
    );
  }
  const stubs = findStubs(ctx);
  const hosts = hostConfigs(ctx);
  const firewalls = vnetFirewalls(ctx);
  const pes = importablePrivateEndpoints(ctx);
  const plan = planPaas(ctx, pes.map((pe) => ({ id: String(peTarget(pe)), pe: pe.name })));

  const assign = (c: Collection, items: NameCandidate[]) => ctx.names.assign(c, items);
  assign('vnets', vnetCandidates(ctx, stubs));
  assign('networkSecurityGroups', simple(ctx.of(T.nsg)));
  assign('applicationSecurityGroups', asgCandidates(ctx));
  assign('routeTables', simple(ctx.of(T.routeTable)));
  assign('natGateways', simple(ctx.of(T.natGateway)));
  assign('ipGroups', simple(ctx.of(T.ipGroup)));
  assign('firewallPolicies', [...simple(ctx.of(T.firewallPolicy)), ...classicPolicyCandidates(firewalls)]);
  assign('firewalls', simple(firewalls));
  assign('virtualNetworkGateways', simple(ctx.of(T.gateway)));
  assign('hosts', hostCandidates(hosts));
  assign('resources', paasCandidates(plan));
  assign('privateEndpoints', simple(pes));

  const subnetPrefixes = new Map<string, string[]>();
  for (const v of ctx.of(T.vnet)) for (const s of subnetsOf(ctx, v)) subnetPrefixes.set(s.id.toLowerCase().replace(/\/+$/, ''), subnetPrefixTexts(s));
  ctx.addresses = new AddressBook(subnetPrefixes, [...hostSlots(hosts), ...firewallSlots(firewalls), ...privateEndpointSlots(ctx, pes)], literalAddresses(ctx.resources));

  const region = options.region ? normRegion(options.region) : mostCommonRegion(ctx);
  const draft = emptyDraft(options.name);
  if (region) draft.region = region;
  else issues.warning('no region: the input does not say where the VNets are; regional service tags need one', undefined, 'pass --region, e.g. --region eastus');
  draft.vnets.push(...mapVnets(ctx, stubs, region));
  draft.networkSecurityGroups.push(...mapNsgs(ctx));
  draft.applicationSecurityGroups.push(...mapAsgs(ctx));
  draft.routeTables.push(...mapRouteTables(ctx));
  draft.natGateways.push(...mapNatGateways(ctx));
  draft.ipGroups.push(...mapIpGroups(ctx));
  const fw = mapFirewalls(ctx, firewalls);
  draft.firewallPolicies.push(...mapFirewallPolicies(ctx), ...fw.classicPolicies);
  draft.firewalls.push(...fw.firewalls);
  draft.virtualNetworkGateways.push(...mapGateways(ctx));
  draft.hosts.push(...mapHosts(ctx, hosts));
  draft.resources.push(...mapPaas(ctx, plan, region));
  draft.privateEndpoints.push(...mapPrivateEndpoints(ctx, pes));

  // A subnet, rule or route exported without its parent has nowhere to go in the format.
  const orphans = new Map<string, string[]>();
  for (const r of ctx.resources) {
    if (r.type.split('/').length <= 2 || ctx.get(parentId(r.id))) continue;
    const list = orphans.get(parentId(r.id));
    if (list) list.push(r.name);
    else orphans.set(parentId(r.id), [r.name]);
  }
  for (const [parent, names] of orphans) issues.warning(`${names.length === 1 ? `'${names[0]}' belongs` : `${names.length} child resources (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}) belong`} to ${parent}, which is not in the input; not imported`, undefined, 'import the parent resource too');
  draft.leftOut.push(...ctx.leftOut);
  draft.unknowns = ctx.unknowns;
  ctx.reportMissing();
  if (ctx.standIns > 0) issues.note(`${ctx.standIns} address${ctx.standIns === 1 ? '' : 'es'} that Azure assigns at deploy time ${ctx.standIns === 1 ? 'is a stand-in' : 'are stand-ins'} (marked '# ... stand-in' in the scenario): the same address wherever the template reads it, so no verdict depends on the choice`);
  const total = [...otherTypes.values()].reduce((a, b) => a + b, 0);
  if (total > 0) {
    const list = [...otherTypes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t, n]) => `${t} (${n})`);
    issues.warning(`${total} resource${total === 1 ? '' : 's'} of ${otherTypes.size} other type${otherTypes.size === 1 ? '' : 's'} ${total === 1 ? 'is' : 'are'} not part of the network model and not imported: ${list.join(', ')}`);
  }
  return draft;
}
