/**
 * Builds the typed Scenario from the located YAML tree. Runs after schema
 * validation but tolerates what the schema already reported (wrong types are
 * skipped), so that semantic checks still run in the same pass and the user
 * sees every problem at once.
 */
import { diag, type Diagnostic } from './diagnostics.js';
import { NEXT_HOP_TYPES, PE_POLICIES, PROTOCOLS } from './schema-source.js';
import type { Located, SourceLoc } from './source-loc.js';
import type * as T from './types.js';
import { mapEntry, mapGet, type LMap, type LNode, type LSeq } from './yaml-tree.js';

type L<V> = Located<V>;

export interface BuiltFile {
  readonly root: LMap;
  readonly file: string;
}

export class Builder {
  readonly diagnostics: Diagnostic[] = [];

  // ---- scalar readers ---------------------------------------------------

  str(map: LMap, key: string): L<string> | undefined {
    const node = mapGet(map, key);
    if (!node || node.kind !== 'scalar' || node.value === null || typeof node.value === 'boolean') return undefined;
    return { value: String(node.value), loc: node.loc };
  }

  num(map: LMap, key: string): L<number> | undefined {
    const node = mapGet(map, key);
    if (!node || node.kind !== 'scalar' || typeof node.value !== 'number') return undefined;
    return { value: node.value, loc: node.loc };
  }

  bool(map: LMap, key: string): L<boolean> | undefined {
    const node = mapGet(map, key);
    if (!node || node.kind !== 'scalar' || typeof node.value !== 'boolean') return undefined;
    return { value: node.value, loc: node.loc };
  }

  /** An enum value in its canonical case, or undefined (the schema reported it). */
  enumOf<V extends string>(map: LMap, key: string, values: readonly V[]): L<V> | undefined {
    const raw = this.str(map, key);
    if (!raw) return undefined;
    return canonical(raw, values);
  }

  list(map: LMap, key: string): L<string>[] {
    const node = mapGet(map, key);
    return node?.kind === 'seq' ? this.items(node) : [];
  }

  /** The scalar items of a list as strings (`443` and `"443"` alike); others were reported by the schema. */
  items(node: LSeq): L<string>[] {
    const out: L<string>[] = [];
    for (const item of node.items) {
      if (item.kind === 'scalar' && item.value !== null && typeof item.value !== 'boolean') out.push({ value: String(item.value), loc: item.loc });
    }
    return out;
  }

  /**
   * A string or a list of strings (include:, bypass:). Only real strings: the
   * schema already reported a number here, and following `include: 5` as a
   * path would only add a second, confusing error.
   */
  oneOrMany(map: LMap, key: string): L<string>[] {
    const node = mapGet(map, key);
    const items = node?.kind === 'scalar' ? [node] : node?.kind === 'seq' ? node.items : [];
    return items.flatMap((i) => (i.kind === 'scalar' && typeof i.value === 'string' ? [{ value: i.value, loc: i.loc }] : []));
  }

  /** ARM singular/plural pairs (F-format): both forms accepted, not both at once. */
  pair(map: LMap, singular: string, plural: string): L<string>[] {
    const one = mapEntry(map, singular);
    const many = mapEntry(map, plural);
    if (one && many) {
      this.diagnostics.push(diag('TOPO106', `both '${singular}' and '${plural}' are given`, many.keyLoc, { hint: `keep one: '${plural}' holds a list, '${singular}' a single value` }));
    }
    const singularValue = this.str(map, singular);
    return [...(singularValue ? [singularValue] : []), ...this.list(map, plural)];
  }

  mapAt(map: LMap, key: string): LMap | undefined {
    const node = mapGet(map, key);
    return node?.kind === 'map' ? node : undefined;
  }

  seqMaps(map: LMap, key: string): LMap[] {
    const node = mapGet(map, key);
    if (!node || node.kind !== 'seq') return [];
    return node.items.filter((i): i is LMap => i.kind === 'map');
  }

  namedMaps(map: LMap, key: string): { name: string; nameLoc: SourceLoc; node: LMap }[] {
    const node = mapGet(map, key);
    if (!node || node.kind !== 'map') return [];
    return node.entries.filter((e) => e.value.kind === 'map').map((e) => ({ name: e.key, nameLoc: e.keyLoc, node: e.value as LMap }));
  }

