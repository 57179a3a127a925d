/** `topo diff --format markdown`: a report meant for a pull-request comment. */
import { formatLoc, isBuiltin } from '../scenario/source-loc.js';
import type { DiffResult, Decider } from '../diff/engine.js';
import { causeTitle, groupFlows, summaryLine } from './diff-text.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function deciderCell(d: Decider): string {
  const where = d.loc && !isBuiltin(d.loc) ? ` (\`${formatLoc(d.loc)}\`)` : '';
  return cell(`${d.decision}: ${d.rule ?? d.detail ?? d.at}${where}`);
}

export function formatDiffMarkdown(d: DiffResult, header: { base: string; head: string }): string {
  const lines = [`### topo: reachability changes`, '', `\`${header.base}\` → \`${header.head}\`: **${summaryLine(d)}**`, ''];
  const regressions = d.intents.filter((i) => i.regression);
  if (regressions.length > 0) {
    lines.push(`> [!WARNING]`, `> ${regressions.length} intent${regressions.length === 1 ? '' : 's'} got worse: ${regressions.map((i) => `\`${i.name}\` (${i.before} → ${i.after})`).join(', ')}`, '');
  }
  for (const [cause, flows] of groupFlows(d)) {
    lines.push(`#### ${cell(causeTitle(d, cause))}`, '', '| | from | to | packets | now | before |', '|---|---|---|---|---|---|');
    for (const f of flows) {
      lines.push(`| ${f.direction === 'newly-allowed' ? '➕ allowed' : '➖ blocked'} | ${cell(f.from)} | ${cell(f.to)} | ${cell(f.packets.join('; '))} | ${deciderCell(f.after)} | ${deciderCell(f.before)} |`);
    }
    lines.push('');
  }
  if (d.intents.length > 0) {
    lines.push('#### Intents', '', '| intent | before | after |', '|---|---|---|');
    for (const i of d.intents) lines.push(`| ${i.regression ? '⚠️ ' : ''}\`${cell(i.name)}\` | ${i.before} | ${i.after} |`);
    lines.push('');
  }
  if (d.mode === 'full') lines.push(`<sub>Full re-analysis: ${cell(d.fullReasons.slice(0, 3).join('; '))}</sub>`);
  return lines.join('\n');
}
