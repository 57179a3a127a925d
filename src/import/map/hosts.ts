/**
 * Network interfaces as hosts: one host per IP configuration, named after
 * the VM that uses the NIC (or the NIC when none does). NICs of private
 * endpoints and private link services are not hosts, and a NIC attached to
 * nothing carries no traffic, so it is left out.
 */
import { props } from '../inputs/normalise.js';
import { idKey, idParts, type ArmResource } from '../resource.js';
import { isObject, Unresolved, type Value } from '../template/values.js';
import { T } from '../types.js';
import type { InterfaceSlot } from './addresses.js';
import type { MapContext } from './context.js';
import { comment, Unknown, type DraftObject, type Named } from './draft.js';
import type { NameCandidate } from './names.js';
import { publicAddressOf } from './public-ip.js';

interface HostConfig {
  readonly id: string;
  readonly nic: ArmResource;
  readonly index: number;
  readonly config: { readonly [key: string]: Value };
  readonly configName: string;
  readonly vm?: { id: string; resource?: ArmResource };
  readonly name: string;
}

function refId(v: Value | undefined): string | undefined {
  const id = isObject(v) ? v.id : v;
  return typeof id === 'string' ? id : undefined;
}

/** NIC id -> the VM that uses it (from the NIC, or from the VM's network profile). */
function vmsByNic(ctx: MapContext): Map<string, { id: string; resource?: ArmResource; nics: number }> {
  const out = new Map<string, { id: string; resource?: ArmResource; nics: number }>();
  for (const vm of ctx.of(T.vm)) {
    const profile = isObject(vm.properties.networkProfile) ? vm.properties.networkProfile.networkInterfaces : undefined;
    const nics = Array.isArray(profile) ? profile : [];
    for (const n of nics) {
      const id = refId(n);
      if (id) out.set(idKey(id), { id: vm.id, resource: vm, nics: nics.length });
    }
  }
  for (const nic of ctx.of(T.nic)) {
    const vmId = refId(nic.properties.virtualMachine);
    if (vmId && !out.has(idKey(nic.id))) out.set(idKey(nic.id), { id: vmId, resource: ctx.get(vmId), nics: 1 });
  }
  return out;
}

function privateEndpointNics(ctx: MapContext): Set<string> {
  const out = new Set<string>();
  for (const pe of ctx.of(T.privateEndpoint)) for (const n of Array.isArray(pe.properties.networkInterfaces) ? pe.properties.networkInterfaces : []) if (refId(n)) out.add(idKey(refId(n)!));
  return out;
}

export function hostConfigs(ctx: MapContext): HostConfig[] {
  const vms = vmsByNic(ctx);
  const peNics = privateEndpointNics(ctx);
  const out: HostConfig[] = [];
  let detached = 0;
  for (const nic of ctx.of(T.nic)) {
    if (nic.properties.privateEndpoint || nic.properties.privateLinkService || peNics.has(idKey(nic.id))) continue;
    const vm = vms.get(idKey(nic.id));
    if (!vm) {
      detached++;
      continue;
    }
    const configs = Array.isArray(nic.properties.ipConfigurations) ? nic.properties.ipConfigurations : [];
    const base = vm.nics > 1 ? `${idParts(vm.id).name}-${nic.name}` : idParts(vm.id).name;
    configs.forEach((c, index) => {
      if (!isObject(c)) return;
      const p = props(c);
      if (typeof p.privateIPAddressVersion === 'string' && /v6/i.test(p.privateIPAddressVersion)) return;
      const configName = typeof c.name === 'string' ? c.name : `ipconfig${index + 1}`;
      out.push({ id: `${nic.id}#${configName}`, nic, index, config: p, configName, vm: { id: vm.id, resource: vm.resource }, name: index === 0 ? base : `${base}-${configName}` });
    });
  }
  if (detached > 0) ctx.issues.note(`${detached} network interface${detached === 1 ? ' is' : 's are'} attached to no VM in the input and carry no traffic; not imported`);
  return out;
}

