/** `topo verify` as text: failing intents first with their witness path, then unknown, then passing; a summary line. */
import { formatLoc, isBuiltin } from '../scenario/source-loc.js';
import type { Network } from '../model/types.js';
import { describePacket } from '../sim/simulate.js';
import { summarize, type IntentResult, type VerifyResults } from '../verify/results.js';
import { PLAIN, type Palette } from './color.js';
import { plural } from '../net/text.js';
import type { LintFinding } from '../lint/types.js';
import { countFindings, countsText, findingsSection } from './lint-findings.js';

function claimText(r: IntentResult): string {
  const what = r.kind === 'deny' ? 'must not reach' : 'must reach';
  const flow = `${r.protocol}${r.ports !== '*' ? ` ${r.ports}` : ''}`;
  return `${r.from} ${what} ${r.to} (${flow}${r.adversary === 'strict' ? ', strict adversary' : ''})`;
}

export function formatIntent(net: Network, r: IntentResult, c: Palette): string[] {
  const tag = r.status === 'pass' ? c.green('PASS') : r.status === 'fail' ? c.red('FAIL') : c.yellow('UNKNOWN');
  const lines = [`${tag} ${c.bold(r.name)}  ${c.dim(formatLoc(r.loc))}`, `     ${claimText(r)}`];
  if (r.flow) lines.push(`     ${c.dim(`flow ${r.flow.id} of ${r.flow.set}: ${r.flow.reason}`)}`);
  if (r.witness) {
    lines.push(`     witness: ${describePacket(net, r.witness.packet)}`);
    r.witness.trace.hops.forEach((h, i) => {
      const where = h.loc && !isBuiltin(h.loc) ? c.dim(`  ${formatLoc(h.loc)}`) : '';
      lines.push(`       ${String(i + 1).padStart(2)}. ${h.kind} ${h.decision}: ${h.rule ?? h.at}${where}`);
      if (h.detail && (h.decision === 'deny' || h.decision === 'drop' || h.kind === 'delivery' || h.kind === 'nat')) lines.push(`           ${c.dim(h.detail)}`);
    });
    lines.push(`       => ${r.witness.trace.reason}`);
  }
  if (r.blockers && r.blockers.length > 0) {
    lines.push(`     blocked by ${plural(r.blockers.length, 'component')}:`);
    for (const b of r.blockers) {
      const where = b.ref && !isBuiltin(b.ref.loc) ? c.dim(`  ${formatLoc(b.ref.loc)}`) : '';
      lines.push(`       - ${b.ref?.label ?? b.at}: ${b.reason}${where}`);
      for (const p of b.packets) lines.push(`           ${c.dim(p)}`);
    }
  }
  if (r.counterexamples && r.status !== 'pass') {
    lines.push(`     ${r.status === 'fail' ? (r.kind === 'deny' ? 'packets that get through' : 'packets that do not get through') : 'undecided packets'}:`);
    for (const x of r.counterexamples) lines.push(`       ${c.dim(x)}`);
  }
  if (r.reason) lines.push(`     ${r.status === 'unknown' ? c.yellow('why unknown: ') : ''}${r.reason}`);
  return lines;
}

export function formatVerifyText(net: Network, results: VerifyResults, c: Palette = PLAIN, findings?: readonly LintFinding[]): string {
  const order = { fail: 0, unknown: 1, pass: 2 } as const;
  const sorted = [...results.intents].sort((a, b) => order[a.status] - order[b.status]);
  const lines: string[] = [c.bold(`topo verify: ${results.scenario}`) + c.dim(`  (service tags: ${results.catalog.kind === 'shipped' ? 'shipped catalog' : results.catalog.file}, change ${results.catalog.changeNumber})`), ''];
  for (const r of sorted) lines.push(...formatIntent(net, r, c), '');
  if (findings?.length) lines.push(...findingsSection(net, findings, c));
  const s = summarize(results.intents);
  const n = findings ? countFindings(findings) : undefined;
  const summary = `${plural(s.intents, 'intent')}: ${s.passed} passed, ${s.failed} failed, ${s.unknown} unknown${n ? `; ${countsText(n)}` : ''}`;
  lines.push(s.failed > 0 || (n?.errors ?? 0) > 0 ? c.red(c.bold(summary)) : s.unknown > 0 || (n?.warnings ?? 0) > 0 ? c.yellow(c.bold(summary)) : c.green(c.bold(summary)));
  return lines.join('\n');
}
