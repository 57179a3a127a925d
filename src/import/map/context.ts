/**
 * What every mapper shares: the resources by id and type, the scenario keys,
 * the stand-in addresses, and readers that turn a possibly unresolved ARM
 * value into a scenario value - or into an Unknown that is written as its
 * expression, with a comment saying where it came from.
 */
import { formatAt, type Issues } from '../issues.js';
import { idKey, idParts, parentId, typeKey, type ArmResource } from '../resource.js';
import { isObject, isUnresolved, Unresolved, type Value } from '../template/values.js';
import { T } from '../types.js';
import type { AddressBook } from './addresses.js';
import { comment, Unknown, type DraftObject } from './draft.js';
import { Names, type Collection } from './names.js';

export interface MapOptions {
  readonly region?: string;
}

export class MapContext {
  readonly names = new Names();
  addresses!: AddressBook;
  private readonly byId = new Map<string, ArmResource>();
  private readonly byType = new Map<string, ArmResource[]>();
  private readonly childrenOf = new Map<string, ArmResource[]>();
  /** Stand-in addresses written, for the summary. */
  standIns = 0;
  /** Values written as their unresolved expression. */
  unknowns = 0;
  /** Objects not imported, as comment blocks for the end of the file. */
  readonly leftOut: string[][] = [];

  constructor(
    readonly resources: readonly ArmResource[],
    readonly issues: Issues,
    readonly options: MapOptions,
  ) {
    for (const r of resources) {
      if (this.byId.has(idKey(r.id))) {
        issues.note(`${r.type} ${r.name} appears twice in the input; the first one is used`, atOf(r));
        continue;
      }
      this.byId.set(idKey(r.id), r);
      const t = typeKey(r.type);
      pushTo(this.byType, t, r);
      if (r.type.split('/').length > 2) {
        const p = idKey(parentId(r.id));
        pushTo(this.childrenOf, p, r);
      }
    }
  }

  of(type: string): ArmResource[] {
    return this.byType.get(typeKey(type)) ?? [];
  }

  get(id: string | undefined): ArmResource | undefined {
    return id ? this.byId.get(idKey(id)) : undefined;
  }

  children(parent: ArmResource, childType: string): ArmResource[] {
    return (this.childrenOf.get(idKey(parent.id)) ?? []).filter((c) => typeKey(c.type) === typeKey(childType));
  }

  /** The comment line naming where an object came from. */
  origin(r: ArmResource, collection?: Collection, id = r.id): string {
    const renamed = collection ? this.names.note(collection, id) : undefined;
    const where = r.origin.template ? `${formatAt(r.origin)} ${r.type} '${r.name}'${r.resourceGroup ? ` (resource group ${r.resourceGroup})` : ''}` : id;
    const standIn = r.standInName && r.type.split('/').length === 2 ? '; name built from deploy-time placeholders (subscription, resource group): a stand-in' : '';
    return `${where}${renamed ? ` (${renamed})` : ''}${standIn}`;
  }

  /** Reports an unresolved value once and returns what the scenario shows instead. */
  unknown(u: Unresolved, o: DraftObject, what: string): Unknown {
    this.unknowns++;
    this.issues.unresolved(u, `${what} is written as its expression; topo validate rejects it there until it is replaced`);
    const because = u.cause && (u.cause.file !== u.file || u.cause.line !== u.line) ? `, from [${u.cause.expr}] (${formatAt(u.cause)})` : '';
    comment(o, `${what}: unresolved${u.file ? ` (${formatAt({ file: u.file, line: u.line })})` : ''}${because}: ${u.reason}`);
    return new Unknown(u.expr ? `[${u.expr}]` : `[unresolved: ${u.reason}]`);
  }

  /** A value the input does not give (an object it lacks, an address not assigned yet): written as a marker validate rejects. */
  marker(text: string): Unknown {
    this.unknowns++;
    return new Unknown(`[${text}]`);
  }

  /** A runtime address read (reference(fw).ipConfigurations[0]...privateIPAddress) answered by a stand-in. */
  private runtimeAddress(u: Unresolved, o: DraftObject, what: string): string | Unknown | undefined {
    const a = this.addresses?.runtime(
      u,
      (id) => {
        const pip = this.get(id);
        const ip = pip?.properties.ipAddress;
        return typeof ip === 'string' ? ip : undefined;
      },
      (id) => typeKey(this.get(id)?.type ?? idTypeOf(id)) === typeKey(T.publicIp),
    );
    if (!a) return undefined;
    if (a.ip) {
      if (a.standIn) {
        this.standIns++;
        comment(o, `${what}: ${a.ip} is a stand-in for the address Azure assigns at deploy time (${u.expr ? `[${u.expr}]` : 'reference()'})`);
      }
      return a.ip;
    }
    return this.unknown(u, o, `${what} (${a.why})`);
  }

  value(v: Value | undefined, o: DraftObject, what: string): Value | Unknown | undefined {
    if (isUnresolved(v)) return this.runtimeAddress(v, o, what) ?? this.unknown(v, o, what);
    return v;
  }

