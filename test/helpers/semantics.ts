/**
 * Loads the Azure-semantics fixtures (test/fixtures/semantics/*.yaml) through
 * the real loader and compiler, and turns traces into compact, comparable
 * hop lists in the spirit of Batfish's testTrace(flow, disposition, hops).
 *
 * Fixture paths are relative to the repository root, so every source
 * location reads `test/fixtures/semantics/<file>:<line>:<col>`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { PROTO, type Packet } from '../../src/headerspace/packet.js';
import { compile } from '../../src/model/compile.js';
import type { Network, Nic } from '../../src/model/types.js';
import { parseIpv4 } from '../../src/net/ipv4.js';
import type { Diagnostic } from '../../src/scenario/diagnostics.js';
import { loadScenario } from '../../src/scenario/load.js';
import { isBuiltin } from '../../src/scenario/source-loc.js';
import { simulate, type Origin } from '../../src/sim/simulate.js';
import type { Hop, Trace } from '../../src/sim/trace.js';
import { describeDiagnostic } from './scenario-fixture.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SEMANTICS_DIR = 'test/fixtures/semantics';

export interface SemanticsFixture {
  readonly file: string;
  readonly network: Network;
  /** Loader and compiler diagnostics together. */
  readonly diagnostics: readonly Diagnostic[];
}

const cache = new Map<string, SemanticsFixture>();

/** Loads and compiles a fixture; fails listing the errors when it does not load. */
export function fixture(name: string): SemanticsFixture {
  const hit = cache.get(name);
  if (hit) return hit;
  const file = `${SEMANTICS_DIR}/${name}`;
  const loaded = loadScenario(file, { cwd: REPO_ROOT });
  if (!loaded.scenario) throw new Error(`${file} does not load:\n${loaded.diagnostics.map(describeDiagnostic).join('\n')}`);
  const compiled = compile(loaded.scenario, loaded.catalog!);
  const out = { file, network: compiled.network, diagnostics: [...loaded.diagnostics, ...compiled.diagnostics] };
  cache.set(name, out);
  return out;
}

/**
 * `file:line` of the one line of a fixture containing `marker` (the place a
 * rule, route or setting is written). Fails unless exactly one line matches,
 * so expectations cannot silently point at the wrong rule.
 */
export function lineOf(name: string, marker: string): string {
  const file = `${SEMANTICS_DIR}/${name}`;
  const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(marker) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`'${marker}' is on ${hits.length} lines of ${file}, expected exactly one`);
  return `${file}:${hits[0]}`;
}

/**
 * `@file:line` of the object written at `marker`, the way the loader locates it:
 * a key whose value is a block map (`NSG1:` at the end of its line) is located
 * at the value's first line, the line after the key.
 */
export function at(name: string, marker: string): string {
  const [file, line] = lineOf(name, marker).split(/:(?=\d+$)/);
  const text = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n')[Number(line) - 1];
  return `@${file}:${text.trimEnd().endsWith(':') ? Number(line) + 1 : line}`;
}

/** One hop as `kind decision [ruleId] [@file:line]`: what decided, and where it is written. */
export function hopLine(h: Hop): string {
  const parts: string[] = [h.kind, h.decision];
  if (h.ruleId) parts.push(h.ruleId);
  if (h.loc && !isBuiltin(h.loc)) parts.push(`@${h.loc.file}:${h.loc.line}`);
  return parts.join(' ');
}

/** The hops that decide something (threat-intelligence and NAT notes are 'info'). */
export function path(t: Trace): string[] {
  return t.hops.filter((h) => h.decision !== 'info').map(hopLine);
}

/** testTrace: the verdict and the exact deciding hops, in order. */
export function expectTrace(t: Trace, verdict: Trace['verdict'], hops: readonly string[]): void {
  expect({ verdict: t.verdict, hops: path(t) }, `${t.reason}\n${t.hops.map(hopLine).join('\n')}`).toEqual({ verdict, hops: [...hops] });
}

export function ip(text: string): number {
  const v = parseIpv4(text);
  if (v === null) throw new Error(`not an address: ${text}`);
  return v;
}

export function nic(net: Network, id: string): Nic {
  const n = net.nicById.get(id);
  if (!n) throw new Error(`no interface ${id}; have ${[...net.nicById.keys()].join(', ')}`);
  return n;
}

export interface PacketSpec {
  readonly src: string;
  readonly dst: string;
  readonly protocol?: 'tcp' | 'udp' | 'icmp' | 'esp';
  readonly port?: number;
  readonly srcPort?: number;
  /** The FQDN the client addressed (Host header or SNI). */
  readonly name?: string;
}

const PROTOCOL = { tcp: PROTO.TCP, udp: PROTO.UDP, icmp: PROTO.ICMP, esp: PROTO.ESP } as const;

export function packet(net: Network, spec: PacketSpec): Packet {
  const protocol = PROTOCOL[spec.protocol ?? 'tcp'];
  const ported = protocol === PROTO.TCP || protocol === PROTO.UDP;
  const names = net.names;
  let dstName = 0;
  if (spec.name !== undefined) {
    const lower = spec.name.toLowerCase();
    dstName = names.find((c) => c.literal === lower)?.id ?? names.find((c) => c.suffix !== undefined && lower.endsWith(c.suffix))?.id ?? names.find((c) => c.kind === 'other')!.id;
  }
  return { protocol, srcIp: ip(spec.src), srcPort: ported ? spec.srcPort ?? 49152 : 0, dstIp: ip(spec.dst), dstPort: ported ? spec.port ?? 443 : 0, dstName };
}

/** Simulates a packet leaving an interface of the design (`host:vm1`, `subnet:hub/shared`). */
export function traceFrom(net: Network, from: string, spec: Omit<PacketSpec, 'src'> & { src?: string }): Trace {
  const n = nic(net, from);
  const src = spec.src ?? formatIpv4Min(n);
  return simulate(net, { kind: 'nic', nic: n }, packet(net, { ...spec, src }));
}

/** Simulates a packet arriving from the Internet or from on premises. */
export function traceFromOutside(net: Network, origin: Exclude<Origin, { kind: 'nic' }>, spec: PacketSpec): Trace {
  return simulate(net, origin, packet(net, spec));
}

function formatIpv4Min(n: Nic): string {
  const v = n.addresses.min;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

