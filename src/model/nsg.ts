/**
 * NSG programs (F1): custom rules by priority, then the three default rules
 * of the direction (F1.3), each rule one or two boxes. Compiled per subnet,
 * because the VirtualNetwork tag differs per subnet (F1.6.1).
 */
import { IntervalSet } from '../headerspace/interval-set.js';
import { DIM_MAX, PROTO, type Dim } from '../headerspace/packet.js';
import type { Box } from '../headerspace/box.js';
import { parsePortSpec, PORT_MAX } from '../net/ports.js';
import { pseudoTag } from '../catalog/pseudo-tags.js';
import { builtinLoc } from '../scenario/source-loc.js';
import type { Nsg, NsgProtocol, SecurityRule } from '../scenario/types.js';
import type { AddressResolver, TagContext } from './addresses.js';
import { ALL_ADDRESSES } from './addresses.js';
import type { NsgProgram, NsgRule, RuleRef } from './types.js';

export const ALL_PROTOCOLS = IntervalSet.of(0, DIM_MAX[0]);
export const PORTED = IntervalSet.fromRanges([
  [PROTO.TCP, PROTO.TCP],
  [PROTO.UDP, PROTO.UDP],
]);
export const ALL_PORTS = IntervalSet.of(0, PORT_MAX);
export const ALL_NAMES = IntervalSet.of(0, DIM_MAX[5]);

export function nsgProtocols(p: NsgProtocol): IntervalSet {
  switch (p) {
    case 'Tcp':
      return IntervalSet.point(PROTO.TCP);
    case 'Udp':
      return IntervalSet.point(PROTO.UDP);
    case 'Icmp':
      return IntervalSet.point(PROTO.ICMP);
    case 'Esp':
      return IntervalSet.point(PROTO.ESP);
    case 'Ah':
      return IntervalSet.point(PROTO.AH);
    case '*':
      // F1.1.3: "*" matches every protocol topo models.
      return ALL_PROTOCOLS;
  }
}

export function portSet(specs: readonly string[]): IntervalSet {
  return IntervalSet.fromRanges(
    specs.map((s) => {
      const p = parsePortSpec(s);
      if (!p.ok) throw new Error(`topo: invalid port '${s}' reached the model`);
      return [p.lo, p.hi] as [number, number];
    }),
  );
}

/**
 * Boxes of a 5-tuple match. Port conditions only constrain TCP and UDP;
 * ICMP, ESP and AH have no ports (F1.1.5), so their packets match whatever
 * the port fields say.
 */
export function tupleBoxes(protocols: IntervalSet, src: IntervalSet, srcPorts: IntervalSet, dst: IntervalSet, dstPorts: IntervalSet, names: IntervalSet = ALL_NAMES): Box[] {
  if (src.isEmpty || dst.isEmpty || protocols.isEmpty || names.isEmpty) return [];
  const boxes: Box[] = [];
  const ported = protocols.intersect(PORTED);
  const portless = protocols.subtract(PORTED);
  if (!ported.isEmpty && !srcPorts.isEmpty && !dstPorts.isEmpty) boxes.push([ported, src, srcPorts, dst, dstPorts, names]);
  if (!portless.isEmpty) boxes.push([portless, src, ALL_PORTS, dst, ALL_PORTS, names]);
  return boxes;
}

export interface NsgContext extends TagContext {
  readonly asgMembers: ReadonlyMap<string, IntervalSet>;
  /** F1.9.3: for private endpoint traffic source-port conditions are treated as "*". */
  readonly ignoreSourcePorts: boolean;
}

/** How one custom rule is compiled; a caller may take unchanged rules from earlier programs (compile.ts). */
export type RuleCompiler = (r: SecurityRule, ctx: NsgContext, resolver: AddressResolver) => NsgRule;

