/**
 * One Azure resource as every input shape becomes it: Resource Graph rows,
 * ARM REST objects, az CLI output (properties flattened to the top level)
 * and evaluated template resources all end up here, so the mappers read one
 * layout. Values from templates may hold Unresolved markers.
 */
import type { Value } from './template/values.js';

export interface Origin {
  readonly file: string;
  readonly line?: number;
  /** Set for template resources: their ids are built from placeholders, so comments show the template place instead. */
  readonly template?: boolean;
}

export interface ArmResource {
  readonly id: string;
  /** As written; compare with typeKey(). */
  readonly type: string;
  readonly name: string;
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  readonly location?: Value;
  readonly sku?: Value;
  readonly kind?: Value;
  readonly tags?: Value;
  readonly properties: { readonly [key: string]: Value };
  readonly origin: Origin;
  /** A template name computed from deploy-time placeholders (subscription, resource group): a consistent stand-in, not Azure's name. */
  readonly standInName?: boolean;
}

export const typeKey = (type: string): string => type.toLowerCase();
export const idKey = (id: string): string => id.toLowerCase().replace(/\/+$/, '');

/** Resource group and subscription read from an ARM id, when it has them. */
export function idParts(id: string): { subscriptionId?: string; resourceGroup?: string; name: string } {
  const m = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?/i.exec(id);
  return { subscriptionId: m?.[1], resourceGroup: m?.[2], name: id.split('/').filter(Boolean).at(-1) ?? id };
}

/** The id of the parent resource: a subnet's VNet, a rule's NSG. */
export function parentId(id: string): string {
  const parts = id.replace(/\/+$/, '').split('/');
  return parts.slice(0, -2).join('/');
}
