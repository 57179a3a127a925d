/**
 * reference() reads a resource's deployed state. Where that state is what
 * the template itself declares - an input property, or the id of a declared
 * sub-resource (`reference(vnet).subnets[0].id`) - Azure echoes it back, so
 * the read is answered from the declaration. Anything the platform decides
 * (dynamic addresses, keys, endpoints) stays unresolved here.
 */
import { idKey, type ArmResource } from '../resource.js';
import { isObject, isUnresolved, member, Unresolved, type Value } from './values.js';

type Obj = { [key: string]: Value };

/** The declared resource as reference(id, api, 'Full') would show it. */
function fullView(r: ArmResource): Obj {
  const out: Obj = { id: r.id, name: r.name, type: r.type, properties: r.properties as Obj };
  if (r.location !== undefined) out.location = r.location;
  if (r.sku !== undefined) out.sku = r.sku;
  if (r.kind !== undefined) out.kind = r.kind;
  return out;
}

/** Follows a path through a declared value; sub-resources in arrays get their ARM ids. */
function follow(root: Obj, rootId: string, path: readonly (string | number)[]): Value | undefined {
  let cur: Value = root;
  let curId = rootId;
  let lastKey = '';
  for (const key of path) {
    if (isUnresolved(cur)) return undefined;
    if (Array.isArray(cur)) {
      if (typeof key !== 'number') return undefined;
      const item: Value | undefined = cur[key];
      if (item === undefined) return undefined;
      if (isObject(item) && typeof item.name === 'string') curId = `${curId}/${lastKey}/${item.name}`;
      cur = item;
      continue;
    }
    if (!isObject(cur)) return undefined;
    const next = member(cur, String(key));
    if (next === undefined) {
      // A declared sub-resource has an id even though the template does not write one.
      if (String(key).toLowerCase() === 'id' && curId !== rootId) return curId;
      return undefined;
    }
    if (String(key).toLowerCase() !== 'properties') lastKey = String(key);
    cur = next;
  }
  return cur;
}

/** Replaces answerable runtime reads inside the resources' properties; repeats while reads feed reads. */
export function resolveRuntimeReads(resources: readonly ArmResource[]): ArmResource[] {
  const byId = new Map<string, ArmResource>();
  const byName = new Map<string, ArmResource[]>();
  for (const r of resources) {
    byId.set(idKey(r.id), r);
    const same = byName.get(r.name.toLowerCase());
    if (same) same.push(r);
    else byName.set(r.name.toLowerCase(), [r]);
  }
  const answer = (u: Unresolved): Value | undefined => {
    const rt = u.runtime;
    if (!rt) return undefined;
    const target = rt.resourceId.startsWith('/') ? byId.get(idKey(rt.resourceId)) : byName.get(rt.resourceId.toLowerCase())?.[0];
    if (!target) return undefined;
    const v = follow(fullView(target), target.id, rt.path);
    return v === undefined ? undefined : isUnresolved(v) ? undefined : v;
  };
  let current = [...resources];
  for (let round = 0; round < 4; round++) {
    let changed = false;
    const replace = (v: Value, depth: number): Value => {
      if (isUnresolved(v)) {
        const a = answer(v);
        if (a === undefined) return v;
        changed = true;
        return a;
      }
      if (depth > 40) return v;
      if (Array.isArray(v)) return v.map((x) => replace(x, depth + 1));
      if (isObject(v)) {
        const out: Obj = {};
        for (const [k, x] of Object.entries(v)) out[k] = replace(x, depth + 1);
        return out;
      }
      return v;
    };
    current = current.map((r) => ({ ...r, properties: replace(r.properties as Obj, 0) as Obj }));
    if (!changed) break;
    for (const r of current) byId.set(idKey(r.id), r);
  }
  return current;
}
