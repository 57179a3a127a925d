/**
 * What symbolic propagation carries besides headers: the path facts that
 * later hops depend on. Paths in Azure designs are short, so states are few.
 */
import type { PacketSet } from '../headerspace/packet-set.js';
import type { HopKind } from '../sim/trace.js';
import type { RuleRef } from '../model/types.js';
import type { Sink } from '../model/endpoints.js';
import { natKey, type Nat } from './nat.js';

export interface PathState {
  /** Firewalls crossed, in order (routing loops end when one is met too often). */
  readonly firewalls: readonly string[];
  /** Firewalls that forwarded the current leg without SNAT (F4.5.1), whose replies must come back through them (F2.7.4, F4.6). */
  readonly noSnat: readonly string[];
  /** The connection's finished legs, oldest first: each ended at a firewall that rewrote its source, which relays its reply back (F4.6.1). */
  readonly legs?: readonly Leg[];
  /** Region the packet left Azure from (F5.3.6: storage IP rules ignore same-region callers). */
  readonly region?: string;
  /** Subnet whose service endpoint carried the packet (F2.8.1: its identity reaches the service). */
  readonly seSubnet?: string;
  /** Translations applied so far; packet sets stay in the coordinates they were sent with. */
  readonly nat?: Nat;
}

/**
 * A finished leg of a connection (sim/simulate.ts, "Replies"): from where its
 * source was last set to the firewall that rewrote it (SNAT, F4.5; DNAT,
 * F4.5.4). Its reply starts at that firewall, goes back to the leg's source
 * and carries the leg's destination as its source.
 */
export interface Leg {
  readonly firewall: string;
  /** The leg's source and destination when translated by then; undefined: the packet's own, as sent. */
  readonly srcIp?: number;
  readonly dstIp?: number;
  /** Firewalls that forwarded the leg without SNAT. */
  readonly noSnat: readonly string[];
  /** Ended by DNAT: the firewall answers the client from the public address it reached (F4.5.4). */
  readonly dnat: boolean;
}

export const START: PathState = { firewalls: [], noSnat: [] };

function legKey(l: Leg): string {
  return `${l.firewall}:${l.srcIp ?? ''}:${l.dstIp ?? ''}:${l.noSnat.join('+')}:${l.dnat ? 'd' : ''}`;
}

export function stateKey(s: PathState): string {
  return `${s.firewalls.join(',')}|${s.noSnat.join(',')}|${s.region ?? ''}|${s.seSubnet ?? ''}|${natKey(s.nat)}|${(s.legs ?? []).map(legKey).join(';')}`;
}

/** Packets stopped by a rule, route, peering or setting. */
export interface Blocked {
  readonly set: PacketSet;
  readonly at: string;
  /** The element, with the ids of trace hops (`nic:...`, `firewall:...`), for diagrams. */
  readonly node?: string;
  readonly kind: HopKind;
  readonly ref?: RuleRef;
  readonly reason: string;
}

/** Packets whose fate topo cannot decide, with why. */
export interface Undecided {
  readonly set: PacketSet;
  readonly at: string;
  readonly reason: string;
}

export interface Delivered {
  readonly sink: Sink;
  readonly set: PacketSet;
  readonly state: PathState;
}

export interface Emission {
  readonly to: string;
  readonly set: PacketSet;
  readonly state: PathState;
}

export interface TransferResult {
  readonly emit?: readonly Emission[];
  readonly deliver?: readonly Delivered[];
  readonly blocked?: readonly Blocked[];
  readonly undecided?: readonly Undecided[];
}

/**
 * What a transfer reads at run time rather than at graph build time: the
 * network whose NSG and firewall programs decide. A rule edit (what-if)
 * reuses the graph with an edited network.
 */
export interface RunContext {
  readonly net: import('../model/types.js').Network;
  /**
   * An over-approximation: the outbound NSGs of interfaces let every packet
   * through. Transfers decide each packet on its own and an NSG only removes
   * packets, so such a run delivers, and leaves undecided, at least what the
   * real run does: when it reaches nothing, neither does the real one
   * (batch.ts passes most deny claims this way, without crossing an NSG).
   */
  readonly outboundNsgsOpen?: boolean;
  /** The same over-approximation for the inbound NSGs of the interfaces packets arrive at (diff/engine.ts). */
  readonly inboundNsgsOpen?: boolean;
}

export type Transfer = (set: PacketSet, state: PathState, ctx: RunContext) => TransferResult;