  // ---- objects ------------------------------------------------------------

  vnet(name: string, node: LMap, nameLoc?: SourceLoc): T.VNet {
    const subnets = new Map<string, T.Subnet>();
    for (const s of this.namedMaps(node, 'subnets')) subnets.set(s.name, this.subnet(name, s.name, s.node, s.nameLoc));
    const peerings = new Map<string, T.Peering>();
    for (const p of this.namedMaps(node, 'peerings')) {
      const remote = this.str(p.node, 'remoteVirtualNetwork');
      if (!remote) continue;
      peerings.set(p.name, {
        name: p.name,
        vnet: name,
        loc: p.nameLoc,
        remoteVirtualNetwork: remote,
        allowVirtualNetworkAccess: this.bool(p.node, 'allowVirtualNetworkAccess'),
        allowForwardedTraffic: this.bool(p.node, 'allowForwardedTraffic'),
        allowGatewayTransit: this.bool(p.node, 'allowGatewayTransit'),
        useRemoteGateways: this.bool(p.node, 'useRemoteGateways'),
      });
    }
    return { name, loc: node.loc, ...(nameLoc ? { nameLoc } : {}), addressSpace: this.list(node, 'addressSpace'), region: this.str(node, 'region'), dnsServers: this.list(node, 'dnsServers'), subnets, peerings };
  }

  subnet(vnet: string, name: string, node: LMap, nameLoc?: SourceLoc): T.Subnet {
    return {
      name,
      vnet,
      id: `${vnet}/${name}`,
      loc: node.loc,
      ...(nameLoc ? { nameLoc } : {}),
      addressPrefixes: this.pair(node, 'addressPrefix', 'addressPrefixes'),
      networkSecurityGroup: this.str(node, 'networkSecurityGroup'),
      routeTable: this.str(node, 'routeTable'),
      natGateway: this.str(node, 'natGateway'),
      defaultOutboundAccess: this.bool(node, 'defaultOutboundAccess'),
      serviceEndpoints: this.list(node, 'serviceEndpoints'),
      serviceEndpointPolicies: this.seqMaps(node, 'serviceEndpointPolicies').map((p) => ({ name: this.str(p, 'name')?.value, loc: p.loc, resources: this.list(p, 'resources'), aliases: this.list(p, 'aliases') })),
      privateEndpointNetworkPolicies: this.enumOf(node, 'privateEndpointNetworkPolicies', PE_POLICIES),
    };
  }

  nsg(name: string, node: LMap, nameLoc?: SourceLoc): T.Nsg {
    const rules: T.SecurityRule[] = [];
    for (const r of this.seqMaps(node, 'securityRules')) {
      const ruleName = this.str(r, 'name');
      if (!ruleName) continue;
      // Fields the schema rejected become placeholders on an incomplete rule, so
      // the rule's other values are still checked in the same run.
      const priority = this.num(r, 'priority');
      const direction = this.enumOf(r, 'direction', ['Inbound', 'Outbound'] as const);
      const access = this.enumOf(r, 'access', ['Allow', 'Deny'] as const);
      const protocol = this.enumOf(r, 'protocol', PROTOCOLS);
      const incomplete = !priority || !direction || !access || !protocol;
      rules.push({
        nsg: name,
        name: ruleName.value,
        loc: r.loc,
        nameLoc: ruleName.loc,
        ...(incomplete ? { incomplete } : {}),
        priority: priority ?? { value: -1, loc: r.loc },
        direction: direction ?? { value: 'Inbound', loc: r.loc },
        access: access ?? { value: 'Deny', loc: r.loc },
        protocol: protocol ?? { value: '*', loc: r.loc },
        sourceAddressPrefixes: this.pair(r, 'sourceAddressPrefix', 'sourceAddressPrefixes'),
        sourceApplicationSecurityGroups: this.list(r, 'sourceApplicationSecurityGroups'),
        sourcePortRanges: this.pair(r, 'sourcePortRange', 'sourcePortRanges'),
        destinationAddressPrefixes: this.pair(r, 'destinationAddressPrefix', 'destinationAddressPrefixes'),
        destinationApplicationSecurityGroups: this.list(r, 'destinationApplicationSecurityGroups'),
        destinationPortRanges: this.pair(r, 'destinationPortRange', 'destinationPortRanges'),
      });
    }
    return { name, loc: node.loc, ...(nameLoc ? { nameLoc } : {}), securityRules: rules };
  }

