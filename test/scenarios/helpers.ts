/**
 * Runs `topo verify` and `topo lint` on the shipped scenarios through main(),
 * as a user or a CI job would, and condenses their JSON reports into the
 * values the scenario tests compare: intent statuses, witness hops, blockers
 * and lint findings.
 */
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { fakeIo, root } from '../golden/verify-helpers.js';

export interface Hop {
  readonly at: string;
  readonly node?: string;
  readonly kind: string;
  readonly decision: string;
  readonly rule?: string;
  readonly source?: string;
  readonly detail?: string;
}

export interface Packet {
  readonly protocol: string;
  readonly srcIp: string;
  readonly srcPort?: number;
  readonly dstIp: string;
  readonly dstPort?: number;
  readonly dstName?: string;
}

export interface Blocker {
  readonly at: string;
  readonly node?: string;
  readonly kind: string;
  readonly rule?: string;
  readonly source?: string;
  readonly reason: string;
  readonly packets: readonly string[];
}

export interface IntentReport {
  readonly name: string;
  readonly kind: 'allow' | 'deny';
  readonly status: 'pass' | 'fail' | 'unknown';
  readonly from: string;
  readonly to: string;
  readonly flow?: { readonly set: string; readonly id: string };
  readonly witness?: { readonly packet: Packet; readonly hops: readonly Hop[]; readonly result: string };
  readonly blockers?: readonly Blocker[];
  readonly counterexamples?: readonly string[];
}

export interface Finding {
  readonly rule: string;
  readonly name: string;
  readonly severity: string;
  readonly target: string;
  readonly message: string;
  readonly source: string;
  readonly suppressed?: { readonly reason: string };
  readonly witness?: { readonly hops: readonly Hop[] };
}

export interface VerifyReport {
  readonly scenario: string;
  readonly summary: { readonly intents: number; readonly passed: number; readonly failed: number; readonly unknown: number };
  readonly intents: readonly IntentReport[];
  readonly findings: readonly Finding[];
  readonly diagnostics: readonly unknown[];
}

export interface LintReport {
  readonly scenario: string;
  readonly findings: readonly Finding[];
  readonly diagnostics: readonly unknown[];
}

export interface Run<R> {
  readonly exit: number;
  readonly report: R;
  readonly stderr: string;
}

async function json<R>(args: readonly string[]): Promise<Run<R>> {
  const io = fakeIo();
  const exit = await main([...args, '--format', 'json'], io.io);
  return { exit, report: JSON.parse(io.stdout()) as R, stderr: io.stderr() };
}

export interface TraceReport {
  readonly verdict: 'delivered' | 'dropped' | 'unknown';
  readonly packet: Packet;
  readonly hops: readonly Hop[];
}

export const verify = (file: string, ...args: string[]): Promise<Run<VerifyReport>> => json(['verify', file, ...args]);
export const trace = (file: string, ...args: string[]): Promise<Run<TraceReport>> => json(['trace', file, ...args]);
export const lint = (file: string, ...args: string[]): Promise<Run<LintReport>> => json(['lint', file, ...args]);

/** Intent name (with the flow id for `require:` expansions) -> status. */
export function statuses(report: VerifyReport): Record<string, string> {
  return Object.fromEntries(report.intents.map((i) => [i.name, i.status]));
}

export function intent(report: VerifyReport, name: string): IntentReport {
  const hit = report.intents.find((i) => i.name === name);
  if (!hit) throw new Error(`${report.scenario} has no intent '${name}'`);
  return hit;
}

/** A witness as one line per hop: `kind decision rule`. */
export function steps(i: IntentReport): string[] {
  if (!i.witness) throw new Error(`intent '${i.name}' has no witness`);
  return i.witness.hops.map((h) => [h.kind, h.decision, h.rule].filter((x) => x !== undefined).join(' '));
}

/** The elements a witness crosses, by their ids (`nic:host:x`, `firewall:x`, `peering:v/l`...). */
export function nodes(i: IntentReport): string[] {
  return i.witness!.hops.map((h) => h.node ?? '');
}

/** Lint findings as `rule target`, accepted ones marked, sorted. */
export function findingsOf(report: { readonly findings: readonly Finding[] }): string[] {
  return report.findings.map((f) => `${f.rule} ${f.target}${f.suppressed ? ' (accepted)' : ''}`).sort();
}

/**
 * `file:line:` of the first line of a scenario that contains `needle` (after
 * the first line containing `after`, when given): where a rule, route or link
 * is written, so a hop's `source` can be checked without hard-coding line numbers.
 */
export function lineOf(file: string, needle: string, after?: string): string {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  if (start < 0) throw new Error(`${file} has no line with '${after}'`);
  const n = lines.findIndex((l, k) => k >= start && l.includes(needle));
  if (n < 0) throw new Error(`${file} has no line with '${needle}'${after === undefined ? '' : ` after '${after}'`}`);
  return `${file}:${n + 1}:`;
}

/** A hop or finding `source` written at that line. */
export function at(file: string, needle: string, after?: string): RegExp {
  return new RegExp(`^${lineOf(file, needle, after).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\d+$`);
}

/** Every intent of a clean scenario's report, expanded `require:` flows included, mapped to one status. */
export function all(names: readonly string[], status: string): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, status]));
}

/** The names a `require:` intent expands to, one per flow of the set. */
export function flows(intentName: string, ids: readonly string[]): string[] {
  return ids.map((id) => `${intentName} ${id}`);
}

/** Flow ids of the shipped Azure ML sets, for a private workspace with storage, key vault and registry. */
export const AML_CLUSTER_FLOWS = ['AML-OUT-01', 'AML-OUT-02', 'AML-OUT-06', 'AML-OUT-07', 'AML-OUT-08', 'AML-OUT-11', 'AML-OUT-12', 'AML-PE-WORKSPACE', 'AML-PE-BLOB', 'AML-PE-FILE', 'AML-PE-VAULT', 'AML-PE-REGISTRY'] as const;
export const AML_INSTANCE_FLOWS = [...AML_CLUSTER_FLOWS, 'AML-OUT-05', 'AML-OUT-03', 'AML-OUT-04'] as const;

/** A clean design: `topo verify` exits 0, proves every intent, leaves nothing unknown and reports nothing on stderr. */
export function expectAllProven(v: Run<VerifyReport>, intents: readonly string[]): void {
  expect(v.exit).toBe(0);
  expect(v.stderr).toBe('');
  expect(v.report.diagnostics).toEqual([]);
  expect(v.report.summary).toMatchObject({ intents: intents.length, passed: intents.length, failed: 0, unknown: 0 });
  expect(statuses(v.report)).toEqual(all(intents, 'pass'));
}

/** A clean design: `topo lint --fail-on note` finds nothing, and neither do the lints `topo verify` runs. */
export function expectNoFindings(l: Run<LintReport>, v: Run<VerifyReport>): void {
  expect(l.exit).toBe(0);
  expect(findingsOf(l.report)).toEqual([]);
  expect(findingsOf(v.report)).toEqual([]);
}
