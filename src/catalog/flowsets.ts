/**
 * Flow sets: what a platform needs from the network, as data in
 * models/flowsets/*.yaml (format in models/flowsets/README.md). Shipped data
 * is validated on load; a malformed file is a bug in topo, reported as such.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageFile } from '../util/package-root.js';

export interface FlowSpecData {
  readonly from?: string;
  readonly to: string;
  readonly protocol?: 'Tcp' | 'Udp' | 'Icmp' | '*';
  readonly ports?: readonly (string | number)[];
  /**
   * `private-endpoints`: one claim per private endpoint of the resource `to`
   * names, to that endpoint, on the ports of its groupId in
   * models/private-link.json unless the flow gives them.
   */
  readonly via?: 'private-endpoints';
}

export interface FlowData {
  readonly id: string;
  readonly kind: 'allow' | 'deny';
  readonly flow: FlowSpecData;
  readonly reason: string;
  readonly sources: readonly string[];
  /** Conditions that must all hold: `flag`, `not:flag`, `has:param`, `private:param`. */
  readonly when: readonly string[];
}

export interface ParameterData {
  /** A resources key of this ARM type; `*`: of any type. */
  readonly type?: string;
  /** Any intent endpoint (a host, vnet/subnet, ...). */
  readonly endpoint?: boolean;
  readonly flag?: boolean;
  readonly optional?: boolean;
  readonly description?: string;
}

export interface FlowSetData {
  readonly name: string;
  readonly file: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, ParameterData>>;
  readonly flows: readonly FlowData[];
  readonly sources: Readonly<Record<string, string>>;
}

let cache: Map<string, FlowSetData> | undefined;

export class FlowSetFileError extends Error {}

function asArray<T>(v: T | readonly T[] | undefined): readonly T[] {
  return v === undefined ? [] : Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

export function parseFlowSetFile(text: string, file: string): FlowSetData[] {
  const doc = parse(text) as { format?: string; sources?: Record<string, string>; sets?: Record<string, Record<string, unknown>> };
  if (!doc || doc.format !== 'topo-flowsets/1' || typeof doc.sets !== 'object') throw new FlowSetFileError(`${file}: not a topo-flowsets/1 file`);
  const sources = doc.sources ?? {};
  const out: FlowSetData[] = [];
  for (const [name, raw] of Object.entries(doc.sets)) {
    const set = raw as { description?: string; parameters?: Record<string, ParameterData>; flows?: Record<string, unknown>[] };
    if (!set.description || !Array.isArray(set.flows)) throw new FlowSetFileError(`${file}: set ${name} needs a description and flows`);
    // A YAML alias to another set's flows nests that list: sets share flows by splicing it in.
    const flows = (set.flows as unknown[]).flat().map((raw, i): FlowData => {
      const f = raw as Record<string, unknown>;
      const kind = 'allow' in f ? 'allow' : 'deny' in f ? 'deny' : undefined;
      const id = f.id as string;
      if (!id || !kind || typeof f.reason !== 'string') throw new FlowSetFileError(`${file}: flow ${i} of ${name} needs an id, allow: or deny:, and a reason`);
      const flow = f[kind] as FlowSpecData;
      if (!flow || typeof flow.to !== 'string') throw new FlowSetFileError(`${file}: flow ${id} of ${name} has no to:`);
      if (flow.via !== undefined && (flow.via !== 'private-endpoints' || kind !== 'allow' || !/^\{[A-Za-z][A-Za-z0-9_]*\}$/.test(flow.to))) {
        throw new FlowSetFileError(`${file}: flow ${id} of ${name}: via: private-endpoints needs an allow flow whose to: is one resource parameter`);
      }
      const refs = asArray(f.source as string | string[]);
      for (const r of refs) if (!(r in sources)) throw new FlowSetFileError(`${file}: flow ${id} cites unknown source ${r}`);
      return { id, kind, flow, reason: f.reason, sources: refs, when: asArray(f.when as string | string[]) };
    });
    const ids = new Set<string>();
    for (const f of flows) {
      if (ids.has(f.id)) throw new FlowSetFileError(`${file}: flow id ${f.id} repeats in ${name}`);
      ids.add(f.id);
    }
    out.push({ name, file, description: set.description, parameters: set.parameters ?? {}, flows, sources });
  }
  return out;
}

export function flowSets(): ReadonlyMap<string, FlowSetData> {
  if (!cache) {
    cache = new Map();
    const dir = packageFile('models', 'flowsets');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
      for (const set of parseFlowSetFile(readFileSync(join(dir, f), 'utf8'), `models/flowsets/${f}`)) {
        if (cache.has(set.name)) throw new FlowSetFileError(`flow set ${set.name} is defined twice (${f})`);
        cache.set(set.name, set);
      }
    }
  }
  return cache;
}

export function flowSet(name: string): FlowSetData | undefined {
  return flowSets().get(name) ?? [...flowSets().values()].find((s) => s.name.toLowerCase() === name.toLowerCase());
}
