/**
 * The findings of `topo verify` as rules with stable ids, shared by the CI
 * formats (SARIF rule ids, JUnit failure types). Ids are never renumbered or
 * reused: GitHub code scanning tracks alerts by them, and users suppress them.
 *
 *   TOPO-I001 exfiltration-path      a deny intent fails and the packet reaches the Internet
 *   TOPO-I002 forbidden-path         any other deny intent fails
 *   TOPO-I003 required-flow-blocked  an allow intent fails
 *   TOPO-I004 undecided              topo can neither prove nor refute an intent
 *
 * The `I` keeps them apart from the input diagnostics (TOPO001...), which
 * name problems of the scenario file rather than of the network it describes.
 */
import { createHash } from 'node:crypto';
import type { IntentResult } from '../verify/results.js';

export type IntentRuleId = 'TOPO-I001' | 'TOPO-I002' | 'TOPO-I003' | 'TOPO-I004';

export interface IntentRule {
  readonly id: IntentRuleId;
  readonly name: string;
  readonly short: string;
  readonly full: string;
  /** Markdown: what the finding means and how to fix it. */
  readonly help: string;
  readonly level: 'error' | 'warning';
  /** GitHub's CVSS-like score; only security findings carry one (it makes GitHub treat the rule as security). */
  readonly securitySeverity?: string;
  readonly precision: 'very-high' | 'high' | 'medium' | 'low';
  readonly tags: readonly string[];
}

const RERUN = 'Run `topo verify FILE --intent NAME` to check the fix, and `topo trace FILE --from A --to B` to follow one packet hop by hop.';

export const INTENT_RULES: readonly IntentRule[] = [
  {
    id: 'TOPO-I001',
    name: 'exfiltration-path',
    short: 'A deny intent fails: traffic can leave for the Internet.',
    full: 'A deny intent says its source must not reach a destination, and topo found a packet that gets from the source to the Internet: an address or a multi-tenant Azure service outside the design (another tenant\'s storage account, a package index) that whoever controls it can receive data at.',
    help: [
      'topo proved, over all packets the intent covers, that at least one is delivered to the Internet. The alert shows one such packet hop by hop, each step at the YAML line of the NSG rule, route, peering or firewall rule that let it pass.',
      '',
      '**How to fix**',
      '',
      '1. Find the step that opens the path: usually a firewall application rule with a wildcard FQDN (`*.blob.core.windows.net` also matches other tenants\' accounts), a route with `nextHopType: Internet`, an NSG rule that allows `Internet` or a service tag such as `Storage`, or `defaultOutboundAccess` left on.',
      '2. Narrow it: name the design\'s own FQDNs or resources, send `0.0.0.0/0` to the firewall (`nextHopType: VirtualAppliance`), reach PaaS through private endpoints, set `defaultOutboundAccess: false`, or add an outbound NSG deny for `Internet`.',
      '3. If the flow is meant to exist, change the intent instead (a narrower `to:`, `protocol:` or `ports:`).',
      '',
      RERUN,
    ].join('\n'),
    level: 'error',
    securitySeverity: '8.5',
    precision: 'very-high',
    tags: ['security', 'network', 'exfiltration', 'azure'],
  },
  {
    id: 'TOPO-I002',
    name: 'forbidden-path',
    short: 'A deny intent fails: a forbidden flow is possible.',
    full: 'A deny intent says its source must not reach a destination inside or next to the design (a subnet, host, private endpoint, on-premises range), and topo found a packet that does.',
    help: [
      'topo proved, over all packets the intent covers, that at least one reaches the destination. The alert shows one such packet hop by hop, each step at the YAML line of the rule or route that let it pass.',
      '',
      '**How to fix**',
      '',
      '1. Find the step that should have stopped it: an NSG rule that allows too much (`VirtualNetwork` covers peered VNets and routed prefixes), a firewall network rule with broad addresses, a peering with `allowForwardedTraffic: true`, or a route that bypasses the firewall.',
      '2. Add a deny with a lower priority number than the allow, narrow the allow, or route the traffic through the firewall and deny it there.',
      '3. If the flow is meant to exist, change the intent instead.',
      '',
      RERUN,
    ].join('\n'),
    level: 'error',
    securitySeverity: '7.5',
    precision: 'very-high',
    tags: ['security', 'network', 'segmentation', 'azure'],
  },
  {
    id: 'TOPO-I003',
    name: 'required-flow-blocked',
    short: 'An allow intent fails: a required flow is blocked.',
    full: 'An allow intent says every packet of a flow must be delivered, and topo found packets that are not. The workload that needs the flow will fail once deployed.',
    help: [
      'topo proved that some packets of the flow are dropped or delivered elsewhere. The alert shows one such packet hop by hop, and lists as related locations every component that blocks part of the flow (not only the first).',
      '',
      '**How to fix**',
      '',
      '1. Look at each blocker: an NSG deny (mind the default `DenyAllInBound`/`DenyAllOutBound` at priority 65500), a missing firewall rule, a peering without `allowForwardedTraffic`, a missing route back through the firewall, or a private endpoint the source cannot reach.',
      '2. Open the flow at each of them, as narrowly as the intent: the same source, destination, protocol and ports.',
      '3. If the flow is no longer needed, remove or narrow the intent.',
      '',
      RERUN,
    ].join('\n'),
    level: 'error',
    precision: 'very-high',
    tags: ['reliability', 'network', 'connectivity', 'azure'],
  },
  {
    id: 'TOPO-I004',
    name: 'undecided',
    short: 'topo cannot decide an intent.',
    full: 'topo could neither prove nor refute an intent: it depends on something topo does not model, or on service tag ranges the shipped catalog represents only approximately. The result says why.',
    help: [
      'An undecided intent is neither a pass nor a failure: the network may or may not allow the flow. By default it does not fail the run; `--fail-on unknown` makes it fail.',
      '',
      '**How to fix**',
      '',
      '- If the reason names service tags, pass the official Service Tags file (`serviceTags:` in the scenario or `--service-tags FILE`) for an exact answer.',
      '- If the reason names something topo does not model (connections a PaaS resource starts, a resource type without a model), state the intent about what topo does model, e.g. the subnet or private endpoint in front of the resource.',
      '',
      RERUN,
    ].join('\n'),
    level: 'warning',
    precision: 'medium',
    tags: ['network', 'azure'],
  },
];

