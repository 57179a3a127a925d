/**
 * The typed scenario: the YAML contract of docs/scenario-format.md after
 * schema validation, with singular/plural ARM pairs merged, enum values in
 * their canonical ARM case, and a SourceLoc on every object and value.
 * Defaults are NOT applied here: the model layer applies Azure's defaults
 * and says so in traces.
 */
import type { Located, SourceLoc } from './source-loc.js';

export type L<T> = Located<T>;
export type NamedMap<T> = ReadonlyMap<string, T>;

export interface Scenario {
  readonly file: string;
  readonly files: readonly string[];
  readonly loc: SourceLoc;
  readonly name: string;
  readonly description?: string;
  readonly region?: L<string>;
  readonly serviceTags?: L<string>;
  readonly vnets: NamedMap<VNet>;
  readonly networkSecurityGroups: NamedMap<Nsg>;
  readonly applicationSecurityGroups: NamedMap<Asg>;
  readonly routeTables: NamedMap<RouteTable>;
  readonly natGateways: NamedMap<NatGateway>;
  readonly ipGroups: NamedMap<IpGroup>;
  readonly firewallPolicies: NamedMap<FirewallPolicy>;
  readonly firewalls: NamedMap<Firewall>;
  readonly virtualNetworkGateways: NamedMap<VirtualNetworkGateway>;
  readonly hosts: NamedMap<Host>;
  readonly resources: NamedMap<Resource>;
  readonly privateEndpoints: NamedMap<PrivateEndpoint>;
  readonly externals: NamedMap<External>;
  readonly intents: readonly Intent[];
  /** Accepted lint findings (`lint.ignore`), from every file. */
  readonly lintIgnores: readonly LintIgnore[];
}

export interface LintIgnore {
  readonly loc: SourceLoc;
  readonly rule: L<string>;
  readonly target?: L<string>;
  readonly reason: L<string>;
}

export interface VNet {
  readonly name: string;
  readonly loc: SourceLoc;
  /** Where the name is written, for diagnostics about the object as a whole (absent when built in code). */
  readonly nameLoc?: SourceLoc;
  readonly addressSpace: readonly L<string>[];
  readonly region?: L<string>;
  readonly dnsServers: readonly L<string>[];
  readonly subnets: NamedMap<Subnet>;
  readonly peerings: NamedMap<Peering>;
}

export type PeNetworkPolicies = 'Disabled' | 'Enabled' | 'NetworkSecurityGroupEnabled' | 'RouteTableEnabled';

export interface Subnet {
  readonly name: string;
  readonly vnet: string;
  /** `vnet/subnet`, how everything else refers to it. */
  readonly id: string;
  readonly loc: SourceLoc;
  readonly nameLoc?: SourceLoc;
  readonly addressPrefixes: readonly L<string>[];
  readonly networkSecurityGroup?: L<string>;
  readonly routeTable?: L<string>;
  readonly natGateway?: L<string>;
  readonly defaultOutboundAccess?: L<boolean>;
  readonly serviceEndpoints: readonly L<string>[];
  readonly serviceEndpointPolicies: readonly ServiceEndpointPolicy[];
  readonly privateEndpointNetworkPolicies?: L<PeNetworkPolicies>;
}

export interface ServiceEndpointPolicy {
  readonly name?: string;
  readonly loc: SourceLoc;
  readonly resources: readonly L<string>[];
  /** Service aliases (`/services/Azure/MachineLearning`) admitting Microsoft-managed accounts. */
  readonly aliases: readonly L<string>[];
}

export interface Peering {
  readonly name: string;
  readonly vnet: string;
  readonly loc: SourceLoc;
  readonly remoteVirtualNetwork: L<string>;
  readonly allowVirtualNetworkAccess?: L<boolean>;
  readonly allowForwardedTraffic?: L<boolean>;
  readonly allowGatewayTransit?: L<boolean>;
  readonly useRemoteGateways?: L<boolean>;
}

export type Direction = 'Inbound' | 'Outbound';
export type Access = 'Allow' | 'Deny';
export type NsgProtocol = 'Tcp' | 'Udp' | 'Icmp' | 'Esp' | 'Ah' | '*';

