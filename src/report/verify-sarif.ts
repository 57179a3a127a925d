/**
 * `topo verify --format sarif`: SARIF 2.1.0 for GitHub code scanning.
 *
 * One run for all scenario files: GitHub code scanning does not combine
 * several runs of one tool and category from one upload. Each failing or undecided intent is one result at the
 * intent's YAML lines; a witness becomes codeFlows[0].threadFlows[0] with one
 * step per hop at the line of the rule, route or peering that decided it; the
 * blockers of a failing allow become relatedLocations. Diagnostics of the
 * scenario with a place in a file become results under their own code;
 * those without one (e.g. a stale --service-tags file) become
 * toolExecutionNotifications, because GitHub rejects a result without a file.
 * Nothing depends on the clock or the machine, so the output is reproducible.
 */
import type { Location, Log, Notification, PhysicalLocation, ReportingDescriptor, Result, ThreadFlowLocation } from 'sarif';
import { CODES, type Diagnostic, type DiagnosticCode } from '../scenario/diagnostics.js';
import { isBuiltin, type SourceLoc } from '../scenario/source-loc.js';
import type { Network } from '../model/types.js';
import { describePacket } from '../sim/simulate.js';
import type { Hop } from '../sim/trace.js';
import type { IntentResult } from '../verify/results.js';
import type { LintInfo } from '../catalog/lints.js';
import type { LintFinding } from '../lint/types.js';
import { repoUri } from './repo-path.js';
import type { RenderContext, VerifiedScenario } from './verify-context.js';
import { findingTitle, fingerprint, INTENT_RULES, intentKey, listSome, ruleOf, sentence, stableHash, type IntentRuleId } from './verify-rules.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const FINGERPRINT = 'topoFinding/v1';

