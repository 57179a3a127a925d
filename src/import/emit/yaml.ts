/**
 * ScenarioDraft -> YAML text: the format's key order, block maps for
 * objects, flow lists for lists of plain values, comments above what they
 * describe, and the yaml-language-server modeline first so editors validate
 * the file against the shipped schema.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { COMMENTS, Unknown, type DraftObject, type DraftValue, type Named, type ScenarioDraft } from '../map/draft.js';

const oneLine = (s: string): string => ` ${s.replace(/[\r\n]+/g, ' ')}`;

function commentText(lines: readonly string[] | undefined): string | undefined {
  return lines && lines.length > 0 ? lines.map(oneLine).join('\n') : undefined;
}

function scalar(v: string | number | boolean | null | Unknown): Scalar {
  if (v instanceof Unknown) {
    const s = new Scalar(v.text);
    s.type = Scalar.QUOTE_DOUBLE;
    return s;
  }
  return new Scalar(v);
}

function isPlain(v: DraftValue | undefined): boolean {
  return v === null || v instanceof Unknown || typeof v !== 'object';
}

function node(v: DraftValue): Scalar | YAMLMap | YAMLSeq {
  if (isPlain(v)) return scalar(v as string | number | boolean | null | Unknown);
  if (Array.isArray(v)) {
    const seq = new YAMLSeq();
    seq.flow = v.every(isPlain);
    for (const item of v) {
      const n = node(item);
      if (n instanceof YAMLMap) n.commentBefore = commentText((item as DraftObject)[COMMENTS]);
      seq.items.push(n);
    }
    return seq;
  }
  return map(v as DraftObject);
}

function map(o: DraftObject): YAMLMap {
  const m = new YAMLMap();
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    const key = new Scalar(k);
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unknown)) key.commentBefore = commentText((v as DraftObject)[COMMENTS]);
    m.items.push(new Pair(key, node(v)));
  }
  return m;
}

const OPTIONS = { lineWidth: 0, flowCollectionPadding: false } as const;

/** One top-level key and its value as text; large collections are written entry by entry so that only one entry's nodes exist at a time. */
function topLevel(key: string, value: Scalar | YAMLMap | YAMLSeq, comments?: readonly string[]): string {
  const doc = new Document();
  const m = new YAMLMap();
  const k = new Scalar(key);
  k.commentBefore = commentText(comments);
  m.items.push(new Pair(k, value));
  doc.contents = m;
  return doc.toString(OPTIONS);
}

function collectionText(key: string, entries: readonly Named[]): string {
  const parts = [`${key}:\n`];
  for (const e of entries) {
    const text = topLevel(e.key, map(e.value), e.value[COMMENTS]);
    parts.push(text.replace(/^(?=.)/gm, '  '));
  }
  return parts.join('');
}

export function emitScenarioYaml(draft: ScenarioDraft, schemaRef: string): string {
  const out: string[] = [`${commentText([`yaml-language-server: $schema=${schemaRef}`, ...draft.header])!.split('\n').map((l) => `#${l}`).join('\n')}\n\n`];
  out.push(topLevel('name', new Scalar(draft.name)));
  if (draft.description) out.push(topLevel('description', new Scalar(draft.description)));
  if (draft.region) out.push(topLevel('region', new Scalar(draft.region)));
  const named = (key: string, entries: readonly Named[]) => {
    if (entries.length > 0) out.push(collectionText(key, entries));
  };
  named('vnets', draft.vnets);
  named('networkSecurityGroups', draft.networkSecurityGroups);
  if (draft.applicationSecurityGroups.length > 0) {
    const seq = new YAMLSeq();
    for (const a of draft.applicationSecurityGroups) {
      const s = new Scalar(a.key);
      s.commentBefore = commentText(a.comments);
      seq.items.push(s);
    }
    out.push(topLevel('applicationSecurityGroups', seq));
  }
  named('routeTables', draft.routeTables);
  named('natGateways', draft.natGateways);
  if (draft.ipGroups.length > 0) {
    const m = new YAMLMap();
    for (const g of draft.ipGroups) {
      const key = new Scalar(g.key);
      key.commentBefore = commentText(g.comments);
      const seq = node(g.addresses) as YAMLSeq;
      seq.flow = true;
      m.items.push(new Pair(key, seq));
    }
    out.push(topLevel('ipGroups', m));
  }
  named('firewallPolicies', draft.firewallPolicies);
  named('firewalls', draft.firewalls);
  named('virtualNetworkGateways', draft.virtualNetworkGateways);
  named('hosts', draft.hosts);
  named('resources', draft.resources);
  named('privateEndpoints', draft.privateEndpoints);
  if (draft.leftOut.length > 0) out.push(`\n${draft.leftOut.map((block) => block.map((l) => `#${oneLine(l)}`).join('\n')).join('\n\n')}\n`);
  return out.join('');
}