export interface Nsg {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly nameLoc?: SourceLoc;
  readonly securityRules: readonly SecurityRule[];
}

export interface SecurityRule {
  readonly nsg: string;
  readonly name: string;
  readonly loc: SourceLoc;
  readonly nameLoc: SourceLoc;
  /** Set when the schema rejected one of the core fields; never reaches the model. */
  readonly incomplete?: boolean;
  readonly priority: L<number>;
  readonly direction: L<Direction>;
  readonly access: L<Access>;
  readonly protocol: L<NsgProtocol>;
  readonly sourceAddressPrefixes: readonly L<string>[];
  readonly sourceApplicationSecurityGroups: readonly L<string>[];
  readonly sourcePortRanges: readonly L<string>[];
  readonly destinationAddressPrefixes: readonly L<string>[];
  readonly destinationApplicationSecurityGroups: readonly L<string>[];
  readonly destinationPortRanges: readonly L<string>[];
}

export interface Asg {
  readonly name: string;
  readonly loc: SourceLoc;
}

export type NextHopType = 'VirtualAppliance' | 'VirtualNetworkGateway' | 'VnetLocal' | 'Internet' | 'None';

export interface RouteTable {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly nameLoc?: SourceLoc;
  readonly disableBgpRoutePropagation?: L<boolean>;
  readonly routes: readonly Route[];
}

export interface Route {
  readonly table: string;
  readonly name: string;
  readonly loc: SourceLoc;
  readonly addressPrefix: L<string>;
  readonly nextHopType: L<NextHopType>;
  readonly nextHopIpAddress?: L<string>;
}

export interface NatGateway {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly publicIpAddresses: readonly L<string>[];
}

export interface IpGroup {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly addresses: readonly L<string>[];
}

export interface FirewallPolicy {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly basePolicy?: L<string>;
  readonly sku?: L<'Basic' | 'Standard' | 'Premium'>;
  readonly threatIntelMode?: L<'Off' | 'Alert' | 'Deny'>;
  readonly dnsProxy?: L<boolean>;
  readonly snatPrivateRanges?: readonly L<string>[];
  readonly ruleCollectionGroups: readonly RuleCollectionGroup[];
}

export interface RuleCollectionGroup {
  readonly policy: string;
  readonly name: string;
  readonly loc: SourceLoc;
  readonly priority: L<number>;
  readonly ruleCollections: readonly RuleCollection[];
}

export type RuleCollectionType = 'FirewallPolicyFilterRuleCollection' | 'FirewallPolicyNatRuleCollection';

export interface RuleCollection {
  readonly policy: string;
  readonly group: string;
  readonly name: string;
  readonly loc: SourceLoc;
  readonly priority: L<number>;
  readonly ruleCollectionType: L<RuleCollectionType>;
  readonly action: L<'Allow' | 'Deny' | 'Dnat'>;
  readonly rules: readonly FirewallRule[];
}

export type FirewallRuleType = 'NetworkRule' | 'ApplicationRule' | 'NatRule';
export type FirewallIpProtocol = 'TCP' | 'UDP' | 'ICMP' | 'Any';
export type AppProtocolType = 'Http' | 'Https' | 'Mssql';

export interface FirewallRule {
  readonly policy: string;
  readonly group: string;
  readonly collection: string;
  readonly name: string;
  readonly loc: SourceLoc;
  readonly ruleType: L<FirewallRuleType>;
  readonly ipProtocols: readonly L<FirewallIpProtocol>[];
  readonly sourceAddresses: readonly L<string>[];
  readonly sourceIpGroups: readonly L<string>[];
  readonly destinationAddresses: readonly L<string>[];
  readonly destinationIpGroups: readonly L<string>[];
  readonly destinationFqdns: readonly L<string>[];
  readonly destinationPorts: readonly L<string>[];
  readonly protocols: readonly L<{ readonly protocolType: AppProtocolType; readonly port?: number }>[];
  readonly targetFqdns: readonly L<string>[];
  readonly fqdnTags: readonly L<string>[];
  readonly targetUrls: readonly L<string>[];
  readonly webCategories: readonly L<string>[];
  readonly terminateTLS?: L<boolean>;
  readonly translatedAddress?: L<string>;
  readonly translatedFqdn?: L<string>;
  readonly translatedPort?: L<string>;
}