  routeTable(name: string, node: LMap, nameLoc?: SourceLoc): T.RouteTable {
    const routes: T.Route[] = [];
    for (const r of this.seqMaps(node, 'routes')) {
      const routeName = this.str(r, 'name');
      const prefix = this.str(r, 'addressPrefix');
      const hop = this.enumOf(r, 'nextHopType', NEXT_HOP_TYPES);
      if (!routeName || !prefix || !hop) continue;
      routes.push({ table: name, name: routeName.value, loc: r.loc, addressPrefix: prefix, nextHopType: hop, nextHopIpAddress: this.str(r, 'nextHopIpAddress') });
    }
    return { name, loc: node.loc, ...(nameLoc ? { nameLoc } : {}), disableBgpRoutePropagation: this.bool(node, 'disableBgpRoutePropagation'), routes };
  }

  firewallPolicy(name: string, node: LMap): T.FirewallPolicy {
    const groups: T.RuleCollectionGroup[] = [];
    for (const g of this.seqMaps(node, 'ruleCollectionGroups')) {
      const groupName = this.str(g, 'name');
      const groupPriority = this.num(g, 'priority');
      if (!groupName || !groupPriority) continue;
      const collections: T.RuleCollection[] = [];
      for (const c of this.seqMaps(g, 'ruleCollections')) {
        const cName = this.str(c, 'name');
        const cPriority = this.num(c, 'priority');
        const cType = this.enumOf(c, 'ruleCollectionType', ['FirewallPolicyFilterRuleCollection', 'FirewallPolicyNatRuleCollection'] as const);
        const action = this.enumOf(c, 'action', ['Allow', 'Deny', 'Dnat'] as const);
        if (!cName || !cPriority || !cType || !action) continue;
        const rules: T.FirewallRule[] = [];
        for (const r of this.seqMaps(c, 'rules')) {
          const rName = this.str(r, 'name');
          const rType = this.enumOf(r, 'ruleType', ['NetworkRule', 'ApplicationRule', 'NatRule'] as const);
          if (!rName || !rType) continue;
          const ipProtocols: L<T.FirewallIpProtocol>[] = [];
          for (const p of this.list(r, 'ipProtocols')) {
            const c2 = canonical(p, ['TCP', 'UDP', 'ICMP', 'Any'] as const);
            if (c2) ipProtocols.push(c2);
          }
          const protocols: L<{ protocolType: T.AppProtocolType; port?: number }>[] = [];
          for (const p of this.seqMaps(r, 'protocols')) {
            const pt = this.enumOf(p, 'protocolType', ['Http', 'Https', 'Mssql'] as const);
            if (pt) protocols.push({ value: { protocolType: pt.value, port: this.num(p, 'port')?.value }, loc: p.loc });
          }
          rules.push({
            policy: name,
            group: groupName.value,
            collection: cName.value,
            name: rName.value,
            loc: r.loc,
            ruleType: rType,
            ipProtocols,
            sourceAddresses: this.list(r, 'sourceAddresses'),
            sourceIpGroups: this.list(r, 'sourceIpGroups'),
            destinationAddresses: this.list(r, 'destinationAddresses'),
            destinationIpGroups: this.list(r, 'destinationIpGroups'),
            destinationFqdns: this.list(r, 'destinationFqdns'),
            destinationPorts: this.list(r, 'destinationPorts'),
            protocols,
            targetFqdns: this.list(r, 'targetFqdns'),
            fqdnTags: this.list(r, 'fqdnTags'),
            targetUrls: this.list(r, 'targetUrls'),
            webCategories: this.list(r, 'webCategories'),
            terminateTLS: this.bool(r, 'terminateTLS'),
            translatedAddress: this.str(r, 'translatedAddress'),
            translatedFqdn: this.str(r, 'translatedFqdn'),
            translatedPort: this.str(r, 'translatedPort'),
          });
        }
        collections.push({ policy: name, group: groupName.value, name: cName.value, loc: c.loc, priority: cPriority, ruleCollectionType: cType, action, rules });
      }
      groups.push({ policy: name, name: groupName.value, loc: g.loc, priority: groupPriority, ruleCollections: collections });
    }
    const snat = this.mapAt(node, 'snat');
    return {
      name,
      loc: node.loc,
      basePolicy: this.str(node, 'basePolicy'),
      sku: this.enumOf(node, 'sku', ['Basic', 'Standard', 'Premium'] as const),
      threatIntelMode: this.enumOf(node, 'threatIntelMode', ['Off', 'Alert', 'Deny'] as const),
      dnsProxy: this.bool(node, 'dnsProxy'),
      snatPrivateRanges: snat && mapGet(snat, 'privateRanges') ? this.list(snat, 'privateRanges') : undefined,
      ruleCollectionGroups: groups,
    };
  }