  text(v: Value | undefined, o: DraftObject, what: string): string | Unknown | undefined {
    const x = this.value(v, o, what);
    if (x instanceof Unknown || x === undefined || x === null) return x ?? undefined;
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    return undefined;
  }

  bool(v: Value | undefined, o: DraftObject, what: string): boolean | Unknown | undefined {
    const x = this.value(v, o, what);
    if (x instanceof Unknown || typeof x === 'boolean') return x;
    if (typeof x === 'string' && /^(true|false)$/i.test(x)) return x.toLowerCase() === 'true';
    return undefined;
  }

  int(v: Value | undefined, o: DraftObject, what: string): number | Unknown | undefined {
    const x = this.value(v, o, what);
    if (x instanceof Unknown) return x;
    if (typeof x === 'number') return x;
    if (typeof x === 'string' && /^\d+$/.test(x)) return Number(x);
    return undefined;
  }

  /** A list of strings (or one string); unresolved items become Unknowns. */
  texts(v: Value | undefined, o: DraftObject, what: string): (string | Unknown)[] {
    const x = this.value(v, o, what);
    if (x === undefined || x === null) return [];
    if (x instanceof Unknown) return [x];
    const list = Array.isArray(x) ? x : [x];
    const out: (string | Unknown)[] = [];
    for (const item of list) {
      const t = this.text(item, o, what);
      if (t !== undefined && t !== '') out.push(t);
    }
    return out;
  }

  /** The id inside an ARM reference ({ "id": ... } or a plain id string). */
  idOf(v: Value | undefined, o: DraftObject, what: string): string | Unknown | undefined {
    if (v === undefined || v === null) return undefined;
    if (isObject(v)) return this.text(v.id, o, `${what} id`);
    return this.text(v, o, `${what} id`);
  }

  /**
   * A reference to another object, as its scenario key. An object the input
   * does not hold keeps its Azure name: topo validate then reports it as
   * undefined, rather than the scenario silently dropping it.
   */
  ref(collection: Collection, v: Value | undefined, o: DraftObject, what: string, from: ArmResource): string | Unknown | undefined {
    const id = this.idOf(v, o, what);
    if (id === undefined || id instanceof Unknown) return id;
    const key = this.names.key(collection, id);
    if (key) return key;
    const name = idParts(id).name;
    this.missingRef(id, `${what} of ${from.type.split('/').at(-1)} '${from.name}'`, `the scenario names it '${name}' and topo validate reports it as undefined until it is imported too`, from);
    comment(o, `${what}: ${id} is not in the input`);
    return name;
  }

  private readonly missing = new Map<string, { id: string; users: string[]; consequence: string; at: { file: string; line?: number } }>();

  /** One warning per object the input lacks, however many objects refer to it. */
  private missingRef(id: string, user: string, consequence: string, from: ArmResource): void {
    const hit = this.missing.get(idKey(id));
    if (hit) hit.users.push(user);
    else this.missing.set(idKey(id), { id, users: [user], consequence, at: atOf(from) });
  }

  /** Reports the objects the input lacks (call once, after mapping). */
  reportMissing(): void {
    for (const m of this.missing.values()) {
      const users = m.users.length === 1 ? m.users[0] : `${m.users[0]} and ${m.users.length - 1} more`;
      this.issues.warning(`${m.id} is not in the input, but ${users} refer${m.users.length === 1 ? 's' : ''} to it; ${m.consequence}`, m.at);
    }
  }

  /** `vnet/subnet` for a subnet id. */
  subnetRef(v: Value | undefined, o: DraftObject, what: string, from: ArmResource): string | Unknown | undefined {
    const id = this.idOf(v, o, what);
    if (id === undefined || id instanceof Unknown) return id;
    const m = /^(.*\/virtualNetworks\/[^/]+)\/subnets\/([^/]+)$/i.exec(id.replace(/\/+$/, ''));
    if (!m) return this.unknown(new Unresolved(`'${id}' is not a subnet id`, id), o, what);
    const vnet = this.names.key('vnets', m[1]);
    if (vnet) return `${vnet}/${m[2]}`;
    const name = `${idParts(m[1]).name}/${m[2]}`;
    this.missingRef(m[1], `${what} of ${from.type.split('/').at(-1)} '${from.name}'`, `topo validate reports its subnets as undefined until it is imported too`, from);
    comment(o, `${what}: VNet ${m[1]} is not in the input`);
    return name;
  }
}

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export function atOf(r: ArmResource): { file: string; line?: number } {
  return { file: r.origin.file, line: r.origin.line };
}

/** The resource type an id names ('.../providers/Microsoft.Network/publicIPAddresses/x'). */
export function idTypeOf(id: string): string {
  const m = /\/providers\/([^/]+)\/(.*)$/i.exec(id);
  if (!m) return '';
  const segs = m[2].split('/');
  return [m[1], ...segs.filter((_, i) => i % 2 === 0)].join('/');
}