/** The rule a non-passing intent breaks; undefined for a pass. */
export function ruleOf(r: IntentResult): IntentRuleId | undefined {
  if (r.status === 'pass') return undefined;
  if (r.status === 'unknown') return 'TOPO-I004';
  if (r.kind === 'allow') return 'TOPO-I003';
  const internet = r.to.toLowerCase() === 'internet' || r.witness?.trace.delivery?.kind === 'internet';
  return internet ? 'TOPO-I001' : 'TOPO-I002';
}

/** A stable identity for an intent: names and endpoints, never line numbers, so moving YAML around keeps alerts and test history. */
export function intentKey(r: IntentResult): string {
  return r.flow ? `${r.name}/${r.flow.id}` : r.name;
}

export function fingerprint(ruleId: string, r: IntentResult): string {
  return stableHash([ruleId, intentKey(r), r.kind, r.from, r.to, r.protocol, r.ports, r.adversary]);
}

export function stableHash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export function flowText(r: IntentResult): string {
  const protocol = r.protocol === '*' ? 'any protocol' : r.protocol;
  const ports = r.ports === '*' ? '' : ` port${/[,-]/.test(r.ports) ? 's' : ''} ${r.ports}`;
  return `${protocol}${ports}${r.adversary === 'strict' ? ', strict adversary' : ''}`;
}

/** The one-sentence title of a finding: GitHub shows the first sentence of a SARIF message as the alert title. */
export function findingTitle(id: IntentRuleId, r: IntentResult): string {
  const flow = flowText(r);
  switch (id) {
    case 'TOPO-I001':
      return `Exfiltration path: ${r.from} can reach ${r.to} (${flow}), which intent '${r.name}' forbids.`;
    case 'TOPO-I002':
      return `Forbidden path: ${r.from} can reach ${r.to} (${flow}), which intent '${r.name}' forbids.`;
    case 'TOPO-I003':
      return `Required flow blocked: ${r.from} cannot reach ${r.to} (${flow}), which intent '${r.name}' requires.`;
    case 'TOPO-I004':
      return `Undecided: topo cannot prove or refute intent '${r.name}' (${r.from} must ${r.kind === 'deny' ? 'not ' : ''}reach ${r.to}, ${flow}).`;
  }
}

/** Ends a clause with exactly one full stop. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

export { listSome } from '../net/text.js';
