/**
 * The compiled network: Azure's semantics applied to a validated scenario.
 * One model feeds both the packet simulator (sim/) and the symbolic
 * verifier (verify/); they are two independent readings of this data.
 * Every element keeps the SourceLoc of the YAML that produced it.
 */
import type { MatchRule } from '../headerspace/first-match.js';
import type { IntervalSet } from '../headerspace/interval-set.js';
import type { Ipv4Prefix } from '../net/ipv4.js';
import type { ServiceTagCatalog } from '../catalog/service-tags.js';
import type { ResourceTypeInfo } from '../catalog/resource-types.js';
import type { SourceLoc } from '../scenario/source-loc.js';
import type { PeNetworkPolicies, Scenario } from '../scenario/types.js';

/** What decided something, for traces and reports: a rule, a route, a setting. */
export interface RuleRef {
  readonly kind: RefKind;
  /** Stable id, e.g. `compute-nsg/allow-pe-https`, `via-firewall/default-to-firewall`. */
  readonly id: string;
  /** Human label, e.g. `compute-nsg/allow-pe-https (priority 100)`. */
  readonly label: string;
  readonly loc: SourceLoc;
}

export type RefKind =
  | 'nsg-rule'
  | 'nsg-default-rule'
  | 'no-nsg'
  | 'route'
  | 'system-route'
  | 'peering'
  | 'firewall-rule'
  | 'firewall-default'
  | 'firewall-infrastructure'
  | 'paas'
  | 'egress'
  | 'setting'
  | 'platform';

/**
 * Marks a part of an Azure ML workspace's managed virtual network
 * (model/managed-network.ts): Microsoft's network, not the design's, located
 * at the workspace's `managedNetwork` in the YAML.
 */
export interface ManagedMark {
  readonly workspace: string;
  readonly loc: SourceLoc;
}

/** A boolean setting with Azure's default applied, remembering whether the user wrote it. */
export interface Flag {
  readonly value: boolean;
  readonly explicit: boolean;
  readonly loc: SourceLoc;
}

// ---------------------------------------------------------------------------
// NSGs (F1)

export interface NsgRule extends MatchRule {
  readonly access: 'Allow' | 'Deny';
  readonly priority: number;
  readonly ref: RuleRef;
  /** Uses an AzurePlatform* tag: also decides platform traffic (F1.6.4). */
  readonly platform: boolean;
}

/** One NSG compiled for one direction in the context of one subnet (VirtualNetwork differs per subnet, F1.6.1). */
export interface NsgProgram {
  readonly nsg: string;
  readonly direction: 'Inbound' | 'Outbound';
  readonly loc: SourceLoc;
  /** Custom rules by priority, then the three default rules of the direction (F1.3). */
  readonly rules: readonly NsgRule[];
}

// ---------------------------------------------------------------------------
// Addresses, VNets, subnets, interfaces

export interface VNetModel {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly region: string;
  readonly prefixes: readonly Ipv4Prefix[];
  readonly space: IntervalSet;
  readonly subnets: SubnetModel[];
  readonly peerings: PeeringLink[];
  /** Gateways whose routes this VNet gets: its own, or a peer's through useRemoteGateways (F3.2). */
  readonly gateways: GatewayModel[];
  readonly managed?: ManagedMark;
}

export interface PeeringLink {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly local: string;
  readonly remote: string;
  /** Both sides declare the peering (F3.1.1). */
  readonly connected: boolean;
  readonly allowVirtualNetworkAccess: Flag;
  readonly allowForwardedTraffic: Flag;
  readonly allowGatewayTransit: Flag;
  readonly useRemoteGateways: Flag;
}