  host(name: string, node: LMap): T.Host | undefined {
    const subnet = this.str(node, 'subnet');
    const ip = this.str(node, 'privateIpAddress');
    if (!subnet || !ip) return undefined;
    return {
      name,
      loc: node.loc,
      subnet,
      privateIpAddress: ip,
      networkSecurityGroup: this.str(node, 'networkSecurityGroup'),
      applicationSecurityGroups: this.list(node, 'applicationSecurityGroups'),
      publicIpAddress: this.str(node, 'publicIpAddress'),
      publicIpSku: this.enumOf(node, 'publicIpSku', ['Standard', 'Basic'] as const),
      enableIpForwarding: this.bool(node, 'enableIpForwarding'),
      role: this.str(node, 'role'),
    };
  }

  resource(name: string, node: LMap): T.Resource | undefined {
    const type = this.str(node, 'type');
    if (!type) return undefined;
    const acls = this.mapAt(node, 'networkAcls');
    const managed = this.mapAt(node, 'managedNetwork');
    let managedNetwork: T.Resource['managedNetwork'];
    if (managed) {
      const rules = new Map<string, T.ManagedOutboundRule>();
      for (const r of this.namedMaps(managed, 'outboundRules')) {
        const rType = this.enumOf(r.node, 'type', ['FQDN', 'PrivateEndpoint', 'ServiceTag'] as const);
        const destination = this.str(r.node, 'destination');
        if (!rType || !destination) continue;
        rules.set(r.name, {
          name: r.name,
          loc: r.nameLoc,
          type: rType,
          destination,
          subresourceTarget: this.str(r.node, 'subresourceTarget'),
          protocol: this.str(r.node, 'protocol'),
          portRanges: this.str(r.node, 'portRanges'),
        });
      }
      managedNetwork = { loc: managed.loc, isolationMode: this.enumOf(managed, 'isolationMode', ['Disabled', 'AllowInternetOutbound', 'AllowOnlyApprovedOutbound'] as const), outboundRules: rules };
    }
    return {
      name,
      loc: node.loc,
      type,
      region: this.str(node, 'region'),
      publicNetworkAccess: this.enumOf(node, 'publicNetworkAccess', ['Enabled', 'Disabled'] as const),
      networkAcls: acls
        ? {
            loc: acls.loc,
            defaultAction: this.enumOf(acls, 'defaultAction', ['Allow', 'Deny'] as const),
            bypass: this.oneOrMany(acls, 'bypass').flatMap((b) => b.value.split(',').map((v) => ({ value: v.trim(), loc: b.loc }))).filter((b) => b.value !== ''),
            ipRules: this.list(acls, 'ipRules'),
            virtualNetworkRules: this.list(acls, 'virtualNetworkRules'),
          }
        : undefined,
      sku: this.str(node, 'sku'),
      storageAccount: this.str(node, 'storageAccount'),
      keyVault: this.str(node, 'keyVault'),
      containerRegistry: this.str(node, 'containerRegistry'),
      managedNetwork,
    };
  }