export function compileNsg(nsg: Nsg, direction: 'Inbound' | 'Outbound', ctx: NsgContext, resolver: AddressResolver, compileOne: RuleCompiler = compileRule): NsgProgram {
  const custom = nsg.securityRules.filter((r) => r.direction.value === direction).sort((a, b) => a.priority.value - b.priority.value);
  const rules: NsgRule[] = custom.map((r) => compileOne(r, ctx, resolver));
  rules.push(...defaultRules(nsg, direction, ctx, resolver));
  return { nsg: nsg.name, direction, loc: nsg.loc, rules };
}

function side(prefixes: SecurityRule['sourceAddressPrefixes'], asgs: SecurityRule['sourceApplicationSecurityGroups'], ctx: NsgContext, resolver: AddressResolver): IntervalSet {
  if (asgs.length > 0) {
    // F1.7.2: an ASG rule applies to member NICs only; as an address set that is the members' IPs.
    let acc = IntervalSet.EMPTY;
    for (const a of asgs) acc = acc.union(ctx.asgMembers.get(a.value) ?? IntervalSet.EMPTY);
    return acc;
  }
  let acc = IntervalSet.EMPTY;
  for (const p of prefixes) acc = acc.union(resolver.address(p, ctx, false));
  return acc;
}

export function compileRule(r: SecurityRule, ctx: NsgContext, resolver: AddressResolver): NsgRule {
  const src = side(r.sourceAddressPrefixes, r.sourceApplicationSecurityGroups, ctx, resolver);
  const dst = side(r.destinationAddressPrefixes, r.destinationApplicationSecurityGroups, ctx, resolver);
  const srcPorts = ctx.ignoreSourcePorts ? ALL_PORTS : portSet(r.sourcePortRanges.map((p) => p.value));
  const dstPorts = portSet(r.destinationPortRanges.map((p) => p.value));
  const platform = [...r.sourceAddressPrefixes, ...r.destinationAddressPrefixes].some((p) => /^azureplatform/i.test(p.value.trim()));
  const ref: RuleRef = { kind: 'nsg-rule', id: `${r.nsg}/${r.name}`, label: `${r.nsg}/${r.name} (priority ${r.priority.value})`, loc: r.loc };
  return { access: r.access.value, priority: r.priority.value, ref, platform, boxes: tupleBoxes(nsgProtocols(r.protocol.value), src, srcPorts, dst, dstPorts) };
}

/** F1.3: the six default rules, three per direction, by their Azure names. */
function defaultRules(nsg: Nsg, direction: 'Inbound' | 'Outbound', ctx: NsgContext, resolver: AddressResolver): NsgRule[] {
  const make = (name: string, priority: number, access: 'Allow' | 'Deny', src: IntervalSet, dst: IntervalSet): NsgRule => ({
    access,
    priority,
    platform: false,
    ref: { kind: 'nsg-default-rule', id: `${nsg.name}/${name}`, label: `${nsg.name}/${name} (default rule, priority ${priority})`, loc: nsg.loc },
    boxes: tupleBoxes(ALL_PROTOCOLS, src, ALL_PORTS, dst, ALL_PORTS),
  });
  const vnet = resolver.tag('VirtualNetwork', ctx);
  if (direction === 'Inbound') {
    return [
      make('AllowVNetInBound', 65000, 'Allow', vnet, vnet),
      make('AllowAzureLoadBalancerInBound', 65001, 'Allow', resolver.tag('AzureLoadBalancer', ctx), ALL_ADDRESSES),
      make('DenyAllInBound', 65500, 'Deny', ALL_ADDRESSES, ALL_ADDRESSES),
    ];
  }
  return [
    make('AllowVnetOutBound', 65000, 'Allow', vnet, vnet),
    make('AllowInternetOutBound', 65001, 'Allow', ALL_ADDRESSES, resolver.tag('Internet', ctx)),
    make('DenyAllOutBound', 65500, 'Deny', ALL_ADDRESSES, ALL_ADDRESSES),
  ];
}

export function usesPseudoTag(value: string): boolean {
  return pseudoTag(value) !== undefined;
}

export const NO_NSG_LOC = builtinLoc('no-nsg');
export type { Dim };
