/**
 * `topo diff` as text: grouped by the changed object, each flow with the
 * deciding rule in both versions and where it is written; a fixed summary
 * line at the end (like terraform's "Plan: ...").
 */
import { formatLoc, isBuiltin } from '../scenario/source-loc.js';
import type { DiffResult, Decider, FlowChange } from '../diff/engine.js';
import { plural } from '../net/text.js';
import { PLAIN, type Palette } from './color.js';

export function summaryLine(d: DiffResult): string {
  const allowed = d.flows.filter((f) => f.direction === 'newly-allowed').length;
  const blocked = d.flows.filter((f) => f.direction === 'newly-blocked').length;
  const failing = d.intents.filter((i) => i.after === 'fail' && i.before !== 'fail').length;
  const passing = d.intents.filter((i) => i.after === 'pass' && i.before !== 'pass').length;
  const unknown = d.intents.filter((i) => i.after === 'unknown' && i.before !== 'unknown').length;
  const parts = [`${plural(allowed, 'flow')} newly allowed`, `${blocked} newly blocked`];
  if (failing) parts.push(`${plural(failing, 'intent')} now failing`);
  if (passing) parts.push(`${plural(passing, 'intent')} now passing`);
  if (unknown) parts.push(`${plural(unknown, 'intent')} now unknown`);
  return parts.join(', ');
}

function deciderText(label: string, d: Decider, c: Palette): string {
  const where = d.loc && !isBuiltin(d.loc) ? c.dim(`  ${formatLoc(d.loc)}`) : '';
  return `${label} ${d.decision.padEnd(8)} ${d.rule ?? d.detail ?? d.at}${where}`;
}

export function causeTitle(d: DiffResult, cause: string): string {
  if (cause === 'other') return 'other changes';
  const [kind, ...rest] = cause.split(':');
  const name = rest.join(':');
  const obj = d.objects.find((o) => o.kind === kind && o.name === name);
  const what = kind === 'nsg' ? 'NSG' : kind === 'routeTable' ? 'route table' : kind === 'firewallPolicy' ? 'firewall policy' : kind;
  return obj ? `${what} ${name}  (${obj.summary}; ${formatLoc(obj.loc)})` : `${what} ${name}`;
}

export function groupFlows(d: DiffResult): Map<string, FlowChange[]> {
  const groups = new Map<string, FlowChange[]>();
  for (const f of d.flows) groups.set(f.cause, [...(groups.get(f.cause) ?? []), f]);
  return groups;
}

export function formatDiffText(d: DiffResult, header: { base: string; head: string }, c: Palette = PLAIN): string {
  const lines = [c.bold(`topo diff ${header.base} -> ${header.head}`), c.dim('  + newly allowed   - newly blocked   (! = an intent changes status)'), ''];
  if (d.objects.length === 0) lines.push('No change to the network.', '');
  if (d.mode === 'full') lines.push(c.dim(`full re-analysis: ${d.fullReasons.slice(0, 3).join('; ')}${d.fullReasons.length > 3 ? '; ...' : ''}`), '');
  for (const [cause, flows] of groupFlows(d)) {
    lines.push(c.bold(causeTitle(d, cause)));
    for (const f of flows) {
      const sign = f.direction === 'newly-allowed' ? c.green('+') : c.red('-');
      lines.push(`  ${sign} ${f.from} -> ${f.to}`);
      for (const p of f.packets) lines.push(`      ${c.dim(p)}`);
      lines.push(`      ${deciderText('now:   ', f.after, c)}`);
      lines.push(`      ${deciderText('before:', f.before, c)}`);
    }
    lines.push('');
  }
  if (d.intents.length > 0) {
    lines.push(c.bold('Intents'));
    for (const i of d.intents) {
      const mark = i.regression ? c.red('!') : ' ';
      lines.push(`  ${mark} ${i.name}: ${i.before} -> ${i.after}${i.loc ? c.dim(`  ${formatLoc(i.loc)}`) : ''}`);
      if (i.result?.witness) lines.push(`      witness: ${i.result.witness.trace.reason}`);
      if (i.result?.reason) lines.push(`      ${i.result.reason}`);
    }
    lines.push('');
  }
  lines.push(c.bold(summaryLine(d)));
  return lines.join('\n');
}