  privateEndpoint(name: string, node: LMap): T.PrivateEndpoint | undefined {
    const subnet = this.str(node, 'subnet');
    const ip = this.str(node, 'privateIpAddress');
    const resource = this.str(node, 'resource');
    const groupId = this.str(node, 'groupId');
    if (!subnet || !ip || !resource || !groupId) return undefined;
    return {
      name,
      loc: node.loc,
      subnet,
      privateIpAddress: ip,
      resource,
      groupId,
      connectionState: this.enumOf(node, 'connectionState', ['Approved', 'Pending', 'Rejected', 'Disconnected'] as const),
      applicationSecurityGroups: this.list(node, 'applicationSecurityGroups'),
    };
  }

  flow(node: LMap): T.FlowSpec | undefined {
    const from = this.str(node, 'from');
    const to = this.str(node, 'to');
    if (!from || !to) return undefined;
    return {
      loc: node.loc,
      from,
      to,
      protocol: this.enumOf(node, 'protocol', ['Tcp', 'Udp', 'Icmp', '*'] as const),
      ports: this.list(node, 'ports'),
      sourcePorts: this.list(node, 'sourcePorts'),
    };
  }

  intent(node: LMap): T.Intent | undefined {
    const name = this.str(node, 'name');
    if (!name) return undefined;
    const kinds = (['deny', 'allow', 'require'] as const).filter((k) => mapEntry(node, k));
    const base = {
      name: name.value,
      loc: node.loc,
      nameLoc: name.loc,
      description: this.str(node, 'description')?.value,
      adversary: this.enumOf(node, 'adversary', ['default', 'strict'] as const),
    };
    if (kinds.length !== 1) {
      this.diagnostics.push(
        diag('TOPO222', kinds.length === 0 ? `intent '${name.value}' says neither deny:, allow: nor require:` : `intent '${name.value}' has ${kinds.join(' and ')}; an intent makes one claim`, name.loc, {
          hint: 'split it into one intent per claim',
        }),
      );
      return undefined;
    }
    const kind = kinds[0];
    if (kind === 'require') {
      const set = this.str(node, 'require');
      const from = this.str(node, 'from');
      if (!set) return undefined;
      if (!from) {
        this.diagnostics.push(diag('TOPO222', `intent '${name.value}' requires a flow set but has no from:`, name.loc, { hint: 'say which source needs the flows: from: vnet/subnet' }));
        return undefined;
      }
      const withMap = new Map<string, L<string>>();
      const w = this.mapAt(node, 'with');
      if (w) for (const e of w.entries) if (e.value.kind === 'scalar' && e.value.value !== null) withMap.set(e.key, { value: String(e.value.value), loc: e.value.loc });
      return { ...base, kind: 'require', set, from, to: this.str(node, 'to'), with: withMap };
    }
    for (const stray of ['from', 'to', 'with'] as const) {
      const e = mapEntry(node, stray);
      if (e) this.diagnostics.push(diag('TOPO222', `'${stray}:' belongs inside ${kind}: in intent '${name.value}'`, e.keyLoc, { hint: `move it under ${kind}:` }));
    }
    const flowNode = this.mapAt(node, kind);
    const flow = flowNode ? this.flow(flowNode) : undefined;
    if (!flow) return undefined;
    return kind === 'deny' ? { ...base, kind: 'deny', flow } : { ...base, kind: 'allow', flow };
  }
}

export function canonical<V extends string>(raw: L<string>, values: readonly V[]): L<V> | undefined {
  const lower = raw.value.toLowerCase();
  const hit = values.find((v) => v.toLowerCase() === lower);
  return hit === undefined ? undefined : { value: hit, loc: raw.loc };
}

/** Keys of a top-level named collection, with their nodes, for the merge step. */
export function collectionEntries(root: LMap, key: string): { name: string; nameLoc: SourceLoc; node: LNode }[] {
  const node = mapGet(root, key);
  if (!node || node.kind !== 'map') return [];
  return node.entries.map((e) => ({ name: e.key, nameLoc: e.keyLoc, node: e.value }));
}