export function verifySarif(runs: readonly VerifiedScenario[], ctx: RenderContext): Log {
  const located = (loc: SourceLoc | undefined): loc is SourceLoc => loc !== undefined && !isBuiltin(loc);
  const diagnostics = runs.flatMap((s) => s.results.diagnostics);
  const diagnosticCodes = [...new Set(diagnostics.filter((d) => located(d.loc)).map((d) => d.code))].sort();
  const findings = runs.flatMap((s) => (s.lint?.findings ?? []).map((f) => ({ s, f })));
  const lintIds = new Set(findings.map((x) => x.f.rule));
  const lintsUsed = runs.flatMap((s) => s.lint?.rules ?? []).filter((r, i, all) => lintIds.has(r.id) && all.findIndex((x) => x.id === r.id) === i);
  const rules: ReportingDescriptor[] = [...(ctx.mode === 'lint' ? [] : INTENT_RULES.map(intentDescriptor)), ...lintsUsed.map(lintDescriptor), ...diagnosticCodes.map(diagnosticDescriptor)];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const physical = (loc: SourceLoc): PhysicalLocation => physicalLocation(ctx.cwd, loc);

  const results: Result[] = [];
  for (const s of runs) {
    for (const r of s.results.intents) {
      const id = ruleOf(r);
      if (id) results.push(intentResult(s, r, id, ruleIndex.get(id)!, physical));
    }
  }
  for (const { s: run, f } of findings) results.push(findingResult(run, f, ruleIndex.get(f.rule)!, physical));
  for (const d of diagnostics) {
    if (!located(d.loc)) continue;
    results.push({
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: d.severity,
      message: { text: diagnosticText(d) },
      locations: [{ physicalLocation: physical(d.loc) }],
      ...(d.related?.some((x) => located(x.loc)) ? { relatedLocations: d.related.filter((x) => located(x.loc)).map((x, i) => ({ id: i + 1, physicalLocation: physical(x.loc), message: { text: x.message } })) } : {}),
      partialFingerprints: { [FINGERPRINT]: stableHash([d.code, d.message]) },
    });
  }

  const unlocated = diagnostics.filter((d) => !located(d.loc));
  const notifications: Notification[] = unlocated.map((d) => ({ descriptor: { id: d.code }, level: d.severity, message: { text: diagnosticText(d) } }));
  const notificationCodes = [...new Set(unlocated.map((d) => d.code))].sort();

  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: ctx.tool.name,
            semanticVersion: ctx.tool.version,
            informationUri: ctx.tool.informationUri,
            rules,
            ...(notificationCodes.length ? { notifications: notificationCodes.map((c) => ({ id: c, name: CODES[c].slug, shortDescription: { text: CODES[c].summary } })) } : {}),
          },
        },
        invocations: [{ executionSuccessful: true, exitCode: ctx.exitCode, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function intentDescriptor(rule: (typeof INTENT_RULES)[number]): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.short },
    fullDescription: { text: rule.full },
    help: { text: rule.help.replace(/\*\*|`/g, ''), markdown: rule.help },
    defaultConfiguration: { level: rule.level },
    properties: {
      tags: [...rule.tags],
      precision: rule.precision,
      ...(rule.securitySeverity ? { 'security-severity': rule.securitySeverity } : {}),
    },
  };
}

function diagnosticDescriptor(code: DiagnosticCode): ReportingDescriptor {
  const info = CODES[code];
  const help = `${info.summary} topo reports it while reading the scenario; \`topo validate FILE\` shows it with the offending lines and a hint.`;
  return {
    id: code,
    name: info.slug,
    shortDescription: { text: info.summary },
    fullDescription: { text: info.summary },
    help: { text: help.replace(/`/g, ''), markdown: help },
    defaultConfiguration: { level: info.severity },
    properties: { tags: ['scenario', 'azure'] },
  };
}

const LINT_SECURITY_SEVERITY = { error: '8.0', warning: '5.5', note: '3.0' } as const;

function lintDescriptor(rule: LintInfo): ReportingDescriptor {
  const help = [rule.description, '', '**How to fix**', '', rule.help, '', `Azure facts: ${rule.facts.join(', ')}.`, '', '**Sources**', '', ...rule.sources.map((x) => `- ${x}`), '', 'Accept a finding on purpose with a `lint.ignore` entry in the scenario (`rule`, `target`, `reason`).'].join('\n');
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: help.replace(/\*\*|`/g, ''), markdown: help },
    defaultConfiguration: { level: rule.severity },
    properties: { tags: ['security', 'network', 'posture', 'azure'], precision: 'high', 'security-severity': LINT_SECURITY_SEVERITY[rule.severity] },
  };
}

/** GitHub shows the first sentence as the alert title. */
function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function findingResult(s: VerifiedScenario, f: LintFinding, index: number, physical: (loc: SourceLoc) => PhysicalLocation): Result {
  const related = f.related.filter((r) => !isBuiltin(r.loc));
  const text = f.witness ? `${sentence(capitalized(f.message))} ${sentence(`Example packet: ${describePacket(s.network, f.witness.packet)}, ${f.witness.trace.reason}`)}` : sentence(capitalized(f.message));
  return {
    ruleId: f.rule,
    ruleIndex: index,
    level: f.severity,
    message: { text },
    locations: [{ physicalLocation: physical(f.loc) }],
    ...(f.witness ? { codeFlows: [{ message: { text: describePacket(s.network, f.witness.packet) }, threadFlows: [{ locations: steps(f.witness.trace.hops, f.loc, physical) }] }] } : {}),
    ...(related.length ? { relatedLocations: related.map((r, i) => ({ id: i + 1, physicalLocation: physical(r.loc), message: { text: r.message } })) } : {}),
    partialFingerprints: { [FINGERPRINT]: stableHash([f.rule, s.results.scenario, f.target, f.key ?? '']) },
    ...(f.suppressed ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: f.suppressed.reason, location: { physicalLocation: physical(f.suppressed.loc) } }] } : {}),
    properties: { scenario: s.results.scenario, target: f.target },
  };
}

