/** `topo diff --format json`: changed objects, flow changes with deciding rules in both versions, intent changes. */
import { formatLoc, isBuiltin } from '../scenario/source-loc.js';
import type { Network } from '../model/types.js';
import type { DiffResult, Decider } from '../diff/engine.js';
import { packetJson } from './trace-json.js';
import { intentJson } from './verify-json.js';
import { summaryLine } from './diff-text.js';

function deciderJson(d: Decider): Record<string, unknown> {
  return { decision: d.decision, at: d.at, ...(d.rule ? { rule: d.rule } : {}), ...(d.loc && !isBuiltin(d.loc) ? { source: formatLoc(d.loc) } : {}), ...(d.detail ? { detail: d.detail } : {}) };
}

export function diffJson(net: Network, d: DiffResult, header: { base: string; head: string }): Record<string, unknown> {
  return {
    schemaVersion: 1,
    base: header.base,
    head: header.head,
    mode: d.mode,
    ...(d.mode === 'full' ? { fullReasons: d.fullReasons } : {}),
    changedObjects: d.objects.map((o) => ({ kind: o.kind, name: o.name, summary: o.summary, source: formatLoc(o.loc) })),
    flows: d.flows.map((f) => ({ direction: f.direction, from: f.from, to: f.to, cause: f.cause, packets: f.packets, example: packetJson(net, f.packet), now: deciderJson(f.after), before: deciderJson(f.before) })),
    intents: d.intents.map((i) => ({ name: i.name, before: i.before, after: i.after, regression: i.regression, ...(i.result ? { result: intentJson(net, i.result) } : {}) })),
    summary: {
      newlyAllowed: d.flows.filter((f) => f.direction === 'newly-allowed').length,
      newlyBlocked: d.flows.filter((f) => f.direction === 'newly-blocked').length,
      intentsChanged: d.intents.length,
      intentRegressions: d.intents.filter((i) => i.regression).length,
      line: summaryLine(d),
    },
  };
}