export function hostCandidates(configs: readonly HostConfig[]): NameCandidate[] {
  return configs.map((h) => ({ id: h.id, name: h.name, resourceGroup: h.nic.resourceGroup ?? idParts(h.nic.id).resourceGroup }));
}

export function hostSlots(configs: readonly HostConfig[]): InterfaceSlot[] {
  return configs.flatMap((h) => {
    const subnet = refId(h.config.subnet);
    if (!subnet) return [];
    const ip = h.config.privateIPAddress;
    return [{ owner: h.nic.id, index: h.index, subnetId: subnet, address: typeof ip === 'string' && ip !== '' ? ip : undefined }];
  });
}

/** A role the service models know, where the VM says it. */
function roleOf(vm: ArmResource | undefined): string | undefined {
  if (!vm) return undefined;
  const image = isObject(vm.properties.storageProfile) && isObject(vm.properties.storageProfile.imageReference) ? vm.properties.storageProfile.imageReference : undefined;
  if (image && typeof image.publisher === 'string' && /microsoft-dsvm/i.test(image.publisher)) return 'dsvm';
  const tags = isObject(vm.tags) ? Object.entries(vm.tags) : [];
  if (tags.some(([k, v]) => /cm-resource-parent/i.test(k) && typeof v === 'string' && /\/hostpools\//i.test(v))) return 'avdSessionHost';
  return undefined;
}

export function mapHosts(ctx: MapContext, configs: readonly HostConfig[]): Named[] {
  return configs.map((h) => {
    const o: DraftObject = {};
    comment(o, ctx.origin(h.nic, 'hosts', h.id));
    if (h.vm) comment(o, `VM ${h.vm.resource ? ctx.origin(h.vm.resource) : h.vm.id}`);
    if (h.index > 0) comment(o, `IP configuration ${h.configName} of ${h.nic.name}`);
    const what = `host ${h.name}`;
    const subnet = ctx.subnetRef(h.config.subnet, o, `subnet of ${what}`, h.nic);
    if (subnet !== undefined) o.subnet = subnet;
    const a = ctx.addresses.privateIp(h.nic.id, h.index);
    if (a.ip) {
      o.privateIpAddress = a.ip;
      if (a.standIn) {
        ctx.standIns++;
        comment(o, `privateIpAddress: ${a.ip} is a stand-in: Azure assigns this address at deploy time (Dynamic)`);
      }
    } else o.privateIpAddress = ctx.unknown(dynamicAddress(a.why), o, `private IP of ${what}`);
    const nsg = ctx.ref('networkSecurityGroups', h.nic.properties.networkSecurityGroup, o, 'networkSecurityGroup', h.nic);
    if (nsg !== undefined) o.networkSecurityGroup = nsg;
    const asgs = (Array.isArray(h.config.applicationSecurityGroups) ? h.config.applicationSecurityGroups : []).map((x) => ctx.ref('applicationSecurityGroups', x, o, `ASG of ${what}`, h.nic)).filter((x): x is string | Unknown => x !== undefined);
    if (asgs.length > 0) o.applicationSecurityGroups = asgs;
    const pip = publicAddressOf(ctx, h.config.publicIPAddress, o, `public IP of ${what}`);
    if (pip) {
      o.publicIpAddress = pip.ip;
      if (pip.sku === 'Basic') o.publicIpSku = 'Basic';
    }
    const forwarding = ctx.bool(h.nic.properties.enableIPForwarding, o, `IP forwarding of ${what}`);
    if (forwarding === true || forwarding instanceof Unknown) o.enableIpForwarding = forwarding;
    const role = roleOf(h.vm?.resource);
    if (role) o.role = role;
    return { key: ctx.names.key('hosts', h.id)!, value: o };
  });
}

/** An address Azure assigns that has no stand-in: written as a marker topo validate rejects. */
export function dynamicAddress(why: string | undefined): Unresolved {
  return new Unresolved(why ?? 'Azure assigns it at deploy time', 'dynamic: allocated by Azure at deploy time');
}