export interface SubnetModel {
  readonly id: string;
  readonly name: string;
  readonly vnet: string;
  readonly loc: SourceLoc;
  readonly prefixes: readonly Ipv4Prefix[];
  readonly space: IntervalSet;
  /** Addresses a NIC may hold: the prefixes minus the five Azure reserves. */
  readonly usable: IntervalSet;
  readonly nsg?: { readonly name: string; readonly loc: SourceLoc };
  readonly routeTable?: { readonly name: string; readonly loc: SourceLoc };
  readonly natGateway?: { readonly name: string; readonly loc: SourceLoc; readonly publicIps: IntervalSet };
  readonly defaultOutboundAccess: Flag;
  readonly serviceEndpoints: readonly { readonly service: string; readonly loc: SourceLoc }[];
  /** Storage accounts the Microsoft.Storage endpoint may reach, when a policy is attached: own accounts and service aliases. */
  readonly serviceEndpointPolicy?: { readonly resources: readonly string[]; readonly aliases: readonly string[]; readonly loc: SourceLoc };
  readonly privateEndpointNetworkPolicies: { readonly value: PeNetworkPolicies; readonly explicit: boolean; readonly loc: SourceLoc };
  /** Contents of the VirtualNetwork tag for NSGs evaluated here (F1.6.1). */
  readonly virtualNetworkTag: IntervalSet;
  readonly routes: EffectiveRoutes;
  readonly nics: Nic[];
  readonly special?: 'AzureFirewallSubnet' | 'AzureFirewallManagementSubnet' | 'GatewaySubnet' | 'AzureBastionSubnet' | 'RouteServerSubnet';
  readonly managed?: ManagedMark;
}

export type NicKind = 'host' | 'subnet' | 'private-endpoint' | 'firewall' | 'gateway';

export interface Nic {
  /** `host:dsvm-1`, `subnet:research/compute` (the addresses no declared NIC holds), `pe:x`, `firewall:hub-fw`, `gateway:gw`. */
  readonly id: string;
  readonly kind: NicKind;
  readonly name: string;
  readonly label: string;
  readonly loc: SourceLoc;
  readonly subnet: SubnetModel;
  readonly addresses: IntervalSet;
  readonly nsg?: { readonly name: string; readonly loc: SourceLoc };
  readonly asgs: readonly string[];
  readonly publicIp?: { readonly addr: number; readonly sku: 'Standard' | 'Basic'; readonly loc: SourceLoc };
  readonly ipForwarding: boolean;
  readonly role?: string;
  readonly privateEndpoint?: PrivateEndpointModel;
  readonly firewall?: string;
  readonly managed?: ManagedMark;
}

// ---------------------------------------------------------------------------
// Routes (F2)

export type NextHop =
  | { readonly type: 'VnetLocal' }
  | { readonly type: 'VNetPeering'; readonly peer: string }
  | { readonly type: 'VirtualNetworkGateway'; readonly gateway: string }
  | { readonly type: 'VirtualAppliance'; readonly ip: number }
  | { readonly type: 'Internet' }
  | { readonly type: 'None' }
  | { readonly type: 'VirtualNetworkServiceEndpoint'; readonly service: string; readonly tag: string }
  | { readonly type: 'InterfaceEndpoint'; readonly privateEndpoint: string; readonly vnet: string };

export type RouteSource = 'user' | 'system' | 'bgp' | 'service-endpoint' | 'private-endpoint';

export interface RouteModel {
  readonly source: RouteSource;
  readonly nextHop: NextHop;
  readonly ref: RuleRef;
  /** The prefix text as written (`0.0.0.0/0`, `Storage.EastUS`) or derived. */
  readonly prefixText: string;
  /** For tag routes: the tag, used for the equal-prefix order of F2.4.4. */
  readonly tag?: string;
  /** Default system route kinds, for exception 1 of F2.4.3. */
  readonly systemKind?: 'vnet' | 'peering' | 'default' | 'reserved';
}

/** A route as it applies to one CIDR prefix (tag routes apply to many). */
export interface RouteEntry {
  readonly lo: number;
  readonly hi: number;
  readonly len: number;
  readonly route: RouteModel;
}

export interface RouteSegment {
  readonly lo: number;
  readonly hi: number;
  readonly route: RouteModel;
  /** The CIDR length of the winning entry, for display. */
  readonly len: number;
}

/** The subnet's effective route table: a partition of the IPv4 space by winning route. */
export interface EffectiveRoutes {
  readonly entries: readonly RouteEntry[];
  readonly segments: readonly RouteSegment[];
}

