/**
 * The diagram model: what `topo diagram` draws, built from the compiled
 * network (and the verification results), before any layout. Element ids are
 * the ones trace hops name (`vnet:hub`, `subnet:hub/shared`, `nic:host:app1`,
 * `firewall:fw`, `gateway:gw`, `resource:store`, `internet`), so a witness
 * path maps onto the picture without guessing. Every element keeps the
 * SourceLoc of the YAML that produced it.
 */
import type { SourceLoc } from '../scenario/source-loc.js';
import type { IntentResult } from '../verify/results.js';

export type NodeKind =
  | 'vnet'
  | 'vnet-group'
  | 'subnet'
  | 'host'
  | 'private-endpoint'
  | 'firewall'
  | 'gateway'
  | 'resource'
  | 'external'
  | 'internet';

/** One line of hover text: a fact or a rule, with where it is written. */
export interface Detail {
  readonly text: string;
  readonly loc?: SourceLoc;
}

/** NSG, route table and NAT gateway markers on a subnet (or NIC-level NSG on a host). */
export interface Badge {
  readonly kind: 'nsg' | 'route-table' | 'nat-gateway';
  readonly label: string;
  readonly loc: SourceLoc;
  readonly details: readonly Detail[];
}

export interface DiagramNode {
  /** The element id (see the module comment); collapsed spokes use `vnets:<first>+<n>`. */
  readonly id: string;
  readonly kind: NodeKind;
  /** Header line: the element's name. */
  readonly label: string;
  /** Second line: address space, prefix or IP. */
  readonly sublabel?: string;
  readonly loc?: SourceLoc;
  readonly parent?: string;
  readonly children: readonly DiagramNode[];
  readonly badges: readonly Badge[];
  readonly details: readonly Detail[];
  /** Other element ids drawn by this node (a firewall's `nic:firewall:x`, a subnet's `nic:subnet:v/s`). */
  readonly aliases: readonly string[];
  /** A box standing for several spokes with identical structure. */
  readonly collapsed?: { readonly count: number; readonly members: readonly string[] };
}

export type EdgeKind = 'peering' | 'peering-one-sided' | 'private-link' | 'gateway-link' | 'path';

export interface DiagramEdge {
  readonly id: string;
  readonly kind: EdgeKind;
  readonly source: string;
  readonly target: string;
  readonly label?: string;
  readonly loc?: SourceLoc;
  readonly details: readonly Detail[];
  /** Element ids this edge draws (the peering links `peering:<vnet>/<link>` of a VNet pair). */
  readonly aliases: readonly string[];
}

/** One hop of an intent's path, as the side panel lists it. */
export interface OverlayHop {
  readonly at: string;
  /** The diagram element (node or edge id) the hop is drawn on, when it has one. */
  readonly element?: string;
  readonly kind: string;
  readonly decision: string;
  readonly rule?: string;
  readonly loc?: SourceLoc;
  readonly detail?: string;
  /** The hop that stops the packet. */
  readonly blocking: boolean;
}

export interface OverlayBlocker {
  readonly at: string;
  readonly element?: string;
  readonly reason: string;
  readonly rule?: string;
  readonly loc?: SourceLoc;
}

/**
 * What an intent puts on the picture:
 * - `witness`: the failing intent's witness packet (red);
 * - `allowed`: a passing allow, one representative packet's delivered path;
 * - `example`: a passing deny, one representative packet up to where it stops;
 * - `none`: nothing to draw (unknown without a witness, or no packet can be built).
 */
export type OverlayPathKind = 'witness' | 'allowed' | 'example' | 'none';

/** An intent's result as the diagram draws it: the result's own fields, then where it runs on the picture. */
export interface IntentOverlay extends Pick<IntentResult, 'name' | 'kind' | 'status' | 'loc' | 'from' | 'to' | 'protocol' | 'ports' | 'description' | 'reason'> {
  readonly pathKind: OverlayPathKind;
  /** The packet drawn, in words (`Tcp 10.1.1.4:49152 -> 203.0.113.10:443 (pypi.org)`). */
  readonly packet?: string;
  /** The trace's conclusion. */
  readonly verdict?: string;
  readonly hops: readonly OverlayHop[];
  /** Diagram nodes the path visits, in order, without repeats. */
  readonly nodes: readonly string[];
  /** Diagram edges the path uses: its `path` edges and the peerings it crosses. */
  readonly edges: readonly string[];
  /** Elements (nodes or edges) that stop the packets: the failing allow's blockers or the example's last hop. */
  readonly blocking: readonly string[];
  readonly blockers: readonly OverlayBlocker[];
  /** The diagram elements the intent's `from` and `to` name, when they are drawn. */
  readonly endpoints: { readonly from?: string; readonly to?: string };
}

export interface Diagram {
  readonly title: string;
  readonly scenario: string;
  readonly description?: string;
  readonly files: readonly string[];
  readonly region: string;
  /** Top-level boxes: VNets (or collapsed groups), resources, externals, the Internet; sorted by id. */
  readonly roots: readonly DiagramNode[];
  /** Sorted by id. */
  readonly edges: readonly DiagramEdge[];
  /** In scenario order. */
  readonly intents: readonly IntentOverlay[];
  /** Spoke groups drawn as one box, and how many VNets they stand for. */
  readonly collapse: { readonly groups: number; readonly vnets: number; readonly threshold: number };
}