export interface Firewall {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly vnet: L<string>;
  readonly privateIpAddress: L<string>;
  readonly publicIpAddresses: readonly L<string>[];
  readonly firewallPolicy?: L<string>;
  readonly forcedTunneling?: L<boolean>;
}

export interface VirtualNetworkGateway {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly vnet: L<string>;
  readonly gatewayType: L<'Vpn' | 'ExpressRoute'>;
  readonly remoteAddressPrefixes: readonly L<string>[];
  readonly bgp?: L<boolean>;
}

export interface Host {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly subnet: L<string>;
  readonly privateIpAddress: L<string>;
  readonly networkSecurityGroup?: L<string>;
  readonly applicationSecurityGroups: readonly L<string>[];
  readonly publicIpAddress?: L<string>;
  readonly publicIpSku?: L<'Standard' | 'Basic'>;
  readonly enableIpForwarding?: L<boolean>;
  readonly role?: L<string>;
}

export interface NetworkAcls {
  readonly loc: SourceLoc;
  readonly defaultAction?: L<'Allow' | 'Deny'>;
  readonly bypass: readonly L<string>[];
  readonly ipRules: readonly L<string>[];
  readonly virtualNetworkRules: readonly L<string>[];
}

export type IsolationMode = 'Disabled' | 'AllowInternetOutbound' | 'AllowOnlyApprovedOutbound';

export interface ManagedOutboundRule {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly type: L<'FQDN' | 'PrivateEndpoint' | 'ServiceTag'>;
  readonly destination: L<string>;
  readonly subresourceTarget?: L<string>;
  readonly protocol?: L<string>;
  readonly portRanges?: L<string>;
}

export interface Resource {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly type: L<string>;
  readonly region?: L<string>;
  readonly publicNetworkAccess?: L<'Enabled' | 'Disabled'>;
  readonly networkAcls?: NetworkAcls;
  readonly sku?: L<string>;
  /**
   * An Azure ML workspace's associated resources (ARM `properties.storageAccount`,
   * `keyVault`, `containerRegistry`): resources keys. A topo extension of the
   * format; the managed network's required private endpoints go to them.
   */
  readonly storageAccount?: L<string>;
  readonly keyVault?: L<string>;
  readonly containerRegistry?: L<string>;
  readonly managedNetwork?: {
    readonly loc: SourceLoc;
    readonly isolationMode?: L<IsolationMode>;
    readonly outboundRules: NamedMap<ManagedOutboundRule>;
  };
}

export interface PrivateEndpoint {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly subnet: L<string>;
  readonly privateIpAddress: L<string>;
  readonly resource: L<string>;
  readonly groupId: L<string>;
  readonly connectionState?: L<'Approved' | 'Pending' | 'Rejected' | 'Disconnected'>;
  readonly applicationSecurityGroups: readonly L<string>[];
}

export interface External {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly addressPrefixes: readonly L<string>[];
}

export interface FlowSpec {
  readonly loc: SourceLoc;
  readonly from: L<string>;
  readonly to: L<string>;
  readonly protocol?: L<'Tcp' | 'Udp' | 'Icmp' | '*'>;
  readonly ports: readonly L<string>[];
  readonly sourcePorts: readonly L<string>[];
}

interface IntentBase {
  readonly name: string;
  readonly loc: SourceLoc;
  readonly nameLoc: SourceLoc;
  readonly description?: string;
  readonly adversary?: L<'default' | 'strict'>;
}

export interface DenyIntent extends IntentBase {
  readonly kind: 'deny';
  readonly flow: FlowSpec;
}

export interface AllowIntent extends IntentBase {
  readonly kind: 'allow';
  readonly flow: FlowSpec;
}

export interface RequireIntent extends IntentBase {
  readonly kind: 'require';
  readonly set: L<string>;
  readonly from: L<string>;
  readonly to?: L<string>;
  readonly with: NamedMap<L<string>>;
}

export type Intent = DenyIntent | AllowIntent | RequireIntent;
