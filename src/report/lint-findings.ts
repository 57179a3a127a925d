/** Lint findings in every format: the pieces `topo lint` and `topo verify` share. */
import type { Network } from '../model/types.js';
import type { LintFinding, LintSeverity } from '../lint/types.js';
import { formatLoc, isBuiltin } from '../scenario/source-loc.js';
import { describePacket } from '../sim/simulate.js';
import { plural } from '../net/text.js';
import type { Palette } from './color.js';
import { printable } from './diagnostics-text.js';
import { hopJson, packetJson } from './trace-json.js';

/** What makes a finding fail a run: `error` counts only errors, `warning` also warnings, `note` everything, `never` nothing. */
export type FindingThreshold = LintSeverity | 'never';

const RANK: Record<LintSeverity, number> = { error: 0, warning: 1, note: 2 };

export function findingFails(f: LintFinding, threshold: FindingThreshold): boolean {
  return !f.suppressed && threshold !== 'never' && RANK[f.severity] <= RANK[threshold];
}

export interface FindingCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly notes: number;
  /** Accepted by `lint.ignore`. */
  readonly accepted: number;
}

export function countFindings(findings: readonly LintFinding[]): FindingCounts {
  const active = findings.filter((f) => !f.suppressed);
  return {
    errors: active.filter((f) => f.severity === 'error').length,
    warnings: active.filter((f) => f.severity === 'warning').length,
    notes: active.filter((f) => f.severity === 'note').length,
    accepted: findings.length - active.length,
  };
}

export function countsText(n: FindingCounts): string {
  const total = n.errors + n.warnings + n.notes;
  const parts = [n.errors ? plural(n.errors, 'error') : '', n.warnings ? plural(n.warnings, 'warning') : '', n.notes ? plural(n.notes, 'note') : ''].filter(Boolean);
  return `${plural(total, 'finding')}${parts.length ? ` (${parts.join(', ')})` : ''}${n.accepted ? `, ${n.accepted} accepted by lint.ignore` : ''}`;
}

export function findingJson(net: Network, f: LintFinding): Record<string, unknown> {
  return {
    rule: f.rule,
    name: f.name,
    severity: f.severity,
    target: f.target,
    message: f.message,
    source: formatLoc(f.loc),
    ...(f.related.length ? { related: f.related.map((r) => ({ message: r.message, source: formatLoc(r.loc) })) } : {}),
    ...(f.witness ? { witness: { packet: packetJson(net, f.witness.packet), hops: f.witness.trace.hops.map(hopJson), result: f.witness.trace.reason } } : {}),
    ...(f.suppressed ? { suppressed: { reason: f.suppressed.reason, source: formatLoc(f.suppressed.loc) } } : {}),
  };
}

function severityTag(s: LintSeverity, c: Palette): string {
  return s === 'error' ? c.red(c.bold('ERROR  ')) : s === 'warning' ? c.yellow(c.bold('WARNING')) : c.cyan('NOTE   ');
}

/** One finding as text: tag, id, name and place, then the message, the path of a witness and where else to look. */
export function findingLines(net: Network, f: LintFinding, c: Palette): string[] {
  const lines = [`${severityTag(f.severity, c)} ${c.bold(f.rule)} ${f.name}  ${c.dim(printable(formatLoc(f.loc)))}`, `        ${printable(f.message)}`];
  if (f.witness) {
    lines.push(`        witness: ${describePacket(net, f.witness.packet)}`);
    f.witness.trace.hops.forEach((h, i) => {
      const where = h.loc && !isBuiltin(h.loc) ? c.dim(`  ${printable(formatLoc(h.loc))}`) : '';
      lines.push(`          ${String(i + 1).padStart(2)}. ${h.kind} ${h.decision}: ${printable(h.rule ?? h.at)}${where}`);
    });
  } else {
    for (const r of f.related.slice(0, 5)) lines.push(`        ${c.dim(`see ${printable(r.message)}: ${printable(formatLoc(r.loc))}`)}`);
  }
  return lines;
}

/** Accepted findings, one line each with the reason the design gives. */
export function acceptedLines(findings: readonly LintFinding[], c: Palette): string[] {
  return findings
    .filter((f) => f.suppressed)
    .map((f) => c.dim(`accepted ${f.rule} ${f.name} for ${printable(f.target)}: ${printable(f.suppressed!.reason)} (${printable(formatLoc(f.suppressed!.loc))})`));
}

/** All findings of a scenario as a text section. */
export function findingsSection(net: Network, findings: readonly LintFinding[], c: Palette): string[] {
  const order = (f: LintFinding) => RANK[f.severity];
  const active = findings.filter((f) => !f.suppressed).sort((a, b) => order(a) - order(b));
  const lines: string[] = [];
  for (const f of active) lines.push(...findingLines(net, f, c), '');
  const accepted = acceptedLines(findings, c);
  if (accepted.length) lines.push(...accepted, '');
  return lines;
}
