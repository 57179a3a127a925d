/** `topo trace` as text: the whole path, each hop with what decided it and where (like IP flow verify + next hop). */
import { formatLoc, isBuiltin } from '../scenario/source-loc.js';
import type { Network } from '../model/types.js';
import { describePacket } from '../sim/simulate.js';
import type { Trace } from '../sim/trace.js';
import { PLAIN, type Palette } from './color.js';

export function formatTraceText(net: Network, trace: Trace, header: { from: string; to: string }, c: Palette = PLAIN): string {
  const lines: string[] = [];
  lines.push(c.bold(`Packet: ${describePacket(net, trace.packet)}`));
  lines.push(`From:   ${header.from}`);
  lines.push(`To:     ${header.to}`);
  lines.push('');
  trace.hops.forEach((h, i) => {
    const decision = h.decision === 'allow' || h.decision === 'deliver' || h.decision === 'forward' ? c.green(h.decision) : h.decision === 'deny' || h.decision === 'drop' ? c.red(h.decision) : h.decision === 'unknown' ? c.yellow(h.decision) : c.cyan(h.decision);
    lines.push(`${String(i + 1).padStart(3)}. ${h.kind.padEnd(9)} ${decision.padEnd(9 + (decision.length - h.decision.length))} ${h.at}`);
    if (h.rule) lines.push(`${' '.repeat(15)}${h.rule}${h.loc && !isBuiltin(h.loc) ? c.dim(`  ${formatLoc(h.loc)}`) : ''}`);
    if (h.detail) lines.push(`${' '.repeat(15)}${c.dim(h.detail)}`);
  });
  lines.push('');
  const verdict = trace.verdict === 'delivered' ? c.green(c.bold('DELIVERED')) : trace.verdict === 'dropped' ? c.red(c.bold('DROPPED')) : c.yellow(c.bold('UNKNOWN'));
  lines.push(`${verdict}: ${trace.reason}`);
  return lines.join('\n');
}
