/**
 * Private endpoints: subnet, target resource, group id and address. The
 * address comes from the endpoint's NIC (deployed), its DNS configuration,
 * a static IP configuration, or a stand-in (templates). An endpoint whose
 * target cannot be resolved is not imported: what it leads to is what it is.
 */
import { props } from '../inputs/normalise.js';
import type { ArmResource } from '../resource.js';
import { isObject, isUnresolved, type Value } from '../template/values.js';
import { T } from '../types.js';
import type { InterfaceSlot } from './addresses.js';
import { atOf, type MapContext } from './context.js';
import { comment, Unknown, type DraftObject, type Named } from './draft.js';
import { dynamicAddress } from './hosts.js';

function refId(v: Value | undefined): string | undefined {
  const id = isObject(v) ? v.id : v;
  return typeof id === 'string' ? id : undefined;
}

function connection(pe: ArmResource): { [key: string]: Value } | undefined {
  for (const key of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections']) {
    const list = pe.properties[key];
    if (!Array.isArray(list) || list.length === 0 || !isObject(list[0])) continue;
    const c = props(list[0]);
    // A manual connection waits for the resource owner's approval: Pending until then (a template never says otherwise).
    if (key.startsWith('manual') && !isObject(c.privateLinkServiceConnectionState)) return { ...c, privateLinkServiceConnectionState: { status: 'Pending' } };
    return c;
  }
  return undefined;
}

/** The target id of an endpoint, or why it has none. */
export function peTarget(pe: ArmResource): string | Value | undefined {
  return connection(pe)?.privateLinkServiceId;
}

function knownAddress(ctx: MapContext, pe: ArmResource): string | undefined {
  for (const n of Array.isArray(pe.properties.networkInterfaces) ? pe.properties.networkInterfaces : []) {
    const nic = ctx.get(refId(n));
    const configs = nic && Array.isArray(nic.properties.ipConfigurations) ? nic.properties.ipConfigurations : [];
    const ip = configs.length > 0 ? props(configs[0]).privateIPAddress : undefined;
    if (typeof ip === 'string' && ip) return ip;
  }
  for (const d of Array.isArray(pe.properties.customDnsConfigs) ? pe.properties.customDnsConfigs : []) {
    const ips = isObject(d) ? d.ipAddresses : undefined;
    if (Array.isArray(ips) && typeof ips[0] === 'string') return ips[0];
  }
  for (const c of Array.isArray(pe.properties.ipConfigurations) ? pe.properties.ipConfigurations : []) {
    const ip = props(c).privateIPAddress;
    if (typeof ip === 'string' && ip) return ip;
  }
  return undefined;
}

/** Endpoints with a resolvable target; the others are reported and left out. */
export function importablePrivateEndpoints(ctx: MapContext): ArmResource[] {
  return ctx.of(T.privateEndpoint).filter((pe) => {
    const target = peTarget(pe);
    if (typeof target === 'string') return true;
    const why = isUnresolved(target) ? `its target is unresolved: [${target.expr ?? target.reason}]${target.file ? ` (${target.file}:${target.line})` : ''}` : 'it has no private link service connection';
    if (isUnresolved(target)) ctx.issues.unresolved(target, `private endpoint '${pe.name}' leads to an unknown resource: it is not imported`);
    else ctx.issues.warning(`private endpoint '${pe.name}' has no private link service connection; it is not imported`, atOf(pe));
    ctx.leftOut.push([`not imported: private endpoint ${pe.name} (${ctx.origin(pe)})`, why]);
    return false;
  });
}

export function privateEndpointSlots(ctx: MapContext, pes: readonly ArmResource[]): InterfaceSlot[] {
  return pes.flatMap((pe) => {
    const subnet = refId(pe.properties.subnet);
    return subnet ? [{ owner: pe.id, index: 0, subnetId: subnet, address: knownAddress(ctx, pe) }] : [];
  });
}

export function mapPrivateEndpoints(ctx: MapContext, pes: readonly ArmResource[]): Named[] {
  return pes.map((pe) => {
    const o: DraftObject = {};
    comment(o, ctx.origin(pe, 'privateEndpoints'));
    const subnet = ctx.subnetRef(pe.properties.subnet, o, `subnet of private endpoint ${pe.name}`, pe);
    if (subnet !== undefined) o.subnet = subnet;
    const a = ctx.addresses.privateIp(pe.id, 0);
    if (a.ip) {
      o.privateIpAddress = a.ip;
      if (a.standIn) {
        ctx.standIns++;
        comment(o, `privateIpAddress: ${a.ip} is a stand-in: Azure assigns the endpoint's address at deploy time`);
      }
    } else o.privateIpAddress = ctx.unknown(dynamicAddress(a.why), o, `private IP of private endpoint ${pe.name}`);
    const c = connection(pe)!;
    const target = c.privateLinkServiceId as string;
    const key = ctx.names.key('resources', target);
    o.resource = key ?? target.split('/').at(-1)!;
    if (!key) {
      comment(o, `resource: ${target} is not in the input`);
      ctx.issues.warning(`private endpoint '${pe.name}' leads to ${target}, which is not in the input; topo validate reports it as undefined until it is imported`, atOf(pe));
    }
    const groups = ctx.texts(c.groupIds, o, `groupIds of private endpoint ${pe.name}`);
    if (groups.length > 0) o.groupId = groups[0];
    if (groups.length > 1) comment(o, `groupIds: ${groups.slice(1).map((g) => (g instanceof Unknown ? g.text : g)).join(', ')} also (the format takes one group per endpoint)`);
    const state = isObject(c.privateLinkServiceConnectionState) ? ctx.text(c.privateLinkServiceConnectionState.status, o, `connection state of ${pe.name}`) : undefined;
    if (typeof state === 'string' && state.toLowerCase() !== 'approved') o.connectionState = state;
    return { key: ctx.names.key('privateEndpoints', pe.id)!, value: o };
  });
}