// ---------------------------------------------------------------------------
// Gateways, firewalls (F4)

export interface GatewayModel {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly vnet: string;
  readonly type: 'Vpn' | 'ExpressRoute';
  readonly remote: IntervalSet;
  readonly remotePrefixes: readonly Ipv4Prefix[];
  readonly bgp: boolean;
}

export type FirewallRuleKind = 'dnat' | 'network' | 'application';

export interface FirewallRule extends MatchRule {
  readonly kind: FirewallRuleKind;
  readonly action: 'Allow' | 'Deny' | 'Dnat' | 'Unknown';
  readonly ref: RuleRef;
  readonly translate?: { readonly addr: number; readonly port?: number };
  /** Why packets reaching this rule cannot be decided (Premium URL targets, FQDNs without DNS proxy...). */
  readonly unknownReason?: string;
}

export interface FirewallModel {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly nic: Nic;
  readonly privateIp: number;
  readonly publicIps: IntervalSet;
  readonly policy?: string;
  /** DNAT, then network, then application rules, each in processing order (F4.2). */
  readonly dnat: readonly FirewallRule[];
  readonly network: readonly FirewallRule[];
  readonly application: readonly FirewallRule[];
  /** The built-in infrastructure collection (F4.2.7): matched after application rules. */
  readonly infrastructure: FirewallRule;
  readonly defaultDeny: RuleRef;
  /** Destinations network rules do not SNAT (F4.5.1-2). */
  readonly snatExempt: IntervalSet;
  readonly threatIntelMode: string;
  readonly forcedTunneling: boolean;
  readonly dnsProxy: boolean;
  /** The egress of a managed network: rules from its isolation mode and outbound rules. */
  readonly managed?: ManagedMark;
}

// ---------------------------------------------------------------------------
// PaaS (F5)

export interface PrivateEndpointModel {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly resource: string;
  readonly groupId: string;
  readonly ip: number;
  readonly approved: boolean;
  readonly state: string;
  readonly nicId: string;
  /** A managed private endpoint: only the managed network's compute reaches it. */
  readonly managed?: ManagedMark;
}

export interface ResourceModel {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly type: string;
  readonly info?: ResourceTypeInfo;
  readonly region: string;
  readonly publicNetworkAccess: Flag & { readonly enabled: boolean };
  readonly defaultAction: { readonly value: 'Allow' | 'Deny'; readonly explicit: boolean; readonly loc: SourceLoc };
  readonly bypass: readonly string[];
  readonly ipRules: IntervalSet;
  readonly ipRulesLoc?: SourceLoc;
  readonly virtualNetworkRules: ReadonlyMap<string, SourceLoc>;
  /** The design's private endpoints to it. */
  readonly privateEndpoints: PrivateEndpointModel[];
  /** Private endpoints of Azure ML managed networks to it (their compute only). */
  readonly managedPrivateEndpoints: PrivateEndpointModel[];
  /** Public endpoint name class per groupId. */
  readonly publicNames: ReadonlyMap<string, number>;
}

// ---------------------------------------------------------------------------
// Names and the adversary (scenario-format "internet")

export type NameKind = 'none' | 'own' | 'trusted' | 'foreign' | 'literal' | 'suffix' | 'other' | 'infrastructure' | 'fqdn-tag';

export interface NameClass {
  readonly id: number;
  readonly kind: NameKind;
  /** e.g. `mldata.blob.core.windows.net`, `another tenant's *.blob.core.windows.net`. */
  readonly label: string;
  /** Addresses a name of this class can resolve to. */
  readonly ipRegion: IntervalSet;
  /** Counted as the adversary by default / with adversary: strict. */
  readonly adversarial: boolean;
  readonly adversarialStrict: boolean;
  readonly reason: string;
  readonly resource?: { readonly name: string; readonly groupId: string };
  /** Literal FQDN, or the suffix (`.blob.core.windows.net`) for suffix classes. */
  readonly literal?: string;
  readonly suffix?: string;
  /** For names of a Microsoft-managed service (managed-services.ts): its id. */
  readonly managed?: string;
}

