/**
 * Azure Firewall rules, from policy rule collections and from a firewall's
 * classic rule collections alike. Only the fields the format gives each
 * rule type are written; others are reported once (e.g. destination
 * addresses on application rules, which topo does not model).
 */
import { props } from '../inputs/normalise.js';
import type { ArmResource } from '../resource.js';
import { isObject, type Value } from '../template/values.js';
import type { MapContext } from './context.js';
import { comment, Unknown, type DraftObject } from './draft.js';

export type RuleKind = 'NetworkRule' | 'ApplicationRule' | 'NatRule';

const FIELDS: Record<RuleKind, readonly string[]> = {
  NetworkRule: ['ipProtocols', 'sourceAddresses', 'sourceIpGroups', 'destinationAddresses', 'destinationIpGroups', 'destinationFqdns', 'destinationPorts'],
  ApplicationRule: ['sourceAddresses', 'sourceIpGroups', 'protocols', 'targetFqdns', 'fqdnTags', 'targetUrls', 'webCategories', 'terminateTLS'],
  NatRule: ['ipProtocols', 'sourceAddresses', 'sourceIpGroups', 'destinationAddresses', 'destinationPorts', 'translatedAddress', 'translatedFqdn', 'translatedPort'],
};

/** Classic rules name some fields differently. */
const CLASSIC_ALIASES: Record<string, string> = { protocols: 'ipProtocols' };

function ipGroups(ctx: MapContext, v: Value | undefined, o: DraftObject, what: string, from: ArmResource): (string | Unknown)[] {
  return (Array.isArray(v) ? v : []).map((g) => ctx.ref('ipGroups', g, o, what, from)).filter((x): x is string | Unknown => x !== undefined);
}

function appProtocols(ctx: MapContext, v: Value | undefined, o: DraftObject, what: string): DraftObject[] {
  const out: DraftObject[] = [];
  for (const p of Array.isArray(v) ? v : []) {
    if (!isObject(p)) continue;
    const t = ctx.text(p.protocolType, o, `protocol of ${what}`);
    if (t === undefined) continue;
    const entry: DraftObject = { protocolType: t };
    const port = ctx.int(p.port, o, `port of ${what}`);
    if (port !== undefined) entry.port = port;
    out.push(entry);
  }
  return out;
}

export function mapFirewallRule(ctx: MapContext, raw: Value, kind: RuleKind, from: ArmResource, classic: boolean): DraftObject | undefined {
  if (!isObject(raw)) return undefined;
  const p = classic ? props(raw) : raw;
  const name = typeof raw.name === 'string' ? raw.name : typeof p.name === 'string' ? p.name : 'rule';
  const o: DraftObject = { name, ruleType: kind };
  const what = `${kind} ${name}`;
  const fieldValue = (f: string): Value | undefined => (classic && f === 'ipProtocols' && kind !== 'ApplicationRule' ? p.protocols : p[f]);
  for (const f of FIELDS[kind]) {
    const v = fieldValue(f);
    if (v === undefined || v === null) continue;
    if (f === 'sourceIpGroups' || f === 'destinationIpGroups') {
      const g = ipGroups(ctx, v, o, `${f} of ${what}`, from);
      if (g.length > 0) o[f] = g;
    } else if (f === 'protocols') {
      const list = appProtocols(ctx, v, o, what);
      if (list.length > 0) o[f] = list;
    } else if (f === 'terminateTLS') {
      const b = ctx.bool(v, o, `${f} of ${what}`);
      if (b === true || b instanceof Unknown) o[f] = b;
    } else if (f === 'translatedAddress' || f === 'translatedFqdn' || f === 'translatedPort') {
      const t = ctx.text(v, o, `${f} of ${what}`);
      if (t !== undefined && t !== '') o[f] = t;
    } else {
      const list = ctx.texts(v, o, `${f} of ${what}`);
      if (list.length > 0) o[f] = list;
    }
  }
  const ignored = Object.entries(p).filter(([k, v]) => !FIELDS[kind].includes(CLASSIC_ALIASES[k] ?? k) && Array.isArray(v) && v.length > 0 && !['ruleType', 'name', 'description', 'protocols'].includes(k));
  for (const [k] of ignored) {
    comment(o, `${k} in Azure is not part of the format for ${kind}s and is not imported`);
    ctx.issues.note(`${what}: ${k} is not imported (the format has no such field for ${kind}s)`, { file: from.origin.file, line: from.origin.line });
  }
  return o;
}

/** ARM's rule type of a policy rule ('NetworkRule', 'ApplicationRule', 'NatRule'), case-insensitively. */
export function ruleKind(v: Value | undefined): RuleKind | undefined {
  const t = typeof v === 'string' ? v.toLowerCase() : '';
  return t === 'networkrule' ? 'NetworkRule' : t === 'applicationrule' ? 'ApplicationRule' : t === 'natrule' ? 'NatRule' : undefined;
}