function intentResult(s: VerifiedScenario, r: IntentResult, id: IntentRuleId, index: number, physical: (loc: SourceLoc) => PhysicalLocation): Result {
  const blockers = (r.blockers ?? []).filter((b) => b.ref && !isBuiltin(b.ref.loc));
  return {
    ruleId: id,
    ruleIndex: index,
    level: id === 'TOPO-I004' ? 'warning' : 'error',
    message: { text: resultText(s.network, r, id) },
    locations: [{ physicalLocation: physical(r.loc) }],
    ...(r.witness ? { codeFlows: [{ message: { text: describePacket(s.network, r.witness.packet) }, threadFlows: [{ locations: steps(r.witness.trace.hops, r.loc, physical) }] }] } : {}),
    ...(blockers.length
      ? { relatedLocations: blockers.map((b, i) => ({ id: i + 1, physicalLocation: physical(b.ref!.loc), message: { text: `blocks part of the flow: ${b.reason}` } })) }
      : {}),
    partialFingerprints: { [FINGERPRINT]: fingerprint(id, r) },
    properties: { scenario: s.results.scenario, intent: intentKey(r), kind: r.kind, status: r.status },
  };
}

function resultText(net: Network, r: IntentResult, id: IntentRuleId): string {
  const parts = [findingTitle(id, r)];
  if (r.blockers?.length) parts.push(sentence(`Blocked by ${listSome(r.blockers.map((b) => `${b.ref?.label ?? b.at}: ${b.reason}`))}`));
  if (r.witness) parts.push(sentence(`Example packet: ${describePacket(net, r.witness.packet)}, ${r.witness.trace.reason}`));
  if (r.reason) parts.push(sentence(r.status === 'unknown' ? `Why: ${r.reason}` : r.reason));
  if (r.counterexamples?.length) {
    const what = r.status === 'unknown' ? 'Undecided packets' : r.kind === 'deny' ? 'Packets that get through' : 'Packets that do not get through';
    parts.push(sentence(`${what}: ${listSome(r.counterexamples)}`));
  }
  return parts.join(' ');
}

/**
 * One step per hop. A hop decided by something written nowhere (threat
 * intelligence, SNAT, the final delivery) is shown at a located hop of the
 * same place (the firewall's rule), else the hop before it, so that every
 * step carries a file location: GitHub rejects locations without one.
 */
function steps(hops: readonly Hop[], fallback: SourceLoc, physical: (loc: SourceLoc) => PhysicalLocation): ThreadFlowLocation[] {
  const own = hops.map((h) => (h.loc && !isBuiltin(h.loc) ? h.loc : undefined));
  return hops.map((h, i) => {
    const loc = own[i] ?? nearest(hops, own, i) ?? fallback;
    const location: Location = { physicalLocation: physical(loc), message: { text: hopText(h, i) } };
    return { location, executionOrder: i + 1, importance: h.decision === 'info' ? 'unimportant' : 'essential' };
  });
}

function nearest(hops: readonly Hop[], locs: readonly (SourceLoc | undefined)[], i: number): SourceLoc | undefined {
  const order = [...locs.keys()].sort((a, b) => Math.abs(a - i) - Math.abs(b - i) || a - b);
  const samePlace = order.find((j) => locs[j] && hops[j].at === hops[i].at);
  if (samePlace !== undefined) return locs[samePlace];
  for (let j = i - 1; j >= 0; j--) if (locs[j]) return locs[j];
  for (let j = i + 1; j < locs.length; j++) if (locs[j]) return locs[j];
  return undefined;
}

function hopText(h: Hop, i: number): string {
  const what = h.rule ? `${h.rule} at ${h.at}` : h.at;
  return `${i + 1}. ${h.kind} ${h.decision}: ${what}${h.detail ? ` (${h.detail})` : ''}`;
}

function physicalLocation(cwd: string, loc: SourceLoc): PhysicalLocation {
  // SARIF columns end after the region; topo's end column is the last character in it.
  const end = loc.endLine > loc.line || (loc.endLine === loc.line && loc.endCol >= loc.col) ? { endLine: loc.endLine, endColumn: loc.endCol + 1 } : {};
  return {
    artifactLocation: { uri: repoUri(cwd, loc.file) },
    region: { startLine: loc.line, startColumn: Math.max(1, loc.col), ...end },
  };
}

function diagnosticText(d: Diagnostic): string {
  return [sentence(d.message), ...(d.hint ? [sentence(`Hint: ${d.hint}`)] : [])].join(' ');
}

export function formatVerifySarif(runs: readonly VerifiedScenario[], ctx: RenderContext): string {
  return JSON.stringify(verifySarif(runs, ctx), null, 2);
}
