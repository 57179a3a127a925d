/**
 * Resource Graph rows, ARM REST objects and az CLI output -> ArmResource.
 * The az CLI flattens `properties` into the top level (`az network vnet
 * show` prints addressSpace next to name); everything that is not part of
 * ARM's resource envelope is then taken as a property.
 */
import { idParts, type ArmResource, type Origin } from '../resource.js';
import { isObject, type Value } from '../template/values.js';
import { canonicalType, isMappedType } from '../types.js';

const ENVELOPE = new Set(['id', 'name', 'type', 'location', 'tags', 'etag', 'sku', 'kind', 'zones', 'identity', 'plan', 'managedBy', 'resourceGroup', 'subscriptionId', 'tenantId', 'extendedLocation', 'systemData', 'apiVersion']);

/** A sub-object's properties: nested under `properties` (ARM, Resource Graph) or at the top (az CLI). */
export function props(v: unknown): { [key: string]: Value } {
  if (!isObject(v as Value)) return {};
  const o = v as { [key: string]: Value };
  return isObject(o.properties) ? o.properties : o;
}

export function looksLikeResource(v: unknown): boolean {
  return isObject(v as Value) && typeof (v as { type?: unknown }).type === 'string' && (typeof (v as { id?: unknown }).id === 'string' || typeof (v as { name?: unknown }).name === 'string');
}

export function normaliseResource(raw: unknown, origin: Origin): ArmResource | undefined {
  if (!looksLikeResource(raw)) return undefined;
  const o = raw as { [key: string]: Value };
  const type = canonicalType(String(o.type));
  const id = typeof o.id === 'string' ? o.id : `${type}/${String(o.name)}`;
  const parts = idParts(id);
  const mapped = isMappedType(type);
  let properties: { [key: string]: Value } = {};
  if (mapped) {
    if (isObject(o.properties)) properties = o.properties;
    else {
      for (const [k, v] of Object.entries(o)) if (!ENVELOPE.has(k)) properties[k] = v;
      // Some resources keep sku inside properties (firewall policies, firewalls); flattened, it cannot be told apart.
      if (o.sku !== undefined && o.sku !== null) properties.sku = o.sku;
    }
  }
  // A VM only tells which NICs it uses and what image it runs (its role); the rest of a large export's VMs is dropped early.
  if (mapped && type === 'Microsoft.Compute/virtualMachines') properties = slimVm(properties);
  return {
    id,
    type,
    name: typeof o.name === 'string' ? o.name : parts.name,
    subscriptionId: typeof o.subscriptionId === 'string' ? o.subscriptionId : parts.subscriptionId,
    resourceGroup: typeof o.resourceGroup === 'string' ? o.resourceGroup : parts.resourceGroup,
    ...(mapped ? { location: o.location, sku: o.sku, kind: o.kind, tags: o.tags } : {}),
    properties,
    origin,
  };
}

function slimVm(p: { [key: string]: Value }): { [key: string]: Value } {
  const network = isObject(p.networkProfile) ? p.networkProfile.networkInterfaces : undefined;
  const image = isObject(p.storageProfile) ? p.storageProfile.imageReference : undefined;
  return { networkProfile: { networkInterfaces: Array.isArray(network) ? network : [] }, ...(image !== undefined ? { storageProfile: { imageReference: image } } : {}) };
}
