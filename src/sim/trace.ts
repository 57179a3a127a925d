/**
 * A trace: one concrete packet's path, hop by hop, each hop naming the
 * rule, route, peering link or setting that decided it and where it is
 * written. The JSON shape is the contract of `topo trace --format json`.
 */
import type { Packet } from '../headerspace/packet.js';
import type { SourceLoc } from '../scenario/source-loc.js';
import type { Sink } from '../model/endpoints.js';

export type HopKind = 'nsg' | 'route' | 'peering' | 'firewall' | 'nat' | 'egress' | 'paas' | 'delivery' | 'platform' | 'ingress' | 'symmetry' | 'forwarding';
export type HopDecision = 'allow' | 'deny' | 'forward' | 'drop' | 'translate' | 'deliver' | 'unknown' | 'info';

export interface Hop {
  /** Where the packet is: a NIC, subnet, firewall, peering link, resource, the Internet. */
  readonly at: string;
  /**
   * The element the hop is at, for diagrams and tools: `nic:<id>`,
   * `subnet:<vnet>/<subnet>`, `vnet:<name>`, `peering:<vnet>/<link>`,
   * `firewall:<name>`, `gateway:<name>`, `resource:<name>`, `internet`.
   */
  readonly node?: string;
  readonly kind: HopKind;
  readonly decision: HopDecision;
  /** What decided: `compute-nsg/allow-pe-https (priority 100)`, `via-firewall/default-to-firewall ...`. */
  readonly rule?: string;
  readonly ruleId?: string;
  readonly loc?: SourceLoc;
  /** Facts, defaults and translations worth saying. */
  readonly detail?: string;
}

/** Where the packet ended up: a model Sink plus a label. */
export type Delivery = Sink & { readonly label: string; readonly adversarial?: boolean; readonly adversarialStrict?: boolean; readonly via?: string };

export interface Trace {
  readonly verdict: 'delivered' | 'dropped' | 'unknown';
  readonly packet: Packet;
  readonly hops: readonly Hop[];
  readonly reason: string;
  readonly delivery?: Delivery;
  /** Firewalls the packet crossed, in order (for the reply-symmetry check). */
  readonly firewalls: readonly string[];
}
