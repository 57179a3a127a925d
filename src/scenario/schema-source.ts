/**
 * The scenario JSON Schema (draft-07), written as code and emitted to
 * schema/scenario.schema.json for editors. The schema checks shape (keys,
 * types, enums); value syntax (CIDRs, ports, references) is checked by the
 * semantic checks, which give each problem its own stable code.
 */

type Schema = Record<string, unknown>;

export const SCHEMA_ID = 'https://topo.dev/schema/scenario.schema.json';

/** Azure resource names: 1-80 characters, word characters, '.', '-' and '_'. */
export const NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$';

/** F1.1.6: NSG rule names also end with a word character or '_'. */
export const RULE_NAME_PATTERN = '^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$';

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** An enum matched case-insensitively (the format's rule) that editors can still complete. */
export function ciEnum(values: readonly string[], description: string): Schema {
  const alternatives = values.map((v) =>
    [...v].map((ch) => (ch.toLowerCase() !== ch.toUpperCase() ? `[${ch.toUpperCase()}${ch.toLowerCase()}]` : escapeRegex(ch))).join(''),
  );
  return {
    description,
    'x-enum': [...values],
    anyOf: [{ enum: [...values] }, { type: 'string', pattern: `^(?:${alternatives.join('|')})$` }],
  };
}

const str = (description: string): Schema => ({ type: 'string', description });
const bool = (description: string): Schema => ({ type: 'boolean', description });
const strList = (description: string): Schema => ({ type: 'array', items: { type: 'string' }, description });
const ref = (description: string): Schema => ({ type: ['string', 'null'], description });
const port = { type: ['integer', 'string'] };
const portList = (description: string): Schema => ({ type: 'array', items: port, description });

function obj(properties: Record<string, Schema>, required: string[] = [], description?: string): Schema {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

function namedMap(item: Schema, description: string): Schema {
  return { type: 'object', description, propertyNames: { pattern: NAME_PATTERN }, additionalProperties: item };
}

export const PROTOCOLS = ['Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*'] as const;
export const NEXT_HOP_TYPES = ['VirtualAppliance', 'VirtualNetworkGateway', 'VnetLocal', 'Internet', 'None'] as const;
export const PE_POLICIES = ['Disabled', 'Enabled', 'NetworkSecurityGroupEnabled', 'RouteTableEnabled'] as const;

const subnet = obj(
  {
    addressPrefix: str('The subnet prefix, inside the VNet address space.'),
    addressPrefixes: strList('Several subnet prefixes (ARM addressPrefixes).'),
    networkSecurityGroup: ref('The networkSecurityGroups key of the subnet NSG, or null.'),
    routeTable: ref('The routeTables key of the subnet route table, or null.'),
    natGateway: ref('The natGateways key giving the subnet explicit Internet egress, or null.'),
    defaultOutboundAccess: bool('Azure default outbound access (implicit SNAT to the Internet). Omitted: assumed true, the behaviour of every VNet created before API 2025-07-01.'),
    serviceEndpoints: strList('Service endpoints enabled on the subnet, e.g. Microsoft.Storage.'),
    serviceEndpointPolicies: {
      type: 'array',
      description: 'Service endpoint policies: the storage accounts reachable through the Microsoft.Storage endpoint.',
      items: obj({
        name: str('Policy name.'),
        resources: strList('resources keys of the allowed storage accounts.'),
        aliases: strList('Service aliases admitting Microsoft-managed accounts, e.g. /services/Azure/MachineLearning.'),
      }),
    },
    privateEndpointNetworkPolicies: ciEnum(PE_POLICIES, 'Whether NSGs and UDRs apply to private endpoints in this subnet (default Disabled).'),
    description: str('Free text.'),
  },
  [],
  'A subnet of the VNet, referenced elsewhere as vnet/subnet.',
);

const peering = obj(
  {
    remoteVirtualNetwork: str('The vnets key of the peered VNet.'),
    allowVirtualNetworkAccess: bool('Default true: the remote space is part of the local VirtualNetwork tag.'),
    allowForwardedTraffic: bool('Default false: accept traffic the remote VNet forwards but did not originate.'),
    allowGatewayTransit: bool('Default false: let the peer use this VNet\'s gateway.'),
    useRemoteGateways: bool('Default false: use the peer\'s gateway.'),
    description: str('Free text.'),
  },
  ['remoteVirtualNetwork'],
);

const vnet = obj(
  {
    addressSpace: { ...strList('Address prefixes of the VNet.'), minItems: 1 },
    region: str('Azure region of the VNet; defaults to the scenario region.'),
    dnsServers: strList('Custom DNS servers of the VNet.'),
    subnets: namedMap(subnet, 'Subnets keyed by name.'),
    peerings: namedMap(peering, 'Peerings of this VNet keyed by name.'),
    description: str('Free text.'),
  },
  ['addressSpace'],
);

const securityRule = obj(
  {
    name: { type: 'string', pattern: RULE_NAME_PATTERN, description: 'Rule name: 1-80 word characters, ., - or _, starting with a word character and ending with one or _ (F1.1.6).' },
    description: str('Free text.'),
    priority: { type: 'integer', minimum: 100, maximum: 4096, description: '100..4096, unique per direction within the NSG; lower is evaluated first.' },
    direction: ciEnum(['Inbound', 'Outbound'], 'Traffic direction the rule applies to.'),
    access: ciEnum(['Allow', 'Deny'], 'What a matching packet gets.'),
    protocol: ciEnum(PROTOCOLS, 'IP protocol; "*" is any.'),
    sourceAddressPrefix: str('CIDR, IP, service tag or "*".'),
    sourceAddressPrefixes: strList('Several CIDRs or IPs.'),
    sourceApplicationSecurityGroups: strList('applicationSecurityGroups names.'),
    sourcePortRange: port,
    sourcePortRanges: portList('Several source ports or ranges.'),
    destinationAddressPrefix: str('CIDR, IP, service tag or "*".'),
    destinationAddressPrefixes: strList('Several CIDRs or IPs.'),
    destinationApplicationSecurityGroups: strList('applicationSecurityGroups names.'),
    destinationPortRange: port,
    destinationPortRanges: portList('Several destination ports or ranges.'),
  },
  ['name', 'priority', 'direction', 'access', 'protocol'],
);

const nsg = obj({ securityRules: { type: 'array', items: securityRule, description: 'Custom rules; the six Azure default rules are always present.' }, description: str('Free text.') });

const route = obj(
  {
    name: str('Route name.'),
    addressPrefix: str('Destination CIDR or service tag.'),
    nextHopType: ciEnum(NEXT_HOP_TYPES, 'Where matching traffic goes.'),
    nextHopIpAddress: str('Required for VirtualAppliance only.'),
    description: str('Free text.'),
  },
  ['name', 'addressPrefix', 'nextHopType'],
);

const routeTable = obj({
  disableBgpRoutePropagation: bool('Default false: when true the subnets get no gateway (BGP or static) routes.'),
  routes: { type: 'array', items: route, description: 'User-defined routes.' },
  description: str('Free text.'),
});

const natGateway = obj({ publicIpAddresses: strList('Public IPs the gateway SNATs to.'), description: str('Free text.') });

const fwRule = obj(
  {
    name: str('Rule name.'),
    description: str('Free text.'),
    ruleType: ciEnum(['NetworkRule', 'ApplicationRule', 'NatRule'], 'Kind of rule; must match the collection type.'),
    ipProtocols: { type: 'array', items: ciEnum(['TCP', 'UDP', 'ICMP', 'Any'], 'IP protocol.'), description: 'Network and NAT rules.' },
    sourceAddresses: strList('IPs, CIDRs, ranges a-b or "*".'),
    sourceIpGroups: strList('ipGroups keys.'),
    destinationAddresses: strList('IPs, CIDRs, ranges, service tags or "*" (NAT: the firewall public IP).'),
    destinationIpGroups: strList('ipGroups keys.'),
    destinationFqdns: strList('FQDNs resolved by the firewall (network rules; need the DNS proxy).'),
    destinationPorts: portList('Ports or ranges; "*" is any.'),
    protocols: {
      type: 'array',
      description: 'Application rules: protocol and port pairs.',
      items: obj({ protocolType: ciEnum(['Http', 'Https', 'Mssql'], 'Application protocol.'), port: { type: 'integer', minimum: 0, maximum: 64000 } }, ['protocolType']),
    },
    targetFqdns: strList('FQDNs, optionally with a leading wildcard (*.contoso.com).'),
    fqdnTags: strList('Azure Firewall FQDN tags, e.g. WindowsVirtualDesktop.'),
    targetUrls: strList('Premium URL targets (not modelled: results become unknown).'),
    webCategories: strList('Premium web categories (not modelled: results become unknown).'),
    terminateTLS: bool('TLS inspection for this rule (Premium).'),
    translatedAddress: str('DNAT target address.'),
    translatedFqdn: str('DNAT target FQDN.'),
    translatedPort: port,
  },
  ['name', 'ruleType'],
);

const ruleCollection = obj(
  {
    name: str('Collection name.'),
    priority: { type: 'integer', minimum: 100, maximum: 65000 },
    ruleCollectionType: ciEnum(['FirewallPolicyFilterRuleCollection', 'FirewallPolicyNatRuleCollection'], 'Filter (network or application rules) or NAT.'),
    action: ciEnum(['Allow', 'Deny', 'Dnat'], 'Action of every rule in the collection.'),
    rules: { type: 'array', items: fwRule },
    description: str('Free text.'),
  },
  ['name', 'priority', 'ruleCollectionType', 'action'],
);

const ruleCollectionGroup = obj(
  { name: str('Group name.'), priority: { type: 'integer', minimum: 100, maximum: 65000 }, ruleCollections: { type: 'array', items: ruleCollection }, description: str('Free text.') },
  ['name', 'priority'],
);

const firewallPolicy = obj({
  basePolicy: ref('Parent policy (its groups are always processed first).'),
  sku: ciEnum(['Basic', 'Standard', 'Premium'], 'Policy tier.'),
  threatIntelMode: ciEnum(['Off', 'Alert', 'Deny'], 'Threat intelligence mode (default Alert).'),
  dnsProxy: bool('DNS proxy enabled (needed for FQDNs in network rules).'),
  snat: obj({ privateRanges: strList('Ranges the firewall does not SNAT to; IANAPrivateRanges expands to the defaults.') }),
  ruleCollectionGroups: { type: 'array', items: ruleCollectionGroup },
  description: str('Free text.'),
});

const firewall = obj(
  {
    vnet: str('The vnets key; the firewall lives in its AzureFirewallSubnet.'),
    privateIpAddress: str('Private IP in AzureFirewallSubnet (the UDR next hop).'),
    publicIpAddresses: strList('Public IPs (DNAT destinations, SNAT sources).'),
    firewallPolicy: ref('The firewallPolicies key.'),
    forcedTunneling: bool('Forced-tunnel mode: Internet-bound traffic follows AzureFirewallSubnet routes; DNAT unsupported.'),
    description: str('Free text.'),
  },
  ['vnet', 'privateIpAddress'],
);

const gateway = obj(
  {
    vnet: str('The vnets key; the gateway lives in its GatewaySubnet.'),
    gatewayType: ciEnum(['Vpn', 'ExpressRoute'], 'Gateway kind.'),
    remoteAddressPrefixes: strList('On-premises prefixes behind the gateway.'),
    bgp: bool('Whether the remote prefixes are learned by BGP (ExpressRoute always is).'),
    description: str('Free text.'),
  },
  ['vnet', 'gatewayType'],
);

const external = obj({ addressPrefixes: { ...strList('Address prefixes of the outside party.'), minItems: 1 }, description: str('Free text.') }, ['addressPrefixes']);

const host = obj(
  {
    subnet: str('vnet/subnet the NIC is in.'),
    privateIpAddress: str('Private IP, inside the subnet and not Azure-reserved.'),
    networkSecurityGroup: ref('NIC-level NSG.'),
    applicationSecurityGroups: strList('ASGs the NIC is a member of.'),
    publicIpAddress: { type: ['string', 'null'], description: 'Public IP on the NIC.' },
    publicIpSku: ciEnum(['Standard', 'Basic'], 'Standard (default): closed to inbound unless an NSG allows it.'),
    enableIpForwarding: bool('IP forwarding on the NIC (an NVA).'),
    role: str('Free text, or a role the service models know (amlComputeInstance, amlComputeCluster, avdSessionHost, bastion, ...).'),
    description: str('Free text.'),
  },
  ['subnet', 'privateIpAddress'],
);

const networkAcls = obj({
  defaultAction: ciEnum(['Allow', 'Deny'], 'Default for the public endpoint; rules only matter with Deny.'),
  bypass: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'AzureServices, Logging, Metrics or None.' },
  ipRules: strList('Public IPs or CIDRs allowed on the public endpoint.'),
  virtualNetworkRules: strList('Subnets (vnet/subnet) with the service endpoint that may use the public endpoint.'),
});

const resource = obj(
  {
    type: str('ARM resource type, e.g. Microsoft.Storage/storageAccounts.'),
    region: str('Region; defaults to the scenario region.'),
    publicNetworkAccess: ciEnum(['Enabled', 'Disabled'], 'Whether the public endpoint exists.'),
    networkAcls: networkAcls,
    sku: str('SKU name, e.g. Premium for a container registry with network rules.'),
    storageAccount: str("Azure ML workspace: the resources key of its default storage account (ARM properties.storageAccount)."),
    keyVault: str("Azure ML workspace: the resources key of its key vault (ARM properties.keyVault)."),
    containerRegistry: str("Azure ML workspace: the resources key of its container registry (ARM properties.containerRegistry)."),
    managedNetwork: obj({
      isolationMode: ciEnum(['Disabled', 'AllowInternetOutbound', 'AllowOnlyApprovedOutbound'], 'Azure ML managed VNet isolation mode (default Disabled).'),
      outboundRules: namedMap(
        obj({
          type: ciEnum(['FQDN', 'PrivateEndpoint', 'ServiceTag'], 'Kind of approved outbound rule.'),
          destination: str('FQDN, resource, or service tag.'),
          subresourceTarget: str('groupId of a private endpoint rule.'),
          protocol: str('Protocol of a service tag rule.'),
          portRanges: str('Ports of a service tag rule.'),
        }, ['type', 'destination']),
        'Approved outbound rules keyed by name.',
      ),
    }),
    description: str('Free text.'),
  },
  ['type'],
);

const privateEndpoint = obj(
  {
    subnet: str('vnet/subnet the endpoint NIC is in.'),
    privateIpAddress: str('Private IP of the endpoint.'),
    resource: str('resources key of the target.'),
    groupId: str('Target sub-resource: blob, file, dfs, vault, registry, amlworkspace, ...'),
    connectionState: ciEnum(['Approved', 'Pending', 'Rejected', 'Disconnected'], 'Only Approved carries traffic (default Approved).'),
    applicationSecurityGroups: strList('ASGs (only with network policies enabled).'),
    description: str('Free text.'),
  },
  ['subnet', 'privateIpAddress', 'resource', 'groupId'],
);

const flow = obj(
  {
    from: str('Source: host, vnet/subnet, vnet, private endpoint, resource, resource/groupId, external, tag:X, CIDR or internet.'),
    to: str('Destination, same forms as from.'),
    protocol: ciEnum(['Tcp', 'Udp', 'Icmp', '*'], 'Default "*" (Tcp, Udp and Icmp).'),
    ports: portList('Destination ports; default all.'),
    sourcePorts: portList('Source ports; default all.'),
  },
  ['from', 'to'],
);

const intent = obj(
  {
    name: str('Unique intent name.'),
    description: str('Why the intent exists.'),
    deny: flow,
    allow: flow,
    require: str('A flow set of the shipped service models, e.g. azureml/compute-cluster.'),
    from: str('Source of a require: intent.'),
    to: str('Destination of a require: intent, where the set has one.'),
    with: { type: 'object', additionalProperties: { type: ['string', 'boolean', 'number'] }, description: 'Bindings of the flow set parameters: resource names, and true or false for flags.' },
    adversary: ciEnum(['default', 'strict'], 'strict: every service tag and every FQDN outside the design counts as the Internet.'),
  },
  ['name'],
);

const lintIgnore = obj(
  {
    rule: str('The lint to silence, by id (TOPO-L002) or name (paas-public-network-access).'),
    target: str('Only its findings about this object (as findings name it: a subnet vnet/subnet, a rule nsg/rule, a resource, a host); default all.'),
    reason: { type: 'string', minLength: 1, description: 'Why the finding is accepted: reports keep it next to the suppressed finding.' },
  },
  ['rule', 'reason'],
);

const lint = obj(
  { ignore: { type: 'array', items: lintIgnore, description: 'Accepted lint findings, each with its reason.' } },
  [],
  'Posture lints (topo lint, and the findings of topo verify).',
);

export const scenarioSchema: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: SCHEMA_ID,
  title: 'topo scenario',
  description: 'An Azure network design and what must (and must not) be reachable in it.',
  ...obj(
    {
      name: str('Scenario name.'),
      description: str('Free text.'),
      region: str('Default Azure region (resolves regional tags and same-region rules).'),
      serviceTags: str('Path of an official ServiceTags_Public JSON file; default: the shipped catalog.'),
      include: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'Other scenario files merged into this one, relative to this file.' },
      vnets: namedMap(vnet, 'Virtual networks keyed by name.'),
      networkSecurityGroups: namedMap(nsg, 'NSGs keyed by name.'),
      applicationSecurityGroups: { type: 'array', items: { type: 'string', pattern: NAME_PATTERN }, description: 'ASG names.' },
      routeTables: namedMap(routeTable, 'Route tables keyed by name.'),
      natGateways: namedMap(natGateway, 'NAT gateways keyed by name.'),
      ipGroups: namedMap({ type: 'array', items: { type: 'string' } }, 'IP groups for firewall rules: name -> prefixes.'),
      firewallPolicies: namedMap(firewallPolicy, 'Firewall policies keyed by name.'),
      firewalls: namedMap(firewall, 'Azure Firewalls keyed by name.'),
      virtualNetworkGateways: namedMap(gateway, 'VPN / ExpressRoute gateways keyed by name.'),
      hosts: namedMap(host, 'VMs and other NICs keyed by name.'),
      resources: namedMap(resource, 'PaaS resources of this design keyed by Azure resource name.'),
      privateEndpoints: namedMap(privateEndpoint, 'Private endpoints keyed by name.'),
      externals: namedMap(external, 'Named outside parties keyed by name.'),
      intents: { type: 'array', items: intent, description: 'What must and must not be reachable.' },
      lint,
    },
    ['name'],
  ),
};
