/**
 * The scenario being written: plain objects whose keys are inserted in the
 * format's order (the emitter keeps that order), with comments attached
 * under a symbol so they never become keys. An Unknown is a value the input
 * does not determine; it is written as its template expression, which
 * topo validate rejects at that line, so no verdict rests on a made-up value.
 */

export class Unknown {
  constructor(readonly text: string) {}
}

export type Scalar = string | number | boolean | null | Unknown;
export type DraftValue = Scalar | DraftValue[] | DraftObject;

export const COMMENTS = Symbol('comments');

export interface DraftObject {
  [key: string]: DraftValue | undefined;
  [COMMENTS]?: string[];
}

export function comment(o: DraftObject, ...lines: string[]): void {
  (o[COMMENTS] ??= []).push(...lines.filter((l) => l !== ''));
}

/** An entry of a named collection: its key and object. */
export interface Named {
  readonly key: string;
  readonly value: DraftObject;
}

export interface ScenarioDraft {
  readonly header: string[];
  name: string;
  description?: string;
  region?: string;
  readonly vnets: Named[];
  readonly networkSecurityGroups: Named[];
  readonly applicationSecurityGroups: { key: string; comments: string[] }[];
  readonly routeTables: Named[];
  readonly natGateways: Named[];
  readonly ipGroups: { key: string; addresses: (string | Unknown)[]; comments: string[] }[];
  readonly firewallPolicies: Named[];
  readonly firewalls: Named[];
  readonly virtualNetworkGateways: Named[];
  readonly hosts: Named[];
  readonly resources: Named[];
  readonly privateEndpoints: Named[];
  /** Objects not imported, written as comment blocks at the end. */
  readonly leftOut: string[][];
  /** Values written as their unresolved template expression. */
  unknowns: number;
}

export function emptyDraft(name: string): ScenarioDraft {
  return {
    header: [],
    name,
    vnets: [],
    networkSecurityGroups: [],
    applicationSecurityGroups: [],
    routeTables: [],
    natGateways: [],
    ipGroups: [],
    firewallPolicies: [],
    firewalls: [],
    virtualNetworkGateways: [],
    hosts: [],
    resources: [],
    privateEndpoints: [],
    leftOut: [],
    unknowns: 0,
  };
}
