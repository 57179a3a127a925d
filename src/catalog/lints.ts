/**
 * The lint catalog: what reports say about each posture lint (id, name,
 * severity, texts, facts, sources), as data in models/lints.yaml. The checks
 * are in src/lint/; the scenario layer reads this to validate `lint.ignore`.
 * A malformed file is a bug in topo, reported as such.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { packageFile } from '../util/package-root.js';

export type LintSeverity = 'error' | 'warning' | 'note';

export interface LintInfo {
  /** `TOPO-L001`: never renumbered or reused. */
  readonly id: string;
  /** `subnet-without-nsg`. */
  readonly name: string;
  readonly severity: LintSeverity;
  readonly title: string;
  readonly description: string;
  /** Markdown: how to fix it. */
  readonly help: string;
  /** Fact ids of the Azure semantics reference (F1.9, §8.7). */
  readonly facts: readonly string[];
  /** The documents it rests on, as written in the file's sources: map. */
  readonly sources: readonly string[];
  /** An input diagnostic code this lint reports in its place (TOPO302). */
  readonly supersedes?: string;
}

export class LintCatalogError extends Error {}

const SEVERITIES: readonly LintSeverity[] = ['error', 'warning', 'note'];

export function parseLintCatalog(text: string, file: string): LintInfo[] {
  const doc = parse(text) as { format?: string; sources?: Record<string, string>; lints?: Record<string, unknown>[] } | null;
  if (!doc || doc.format !== 'topo-lints/1' || !Array.isArray(doc.lints)) throw new LintCatalogError(`${file}: not a topo-lints/1 file`);
  const sources = doc.sources ?? {};
  const seen = new Set<string>();
  return doc.lints.map((raw, i) => {
    const e = raw as Record<string, unknown>;
    const where = `${file}: lint ${i + 1}`;
    const text = (key: string): string => {
      const v = e[key];
      if (typeof v !== 'string' || v.trim() === '') throw new LintCatalogError(`${where}: '${key}' must be a non-empty string`);
      return v.trim();
    };
    const id = text('id');
    const name = text('name');
    if (!/^TOPO-L\d{3}$/.test(id)) throw new LintCatalogError(`${where}: id '${id}' is not TOPO-Lnnn`);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) throw new LintCatalogError(`${where}: name '${name}' is not kebab-case`);
    for (const key of [id, name]) {
      if (seen.has(key)) throw new LintCatalogError(`${where}: '${key}' is used twice`);
      seen.add(key);
    }
    const severity = text('severity') as LintSeverity;
    if (!SEVERITIES.includes(severity)) throw new LintCatalogError(`${where}: severity must be one of ${SEVERITIES.join(', ')}`);
    const list = (key: string): string[] => {
      const v = e[key];
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) throw new LintCatalogError(`${where}: '${key}' must be a non-empty list of strings`);
      return v as string[];
    };
    const facts = list('facts');
    for (const f of facts) if (!/^(F\d+(\.\d+)*|§\d+\.\d+)$/.test(f)) throw new LintCatalogError(`${where}: '${f}' is not a fact id (F1.2.3 or §8.5)`);
    const refs = list('sources');
    for (const s of refs) if (!(s in sources)) throw new LintCatalogError(`${where}: source '${s}' is not in the file's sources:`);
    const supersedes = e.supersedes === undefined ? undefined : text('supersedes');
    return {
      id,
      name,
      severity,
      title: text('title'),
      description: text('description'),
      help: text('help'),
      facts,
      sources: refs.map((s) => sources[s]),
      ...(supersedes ? { supersedes } : {}),
    };
  });
}

let cache: readonly LintInfo[] | undefined;

export function lintCatalog(): readonly LintInfo[] {
  cache ??= parseLintCatalog(readFileSync(packageFile('models', 'lints.yaml'), 'utf8'), 'models/lints.yaml');
  return cache;
}

/** A lint by id (`TOPO-L004`, any case) or name (`management-port-from-internet`). */
export function findLint(key: string): LintInfo | undefined {
  const k = key.trim().toLowerCase();
  return lintCatalog().find((l) => l.id.toLowerCase() === k || l.name === k);
}
