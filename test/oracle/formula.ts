/**
 * A tiny boolean formula DAG over the packet's bit-vector fields, built by the
 * SMT oracle's encoder and shipped as JSON to the z3 child process
 * (z3-runner.mjs). Shared subformulas (the "no earlier rule matched" chains of
 * first-match lists and route tables) are stored once, so formulas stay
 * linear in the rule count. Constants fold as they are built.
 */

/** Packet fields and their widths in bits (protocol, addresses, ports, name class). */
export const FIELDS = { proto: 8, srcIp: 32, srcPort: 16, dstIp: 32, dstPort: 16, dstName: 16 } as const;
export type Field = keyof typeof FIELDS;

export type NodeId = number;

/** A node: interval membership of a field, or a boolean connective over earlier nodes. */
export type Node = ['true'] | ['false'] | ['in', Field, number[]] | ['not', NodeId] | ['and', ...NodeId[]] | ['or', ...NodeId[]];

/** A packet field's value along a path: the field itself, or a constant a translation put there. */
export type Term = { readonly field: Field } | { readonly value: number };

export class FormulaBuilder {
  readonly nodes: Node[] = [];
  private readonly index = new Map<string, NodeId>();
  readonly TRUE: NodeId;
  readonly FALSE: NodeId;

  constructor() {
    this.TRUE = this.intern(['true']);
    this.FALSE = this.intern(['false']);
  }

  private intern(node: Node): NodeId {
    const key = JSON.stringify(node);
    let id = this.index.get(key);
    if (id === undefined) {
      id = this.nodes.length;
      this.nodes.push(node);
      this.index.set(key, id);
    }
    return id;
  }

  bool(b: boolean): NodeId {
    return b ? this.TRUE : this.FALSE;
  }

  /** `term` lies in one of the closed intervals [lo0, hi0, lo1, hi1, ...] (sorted, disjoint). */
  member(term: Term, flat: readonly number[]): NodeId {
    if ('value' in term) {
      for (let i = 0; i < flat.length; i += 2) if (flat[i] <= term.value && term.value <= flat[i + 1]) return this.TRUE;
      return this.FALSE;
    }
    if (flat.length === 0) return this.FALSE;
    const max = 2 ** FIELDS[term.field] - 1;
    if (flat.length === 2 && flat[0] <= 0 && flat[1] >= max) return this.TRUE;
    return this.intern(['in', term.field, [...flat]]);
  }

  eq(term: Term, value: number): NodeId {
    return this.member(term, [value, value]);
  }

  not(a: NodeId): NodeId {
    if (a === this.TRUE) return this.FALSE;
    if (a === this.FALSE) return this.TRUE;
    const n = this.nodes[a];
    if (n[0] === 'not') return n[1];
    return this.intern(['not', a]);
  }

  and(...xs: NodeId[]): NodeId {
    const kept: NodeId[] = [];
    for (const x of xs) {
      if (x === this.FALSE) return this.FALSE;
      if (x !== this.TRUE && !kept.includes(x)) kept.push(x);
    }
    if (kept.length === 0) return this.TRUE;
    if (kept.length === 1) return kept[0];
    return this.intern(['and', ...kept]);
  }

  or(...xs: NodeId[]): NodeId {
    const kept: NodeId[] = [];
    for (const x of xs) {
      if (x === this.TRUE) return this.TRUE;
      if (x !== this.FALSE && !kept.includes(x)) kept.push(x);
    }
    if (kept.length === 0) return this.FALSE;
    if (kept.length === 1) return kept[0];
    return this.intern(['or', ...kept]);
  }

  /** if c then a else b. */
  ite(c: NodeId, a: NodeId, b: NodeId): NodeId {
    if (c === this.TRUE) return a;
    if (c === this.FALSE) return b;
    if (a === b) return a;
    return this.or(this.and(c, a), this.and(this.not(c), b));
  }
}
