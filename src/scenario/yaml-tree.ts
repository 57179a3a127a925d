/**
 * The located YAML tree: what both YAML front ends (the fast subset parser
 * and the reference `yaml` package) produce, and all that later stages read.
 * Every node knows its file:line:col, every map key its own position.
 */
import type { SourceLoc } from './source-loc.js';

export type ScalarValue = string | number | boolean | null;

export interface LScalar {
  readonly kind: 'scalar';
  readonly value: ScalarValue;
  /** True when the scalar was quoted: `"443"` stays a string, `443` is a number. */
  readonly quoted: boolean;
  readonly loc: SourceLoc;
}

export interface LSeq {
  readonly kind: 'seq';
  readonly items: readonly LNode[];
  readonly loc: SourceLoc;
}

export interface LEntry {
  readonly key: string;
  readonly keyLoc: SourceLoc;
  readonly value: LNode;
}

export interface LMap {
  readonly kind: 'map';
  readonly entries: readonly LEntry[];
  readonly loc: SourceLoc;
}

export type LNode = LScalar | LSeq | LMap;

export function mapGet(map: LMap, key: string): LNode | undefined {
  for (const entry of map.entries) if (entry.key === key) return entry.value;
  return undefined;
}

export function mapEntry(map: LMap, key: string): LEntry | undefined {
  for (const entry of map.entries) if (entry.key === key) return entry;
  return undefined;
}

/** Plain JSON value of a node, for schema validation. Keys like `__proto__` stay own data. */
export function toPlain(node: LNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const entry of node.entries) {
        Object.defineProperty(out, entry.key, {
          value: toPlain(entry.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
  }
}

/** The node at a JSON-pointer-like path of keys and indices, or the deepest one found. */
export function nodeAt(root: LNode, path: readonly (string | number)[]): { node: LNode; depth: number; keyLoc?: SourceLoc } {
  let node = root;
  let keyLoc: SourceLoc | undefined;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (node.kind === 'map') {
      const entry = mapEntry(node, String(step));
      if (!entry) return { node, depth: i, keyLoc };
      node = entry.value;
      keyLoc = entry.keyLoc;
    } else if (node.kind === 'seq' && typeof step === 'number' && step < node.items.length) {
      node = node.items[step];
      keyLoc = undefined;
    } else if (node.kind === 'seq' && /^\d+$/.test(String(step)) && Number(step) < node.items.length) {
      node = node.items[Number(step)];
      keyLoc = undefined;
    } else {
      return { node, depth: i, keyLoc };
    }
  }
  return { node, depth: path.length, keyLoc };
}

export function describeNode(node: LNode): string {
  if (node.kind === 'map') return 'a map';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'null';
  if (typeof node.value === 'string') return `the string '${truncate(node.value)}'`;
  return `${typeof node.value} ${String(node.value)}`;
}

export function truncate(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