export interface Adversary {
  /** Every public address topo models (compact catalog: outside the footprint plus one address per atom). */
  readonly publicSpace: IntervalSet;
  /** Public addresses the design owns: NIC public IPs, firewall and NAT gateway public IPs. */
  readonly ownPublic: IntervalSet;
  /** Public addresses only first-party services not counted by default serve. */
  readonly trustedOnly: IntervalSet;
  /** Compact catalog: addresses in Azure's footprint that only intents name, and Microsoft's fixed hosts (never anonymous Internet sources). */
  readonly claimOnly: IntervalSet;
  /** Why an address is (or is not) counted, for witnesses. */
  describe(addr: number): string;
}

export interface Approximation {
  readonly message: string;
  readonly loc: SourceLoc;
  /** Addresses whose relation to service tags the compact catalog cannot decide. */
  readonly region: IntervalSet;
}

/** An Azure ML workspace's managed virtual network, compiled (model/managed-network.ts). */
export interface ManagedNetworkModel {
  readonly workspace: string;
  /** The workspace's `managedNetwork` in the YAML. */
  readonly loc: SourceLoc;
  readonly isolationMode: 'AllowInternetOutbound' | 'AllowOnlyApprovedOutbound';
  readonly modeLoc: SourceLoc;
  readonly vnet: string;
  /** The one interface standing for all the workspace's managed compute. */
  readonly compute: Nic;
  readonly firewall: string;
  readonly privateEndpoints: readonly PrivateEndpointModel[];
  /** What topo cannot decide about this managed network, and why. */
  readonly unknowns: readonly string[];
}

export interface Network {
  /** The design as the user wrote it (without the managed networks' compiled parts). */
  readonly scenario: Scenario;
  readonly catalog: ServiceTagCatalog;
  readonly region: string;
  readonly vnets: ReadonlyMap<string, VNetModel>;
  readonly subnets: ReadonlyMap<string, SubnetModel>;
  readonly nics: readonly Nic[];
  readonly nicById: ReadonlyMap<string, Nic>;
  readonly firewalls: ReadonlyMap<string, FirewallModel>;
  readonly gateways: ReadonlyMap<string, GatewayModel>;
  readonly resources: ReadonlyMap<string, ResourceModel>;
  readonly privateEndpoints: ReadonlyMap<string, PrivateEndpointModel>;
  /** Azure ML managed virtual networks by workspace. */
  readonly managedNetworks: ReadonlyMap<string, ManagedNetworkModel>;
  readonly names: readonly NameClass[];
  readonly adversary: Adversary;
  /** Public externals and on-premises externals (behind a gateway). */
  readonly externals: ReadonlyMap<string, { readonly name: string; readonly loc: SourceLoc; readonly space: IntervalSet; readonly onPremises: boolean }>;
  readonly approximations: readonly Approximation[];
  /** Compact catalog: addresses standing for tag regions whose relation to the design's literal prefixes is unknown. */
  readonly uncertain: IntervalSet;
  /** NSG programs per (nsg, direction, subnet) (cached). */
  nsgProgram(nsg: string, direction: 'Inbound' | 'Outbound', subnet: SubnetModel, ignoreSourcePorts?: boolean): NsgProgram;
  /** The name class a host name belongs to (names.ts). */
  classOfName(fqdn: string): number;
  /** The NIC in a VNet that holds an address. */
  nicAt(vnet: string, addr: number): Nic | undefined;
  /**
   * The same network with some NSGs' and firewall policies' rules replaced
   * (a what-if): shares every compiled part but those programs. Undefined
   * when the edit needs a full compile (new FQDNs, or a change to the
   * compact catalog's uncertainty).
   */
  withRuleEdits(edits: {
    readonly nsgs?: ReadonlyMap<string, import('../scenario/types.js').Nsg>;
    readonly firewallPolicies?: ReadonlyMap<string, import('../scenario/types.js').FirewallPolicy>;
  }): Network | undefined;
}
